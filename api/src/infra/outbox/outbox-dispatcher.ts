import type pg from 'pg';
import { inTransaction } from '../db/transaction.js';
import type { Logger } from '../logging/logger.js';
import { MAX_DELIVERY_ATTEMPTS, nextAttemptAt } from './retry-policy.js';

export interface OutboxRecord {
  id: string;
  topic: string;
  dedupeKey: string;
  payload: Record<string, unknown>;
  attempts: number;
  createdAt: Date;
}

/** What happened to one message. `retryable: false` parks it as dead at once. */
export type DeliveryOutcome = { ok: true } | { ok: false; error: string; retryable: boolean };

/**
 * Delivers the messages of one topic. Runs inside the claiming transaction: effects made through
 * `tx` (such as pg_notify) commit together with the "delivered" mark, so they happen exactly once.
 */
export interface OutboxHandler {
  topic: string;
  deliver(messages: readonly OutboxRecord[], tx: pg.PoolClient): Promise<DeliveryOutcome[]>;
}

export interface DispatchResult {
  claimed: number;
  delivered: number;
  failed: number;
  dead: number;
}

/**
 * Claims due messages with `FOR UPDATE SKIP LOCKED` (so several workers share the load without
 * taking the same row), hands them to their topic's handler and records the outcome, all in one
 * transaction. A crash before commit leaves the rows due again: delivery is at least once.
 */
export async function dispatchOutboxBatch(opts: {
  pool: pg.Pool;
  handlers: ReadonlyMap<string, OutboxHandler>;
  batchSize: number;
  deliveredBy: string;
  logger: Logger;
}): Promise<DispatchResult> {
  // Handlers may wait on HTTP with the transaction open; should the connection drop meanwhile,
  // the batch fails (its rows stay due) and the process carries on.
  return inTransaction(opts.pool, async (client) => {
    const result: DispatchResult = { claimed: 0, delivered: 0, failed: 0, dead: 0 };
    const { rows } = await client.query<{
      id: string;
      topic: string;
      dedupe_key: string;
      payload: Record<string, unknown>;
      attempts: number;
      created_at: Date;
    }>(
      `select id, topic, dedupe_key, payload, attempts, created_at from outbox_message
        where delivered_at is null and dead_at is null and available_at <= now()
        order by available_at, id limit $1 for update skip locked`,
      [opts.batchSize],
    );
    result.claimed = rows.length;
    const byTopic = new Map<string, OutboxRecord[]>();
    for (const row of rows) {
      const record: OutboxRecord = {
        id: row.id,
        topic: row.topic,
        dedupeKey: row.dedupe_key,
        payload: row.payload,
        attempts: row.attempts,
        createdAt: row.created_at,
      };
      const same = byTopic.get(row.topic);
      if (same) same.push(record);
      else byTopic.set(row.topic, [record]);
    }
    const deliveredIds: string[] = [];
    const now = new Date();
    for (const [topic, messages] of byTopic) {
      const outcomes = await deliverTopic(opts.handlers.get(topic), topic, messages, client);
      for (const [i, outcome] of outcomes.entries()) {
        const message = messages[i];
        if (outcome.ok) {
          deliveredIds.push(message.id);
          continue;
        }
        const attempts = message.attempts + 1;
        const dead = !outcome.retryable || attempts >= MAX_DELIVERY_ATTEMPTS;
        result[dead ? 'dead' : 'failed'] += 1;
        opts.logger.warn(
          { outboxId: message.id, topic, attempts, dead, err: outcome.error },
          'outbox delivery failed',
        );
        await client.query(
          `update outbox_message set attempts = $2, last_error = $3, available_at = $4,
                  dead_at = case when $5 then now() else null end where id = $1`,
          [
            message.id,
            attempts,
            outcome.error.slice(0, 2000),
            nextAttemptAt(now, attempts, Math.random()),
            dead,
          ],
        );
      }
    }
    if (deliveredIds.length > 0) {
      await client.query(
        `update outbox_message set delivered_at = now(), delivered_by = $2, attempts = attempts + 1
          where id = any($1::bigint[])`,
        [deliveredIds, opts.deliveredBy],
      );
    }
    result.delivered = deliveredIds.length;
    return result;
  });
}

async function deliverTopic(
  handler: OutboxHandler | undefined,
  topic: string,
  messages: OutboxRecord[],
  client: pg.PoolClient,
): Promise<DeliveryOutcome[]> {
  if (!handler)
    return messages.map(() => ({ ok: false, error: `no handler for topic ${topic}`, retryable: true }));
  // A savepoint keeps a handler's failed SQL from aborting the whole batch's transaction.
  await client.query('savepoint deliver_topic');
  try {
    const outcomes = await handler.deliver(messages, client);
    if (outcomes.length !== messages.length)
      throw new Error(`handler for ${topic} answered ${outcomes.length} of ${messages.length}`);
    await client.query('release savepoint deliver_topic');
    return outcomes;
  } catch (error) {
    await client.query('rollback to savepoint deliver_topic');
    const text = error instanceof Error ? error.message : String(error);
    return messages.map(() => ({ ok: false, error: text, retryable: true }));
  }
}
