import { type FoldOptions, type FoldResult, foldOrderEvents } from '../../domain/order/order-event-fold.js';
import type { OrderEvent, OrderEventType } from '../../domain/order/order-events.js';
import type { OrderState } from '../../domain/order/order-types.js';
import type { StateChange } from '../orders/order-store.js';
import {
  type EventFacts,
  type HistoryRow,
  IMPLIED_STEP_TYPE,
  type LockedOrder,
  type OrderFeed,
} from './order-event.sql.js';

/** One valid event whose order was found and locked. */
export interface PlanItem {
  index: number;
  order: LockedOrder;
  event: OrderEvent;
}

export type PlannedOutcome = 'APPLIED' | 'DUPLICATE' | 'STALE' | 'REJECTED' | 'RECORDED' | 'PENDING';

export interface PlannedDecision {
  index: number;
  orderId: string;
  outcome: PlannedOutcome;
  /** The order's state when the event was decided. */
  fromState: OrderState;
  /** The state it moved to; null when it did not move. */
  toState: OrderState | null;
  reason: string | null;
  /** Steps the event implied on its way to `toState`, in order. */
  impliedSteps: OrderState[];
}

/** An order that moved in this call, with what its `order.updated` message needs. */
export interface PlannedChange extends StateChange {
  order: LockedOrder;
  /** The applied event that moved it last; its history row names the message. */
  lastApplied: { idempotencyKey: string; occurredAt: Date };
}

export interface Plan {
  decisions: PlannedDecision[];
  history: HistoryRow[];
  changes: PlannedChange[];
  /** Stored feed rows of orders decided again whose decision changed. */
  revised: HistoryRow[];
  /** Stored feed rows a new decision no longer has (a step no longer implied). */
  removed: { orderId: string; idempotencyKey: string }[];
  /** New events of this call that were not duplicates, per order: what the payments ledger reads. */
  taken: { orderId: string; event: OrderEvent }[];
}

const DUPLICATE_REASON = 'this idempotencyKey was already received for the order';

interface FoldItem {
  idempotencyKey: string;
  type: OrderEventType;
  occurredAt: Date;
  receivedAt: Date;
  source: string;
  payload: Readonly<Record<string, unknown>>;
  /** Position in the call; null for a stored event decided again. */
  index: number | null;
}

/** A key stored before counts as taken unless its stored outcome was REJECTED (decided again). */
function takenKeys(facts: EventFacts, orderId: string): Set<string> {
  const taken = new Set<string>();
  for (const [key, outcome] of facts.stored.get(orderId) ?? []) if (outcome !== 'REJECTED') taken.add(key);
  return taken;
}

/**
 * Orders whose feed must be decided again in full: a new event happened before (or at the same
 * time as) the latest one already decided for it. Deciding only the new events would then depend on arrival order.
 */
export function ordersToReplay(items: readonly PlanItem[], facts: EventFacts): string[] {
  const replay = new Set<string>();
  const taken = new Map<string, Set<string>>();
  for (const { order, event } of items) {
    const last = facts.lastDecided.get(order.id);
    // A tie is decided again too: the canonical order breaks it by lifecycle rank and key.
    if (!last || event.occurredAt > last || replay.has(order.id)) continue;
    const keys = taken.get(order.id) ?? takenKeys(facts, order.id);
    taken.set(order.id, keys);
    if (!keys.has(event.idempotencyKey)) replay.add(order.id);
  }
  return [...replay];
}

/**
 * Decides every event in memory, order by order, with `foldOrderEvents`. A key stored before is
 * a duplicate unless its stored outcome was REJECTED; a key seen earlier in the same call is a
 * duplicate whatever became of the first one. An order in `feeds` is decided again from its
 * base state with its whole feed; any other goes on from its current state with the new events
 * and its PENDING ones. Pure: the caller holds the orders' locks.
 */
export function planEvents(
  items: readonly PlanItem[],
  facts: EventFacts,
  feeds: ReadonlyMap<string, OrderFeed>,
  options: FoldOptions,
): Plan {
  const byOrder = new Map<string, PlanItem[]>();
  for (const item of items) {
    const list = byOrder.get(item.order.id);
    if (list) list.push(item);
    else byOrder.set(item.order.id, [item]);
  }
  const plan: Plan = { decisions: [], history: [], changes: [], revised: [], removed: [], taken: [] };
  for (const [orderId, list] of byOrder) {
    const order = list[0].order;
    const taken = takenKeys(facts, orderId);
    const fresh: FoldItem[] = [];
    const seen = new Set<string>();
    for (const { index, event } of list) {
      const key = event.idempotencyKey;
      if (seen.has(key) || taken.has(key)) {
        plan.decisions.push({
          index,
          orderId,
          outcome: 'DUPLICATE',
          fromState: order.state,
          toState: null,
          reason: DUPLICATE_REASON,
          impliedSteps: [],
        });
      } else {
        fresh.push({ ...event, index });
        plan.taken.push({ orderId, event });
      }
      seen.add(key);
    }
    if (fresh.length === 0) continue;

    const feed = feeds.get(orderId);
    const decidedAgain = new Set(fresh.map((e) => e.idempotencyKey));
    const stored = (feed ? feed.events : (facts.pending.get(orderId) ?? []))
      .filter((e) => !decidedAgain.has(e.idempotencyKey))
      .map((e): FoldItem => ({ ...e, index: null }));
    const fold = foldOrderEvents(
      feed ? { state: feed.base } : { state: order.state, lastAppliedAt: facts.lastApplied.get(orderId) },
      [...fresh, ...stored],
      options,
    );
    if (feed) {
      const rows: HistoryRow[] = [];
      writeFold(plan, orderId, fold, rows);
      sortOutChanges(plan, rows, feed, decidedAgain);
    } else writeFold(plan, orderId, fold, plan.history);

    const moved = fold.state !== order.state || (!feed && fold.lastApplied !== null);
    if (moved && fold.lastApplied) {
      const entered: Partial<Record<OrderState, string>> = {};
      for (const [state, at] of Object.entries(fold.entered)) entered[state as OrderState] = at.toISOString();
      plan.changes.push({
        orderId,
        state: fold.state,
        entered,
        order,
        lastApplied: {
          idempotencyKey: fold.lastApplied.idempotencyKey,
          occurredAt: fold.lastApplied.occurredAt,
        },
      });
    }
  }
  plan.decisions.sort((a, b) => a.index - b.index);
  return plan;
}

/** Of an order's whole feed decided again, writes only what differs from what is stored. */
function sortOutChanges(
  plan: Plan,
  rows: readonly HistoryRow[],
  feed: OrderFeed,
  fresh: ReadonlySet<string>,
) {
  const kept = new Set<string>();
  for (const row of rows) {
    kept.add(row.idempotencyKey);
    const stored = feed.decided.get(row.idempotencyKey);
    if (!stored) plan.history.push(row);
    else if (
      // A re-sent key (its stored row was REJECTED) is written again with its new arrival.
      fresh.has(row.idempotencyKey) ||
      stored.outcome !== row.outcome ||
      stored.fromState !== row.fromState ||
      stored.toState !== row.toState ||
      stored.reason !== row.reason ||
      stored.occurredAt.getTime() !== row.occurredAt.getTime()
    )
      plan.revised.push(row);
  }
  for (const key of feed.decided.keys())
    if (!kept.has(key)) plan.removed.push({ orderId: rows[0]?.orderId ?? '', idempotencyKey: key });
}

/** History rows of a fold (each event after the steps it implied) and the answers of new events. */
function writeFold(plan: Plan, orderId: string, fold: FoldResult<FoldItem>, history: HistoryRow[]) {
  const impliedBy = new Map<string, typeof fold.implied>();
  for (const step of fold.implied) {
    const steps = impliedBy.get(step.impliedBy) ?? [];
    steps.push(step);
    impliedBy.set(step.impliedBy, steps);
  }
  for (const folded of fold.events) {
    const { event } = folded;
    for (const step of impliedBy.get(event.idempotencyKey) ?? [])
      history.push({
        orderId,
        source: 'SYSTEM',
        type: IMPLIED_STEP_TYPE,
        idempotencyKey: `implied:${step.state}`,
        occurredAt: step.occurredAt,
        receivedAt: event.receivedAt,
        outcome: 'IMPLIED',
        fromState: step.fromState,
        toState: step.state,
        reason: `implied by ${step.impliedByType} (${step.impliedBy})`,
        payload: { impliedBy: step.impliedBy, impliedByType: step.impliedByType },
      });
    history.push({
      orderId,
      source: event.source,
      type: event.type,
      idempotencyKey: event.idempotencyKey,
      occurredAt: event.occurredAt,
      receivedAt: event.receivedAt,
      outcome: folded.outcome,
      fromState: folded.implied.at(-1) ?? folded.fromState,
      toState: folded.toState,
      reason: folded.reason,
      payload: event.payload,
    });
    if (event.index !== null)
      plan.decisions.push({
        index: event.index,
        orderId,
        outcome: folded.outcome,
        fromState: folded.fromState,
        toState: folded.toState,
        reason: folded.reason,
        impliedSteps: folded.implied,
      });
  }
}
