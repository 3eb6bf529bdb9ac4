import { describe, expect, it } from 'vitest';
import { formatShanghai, startOfBusinessDay } from '../../../api/src/domain/sla/business-time.js';
import { computeClock, selectPolicy } from '../../../api/src/domain/sla/sla-clock.js';
import { DEFAULT_SLA_POLICIES, type SlaPolicyDraft } from '../../../api/src/domain/sla/sla-policy.js';
import { order, PICKING_POLICY, sh } from './sla-fixtures.js';

const [NORMAL, PRESALE, CUSTOM] = DEFAULT_SLA_POLICIES;

describe('selectPolicy', () => {
  const scoped = (name: string, channel: 'TAOBAO' | null, groupId: string | null): SlaPolicyDraft => ({
    ...PICKING_POLICY,
    name,
    channel,
    groupId,
  });
  const policies = [
    scoped('type', null, null),
    scoped('type+channel', 'TAOBAO', null),
    scoped('type+group', null, 'g-east'),
    scoped('type+channel+group', 'TAOBAO', 'g-east'),
    { ...PICKING_POLICY, name: 'presale', businessType: 'PRESALE' as const },
  ];

  it.each([
    ['TAOBAO', 'g-east', 'type+channel+group'],
    ['JD', 'g-east', 'type+group'],
    ['TAOBAO', 'g-west', 'type+channel'],
    ['JD', 'g-west', 'type'],
    ['JD', null, 'type'],
  ] as const)(
    'a %s order of group %s gets the %s policy, whatever the list order',
    (channel, groupId, expected) => {
      const target = order({ channel, groupId });
      expect(selectPolicy(policies, target)?.name).toBe(expected);
      expect(selectPolicy([...policies].reverse(), target)?.name).toBe(expected);
    },
  );

  it('never takes another business type, and returns null when none covers the order', () => {
    expect(selectPolicy(policies, order({ businessType: 'PRESALE' }))?.name).toBe('presale');
    expect(selectPolicy(policies, order({ businessType: 'CUSTOM' }))).toBeNull();
  });

  it('among equally specific policies the first listed wins', () => {
    const twins = [scoped('first', 'TAOBAO', null), scoped('second', 'TAOBAO', null)];
    expect(selectPolicy(twins, order())?.name).toBe('first');
  });
});

describe('computeClock — NORMAL defaults through each stage', () => {
  const entered = {
    CREATED: sh('2025-11-11 09:58'),
    PAID: sh('2025-11-11 10:00'),
    WAREHOUSE_ACCEPTED: sh('2025-11-11 10:20'),
    PICKING: sh('2025-11-11 11:00'),
    PACKED: sh('2025-11-11 12:30'),
    SHIPPED: sh('2025-11-11 13:10'),
  };

  it('has no clock before payment', () => {
    const unpaid = order({ state: 'CREATED', paidAt: null, stateEnteredAt: { CREATED: entered.CREATED } });
    expect(computeClock(unpaid, NORMAL, sh('2025-11-11 12:00'))).toEqual({
      stage: null,
      stageStartedAt: null,
      deadline: null,
      nextCheckAt: null,
      dueLevel: 0,
      overdueMinutes: 0,
    });
  });

  it.each([
    ['PAID', '10:10', 'WAREHOUSE_ACCEPTED@PAID_AT', '10:00', '10:30'],
    ['WAREHOUSE_ACCEPTED', '10:40', 'PICKING@PAID_AT', '10:00', '12:00'],
    ['PICKING', '11:30', 'PACKED@PAID_AT', '10:00', '13:00'],
    ['PACKED', '12:40', 'SHIPPED@STATE_ENTERED:PACKED', '12:30', '13:30'],
  ] as const)('in %s at %s the clock runs for %s', (state, now, stage, startedAt, deadline) => {
    const path = Object.keys(entered);
    const stateEnteredAt = Object.fromEntries(Object.entries(entered).slice(0, path.indexOf(state) + 1));
    const clock = computeClock(order({ state, stateEnteredAt }), NORMAL, sh(`2025-11-11 ${now}`));
    expect(clock).toEqual({
      stage,
      stageStartedAt: sh(`2025-11-11 ${startedAt}`),
      deadline: sh(`2025-11-11 ${deadline}`),
      nextCheckAt: sh(`2025-11-11 ${deadline}`),
      dueLevel: 0,
      overdueMinutes: 0,
    });
  });

  it.each(['SHIPPED', 'IN_TRANSIT', 'DELIVERED', 'CANCELLED', 'REFUNDED', 'RETURNED', 'RETURNING'] as const)(
    'has no clock once %s',
    (state) => {
      const clock = computeClock(order({ state, stateEnteredAt: entered }), NORMAL, sh('2025-11-12 10:00'));
      expect(clock.stage).toBeNull();
      expect(clock.nextCheckAt).toBeNull();
    },
  );

  it('is level 1 from the deadline and level 2 from two hours after it', () => {
    const paid = order();
    expect(computeClock(paid, NORMAL, sh('2025-11-11 10:30'))).toMatchObject({
      dueLevel: 1,
      overdueMinutes: 0,
    });
    expect(computeClock(paid, NORMAL, sh('2025-11-11 12:00'))).toMatchObject({
      stage: 'WAREHOUSE_ACCEPTED@PAID_AT',
      dueLevel: 1,
      overdueMinutes: 90,
      nextCheckAt: sh('2025-11-11 10:30'),
    });
    expect(computeClock(paid, NORMAL, sh('2025-11-11 12:30'))).toMatchObject({
      dueLevel: 2,
      overdueMinutes: 120,
    });
  });

  it('points the next check at the next level once one is applied, and at nothing after the last', () => {
    const now = sh('2025-11-11 12:00');
    expect(computeClock(order({ escalationLevel: 1 }), NORMAL, now).nextCheckAt).toEqual(
      sh('2025-11-11 12:30'),
    );
    expect(computeClock(order({ escalationLevel: 2 }), NORMAL, now).nextCheckAt).toBeNull();
  });

  it('restarts when the order moves on: the new stage is named and counts from level 0', () => {
    const before = order({ escalationLevel: 1, escalationStage: 'WAREHOUSE_ACCEPTED@PAID_AT' });
    expect(computeClock(before, NORMAL, sh('2025-11-11 10:45')).nextCheckAt).toEqual(sh('2025-11-11 12:30'));
    const moved = {
      ...before,
      state: 'WAREHOUSE_ACCEPTED' as const,
      stateEnteredAt: { ...before.stateEnteredAt, WAREHOUSE_ACCEPTED: sh('2025-11-11 10:50') },
    };
    const clock = computeClock(moved, NORMAL, sh('2025-11-11 11:00'));
    expect(clock.stage).toBe('PICKING@PAID_AT');
    expect(clock.stage).not.toBe(before.escalationStage);
    expect(clock).toMatchObject({
      deadline: sh('2025-11-11 12:00'),
      nextCheckAt: sh('2025-11-11 12:00'),
      dueLevel: 0,
    });
  });

  it('runs across midnight in Shanghai time: paid 23:30, picking due 01:30 the next business day', () => {
    const paidAt = sh('2025-11-11 23:30');
    expect(paidAt.toISOString()).toBe('2025-11-11T15:30:00.000Z');
    const accepted = order({
      state: 'WAREHOUSE_ACCEPTED',
      paidAt,
      stateEnteredAt: { PAID: paidAt, WAREHOUSE_ACCEPTED: sh('2025-11-11 23:45') },
    });
    const clock = computeClock(accepted, NORMAL, sh('2025-11-12 00:10'));
    expect(clock.deadline?.toISOString()).toBe('2025-11-11T17:30:00.000Z');
    expect(formatShanghai(clock.deadline!)).toBe('2025-11-12 01:30');
    expect(startOfBusinessDay(clock.deadline!)).toEqual(sh('2025-11-12 00:00'));
    expect(computeClock(accepted, NORMAL, sh('2025-11-12 02:00'))).toMatchObject({
      dueLevel: 1,
      overdueMinutes: 30,
    });
  });

  it('uses the time the order entered PAID when paidAt is missing', () => {
    const clock = computeClock(order({ paidAt: null }), NORMAL, sh('2025-11-11 10:05'));
    expect(clock.deadline).toEqual(sh('2025-11-11 10:30'));
  });
});

describe('computeClock — PRESALE', () => {
  const balancePaidAt = sh('2025-11-11 00:10');
  const presale = (overrides: Parameters<typeof order>[0] = {}) =>
    order({
      businessType: 'PRESALE',
      paidAt: sh('2025-10-25 20:00'),
      balancePaidAt,
      stateEnteredAt: { PAID: sh('2025-10-25 20:00') },
      ...overrides,
    });

  it('counts warehouse acceptance from the balance payment, not the deposit', () => {
    const clock = computeClock(presale(), PRESALE, sh('2025-11-11 00:20'));
    expect(clock).toMatchObject({
      stage: 'WAREHOUSE_ACCEPTED@BALANCE_PAID_AT',
      stageStartedAt: balancePaidAt,
      deadline: sh('2025-11-11 01:10'),
    });
  });

  it('has no clock while only the deposit is paid, even with a promised date', () => {
    const deposit = presale({ balancePaidAt: null, promisedShipAt: sh('2025-11-13 18:00') });
    expect(computeClock(deposit, PRESALE, sh('2025-11-14 00:00')).stage).toBeNull();
  });

  const accepted = {
    state: 'WAREHOUSE_ACCEPTED' as const,
    stateEnteredAt: { WAREHOUSE_ACCEPTED: sh('2025-11-11 00:40') },
  };

  it('holds the shipment to the promised ship date when one is given', () => {
    const promised = presale({ ...accepted, promisedShipAt: sh('2025-11-13 18:00') });
    expect(computeClock(promised, PRESALE, sh('2025-11-12 09:00'))).toMatchObject({
      stage: 'SHIPPED@PROMISED_SHIP_AT',
      stageStartedAt: balancePaidAt,
      deadline: sh('2025-11-13 18:00'),
      dueLevel: 0,
    });
    expect(computeClock(promised, PRESALE, sh('2025-11-13 20:30'))).toMatchObject({
      dueLevel: 2,
      overdueMinutes: 150,
    });
  });

  it('falls back to three days after the balance payment without a promise', () => {
    expect(computeClock(presale(accepted), PRESALE, sh('2025-11-12 09:00'))).toMatchObject({
      stage: 'SHIPPED@BALANCE_PAID_AT',
      deadline: sh('2025-11-14 00:10'),
    });
  });
});

describe('computeClock — CUSTOM', () => {
  const custom = order({
    businessType: 'CUSTOM',
    state: 'WAREHOUSE_ACCEPTED',
    stateEnteredAt: { PAID: sh('2025-11-11 10:00'), WAREHOUSE_ACCEPTED: sh('2025-11-11 10:30') },
  });

  it('adds the production allowance before the picking window', () => {
    expect(computeClock(custom, CUSTOM, sh('2025-11-12 10:00'))).toMatchObject({
      stage: 'PICKING@PAID_AT',
      stageStartedAt: sh('2025-11-11 10:00'),
      deadline: sh('2025-11-14 12:00'),
      dueLevel: 0,
    });
    expect(computeClock(custom, CUSTOM, sh('2025-11-14 13:00'))).toMatchObject({
      dueLevel: 1,
      overdueMinutes: 60,
    });
  });

  it('counts packing from when picking began', () => {
    const picking = {
      ...custom,
      state: 'PICKING' as const,
      stateEnteredAt: { ...custom.stateEnteredAt, PICKING: sh('2025-11-14 09:00') },
    };
    expect(computeClock(picking, CUSTOM, sh('2025-11-14 10:00'))).toMatchObject({
      stage: 'PACKED@STATE_ENTERED:PICKING',
      deadline: sh('2025-11-14 12:00'),
    });
  });
});
