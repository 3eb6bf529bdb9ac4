import type pg from 'pg';
import type { NormalizedOrder } from '../../domain/intake/normalized-order.js';
import type { OrderEvent } from '../../domain/order/order-events.js';
import { channelPaymentFacts, unnamedChannelPaymentNo } from '../../domain/payments/channel-payments.js';
import { type PaymentFact, readPaymentFact } from '../../domain/payments/payment-event.js';
import { derivePaidFigures } from '../orders/order-store.js';

export interface OrderPaymentRow extends PaymentFact {
  orderId: string;
  eventKey: string;
}

/**
 * Records the money facts of payment events in the ledger and derives the orders' paid figures
 * from it, in the caller's transaction: `paid_cents` is the sum of payments less refunds, and
 * `paid_at` the time of the first payment. A payment already recorded (same order, payment number
 * and kind) is not counted twice, whichever event reported it. The events were checked with
 * `readPaymentFact` when parsed; events without an amount carry no money and are skipped. The
 * paid figures are written by the orders module (`derivePaidFigures`), which owns the order row.
 */
export async function recordPaymentEvents(
  client: pg.PoolClient,
  events: readonly { orderId: string; event: OrderEvent }[],
  receivedAt: Date,
): Promise<number> {
  const rows: OrderPaymentRow[] = [];
  for (const { orderId, event } of events) {
    const fact = readPaymentFact(event);
    if (fact.ok && fact.value) rows.push({ ...fact.value, orderId, eventKey: event.idempotencyKey });
  }
  if (rows.length === 0) return 0;
  const inserted = await insertPayments(client, rows, receivedAt, false);
  const touched = [...new Set(inserted)];
  if (touched.length > 0) await derivePaidFigures(client, touched);
  return inserted.length;
}

/**
 * Records the payments a channel's order payload reports (see `channelPaymentFacts`) for orders
 * intake just created or updated, in intake's transaction. A payment the payload does not number
 * is kept under a placeholder until a numbered payment of the same kind arrives — from a later
 * payload or a payment event — and takes its place, so the money counts once whichever way it was
 * reported; a kind already recorded by an event is not recorded again. A newer payload corrects
 * the amount and time of the payments it reported itself, never those an event reported. The
 * order's paid figures stay as the payload gave them.
 */
export async function recordChannelPayments(
  client: pg.PoolClient,
  orders: readonly { orderId: string; order: NormalizedOrder; created: boolean }[],
  receivedAt: Date,
): Promise<number> {
  const rows: OrderPaymentRow[] = [];
  // An order created in this transaction has nothing in the ledger yet: no placeholder to replace.
  const fresh = new Set<string>();
  for (const { orderId, order, created } of orders) {
    for (const fact of channelPaymentFacts(order)) rows.push({ ...fact, orderId });
    if (created) fresh.add(orderId);
  }
  if (rows.length === 0) return 0;
  return (await insertPayments(client, rows, receivedAt, true, fresh)).length;
}

/**
 * Inserts ledger rows; a numbered payment first removes the unnumbered placeholder of its order and
 * kind. Returns the order of each row written.
 */
async function insertPayments(
  client: pg.PoolClient,
  rows: readonly OrderPaymentRow[],
  receivedAt: Date,
  fromChannel: boolean,
  /** Orders known to have no ledger rows yet (created in this transaction). */
  fresh: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const col = <T>(pick: (r: OrderPaymentRow) => T) => rows.map(pick);
  const named = rows.filter(
    (r) => r.kind !== 'REFUND' && r.paymentNo !== unnamedChannelPaymentNo(r.kind) && !fresh.has(r.orderId),
  );
  if (named.length > 0)
    await client.query(
      `delete from order_payment p using unnest($1::uuid[], $2::text[]) as t(order_id, kind)
        where p.order_id = t.order_id and p.kind = t.kind and p.payment_no = 'channel-payload:' || t.kind
          and p.event_key = p.payment_no`,
      [named.map((r) => r.orderId), named.map((r) => r.kind)],
    );
  const inserted = await client.query<{ order_id: string }>(
    `insert into order_payment as p (order_id, gateway, payment_no, kind, amount_cents, currency, paid_at, event_key,
        recorded_at)
     select t.*, $9::timestamptz
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[],
                   $8::text[]) as t(order_id, gateway, payment_no, kind, amount_cents, currency, paid_at, event_key)
      where not ($10 and t.payment_no = 'channel-payload:' || t.kind
                 and exists (select 1 from order_payment q where q.order_id = t.order_id and q.kind = t.kind
                                and q.payment_no <> t.payment_no))
     on conflict (order_id, payment_no, kind) do ${
       fromChannel
         ? `update set amount_cents = excluded.amount_cents, paid_at = excluded.paid_at, event_key = excluded.event_key
             where p.event_key like 'channel-payload:%'
               and (p.amount_cents, p.paid_at) is distinct from (excluded.amount_cents, excluded.paid_at)`
         : 'nothing'
     }
     returning order_id`,
    [
      col((r) => r.orderId),
      col((r) => r.gateway),
      col((r) => r.paymentNo),
      col((r) => r.kind),
      col((r) => r.amountCents),
      col((r) => r.currency),
      col((r) => r.paidAt.toISOString()),
      col((r) => r.eventKey),
      receivedAt.toISOString(),
      fromChannel,
    ],
  );
  return inserted.rows.map((r) => r.order_id);
}

/** The ledger rows of each order, oldest first. */
export async function loadPayments(
  pool: pg.Pool,
  orderIds: readonly string[],
): Promise<Map<string, OrderPaymentRow[]>> {
  const { rows } = await pool.query<{
    order_id: string;
    gateway: string;
    payment_no: string;
    kind: PaymentFact['kind'];
    amount_cents: string;
    currency: string;
    paid_at: Date;
    event_key: string;
  }>(
    `select order_id, gateway, payment_no, kind, amount_cents, currency, paid_at, event_key
       from order_payment where order_id = any($1::uuid[]) order by paid_at, id`,
    [orderIds],
  );
  const byOrder = new Map<string, OrderPaymentRow[]>(orderIds.map((id) => [id, []]));
  for (const r of rows)
    byOrder.get(r.order_id)?.push({
      orderId: r.order_id,
      gateway: r.gateway,
      paymentNo: r.payment_no,
      kind: r.kind,
      amountCents: String(r.amount_cents),
      currency: r.currency,
      paidAt: r.paid_at,
      eventKey: r.event_key,
    });
  return byOrder;
}
