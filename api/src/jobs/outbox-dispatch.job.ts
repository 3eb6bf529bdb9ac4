import type { Agenda } from 'agenda';
import type pg from 'pg';
import { ReconnectingListener } from '../infra/db/reconnecting-listener.js';
import type { Logger } from '../infra/logging/logger.js';
import { OUTBOX_WAKE_CHANNEL } from '../infra/outbox/outbox.js';
import { OutboxDispatcher } from '../infra/outbox/outbox-dispatcher.js';
import { MAX_HANDLER_TIMEOUT_MS, type OutboxHandler } from '../infra/outbox/outbox-handler.js';

export const OUTBOX_DISPATCH_JOB = 'outbox.dispatch';

/** Agenda's lock on a dispatch run. A run ends before it: budget + longest handler timeout + margin. */
export const OUTBOX_LOCK_LIFETIME_MS = 60_000;
const RUN_BUDGET_MS = OUTBOX_LOCK_LIFETIME_MS - MAX_HANDLER_TIMEOUT_MS - 15_000;

interface DispatchDeps {
  pool: pg.Pool;
  /** URL for the LISTEN connection that hears of new messages. */
  databaseUrl: string;
  handlers: readonly OutboxHandler[];
  workerName: string;
  logger: Logger;
  /** Recurring sweep for retries and anything a wake-up missed. */
  sweepEveryMs: number;
}

export interface OutboxDispatchJob {
  dispatcher: OutboxDispatcher;
  /** Stops listening and lets the run in progress finish what is in flight. */
  stop(): Promise<void>;
}

/**
 * Outbox delivery as an Agenda job. A run delivers lane by lane for at most 30 s (well inside its
 * 60 s lock, so a run never outlives it and never overlaps the next); meanwhile a committed
 * enqueue (PostgreSQL NOTIFY) pokes the running dispatcher, so subscription events go out at once
 * even while a slow receiver keeps its own lane busy. Between runs a wake-up reschedules one
 * shared job row to "now": there is never one job per message.
 */
export async function scheduleOutboxDispatch(agenda: Agenda, deps: DispatchDeps): Promise<OutboxDispatchJob> {
  const dispatcher = new OutboxDispatcher({
    pool: deps.pool,
    handlers: new Map(deps.handlers.map((h) => [h.topic, h])),
    deliveredBy: deps.workerName,
    logger: deps.logger,
  });
  let stopped = false;
  const scheduleWake = () =>
    agenda
      .create(OUTBOX_DISPATCH_JOB, { kind: 'wake' })
      .unique({ 'data.kind': 'wake' })
      .schedule(new Date())
      .save()
      .catch((error: Error) => deps.logger.warn({ err: error.message }, 'could not schedule outbox wake-up'));
  agenda.define(
    OUTBOX_DISPATCH_JOB,
    async () => {
      if (stopped) return;
      const result = await dispatcher.run(RUN_BUDGET_MS);
      if (result.delivered > 0) deps.logger.debug(result, 'outbox delivered');
    },
    { concurrency: 1, lockLimit: 1, lockLifetime: OUTBOX_LOCK_LIFETIME_MS },
  );
  await agenda.every(`${Math.round(deps.sweepEveryMs / 1000) || 1} seconds`, OUTBOX_DISPATCH_JOB, {
    kind: 'sweep',
  });

  let pending = false;
  const wake = () => {
    if (stopped) return;
    if (dispatcher.isRunning) {
      dispatcher.poke();
      return;
    }
    if (pending) return;
    pending = true;
    // Coalesce a burst of commits into one reschedule of the shared wake-up job.
    setTimeout(() => {
      pending = false;
      if (dispatcher.isRunning) dispatcher.poke();
      else void scheduleWake();
    }, 10);
  };
  const listener = new ReconnectingListener({
    url: deps.databaseUrl,
    channel: OUTBOX_WAKE_CHANNEL,
    onNotification: wake,
    // Anything enqueued while the connection was down is found by this first run.
    onListening: wake,
    logger: deps.logger,
  });
  await listener.start();
  return {
    dispatcher,
    async stop() {
      stopped = true;
      await listener.stop();
      await dispatcher.stop();
    },
  };
}
