import { orderLifecycle } from './order-lifecycle.js';
import type { OrderState } from './order-types.js';

/**
 * Which step a reported state implies came right before it, next to the transition map: a
 * carrier's first scan means the warehouse handed the parcel over (SHIPPED), which means it was
 * packed, which means it was picked, which means the warehouse accepted it. Many merchants have
 * no WMS feed at all (drop-shipping, third-party warehouses, own delivery), and where there is
 * one its messages come late; a later fact still proves the earlier steps.
 *
 * Only the main path is here, and only a state with an entry of its own is ever implied. PAID
 * has none and is implied by nothing: money must be reported, so a warehouse
 * or carrier event for an unpaid order waits (PENDING) for the payment. Cancellation, failed
 * delivery and after-sales states are never implied either: each needs its own report.
 */
export const IMPLIED_PREDECESSOR: Readonly<Partial<Record<OrderState, OrderState>>> = {
  WAREHOUSE_ACCEPTED: 'PAID',
  PICKING: 'WAREHOUSE_ACCEPTED',
  PACKED: 'PICKING',
  SHIPPED: 'PACKED',
  IN_TRANSIT: 'SHIPPED',
  OUT_FOR_DELIVERY: 'IN_TRANSIT',
  DELIVERED: 'IN_TRANSIT',
  DELIVERY_FAILED: 'IN_TRANSIT',
};

/**
 * The steps an order in `from` goes through, implied, before it can take `to`; null when `to`
 * cannot be reached that way. Walks back from `to` along `IMPLIED_PREDECESSOR`: when `from` is on
 * that chain, every state between is implied (PAID → IN_TRANSIT implies WAREHOUSE_ACCEPTED,
 * PICKING, PACKED, SHIPPED); otherwise the first chain state `from` may move to directly starts
 * the path. Each returned step is a move the lifecycle allows, checked below, so an implied path
 * never breaks the transition map. An empty list means `to` is allowed directly.
 */
export function impliedSteps(from: OrderState, to: OrderState): OrderState[] | null {
  if (orderLifecycle.canTransition(from, to).ok) return [];
  const chain: OrderState[] = [];
  const seen = new Set<OrderState>([to]);
  for (let state = IMPLIED_PREDECESSOR[to]; state !== undefined; state = IMPLIED_PREDECESSOR[state]) {
    if (seen.has(state)) break;
    seen.add(state);
    if (state === from) return checked(from, [...chain].reverse(), to);
    // Only a state with an entry of its own is ever implied: PAID has none.
    if (!Object.hasOwn(IMPLIED_PREDECESSOR, state)) break;
    chain.push(state);
  }
  for (let i = 0; i < chain.length; i += 1) {
    if (orderLifecycle.canTransition(from, chain[i]).ok)
      return checked(from, chain.slice(0, i + 1).reverse(), to);
  }
  return null;
}

function checked(from: OrderState, steps: OrderState[], to: OrderState): OrderState[] | null {
  const path = [from, ...steps, to];
  for (let i = 1; i < path.length; i += 1)
    if (!orderLifecycle.canTransition(path[i - 1], path[i]).ok) return null;
  return steps;
}
