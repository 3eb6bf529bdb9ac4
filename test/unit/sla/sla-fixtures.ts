import type { SlaOrderSnapshot } from '../../../api/src/domain/sla/sla-clock.js';
import type { SlaPolicyDraft } from '../../../api/src/domain/sla/sla-policy.js';

/** An instant given as Shanghai wall-clock time, `YYYY-MM-DD HH:mm`. */
export const sh = (text: string): Date => new Date(`${text.replace(' ', 'T')}:00+08:00`);

/** A paid NORMAL Taobao order with nothing escalated yet; override what the test is about. */
export function order(overrides: Partial<SlaOrderSnapshot> = {}): SlaOrderSnapshot {
  return {
    state: 'PAID',
    businessType: 'NORMAL',
    channel: 'TAOBAO',
    groupId: 'g-east',
    paidAt: sh('2025-11-11 10:00'),
    stateEnteredAt: { CREATED: sh('2025-11-11 09:58'), PAID: sh('2025-11-11 10:00') },
    escalationLevel: 0,
    ...overrides,
  };
}

/** One stage (picking within 2 h of payment) and the customer's two levels (at 2 h, at 4 h). */
export const PICKING_POLICY: SlaPolicyDraft = {
  name: 'picking 2h',
  businessType: 'NORMAL',
  channel: null,
  groupId: null,
  stages: [{ target: 'PICKING', from: 'PAID_AT', withinMinutes: 120 }],
  escalation: [
    { afterMinutes: 0, actions: ['FLAG_ABNORMAL', 'REMIND_OWNER', 'OPEN_TICKET'] },
    { afterMinutes: 120, actions: ['ESCALATE_SUPERVISOR'] },
  ],
};
