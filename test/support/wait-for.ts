export interface WaitForOptions {
  /** Give up after this many ms (default 5000). */
  timeoutMs?: number;
  /** Pause between two checks, in ms (default 25). */
  intervalMs?: number;
  /** What is being waited for; shown when the wait times out. */
  message?: string;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `predicate` until it returns a truthy value and resolves with that value.
 * Rejects once `timeoutMs` has passed, naming what was awaited and the last error the predicate threw.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 5_000, intervalMs = 25, message = 'condition' }: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${cause}`);
    }
    await sleep(intervalMs);
  }
}
