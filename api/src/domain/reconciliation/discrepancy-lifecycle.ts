import { defineLifecycle, type TransitionMap } from '../fsm/fsm.js';

/** A difference reconciliation found, as finance works it. */
export const DISCREPANCY_STATES = ['OPEN', 'CONFIRMED', 'RESOLVED', 'WRITTEN_OFF'] as const;
export type DiscrepancyState = (typeof DISCREPANCY_STATES)[number];

/**
 * OPEN → CONFIRMED (finance agrees it is real) → RESOLVED (the money was put right) or
 * WRITTEN_OFF (核销: accepted as it is, books closed). A later run that finds the money matched
 * resolves an OPEN or CONFIRMED one itself, hence OPEN → RESOLVED. Written-off and resolved ones
 * are final; a new difference on the same item opens again as a new state of the same row only
 * through a run, never by hand.
 */
export const DISCREPANCY_TRANSITIONS: TransitionMap<DiscrepancyState> = {
  OPEN: { to: ['CONFIRMED', 'RESOLVED', 'WRITTEN_OFF'] },
  CONFIRMED: { to: ['RESOLVED', 'WRITTEN_OFF'] },
  RESOLVED: { to: [] },
  WRITTEN_OFF: { to: [] },
};

export const discrepancyLifecycle = defineLifecycle<DiscrepancyState>({
  name: 'discrepancy',
  states: DISCREPANCY_STATES,
  initial: 'OPEN',
  terminal: ['RESOLVED', 'WRITTEN_OFF'],
  transitions: DISCREPANCY_TRANSITIONS,
});
