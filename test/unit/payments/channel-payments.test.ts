import { describe, expect, it } from 'vitest';
import type { NormalizedOrder } from '../../../api/src/domain/intake/normalized-order.js';
import { channelPaymentFacts } from '../../../api/src/domain/payments/channel-payments.js';

const AT = new Date('2026-11-20T02:00:00Z');
const order = (extra: Partial<NormalizedOrder>): NormalizedOrder =>
  ({
    channel: 'TAOBAO',
    channelOrderNo: 'T1',
    paidAt: AT,
    paidCents: 10_000,
    presale: null,
    paymentNo: '2026A',
    sourceUpdatedAt: AT,
    ...extra,
  }) as NormalizedOrder;
const brief = (o: NormalizedOrder) =>
  channelPaymentFacts(o).map((f) => [f.kind, f.paymentNo, f.amountCents, f.paidAt.toISOString(), f.eventKey]);

describe('channelPaymentFacts', () => {
  it('reads a paid order as one full payment under its number', () => {
    expect(brief(order({}))).toEqual([
      ['FULL', '2026A', '10000', AT.toISOString(), 'channel-payload:2026-11-20T02:00:00.000Z'],
    ]);
    expect(channelPaymentFacts(order({}))[0]).toMatchObject({ gateway: 'TAOBAO', currency: 'CNY' });
  });

  it('keeps a payment without a number under a placeholder that is also its event key', () => {
    expect(brief(order({ paymentNo: null }))).toEqual([
      ['FULL', 'channel-payload:FULL', '10000', AT.toISOString(), 'channel-payload:FULL'],
    ]);
  });

  it('reads a presale as its deposit, and its balance once paid (the number is the balance’s)', () => {
    const later = new Date('2026-11-25T02:00:00Z');
    const presale = (balancePaidAt: Date | null) =>
      order({
        paidAt: null,
        presale: {
          depositCents: 2_000,
          balanceCents: 8_000,
          depositPaidAt: AT,
          balancePaidAt,
          promisedShipAt: null,
        },
      });
    expect(brief(presale(null)).map((f) => f.slice(0, 3))).toEqual([
      ['DEPOSIT', 'channel-payload:DEPOSIT', '2000'],
    ]);
    expect(brief(presale(later)).map((f) => f.slice(0, 4))).toEqual([
      ['DEPOSIT', 'channel-payload:DEPOSIT', '2000', AT.toISOString()],
      ['BALANCE', '2026A', '8000', later.toISOString()],
    ]);
  });

  it('reads nothing from an unpaid order or a zero amount', () => {
    expect(channelPaymentFacts(order({ paidAt: null }))).toEqual([]);
    expect(channelPaymentFacts(order({ paidCents: 0 }))).toEqual([]);
  });
});
