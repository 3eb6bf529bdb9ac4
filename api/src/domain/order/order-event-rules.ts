import type { TransitionRefusalCode } from '../fsm/fsm.js';
import { impliedSteps } from './implied-steps.js';
import type { OrderEvent, OrderEventType } from './order-events.js';
import { hasPassed, orderLifecycle, progressRank } from './order-lifecycle.js';
import type { OrderState } from './order-types.js';

/** The state each event type moves an order to; `null` for events that only add to its history. */
export const EVENT_TARGET_STATE: Readonly<Record<OrderEventType, OrderState | null>> = {
  PAYMENT_CONFIRMED: 'PAID',
  PAYMENT_REFUNDED: 'REFUNDED',
  WMS_ACCEPTED: 'WAREHOUSE_ACCEPTED',
  WMS_PICKING_STARTED: 'PICKING',
  WMS_PACKED: 'PACKED',
  WMS_SHIPPED: 'SHIPPED',
  WMS_RETURN_RECEIVED: 'RETURNED',
  TMS_PICKED_UP: 'IN_TRANSIT',
  TMS_IN_TRANSIT: 'IN_TRANSIT',
  TMS_OUT_FOR_DELIVERY: 'OUT_FOR_DELIVERY',
  TMS_DELIVERED: 'DELIVERED',
  TMS_DELIVERY_FAILED: 'DELIVERY_FAILED',
  TMS_RETURNING: 'RETURNING',
  TMS_RETURNED: 'RETURNED',
  TMS_EXCEPTION_REPORTED: null,
  // A cancel from customer service takes effect at once; telling the warehouse to stop is a side
  // effect of entering CANCELLED, not a state of its own.
  CRM_CANCEL_REQUESTED: 'CANCELLED',
  ORDER_CANCELLED: 'CANCELLED',
  CRM_RETURN_REQUESTED: 'RETURNING',
  CHANNEL_SHIPPED: 'SHIPPED',
  CHANNEL_DELIVERED: 'DELIVERED',
  NOTE_ADDED: null,
};

/**
 * The event a re-sent channel order's status stands for, so the status moves the order through
 * the lifecycle like any other report; null for statuses a channel never reports on its own.
 */
export const CHANNEL_STATUS_EVENT: Readonly<Record<OrderState, OrderEventType | null>> = {
  CREATED: null,
  PAID: 'PAYMENT_CONFIRMED',
  WAREHOUSE_ACCEPTED: null,
  PICKING: null,
  PACKED: null,
  SHIPPED: 'CHANNEL_SHIPPED',
  IN_TRANSIT: 'CHANNEL_SHIPPED',
  OUT_FOR_DELIVERY: 'CHANNEL_SHIPPED',
  DELIVERED: 'CHANNEL_DELIVERED',
  CANCELLED: 'ORDER_CANCELLED',
  DELIVERY_FAILED: null,
  RETURNING: null,
  RETURNED: null,
  REFUNDED: 'PAYMENT_REFUNDED',
};

/** What the pool knows about an order when an event for it arrives. */
export interface EventSubject {
  state: OrderState;
  /** The latest `occurredAt` among the events applied to this order so far. */
  lastEventOccurredAt?: Date;
  /**
   * Keys of events this order has already taken (applied, recorded or stale). Keys of rejected
   * events are best left out: a redelivery is then decided again, and applies once the order
   * has caught up.
   */
  appliedKeys?: ReadonlySet<string>;
}

export type EventDecision =
  | { outcome: 'APPLIED'; from: OrderState; to: OrderState; implied: OrderState[] }
  | { outcome: 'DUPLICATE' }
  | { outcome: 'PENDING'; reason: string }
  | { outcome: 'STALE'; reason: string }
  | { outcome: 'REJECTED'; reason: string; code: TransitionRefusalCode }
  | { outcome: 'RECORDED' };

/**
 * Decides what an incoming event does to an order. Events arrive late, twice, out of order and
 * with steps missing; the rules, in this order:
 * 1. A key seen before is a DUPLICATE: nothing happens, nothing is stored again.
 * 2. An event that targets no state, or the state the order is already in (another transit
 *    scan), is RECORDED in the history only.
 * 3. A move the lifecycle allows directly is APPLIED when it goes forward in rank, skips
 *    included (PACKED → IN_TRANSIT). The one same-rank loop, OUT_FOR_DELIVERY ⇄ DELIVERY_FAILED,
 *    is decided by time: it applies only when it happened after the last applied event;
 *    otherwise it is the earlier attempt arriving late, and STALE.
 * 4. An event for a state the order has already passed (see `hasPassed`: a "shipped" after
 *    "delivered", "picking" after a cancel) is STALE: kept in the history, never applied, so an
 *    order never moves backwards.
 * 5. A later fact implies the steps before it (`impliedSteps`): a carrier pick-up for a PAID
 *    order is APPLIED, and the warehouse steps it proves are listed in `implied`.
 * 6. A state the order can still reach, but only through a step nothing implies (a pick-up
 *    before the payment), is PENDING: kept, and decided again once the order has moved.
 * 7. Anything else contradicts the order and is REJECTED with the lifecycle's reason: a
 *    "shipped" for a cancelled order, a cancel after shipping. Those need a person, not a guess.
 * Only `lastEventOccurredAt` is compared with `occurredAt`, and only in rule 3.
 */
export function decideEvent(
  order: EventSubject,
  event: Pick<OrderEvent, 'type' | 'idempotencyKey' | 'occurredAt'>,
): EventDecision {
  if (order.appliedKeys?.has(event.idempotencyKey)) return { outcome: 'DUPLICATE' };

  const from = order.state;
  const to = EVENT_TARGET_STATE[event.type];
  if (to === null || to === from) return { outcome: 'RECORDED' };

  const check = orderLifecycle.canTransition(from, to);
  if (check.ok) {
    const forward = progressRank(to) > progressRank(from);
    const last = order.lastEventOccurredAt;
    if (forward || !last || event.occurredAt.getTime() > last.getTime())
      return { outcome: 'APPLIED', from, to, implied: [] };
    return {
      outcome: 'STALE',
      reason: `${event.type} happened before the order's last change to ${from}; it belongs to an earlier attempt`,
    };
  }
  if (hasPassed(from, to)) {
    return {
      outcome: 'STALE',
      reason: `${event.type} arrived late: the order is already past ${to}, in ${from}`,
    };
  }
  const implied = impliedSteps(from, to);
  if (implied !== null && progressRank(to) > progressRank(from))
    return { outcome: 'APPLIED', from, to, implied };
  if (orderLifecycle.canReach(from, to) && progressRank(to) > progressRank(from)) {
    return {
      outcome: 'PENDING',
      reason: `${event.type} arrived early: the order is ${from} and can take ${to} only after a step that must be reported (such as the payment); kept until it fits`,
    };
  }
  return { outcome: 'REJECTED', code: check.code, reason: `${event.type}: ${check.reason}` };
}
