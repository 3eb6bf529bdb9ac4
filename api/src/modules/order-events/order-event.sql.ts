import type pg from 'pg';
import { ORDER_EVENT_TYPES, type OrderEventType } from '../../domain/order/order-events.js';
import type { Channel, OrderState } from '../../domain/order/order-types.js';
import { type OrderColumn, type OrderRowOf, orderColumns } from '../orders/order-row.js';

/** An order row as held, locked, while its events are decided. */
export interface LockedOrder {
  id: string;
  channel: Channel;
  channelOrderNo: string;
  state: OrderState;
  groupId: string | null;
  abnormal: boolean;
}

const LOCKED_COLUMNS = [
  'id',
  'channel',
  'channel_order_no',
  'state',
  'group_id',
  'abnormal',
] as const satisfies readonly OrderColumn[];

/**
 * Finds and locks the referenced orders, in id order so that two calls touching the same orders
 * always queue in the same sequence and never deadlock. Orders outside `allowed` are neither
 * returned nor locked. `FOR UPDATE` returns the latest committed row, so a state written by a
 * call that held the lock before is the state decided on.
 */
export async function lockOrders(
  client: pg.PoolClient,
  ids: readonly string[],
  channelRefs: readonly { channel: Channel; channelOrderNo: string }[],
  allowed: readonly Channel[] | null,
): Promise<LockedOrder[]> {
  const { rows } = await client.query<OrderRowOf<typeof LOCKED_COLUMNS>>(
    `select ${orderColumns(LOCKED_COLUMNS)}
       from orders
      where id = any(array(
              select unnest($1::uuid[])
              union
              select o.id from orders o
                join unnest($2::text[], $3::text[]) as k(channel, no)
                  on o.channel = k.channel and o.channel_order_no = k.no))
        and ($4::text[] is null or channel = any($4::text[]))
      order by id
      for update`,
    [ids, channelRefs.map((r) => r.channel), channelRefs.map((r) => r.channelOrderNo), allowed],
  );
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    channelOrderNo: r.channel_order_no,
    state: r.state,
    groupId: r.group_id,
    abnormal: r.abnormal,
  }));
}

/** Row types that belong to the lifecycle feed; intake, routing and SLA rows are not decided again. */
export const IMPLIED_STEP_TYPE = 'STEP_IMPLIED';
const FEED_TYPES = [...ORDER_EVENT_TYPES, IMPLIED_STEP_TYPE];

/** A stored event of the feed, as it is decided again. */
export interface StoredEvent {
  orderId: string;
  source: string;
  type: OrderEventType;
  idempotencyKey: string;
  occurredAt: Date;
  receivedAt: Date;
  payload: Readonly<Record<string, unknown>>;
}

/** What the history already says about the locked orders and the keys of this call. */
export interface EventFacts {
  /** Outcome already stored, per order id, then per idempotency key. */
  stored: Map<string, Map<string, string>>;
  /** Latest `occurred_at` of an applied (or implied) step, per order. */
  lastApplied: Map<string, Date>;
  /** Latest `occurred_at` of any decided feed row (PENDING ones aside), per order. */
  lastDecided: Map<string, Date>;
  /** Events waiting for their order to catch up, per order. */
  pending: Map<string, StoredEvent[]>;
}

export const factKey = (orderId: string, idempotencyKey: string) => `${orderId} ${idempotencyKey}`;

/**
 * The keys are index probes; the per-order figures read each order's feed rows through the
 * (order_id, occurred_at) index, a few dozen rows at most, so the cost does not grow with the
 * history table. PENDING rows come from their own partial index.
 */
export async function loadEventFacts(
  client: pg.PoolClient,
  orderIds: readonly string[],
  keys: readonly { orderId: string; idempotencyKey: string }[],
): Promise<EventFacts> {
  // One connection runs one statement at a time: three round trips in a row.
  const keyed = await client.query<{ order_id: string; idempotency_key: string; outcome: string }>(
    `select k.order_id, k.key as idempotency_key, e.outcome
         from unnest($1::uuid[], $2::text[]) as k(order_id, key)
         cross join lateral (
           select outcome from order_event
            where order_id = k.order_id and idempotency_key = k.key limit 1) e`,
    [keys.map((k) => k.orderId), keys.map((k) => k.idempotencyKey)],
  );
  const figures = await client.query<{
    order_id: string;
    last_applied: Date | null;
    last_decided: Date | null;
  }>(
    `select o.id as order_id, l.last_applied, l.last_decided
         from unnest($1::uuid[]) as o(id)
         cross join lateral (
           select max(occurred_at) filter (where outcome in ('APPLIED', 'IMPLIED')) as last_applied,
                  max(occurred_at) filter (where outcome <> 'PENDING') as last_decided
             from order_event where order_id = o.id and type = any($2::text[])) l`,
    [orderIds, FEED_TYPES],
  );
  const waiting = await client.query<StoredEventRow>(
    `select ${STORED_COLUMNS} from order_event
        where order_id = any($1::uuid[]) and outcome = 'PENDING'`,
    [orderIds],
  );
  const facts: EventFacts = {
    stored: new Map(),
    lastApplied: new Map(),
    lastDecided: new Map(),
    pending: new Map(),
  };
  for (const row of keyed.rows) {
    const held = facts.stored.get(row.order_id) ?? new Map<string, string>();
    held.set(row.idempotency_key, row.outcome);
    facts.stored.set(row.order_id, held);
  }
  for (const row of figures.rows) {
    if (row.last_applied) facts.lastApplied.set(row.order_id, row.last_applied);
    if (row.last_decided) facts.lastDecided.set(row.order_id, row.last_decided);
  }
  for (const row of waiting.rows) push(facts.pending, row.order_id, storedEvent(row));
  return facts;
}

/** What a stored feed row says, to write only the rows a new decision changes. */
export interface StoredDecision {
  outcome: string;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  occurredAt: Date;
}

/** An order's whole feed, to decide again from the state it had before any of it. */
export interface OrderFeed {
  base: OrderState;
  events: StoredEvent[];
  /** Every feed row as stored, implied steps included, by key. */
  decided: Map<string, StoredDecision>;
}

/**
 * Loads the feed of each order and the state it started from: the state intake created it in,
 * or, for an order with no intake row, the start of the chain of its applied and implied steps
 * (the one `from_state` no step leads to), or the order's own state when nothing has moved it.
 */
export async function loadOrderFeeds(
  client: pg.PoolClient,
  orders: readonly { id: string; state: OrderState }[],
): Promise<Map<string, OrderFeed>> {
  const { rows } = await client.query<
    StoredEventRow & {
      outcome: string;
      from_state: string | null;
      to_state: string | null;
      reason: string | null;
    }
  >(
    `select ${STORED_COLUMNS}, outcome, from_state, to_state, reason from order_event
      where order_id = any($1::uuid[]) and (type = any($2::text[]) or type = 'ORDER_CREATED')
      order by id`,
    [orders.map((o) => o.id), FEED_TYPES],
  );
  const byOrder = new Map<string, typeof rows>();
  for (const row of rows) push(byOrder, row.order_id, row);
  const feeds = new Map<string, OrderFeed>();
  for (const order of orders) {
    const list = byOrder.get(order.id) ?? [];
    const created = list.find((r) => r.type === 'ORDER_CREATED' && r.to_state);
    const steps = list.filter((r) => (r.outcome === 'APPLIED' || r.outcome === 'IMPLIED') && r.from_state);
    const reached = new Set(steps.map((r) => r.to_state));
    const start = steps.find((r) => !reached.has(r.from_state)) ?? steps[0];
    const base = (created?.to_state ?? start?.from_state ?? order.state) as OrderState;
    const feedRows = list.filter((r) => r.type !== 'ORDER_CREATED');
    const events = feedRows.filter((r) => r.type !== IMPLIED_STEP_TYPE).map(storedEvent);
    const decided = new Map(
      feedRows.map((r) => [
        r.idempotency_key,
        {
          outcome: r.outcome,
          fromState: r.from_state,
          toState: r.to_state,
          reason: r.reason,
          occurredAt: r.occurred_at,
        },
      ]),
    );
    feeds.set(order.id, { base, events, decided });
  }
  return feeds;
}

/** Removes feed rows a new decision no longer has (steps no longer implied). */
export async function deleteFeedRows(
  client: pg.PoolClient,
  rows: readonly { orderId: string; idempotencyKey: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `delete from order_event e using unnest($1::uuid[], $2::text[]) as t(order_id, key)
      where e.order_id = t.order_id and e.idempotency_key = t.key`,
    [rows.map((r) => r.orderId), rows.map((r) => r.idempotencyKey)],
  );
}

/**
 * Rewrites stored feed rows whose decision changed when their order's feed was decided again;
 * returns their ids by `factKey`. A stored event keeps its arrival time; a re-sent one takes the new one.
 */
export async function reviseHistory(
  client: pg.PoolClient,
  rows: readonly HistoryRow[],
): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const col = <T>(pick: (r: HistoryRow) => T) => rows.map(pick);
  const result = await client.query<{ id: string; order_id: string; idempotency_key: string }>(
    `update order_event e
        set outcome = t.outcome, from_state = t.from_state, to_state = t.to_state, reason = t.reason,
            occurred_at = t.occurred_at, received_at = t.received_at, payload = t.payload
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
                   $8::jsonb[], $9::timestamptz[])
         as t(order_id, key, outcome, from_state, to_state, reason, occurred_at, payload, received_at)
      where e.order_id = t.order_id and e.idempotency_key = t.key
     returning e.id, e.order_id, e.idempotency_key`,
    [
      col((r) => r.orderId),
      col((r) => r.idempotencyKey),
      col((r) => r.outcome),
      col((r) => r.fromState),
      col((r) => r.toState),
      col((r) => r.reason),
      col((r) => r.occurredAt.toISOString()),
      col((r) => JSON.stringify(r.payload)),
      col((r) => r.receivedAt.toISOString()),
    ],
  );
  return new Map(result.rows.map((r) => [factKey(r.order_id, r.idempotency_key), String(r.id)]));
}

type StoredEventRow = {
  order_id: string;
  source: string;
  type: string;
  idempotency_key: string;
  occurred_at: Date;
  received_at: Date;
  payload: Record<string, unknown>;
};
const STORED_COLUMNS = 'order_id, source, type, idempotency_key, occurred_at, received_at, payload';

const storedEvent = (row: StoredEventRow): StoredEvent => ({
  orderId: row.order_id,
  source: row.source,
  type: row.type as OrderEventType,
  idempotencyKey: row.idempotency_key,
  occurredAt: row.occurred_at,
  receivedAt: row.received_at,
  payload: row.payload ?? {},
});

function push<T>(map: Map<string, T[]>, key: string, value: T) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** One history row to write. */
export interface HistoryRow {
  orderId: string;
  source: string;
  type: string;
  idempotencyKey: string;
  occurredAt: Date;
  receivedAt: Date;
  outcome: string;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  payload: Readonly<Record<string, unknown>>;
}

/**
 * Appends history rows in one statement and returns their ids by `factKey`. A key held by an
 * earlier REJECTED, PENDING or IMPLIED row is decided again (the order may have caught up
 * since): that row is replaced by the new decision; any other stored key never reaches here.
 */
export async function insertHistory(
  client: pg.PoolClient,
  rows: readonly HistoryRow[],
): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const col = <T>(pick: (r: HistoryRow) => T) => rows.map(pick);
  const result = await client.query<{ id: string; order_id: string; idempotency_key: string }>(
    `insert into order_event (order_id, source, type, idempotency_key, occurred_at, received_at, outcome,
        from_state, to_state, reason, payload)
     select t.order_id, t.source, t.type, t.key, t.occurred_at, t.received_at, t.outcome, t.from_state, t.to_state,
            t.reason, t.payload
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[],
                   $8::text[], $9::text[], $10::text[], $11::jsonb[])
         as t(order_id, source, type, key, occurred_at, received_at, outcome, from_state, to_state, reason, payload)
     on conflict (order_id, idempotency_key) do update set
        source = excluded.source, type = excluded.type, occurred_at = excluded.occurred_at,
        received_at = excluded.received_at, outcome = excluded.outcome, from_state = excluded.from_state,
        to_state = excluded.to_state, reason = excluded.reason, payload = excluded.payload
      where order_event.outcome in ('REJECTED', 'PENDING', 'IMPLIED')
     returning id, order_id, idempotency_key`,
    [
      col((r) => r.orderId),
      col((r) => r.source),
      col((r) => r.type),
      col((r) => r.idempotencyKey),
      col((r) => r.occurredAt.toISOString()),
      col((r) => r.receivedAt.toISOString()),
      col((r) => r.outcome),
      col((r) => r.fromState),
      col((r) => r.toState),
      col((r) => r.reason),
      col((r) => JSON.stringify(r.payload)),
    ],
  );
  return new Map(result.rows.map((r) => [factKey(r.order_id, r.idempotency_key), String(r.id)]));
}
