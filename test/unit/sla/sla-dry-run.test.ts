import { describe, expect, it } from 'vitest';
import { type DryRunOrder, dryRunPolicy } from '../../../api/src/domain/sla/sla-dry-run.js';
import { DEFAULT_SLA_POLICIES, type SlaPolicyDraft } from '../../../api/src/domain/sla/sla-policy.js';
import { order, sh } from './sla-fixtures.js';

const [NORMAL] = DEFAULT_SLA_POLICIES;
const now = sh('2025-11-11 15:00');

/** A NORMAL order accepted by the warehouse, paid at `paid` (Shanghai, that day). */
const accepted = (orderId: string, paid: string, overrides: Partial<DryRunOrder> = {}): DryRunOrder => ({
  ...order({
    state: 'WAREHOUSE_ACCEPTED',
    paidAt: sh(`2025-11-11 ${paid}`),
    stateEnteredAt: { PAID: sh(`2025-11-11 ${paid}`), WAREHOUSE_ACCEPTED: sh(`2025-11-11 ${paid}`) },
  }),
  orderId,
  ...overrides,
});

const openOrders: DryRunOrder[] = [
  accepted('o-fresh', '14:00'), // picking due 16:00 — on time
  accepted('o-late', '12:30'), // due 14:30 — level 1
  accepted('o-very-late', '10:00', { escalationLevel: 2 }), // due 12:00, +3 h — level 2
  accepted('o-jd-late', '12:00', { channel: 'JD' }), // due 14:00 — level 1
  accepted('o-presale', '08:00', { businessType: 'PRESALE' }), // another policy's order
  accepted('o-shipped', '08:00', { state: 'SHIPPED' }), // no clock
];

describe('dryRunPolicy', () => {
  it('lists the orders that would be overdue now, most overdue first, with counts per level', () => {
    const result = dryRunPolicy(NORMAL, openOrders, now);
    expect(result.evaluated).toBe(5);
    expect(result.overdue).toEqual([
      {
        orderId: 'o-very-late',
        stage: 'PICKING@PAID_AT',
        deadline: sh('2025-11-11 12:00'),
        level: 2,
        overdueMinutes: 180,
      },
      {
        orderId: 'o-jd-late',
        stage: 'PICKING@PAID_AT',
        deadline: sh('2025-11-11 14:00'),
        level: 1,
        overdueMinutes: 60,
      },
      {
        orderId: 'o-late',
        stage: 'PICKING@PAID_AT',
        deadline: sh('2025-11-11 14:30'),
        level: 1,
        overdueMinutes: 30,
      },
    ]);
    expect(result.byLevel).toEqual({ 1: 2, 2: 1 });
  });

  it('shows what a tighter draft would change', () => {
    const tighter: SlaPolicyDraft = {
      ...NORMAL,
      stages: NORMAL.stages.map((stage) =>
        stage.target === 'PICKING' ? { ...stage, withinMinutes: 60 } : stage,
      ),
    };
    const result = dryRunPolicy(tighter, openOrders, now);
    expect(result.overdue.map(({ orderId, level }) => [orderId, level])).toEqual([
      ['o-very-late', 2],
      ['o-jd-late', 2],
      ['o-late', 1],
      ['o-fresh', 1],
    ]);
    expect(result.byLevel).toEqual({ 1: 2, 2: 2 });
  });

  it('counts an order past its deadline but before level 1 at level 0', () => {
    const grace: SlaPolicyDraft = {
      ...NORMAL,
      escalation: [{ afterMinutes: 45, actions: ['REMIND_OWNER'] }, ...NORMAL.escalation.slice(1)],
    };
    const result = dryRunPolicy(grace, openOrders, now);
    expect(result.overdue.map(({ orderId, level }) => [orderId, level])).toEqual([
      ['o-very-late', 2],
      ['o-jd-late', 1],
      ['o-late', 0],
    ]);
    expect(result.byLevel).toEqual({ 0: 1, 1: 1, 2: 1 });
  });

  it('leaves out orders a more specific live policy would keep', () => {
    const jdPolicy: SlaPolicyDraft = { ...NORMAL, name: 'JD', channel: 'JD' };
    const result = dryRunPolicy(NORMAL, openOrders, now, { otherPolicies: [jdPolicy] });
    expect(result.evaluated).toBe(4);
    expect(result.overdue.map(({ orderId }) => orderId)).toEqual(['o-very-late', 'o-late']);
    expect(result.byLevel).toEqual({ 1: 1, 2: 1 });
  });

  it('counts nothing for no orders', () => {
    expect(dryRunPolicy(NORMAL, [], now)).toEqual({ evaluated: 0, overdue: [], byLevel: {} });
  });
});
