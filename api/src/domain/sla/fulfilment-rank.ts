import type { OrderState } from '../order/order-types.js';

/**
 * The forward path an order walks while it is being fulfilled. An SLA stage waits for one of
 * these states; an order "has reached" a target once its own state ranks at or beyond it.
 */
export const FULFILMENT_PATH = [
  'CREATED',
  'PAID',
  'WAREHOUSE_ACCEPTED',
  'PICKING',
  'PACKED',
  'SHIPPED',
  'IN_TRANSIT',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
] as const satisfies readonly OrderState[];
export type FulfilmentState = (typeof FULFILMENT_PATH)[number];

/**
 * States in which no SLA clock runs: the order is done, or it left the fulfilment path
 * (cancelled, refunded, coming back). DELIVERY_FAILED is not here: the parcel is still out and
 * ranks with OUT_FOR_DELIVERY.
 */
export const SLA_CLOSED_STATES: ReadonlySet<OrderState> = new Set<OrderState>([
  'DELIVERED',
  'CANCELLED',
  'RETURNING',
  'RETURNED',
  'REFUNDED',
]);

const RANK = new Map<OrderState, number>(FULFILMENT_PATH.map((state, index) => [state, index]));
RANK.set('DELIVERY_FAILED', RANK.get('OUT_FOR_DELIVERY')!);

/** Position on the fulfilment path, or null for a state off it (cancelled, returned, refunded…). */
export function fulfilmentRank(state: OrderState): number | null {
  return RANK.get(state) ?? null;
}

export function isFulfilmentState(value: string): value is FulfilmentState {
  return (FULFILMENT_PATH as readonly string[]).includes(value);
}
