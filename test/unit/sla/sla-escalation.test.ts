import { describe, expect, it } from 'vitest';
import type { SlaOrderSnapshot } from '../../../api/src/domain/sla/sla-clock.js';
import { planEscalation } from '../../../api/src/domain/sla/sla-escalation.js';
import { DEFAULT_SLA_POLICIES, type SlaPolicyDraft } from '../../../api/src/domain/sla/sla-policy.js';
import { order, PICKING_POLICY, sh } from './sla-fixtures.js';

const at = (time: string) => sh(`2025-11-11 ${time}`);

describe('planEscalation', () => {
  it('plans nothing before the deadline and wakes the sweep at it', () => {
    expect(planEscalation(order(), PICKING_POLICY, at('11:59'))).toEqual({
      stage: 'PICKING@PAID_AT',
      levelsToApply: [],
      nextCheckAt: at('12:00'),
    });
  });

  it('applies level 1 at the deadline: flag, remind the owner, open a ticket', () => {
    expect(planEscalation(order(), PICKING_POLICY, at('12:00'))).toEqual({
      stage: 'PICKING@PAID_AT',
      levelsToApply: [
        { level: 1, actions: ['FLAG_ABNORMAL', 'REMIND_OWNER', 'OPEN_TICKET'], dueAt: at('12:00') },
      ],
      nextCheckAt: at('14:00'),
    });
  });

  it('returns both levels, in order, when the sweep runs late past the second', () => {
    const plan = planEscalation(order(), PICKING_POLICY, at('14:30'));
    expect(plan.levelsToApply).toEqual([
      { level: 1, actions: ['FLAG_ABNORMAL', 'REMIND_OWNER', 'OPEN_TICKET'], dueAt: at('12:00') },
      { level: 2, actions: ['ESCALATE_SUPERVISOR'], dueAt: at('14:00') },
    ]);
    expect(plan.nextCheckAt).toBeNull();
  });

  it('never returns a level already applied', () => {
    expect(planEscalation(order({ escalationLevel: 1 }), PICKING_POLICY, at('14:30')).levelsToApply).toEqual([
      { level: 2, actions: ['ESCALATE_SUPERVISOR'], dueAt: at('14:00') },
    ]);
    expect(planEscalation(order({ escalationLevel: 2 }), PICKING_POLICY, at('23:00'))).toEqual({
      stage: 'PICKING@PAID_AT',
      levelsToApply: [],
      nextCheckAt: null,
    });
  });

  it('applies each level exactly once over a day of irregular sweeps', () => {
    const chain: SlaPolicyDraft = {
      ...PICKING_POLICY,
      escalation: [
        { afterMinutes: 0, actions: ['FLAG_ABNORMAL'] },
        { afterMinutes: 60, actions: ['REMIND_OWNER'] },
        { afterMinutes: 120, actions: ['ESCALATE_SUPERVISOR'] },
        { afterMinutes: 480, actions: ['NOTIFY_OPS'] },
      ],
    };
    let current: SlaOrderSnapshot = order();
    const applied: number[] = [];
    for (const time of ['11:00', '12:00', '12:00', '12:59', '14:30', '14:31', '19:59', '20:00', '23:59']) {
      const plan = planEscalation(current, chain, at(time));
      for (const { level } of plan.levelsToApply) applied.push(level);
      const last = plan.levelsToApply.at(-1);
      if (last) current = { ...current, escalationLevel: last.level, escalationStage: plan.stage };
    }
    expect(applied).toEqual([1, 2, 3, 4]);
  });

  it('starts again at level 1 when the order reaches the next stage', () => {
    const [NORMAL] = DEFAULT_SLA_POLICIES;
    const lateAcceptance = order({ escalationLevel: 2, escalationStage: 'WAREHOUSE_ACCEPTED@PAID_AT' });
    expect(planEscalation(lateAcceptance, NORMAL, at('13:00')).levelsToApply).toEqual([]);
    const accepted: SlaOrderSnapshot = {
      ...lateAcceptance,
      state: 'WAREHOUSE_ACCEPTED',
      stateEnteredAt: { ...lateAcceptance.stateEnteredAt, WAREHOUSE_ACCEPTED: at('13:05') },
    };
    const plan = planEscalation(accepted, NORMAL, at('13:10'));
    expect(plan.stage).toBe('PICKING@PAID_AT');
    expect(plan.levelsToApply.map(({ level, dueAt }) => [level, dueAt])).toEqual([[1, at('12:00')]]);
    expect(plan.nextCheckAt).toEqual(at('14:00'));
  });

  it('plans nothing for an order without a clock', () => {
    expect(planEscalation(order({ state: 'CANCELLED' }), PICKING_POLICY, at('23:00'))).toEqual({
      stage: null,
      levelsToApply: [],
      nextCheckAt: null,
    });
  });
});
