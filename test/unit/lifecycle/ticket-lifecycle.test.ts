import { describe, expect, it } from 'vitest';
import {
  TICKET_STATES,
  type TicketState,
  ticketLifecycle,
} from '../../../api/src/domain/ticket/ticket-lifecycle.js';

const ALLOWED = new Set([
  'OPEN→ACKNOWLEDGED',
  'OPEN→ESCALATED',
  'OPEN→RESOLVED',
  'ACKNOWLEDGED→ESCALATED',
  'ACKNOWLEDGED→RESOLVED',
  'ESCALATED→ACKNOWLEDGED',
  'ESCALATED→RESOLVED',
]);
const everyPair = TICKET_STATES.flatMap((from) =>
  TICKET_STATES.map((to) => [from, to] as [TicketState, TicketState]),
);

describe('ticket lifecycle', () => {
  it('validates at start-up', () => {
    expect(ticketLifecycle.states).toEqual(['OPEN', 'ACKNOWLEDGED', 'ESCALATED', 'RESOLVED']);
    expect(ticketLifecycle.initial).toBe('OPEN');
    expect(TICKET_STATES.filter((s) => ticketLifecycle.isTerminal(s))).toEqual(['RESOLVED']);
  });

  it.each(everyPair)('%s → %s', (from, to) => {
    expect(ticketLifecycle.canTransition(from, to).ok).toBe(ALLOWED.has(`${from}→${to}`));
  });

  it('cannot reopen a resolved ticket', () => {
    expect(ticketLifecycle.canTransition('RESOLVED', 'OPEN')).toEqual({
      ok: false,
      code: 'TERMINAL_STATE',
      reason: 'ticket is RESOLVED, a final state; it cannot move to OPEN',
    });
  });
});
