import type { NormalizedOrder } from '../intake/normalized-order.js';
import type { FieldError } from '../shared/result.js';

/**
 * Ceilings and plausibility of a parsed order, checked before it is stored, so nothing is kept
 * that cannot be read back or that no channel could have sent.
 */

/**
 * Highest amount of one order, in cents (21,474,836.47 yuan): the largest value every partner
 * client reads exactly, 32-bit `Int` fields included. Larger amounts are refused at intake.
 */
export const MAX_ORDER_CENTS = 2_147_483_647;
/** Most units of one order line. */
export const MAX_LINE_QUANTITY = 1_000_000;
/** How far a channel's clock may run ahead of ours before a time counts as in the future. */
export const FUTURE_TOLERANCE_MS = 10 * 60 * 1000;

/**
 * Every defect, named by the normalised field (`createdAt`, `items[0].quantity`…). Times are
 * judged against `now` when it is given (the moment a network edge received the order); callers
 * replaying orders on their own clock (the demo, tests of past days) pass null.
 */
export function orderPlausibility(order: NormalizedOrder, now: Date | null): FieldError[] {
  const defects: FieldError[] = [];
  const amount = (field: string, cents: number) => {
    if (cents > MAX_ORDER_CENTS)
      defects.push({
        field,
        code: 'AMOUNT_TOO_LARGE',
        message: `above the ceiling of ${MAX_ORDER_CENTS} cents (${MAX_ORDER_CENTS / 100} yuan)`,
      });
  };
  amount('goodsCents', order.goodsCents);
  amount('shippingCents', order.shippingCents);
  amount('totalCents', order.totalCents);
  amount('paidCents', order.paidCents);
  if (order.presale) {
    amount('presale.depositCents', order.presale.depositCents);
    amount('presale.balanceCents', order.presale.balanceCents);
  }
  order.items.forEach((item, i) => {
    amount(`items[${i}].unitPriceCents`, item.unitPriceCents);
    if (item.quantity > MAX_LINE_QUANTITY)
      defects.push({
        field: `items[${i}].quantity`,
        code: 'QUANTITY_TOO_LARGE',
        message: `more than ${MAX_LINE_QUANTITY} units on one line`,
      });
    if (item.quantity * item.unitPriceCents > MAX_ORDER_CENTS)
      amount(`items[${i}]`, item.quantity * item.unitPriceCents);
  });

  const latest = now ? now.getTime() + FUTURE_TOLERANCE_MS : Number.POSITIVE_INFINITY;
  const notFuture = (field: string, at: Date | null) => {
    if (at && at.getTime() > latest)
      defects.push({
        field,
        code: 'TIME_IN_FUTURE',
        message: `later than the server's clock plus ${FUTURE_TOLERANCE_MS / 60_000} minutes`,
      });
  };
  notFuture('createdAt', order.createdAt);
  notFuture('paidAt', order.paidAt);
  notFuture('sourceUpdatedAt', order.sourceUpdatedAt);
  notFuture('presale.depositPaidAt', order.presale?.depositPaidAt ?? null);
  notFuture('presale.balancePaidAt', order.presale?.balancePaidAt ?? null);
  const notBeforeCreated = (field: string, at: Date | null) => {
    if (at && at.getTime() < order.createdAt.getTime())
      defects.push({ field, code: 'PAID_BEFORE_CREATED', message: 'earlier than the order was created' });
  };
  notBeforeCreated('paidAt', order.paidAt);
  notBeforeCreated('presale.depositPaidAt', order.presale?.depositPaidAt ?? null);
  notBeforeCreated('presale.balancePaidAt', order.presale?.balancePaidAt ?? null);
  return defects;
}
