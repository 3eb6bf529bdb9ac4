import { defineLifecycle, type TransitionMap } from '../fsm/fsm.js';
import { ORDER_STATES, type OrderState } from './order-types.js';

/**
 * The one lifecycle every channel's order is mapped onto.
 *
 * Main path: CREATED → PAID → WAREHOUSE_ACCEPTED → PICKING → PACKED → SHIPPED → IN_TRANSIT →
 * OUT_FOR_DELIVERY → DELIVERED.
 *
 * Side paths:
 * - Cancellation only before the parcel leaves: CREATED…PACKED → CANCELLED. A cancelled order
 *   that was paid goes on to REFUNDED; an unpaid one rests in CANCELLED for good, which is why
 *   CANCELLED is not terminal (terminal means "nothing ever leaves").
 * - Failed delivery: SHIPPED/IN_TRANSIT/OUT_FOR_DELIVERY → DELIVERY_FAILED, then another attempt
 *   (→ OUT_FOR_DELIVERY), or the parcel goes back (→ RETURNING).
 * - Returns: DELIVERED → RETURNING → RETURNED → REFUNDED.
 * - Refused or undeliverable parcels: SHIPPED/IN_TRANSIT/OUT_FOR_DELIVERY → RETURNING, when the
 *   carrier reports a rejection (拒签) or sends the parcel back (退回) without a failed attempt
 *   first; such a parcel must never stay "shipped".
 *
 * Skips that real feeds produce, allowed directly:
 * - PAID → PICKING: the WMS sends no "accepted" message, or it is lost.
 * - PACKED → IN_TRANSIT: the carrier's first scan arrives before the WMS "shipped".
 * - SHIPPED → OUT_FOR_DELIVERY: same-city parcels go out for delivery with no line-haul scan.
 * - SHIPPED/IN_TRANSIT → DELIVERED: carriers (lockers, self-pickup stations) that send no
 *   out-for-delivery scan.
 * - DELIVERY_FAILED → DELIVERED: the buyer collects the parcel at the station after a failed
 *   attempt, or the retry's out-for-delivery scan never comes.
 * Not allowed: a refund straight from a pre-shipping state (the order is cancelled first), and
 * any move after REFUNDED, the only terminal state.
 */
export const ORDER_TRANSITIONS: TransitionMap<OrderState> = {
  CREATED: { to: ['PAID', 'CANCELLED'] },
  PAID: { to: ['WAREHOUSE_ACCEPTED', 'PICKING', 'CANCELLED'] },
  WAREHOUSE_ACCEPTED: { to: ['PICKING', 'CANCELLED'] },
  PICKING: { to: ['PACKED', 'CANCELLED'] },
  PACKED: { to: ['SHIPPED', 'IN_TRANSIT', 'CANCELLED'] },
  SHIPPED: { to: ['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED', 'DELIVERY_FAILED', 'RETURNING'] },
  IN_TRANSIT: { to: ['OUT_FOR_DELIVERY', 'DELIVERED', 'DELIVERY_FAILED', 'RETURNING'] },
  OUT_FOR_DELIVERY: { to: ['DELIVERED', 'DELIVERY_FAILED', 'RETURNING'] },
  DELIVERED: { to: ['RETURNING'] },
  CANCELLED: { to: ['REFUNDED'] },
  DELIVERY_FAILED: { to: ['OUT_FOR_DELIVERY', 'DELIVERED', 'RETURNING'] },
  RETURNING: { to: ['RETURNED'] },
  RETURNED: { to: ['REFUNDED'] },
  REFUNDED: { to: [] },
};

export const orderLifecycle = defineLifecycle<OrderState>({
  name: 'order',
  states: ORDER_STATES,
  initial: 'CREATED',
  terminal: ['REFUNDED'],
  transitions: ORDER_TRANSITIONS,
});

/**
 * How far along an order is. The main path counts up in tens; side states sit where they
 * branch off: CANCELLED just after PACKED (the last state it can come from), DELIVERY_FAILED
 * level with OUT_FOR_DELIVERY (an attempt was made; a retry loops between the two), and the
 * after-sales states beyond DELIVERED. No transition lowers the rank.
 */
const PROGRESS_RANK: Readonly<Record<OrderState, number>> = {
  CREATED: 0,
  PAID: 10,
  WAREHOUSE_ACCEPTED: 20,
  PICKING: 30,
  PACKED: 40,
  CANCELLED: 45,
  SHIPPED: 50,
  IN_TRANSIT: 60,
  OUT_FOR_DELIVERY: 70,
  DELIVERY_FAILED: 70,
  DELIVERED: 80,
  RETURNING: 90,
  RETURNED: 100,
  REFUNDED: 110,
};

export function progressRank(state: OrderState): number {
  return PROGRESS_RANK[state];
}

/**
 * Whether an order in `current` is past `target`: it ranks further along *and* could have gone
 * through `target` on its way. Rank alone is not enough across branches: CANCELLED is not behind
 * SHIPPED (a shipped order was never cancelled) and SHIPPED is not behind CANCELLED.
 */
export function hasPassed(current: OrderState, target: OrderState): boolean {
  return progressRank(target) < progressRank(current) && orderLifecycle.canReach(target, current);
}
