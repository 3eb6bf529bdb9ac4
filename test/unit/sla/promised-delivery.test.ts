import { describe, expect, it } from 'vitest';
import { deliveryPromise, deliveryVerdict } from '../../../api/src/domain/sla/promised-delivery.js';
import { activeStage, computeClock } from '../../../api/src/domain/sla/sla-clock.js';
import { DEFAULT_SLA_POLICIES, type SlaPolicyDraft } from '../../../api/src/domain/sla/sla-policy.js';
import { parseSlaPolicyInput } from '../../../api/src/domain/sla/validate-sla-policy.js';
import { order, sh } from './sla-fixtures.js';

const NORMAL_DEFAULT = DEFAULT_SLA_POLICIES.find((p) => p.businessType === 'NORMAL')!;

/** The default NORMAL policy plus a promise of its own: delivered within 3 days of shipping. */
const WITH_POLICY_PROMISE: SlaPolicyDraft = {
  ...NORMAL_DEFAULT,
  stages: [
    ...NORMAL_DEFAULT.stages,
    { target: 'DELIVERED', from: 'STATE_ENTERED:SHIPPED', withinMinutes: 3 * 24 * 60 },
  ],
};

const shipped = (at: Date, overrides = {}) =>
  order({
    state: 'SHIPPED',
    stateEnteredAt: { PAID: sh('2026-11-24 10:00'), SHIPPED: at },
    paidAt: sh('2026-11-24 10:00'),
    ...overrides,
  });

describe('the promised delivery time', () => {
  it('is the channel’s when the payload carried one, whatever the policy says', () => {
    const promise = sh('2026-11-26 18:00');
    expect(
      deliveryPromise(shipped(sh('2026-11-24 23:30'), { promisedDeliveryAt: promise }), WITH_POLICY_PROMISE),
    ).toEqual({
      at: promise,
      source: 'CHANNEL',
    });
  });

  it('is the policy’s DELIVERED stage deadline otherwise, counted across midnight in Shanghai', () => {
    // Shipped 23:30 on 11-24 (15:30 UTC): promised 23:30 on 11-27, Shanghai time.
    expect(deliveryPromise(shipped(sh('2026-11-24 23:30')), WITH_POLICY_PROMISE)).toEqual({
      at: sh('2026-11-27 23:30'),
      source: 'SLA_POLICY',
    });
  });

  it('is unknown while the policy’s anchor is (not yet shipped), and absent under a policy with none', () => {
    expect(deliveryPromise(order(), WITH_POLICY_PROMISE)).toBeNull();
    // The default stage times only a channel promise; it derives none.
    expect(deliveryPromise(shipped(sh('2026-11-24 23:30')), NORMAL_DEFAULT)).toBeNull();
    expect(deliveryPromise(shipped(sh('2026-11-24 23:30')), null)).toBeNull();
  });
});

describe('the DELIVERED stage', () => {
  it('is accepted by the policy rules, and every default policy has one for the channel’s promise', () => {
    for (const policy of DEFAULT_SLA_POLICIES) {
      expect(parseSlaPolicyInput(policy).ok).toBe(true);
      expect(policy.stages.at(-1)).toEqual({
        target: 'DELIVERED',
        from: 'PROMISED_DELIVERY_AT',
        withinMinutes: 0,
      });
    }
    expect(parseSlaPolicyInput(WITH_POLICY_PROMISE).ok).toBe(true);
  });

  it('times a shipped order against the channel’s promise, late from one minute past midnight', () => {
    const promise = sh('2026-11-25 00:00');
    const snapshot = shipped(sh('2026-11-24 12:00'), { promisedDeliveryAt: promise });
    expect(activeStage(snapshot, NORMAL_DEFAULT)?.name).toBe('DELIVERED@PROMISED_DELIVERY_AT');
    expect(computeClock(snapshot, NORMAL_DEFAULT, sh('2026-11-24 23:59'))).toMatchObject({
      deadline: promise,
      dueLevel: 0,
    });
    expect(computeClock(snapshot, NORMAL_DEFAULT, sh('2026-11-25 00:01'))).toMatchObject({
      deadline: promise,
      dueLevel: 1,
      overdueMinutes: 1,
    });
  });

  it('runs no clock for an order without a promise under the default policy once shipped', () => {
    expect(activeStage(shipped(sh('2026-11-24 12:00')), NORMAL_DEFAULT)).toBeNull();
  });

  it('judges a delivery after the promise as late, one exactly at it as on time', () => {
    const promise = sh('2026-11-24 23:59');
    const delivered = (at: Date) =>
      order({
        state: 'DELIVERED',
        paidAt: sh('2026-11-24 10:00'),
        promisedDeliveryAt: promise,
        stateEnteredAt: { PAID: sh('2026-11-24 10:00'), SHIPPED: sh('2026-11-24 12:00'), DELIVERED: at },
      });
    expect(deliveryVerdict(delivered(sh('2026-11-25 00:05')), NORMAL_DEFAULT)).toEqual({
      stage: 'DELIVERED@PROMISED_DELIVERY_AT',
      startedAt: sh('2026-11-24 10:00'),
      deadline: promise,
      deliveredAt: sh('2026-11-25 00:05'),
      late: true,
    });
    expect(deliveryVerdict(delivered(promise), NORMAL_DEFAULT)?.late).toBe(false);
    expect(
      deliveryVerdict(shipped(sh('2026-11-24 12:00'), { promisedDeliveryAt: promise }), NORMAL_DEFAULT),
    ).toBeNull();
  });
});
