import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  afterSuccess,
  BREAKER_THRESHOLD,
  type BreakerState,
  breakerStatus,
  CLOSED_BREAKER,
} from '../../../api/src/infra/outbox/circuit-breaker.js';
import { nextAttemptAt } from '../../../api/src/infra/outbox/retry-policy.js';

const t0 = new Date('2026-11-25T06:00:00.000Z');
const plus = (ms: number) => new Date(t0.getTime() + ms);

describe('outbox lane circuit breaker', () => {
  it('stays closed below the threshold and opens at it for 30 s', () => {
    let state: BreakerState = CLOSED_BREAKER;
    for (let i = 1; i < BREAKER_THRESHOLD; i++) {
      state = afterFailure(state, t0);
      expect(breakerStatus(state, t0)).toBe('CLOSED');
    }
    state = afterFailure(state, t0);
    expect(state.openUntil).toEqual(plus(30_000));
    expect(breakerStatus(state, plus(29_999))).toBe('OPEN');
    expect(breakerStatus(state, plus(30_000))).toBe('HALF_OPEN');
  });

  it('doubles the cool-down on each failed trial, up to 10 minutes, and closes on a success', () => {
    let state: BreakerState = { consecutiveFailures: BREAKER_THRESHOLD, openUntil: null };
    state = afterFailure(state, t0);
    expect(state.openUntil).toEqual(plus(60_000));
    for (let i = 0; i < 10; i++) state = afterFailure(state, t0);
    expect(state.openUntil).toEqual(plus(600_000));
    expect(breakerStatus(afterSuccess(), t0)).toBe('CLOSED');
  });

  it('retries after 1 s, 2 s, 4 s… capped at 10 minutes', () => {
    expect(nextAttemptAt(t0, 1, 0)).toEqual(plus(1000));
    expect(nextAttemptAt(t0, 3, 0)).toEqual(plus(4000));
    expect(nextAttemptAt(t0, 30, 0)).toEqual(plus(600_000));
  });
});
