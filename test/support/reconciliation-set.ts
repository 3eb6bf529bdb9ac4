import type { SqlExecutor } from '../../api/src/infra/outbox/outbox.js';

/**
 * A labelled reconciliation set, generated in set-based SQL so the same code makes 400 orders for
 * a test and a million for the benchmark. Every order is paid on one of `days` business days from
 * `firstDay` (Shanghai); its case is `i % 20`, and `label` is the sorted list of outcome types the
 * rules must give for its order number (`R<i>`, or `X<i>` for money without an order):
 *
 *  0–9  web shop via WeChat, paid and booked, fee exact            MATCHED
 *  10   web shop, nothing booked, window (T+1) closed              MISSING_PAYMENT
 *  11   Taobao via Alipay, nothing booked yet, inside T+7          PENDING_SETTLEMENT
 *  12   booked one yuan short                                      AMOUNT_MISMATCH
 *  13   paid twice under two transaction numbers                   MATCHED + DUPLICATE_PAYMENT
 *  14   fee off by one fen                                         MATCHED + FEE_VARIANCE
 *  15   three partial refunds, less than paid                      MATCHED
 *  16   refunds one fen over what was paid                         MATCHED + REFUND_MISMATCH
 *  17   Douyin presale: deposit in, balance not paid               MATCHED + BALANCE_UNPAID
 *  18   paid 23:59:5x, booked by the gateway after midnight        MATCHED
 *  19   money booked for an order number no order has (`X<i>`)     PAYMENT_WITHOUT_ORDER
 *       (its own order `R<i>` is booked normally)                  MATCHED
 *
 * Case 11 is always paid on the last day, so it stays inside its window at `judgeAt` (two days
 * after the last day, 02:00 Shanghai) however many days the set spans.
 */
export const LABELS: Readonly<Record<number, string>> = {
  10: 'MISSING_PAYMENT',
  11: 'PENDING_SETTLEMENT',
  12: 'AMOUNT_MISMATCH',
  13: 'DUPLICATE_PAYMENT,MATCHED',
  14: 'FEE_VARIANCE,MATCHED',
  16: 'MATCHED,REFUND_MISMATCH',
  17: 'BALANCE_UNPAID,MATCHED',
};
export const labelOf = (i: number) => LABELS[i % 20] ?? 'MATCHED';

export interface SetShape {
  orders: number;
  firstDay: string;
  days: number;
}

export const judgeAt = (shape: SetShape) =>
  new Date(new Date(`${shape.firstDay}T02:00:00+08:00`).getTime() + (shape.days + 1) * 86_400_000);

/** Inserts the orders and the ledger records; returns how many records. */
export async function generateSet(db: SqlExecutor, shape: SetShape, chunk = 100_000): Promise<number> {
  let records = 0;
  for (let start = 1; start <= shape.orders; start += chunk) {
    const end = Math.min(shape.orders, start + chunk - 1);
    const p = [start, end, shape.firstDay, shape.days];
    // Paid at a spread of times over the days; case 18 pays at 23:59:50 + (i % 10) s.
    // The orders, and their payments as intake records them: the payment under its number, a
    // presale deposit under none (its payment number is its event key).
    await db.query(
      `with o as (
       insert into orders (channel, channel_order_no, business_type, state, channel_status, ordered_at, paid_at,
                           source_updated_at, goods_cents, shipping_cents, total_cents, paid_cents, presale,
                           buyer_name, buyer_phone, address, items, payment_no, updated_at)
       select ch, 'R' || i, case when c = 17 then 'PRESALE' else 'NORMAL' end, 'PAID', 'PAID', paid - interval '1 minute',
              case when c = 17 then null else paid end, paid, amount, 0, amount, case when c = 17 then 0 else amount end,
              case when c = 17 then jsonb_build_object('depositCents', amount / 5, 'balanceCents', amount - amount / 5,
                     'depositPaidAt', paid, 'balancePaidAt', null, 'promisedShipAt', null) end,
              '测试', '13800000000', '{"province":null,"city":null,"district":null,"street":null,"detail":"x"}', '[]',
              case when c = 17 then null else 'TX' || i end, now()
         from (select i, i % 20 as c,
                      case i % 20 when 11 then 'TAOBAO' when 17 then 'DOUYIN' else 'WEBSHOP' end as ch,
                      (1000 + (i % 997) * 100)::bigint as amount,
                      ($3::date + (case when i % 20 = 11 then $4 - 1 else (i / 20) % $4 end) * interval '1 day')::timestamp at time zone 'Asia/Shanghai'
                        + case when i % 20 = 18 then interval '23 hours 59 minutes 50 seconds' + (i % 10) * interval '1 second'
                               else ((i::bigint * 7919) % 86000) * interval '1 second' end as paid
                 from generate_series($1::int, $2::int) as i) g
       returning id, channel, payment_no, presale, paid_cents, paid_at
       )
       insert into order_payment (order_id, gateway, payment_no, kind, amount_cents, currency, paid_at, event_key,
                                  recorded_at)
       select o.id, o.channel, coalesce(o.payment_no, 'channel-payload:DEPOSIT'),
              case when o.presale is null then 'FULL' else 'DEPOSIT' end,
              case when o.presale is null then o.paid_cents else (o.presale->>'depositCents')::bigint end, 'CNY',
              coalesce(o.paid_at, (o.presale->>'depositPaidAt')::timestamptz),
              case when o.payment_no is null then 'channel-payload:DEPOSIT' else 'channel-payload:set' end,
              -- Recorded as the order came in, a minute after it was paid.
              coalesce(o.paid_at, (o.presale->>'depositPaidAt')::timestamptz) + interval '1 minute'
         from o`,
      p,
    );
    const inserted = await db.query(
      `insert into money_record (kind, gateway, record_no, payment_no, channel, merchant_order_no, part, line_type,
                                 amount_cents, fee_cents, currency, occurred_at)
       select m.kind, m.gateway, m.record_no, m.payment_no, m.channel, m.order_no, m.part, null, m.amount, m.fee, 'CNY', m.at
         from (select i, i % 20 as c, (1000 + (i % 997) * 100)::bigint as amount,
                      ($3::date + (case when i % 20 = 11 then $4 - 1 else (i / 20) % $4 end) * interval '1 day')::timestamp at time zone 'Asia/Shanghai'
                        + case when i % 20 = 18 then interval '23 hours 59 minutes 50 seconds' + (i % 10) * interval '1 second'
                               else ((i::bigint * 7919) % 86000) * interval '1 second' end as paid
                 from generate_series($1::int, $2::int) as i) g
         cross join lateral (values
           -- the payment itself (not for 10, 11; short for 12; after midnight for 18; Douyin deposit for 17)
           (c not in (10, 11), 'PAYMENT', case when c = 17 then 'DOUYIN' else 'WECHAT' end, 'TX' || i,
            'TX' || i, case when c = 17 then 'DOUYIN' else 'WEBSHOP' end, 'R' || i, case when c = 17 then 'DEPOSIT' end,
            case when c = 12 then amount - 100 when c = 17 then amount / 5 else amount end,
            case when c = 17 then null when c = 14 then (amount * 60 + 5000) / 10000 + 1 when c = 12 then ((amount - 100) * 60 + 5000) / 10000
                 else (amount * 60 + 5000) / 10000 end,
            paid + case when c = 18 then interval '15 seconds' else interval '5 seconds' end),
           -- the second payment of 13
           (c = 13, 'PAYMENT', 'WECHAT', 'TY' || i, 'TY' || i, 'WEBSHOP', 'R' || i, null, amount, (amount * 60 + 5000) / 10000,
            paid + interval '40 seconds'),
           -- three partial refunds of 15 (a third each, the last short) and 16 (the last one fen over)
           (c in (15, 16), 'REFUND', 'WECHAT', 'RF1-' || i, 'TX' || i, 'WEBSHOP', 'R' || i, null, amount / 3, null, paid + interval '1 hour'),
           (c in (15, 16), 'REFUND', 'WECHAT', 'RF2-' || i, 'TX' || i, 'WEBSHOP', 'R' || i, null, amount / 3, null, paid + interval '2 hours'),
           (c in (15, 16), 'REFUND', 'WECHAT', 'RF3-' || i, 'TX' || i, 'WEBSHOP', 'R' || i, null,
            amount - 2 * (amount / 3) + case when c = 16 then 1 else -1 end, null, paid + interval '3 hours'),
           -- money for an order nobody has
           (c = 19, 'PAYMENT', 'WECHAT', 'TZ' || i, 'TZ' || i, 'WEBSHOP', 'X' || i, null, amount, (amount * 60 + 5000) / 10000,
            paid + interval '1 minute')
         ) as m(wanted, kind, gateway, record_no, payment_no, channel, order_no, part, amount, fee, at)
        where m.wanted`,
      p,
    );
    records += inserted.rowCount ?? 0;
  }
  return records;
}
