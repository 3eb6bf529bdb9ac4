/**
 * Back-off on failed sign-ins, per subject (a username, or an address). A subject may fail a few
 * times freely; after that each failure blocks it for twice as long as the one before, up to a
 * ceiling. A quiet hour forgets the failures. Pure: `now` is passed in.
 */
export interface ThrottleState {
  failures: number;
  lastFailureAt: Date | null;
  blockedUntil: Date | null;
}

export interface ThrottlePolicy {
  /** Failures allowed before the first block. */
  freeFailures: number;
  /** Length of the first block; each further failure doubles it. */
  baseBlockMs: number;
  /** Longest block. */
  maxBlockMs: number;
  /** Failures older than this (counted from the last one) are forgotten. */
  forgetAfterMs: number;
}

/** Per username: 5 free failures, then 1 s, 2 s, 4 s … up to 15 minutes. */
export const USER_THROTTLE: ThrottlePolicy = {
  freeFailures: 5,
  baseBlockMs: 1000,
  maxBlockMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};

/** Per address (many staff may share an office address): 20 free failures, then the same back-off. */
export const ADDRESS_THROTTLE: ThrottlePolicy = { ...USER_THROTTLE, freeFailures: 20 };

export const NO_FAILURES: ThrottleState = { failures: 0, lastFailureAt: null, blockedUntil: null };

/** Milliseconds the subject must still wait before trying again; 0 when it may try now. */
export function blockedForMs(state: ThrottleState, now: Date): number {
  if (!state.blockedUntil) return 0;
  return Math.max(0, state.blockedUntil.getTime() - now.getTime());
}

/** The state after one more failure at `now`. */
export function afterFailure(state: ThrottleState, policy: ThrottlePolicy, now: Date): ThrottleState {
  const forgotten =
    state.lastFailureAt !== null && now.getTime() - state.lastFailureAt.getTime() > policy.forgetAfterMs;
  const failures = (forgotten ? 0 : state.failures) + 1;
  const over = failures - policy.freeFailures;
  if (over <= 0) return { failures, lastFailureAt: now, blockedUntil: null };
  const blockMs = Math.min(policy.maxBlockMs, policy.baseBlockMs * 2 ** Math.min(over - 1, 40));
  return { failures, lastFailureAt: now, blockedUntil: new Date(now.getTime() + blockMs) };
}
