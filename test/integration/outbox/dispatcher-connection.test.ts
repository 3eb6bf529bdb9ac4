import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { enqueueOutbox } from '../../../api/src/infra/outbox/outbox.js';
import { dispatchOutboxBatch, type OutboxHandler } from '../../../api/src/infra/outbox/outbox-dispatcher.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import { openTestPool } from '../../support/test-database.js';
import { sleep } from '../../support/wait-for.js';

/**
 * A handler may wait on a slow HTTP call with the batch's transaction open. If the database
 * connection drops meanwhile, the batch fails and stays due; the process does not crash.
 */
describe('outbox dispatcher losing its connection mid-batch', () => {
  let db: MigratedDb;
  let pool: pg.Pool;
  let admin: pg.Pool;
  const logger = createLogger('silent', 'test');

  beforeAll(async () => {
    db = await openMigratedDb('outbox_conn', 4);
    pool = db.pool;
    admin = openTestPool(db.url, 1);
  });

  afterAll(async () => {
    await admin?.end();
    await db?.close();
  });

  it('fails the lane delivery, keeps the message due and leaves the pool usable', async () => {
    const client = await pool.connect();
    await client.query('begin');
    await enqueueOutbox(client, [{ topic: 'probe.slow', dedupeKey: 'probe:1', payload: { n: 1 } }]);
    await client.query('commit');
    client.release();

    // The "HTTP call": the dispatcher's own connection is terminated while the handler waits.
    const slow: OutboxHandler = {
      topic: 'probe.slow',
      transactional: true,
      async deliver(messages, { tx }) {
        if (!tx) throw new Error('expected the claiming transaction');
        const { rows } = await tx.query<{ pid: number }>('select pg_backend_pid() as pid');
        await admin.query('select pg_terminate_backend($1)', [rows[0].pid]);
        await sleep(300);
        return messages.map(() => ({ ok: true }) as const);
      },
    };
    const result = await dispatchOutboxBatch({
      pool,
      handlers: new Map([[slow.topic, slow]]),
      deliveredBy: 'test-worker',
      logger,
    });
    expect(result).toMatchObject({ delivered: 0 });

    const { rows } = await pool.query(
      `select delivered_at, attempts from outbox_message where dedupe_key = 'probe:1'`,
    );
    expect(rows).toEqual([{ delivered_at: null, attempts: 0 }]);
    // The dropped connection was discarded, not handed out again.
    for (let i = 0; i < 4; i++) expect((await pool.query('select 1 as ok')).rows[0].ok).toBe(1);
  });
});
