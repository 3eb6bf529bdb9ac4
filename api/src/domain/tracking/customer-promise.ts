import { customerStatusLabel } from '../order/order-labels.js';
import type { OrderState } from '../order/order-types.js';
import { etaText } from './eta.js';

/** States in which the parcel is with the carrier: the promise is its ETA. */
const WITH_CARRIER: ReadonlySet<OrderState> = new Set([
  'SHIPPED',
  'IN_TRANSIT',
  'OUT_FOR_DELIVERY',
  'DELIVERY_FAILED',
]);

export interface PromiseSubject {
  state: OrderState;
  /**
   * The deadline of the SLA stage the order is in, as the sweep computed it from the policy that
   * governs the order (`orders.sla_deadline`); null when no clock runs.
   */
  slaDeadline: Date | null;
  /** ETAs of the order's parcels still on their way. */
  etas: readonly Date[];
}

/**
 * What the customer reads: "仓库拣货中（预计今天 18:00前完成）" before shipping, from the SLA
 * policy in force for the order (no hard-coded copy of its minutes); "运输途中（预计11月27日送达）"
 * once with the carrier, from the latest ETA of its parcels. A promise already past is left out.
 */
export function customerPromise(order: PromiseSubject, now: Date): string {
  if (WITH_CARRIER.has(order.state)) {
    const latest = order.etas.reduce<Date | null>((a, e) => (a === null || e > a ? e : a), null);
    const text = latest ? etaText(latest, now) : null;
    const plain = customerStatusLabel(order.state);
    return text ? `${plain}（${text}）` : plain;
  }
  return customerStatusLabel(order.state, order.slaDeadline ? { by: order.slaDeadline } : undefined, now);
}
