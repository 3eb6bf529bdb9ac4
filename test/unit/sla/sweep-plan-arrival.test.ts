import { describe, expect, it } from 'vitest';
import { DEFAULT_SLA_POLICIES } from '../../../api/src/domain/sla/sla-policy.js';
import type { SlaOrderRow } from '../../../api/src/modules/sla/sla-order-row.js';
import type { ActiveSlaPolicy } from '../../../api/src/modules/sla/sla-policy.store.js';
import { planOrderSweep } from '../../../api/src/modules/sla/sla-sweep.plan.js';
import type { SweepContext } from '../../../api/src/modules/sla/sla-sweep.types.js';
import { sh } from './sla-fixtures.js';

/** The sweep's pure judgement of orders that arrived late, and of late deliveries. */

const NORMAL: ActiveSlaPolicy = {
  ...DEFAULT_SLA_POLICIES.find((p) => p.businessType === 'NORMAL')!,
  key: 'NORMAL|*|*',
  version: 1,
  draft: DEFAULT_SLA_POLICIES.find((p) => p.businessType === 'NORMAL')!,
};

const CONTEXT: SweepContext = {
  policies: [NORMAL],
  groups: new Map([
    [
      'east',
      {
        id: 'east',
        ownerUserId: 'u-owner',
        ownerName: '王负责',
        ownerMobile: '13800000001',
        supervisorUserId: 'u-sup',
        supervisorName: '李主管',
        supervisorMobile: '13900000002',
        wecomWebhookUrl: 'http://127.0.0.1:9/robot',
      },
    ],
  ]),
  opsWebhookUrl: null,
};

function row(overrides: Partial<SlaOrderRow>): SlaOrderRow {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    channel: 'WEBSHOP',
    channel_order_no: 'WS-1',
    business_type: 'NORMAL',
    state: 'PAID',
    state_entered_at: { PAID: sh('2023-06-01 10:00').toISOString() },
    paid_at: sh('2023-06-01 10:00'),
    presale: null,
    group_id: 'east',
    owner_id: null,
    abnormal: false,
    sla_stage: null,
    sla_deadline: null,
    escalation_level: 0,
    escalation_stage: null,
    sla_policy_key: null,
    sla_policy_version: null,
    promised_delivery_at: null,
    promised_delivery_source: null,
    backfill: false,
    created_at: sh('2026-11-25 00:10'),
    ...overrides,
  };
}

const NOW = sh('2026-11-25 00:11');

describe('planOrderSweep for deadlines past before the order arrived', () => {
  it('records an old order’s stage as late on arrival and raises nothing, flag or not', () => {
    for (const backfill of [false, true]) {
      const plan = planOrderSweep(row({ backfill }), CONTEXT, NOW);
      expect(plan.tickets).toEqual([]);
      expect(plan.reminders).toEqual([]);
      expect(plan.order).toMatchObject({ abnormal: false, escalationLevel: 0, nextCheckAt: null });
      expect(plan.upsertStage).toMatchObject({
        stage: 'WAREHOUSE_ACCEPTED@PAID_AT',
        deadline: sh('2023-06-01 10:30'),
        lateOnArrival: true,
      });
      expect(plan.history.map((h) => h.type)).toEqual(['SLA_LATE_ON_ARRIVAL']);
    }
  });

  it('reminds as usual for an order recently late on arrival (paid 23:00, due 23:30, arrived 00:10)', () => {
    const recent = row({
      paid_at: sh('2026-11-24 23:00'),
      state_entered_at: { PAID: sh('2026-11-24 23:00').toISOString() },
    });
    const plan = planOrderSweep(recent, CONTEXT, NOW);
    expect(plan.tickets).toHaveLength(1);
    expect(plan.reminders.length).toBeGreaterThan(0);
    expect(plan.order.abnormal).toBe(true);
    expect(plan.upsertStage?.lateOnArrival).toBe(true);
    // The same order as a backfill: recorded only.
    const quiet = planOrderSweep({ ...recent, backfill: true }, CONTEXT, NOW);
    expect(quiet.tickets).toEqual([]);
    expect(quiet.reminders).toEqual([]);
  });
});

describe('planOrderSweep for a delivery against its promise', () => {
  const promise = sh('2026-11-24 23:59');
  const delivered = (deliveredAt: Date, overrides: Partial<SlaOrderRow> = {}) =>
    row({
      state: 'DELIVERED',
      paid_at: sh('2026-11-24 10:00'),
      state_entered_at: {
        PAID: sh('2026-11-24 10:00').toISOString(),
        SHIPPED: sh('2026-11-24 12:00').toISOString(),
        DELIVERED: deliveredAt.toISOString(),
      },
      created_at: sh('2026-11-24 10:00'),
      promised_delivery_at: promise,
      promised_delivery_source: 'CHANNEL',
      sla_stage: 'DELIVERED@PROMISED_DELIVERY_AT',
      sla_deadline: promise,
      sla_policy_key: NORMAL.key,
      sla_policy_version: 1,
      ...overrides,
    });

  it('keeps the order flagged after a late delivery, with the reason in the history', () => {
    const plan = planOrderSweep(
      delivered(sh('2026-11-25 00:05'), {
        abnormal: true,
        escalation_level: 1,
        escalation_stage: 'DELIVERED@PROMISED_DELIVERY_AT',
      }),
      CONTEXT,
      NOW,
    );
    expect(plan.order.abnormal).toBe(true);
    expect(plan.closeStage).toMatchObject({
      stage: 'DELIVERED@PROMISED_DELIVERY_AT',
      finishedAt: sh('2026-11-25 00:05'),
    });
    expect(plan.history.map((h) => h.type)).toEqual(['SLA_DELIVERED_LATE', 'SLA_RECOVERED']);
    expect(plan.resolveTicketsOf).toBe('DELIVERED@PROMISED_DELIVERY_AT');
  });

  it('flags a late delivery the clock never timed live, and records its stage finished', () => {
    const plan = planOrderSweep(
      delivered(sh('2026-11-25 00:05'), {
        sla_stage: 'SHIPPED@STATE_ENTERED:PACKED',
        sla_deadline: sh('2026-11-24 13:00'),
      }),
      CONTEXT,
      NOW,
    );
    expect(plan.order.abnormal).toBe(true);
    expect(plan.upsertStage).toMatchObject({
      stage: 'DELIVERED@PROMISED_DELIVERY_AT',
      deadline: promise,
      finishedAt: sh('2026-11-25 00:05'),
      lateOnArrival: false,
    });
    expect(plan.orderUpdated?.abnormal).toBe(true);
  });

  it('leaves an on-time delivery unflagged', () => {
    const plan = planOrderSweep(delivered(promise), CONTEXT, NOW);
    expect(plan.order.abnormal).toBe(false);
    expect(plan.history).toEqual([]);
  });

  it('only records a late delivery of an order that arrived already delivered', () => {
    const plan = planOrderSweep(
      delivered(sh('2026-11-25 00:05'), { created_at: NOW, sla_stage: null, sla_policy_key: null }),
      CONTEXT,
      NOW,
    );
    expect(plan.order.abnormal).toBe(false);
    expect(plan.upsertStage).toMatchObject({ lateOnArrival: true, finishedAt: sh('2026-11-25 00:05') });
    expect(plan.history).toEqual([expect.objectContaining({ type: 'SLA_DELIVERED_LATE' })]);
    expect(plan.history[0].payload.alertsWithheld).toBe(true);
  });
});
