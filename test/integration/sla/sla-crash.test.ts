import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSweepContext, runSlaSweep, sweepBatch } from '../../../api/src/modules/sla/sla-sweep.service.js';
import { OUTBOX_ITEMS } from '../../support/outbox-items.js';
import { type RecordingServer, startRecordingServer } from '../../support/recording-server.js';
import {
  clock,
  createGroup,
  deliverOutbox,
  insertOrder,
  logger,
  openSlaDb,
  type SlaDb,
  sweep,
} from './sla-kit.js';

/**
 * A worker may die in the middle of a sweep, and several workers may sweep at once. Either way
 * every due action happens exactly once: the batch is one transaction (all or nothing), claimed
 * rows are skipped by other sweeps, and tickets, history rows and outbox messages have unique keys.
 */
describe('SLA sweep under failure and concurrency', () => {
  let db: SlaDb;
  let robot: RecordingServer;
  const { at } = clock();

  beforeAll(async () => {
    db = await openSlaDb('sla_crash');
    robot = await startRecordingServer();
    await createGroup(db.pool, {
      id: 'crash-group',
      webhookUrl: `${robot.url}/cgi-bin/webhook/send?key=crash`,
    });
  });
  afterAll(async () => {
    await robot?.close();
    await db?.close();
  });

  /** Per order: tickets, SLA history rows, WeCom messages, ticket.raised and order.updated messages. */
  async function effects(ids: readonly string[]) {
    const { rows } = await db.pool.query<{
      id: string;
      tickets: number;
      history: number;
      wecom: number;
      raised: number;
      updated: number;
    }>(
      `select o.id,
              (select count(*)::int from ticket t where t.order_id = o.id) as tickets,
              (select count(*)::int from order_event e where e.order_id = o.id and e.source = 'SYSTEM') as history,
              (select count(*)::int from ${OUTBOX_ITEMS} m where m.payload->>'orderId' = o.id::text and m.topic = 'wecom.message') as wecom,
              (select count(*)::int from ${OUTBOX_ITEMS} m where m.payload->>'orderId' = o.id::text and m.topic = 'ticket.raised') as raised,
              (select count(*)::int from ${OUTBOX_ITEMS} m where m.payload->>'orderId' = o.id::text and m.topic = 'order.updated') as updated
         from orders o where o.id = any($1::uuid[])`,
      [ids],
    );
    return rows;
  }

  const exactlyOnce = (row: {
    tickets: number;
    history: number;
    wecom: number;
    raised: number;
    updated: number;
  }) => row.tickets === 1 && row.history === 1 && row.wecom === 1 && row.raised === 1 && row.updated === 1;

  async function dueOrders(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++)
      ids.push(await insertOrder(db.pool, { paidAt: at(-60), groupId: 'crash-group' }));
    return ids;
  }

  it('leaves no trace of a batch rolled back, and the next sweep applies all of it once', async () => {
    const ids = await dueOrders(40);
    const context = await loadSweepContext(db.pool);
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      const inside = await sweepBatch(client, context, at(0), 1000, logger);
      expect(inside).toMatchObject({ claimed: 40, tickets: 40 });
      await client.query('rollback');
    } finally {
      client.release();
    }
    expect(
      (await effects(ids)).every((r) => r.tickets + r.history + r.wecom + r.raised + r.updated === 0),
    ).toBe(true);

    expect(await sweep(db, at(0))).toMatchObject({ claimed: 40, tickets: 40 });
    expect((await effects(ids)).every(exactlyOnce)).toBe(true);
  });

  it('loses nothing and doubles nothing when the connection dies at any statement of a batch', async () => {
    const ids = await dueOrders(30);
    const context = await loadSweepContext(db.pool);
    // Kill the connection before each statement the batch issues (claim, clocks, stage records,
    // history, tickets, outbox…), and once more after the last one, before the commit.
    let statements = 0;
    for (let killBefore = 1; ; killBefore++) {
      const client = await db.pool.connect();
      client.on('error', () => undefined);
      let killed = false;
      try {
        const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
        const kill = async () => {
          killed = true;
          await db.pool.query('select pg_terminate_backend($1)', [rows[0].pid]);
        };
        let calls = 0;
        const dying = new Proxy(client, {
          get(target, property, receiver) {
            if (property !== 'query') return Reflect.get(target, property, receiver);
            return async (...args: unknown[]) => {
              calls += 1;
              if (calls === killBefore) await kill();
              return (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
            };
          },
        }) as pg.PoolClient;
        await client.query('begin');
        const outcome = await sweepBatch(dying, context, at(0), 1000, logger).catch((error: Error) => error);
        if (killed) expect(outcome).toBeInstanceOf(Error);
        else {
          // The batch ran all its statements: die before the commit instead.
          expect(outcome).toMatchObject({ claimed: 30 });
          statements = calls;
          await kill();
          await expect(client.query('commit')).rejects.toThrow();
        }
      } finally {
        client.release(new Error('connection terminated'));
      }
      expect(
        (await effects(ids)).every((r) => r.tickets + r.history + r.wecom + r.raised + r.updated === 0),
      ).toBe(true);
      if (statements > 0) break;
    }
    expect(statements).toBeGreaterThanOrEqual(6);
    expect(await sweep(db, at(0))).toMatchObject({ claimed: 30, tickets: 30 });
    expect((await effects(ids)).every(exactlyOnce)).toBe(true);
  });

  it('keeps two sweeps running at once on the same due orders from acting twice', async () => {
    const ids = await dueOrders(300);
    const options = { pool: db.pool, batchSize: 40, parallelism: 3, logger };
    const [a, b] = await Promise.all([runSlaSweep(options, at(0)), runSlaSweep(options, at(0))]);
    expect(a.claimed + b.claimed).toBe(300);
    expect(a.tickets + b.tickets).toBe(300);
    expect((await effects(ids)).every(exactlyOnce)).toBe(true);

    robot.reset();
    await deliverOutbox(db);
    const nos = await db.pool.query<{ no: string }>(
      'select channel_order_no as no from orders where id = any($1::uuid[])',
      [ids],
    );
    const received = robot.requests.map((r) => r.rawBody);
    for (const { no } of nos.rows) expect(received.filter((body) => body.includes(`${no} `))).toHaveLength(1);
  });

  it('skips rows another sweep holds, and finds nothing left once that sweep commits', async () => {
    const ids = await dueOrders(10);
    const context = await loadSweepContext(db.pool);
    const holder = await db.pool.connect();
    try {
      await holder.query('begin');
      expect((await sweepBatch(holder, context, at(0), 1000, logger)).claimed).toBe(10);
      expect((await sweep(db, at(0))).claimed).toBe(0);
      await holder.query('commit');
    } finally {
      holder.release();
    }
    expect((await sweep(db, at(0))).claimed).toBe(0);
    expect((await effects(ids)).every(exactlyOnce)).toBe(true);
  });

  it('relies on unique keys, not only on the stored level: a re-judged level adds nothing', async () => {
    const ids = await dueOrders(5);
    await sweep(db, at(0));
    // As if the level had never been stored: the level is applied again, to no effect.
    await db.pool.query(
      `update orders set escalation_level = 0, escalation_stage = null, sla_next_check_at = now() where id = any($1::uuid[])`,
      [ids],
    );
    expect(await sweep(db, at(1))).toMatchObject({ claimed: 5, levelsApplied: 5, tickets: 0, outbox: 0 });
    expect((await effects(ids)).every(exactlyOnce)).toBe(true);
  });
});
