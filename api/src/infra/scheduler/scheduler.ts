import { MongoBackend } from '@agendajs/mongo-backend';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { Agenda } from 'agenda';
import { createPool, type DatabaseLimits, DEFAULT_DATABASE_LIMITS } from '../db/pool.js';
import type { Logger } from '../logging/logger.js';

export type SchedulerBackendKind = 'mongodb' | 'postgresql';

export interface SchedulerOptions {
  /** PostgreSQL URL; used when `mongodbUrl` is null. */
  databaseUrl: string;
  mongodbUrl: string | null;
  /**
   * Stable name of this worker (kept across restarts of the same worker). Jobs it still held
   * when it was killed are unlocked at its next start.
   */
  workerName: string;
  /** How often due jobs are looked for, in ms. */
  processEveryMs: number;
  /** Time limits on the job store's PostgreSQL connections. @default DEFAULT_DATABASE_LIMITS */
  databaseLimits?: DatabaseLimits;
  logger: Logger;
}

export interface Scheduler {
  agenda: Agenda;
  backend: SchedulerBackendKind;
  /** Unlocks jobs this worker held when it last died, then starts processing. */
  start(): Promise<void>;
  /** Stops taking jobs, waits (up to `drainMs`) for running ones, then closes the job store. */
  stop(drainMs?: number): Promise<void>;
  /** True when the job store answers. */
  ping(): Promise<boolean>;
}

/** One code path for both stores: the backend is chosen here, once, at start-up. */
export function createScheduler(opts: SchedulerOptions): Scheduler {
  const backend: SchedulerBackendKind = opts.mongodbUrl ? 'mongodb' : 'postgresql';
  // The PostgreSQL backend gets a pool of ours: one it creates itself has no error listener, and a
  // dropped connection would end the process with an unhandled 'error' event.
  const pool = opts.mongodbUrl
    ? null
    : createPool({
        url: opts.databaseUrl,
        max: 5,
        limits: opts.databaseLimits ?? DEFAULT_DATABASE_LIMITS,
        logger: opts.logger,
        name: 'scheduler',
      });
  const store = pool
    ? new PostgresBackend({ pool, tableName: 'agenda_jobs' })
    : new MongoBackend({ address: opts.mongodbUrl!, collection: 'agenda_jobs' });
  // Its LISTEN connection reports a lost connection as an 'error' event, then reconnects.
  const channel = (store as { notificationChannel?: { on?: (e: string, f: (err: Error) => void) => void } })
    .notificationChannel;
  channel?.on?.('error', (error) => opts.logger.warn({ err: error.message }, 'scheduler notifications lost'));
  const closePool = async () => {
    await pool?.end().catch(() => undefined);
  };
  const agenda = new Agenda({
    name: opts.workerName,
    processEvery: opts.processEveryMs,
    defaultLockLifetime: 60_000,
    backend: store,
  });
  agenda.on('error', (error) => opts.logger.error({ err: error.message }, 'scheduler error'));
  agenda.on('fail', (error, job) => {
    if (typeof error === 'string') return;
    opts.logger.warn(
      { job: job.attrs.name, err: error.message, failCount: job.attrs.failCount },
      'job failed',
    );
  });

  let started = false;
  return {
    agenda,
    backend,
    async start() {
      await agenda.ready;
      await unlockOwnStaleJobs(agenda, opts.workerName, opts.logger);
      await agenda.start();
      started = true;
    },
    async stop(drainMs = 20_000) {
      if (!started) {
        // A process that only schedules (the api) never starts Agenda, and Agenda's stop() then
        // leaves the job store's connections open: close them here.
        await agenda.ready.catch(() => undefined);
        await store.disconnect();
        await closePool();
        return;
      }
      // drain() stops fetching, waits for running jobs and closes the job store.
      const drained = await agenda.drain(drainMs);
      if (drained.timedOut) opts.logger.warn({ running: drained.running }, 'jobs still running at shutdown');
      await closePool();
    },
    async ping() {
      try {
        await withTimeout(agenda.db.getQueueSize(), 3000);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * A worker killed mid-job leaves its jobs locked. The same worker restarting knows nobody else
 * holds them: it unlocks them, and makes a one-time job due again (Agenda cleared its next run
 * when it started, so without this it would never run again).
 */
async function unlockOwnStaleJobs(agenda: Agenda, workerName: string, logger: Logger): Promise<void> {
  const { jobs } = await agenda.queryJobs({ state: 'running', limit: 10_000 });
  const stale = jobs.filter((job) => job.lastModifiedBy === workerName);
  if (stale.length === 0) return;
  await agenda.db.unlockJobs(stale.map((job) => job._id));
  const now = new Date();
  for (const job of stale) {
    if (job.nextRunAt !== null) continue;
    const { state: _state, ...attrs } = job;
    await agenda.db.saveJob(
      { ...attrs, lockedAt: undefined, nextRunAt: now },
      { lastModifiedBy: workerName },
    );
  }
  logger.warn({ count: stale.length }, 'unlocked jobs this worker held when it stopped abruptly');
}

/** Rejects when `promise` has not settled within `ms` (a frozen store must not hang /readyz). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
