import type {
  ExpectedPayment,
  OrderMoney,
  PaymentPart,
} from '../../domain/reconciliation/reconciliation-types.js';
import type { SqlExecutor } from '../../infra/outbox/outbox.js';

/**
 * The order side of reconciliation — what money each order should bring in — read from one place.
 * Today it comes from `orders` (`payment_no`, `paid_cents`, `paid_at`, `total_cents` and the
 * presale terms); when orders keep their payments as rows of their own, only this file changes.
 *
 * `EXPECTED_PAYMENTS_SQL` is a query over `orders` with one row per expected payment:
 * order_id, shop, channel, channel_order_no, part, payment_no, amount_cents, paid_at, total_cents,
 * balance_due. A shop is a channel today.
 */
export const EXPECTED_PAYMENTS_SQL = `
  select o.id as order_id, o.channel as shop, o.channel, o.channel_order_no, 'FULL'::text as part,
         o.payment_no, o.paid_cents::bigint as amount_cents, o.paid_at, o.total_cents::bigint as total_cents,
         false as balance_due
    from orders o
   where o.presale is null and o.paid_at is not null
  union all
  select o.id, o.channel, o.channel, o.channel_order_no, 'DEPOSIT', null,
         (o.presale->>'depositCents')::bigint, (o.presale->>'depositPaidAt')::timestamptz, o.total_cents::bigint,
         o.presale->>'balancePaidAt' is null
    from orders o
   where o.presale is not null and o.presale->>'depositPaidAt' is not null
  union all
  select o.id, o.channel, o.channel, o.channel_order_no, 'BALANCE', o.payment_no,
         (o.presale->>'balanceCents')::bigint, (o.presale->>'balancePaidAt')::timestamptz, o.total_cents::bigint,
         false
    from orders o
   where o.presale is not null and o.presale->>'balancePaidAt' is not null`;

/** The orders with a payment in `[from, to)` (in `shop`, or all shops when null). */
export const ORDERS_IN_SCOPE_SQL = `
  select distinct e.order_id from (${EXPECTED_PAYMENTS_SQL}) e
   where e.paid_at >= $1 and e.paid_at < $2 and ($3::text is null or e.shop = $3)`;

interface ExpectedRow {
  order_id: string;
  shop: string;
  channel: string;
  channel_order_no: string;
  part: PaymentPart;
  payment_no: string | null;
  amount_cents: string;
  paid_at: Date;
  total_cents: string;
  balance_due: boolean;
}

/** The orders (with all their expected payments) among `orderIds`, as plain records. */
export async function loadOrderMoney(db: SqlExecutor, orderIds: readonly string[]): Promise<OrderMoney[]> {
  const { rows } = await db.query(
    `select * from (${EXPECTED_PAYMENTS_SQL}) e where e.order_id = any($1::uuid[]) order by e.order_id, e.part`,
    [orderIds],
  );
  const orders = new Map<string, OrderMoney & { payments: ExpectedPayment[] }>();
  for (const row of rows as ExpectedRow[]) {
    let order = orders.get(row.order_id);
    if (!order) {
      order = {
        orderId: row.order_id,
        shop: row.shop,
        channel: row.channel,
        channelOrderNo: row.channel_order_no,
        currency: 'CNY',
        totalCents: BigInt(row.total_cents),
        payments: [],
        balanceDue: false,
      };
      orders.set(row.order_id, order);
    }
    order.payments.push({
      part: row.part,
      paymentNo: row.payment_no,
      amountCents: BigInt(row.amount_cents),
      paidAt: row.paid_at,
    });
    if (row.balance_due) order.balanceDue = true;
  }
  return [...orders.values()];
}
