import type pg from 'pg';
import type { Channel, OrderState } from '../../domain/order/order-types.js';

/** An order row as held, locked, while its events are decided. */
export interface LockedOrder {
  id: string;
  channel: Channel;
  channelOrderNo: string;
  state: OrderState;
  groupId: string | null;
  abnormal: boolean;
}

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
  const { rows } = await client.query<{
    id: string;
    channel: Channel;
    channel_order_no: string;
    state: OrderState;
    group_id: string | null;
    abnormal: boolean;
  }>(
    `select id, channel, channel_order_no, state, group_id, abnormal
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

/** What the history already says about the locked orders and the keys of this call. */
export interface EventFacts {
  /** Outcome already stored, per order id, then per idempotency key. */
  stored: Map<string, Map<string, string>>;
  /** Latest `occurred_at` of an applied event, per order. */
  lastApplied: Map<string, Date>;
}

export const factKey = (orderId: string, idempotencyKey: string) => `${orderId} ${idempotencyKey}`;

/**
 * Both lookups are index probes per key and per order: the `limit` keeps each lateral subquery
 * from being turned into a join over the whole history, whatever the table statistics say, so
 * the cost does not grow with the history table.
 */
export async function loadEventFacts(
  client: pg.PoolClient,
  orderIds: readonly string[],
  keys: readonly { orderId: string; idempotencyKey: string }[],
): Promise<EventFacts> {
  const { rows } = await client.query<{
    order_id: string;
    idempotency_key: string | null;
    outcome: string | null;
    last_applied: Date | null;
  }>(
    `select k.order_id, k.key as idempotency_key, e.outcome, null::timestamptz as last_applied
       from unnest($2::uuid[], $3::text[]) as k(order_id, key)
       cross join lateral (
         select outcome from order_event
          where order_id = k.order_id and idempotency_key = k.key limit 1) e
     union all
     select o.id, null, null, l.occurred_at
       from unnest($1::uuid[]) as o(id)
       cross join lateral (
         select occurred_at from order_event
          where order_id = o.id and outcome = 'APPLIED'
          order by occurred_at desc limit 1) l`,
    [orderIds, keys.map((k) => k.orderId), keys.map((k) => k.idempotencyKey)],
  );
  const facts: EventFacts = { stored: new Map(), lastApplied: new Map() };
  for (const row of rows) {
    if (row.last_applied) facts.lastApplied.set(row.order_id, row.last_applied);
    else if (row.idempotency_key !== null && row.outcome !== null) {
      const held = facts.stored.get(row.order_id) ?? new Map<string, string>();
      held.set(row.idempotency_key, row.outcome);
      facts.stored.set(row.order_id, held);
    }
  }
  return facts;
}

/** One history row to write. */
export interface HistoryRow {
  orderId: string;
  source: string;
  type: string;
  idempotencyKey: string;
  occurredAt: Date;
  outcome: string;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  payload: Readonly<Record<string, unknown>>;
}

/**
 * Appends history rows in one statement and returns their ids by `factKey`. A key held by an
 * earlier REJECTED row is decided again (the order may have caught up since): that row is
 * replaced by the new decision; any other stored key never reaches this point.
 */
export async function insertHistory(
  client: pg.PoolClient,
  rows: readonly HistoryRow[],
  receivedAt: Date,
): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const col = <T>(pick: (r: HistoryRow) => T) => rows.map(pick);
  const result = await client.query<{ id: string; order_id: string; idempotency_key: string }>(
    `insert into order_event (order_id, source, type, idempotency_key, occurred_at, received_at, outcome,
        from_state, to_state, reason, payload)
     select t.order_id, t.source, t.type, t.key, t.occurred_at, $6, t.outcome, t.from_state, t.to_state,
            t.reason, t.payload
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::jsonb[])
         as t(order_id, source, type, key, occurred_at, outcome, from_state, to_state, reason, payload)
     on conflict (order_id, idempotency_key) do update set
        source = excluded.source, type = excluded.type, occurred_at = excluded.occurred_at,
        received_at = excluded.received_at, outcome = excluded.outcome, from_state = excluded.from_state,
        to_state = excluded.to_state, reason = excluded.reason, payload = excluded.payload
      where order_event.outcome = 'REJECTED'
     returning id, order_id, idempotency_key`,
    [
      col((r) => r.orderId),
      col((r) => r.source),
      col((r) => r.type),
      col((r) => r.idempotencyKey),
      col((r) => r.occurredAt.toISOString()),
      receivedAt.toISOString(),
      col((r) => r.outcome),
      col((r) => r.fromState),
      col((r) => r.toState),
      col((r) => r.reason),
      col((r) => JSON.stringify(r.payload)),
    ],
  );
  return new Map(result.rows.map((r) => [factKey(r.order_id, r.idempotency_key), String(r.id)]));
}

/** The new state of an order whose events moved it, with the states it entered and when. */
export interface StateChange {
  orderId: string;
  state: OrderState;
  entered: Partial<Record<OrderState, string>>;
}

/** Writes the new states in one statement; one version step per order per call. */
export async function updateStates(
  client: pg.PoolClient,
  changes: readonly StateChange[],
  receivedAt: Date,
): Promise<void> {
  if (changes.length === 0) return;
  await client.query(
    `update orders o
        set state = t.state, state_entered_at = o.state_entered_at || t.entered,
            version = o.version + 1, updated_at = $4
       from unnest($1::uuid[], $2::text[], $3::jsonb[]) as t(id, state, entered)
      where o.id = t.id`,
    [
      changes.map((c) => c.orderId),
      changes.map((c) => c.state),
      changes.map((c) => JSON.stringify(c.entered)),
      receivedAt.toISOString(),
    ],
  );
}
