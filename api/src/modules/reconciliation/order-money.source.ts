import type {
  ExpectedPayment,
  OrderMoney,
  PaymentPart,
} from '../../domain/reconciliation/reconciliation-types.js';
import type { SqlExecutor } from '../../infra/outbox/outbox.js';

/**
 * The order side of reconciliation — what money each order should bring in — read from one place:
 * the payments ledger `order_payment` (owned by the payments module; intake records what a
 * channel's payload reports, payment events what gateways report), joined to `orders` for the
 * order number and total. Refunds there are not expected payments.
 *
 * `expectedPaymentsSql(filter, orders)` is a query with one row per expected payment (order, part):
 * order_id, shop, channel, channel_order_no, part, payment_no, amount_cents, paid_at, total_cents,
 * balance_due, and any `extra` columns of the order relation `o`. `filter` is a condition on the
 * ledger row `p` applied before rows are grouped, so a run reads only its own orders; `orders` is
 * `orders` or a relation with its columns `id` (its primary key), `channel`, `channel_order_no` and
 * `total_cents` (a run's orders in scope). Several payments of one part (a split payment) are one
 * expected payment of their sum, paid when the first was, under the payment number when there is
 * one. A payment recorded without a number (its payment number is its event key) expects none. A
 * deposit without a balance leaves the balance due. A shop is a channel today.
 */
export const expectedPaymentsSql = (filter = 'true', orders = 'orders', extra = '') => `
  select p.order_id, o.channel as shop, o.channel, o.channel_order_no, p.kind as part,
         case when count(*) = 1 then min(nullif(p.payment_no, p.event_key)) end as payment_no,
         sum(p.amount_cents)::bigint as amount_cents, min(p.paid_at) as paid_at, o.total_cents::bigint as total_cents,
         p.kind = 'DEPOSIT'
           and not exists (select 1 from order_payment b where b.order_id = p.order_id and b.kind = 'BALANCE') as balance_due${extra}
    from order_payment p
    join ${orders} o on o.id = p.order_id
   where p.kind in ('FULL', 'DEPOSIT', 'BALANCE') and (${filter})
   group by p.order_id, p.kind, o.id`;

/** Every expected payment of every order (for a baseline over the same tables). */
export const EXPECTED_PAYMENTS_SQL = expectedPaymentsSql();

/**
 * The orders with a payment in `[from, to)` (in `shop`, or all shops when null): id, channel,
 * channel_order_no, total_cents, and the time of its first payment in that range.
 */
export const ORDERS_IN_SCOPE_SQL = `
  select o.id, o.channel, o.channel_order_no, o.total_cents, min(p.paid_at) as first_paid_at
    from order_payment p
    join orders o on o.id = p.order_id
   where p.kind in ('FULL', 'DEPOSIT', 'BALANCE') and p.paid_at >= $1 and p.paid_at < $2
     and ($3::text is null or o.channel = $3)
   group by o.id`;

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
    `select * from (${expectedPaymentsSql('p.order_id = any($1::uuid[])')}) e order by e.order_id, e.part`,
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
