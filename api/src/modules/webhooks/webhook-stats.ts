/** Per-webhook counters since the process started; kept in memory for metrics. */
export interface WebhookCounters {
  /** Requests to a known endpoint, whatever became of them. */
  requests: number;
  /** Requests answered 200 (some items may still have been refused). */
  accepted: number;
  /** Missing, malformed, stale or wrong signatures (401). */
  signatureFailures: number;
  /** Requests to an endpoint with no secret configured (503). */
  notConfigured: number;
  /** Bodies that were not JSON, not the expected shape, or too large (400, 413). */
  malformed: number;
  /** Items refused inside accepted requests (invalid payloads, unknown orders). */
  invalidItems: number;
  /** Requests that failed on our side (500). */
  serverErrors: number;
}

export type WebhookCounter = keyof WebhookCounters;

const counters = new Map<string, WebhookCounters>();

const zero = (): WebhookCounters => ({
  requests: 0,
  accepted: 0,
  signatureFailures: 0,
  notConfigured: 0,
  malformed: 0,
  invalidItems: 0,
  serverErrors: 0,
});

/** Adds to one counter of one webhook (`TAOBAO`, `WMS`…). */
export function countWebhook(name: string, counter: WebhookCounter, by = 1): void {
  let entry = counters.get(name);
  if (!entry) {
    entry = zero();
    counters.set(name, entry);
  }
  entry[counter] += by;
}

/** A copy of the counters, per webhook name. */
export function webhookStats(): Record<string, WebhookCounters> {
  return Object.fromEntries([...counters].map(([name, entry]) => [name, { ...entry }]));
}

/** Forgets every count (tests). */
export function resetWebhookStats(): void {
  counters.clear();
}
