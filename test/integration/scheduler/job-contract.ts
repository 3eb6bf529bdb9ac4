import { randomBytes } from 'node:crypto';
import { type Agenda, backoffStrategies, type JobParameters, type RetryDetails } from 'agenda';
import { afterEach, describe, expect, it } from 'vitest';
import type { Scheduler } from '../../../api/src/infra/scheduler/scheduler.js';
import { sleep, waitFor } from '../../support/wait-for.js';

/** Builds a scheduler (not started) on the store under test, named after the worker it stands for. */
export type MakeScheduler = (workerName: string) => Promise<Scheduler>;

interface Run {
  jobId: string;
  worker: string;
  start: number;
  end: number;
}

/**
 * Behaviour every job store behind `createScheduler` must show: timing, recurrence, locking,
 * retries with backoff, one run per job across workers, and recovery of locks left by a dead worker.
 */
export function describeJobSchedulerContract(name: string, makeScheduler: MakeScheduler): void {
  describe(`job scheduler contract (${name})`, () => {
    const run = randomBytes(3).toString('hex');
    let seq = 0;
    const live: Scheduler[] = [];
    const releases: Array<() => void> = [];

    /** A job name no other test (or earlier run on the same store) uses. */
    const jobName = (label: string) => `contract-${label}-${run}-${++seq}`;

    /** Creates a scheduler for `workerName`, lets `define` register job types, then starts it. */
    async function startWorker(workerName: string, define?: (agenda: Agenda) => void): Promise<Scheduler> {
      const scheduler = await makeScheduler(workerName);
      live.push(scheduler);
      define?.(scheduler.agenda);
      await scheduler.start();
      return scheduler;
    }

    async function stopWorker(scheduler: Scheduler): Promise<void> {
      const index = live.indexOf(scheduler);
      if (index >= 0) live.splice(index, 1);
      // Agenda's own stop neither waits for running jobs nor unlocks them: as a worker that dies.
      await scheduler.agenda.stop(true);
    }

    /** A promise the job handler can await; opened by the test or, at the latest, after the test. */
    function gate(): { wait: Promise<void>; open: () => void } {
      let open!: () => void;
      const wait = new Promise<void>((resolve) => {
        open = resolve;
      });
      releases.push(open);
      return { wait, open };
    }

    async function record(scheduler: Scheduler, jobId: unknown): Promise<JobParameters> {
      const job = await scheduler.agenda.db.getJobById(String(jobId));
      if (!job) throw new Error(`job ${String(jobId)} is not in the store`);
      return job;
    }

    /**
     * Starts `workerName` with a job that hangs, lets it start the job, then stops the worker.
     * `Scheduler.stop()` does not wait for running jobs and leaves their locks in place, which is
     * what a killed process leaves behind.
     */
    async function dieWhileRunning(
      workerName: string,
      type: string,
      schedule: (agenda: Agenda) => Promise<{ attrs: JobParameters }>,
    ) {
      const stuck = gate();
      let started = false;
      const dying = await startWorker(workerName, (agenda) =>
        agenda.define(type, async () => {
          started = true;
          await stuck.wait;
        }),
      );
      const job = await schedule(dying.agenda);
      await waitFor(() => started, { message: 'the job to start on the worker that will die' });
      let timer: NodeJS.Timeout | undefined;
      const stopped = stopWorker(dying);
      const tooSlow = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error('stop() waited for the running job, so a dead worker cannot be simulated with it'),
            ),
          2_000,
        );
      });
      try {
        await Promise.race([stopped, tooSlow]);
      } finally {
        clearTimeout(timer);
      }
      return job;
    }

    afterEach(async () => {
      for (const open of releases.splice(0)) open();
      const stopping = live.splice(0).map((scheduler) => scheduler.stop());
      const results = await Promise.allSettled(stopping);
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    });

    it('runs a job scheduled 300 ms ahead exactly once, with its data, not before its time', async () => {
      const type = jobName('schedule');
      const runs: Array<{ at: number; data: unknown }> = [];
      const scheduler = await startWorker('contract-schedule', (agenda) =>
        agenda.define(type, async (job) => {
          runs.push({ at: Date.now(), data: job.attrs.data });
        }),
      );
      const data = { orderId: 'order-300', lines: [{ sku: 'SKU-1', qty: 2 }] };
      const due = new Date(Date.now() + 300);
      const job = await scheduler.agenda.schedule(due, type, data);

      await waitFor(() => runs.length > 0, { timeoutMs: 5_000, message: 'the scheduled job to run' });
      await sleep(300); // a second run would land here

      expect(runs).toHaveLength(1);
      expect(runs[0].at).toBeGreaterThanOrEqual(due.getTime());
      expect(runs[0].data).toEqual(data);
      const stored = await waitFor(
        async () => {
          const current = await record(scheduler, job.attrs._id);
          return current.lastFinishedAt ? current : undefined;
        },
        { message: 'the run to be recorded' },
      );
      expect(stored.nextRunAt ?? null).toBeNull();
      expect(stored.lockedAt ?? null).toBeNull();
    });

    it('runs a recurring job repeatedly while keeping a single job record', async () => {
      const type = jobName('recurring');
      const runs: number[] = [];
      const scheduler = await startWorker('contract-recurring', (agenda) =>
        agenda.define(type, async () => {
          runs.push(Date.now());
        }),
      );
      // A number is milliseconds. (human-interval 2.0.1 reads '500 milliseconds' as 500 seconds.)
      await scheduler.agenda.every(500, type);
      // Declaring the same schedule again, as every restart of the process does, must not add a record.
      await scheduler.agenda.every(500, type);

      await waitFor(() => runs.length >= 2, { timeoutMs: 5_000, message: 'two runs of the recurring job' });

      const { jobs, total } = await scheduler.agenda.queryJobs({ name: type });
      expect(total).toBe(1);
      expect(Number(jobs[0].repeatInterval)).toBe(500);
      // The next run is due one interval after the last one started, not right away.
      expect((jobs[0].nextRunAt?.getTime() ?? 0) - (jobs[0].lastRunAt?.getTime() ?? 0)).toBe(500);
      expect(runs[1] - runs[0]).toBeGreaterThanOrEqual(300);
    });

    it('holds a lock on a job while it runs and releases it afterwards', async () => {
      const type = jobName('lock');
      const hold = gate();
      let started = false;
      const scheduler = await startWorker('contract-lock', (agenda) =>
        agenda.define(type, async () => {
          started = true;
          await hold.wait;
        }),
      );
      const job = await scheduler.agenda.now(type, { orderId: 'order-lock' });

      await waitFor(() => started, { message: 'the job to start' });
      const during = await record(scheduler, job.attrs._id);
      expect(during.lockedAt).toBeInstanceOf(Date);
      expect(during.lastModifiedBy).toBe('contract-lock');
      const running = await scheduler.agenda.queryJobs({ name: type, state: 'running' });
      expect(running.jobs.map((j) => String(j._id))).toEqual([String(job.attrs._id)]);

      hold.open();
      const after = await waitFor(
        async () => {
          const current = await record(scheduler, job.attrs._id);
          return !current.lockedAt && current.lastFinishedAt ? current : undefined;
        },
        { message: 'the lock to be released after the run' },
      );
      expect(after.lockedAt ?? null).toBeNull();
      const completed = await scheduler.agenda.queryJobs({ name: type, state: 'completed' });
      expect(completed.total).toBe(1);
    });

    it('retries a failing job with the configured backoff until it succeeds', async () => {
      const type = jobName('retry');
      const attempts: Array<{ at: number; failCount: number }> = [];
      const retries: RetryDetails[] = [];
      let successes = 0;
      const scheduler = await startWorker('contract-retry', (agenda) => {
        agenda.define(
          type,
          async (job) => {
            attempts.push({ at: Date.now(), failCount: job.attrs.failCount ?? 0 });
            if (attempts.length <= 2) throw new Error(`carrier API unavailable (attempt ${attempts.length})`);
          },
          { backoff: backoffStrategies.exponential({ delay: 200, factor: 2, maxRetries: 3 }) },
        );
        agenda.on(`retry:${type}`, (_job: unknown, details: RetryDetails, remote?: boolean) => {
          if (!remote) retries.push(details);
        });
        agenda.on(`success:${type}`, (_job: unknown, remote?: boolean) => {
          if (!remote) successes += 1;
        });
      });
      const job = await scheduler.agenda.now(type, { orderId: 'order-retry' });

      const final = await waitFor(
        async () => {
          const current = await record(scheduler, job.attrs._id);
          return successes > 0 && !current.lockedAt ? current : undefined;
        },
        { timeoutMs: 8_000, message: 'the job to succeed after two failures' },
      );

      expect(attempts).toHaveLength(3);
      // Each attempt sees the failures recorded before it.
      expect(attempts.map((a) => a.failCount)).toEqual([0, 1, 2]);
      expect(retries.map((r) => [r.attempt, r.delay])).toEqual([
        [1, 200],
        [2, 400],
      ]);
      expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(200);
      expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(400);
      expect(successes).toBe(1);
      expect(final.failedAt).toBeInstanceOf(Date);
      expect(final.lastFinishedAt?.getTime()).toBeGreaterThan(
        final.failedAt?.getTime() ?? Number.POSITIVE_INFINITY,
      );
      expect(final.nextRunAt ?? null).toBeNull();
      const { jobs } = await scheduler.agenda.queryJobs({ id: String(job.attrs._id) });
      expect(jobs[0].state).toBe('completed');
    });

    it('stops retrying after maxRetries and reports the retries as exhausted', async () => {
      const type = jobName('exhausted');
      const attempts: number[] = [];
      const exhausted: Array<{ message: string; failCount: number | undefined }> = [];
      const scheduler = await startWorker('contract-exhausted', (agenda) => {
        agenda.define(
          type,
          async () => {
            attempts.push(Date.now());
            throw new Error('address cannot be geocoded');
          },
          { backoff: backoffStrategies.constant({ delay: 100, maxRetries: 2 }) },
        );
        agenda.on(`retry exhausted:${type}`, (error, job) => {
          exhausted.push({ message: error.message, failCount: job.attrs.failCount });
        });
      });
      const job = await scheduler.agenda.now(type);

      await waitFor(() => exhausted.length > 0, { timeoutMs: 5_000, message: "the 'retry exhausted' event" });
      const final = await waitFor(
        async () => {
          const current = await record(scheduler, job.attrs._id);
          return current.failCount === 3 && !current.lockedAt ? current : undefined;
        },
        { message: 'the last failure to be recorded' },
      );
      await sleep(300); // a further retry would land here

      expect(attempts).toHaveLength(3); // the first run and maxRetries retries
      expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(100);
      expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(100);
      expect(exhausted).toEqual([{ message: 'address cannot be geocoded', failCount: 3 }]);
      expect(final.failReason).toBe('address cannot be geocoded');
      expect(final.nextRunAt ?? null).toBeNull();
      const { jobs } = await scheduler.agenda.queryJobs({ id: String(job.attrs._id) });
      expect(jobs[0].state).toBe('failed');
    });

    it('runs each of 30 queued jobs exactly once across two workers', async () => {
      const type = jobName('exclusive');
      const runs: Run[] = [];
      const define = (worker: string) => (agenda: Agenda) =>
        agenda.define(
          type,
          async (job) => {
            const start = Date.now();
            await sleep(40);
            runs.push({ jobId: String(job.attrs._id), worker, start, end: Date.now() });
          },
          // A small lock limit keeps one worker from claiming the whole queue in a single scan.
          { concurrency: 3, lockLimit: 3 },
        );
      const a = await startWorker('contract-exclusive-a', define('a'));
      await startWorker('contract-exclusive-b', define('b'));

      const jobs = await Promise.all(
        Array.from({ length: 30 }, (_, i) => a.agenda.now(type, { orderId: `order-${i}` })),
      );
      const queued = jobs.map((job) => String(job.attrs._id));

      await waitFor(() => runs.length >= queued.length, { timeoutMs: 15_000, message: 'all 30 jobs to run' });
      await sleep(500); // a duplicate run would land here

      expect(runs).toHaveLength(queued.length);
      expect(new Set(runs.map((r) => r.jobId))).toEqual(new Set(queued));
      const workers = new Set(runs.map((r) => r.worker));
      expect(workers).toEqual(new Set(['a', 'b']));
    });

    it('never runs a long-running job on two workers at once', async () => {
      const once = jobName('long-once');
      const recurring = jobName('long-recurring');
      const runs: Record<string, Run[]> = { [once]: [], [recurring]: [] };
      const define = (worker: string) => (agenda: Agenda) => {
        agenda.define(
          once,
          async (job) => {
            const start = Date.now();
            await sleep(1_500);
            runs[once].push({ jobId: String(job.attrs._id), worker, start, end: Date.now() });
          },
          // One claim per worker at a time, so the second job has to go to the other worker.
          { concurrency: 1, lockLimit: 1 },
        );
        // Falls due again while it is still running, so the other worker keeps seeing it due.
        agenda.define(
          recurring,
          async (job) => {
            const start = Date.now();
            await sleep(500);
            runs[recurring].push({ jobId: String(job.attrs._id), worker, start, end: Date.now() });
          },
          { concurrency: 1 },
        );
      };
      const a = await startWorker('contract-long-a', define('a'));
      await startWorker('contract-long-b', define('b'));

      const first = await a.agenda.now(once, { orderId: 'order-long-1' });
      const second = await a.agenda.now(once, { orderId: 'order-long-2' });
      await a.agenda.every(200, recurring);

      await waitFor(() => runs[once].length >= 2 && runs[recurring].length >= 3, {
        timeoutMs: 10_000,
        message: 'both one-time jobs and three recurring runs to finish',
      });
      await sleep(300); // a duplicate run of a one-time job would have started by now

      expect(runs[once]).toHaveLength(2);
      expect(runs[once].map((r) => r.jobId).sort()).toEqual(
        [String(first.attrs._id), String(second.attrs._id)].sort(),
      );
      expect(new Set(runs[once].map((r) => r.worker))).toEqual(new Set(['a', 'b']));
      const ordered = [...runs[recurring]].sort((x, y) => x.start - y.start);
      for (let i = 1; i < ordered.length; i += 1) {
        // The next run starts only after the previous one, on whichever worker, has ended.
        expect(ordered[i].start, `run ${i} overlaps run ${i - 1}`).toBeGreaterThanOrEqual(ordered[i - 1].end);
      }
    });

    it('releases a lock held by a dead worker when that worker restarts, and the job then runs', async () => {
      const type = jobName('stale-queued');
      const workerName = 'contract-stale-queued';
      const runs: Array<{ worker: string; at: number }> = [];
      const define = (worker: string) => (agenda: Agenda) =>
        agenda.define(type, async () => {
          runs.push({ worker, at: Date.now() });
        });

      // The worker claims a due job and dies before running it; its lock stays in the store.
      const dying = await startWorker(workerName);
      const job = await dying.agenda.now(type, { orderId: 'order-stale' });
      const locked = await dying.agenda.db.lockJob(job.attrs, { lastModifiedBy: workerName });
      expect(locked?.lockedAt).toBeInstanceOf(Date);
      await stopWorker(dying);

      // Another worker must not take a job whose lock has not expired.
      const survivor = await startWorker('contract-stale-survivor', define('survivor'));
      await sleep(400);
      expect(runs).toEqual([]);
      const held = await record(survivor, job.attrs._id);
      expect(held.lockedAt).toBeInstanceOf(Date);
      expect(held.lastModifiedBy).toBe(workerName);

      const restartedAt = Date.now();
      await startWorker(workerName, define('restarted'));
      await waitFor(() => runs.length > 0, { timeoutMs: 5_000, message: 'the job to run after the restart' });
      await sleep(300);

      expect(runs).toHaveLength(1);
      expect(runs[0].at).toBeGreaterThanOrEqual(restartedAt);
      const after = await waitFor(
        async () => {
          const current = await record(survivor, job.attrs._id);
          return current.lastFinishedAt && !current.lockedAt ? current : undefined;
        },
        { message: 'the run to be recorded' },
      );
      expect(after.lockedAt ?? null).toBeNull();
    });

    it('resumes a recurring job that was running when its worker died, once that worker restarts', async () => {
      const type = jobName('stale-recurring');
      const workerName = 'contract-stale-recurring';
      const runs: Array<{ worker: string; at: number }> = [];
      const define = (worker: string) => (agenda: Agenda) =>
        agenda.define(type, async () => {
          runs.push({ worker, at: Date.now() });
        });

      const job = await dieWhileRunning(workerName, type, (agenda) => agenda.every(600, type));

      const survivor = await startWorker('contract-stale-recurring-survivor', define('survivor'));
      const held = await record(survivor, job.attrs._id);
      expect(held.lockedAt).toBeInstanceOf(Date);
      expect(held.lastModifiedBy).toBe(workerName);
      expect(held.nextRunAt).toBeInstanceOf(Date);
      // Past its next due time the job is still locked, so the survivor must leave it alone.
      await sleep(Math.max(0, (held.nextRunAt?.getTime() ?? 0) - Date.now()) + 400);
      expect(runs).toEqual([]);

      const restartedAt = Date.now();
      await startWorker(workerName, define('restarted'));
      await waitFor(() => runs.length > 0, { timeoutMs: 5_000, message: 'the job to run after the restart' });

      expect(runs[0].at).toBeGreaterThanOrEqual(restartedAt);
      const { total } = await survivor.agenda.queryJobs({ name: type });
      expect(total).toBe(1);
    });

    it('releases the lock of a one-time job that was running when its worker died, once that worker restarts', async () => {
      const type = jobName('stale-once');
      const workerName = 'contract-stale-once';
      const runs: number[] = [];

      const job = await dieWhileRunning(workerName, type, (agenda) =>
        agenda.now(type, { orderId: 'order-crash' }),
      );

      const survivor = await startWorker('contract-stale-once-survivor', (agenda) =>
        agenda.define(type, async () => {
          runs.push(Date.now());
        }),
      );
      const held = await record(survivor, job.attrs._id);
      expect(held.lockedAt).toBeInstanceOf(Date);
      expect(held.lastModifiedBy).toBe(workerName);
      await sleep(400);
      expect(runs).toEqual([]);

      await startWorker(workerName);
      const unlocked = await waitFor(
        async () => {
          const current = await record(survivor, job.attrs._id);
          return current.lockedAt ? undefined : current;
        },
        { message: 'the lock of the dead worker to be released' },
      );
      expect(unlocked.lockedAt ?? null).toBeNull();
    });

    it('runs again a one-time job that was running when its worker died, once that worker restarts', async () => {
      const type = jobName('stale-once-rerun');
      const workerName = 'contract-stale-once-rerun';
      const runs: number[] = [];

      await dieWhileRunning(workerName, type, (agenda) => agenda.now(type, { orderId: 'order-crash' }));

      const restartedAt = Date.now();
      await startWorker(workerName, (agenda) =>
        agenda.define(type, async () => {
          runs.push(Date.now());
        }),
      );
      await waitFor(() => runs.length > 0, { timeoutMs: 1_500, message: 'the interrupted job to run again' });
      expect(runs[0]).toBeGreaterThanOrEqual(restartedAt);
    });
  });
}
