import type pg from 'pg';

/** One claimed outbox message, as a handler sees it. */
export interface OutboxRecord {
  /** Stable across redeliveries: send it to receivers that take an idempotency key or message id. */
  id: string;
  topic: string;
  /** The lane the message travels in: its topic, or a receiver within the topic. */
  lane: string;
  dedupeKey: string;
  payload: Record<string, unknown>;
  /** Delivery attempts made before this one. */
  attempts: number;
  createdAt: Date;
}

/**
 * What happened to one message. `retryable: false` parks it as dead at once. `retryAt` overrides
 * the backoff. `notAttempted` means the message was not sent at all (held back to respect a
 * receiver's rate limit): it counts as neither an attempt nor a failure of the receiver.
 */
export type DeliveryOutcome =
  | { ok: true }
  | { ok: false; error: string; retryable: boolean; retryAt?: Date; notAttempted?: boolean };

export interface DeliveryContext {
  /** Aborted when the handler's `timeoutMs` is up: pass it to `fetch`. */
  signal: AbortSignal;
  /**
   * The claiming transaction, for `transactional` handlers only (null otherwise): effects made
   * through it (pg_notify) commit together with the "delivered" mark, so they happen exactly once.
   */
  tx: pg.PoolClient | null;
}

/**
 * Delivers the messages of one topic. To add a topic (SMS, invoices…), write one file that
 * exports a handler and list it in `app/outbox-handlers.ts`:
 *
 * ```ts
 * export const smsHandler: OutboxHandler = {
 *   topic: 'sms.message',
 *   timeoutMs: 5000,
 *   async deliver([message], { signal }) {
 *     return [await gateway.send(message.payload, { idempotencyKey: message.dedupeKey, signal })];
 *   },
 * };
 * ```
 *
 * and enqueue `{ topic: 'sms.message', dedupeKey, payload, lane? }` with `enqueueOutbox` in the
 * transaction of the change. The dispatcher claims `claimSize` messages of one lane with a lease,
 * calls `deliver`, and marks each outcome at once; a crash repeats at most the messages of the
 * call in flight. Each lane runs on its own, so a slow receiver delays only its own lane, and a
 * lane that keeps failing is paused by a circuit breaker (shown on `flowHealth`).
 */
export interface OutboxHandler {
  topic: string;
  /** One outcome per message, in order. Must not throw for a delivery failure. */
  deliver(messages: readonly OutboxRecord[], context: DeliveryContext): Promise<DeliveryOutcome[]>;
  /**
   * Messages of one lane claimed and handed to `deliver` together; a function decides from the
   * first message claimed (a transactional handler takes a number only). @default 1
   */
  claimSize?: number | ((first: OutboxRecord) => number);
  /** Longest one `deliver` call may take (at most 15 s); the claim's lease is this plus 5 s. @default 10000 */
  timeoutMs?: number;
  /** Deliver inside the claiming transaction (`context.tx`): for effects that are SQL. @default false */
  transactional?: boolean;
}

/** The longest `timeoutMs` a handler may ask for: a dispatch run must end before its lock does. */
export const MAX_HANDLER_TIMEOUT_MS = 15_000;
/** How much longer than its handler's timeout a claim is held before another worker may retake it. */
export const LEASE_MARGIN_MS = 5_000;
