/**
 * The circuit breaker of one outbox lane, as pure rules with `now` passed in. After
 * `BREAKER_THRESHOLD` deliveries in a row failed, the lane is OPEN: nothing is sent to that
 * receiver for a cool-down (30 s, doubling with each further failure, at most 10 min). After it,
 * the lane is HALF_OPEN: one delivery is tried; success closes the breaker, failure opens it again.
 */
export interface BreakerState {
  consecutiveFailures: number;
  /** While in the future the lane is not dispatched. */
  openUntil: Date | null;
}

export type BreakerStatus = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** Failed deliveries in a row that open the breaker. @default 5 */
export const BREAKER_THRESHOLD = 5;
const BASE_COOL_DOWN_MS = 30_000;
const MAX_COOL_DOWN_MS = 600_000;

export const CLOSED_BREAKER: BreakerState = { consecutiveFailures: 0, openUntil: null };

export function breakerStatus(state: BreakerState, now: Date): BreakerStatus {
  if (state.openUntil && state.openUntil.getTime() > now.getTime()) return 'OPEN';
  return state.consecutiveFailures >= BREAKER_THRESHOLD ? 'HALF_OPEN' : 'CLOSED';
}

export function afterFailure(state: BreakerState, now: Date): BreakerState {
  const consecutiveFailures = state.consecutiveFailures + 1;
  if (consecutiveFailures < BREAKER_THRESHOLD) return { consecutiveFailures, openUntil: null };
  const coolDown = Math.min(
    BASE_COOL_DOWN_MS * 2 ** (consecutiveFailures - BREAKER_THRESHOLD),
    MAX_COOL_DOWN_MS,
  );
  return { consecutiveFailures, openUntil: new Date(now.getTime() + coolDown) };
}

export function afterSuccess(): BreakerState {
  return CLOSED_BREAKER;
}
