/** The p-th percentile (0–100) of values sorted ascending, by the nearest-rank method. */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, Math.max(1, rank)) - 1];
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Count, p50/p90/p99, max and mean of latencies in milliseconds, rounded to 0.01 ms. */
export function summarize(values: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  const round = (v: number) => Math.round(v * 100) / 100;
  const sum = list.reduce((a, b) => a + b, 0);
  return {
    count: list.length,
    p50: round(percentile(list, 50)),
    p90: round(percentile(list, 90)),
    p99: round(percentile(list, 99)),
    max: round(list.at(-1) ?? Number.NaN),
    mean: round(list.length ? sum / list.length : Number.NaN),
  };
}

/** A whole number with thousands separators: 12345 → "12,345". */
export const thousands = (value: number) => Math.round(value).toLocaleString('en');

/** Units per second, rounded to a whole number. */
export const perSecond = (count: number, ms: number) => (ms > 0 ? Math.round((count * 1000) / ms) : 0);
