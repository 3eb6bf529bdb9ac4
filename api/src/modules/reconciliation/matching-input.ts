import { type MatchingInput, orderKey } from '../../domain/reconciliation/matching.js';
import type {
  Gateway,
  MoneyKind,
  MoneyRecord,
  PaymentPart,
} from '../../domain/reconciliation/reconciliation-types.js';
import type { SqlExecutor } from '../../infra/outbox/outbox.js';
import { loadOrderMoney, ORDERS_IN_SCOPE_SQL } from './order-money.source.js';
import type { RunScope } from './reconciliation-run.sql.js';

interface RecordRow {
  id: string;
  kind: MoneyKind;
  gateway: Gateway;
  record_no: string;
  payment_no: string | null;
  channel: string;
  merchant_order_no: string | null;
  part: PaymentPart | null;
  amount_cents: string;
  fee_cents: string | null;
  currency: 'CNY';
  occurred_at: Date;
}

export const toMoneyRecord = (r: RecordRow): MoneyRecord => ({
  id: r.id,
  kind: r.kind,
  gateway: r.gateway,
  recordNo: r.record_no,
  paymentNo: r.payment_no,
  channel: r.channel,
  merchantOrderNo: r.merchant_order_no,
  part: r.part,
  amountCents: BigInt(r.amount_cents),
  feeCents: r.fee_cents === null ? null : BigInt(r.fee_cents),
  currency: r.currency,
  occurredAt: r.occurred_at,
});

/**
 * Loads one pass's scope as plain records for the pure rules: the same scope the set-wise run
 * takes (orders paid in the days and shop, their payment and refund records whatever the day,
 * and the records of the days), so both can be compared.
 */
export async function loadMatchingInput(db: SqlExecutor, scope: RunScope): Promise<MatchingInput> {
  const ids = (await db.query(ORDERS_IN_SCOPE_SQL, [scope.from, scope.to, scope.shop])).rows.map(
    (r) => (r as { id: string }).id,
  );
  const orders = await loadOrderMoney(db, ids);
  const { rows } = await db.query(
    `select r.* from money_record r
      where r.kind in ('PAYMENT', 'REFUND')
        and ((r.channel, r.merchant_order_no) in (select o.channel, o.channel_order_no from orders o where o.id = any($4::uuid[]))
             or (r.occurred_at >= $1 and r.occurred_at < $2 and ($3::text is null or r.channel = $3)))`,
    [scope.from, scope.to, scope.shop, ids],
  );
  const records = (rows as RecordRow[]).map(toMoneyRecord);
  const others = await db.query(
    `select o.channel, o.channel_order_no from orders o
      where (o.channel, o.channel_order_no) in (select * from unnest($1::text[], $2::text[]))
        and not (o.id = any($3::uuid[]))`,
    [records.map((r) => r.channel), records.map((r) => r.merchantOrderNo), ids],
  );
  return {
    orders,
    records,
    otherOrderKeys: new Set(
      (others.rows as { channel: string; channel_order_no: string }[]).map((o) =>
        orderKey(o.channel, o.channel_order_no),
      ),
    ),
  };
}
