import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { markdownMessage, textMessage } from '../../../api/src/domain/wecom/wecom-message.js';
import { migrate, openOrm } from '../../../api/src/infra/db/orm.js';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { enqueueOutbox } from '../../../api/src/infra/outbox/outbox.js';
import { dispatchOutboxBatch } from '../../../api/src/infra/outbox/outbox-dispatcher.js';
import { OutboxMessage } from '../../../api/src/infra/outbox/outbox-message.entity.js';
import {
  createWecomMessageHandler,
  WECOM_MESSAGE_TOPIC,
  wecomOutboxEntry,
} from '../../../api/src/modules/wecom/wecom-outbox.js';
import { HttpWecomSender } from '../../../api/src/modules/wecom/wecom-sender.js';
import { type RecordingServer, startRecordingServer } from '../../support/recording-server.js';
import { createTestDatabase, openTestPool } from '../../support/test-database.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * WeCom messages through the transactional outbox and the real dispatcher, to a real HTTP server:
 * written with their cause, delivered at least once, retried with backoff, de-duplicated by key.
 */
describe('wecom.message outbox delivery', () => {
  let database: { url: string; drop(): Promise<void> };
  let pool: pg.Pool;
  let server: RecordingServer;
  const logger = createLogger('silent', 'test');
  // A fresh handler per test, with a 1 s robot window: a refusal (45009) blocks the robot for it.
  const newHandlers = () =>
    new Map([
      [
        WECOM_MESSAGE_TOPIC,
        createWecomMessageHandler(new HttpWecomSender({ timeoutMs: 400 }), { windowMs: 1000 }),
      ],
    ]);
  let handlers = newHandlers();
  const webhook = () => `${server.url}/cgi-bin/webhook/send?key=ops-robot`;
  let sequence = 0;
  const nextKey = () => `wecom:sla-reminder:order-${++sequence}:L1`;

  const dispatch = () =>
    dispatchOutboxBatch({ pool, handlers, batchSize: 50, deliveredBy: 'test-worker', logger });

  async function enqueue(entries: Parameters<typeof wecomOutboxEntry>[0][], commit = true) {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await enqueueOutbox(client, entries.map(wecomOutboxEntry));
      await client.query(commit ? 'commit' : 'rollback');
    } finally {
      client.release();
    }
  }

  const row = async (dedupeKey: string) =>
    (
      await pool.query<{
        attempts: number;
        delivered_at: Date | null;
        dead_at: Date | null;
        available_at: Date;
        last_error: string | null;
        delivered_by: string | null;
      }>(
        'select attempts, delivered_at, dead_at, available_at, last_error, delivered_by from outbox_message where dedupe_key = $1',
        [dedupeKey],
      )
    ).rows[0];

  /** Dispatches whenever the message is due again, until it is delivered or dead. */
  async function dispatchUntilSettled(dedupeKey: string, timeoutMs: number) {
    return waitFor(
      async () => {
        const current = await row(dedupeKey);
        if (current.delivered_at || current.dead_at) return current;
        if (current.available_at.getTime() <= Date.now()) await dispatch();
        return null;
      },
      { timeoutMs, intervalMs: 50, message: `${dedupeKey} delivered or dead` },
    );
  }

  beforeAll(async () => {
    database = await createTestDatabase('wecom');
    const orm = await openOrm(database.url, [OutboxMessage]);
    await migrate(orm);
    await orm.close(true);
    pool = openTestPool(database.url, 5);
    server = await startRecordingServer();
  });

  afterAll(async () => {
    await server?.close();
    await pool?.end();
    await database?.drop();
  });

  beforeEach(async () => {
    handlers = newHandlers();
    server.reset();
    await pool.query('delete from outbox_message');
  });

  it('delivers the exact group-robot payload once the cause commits', async () => {
    const key = nextKey();
    const message = markdownMessage('## <font color="warning">订单超时</font>\n> 订单：TB-1001');
    await enqueue([{ webhookUrl: webhook(), message, dedupeKey: key, purpose: 'sla-reminder' }]);

    expect(await dispatch()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/cgi-bin/webhook/send?key=ops-robot',
      body: {
        msgtype: 'markdown',
        markdown: { content: '## <font color="warning">订单超时</font>\n> 订单：TB-1001' },
      },
    });
    expect(await row(key)).toMatchObject({ attempts: 1, delivered_by: 'test-worker', dead_at: null });
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    expect(server.requests).toHaveLength(1);
  });

  it('sends nothing when the transaction that caused the message rolls back', async () => {
    const key = nextKey();
    await enqueue(
      [{ webhookUrl: webhook(), message: textMessage('不会发送'), dedupeKey: key, purpose: 'sla-reminder' }],
      false,
    );
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    expect(await row(key)).toBeUndefined();
    expect(server.requests).toHaveLength(0);
  });

  it('retries with a growing backoff on rate limiting, HTTP 500 and timeouts, then delivers', async () => {
    const key = nextKey();
    server.script([
      { body: { errcode: 45009, errmsg: 'api freq out of limit' } },
      { status: 500, body: 'internal error' },
      { delayMs: 1500 },
      { body: { errcode: 0, errmsg: 'ok' } },
    ]);
    await enqueue([
      { webhookUrl: webhook(), message: textMessage('提醒'), dedupeKey: key, purpose: 'sla-reminder' },
    ]);

    const settled = await dispatchUntilSettled(key, 30_000);
    expect(settled.delivered_at).toBeInstanceOf(Date);
    expect(settled.dead_at).toBeNull();
    expect(settled.attempts).toBe(4);
    expect(server.requests).toHaveLength(4);
    for (const request of server.requests) expect(request.body).toEqual(server.requests[0].body);
    // Backoff of 1 s, 2 s and 4 s (+ up to 20 % jitter) between the attempts.
    const gaps = server.requests.slice(1).map((r, i) => r.at.getTime() - server.requests[i].at.getTime());
    expect(gaps[0]).toBeGreaterThanOrEqual(950);
    expect(gaps[1]).toBeGreaterThanOrEqual(1950);
    expect(gaps[2]).toBeGreaterThanOrEqual(3950);
  }, 40_000);

  it('records why an attempt failed, without the robot key', async () => {
    const key = nextKey();
    server.script([{ body: { errcode: 45009, errmsg: 'api freq out of limit' } }]);
    await enqueue([
      { webhookUrl: webhook(), message: textMessage('提醒'), dedupeKey: key, purpose: 'sla-reminder' },
    ]);
    const before = Date.now();
    expect(await dispatch()).toMatchObject({ failed: 1 });
    const failed = await row(key);
    expect(failed.attempts).toBe(1);
    expect(failed.delivered_at).toBeNull();
    expect(failed.last_error).toMatch(/RATE_LIMITED \(errcode 45009\)/);
    expect(failed.last_error).not.toContain('ops-robot');
    expect(failed.available_at.getTime()).toBeGreaterThanOrEqual(before + 900);
  });

  it('does not retry a webhook WeCom says is invalid (93000): the message is parked as dead', async () => {
    const key = nextKey();
    server.script([{ body: { errcode: 93000, errmsg: 'invalid webhook url' } }]);
    await enqueue([
      { webhookUrl: webhook(), message: textMessage('提醒'), dedupeKey: key, purpose: 'sla-reminder' },
    ]);
    expect(await dispatch()).toMatchObject({ claimed: 1, dead: 1 });
    const dead = await row(key);
    expect(dead.dead_at).toBeInstanceOf(Date);
    expect(dead.attempts).toBe(1);
    await pool.query('update outbox_message set available_at = now() where dedupe_key = $1', [key]);
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    expect(server.requests).toHaveLength(1);
  });

  it('sends a message enqueued twice with the same key once', async () => {
    const key = nextKey();
    const entry = {
      webhookUrl: webhook(),
      message: textMessage('同一提醒'),
      dedupeKey: key,
      purpose: 'sla-reminder',
    };
    await enqueue([entry]);
    await enqueue([entry]);
    await dispatch();
    await dispatch();
    expect(server.requests).toHaveLength(1);
    const { rows } = await pool.query('select count(*)::int as n from outbox_message where dedupe_key = $1', [
      key,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it('defers the rest of a batch for a robot that rate-limited it, without sending them', async () => {
    server.script([{ body: { errcode: 45009, errmsg: 'api freq out of limit' } }]);
    const keys = [nextKey(), nextKey(), nextKey()];
    await enqueue(
      keys.map((dedupeKey, i) => ({
        webhookUrl: webhook(),
        message: textMessage(`提醒 ${i}`),
        dedupeKey,
        purpose: 'sla-reminder',
      })),
    );
    expect(await dispatch()).toMatchObject({ claimed: 3, failed: 3 });
    expect(server.requests).toHaveLength(1);
    for (const key of keys) expect((await row(key)).attempts).toBe(1);
  });

  it('sends a digest its producer wrote as written and alone, never merged with the messages around it', async () => {
    const [before, digest, after] = [nextKey(), nextKey(), nextKey()];
    const written = textMessage('【订单超时提醒】共 2 条\n1. 淘宝订单 A 已超时\n2. 淘宝订单 B 已超时', {
      mentionedMobiles: ['13800000001'],
    });
    await enqueue([
      {
        webhookUrl: webhook(),
        message: textMessage('【订单超时提醒】淘宝订单 C 已超时'),
        dedupeKey: before,
        purpose: 'sla-reminder',
      },
      {
        webhookUrl: webhook(),
        message: written,
        dedupeKey: digest,
        purpose: 'sla-reminder',
        orderIds: ['a', 'b'],
      },
      {
        webhookUrl: webhook(),
        message: textMessage('【订单超时提醒】淘宝订单 D 已超时'),
        dedupeKey: after,
        purpose: 'sla-reminder',
      },
    ]);
    for (const key of [before, digest, after])
      expect(await dispatchUntilSettled(key, 5000)).toMatchObject({ dead_at: null });
    expect(server.requests.map((r) => r.body)).toEqual([
      textMessage('【订单超时提醒】淘宝订单 C 已超时'),
      written,
      textMessage('【订单超时提醒】淘宝订单 D 已超时'),
    ]);
  });

  it('parks a malformed payload as dead without a request', async () => {
    const client = await pool.connect();
    try {
      await enqueueOutbox(client, [
        { topic: WECOM_MESSAGE_TOPIC, dedupeKey: 'wecom:broken', payload: { purpose: 'x', message: {} } },
      ]);
    } finally {
      client.release();
    }
    expect(await dispatch()).toMatchObject({ dead: 1 });
    expect(server.requests).toHaveLength(0);
  });

  it('delivers later a message whose delivering worker was killed before it committed', async () => {
    const key = nextKey();
    // The robot receives the request but the worker dies before recording the delivery.
    server.script([{ delayMs: 60_000 }]);
    await enqueue([
      { webhookUrl: webhook(), message: textMessage('杀进程测试'), dedupeKey: key, purpose: 'sla-reminder' },
    ]);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/integration/wecom/deliver-in-child.ts', database.url],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await server.waitForRequests(1, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- child output ---\n${output}`);
    });
    child.kill('SIGKILL');
    await exited;
    expect(output).not.toContain('committed');

    // Nothing was marked; the message is leased to the dead worker until the lease runs out.
    const afterKill = await waitFor(
      async () => {
        const current = await row(key);
        const { rows } = await pool.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`,
        );
        return rows[0].n === 0 ? current : null;
      },
      { timeoutMs: 10_000, message: 'the killed worker transaction to end' },
    );
    expect(afterKill).toMatchObject({ attempts: 0, delivered_at: null, dead_at: null });

    server.script([]);
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    await waitFor(async () => (await row(key)).available_at.getTime() <= Date.now(), {
      timeoutMs: 20_000,
      message: 'the dead worker lease to run out',
    });
    expect(await dispatch()).toMatchObject({ claimed: 1, delivered: 1 });
    // Delivered at least once: the robot saw the same message twice.
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].body).toEqual(server.requests[0].body);
    expect(await row(key)).toMatchObject({ attempts: 1, delivered_by: 'test-worker' });
  }, 60_000);
});
