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
  /** Stops taking jobs, waits for running ones, and unlocks what it holds. */
  stop(): Promise<void>;
  /** True when the job store answers. */
  ping(): Promise<boolean>;
}

/** One code path for both stores: the backend is chosen here, once, at start-up. */
export function createScheduler(opts: SchedulerOptions): Scheduler {
  const backend: SchedulerBackendKind = opts.mongodbUrl ? 'mongodb' : 'postgresql';
  const agenda = new Agenda({
    name: opts.workerName,
    processEvery: opts.processEveryMs,
    defaultLockLifetime: 60_000,
    backend: opts.mongodbUrl
      ? new MongoBackend({ address: opts.mongodbUrl, collection: 'agenda_jobs' })
      : new PostgresBackend({ connectionString: opts.databaseUrl, tableName: 'agenda_jobs' }),
  });
  agenda.on('error', (error) => opts.logger.error({ err: error.message }, 'scheduler error'));
  agenda.on('fail', (error, job) => {
    if (typeof error === 'string') return;
    opts.logger.warn(
      { job: job.attrs.name, err: error.message, failCount: job.attrs.failCount },
      'job failed',
    );
  });

  return {
    agenda,
    backend,
    async start() {
      await agenda.ready;
      await unlockOwnStaleJobs(agenda, opts.workerName, opts.logger);
      await agenda.start();
    },
    async stop() {
      await agenda.stop(true);
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

async function unlockOwnStaleJobs(agenda: Agenda, workerName: string, logger: Logger): Promise<void> {
  const { jobs } = await agenda.queryJobs({ state: 'running', limit: 10_000 });
  const stale = jobs.filter((job) => job.lastModifiedBy === workerName).map((job) => job._id);
  if (stale.length === 0) return;
  await agenda.db.unlockJobs(stale);
  logger.warn({ count: stale.length }, 'unlocked jobs this worker held before it stopped abruptly');
}
