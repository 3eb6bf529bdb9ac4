import { customerStatusLabel, type StatusExpectation } from '../../domain/order/order-labels.js';
import type { BusinessType, OrderState } from '../../domain/order/order-types.js';

/**
 * What the customer is promised next, per state, from the default NORMAL SLA policy (pick within
 * 2 h of payment, pack within 2 h of starting, ship within 1 h of packing), counted from when the
 * order entered `from`. Other business types get the plain label: their promises depend on
 * production time and presale dates these defaults do not know.
 */
const NORMAL_EXPECTATIONS: Partial<Record<OrderState, { minutes: number; from: OrderState }>> = {
  PAID: { minutes: 120, from: 'PAID' },
  WAREHOUSE_ACCEPTED: { minutes: 120, from: 'PAID' },
  PICKING: { minutes: 120, from: 'PICKING' },
  PACKED: { minutes: 60, from: 'PACKED' },
};

export interface CustomerStatusSubject {
  state: OrderState;
  businessType: BusinessType;
  stateEnteredAt?: Partial<Record<OrderState, string>> | null;
}

/**
 * The customer's label, e.g. "仓库拣货中（预计2小时内完成）". The allowance shrinks as time passes
 * since the anchor state was entered; once it has run out, no time is promised.
 */
export function customerStatus(order: CustomerStatusSubject, now: Date): string {
  const rule = order.businessType === 'NORMAL' ? NORMAL_EXPECTATIONS[order.state] : undefined;
  let expectation: StatusExpectation | undefined;
  if (rule) {
    const enteredText = order.stateEnteredAt?.[rule.from];
    const entered = enteredText ? new Date(enteredText).getTime() : Number.NaN;
    const elapsed = Number.isFinite(entered) ? Math.max(0, (now.getTime() - entered) / 60_000) : 0;
    expectation = { withinMinutes: rule.minutes - elapsed };
  }
  return customerStatusLabel(order.state, expectation, now);
}
