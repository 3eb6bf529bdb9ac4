import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, describe, it } from 'vitest';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { createScheduler } from '../../../api/src/infra/scheduler/scheduler.js';
import { describeJobSchedulerContract } from './job-contract.js';

const mongodbUrl = process.env.MONGODB_URL;

/** The same server URL pointing at another database (keeps credentials and options). */
function withDatabase(url: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(url);
  if (!match) throw new Error('MONGODB_URL is not a mongodb:// or mongodb+srv:// URL');
  return `${match[1]}/${database}${match[2] ?? ''}`;
}

if (mongodbUrl) {
  // One throw-away database per run, so runs never see each other's jobs.
  const databaseName = `orderops_sched_${randomBytes(6).toString('hex')}`;
  const url = withDatabase(mongodbUrl, databaseName);

  afterAll(async () => {
    const client = await MongoClient.connect(url);
    try {
      await client.db(databaseName).dropDatabase();
    } finally {
      await client.close();
    }
  });

  describeJobSchedulerContract('MongoDB', async (workerName) => {
    const scheduler = createScheduler({
      databaseUrl: '',
      mongodbUrl: url,
      workerName,
      processEveryMs: 100,
      logger: createLogger('silent', 'test'),
    });
    if (scheduler.backend !== 'mongodb')
      throw new Error(`expected the MongoDB backend, got ${scheduler.backend}`);
    return scheduler;
  });
} else {
  const reason = 'MONGODB_URL is not set; set it to run against MongoDB';
  console.warn(`[skip] MongoDB scheduler contract: ${reason}`);
  describe.skip(`job scheduler contract (MongoDB) - skipped: ${reason}`, () => {
    it('runs the job scheduler contract against MongoDB', () => {});
  });
}
