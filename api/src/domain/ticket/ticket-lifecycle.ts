import { defineLifecycle, type TransitionMap } from '../fsm/fsm.js';

/** A work ticket opened for an order that needs a person (an SLA breach, a rejected event…). */
export const TICKET_STATES = ['OPEN', 'ACKNOWLEDGED', 'ESCALATED', 'RESOLVED'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

/**
 * OPEN → ACKNOWLEDGED → RESOLVED; OPEN/ACKNOWLEDGED → ESCALATED (the supervisor takes over);
 * ESCALATED → ACKNOWLEDGED (the supervisor picks it up) or RESOLVED.
 * OPEN → RESOLVED is allowed too: the cause can go away before anyone acknowledges (the late
 * order reaches picking), and the system then closes the ticket itself.
 * How far a ticket has been escalated is the order's `escalationLevel`, not a state.
 */
export const TICKET_TRANSITIONS: TransitionMap<TicketState> = {
  OPEN: { to: ['ACKNOWLEDGED', 'ESCALATED', 'RESOLVED'] },
  ACKNOWLEDGED: { to: ['ESCALATED', 'RESOLVED'] },
  ESCALATED: { to: ['ACKNOWLEDGED', 'RESOLVED'] },
  RESOLVED: { to: [] },
};

export const ticketLifecycle = defineLifecycle<TicketState>({
  name: 'ticket',
  states: TICKET_STATES,
  initial: 'OPEN',
  terminal: ['RESOLVED'],
  transitions: TICKET_TRANSITIONS,
});
