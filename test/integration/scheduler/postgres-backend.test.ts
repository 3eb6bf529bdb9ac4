import { afterAll, beforeAll } from 'vitest';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { createScheduler } from '../../../api/src/infra/scheduler/scheduler.js';
import { createTestDatabase } from '../../support/test-database.js';
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
