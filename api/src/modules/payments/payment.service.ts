import type pg from 'pg';
import type { OrderEvent } from '../../domain/order/order-events.js';
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
  const col = <T>(pick: (r: OrderPaymentRow) => T) => rows.map(pick);
  const inserted = await client.query<{ order_id: string }>(
    `insert into order_payment (order_id, gateway, payment_no, kind, amount_cents, currency, paid_at, event_key,
        recorded_at)
     select t.*, $9::timestamptz
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::timestamptz[],
                   $8::text[]) as t(order_id, gateway, payment_no, kind, amount_cents, currency, paid_at, event_key)
     on conflict (order_id, payment_no, kind) do nothing
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
    ],
  );
  const touched = [...new Set(inserted.rows.map((r) => r.order_id))];
  if (touched.length > 0) await derivePaidFigures(client, touched);
  return inserted.rows.length;
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
