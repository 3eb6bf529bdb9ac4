import { decideEvent } from '../../domain/order/order-event-rules.js';
import type { OrderEvent } from '../../domain/order/order-events.js';
import type { OrderState } from '../../domain/order/order-types.js';
import type { EventFacts, HistoryRow, LockedOrder, StateChange } from './order-event.sql.js';

/** One valid event whose order was found and locked. */
export interface PlanItem {
  index: number;
  order: LockedOrder;
  event: OrderEvent;
}

export type PlannedOutcome = 'APPLIED' | 'DUPLICATE' | 'STALE' | 'REJECTED' | 'RECORDED';

export interface PlannedDecision {
  index: number;
  orderId: string;
  outcome: PlannedOutcome;
  /** The order's state when the event was decided. */
  fromState: OrderState;
  /** The state it moved to; null when it did not move. */
  toState: OrderState | null;
  reason: string | null;
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
}

const DUPLICATE_REASON = 'this idempotencyKey was already received for the order';

/**
 * Decides every event in memory, order by order, in `occurredAt` order (ties in submission
 * order), exactly as `decideEvent` rules. A key stored before is a duplicate unless its stored
 * outcome was REJECTED (then it is decided again); a key seen earlier in the same call is a
 * duplicate whatever became of the first one. Pure: the caller holds the orders' locks.
 */
export function planEvents(items: readonly PlanItem[], facts: EventFacts): Plan {
  const byOrder = new Map<string, PlanItem[]>();
  for (const item of items) {
    const list = byOrder.get(item.order.id);
    if (list) list.push(item);
    else byOrder.set(item.order.id, [item]);
  }
  const plan: Plan = { decisions: [], history: [], changes: [] };
  for (const [orderId, list] of byOrder) {
    list.sort((a, b) => a.event.occurredAt.getTime() - b.event.occurredAt.getTime() || a.index - b.index);
    const order = list[0].order;
    const stored = facts.stored.get(orderId);
    const taken = new Set<string>();
    for (const [key, outcome] of stored ?? []) if (outcome !== 'REJECTED') taken.add(key);
    const seen = new Set<string>();
    let state = order.state;
    let last = facts.lastApplied.get(orderId);
    const entered: Partial<Record<OrderState, string>> = {};
    let lastApplied: PlannedChange['lastApplied'] | null = null;

    for (const { index, event } of list) {
      const key = event.idempotencyKey;
      const decision = seen.has(key)
        ? ({ outcome: 'DUPLICATE' } as const)
        : decideEvent({ state, lastEventOccurredAt: last, appliedKeys: taken }, event);
      seen.add(key);
      const base = { index, orderId, fromState: state };
      if (decision.outcome === 'DUPLICATE') {
        plan.decisions.push({ ...base, outcome: 'DUPLICATE', toState: null, reason: DUPLICATE_REASON });
        continue;
      }
      const applied = decision.outcome === 'APPLIED';
      const reason = decision.outcome === 'STALE' || decision.outcome === 'REJECTED' ? decision.reason : null;
      const toState = applied ? decision.to : null;
      plan.decisions.push({ ...base, outcome: decision.outcome, toState, reason });
      plan.history.push({
        orderId,
        source: event.source,
        type: event.type,
        idempotencyKey: key,
        occurredAt: event.occurredAt,
        outcome: decision.outcome,
        fromState: state,
        toState,
        reason,
        payload: event.payload,
      });
      if (applied) {
        state = decision.to;
        entered[state] = event.occurredAt.toISOString();
        if (!last || event.occurredAt > last) last = event.occurredAt;
        lastApplied = { idempotencyKey: key, occurredAt: event.occurredAt };
      }
    }
    if (lastApplied) plan.changes.push({ orderId, state, entered, order, lastApplied });
  }
  plan.decisions.sort((a, b) => a.index - b.index);
  return plan;
}
