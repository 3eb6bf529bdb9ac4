import { decideEvent, EVENT_TARGET_STATE } from './order-event-rules.js';
import type { OrderEventType } from './order-events.js';
import { progressRank } from './order-lifecycle.js';
import type { OrderState } from './order-types.js';

/** One event as the fold needs it; callers may carry more fields, they come back untouched. */
export interface FoldInput {
  idempotencyKey: string;
  type: OrderEventType;
  occurredAt: Date;
  receivedAt: Date;
}

export type FoldOutcome = 'APPLIED' | 'STALE' | 'REJECTED' | 'RECORDED' | 'PENDING';

export interface FoldedEvent<T extends FoldInput> {
  event: T;
  outcome: FoldOutcome;
  /**
   * The order's state when the event was decided (for a PENDING one: when it was last tried);
   * for an APPLIED one, before the steps it implied.
   */
  fromState: OrderState;
  toState: OrderState | null;
  reason: string | null;
  /** The steps this event implied on its way, in order; empty unless APPLIED through a gap. */
  implied: OrderState[];
}

/** A step the order went through because a later fact proved it. */
export interface ImpliedStep {
  state: OrderState;
  fromState: OrderState;
  /** The event that implied it. */
  impliedBy: string;
  impliedByType: OrderEventType;
  occurredAt: Date;
}

export interface FoldResult<T extends FoldInput> {
  state: OrderState;
  /** One entry per input, in the order they were decided. */
  events: FoldedEvent<T>[];
  implied: ImpliedStep[];
  /** Every state entered, reported or implied, with the time of the fact that moved it. */
  entered: Partial<Record<OrderState, Date>>;
  /** The applied event that moved the order last, if any did. */
  lastApplied: T | null;
}

export interface FoldStart {
  state: OrderState;
  /** The latest `occurredAt` of an event already applied to this order (see `decideEvent`). */
  lastAppliedAt?: Date;
}

export interface FoldOptions {
  now: Date;
  /** A PENDING event received longer ago than this is REJECTED: it never fitted. */
  pendingTtlMs: number;
}

/**
 * Canonical order of a feed: by `occurredAt`, then by how far the event's target lies along the
 * lifecycle, then by key, so the same events sort the same whatever order they arrived in.
 */
export function compareEvents(a: FoldInput, b: FoldInput): number {
  return (
    a.occurredAt.getTime() - b.occurredAt.getTime() ||
    targetRank(a.type) - targetRank(b.type) ||
    (a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0)
  );
}

const targetRank = (type: OrderEventType) => {
  const to = EVENT_TARGET_STATE[type];
  return to === null ? -1 : progressRank(to);
};

/**
 * Decides a set of distinct events for one order, as `decideEvent` rules, in canonical order.
 * An event that does not fit yet waits as PENDING and is tried again, oldest first, each time
 * another event moves the order, so it applies in the same pass as the event that made it fit.
 * At the end, a PENDING event received more than `pendingTtlMs` before `now` is REJECTED.
 *
 * The result depends on the set of events and the start only, never on their arrival order:
 * that is what lets a caller that sees an event from before the order's latest one decide the
 * order's whole feed again and get the history a sorted feed would have given.
 */
export function foldOrderEvents<T extends FoldInput>(
  start: FoldStart,
  events: readonly T[],
  options: FoldOptions,
): FoldResult<T> {
  const sorted = [...events].sort(compareEvents);
  const result: FoldResult<T> = {
    state: start.state,
    events: [],
    implied: [],
    entered: {},
    lastApplied: null,
  };
  let last = start.lastAppliedAt;
  let pending: { event: T; reason: string; fromState: OrderState }[] = [];

  /** Decides one event; returns whether it moved the order. */
  const decide = (event: T, final: boolean): { moved: boolean; waiting?: string } => {
    const from = result.state;
    const decision = decideEvent({ state: from, lastEventOccurredAt: last }, event);
    if (decision.outcome === 'PENDING' && !final) return { moved: false, waiting: decision.reason };
    if (decision.outcome === 'DUPLICATE') throw new Error('foldOrderEvents takes distinct keys only');
    if (decision.outcome === 'APPLIED') {
      let step = from;
      for (const state of decision.implied) {
        result.implied.push({
          state,
          fromState: step,
          impliedBy: event.idempotencyKey,
          impliedByType: event.type,
          occurredAt: event.occurredAt,
        });
        result.entered[state] = event.occurredAt;
        step = state;
      }
      result.state = decision.to;
      result.entered[decision.to] = event.occurredAt;
      if (!last || event.occurredAt > last) last = event.occurredAt;
      result.lastApplied = event;
      result.events.push({
        event,
        outcome: 'APPLIED',
        fromState: from,
        toState: decision.to,
        reason: null,
        implied: decision.implied,
      });
      return { moved: true };
    }
    const reason = decision.outcome === 'RECORDED' ? null : decision.reason;
    result.events.push({
      event,
      outcome: decision.outcome,
      fromState: from,
      toState: null,
      reason,
      implied: [],
    });
    return { moved: false };
  };

  /** Tries the waiting events again, oldest first, until none of them moves the order. */
  const drain = () => {
    for (let i = 0; i < pending.length; ) {
      const { event } = pending[i];
      const from = result.state;
      const outcome = decide(event, false);
      if (outcome.waiting !== undefined) {
        pending[i] = { event, reason: outcome.waiting, fromState: from };
        i += 1;
        continue;
      }
      pending = pending.filter((_, j) => j !== i);
      if (outcome.moved) i = 0;
    }
  };

  for (const event of sorted) {
    const from = result.state;
    const outcome = decide(event, false);
    if (outcome.waiting !== undefined) pending.push({ event, reason: outcome.waiting, fromState: from });
    else if (outcome.moved) drain();
  }

  const cutoff = options.now.getTime() - options.pendingTtlMs;
  for (const { event, reason, fromState } of pending) {
    const expired = event.receivedAt.getTime() <= cutoff;
    result.events.push({
      event,
      outcome: expired ? 'REJECTED' : 'PENDING',
      fromState,
      toState: null,
      reason: expired ? expiredReason(options.pendingTtlMs, reason) : reason,
      implied: [],
    });
  }
  return result;
}

export function expiredReason(ttlMs: number, reason: string): string {
  const hours = Math.round((ttlMs / 3_600_000) * 10) / 10;
  return `PENDING_EXPIRED: waited ${hours} h and never fitted the order; ${reason}`;
}
