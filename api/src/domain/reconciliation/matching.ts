import { startOfBusinessDay } from '../sla/business-time.js';
import { absCents, type Cents, feeFor } from './money.js';
import type {
  ExpectedPayment,
  MatchingSettings,
  MoneyRecord,
  OrderMoney,
  Outcome,
  OutcomeType,
} from './reconciliation-types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What one reconciliation pass looks at. */
export interface MatchingInput {
  /** The orders being reconciled (paid in the run's days, in its shop). */
  orders: readonly OrderMoney[];
  /**
   * Payment and refund records: those of the run's days and those of its orders, whatever day.
   * Records of other kinds are ignored here (they are reported, not matched).
   */
  records: readonly MoneyRecord[];
  /**
   * Order keys (`orderKey`) of orders that exist outside the run: their records are the business
   * of another day's run, not money without an order.
   */
  otherOrderKeys: ReadonlySet<string>;
}

/** The key money is matched on: the channel's order number within its channel. */
export const orderKey = (channel: string, orderNo: string | null): string =>
  `${channel}\u0000${orderNo ?? ''}`;

/** The end of the T+N settlement window of a payment made at `paidAt` in `channel`. */
export function settlementDeadline(paidAt: Date, channel: string, settings: MatchingSettings): Date {
  const days = settings.settlementDays[channel] ?? settings.defaultSettlementDays;
  return new Date(startOfBusinessDay(paidAt).getTime() + (days + 1) * DAY_MS);
}

const byTimeThenId = (a: MoneyRecord, b: MoneyRecord) =>
  a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Reconciles orders with their money. Each expected payment (order, part) is matched to the
 * payment records of the same order and part — the key is the channel's order number, so split
 * or merged orders never cross-match; the payment number picks the record when the order names
 * one. Several records of one part that add up to it exactly (and none of which is the whole
 * amount) are a split payment, matched as one. Answers one outcome per expected payment (MATCHED or
 * a discrepancy) plus one per money record or order that breaks a rule. Pure: `now` decides only whether money is still in its
 * settlement window.
 */
export function reconcile(input: MatchingInput, settings: MatchingSettings, now: Date): Outcome[] {
  const recordsByOrder = new Map<string, MoneyRecord[]>();
  for (const record of input.records) {
    if (record.kind !== 'PAYMENT' && record.kind !== 'REFUND') continue;
    const key = orderKey(record.channel, record.merchantOrderNo);
    const list = recordsByOrder.get(key);
    if (list) list.push(record);
    else recordsByOrder.set(key, [record]);
  }
  const outcomes: Outcome[] = [];
  const seen = new Set<string>();
  for (const order of input.orders) {
    const key = orderKey(order.channel, order.channelOrderNo);
    seen.add(key);
    outcomes.push(
      ...reconcileOrder(order, (recordsByOrder.get(key) ?? []).sort(byTimeThenId), settings, now),
    );
  }
  for (const [key, records] of recordsByOrder) {
    if (seen.has(key) || input.otherOrderKeys.has(key)) continue;
    for (const record of records) {
      outcomes.push(
        recordOutcome(
          record,
          record.kind === 'PAYMENT' ? 'PAYMENT_WITHOUT_ORDER' : 'REFUND_MISMATCH',
          'ORDER',
          {
            orderId: null,
            expected: null,
          },
        ),
      );
    }
  }
  return outcomes;
}

function reconcileOrder(
  order: OrderMoney,
  records: readonly MoneyRecord[],
  settings: MatchingSettings,
  now: Date,
): Outcome[] {
  const outcomes: Outcome[] = [];
  const payments = records.filter((r) => r.kind === 'PAYMENT');
  const expectedParts = new Set(order.payments.map((p) => p.part));
  for (const expected of order.payments) {
    const group = payments.filter((r) => (r.part ?? 'FULL') === expected.part);
    outcomes.push(...matchPart(order, expected, group, settings, now));
  }
  for (const record of payments) {
    if (!expectedParts.has(record.part ?? 'FULL'))
      outcomes.push(
        recordOutcome(record, 'PAYMENT_WITHOUT_ORDER', 'ORDER', { orderId: order.orderId, expected: 0n }),
      );
    const terms = settings.fees[record.gateway];
    if (record.feeCents === null || !terms) continue;
    const expectedFee = feeFor(record.amountCents, terms.rateBp);
    if (absCents(record.feeCents - expectedFee) > BigInt(terms.toleranceCents))
      outcomes.push({
        ...recordOutcome(record, 'FEE_VARIANCE', 'FEE', { orderId: order.orderId, expected: expectedFee }),
        actualCents: record.feeCents,
      });
  }
  const paid = payments.reduce((sum, r) => sum + r.amountCents, 0n);
  const refunded = records.filter((r) => r.kind === 'REFUND').reduce((sum, r) => sum + r.amountCents, 0n);
  if (refunded > paid) outcomes.push(orderOutcome(order, 'REFUND_MISMATCH', 'REFUND', paid, refunded));
  if (order.balanceDue) {
    const expectedIn = order.payments.reduce((sum, p) => sum + p.amountCents, 0n);
    outcomes.push(orderOutcome(order, 'BALANCE_UNPAID', 'BALANCE', order.totalCents, expectedIn));
  }
  return outcomes;
}

function matchPart(
  order: OrderMoney,
  expected: ExpectedPayment,
  group: readonly MoneyRecord[],
  settings: MatchingSettings,
  now: Date,
): Outcome[] {
  const base = {
    itemKey: `e:${order.orderId}:${expected.part}`,
    orderId: order.orderId,
    channel: order.channel,
    channelOrderNo: order.channelOrderNo,
    expectedCents: expected.amountCents,
  };
  if (group.length === 0) {
    const pending = now.getTime() < settlementDeadline(expected.paidAt, order.channel, settings).getTime();
    return [
      {
        ...base,
        type: pending ? 'PENDING_SETTLEMENT' : 'MISSING_PAYMENT',
        recordId: null,
        gateway: null,
        paymentNo: expected.paymentNo,
        actualCents: null,
      },
    ];
  }
  const primary =
    group.find((r) => expected.paymentNo !== null && r.paymentNo === expected.paymentNo) ?? group[0];
  // A split payment: no one record is the amount, but the part's records add up to it exactly.
  const total = group.reduce((sum, r) => sum + r.amountCents, 0n);
  const split =
    group.length > 1 && primary.amountCents !== expected.amountCents && total === expected.amountCents;
  const outcomes: Outcome[] = [
    {
      ...base,
      type: primary.amountCents === expected.amountCents || split ? 'MATCHED' : 'AMOUNT_MISMATCH',
      recordId: primary.id,
      gateway: primary.gateway,
      paymentNo: primary.paymentNo,
      actualCents: split ? total : primary.amountCents,
    },
  ];
  for (const other of group) {
    if (other !== primary && !split)
      outcomes.push(
        recordOutcome(other, 'DUPLICATE_PAYMENT', 'DUPLICATE', { orderId: order.orderId, expected: 0n }),
      );
  }
  return outcomes;
}

function recordOutcome(
  record: MoneyRecord,
  type: OutcomeType,
  rule: string,
  about: { orderId: string | null; expected: Cents | null },
): Outcome {
  return {
    itemKey: `r:${record.id}:${rule}`,
    type,
    orderId: about.orderId,
    recordId: record.id,
    channel: record.channel,
    channelOrderNo: record.merchantOrderNo,
    gateway: record.gateway,
    paymentNo: record.paymentNo,
    expectedCents: about.expected,
    actualCents: record.amountCents,
  };
}

function orderOutcome(
  order: OrderMoney,
  type: OutcomeType,
  rule: string,
  expected: Cents,
  actual: Cents,
): Outcome {
  return {
    itemKey: `o:${order.orderId}:${rule}`,
    type,
    orderId: order.orderId,
    recordId: null,
    channel: order.channel,
    channelOrderNo: order.channelOrderNo,
    gateway: null,
    paymentNo: null,
    expectedCents: expected,
    actualCents: actual,
  };
}
