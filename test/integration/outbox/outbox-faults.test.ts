import { createPubSub } from '@graphql-yoga/subscription';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authChecker } from '../../../api/src/app/auth-checker.js';
import { RESOLVERS } from '../../../api/src/app/resolvers.js';
import { markdownMessage, textMessage, utf8Length } from '../../../api/src/domain/wecom/wecom-message.js';
import { buildGraphQLSchema } from '../../../api/src/infra/graphql/build-schema.js';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { enqueueOutbox, type OutboxEntry } from '../../../api/src/infra/outbox/outbox.js';
import { dispatchOutboxBatch } from '../../../api/src/infra/outbox/outbox-dispatcher.js';
import { liveEventsEntry, liveEventsHandler } from '../../../api/src/infra/pubsub/live-events.js';
import { PUBSUB_CHANNEL } from '../../../api/src/infra/pubsub/pg-pubsub.js';
import { createScheduler, type Scheduler } from '../../../api/src/infra/scheduler/scheduler.js';
import { OUTBOX_DISPATCH_JOB, scheduleOutboxDispatch } from '../../../api/src/jobs/outbox-dispatch.job.js';
import { createWecomMessageHandler, wecomOutboxEntry } from '../../../api/src/modules/wecom/wecom-outbox.js';
import { HttpWecomSender } from '../../../api/src/modules/wecom/wecom-sender.js';
import { runGraphql, staff } from '../../support/graphql-in-process.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import {
  type RecordingServer,
  type ScriptedResponse,
  startRecordingServer,
} from '../../support/recording-server.js';
import { sleep, waitFor } from '../../support/wait-for.js';
import { serviceWithCountingReroute, testSettings } from '../flow-health/flow-health-kit.js';

/**
 * The outbox under a slow, a failing and a rate-limited receiver, with the real dispatcher, a real
 * Agenda on PostgreSQL and a recording HTTP server standing in for the WeCom robots.
 */
describe('outbox faults', () => {
  let db: MigratedDb;
  let server: RecordingServer;
  const logger = createLogger('silent', 'test');

  beforeAll(async () => {
    db = await openMigratedDb('outbox_faults', 20);
    server = await startRecordingServer();
  });

  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  beforeEach(async () => {
    server.reset();
    await db.pool.query('delete from outbox_message');
    await db.pool.query('delete from outbox_lane');
  });

  const robot = (name: string) => `${server.url}/cgi-bin/webhook/send?key=${name}`;

  async function enqueue(entries: OutboxEntry[]) {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await enqueueOutbox(client, entries);
      await client.query('commit');
    } finally {
      client.release();
    }
  }

  const undelivered = async () =>
    (
      await db.pool.query<{ n: number }>(
        'select count(*)::int as n from outbox_message where delivered_at is null',
      )
    ).rows[0].n;

  it('sends 2,000 reminders for one group as digests within the robot limits, each order in exactly one', async () => {
    // WeCom's 20 a minute, scaled to 20 a second so the test stays short.
    const handler = createWecomMessageHandler(new HttpWecomSender({ timeoutMs: 2000 }), {
      messagesPerWindow: 20,
      windowMs: 1000,
    });
    const handlers = new Map([[handler.topic, handler]]);
    const orders = Array.from({ length: 2000 }, (_, i) => `TB${String(i).padStart(6, '0')}`);
    await enqueue(
      orders.map((no, i) =>
        wecomOutboxEntry({
          webhookUrl: robot('east-group'),
          message: textMessage(
            `【订单超时提醒】淘宝订单 ${no} 应在 2026-11-25 14:00 前开始拣货，已超时 ${30 + (i % 60)} 分钟。已标记异常并生成工单，请负责人尽快处理。`,
            { mentionedMobiles: [`1380013${String(i % 5).padStart(4, '0')}`] },
          ),
          dedupeKey: `sla:${no}:L1`,
          purpose: 'sla-reminder',
          orderId: no,
        }),
      ),
    );
    // The robot refuses once for sending too often (45009): it gets nothing for a window after.
    server.script([{}, { body: { errcode: 45009, errmsg: 'api freq out of limit' } }]);
    await waitFor(
      async () => {
        await dispatchOutboxBatch({ pool: db.pool, handlers, deliveredBy: 'test', logger });
        return (await undelivered()) === 0;
      },
      { timeoutMs: 60_000, intervalMs: 100, message: 'every reminder delivered' },
    );

    const accepted = server.requests.filter((_, i) => i !== 1);
    const counts = new Map<string, number>();
    for (const request of accepted) {
      const text = (request.body as { text: { content: string; mentioned_mobile_list: string[] } }).text;
      expect(utf8Length(text.content)).toBeLessThanOrEqual(2048);
      expect(text.mentioned_mobile_list.length).toBeGreaterThan(0);
      for (const no of text.content.match(/TB\d{6}/g) ?? []) counts.set(no, (counts.get(no) ?? 0) + 1);
    }
    expect(counts.size).toBe(2000);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(server.requests.length).toBeLessThan(200);
    process.stdout.write(`2,000 reminders: ${server.requests.length} requests (one refused with 45009)\n`);
    // Never more than 20 requests in any window of 1 s (the scaled minute).
    const times = server.requests.map((r) => r.at.getTime());
    for (let i = 20; i < times.length; i++) expect(times[i] - times[i - 20]).toBeGreaterThanOrEqual(950);
    // After the refusal, a whole window passed before the next request.
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(950);
    // Each order's reminder is recorded against the order, delivered.
    const { rows } = await db.pool.query<{ n: number }>(
      `select count(distinct payload->>'orderId')::int as n from outbox_message where delivered_at is not null`,
    );
    expect(rows[0].n).toBe(2000);
  }, 90_000);

  it('delivers each message once from a receiver that fails every third call', async () => {
    const handler = createWecomMessageHandler(new HttpWecomSender({ timeoutMs: 2000 }), {
      messagesPerWindow: 10_000,
    });
    const handlers = new Map([[handler.topic, handler]]);
    const pattern: ScriptedResponse[] = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 2 ? { status: 500, body: 'upstream error' } : {},
    );
    server.script(pattern);
    // Markdown alerts are never digested: one request per message.
    await enqueue(
      Array.from({ length: 30 }, (_, i) =>
        wecomOutboxEntry({
          webhookUrl: robot('ops'),
          message: markdownMessage(`## 告警 ${i}`),
          dedupeKey: `alert:${i}`,
          purpose: 'flow-health',
        }),
      ),
    );
    await waitFor(
      async () => {
        await dispatchOutboxBatch({ pool: db.pool, handlers, deliveredBy: 'test', logger });
        return (await undelivered()) === 0;
      },
      { timeoutMs: 60_000, intervalMs: 100, message: 'every alert delivered' },
    );
    const acceptedContents = server.requests
      .filter((_, i) => i % 3 !== 2)
      .map((r) => (r.body as { markdown: { content: string } }).markdown.content);
    expect(acceptedContents).toHaveLength(30);
    expect(new Set(acceptedContents).size).toBe(30);
    const { rows } = await db.pool.query<{ attempts: number; dead: boolean }>(
      'select attempts, dead_at is not null as dead from outbox_message',
    );
    // The failed calls went again after their backoff; nothing was given up on.
    expect(rows).toHaveLength(30);
    expect(rows.some((r) => r.attempts > 1)).toBe(true);
    expect(rows.every((r) => !r.dead)).toBe(true);
    // One failure in three never opens the breaker.
    const lanes = await db.pool.query<{ consecutive_failures: number }>(
      'select consecutive_failures from outbox_lane',
    );
    expect(lanes.rows.every((l) => l.consecutive_failures < 5)).toBe(true);
  }, 90_000);

  it('opens the breaker of a robot that keeps failing, and keeps delivering to the others', async () => {
    const handler = createWecomMessageHandler(new HttpWecomSender({ timeoutMs: 2000 }), {
      messagesPerWindow: 10_000,
    });
    const handlers = new Map([[handler.topic, handler]]);
    const broken = robot('broken');
    server.script([], { status: 503, body: 'down' });
    await enqueue(
      Array.from({ length: 8 }, (_, i) =>
        wecomOutboxEntry({
          webhookUrl: broken,
          message: markdownMessage(`## 坏 ${i}`),
          dedupeKey: `b:${i}`,
          purpose: 'flow-health',
        }),
      ),
    );
    // Five failed calls in a row (each after its backoff) open the breaker.
    await waitFor(
      async () => {
        await db.pool.query(`update outbox_message set available_at = now() where delivered_at is null`);
        await dispatchOutboxBatch({ pool: db.pool, handlers, deliveredBy: 'test', logger });
        const { rows } = await db.pool.query<{ open_until: Date | null }>(
          'select open_until from outbox_lane',
        );
        return rows[0]?.open_until && rows[0].open_until.getTime() > Date.now();
      },
      { timeoutMs: 30_000, intervalMs: 50, message: 'the breaker to open' },
    );
    const callsWhenOpened = server.requests.length;
    expect(callsWhenOpened).toBeGreaterThanOrEqual(5);
    // While open: no call to the broken robot, though its messages are due; others still go.
    server.script([], {});
    await db.pool.query(`update outbox_message set available_at = now() where delivered_at is null`);
    await enqueue([
      wecomOutboxEntry({
        webhookUrl: robot('fine'),
        message: markdownMessage('## 好'),
        dedupeKey: 'fine',
        purpose: 'flow-health',
      }),
    ]);
    await dispatchOutboxBatch({ pool: db.pool, handlers, deliveredBy: 'test', logger });
    expect(server.requests.slice(callsWhenOpened).map((r) => r.path)).toEqual([
      '/cgi-bin/webhook/send?key=fine',
    ]);

    // Operators see the paused lane on flowHealth, with why, without the robot key.
    const { service } = serviceWithCountingReroute(db.pool, testSettings());
    const answer = await runGraphql<{
      flowHealth: {
        outboxLanes: {
          topic: string;
          breaker: string;
          consecutiveFailures: number;
          pending: number;
          lastError: string;
        }[];
      };
    }>(
      buildGraphQLSchema(RESOLVERS, createPubSub(), authChecker),
      db,
      staff('OPS'),
      '{ flowHealth { outboxLanes { topic breaker consecutiveFailures pending lastError } } }',
      {},
      { extra: { flowHealth: service } },
    );
    expect(answer.errors).toEqual([]);
    expect(answer.data.flowHealth.outboxLanes).toEqual([
      {
        topic: 'wecom.message',
        breaker: 'OPEN',
        consecutiveFailures: 5,
        pending: 8,
        lastError: expect.stringContaining('HTTP 503'),
      },
    ]);
    expect(answer.data.flowHealth.outboxLanes[0].lastError).not.toContain('broken');
  }, 60_000);

  describe('with a slow receiver and the Agenda job', () => {
    let scheduler: Scheduler;
    let listener: pg.Client;
    let stopDispatch: () => Promise<void>;
    const runs: { start: number; end: number | null }[] = [];
    const arrivals = new Map<string, number>();

    beforeAll(async () => {
      scheduler = createScheduler({
        databaseUrl: db.url,
        mongodbUrl: null,
        workerName: 'fault-worker',
        processEveryMs: 200,
        logger,
      });
      await scheduler.agenda.ready;
      scheduler.agenda.on(`start:${OUTBOX_DISPATCH_JOB}`, () => runs.push({ start: Date.now(), end: null }));
      const ended = () => {
        const open = runs.find((r) => r.end === null);
        if (open) open.end = Date.now();
      };
      scheduler.agenda.on(`complete:${OUTBOX_DISPATCH_JOB}`, ended);
      const job = await scheduleOutboxDispatch(scheduler.agenda, {
        pool: db.pool,
        databaseUrl: db.url,
        handlers: [
          liveEventsHandler('ORDER_UPDATED'),
          createWecomMessageHandler(new HttpWecomSender({ timeoutMs: 5000 }), { messagesPerWindow: 10_000 }),
        ],
        workerName: 'fault-worker',
        logger,
        sweepEveryMs: 1000,
      });
      stopDispatch = job.stop;
      await scheduler.start();
      listener = new pg.Client({ connectionString: db.url });
      listener.on('error', () => undefined);
      listener.on('notification', (message) => {
        const event = JSON.parse(message.payload ?? '{}').event as { orderId?: string };
        if (event.orderId && !arrivals.has(event.orderId)) arrivals.set(event.orderId, Date.now());
      });
      await listener.connect();
      await listener.query(`LISTEN ${PUBSUB_CHANNEL}`);
    });

    afterAll(async () => {
      await stopDispatch?.();
      await scheduler?.stop(10_000);
      await listener?.end();
    });

    it('still delivers subscription events within 1 s while robots answer in 2 s, one run at a time', async () => {
      server.script([], { delayMs: 2000 });
      // Six robots, each its own lane, each with messages that take 2 s a call.
      await enqueue(
        Array.from({ length: 24 }, (_, i) =>
          wecomOutboxEntry({
            webhookUrl: robot(`slow-${i % 6}`),
            message: markdownMessage(`## 慢 ${i}`),
            dedupeKey: `slow:${i}`,
            purpose: 'flow-health',
          }),
        ),
      );
      await server.waitForRequests(6, 10_000);
      const sent = new Map<string, number>();
      for (let i = 0; i < 20; i++) {
        const orderId = `order-${i}`;
        sent.set(orderId, Date.now());
        await enqueue(
          liveEventsEntry('ORDER_UPDATED', [
            {
              orderId,
              channel: 'JD',
              channelOrderNo: `JD-${i}`,
              state: 'PAID',
              previousState: 'CREATED',
              groupId: null,
              abnormal: false,
              occurredAt: new Date().toISOString(),
            },
          ]),
        );
        await sleep(150);
      }
      await waitFor(() => arrivals.size >= 20, { timeoutMs: 10_000, message: '20 subscription events' });
      const delays = [...sent].map(([id, at]) => arrivals.get(id)! - at);
      expect(Math.max(...delays)).toBeLessThan(1000);
      // The slow lanes were still busy when the events went out.
      expect(server.requests.length).toBeLessThan(24);
      await waitFor(async () => (await undelivered()) === 0, {
        timeoutMs: 30_000,
        message: 'slow lanes drained',
      });
      // Never two runs at once in this worker, and each ended well inside its 60 s lock.
      for (let i = 1; i < runs.length; i++)
        expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end ?? Infinity);
      for (const run of runs) if (run.end) expect(run.end - run.start).toBeLessThan(60_000);
      // Each slow message reached its robot exactly once.
      const contents = server.requests.map(
        (r) => (r.body as { markdown: { content: string } }).markdown.content,
      );
      expect(new Set(contents).size).toBe(contents.length);
    }, 90_000);
  });
});
