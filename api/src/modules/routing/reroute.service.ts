import type pg from 'pg';
import type { Channel } from '../../domain/order/order-types.js';
import { enqueueOutbox, type OutboxEntry } from '../../infra/outbox/outbox.js';
import { type OrderColumn, type OrderRowOf, orderColumns } from '../orders/order-row.js';
import { setOrderRouting } from '../orders/order-store.js';
import { decideRouting, type RoutingInputs, readRoutingInputs, recordRuleHits } from './routing.service.js';
import { HOLD_REASONS, type OrderRoutingDecision } from './routing-decision.js';

/** Orders in these states are finished; routing never touches them. */
export const CLOSED_STATES = ['DELIVERED', 'CANCELLED', 'RETURNED', 'REFUNDED'] as const;

/** Which open orders to route again; every given condition must hold. */
export interface RerouteFilter {
  orderIds?: string[];
  holdReason?: string;
  channels?: readonly Channel[];
  groupIds?: string[];
  states?: string[];
}

export interface RerouteOutcome {
  /** Open orders that matched the filter. */
  evaluated: number;
  /** Orders now in another group than before (a released order counts as moved). */
  moved: number;
  /** Orders without a group that are still held. */
  stillHeld: number;
  /** Held orders that now have a group. */
  released: number;
}

const BATCH_SIZE = 1000;

/** The order columns routing reads (from the owner's row type), plus the item categories. */
const HELD_COLUMNS = [
  'id',
  'channel',
  'channel_order_no',
  'business_type',
  'state',
  'total_cents',
  'address',
  'region',
  'address_parse',
  'group_id',
  'owner_id',
  'hold_reason',
  'routing_rule_id',
  'routing_reason',
  'routed_at',
  'abnormal',
] as const satisfies readonly OrderColumn[];

type HeldRow = OrderRowOf<typeof HELD_COLUMNS> & { categories: string[] };

interface RowUpdate {
  row: HeldRow;
  decision: OrderRoutingDecision;
  groupId: string | null;
  ownerId: string | null;
  routedAt: Date | null;
  /** Group or hold reason changed: history row and outbox message. */
  notable: boolean;
}

const ROUTING_HOLDS: ReadonlySet<string> = new Set(HOLD_REASONS);

/**
 * Routes open orders again with the division data, rule set and routing mode in use now: held
 * orders get a group once they can, routed orders follow the current rules. An order that has a
 * group is never taken out of it to be held, and holds set by other parts of the platform are
 * left alone. Works in batches of at most 1,000 orders, each in one transaction that locks its
 * orders (in id order) and writes, for every order whose group or hold changed, an `order_event`
 * row (SYSTEM / ROUTED) and an `order.updated` outbox message.
 */
export async function rerouteOrders(
  pool: pg.Pool,
  filter: RerouteFilter,
  now: Date,
): Promise<RerouteOutcome> {
  const inputs = await readRoutingInputs(pool);
  const total: RerouteOutcome = { evaluated: 0, moved: 0, stillHeld: 0, released: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await rerouteBatch(pool, inputs, filter, after, now);
    total.evaluated += batch.outcome.evaluated;
    total.moved += batch.outcome.moved;
    total.stillHeld += batch.outcome.stillHeld;
    total.released += batch.outcome.released;
    if (batch.lastId === null) return total;
    after = batch.lastId;
  }
}

async function rerouteBatch(
  pool: pg.Pool,
  inputs: RoutingInputs,
  filter: RerouteFilter,
  after: string,
  now: Date,
): Promise<{ outcome: RerouteOutcome; lastId: string | null }> {
  const outcome: RerouteOutcome = { evaluated: 0, moved: 0, stillHeld: 0, released: 0 };
  const tx = await pool.connect();
  try {
    await tx.query('begin');
    const { rows } = await tx.query<HeldRow>(
      `select ${orderColumns(HELD_COLUMNS)},
              coalesce(array(select e->>'category' from jsonb_array_elements(items) e), '{}') as categories
         from orders
        where id > $1
          and state <> all($2::text[])
          and ($3::uuid[] is null or id = any($3::uuid[]))
          and ($4::text is null or hold_reason = $4)
          and ($5::text[] is null or group_id = any($5::text[]))
          and ($6::text[] is null or state = any($6::text[]))
          and ($8::text[] is null or channel = any($8::text[]))
        order by id
        limit $7
        for update`,
      [
        after,
        CLOSED_STATES,
        filter.orderIds ?? null,
        filter.holdReason ?? null,
        filter.groupIds ?? null,
        filter.states ?? null,
        BATCH_SIZE,
        filter.channels ?? null,
      ],
    );
    if (rows.length === 0) {
      await tx.query('commit');
      return { outcome, lastId: null };
    }
    const updates: RowUpdate[] = [];
    for (const row of rows) {
      outcome.evaluated++;
      const update = plan(inputs, row, now);
      if (update === null) {
        if (row.group_id === null) outcome.stillHeld++;
        continue;
      }
      updates.push(update);
      if (update.groupId === null) outcome.stillHeld++;
      else {
        if (update.groupId !== row.group_id) outcome.moved++;
        if (row.hold_reason !== null) outcome.released++;
      }
    }
    await writeUpdates(tx, updates, now);
    await tx.query('commit');
    return { outcome, lastId: rows[rows.length - 1].id };
  } catch (error) {
    await tx.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    tx.release();
  }
}

/** What to write for one order; null when nothing changes. */
function plan(inputs: RoutingInputs, row: HeldRow, now: Date): RowUpdate | null {
  // A hold set elsewhere (not by routing) is not routing's to lift.
  if (row.hold_reason !== null && !ROUTING_HOLDS.has(row.hold_reason)) return null;
  const decision = decideRouting(inputs, {
    channel: row.channel,
    businessType: row.business_type,
    totalCents: Number(row.total_cents),
    categories: row.categories,
    address: row.address,
  });
  if (decision.groupId === null) {
    // Never take an order out of its group to hold it.
    if (row.group_id !== null) return null;
    const same =
      decision.holdReason === row.hold_reason &&
      decision.reason === row.routing_reason &&
      sameJson(decision.region, row.region) &&
      sameJson(decision.addressParse, row.address_parse);
    if (same) return null;
    return {
      row,
      decision,
      groupId: null,
      ownerId: row.owner_id,
      routedAt: row.routed_at,
      notable: decision.holdReason !== row.hold_reason,
    };
  }
  const moved = decision.groupId !== row.group_id;
  const released = row.hold_reason !== null;
  if (
    !moved &&
    !released &&
    decision.ruleId === row.routing_rule_id &&
    decision.reason === row.routing_reason &&
    sameJson(decision.region, row.region) &&
    sameJson(decision.addressParse, row.address_parse)
  ) {
    return null;
  }
  return {
    row,
    decision,
    groupId: decision.groupId,
    ownerId: moved ? decision.ownerId : row.owner_id,
    routedAt: moved || row.routed_at === null ? now : row.routed_at,
    notable: moved || released,
  };
}

async function writeUpdates(tx: pg.PoolClient, updates: readonly RowUpdate[], now: Date): Promise<void> {
  if (updates.length === 0) return;
  const at = now.toISOString();
  await setOrderRouting(
    tx,
    updates.map((u) => ({
      orderId: u.row.id,
      groupId: u.groupId,
      ownerId: u.ownerId,
      holdReason: u.decision.holdReason,
      ruleId: u.decision.ruleId,
      reason: u.decision.reason,
      routedAt: u.routedAt,
      region: u.decision.region,
      addressParse: u.decision.addressParse,
    })),
    now,
  );
  const notable = updates.filter((u) => u.notable);
  if (notable.length === 0) return;
  await tx.query(
    `insert into order_event (order_id, source, type, idempotency_key, occurred_at, received_at, outcome, reason, payload)
     select t.order_id, 'SYSTEM', 'ROUTED', $1, $2, $2, 'RECORDED', t.reason, t.payload
       from unnest($3::uuid[], $4::text[], $5::jsonb[]) as t(order_id, reason, payload)
     on conflict (order_id, idempotency_key) do nothing`,
    [
      `routed:${at}`,
      at,
      notable.map((u) => u.row.id),
      notable.map((u) => u.decision.reason),
      notable.map((u) =>
        JSON.stringify({
          fromGroupId: u.row.group_id,
          toGroupId: u.groupId,
          ruleId: u.decision.ruleId,
          previousHoldReason: u.row.hold_reason,
          holdReason: u.decision.holdReason,
        }),
      ),
    ],
  );
  await enqueueOutbox(tx, notable.map(orderUpdatedEntry(at)));
  const hits = new Map<string, number>();
  for (const u of notable) {
    if (u.groupId === null || u.groupId === u.row.group_id || u.decision.ruleId === null) continue;
    hits.set(u.decision.ruleId, (hits.get(u.decision.ruleId) ?? 0) + 1);
  }
  await recordRuleHits(tx, now, hits);
}

/** The same payload shape order intake writes. */
const orderUpdatedEntry =
  (at: string) =>
  (u: RowUpdate): OutboxEntry => ({
    topic: 'order.updated',
    dedupeKey: `order.updated:${u.row.id}:ROUTED:${at}`,
    payload: {
      orderId: u.row.id,
      channel: u.row.channel,
      channelOrderNo: u.row.channel_order_no,
      state: u.row.state,
      previousState: u.row.state,
      groupId: u.groupId,
      abnormal: u.row.abnormal,
      occurredAt: at,
    },
  });

function sameJson(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.keys(value as object)
      .sort()
      .map((k) => [k, (value as Record<string, unknown>)[k]]),
  );
}
