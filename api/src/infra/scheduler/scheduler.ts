import { MongoBackend } from '@agendajs/mongo-backend';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { Agenda } from 'agenda';
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
  const store = opts.mongodbUrl
    ? new MongoBackend({ address: opts.mongodbUrl, collection: 'agenda_jobs' })
    : new PostgresBackend({ connectionString: opts.databaseUrl, tableName: 'agenda_jobs' });
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
        return;
      }
      // drain() stops fetching, waits for running jobs and closes the job store.
      const drained = await agenda.drain(drainMs);
      if (drained.timedOut) opts.logger.warn({ running: drained.running }, 'jobs still running at shutdown');
    },
    async ping() {
      try {
        await agenda.db.getQueueSize();
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
