import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { createScheduler } from '../../../api/src/infra/scheduler/scheduler.js';
import { createTestDatabase } from '../../support/test-database.js';
import { waitFor } from '../../support/wait-for.js';
import { describeJobSchedulerContract } from './job-contract.js';

let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;

beforeAll(async () => {
  database = await createTestDatabase('sched');
});

afterAll(async () => {
  await database?.drop();
});

describeJobSchedulerContract('PostgreSQL', async (workerName) => {
  if (!database) throw new Error('the test database was not created');
  const scheduler = createScheduler({
    databaseUrl: database.url,
    mongodbUrl: null,
    workerName,
    processEveryMs: 100,
    logger: createLogger('silent', 'test'),
  });
  if (scheduler.backend !== 'postgresql')
    throw new Error(`expected the PostgreSQL backend, got ${scheduler.backend}`);
  return scheduler;
});

describe('a scheduler that only schedules', () => {
  it('closes its connections on stop, though it never started processing', async () => {
    if (!database) throw new Error('the test database was not created');
    const name = new URL(database.url).pathname.slice(1);
    const probe = new pg.Client({ connectionString: database.url });
    await probe.connect();
    const others = async () => {
      const { rows } = await probe.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
      return rows[0].n;
    };
    try {
      const before = await others();
      const scheduler = createScheduler({
        databaseUrl: database.url,
        mongodbUrl: null,
        workerName: 'api-only',
        processEveryMs: 60_000,
        logger: createLogger('silent', 'test'),
      });
      await scheduler.agenda.ready;
      await scheduler.agenda.now('api-only.probe');
      expect(await others()).toBeGreaterThan(before);
      await scheduler.stop();
      await waitFor(async () => (await others()) === before, {
        timeoutMs: 5000,
        message: 'the job store connections to close',
      });
    } finally {
      await probe.end();
    }
  });
});
