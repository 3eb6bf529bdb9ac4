import type { Agenda } from 'agenda';
import type pg from 'pg';
import type { Logger } from '../infra/logging/logger.js';
import { OUTBOX_WAKE_CHANNEL } from '../infra/outbox/outbox.js';
import { dispatchOutboxBatch, type OutboxHandler } from '../infra/outbox/outbox-dispatcher.js';

export const OUTBOX_DISPATCH_JOB = 'outbox.dispatch';

interface DispatchDeps {
  pool: pg.Pool;
  handlers: readonly OutboxHandler[];
  workerName: string;
  logger: Logger;
  /** Recurring sweep for retries and anything a wake-up missed. */
  sweepEveryMs: number;
}

/**
 * Outbox delivery as an Agenda job. It runs on a recurring sweep and, between sweeps, whenever a
 * committed transaction enqueued something (PostgreSQL NOTIFY): the wake-up reschedules one shared
 * job row to "now", so there is never one job per message. Each run drains what is due in
 * batches, for at most a few seconds.
 */
export async function scheduleOutboxDispatch(
  agenda: Agenda,
  deps: DispatchDeps,
): Promise<() => Promise<void>> {
  const handlers = new Map(deps.handlers.map((h) => [h.topic, h]));
  agenda.define(
    OUTBOX_DISPATCH_JOB,
    async () => {
      const deadline = Date.now() + 5000;
      let total = 0;
      for (;;) {
        const batch = await dispatchOutboxBatch({
          pool: deps.pool,
          handlers,
          batchSize: 500,
          deliveredBy: deps.workerName,
          logger: deps.logger,
        });
        total += batch.delivered;
        if (batch.claimed < 500 || Date.now() > deadline) break;
      }
      if (total > 0) deps.logger.debug({ delivered: total }, 'outbox delivered');
    },
    { concurrency: 1, lockLimit: 1, lockLifetime: 60_000 },
  );
  await agenda.every(`${Math.round(deps.sweepEveryMs / 1000) || 1} seconds`, OUTBOX_DISPATCH_JOB, {
    kind: 'sweep',
  });
  return listenForWakeUps(agenda, deps);
}

async function listenForWakeUps(agenda: Agenda, deps: DispatchDeps): Promise<() => Promise<void>> {
  const client = await deps.pool.connect();
  let pending = false;
  const wake = () => {
    if (pending) return;
    pending = true;
    // Coalesce a burst of commits into one reschedule of the shared wake-up job.
    setTimeout(() => {
      pending = false;
      agenda
        .create(OUTBOX_DISPATCH_JOB, { kind: 'wake' })
        .unique({ 'data.kind': 'wake' })
        .schedule(new Date())
        .save()
        .catch((error: Error) =>
          deps.logger.warn({ err: error.message }, 'could not schedule outbox wake-up'),
        );
    }, 10);
  };
  client.on('notification', wake);
  await client.query(`LISTEN ${OUTBOX_WAKE_CHANNEL}`);
  wake();
  return async () => {
    client.removeListener('notification', wake);
    await client.query(`UNLISTEN ${OUTBOX_WAKE_CHANNEL}`).catch(() => undefined);
    client.release();
  };
}
