import type pg from 'pg';
import type { NormalizedOrder } from '../../domain/intake/normalized-order.js';
import type { FieldError } from '../../domain/shared/result.js';
import { inTransaction } from '../../infra/db/transaction.js';
import { enqueueOutbox } from '../../infra/outbox/outbox.js';
import { type LiveEvent, liveEventsEntry } from '../../infra/pubsub/live-events.js';
import { recordChannelPayments } from '../payments/payment.service.js';
import {
  decisionTable,
  type IntakeRoutingPlan,
  type OrderRoutingDecision,
} from '../routing/routing-decision.js';

export type IntakeOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

export interface IntakeResult {
  orderId: string;
  channel: string;
  channelOrderNo: string;
  outcome: IntakeOutcome;
  state: string;
}

/**
 * Writes normalised orders to the pool in one transaction per call: new orders are created with
 * their initial state and a history row; a re-sent order updates its data only when the payload
 * is newer than the one held (its state moves only through lifecycle events, never backwards
 * here). Every created or updated order produces an `order.updated` outbox message, and the
 * payments its payload reports are recorded in the payments ledger (`order_payment`).
 *
 * With `routing`, each order is written with its region, address parse, group, owner, hold reason,
 * rule and reason; a re-sent order keeps its group and takes the new routing only when it has no
 * group yet. The plan's statistics are recorded in the same transaction.
 */
export async function ingestOrders(
  pool: pg.Pool,
  orders: readonly NormalizedOrder[],
  receivedAt: Date,
  routing?: IntakeRoutingPlan,
  options: IngestOptions = {},
): Promise<IntakeResult[]> {
  if (orders.length === 0) return [];
  return inTransaction(pool, async (client) => {
    const upserted = await upsertOrders(
      client,
      orders,
      receivedAt,
      routing?.decisions,
      options.backfill ?? false,
    );
    const changed = upserted.filter((row) => row.outcome !== 'UNCHANGED');
    if (options.warnings) await appendWarnings(client, upserted, options.warnings, receivedAt);
    await recordChannelPayments(
      client,
      upserted.flatMap((row, index) =>
        row.outcome === 'UNCHANGED'
          ? []
          : [{ orderId: row.orderId, order: orders[index], created: row.outcome === 'CREATED' }],
      ),
      receivedAt,
    );
    await enqueueOutbox(client, liveEventsEntry('ORDER_UPDATED', changed.map(orderUpdatedEvent(receivedAt))));
    if (routing) {
      const written = upserted.flatMap((row, index) =>
        row.outcome === 'UNCHANGED'
          ? []
          : [{ index, channel: row.channel, outcome: row.outcome, routed: row.routedNow }],
      );
      await routing.record(client, written);
    }
    return upserted;
  });
}

export interface IngestOptions {
  /**
   * The orders are history (an import, a catch-up after an outage): new ones are marked so that
   * SLA deadlines already past when they arrive remind nobody. A re-sent order keeps its mark.
   * @default false
   */
  backfill?: boolean;
  /**
   * One list per order (figures a channel may legitimately have, unknown fields): each created or
   * updated order with any gets an `INTAKE_WARNING` row in its history, so a person sees them in
   * the timeline, not only the caller in the answer. @default none
   */
  warnings?: readonly (readonly FieldError[])[];
}

interface UpsertedRow extends IntakeResult {
  previousState: string | null;
  groupId: string | null;
  abnormal: boolean;
  sourceUpdatedAt: Date;
  /** This write placed the order in its group. */
  routedNow: boolean;
}

async function upsertOrders(
  client: pg.PoolClient,
  orders: readonly NormalizedOrder[],
  receivedAt: Date,
  decisions: readonly OrderRoutingDecision[] | undefined,
  backfill: boolean,
): Promise<UpsertedRow[]> {
  // Last write wins inside one call, so a batch holding the same order twice stays one row.
  const latest = new Map<string, NormalizedOrder>();
  for (const order of orders) {
    const key = `${order.channel}\u0000${order.channelOrderNo}`;
    const held = latest.get(key);
    if (!held || held.sourceUpdatedAt < order.sourceUpdatedAt) latest.set(key, order);
  }
  const rows = [...latest.values()];
  const col = <T>(pick: (o: NormalizedOrder) => T) => rows.map(pick);
  const decisionOf = new Map<NormalizedOrder, OrderRoutingDecision>();
  if (decisions) for (const [i, order] of orders.entries()) decisionOf.set(order, decisions[i]);
  const routing = decisionTable(rows.map((o) => decisionOf.get(o)));
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const result = await client.query<{
    id: string;
    channel: string;
    channel_order_no: string;
    state: string;
    inserted: boolean;
    group_id: string | null;
    abnormal: boolean;
    source_updated_at: Date;
    routed_now: boolean;
  }>(
    // Each order this statement writes gets its history row in the same statement (HISTORY_OF_WRITTEN).
    `with written as (
     insert into orders (channel, channel_order_no, business_type, state, channel_status, ordered_at, paid_at,
        source_updated_at, goods_cents, shipping_cents, total_cents, paid_cents, presale, buyer_name, buyer_phone,
        address, items, payment_no, state_entered_at, created_at, updated_at, region, address_parse, group_id,
        owner_id, hold_reason, routing_rule_id, routing_reason, routed_at, promised_delivery_at,
        promised_delivery_source, backfill)
     select t.channel, t.no, t.business_type, t.state, t.channel_status, t.ordered_at, t.paid_at, t.source_updated_at,
            t.goods, t.shipping, t.total, t.paid, t.presale, t.buyer_name, t.buyer_phone, t.address, t.items,
            t.payment_no, jsonb_build_object(t.state, $19::timestamptz), $19, $19, d.region, d.address_parse,
            d.group_id, d.owner_id, d.hold_reason, d.rule_id, d.reason,
            case when d.group_id is not null then $19::timestamptz end, t.promised_delivery_at,
            case when t.promised_delivery_at is not null then 'CHANNEL' end, $29::boolean
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                   $8::timestamptz[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::jsonb[],
                   $14::text[], $15::text[], $16::jsonb[], $17::jsonb[], $18::text[], $20::int[], $28::timestamptz[])
         as t(channel, no, business_type, state, channel_status, ordered_at, paid_at, source_updated_at, goods,
              shipping, total, paid, presale, buyer_name, buyer_phone, address, items, payment_no, decision,
              promised_delivery_at)
       left join unnest($21::jsonb[], $22::jsonb[], $23::text[], $24::text[], $25::text[], $26::text[], $27::text[])
         with ordinality as d(region, address_parse, group_id, owner_id, hold_reason, rule_id, reason, n)
         on d.n = t.decision
     on conflict (channel, channel_order_no) do update set
        business_type = excluded.business_type, channel_status = excluded.channel_status,
        paid_at = coalesce(excluded.paid_at, orders.paid_at), source_updated_at = excluded.source_updated_at,
        goods_cents = excluded.goods_cents, shipping_cents = excluded.shipping_cents,
        total_cents = excluded.total_cents, paid_cents = excluded.paid_cents, presale = excluded.presale,
        buyer_name = excluded.buyer_name, buyer_phone = excluded.buyer_phone, address = excluded.address,
        items = excluded.items, payment_no = coalesce(excluded.payment_no, orders.payment_no),
        promised_delivery_at = coalesce(excluded.promised_delivery_at, orders.promised_delivery_at),
        promised_delivery_source = coalesce(excluded.promised_delivery_source, orders.promised_delivery_source),
        region = case when excluded.address_parse is null then orders.region else excluded.region end,
        address_parse = coalesce(excluded.address_parse, orders.address_parse),
        group_id = case when ${TAKES_ROUTING} then excluded.group_id else orders.group_id end,
        owner_id = case when ${TAKES_ROUTING} then excluded.owner_id else orders.owner_id end,
        hold_reason = case when ${TAKES_ROUTING} then excluded.hold_reason else orders.hold_reason end,
        routing_rule_id = case when ${TAKES_ROUTING} then excluded.routing_rule_id else orders.routing_rule_id end,
        routing_reason = case when ${TAKES_ROUTING} then excluded.routing_reason else orders.routing_reason end,
        routed_at = case when ${TAKES_ROUTING} then excluded.routed_at else orders.routed_at end,
        updated_at = $19, version = orders.version + 1
      where orders.source_updated_at < excluded.source_updated_at and (${DATA_CHANGED} or ${ROUTING_CHANGED})
     returning id, channel, channel_order_no, state, (xmax = 0) as inserted, group_id, abnormal, source_updated_at,
               (group_id is not null and routed_at = $19::timestamptz) as routed_now
     ), history as (${HISTORY_OF_WRITTEN})
     select * from written`,
    [
      col((o) => o.channel),
      col((o) => o.channelOrderNo),
      col((o) => o.businessType),
      col((o) => o.state),
      col((o) => o.channelStatus),
      col((o) => iso(o.createdAt)),
      col((o) => iso(o.paidAt)),
      col((o) => iso(o.sourceUpdatedAt)),
      col((o) => o.goodsCents),
      col((o) => o.shippingCents),
      col((o) => o.totalCents),
      col((o) => o.paidCents),
      col((o) => (o.presale ? JSON.stringify(o.presale) : null)),
      col((o) => o.buyer.name),
      col((o) => o.buyer.phone),
      col((o) => JSON.stringify(o.address)),
      col((o) => JSON.stringify(o.items)),
      col((o) => o.paymentNo),
      receivedAt.toISOString(),
      routing.positions,
      ...routing.columns,
      col((o) => iso(o.promisedDeliveryAt ?? null)),
      backfill,
    ],
  );
  const written = new Map(result.rows.map((r) => [`${r.channel}\u0000${r.channel_order_no}`, r]));
  const unchanged = rows.filter((o) => !written.has(`${o.channel}\u0000${o.channelOrderNo}`));
  const held =
    unchanged.length > 0
      ? await loadHeld(client, unchanged)
      : new Map<string, { id: string; state: string }>();
  return orders.map((order) => {
    const key = `${order.channel}\u0000${order.channelOrderNo}`;
    const row = written.get(key);
    if (row && latest.get(key) === order) {
      return {
        orderId: row.id,
        channel: row.channel,
        channelOrderNo: row.channel_order_no,
        outcome: row.inserted ? 'CREATED' : 'UPDATED',
        state: row.state,
        previousState: row.inserted ? null : row.state,
        groupId: row.group_id,
        abnormal: row.abnormal,
        sourceUpdatedAt: row.source_updated_at,
        routedNow: row.routed_now,
      };
    }
    const other = row ?? held.get(key);
    return {
      orderId: other ? ('id' in other ? other.id : '') : '',
      channel: order.channel,
      channelOrderNo: order.channelOrderNo,
      outcome: 'UNCHANGED',
      state: other?.state ?? order.state,
      previousState: other?.state ?? null,
      groupId: null,
      abnormal: false,
      sourceUpdatedAt: order.sourceUpdatedAt,
      routedNow: false,
    };
  });
}

/** A newer payload counts as a change only when it changes what is stored (UPDATED means that). */
const DATA_CHANGED = `(orders.business_type, orders.channel_status, orders.goods_cents, orders.shipping_cents,
    orders.total_cents, orders.paid_cents, orders.presale, orders.buyer_name, orders.buyer_phone, orders.address,
    orders.items, orders.payment_no, orders.paid_at, orders.promised_delivery_at, orders.promised_delivery_source)
  is distinct from (excluded.business_type, excluded.channel_status, excluded.goods_cents, excluded.shipping_cents,
    excluded.total_cents, excluded.paid_cents, excluded.presale, excluded.buyer_name, excluded.buyer_phone,
    excluded.address, excluded.items, coalesce(excluded.payment_no, orders.payment_no),
    coalesce(excluded.paid_at, orders.paid_at), coalesce(excluded.promised_delivery_at, orders.promised_delivery_at),
    coalesce(excluded.promised_delivery_source, orders.promised_delivery_source))`;

/** A re-sent order takes the new routing only when routing ran and the order has no group yet. */
const TAKES_ROUTING = 'excluded.address_parse is not null and orders.group_id is null';

/** Routing again changed where the order goes or why it is held. */
const ROUTING_CHANGED = `(${TAKES_ROUTING} and (excluded.group_id, excluded.owner_id, excluded.hold_reason,
    excluded.routing_rule_id) is distinct from (orders.group_id, orders.owner_id, orders.hold_reason,
    orders.routing_rule_id))`;

async function loadHeld(client: pg.PoolClient, orders: readonly NormalizedOrder[]) {
  const { rows } = await client.query<{
    id: string;
    channel: string;
    channel_order_no: string;
    state: string;
  }>(
    `select o.id, o.channel, o.channel_order_no, o.state from orders o
       join unnest($1::text[], $2::text[]) as k(channel, no) on o.channel = k.channel and o.channel_order_no = k.no`,
    [orders.map((o) => o.channel), orders.map((o) => o.channelOrderNo)],
  );
  return new Map(rows.map((r) => [`${r.channel}\u0000${r.channel_order_no}`, { id: r.id, state: r.state }]));
}

/**
 * The history row of each order the upsert wrote: ORDER_CREATED (APPLIED, to its initial state) or
 * ORDER_DATA_UPDATED (RECORDED), keyed `channel:<source time, ISO 8601 UTC with milliseconds>` as
 * JavaScript's `toISOString` writes it, so a repeated write of the same payload adds no row.
 * Built from the upsert's own RETURNING rows: no second round trip, no arrays sent twice.
 */
const HISTORY_OF_WRITTEN = `insert into order_event (order_id, source, type, idempotency_key, occurred_at, received_at,
        outcome, from_state, to_state)
     select w.id, 'CHANNEL', case when w.inserted then 'ORDER_CREATED' else 'ORDER_DATA_UPDATED' end,
            'channel:' || to_char(w.source_updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
            w.source_updated_at, $19::timestamptz, case when w.inserted then 'APPLIED' else 'RECORDED' end, null,
            case when w.inserted then w.state end
       from written w
     on conflict (order_id, idempotency_key) do nothing`;

/** Longest reason written for an intake warning row; the payload keeps every warning. */
const MAX_WARNING_REASON = 500;

async function appendWarnings(
  client: pg.PoolClient,
  rows: readonly UpsertedRow[],
  warnings: readonly (readonly FieldError[])[],
  receivedAt: Date,
) {
  const noted = rows.flatMap((row, i) =>
    row.outcome !== 'UNCHANGED' && row.orderId !== '' && (warnings[i]?.length ?? 0) > 0
      ? [{ row, warnings: warnings[i] }]
      : [],
  );
  if (noted.length === 0) return;
  await client.query(
    `insert into order_event (order_id, source, type, idempotency_key, occurred_at, received_at, outcome, reason, payload)
     select t.order_id, 'CHANNEL', 'INTAKE_WARNING', t.key, t.occurred_at, $5, 'RECORDED', t.reason, t.payload
       from unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $6::jsonb[])
         as t(order_id, key, occurred_at, reason, payload)
     on conflict (order_id, idempotency_key) do nothing`,
    [
      noted.map((n) => n.row.orderId),
      noted.map((n) => `intake-warning:${n.row.sourceUpdatedAt.toISOString()}`),
      noted.map((n) => n.row.sourceUpdatedAt.toISOString()),
      noted.map((n) =>
        n.warnings
          .map((w) => `${w.code} ${w.field}`)
          .join('; ')
          .slice(0, MAX_WARNING_REASON),
      ),
      receivedAt.toISOString(),
      noted.map((n) => JSON.stringify({ warnings: n.warnings })),
    ],
  );
}

const orderUpdatedEvent =
  (receivedAt: Date) =>
  (row: UpsertedRow): LiveEvent<'ORDER_UPDATED'> => ({
    orderId: row.orderId,
    channel: row.channel,
    channelOrderNo: row.channelOrderNo,
    state: row.state,
    previousState: row.previousState,
    groupId: row.groupId,
    abnormal: row.abnormal,
    occurredAt: receivedAt.toISOString(),
  });
