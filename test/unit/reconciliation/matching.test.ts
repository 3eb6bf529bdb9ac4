import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconcile, settlementDeadline } from '../../../api/src/domain/reconciliation/matching.js';
import { feeFor, formatYuan, parseFen, parseYuan } from '../../../api/src/domain/reconciliation/money.js';
import type {
  MatchingSettings,
  MoneyRecord,
  OrderMoney,
  Outcome,
} from '../../../api/src/domain/reconciliation/reconciliation-types.js';

const SETTINGS: MatchingSettings = {
  fees: { WECHAT: { rateBp: 60, toleranceCents: 0 }, ALIPAY: { rateBp: 60, toleranceCents: 1 } },
  settlementDays: { WEBSHOP: 1, TAOBAO: 7 },
  defaultSettlementDays: 3,
};

/** Shanghai wall-clock time as an instant. */
const sh = (local: string) => new Date(`${local}+08:00`);

function order(no: string, overrides: Partial<OrderMoney> = {}): OrderMoney {
  return {
    orderId: `order-${no}`,
    shop: 'WEBSHOP',
    channel: 'WEBSHOP',
    channelOrderNo: no,
    currency: 'CNY',
    totalCents: 10_000n,
    payments: [
      { part: 'FULL', paymentNo: `tx-${no}`, amountCents: 10_000n, paidAt: sh('2026-11-20T10:00:00') },
    ],
    balanceDue: false,
    ...overrides,
  };
}

let seq = 0;
function record(no: string | null, overrides: Partial<MoneyRecord> = {}): MoneyRecord {
  seq += 1;
  return {
    id: `rec-${String(seq).padStart(4, '0')}`,
    kind: 'PAYMENT',
    gateway: 'WECHAT',
    recordNo: `tx-${no}`,
    paymentNo: `tx-${no}`,
    channel: 'WEBSHOP',
    merchantOrderNo: no,
    part: null,
    amountCents: 10_000n,
    feeCents: 60n,
    currency: 'CNY',
    occurredAt: sh('2026-11-20T10:00:05'),
    ...overrides,
  };
}

const NOW = sh('2026-11-25T02:00:00');
const run = (orders: OrderMoney[], records: MoneyRecord[], now = NOW, other: string[] = []) =>
  reconcile({ orders, records, otherOrderKeys: new Set(other) }, SETTINGS, now);
const types = (outcomes: Outcome[]) => outcomes.map((o) => `${o.itemKey.split(':')[0]}:${o.type}`).sort();

describe('matching an order to its money', () => {
  it('matches an order to the payment with its number and amount', () => {
    const payment = record('A1');
    const [outcome, ...rest] = run([order('A1')], [payment]);
    expect(rest).toEqual([]);
    expect(outcome).toMatchObject({
      itemKey: 'e:order-A1:FULL',
      type: 'MATCHED',
      recordId: payment.id,
      expectedCents: 10_000n,
      actualCents: 10_000n,
      gateway: 'WECHAT',
    });
  });

  it('reports a missing payment once the settlement window has closed', () => {
    expect(run([order('A2')], [])).toMatchObject([
      { type: 'MISSING_PAYMENT', recordId: null, paymentNo: 'tx-A2' },
    ]);
  });

  it('holds a payment inside its T+N window as pending settlement, per channel', () => {
    const taobao = order('T1', { channel: 'TAOBAO', shop: 'TAOBAO' });
    // Paid 2026-11-20 (Shanghai): TAOBAO settles by T+7, so until 2026-11-28 00:00 it is pending.
    expect(run([taobao], [], sh('2026-11-27T23:59:59'))[0].type).toBe('PENDING_SETTLEMENT');
    expect(run([taobao], [], sh('2026-11-28T00:00:00'))[0].type).toBe('MISSING_PAYMENT');
    // The web shop settles T+1: pending through 2026-11-21, missing from 2026-11-22 00:00.
    expect(run([order('W1')], [], sh('2026-11-21T23:59:59'))[0].type).toBe('PENDING_SETTLEMENT');
    expect(run([order('W1')], [], sh('2026-11-22T00:00:00'))[0].type).toBe('MISSING_PAYMENT');
    // A channel without its own window takes the default (3 days).
    const jd = order('J1', { channel: 'JD' });
    expect(settlementDeadline(jd.payments[0].paidAt, 'JD', SETTINGS)).toEqual(sh('2026-11-24T00:00:00'));
  });

  it('never reports a payment made just before midnight as missing at the 02:00 run', () => {
    const late = order('M1', {
      payments: [
        { part: 'FULL', paymentNo: 'tx-M1', amountCents: 10_000n, paidAt: sh('2026-11-20T23:59:58') },
      ],
    });
    // The run for 2026-11-20 at 02:00 the next day: the gateway booked it after midnight, in tomorrow's bill.
    expect(run([late], [], sh('2026-11-21T02:00:00'))[0].type).toBe('PENDING_SETTLEMENT');
    // Once the next day's bill is in, the payment booked at 00:00:03 matches the order of the day before.
    const booked = record('M1', { occurredAt: sh('2026-11-21T00:00:03') });
    expect(run([late], [booked], sh('2026-11-22T02:00:00'))[0].type).toBe('MATCHED');
  });

  it('reports money whose order number matches no order as payment without order', () => {
    const stray = record('ZZ');
    expect(run([], [stray])).toMatchObject([
      { itemKey: `r:${stray.id}:ORDER`, type: 'PAYMENT_WITHOUT_ORDER', orderId: null },
    ]);
  });

  it('leaves money of an order reconciled on another day to that day', () => {
    expect(run([], [record('OLD')], NOW, ['WEBSHOP\u0000OLD'])).toEqual([]);
  });

  it('never cross-matches orders of another channel with the same number', () => {
    const other = record('A1', { channel: 'JD' });
    expect(types(run([order('A1')], [other]))).toEqual(['e:MISSING_PAYMENT', 'r:PAYMENT_WITHOUT_ORDER']);
  });

  it('reports an amount mismatch with both amounts', () => {
    const short = record('A3', { amountCents: 9_999n, feeCents: 60n });
    expect(run([order('A3')], [short])[0]).toMatchObject({
      type: 'AMOUNT_MISMATCH',
      expectedCents: 10_000n,
      actualCents: 9_999n,
    });
  });

  it('reports a second payment of the same order as a duplicate, keeping the one with the order’s number', () => {
    const first = record('A4', {
      recordNo: 'tx-other',
      paymentNo: 'tx-other',
      occurredAt: sh('2026-11-20T09:00:00'),
    });
    const own = record('A4');
    const outcomes = run([order('A4')], [own, first]);
    expect(outcomes).toMatchObject([
      { type: 'MATCHED', recordId: own.id },
      { type: 'DUPLICATE_PAYMENT', recordId: first.id, itemKey: `r:${first.id}:DUPLICATE` },
    ]);
  });

  it('matches a part paid in several payments that add up to it exactly, and only then', () => {
    // The payload reported two payments of the part: expected as their sum, under no one number.
    const split = order('A9', {
      payments: [{ part: 'FULL', paymentNo: null, amountCents: 10_000n, paidAt: sh('2026-11-20T10:00:00') }],
    });
    const a = record('A9', { recordNo: 'tx-a', paymentNo: 'tx-a', amountCents: 6_000n, feeCents: null });
    const b = record('A9', {
      recordNo: 'tx-b',
      paymentNo: 'tx-b',
      amountCents: 4_000n,
      feeCents: null,
      occurredAt: sh('2026-11-20T10:00:09'),
    });
    expect(run([split], [a, b])).toMatchObject([
      { type: 'MATCHED', recordId: a.id, actualCents: 10_000n, expectedCents: 10_000n },
    ]);
    // Not adding up: the first is short, the second a duplicate, as before.
    const short = record('A9', { recordNo: 'tx-c', paymentNo: 'tx-c', amountCents: 3_000n, feeCents: null });
    expect(types(run([split], [a, short]))).toEqual(['e:AMOUNT_MISMATCH', 'r:DUPLICATE_PAYMENT']);
    // The whole amount twice: a duplicate, never a split.
    const again = record('A9', {
      recordNo: 'tx-d',
      paymentNo: 'tx-d',
      occurredAt: sh('2026-11-20T11:00:00'),
    });
    const whole = record('A9', { recordNo: 'tx-e', paymentNo: 'tx-e' });
    expect(types(run([split], [whole, again]))).toEqual(['e:MATCHED', 'r:DUPLICATE_PAYMENT']);
  });

  it('accepts partial refunds up to what was paid and reports more as a refund mismatch', () => {
    const refund = (n: number, cents: bigint) =>
      record('A5', { kind: 'REFUND', recordNo: `rf-${n}`, amountCents: cents, feeCents: null });
    const three = [refund(1, 3_000n), refund(2, 3_000n), refund(3, 4_000n)];
    expect(types(run([order('A5')], [record('A5'), ...three]))).toEqual(['e:MATCHED']);
    const over = run([order('A5')], [record('A5'), ...three, refund(4, 1n)]);
    expect(over.find((o) => o.type === 'REFUND_MISMATCH')).toMatchObject({
      itemKey: 'o:order-A5:REFUND',
      expectedCents: 10_000n,
      actualCents: 10_001n,
    });
    // A refund for an order that does not exist is a refund mismatch too.
    expect(run([], [refund(5, 100n)])[0].type).toBe('REFUND_MISMATCH');
  });

  it('checks the fee against the gateway’s rate within its tolerance', () => {
    expect(feeFor(10_000n, 60)).toBe(60n);
    expect(feeFor(8_333n, 60)).toBe(50n); // 49.998 fen rounds to 50
    expect(feeFor(100n, 50)).toBe(1n); // exactly half a fen rounds up
    const offByOne = record('A6', { feeCents: 61n });
    const outcomes = run([order('A6')], [offByOne]);
    expect(outcomes[1]).toMatchObject({
      type: 'FEE_VARIANCE',
      itemKey: `r:${offByOne.id}:FEE`,
      expectedCents: 60n,
      actualCents: 61n,
    });
    // Alipay allows one fen: 61 passes, 62 does not.
    const alipay = (fee: bigint) => record('A7', { gateway: 'ALIPAY', feeCents: fee });
    expect(types(run([order('A7')], [alipay(61n)]))).toEqual(['e:MATCHED']);
    expect(types(run([order('A7')], [alipay(62n)]))).toEqual(['e:MATCHED', 'r:FEE_VARIANCE']);
    // No agreed rate for a gateway: nothing to check.
    expect(types(run([order('A8')], [record('A8', { gateway: 'UNIONPAY', feeCents: 999n })]))).toEqual([
      'e:MATCHED',
    ]);
  });

  it('matches a presale deposit and reports the balance still unpaid', () => {
    const presale = order('P1', {
      channel: 'TAOBAO',
      totalCents: 30_000n,
      payments: [
        { part: 'DEPOSIT', paymentNo: null, amountCents: 5_000n, paidAt: sh('2026-11-11T00:10:00') },
      ],
      balanceDue: true,
    });
    const deposit = record('P1', {
      channel: 'TAOBAO',
      gateway: 'TAOBAO',
      part: 'DEPOSIT',
      amountCents: 5_000n,
      feeCents: null,
    });
    expect(run([presale], [deposit])).toMatchObject([
      { itemKey: 'e:order-P1:DEPOSIT', type: 'MATCHED', recordId: deposit.id },
      { itemKey: 'o:order-P1:BALANCE', type: 'BALANCE_UNPAID', expectedCents: 30_000n, actualCents: 5_000n },
    ]);
    // A balance payment the order does not expect yet is money without (that part of) an order.
    const balance = record('P1', {
      channel: 'TAOBAO',
      gateway: 'TAOBAO',
      part: 'BALANCE',
      amountCents: 25_000n,
      feeCents: null,
    });
    expect(types(run([presale], [deposit, balance]))).toEqual([
      'e:MATCHED',
      'o:BALANCE_UNPAID',
      'r:PAYMENT_WITHOUT_ORDER',
    ]);
  });

  it('ignores fees, subsidies and settlements when matching', () => {
    const fee = record('A9', { kind: 'FEE', recordNo: 'fee-1', amountCents: 60n, feeCents: null });
    expect(types(run([order('A9')], [record('A9'), fee]))).toEqual(['e:MATCHED']);
  });
});

describe('money in bills', () => {
  it('parses yuan and fen exactly', () => {
    expect(parseYuan('1,234.5')).toBe(123_450n);
    expect(parseYuan('¥0.01')).toBe(1n);
    expect(parseYuan('-12')).toBe(-1_200n);
    expect(parseYuan('92233720368547.75')).toBe(9_223_372_036_854_775n);
    expect(parseYuan('92233720368547758.07')).toBe(2n ** 63n - 1n);
    expect(parseYuan('92233720368547758.08')).toBeNull(); // beyond a PostgreSQL bigint
    expect(parseYuan('1.234')).toBeNull();
    expect(parseYuan('abc')).toBeNull();
    expect(parseFen('000001230')).toBe(1_230n);
    expect(parseFen('12.3')).toBeNull();
    expect(formatYuan(-5n)).toBe('-0.05');
    expect(formatYuan(9_223_372_036_854_775_807n)).toBe('92233720368547758.07');
  });

  it('reads back every amount it writes, across the whole 64-bit range', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }), (cents) => {
        expect(parseYuan(formatYuan(cents))).toBe(cents);
      }),
    );
  });

  it('rounds fees half up and never by more than half a fen', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 10_000 }),
        (amount, rateBp) => {
          const exact = amount * BigInt(rateBp); // in 1/10000 fen
          const diff = feeFor(amount, rateBp) * 10_000n - exact;
          expect(diff > -5_000n && diff <= 5_000n).toBe(true); // exactly half a fen rounds up
        },
      ),
    );
  });
});
