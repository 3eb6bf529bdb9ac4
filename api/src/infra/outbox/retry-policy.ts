/**
 * When to try a failed delivery again: exponential from 1 s, doubling, capped at 10 min, with
 * up to 20 % jitter so that a burst of failures does not retry in lockstep. Pure: `jitter` in [0,1).
 */
export function nextAttemptAt(now: Date, attempts: number, jitter: number): Date {
  const base = Math.min(1000 * 2 ** Math.max(0, attempts - 1), 600_000);
  return new Date(now.getTime() + Math.round(base * (1 + 0.2 * jitter)));
}

/** After this many failed attempts a message is parked as dead for an operator. @default 12 */
export const MAX_DELIVERY_ATTEMPTS = 12;
