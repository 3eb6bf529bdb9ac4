import pg from 'pg';
import { markdownMessage } from '../api/src/domain/wecom/wecom-message.js';
import { createLogger } from '../api/src/infra/logging/logger.js';
import { enqueueOutbox, type OutboxEntry } from '../api/src/infra/outbox/outbox.js';
import { liveEventsEntry, liveEventsHandler } from '../api/src/infra/pubsub/live-events.js';
import { PUBSUB_CHANNEL } from '../api/src/infra/pubsub/pg-pubsub.js';
import { createScheduler } from '../api/src/infra/scheduler/scheduler.js';
import { scheduleOutboxDispatch } from '../api/src/jobs/outbox-dispatch.job.js';
import { createWecomMessageHandler, wecomOutboxEntry } from '../api/src/modules/wecom/wecom-outbox.js';
import { HttpWecomSender } from '../api/src/modules/wecom/wecom-sender.js';
import { startBenchPostgres } from './support/bench-postgres.js';
import { onCleanup, runBench } from './support/cleanup.js';
import { describeMachine, loadLine, machineLine } from './support/machine.js';
import { startSlowReceiver } from './support/slow-receiver.js';
import { perSecond, summarize, thousands } from './support/stats.js';

/**
 * Outbox throughput against a receiver that answers in 50 ms, beside the latency of subscription
 * events measured in the same run, on the embedded PostgreSQL `npm start` uses.
 *
 * The worker's own dispatch job (a real Agenda on PostgreSQL, the NOTIFY wake-ups, the lane
 * dispatcher) delivers OUTBOX_BENCH_MESSAGES markdown messages (never digested: one request each)
 * spread over OUTBOX_BENCH_ROBOTS robots of an HTTP server in another process that answers each after 50 ms. While
 * those lanes are saturated, one `order.updated` event is committed every 50 ms; its latency is
 * from the commit to the NOTIFY arriving at a LISTEN connection (what every API process hears).
 * Then the same with one robot (one lane).
 *
 * Run: npm run bench:outbox   (OUTBOX_BENCH_MESSAGES=2000, OUTBOX_BENCH_ROBOTS=8)
 * Goal: subscription p99 ≤ 250 ms while the slow lanes are saturated.
 */

const MESSAGES = Number(process.env.OUTBOX_BENCH_MESSAGES ?? 2000);
const ROBOTS = Number(process.env.OUTBOX_BENCH_ROBOTS ?? 8);
const RECEIVER_MS = 50;
const EVENT_EVERY_MS = 50;
const GOAL_P99_MS = 250;
const logger = createLogger('warn', 'bench-outbox');

await runBench('bench:outbox', async () => {
  console.log(`bench:outbox — ${machineLine(describeMachine())}`);
  console.log(`${loadLine()} at start\n`);
  const db = await startBenchPostgres('outbox', 10);
  const receiver = await startSlowReceiver(RECEIVER_MS);
  onCleanup(() => receiver.close());
  const scheduler = createScheduler({
    databaseUrl: db.url,
    mongodbUrl: null,
    workerName: 'bench-worker',
    processEveryMs: 200,
    logger,
  });
  await scheduler.agenda.ready;
  const job = await scheduleOutboxDispatch(scheduler.agenda, {
    pool: db.pool,
    databaseUrl: db.url,
    handlers: [
      liveEventsHandler('ORDER_UPDATED'),
      // A local receiver, not WeCom: no 20-a-minute pacing.
      createWecomMessageHandler(new HttpWecomSender({ timeoutMs: 5000 }), { messagesPerWindow: 1_000_000 }),
    ],
    workerName: 'bench-worker',
    logger,
    sweepEveryMs: 1000,
  });
  await scheduler.start();
  onCleanup(async () => {
    await job.stop();
    await scheduler.stop(10_000);
  });

  const heard = new Map<string, number>();
  const listener = new pg.Client({ connectionString: db.url });
  listener.on('error', () => undefined);
  listener.on('notification', (message) => {
    const event = (JSON.parse(message.payload ?? '{}') as { event?: { orderId?: string } }).event;
    if (event?.orderId && !heard.has(event.orderId)) heard.set(event.orderId, performance.now());
  });
  await listener.connect();
  await listener.query(`LISTEN ${PUBSUB_CHANNEL}`);
  onCleanup(() => listener.end());

  const enqueue = async (entries: OutboxEntry[]) => {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await enqueueOutbox(client, entries);
      await client.query('commit');
    } finally {
      client.release();
    }
  };

  let round = 0;
  async function measure(robots: number, messages: number) {
    round++;
    for (let i = 0; i < messages; i += 500)
      await enqueue(
        Array.from({ length: Math.min(500, messages - i) }, (_, k) =>
          wecomOutboxEntry({
            webhookUrl: `${receiver.url}/cgi-bin/webhook/send?key=r${round}-${(i + k) % robots}`,
            message: markdownMessage(`## 基准 ${round}-${i + k}`),
            dedupeKey: `bench:${round}:${i + k}`,
            purpose: 'bench',
          }),
        ),
      );
    const requestsBefore = receiver.requests();
    const started = performance.now();
    const committed = new Map<string, number>();
    let n = 0;
    const delivered = async () =>
      (
        await db.pool.query<{ n: number }>(
          `select count(*)::int as n from outbox_message where topic = 'wecom.message' and delivered_at is not null and dedupe_key like $1`,
          [`bench:${round}:%`],
        )
      ).rows[0].n;
    let check = 0;
    while (++check % 10 !== 0 || (await delivered()) < messages) {
      const orderId = `bench-${round}-${n++}`;
      await enqueue(
        liveEventsEntry('ORDER_UPDATED', [
          {
            orderId,
            channel: 'JD',
            channelOrderNo: orderId,
            state: 'PICKING',
            previousState: 'WAREHOUSE_ACCEPTED',
            groupId: null,
            abnormal: false,
            occurredAt: new Date().toISOString(),
          },
        ]),
      );
      committed.set(orderId, performance.now());
      await new Promise((r) => setTimeout(r, EVENT_EVERY_MS));
    }
    const elapsed = performance.now() - started;
    await new Promise((r) => setTimeout(r, 500));
    const latencies = [...committed].map(([id, at]) => (heard.get(id) ?? Number.POSITIVE_INFINITY) - at);
    const { rows } = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from outbox_message where topic = 'wecom.message' and delivered_at is null`,
    );
    return {
      robots,
      messages,
      seconds: elapsed / 1000,
      perSecond: perSecond(messages, elapsed),
      requests: receiver.requests() - requestsBefore,
      undelivered: rows[0].n,
      events: summarize(latencies),
      lost: latencies.filter((l) => !Number.isFinite(l)).length,
    };
  }

  const results = [await measure(ROBOTS, MESSAGES), await measure(1, Math.min(MESSAGES, 300))];
  console.log(
    '| lanes (robots) | messages | time | messages/s | subscription events | event p50 / p90 / p99 / max | lost |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const r of results)
    console.log(
      `| ${r.robots} | ${thousands(r.messages)} | ${r.seconds.toFixed(1)} s | ${r.perSecond} | ${r.events.count} | ${r.events.p50} / ${r.events.p90} / ${r.events.p99} / ${r.events.max} ms | ${r.lost} |`,
    );
  console.log(`\n${loadLine()} at end`);
  const worst = Math.max(...results.map((r) => r.events.p99));
  console.log(
    `goal: subscription p99 ≤ ${GOAL_P99_MS} ms while the slow lanes are saturated — ${worst <= GOAL_P99_MS ? 'met' : 'NOT met'} (worst p99 ${worst} ms)`,
  );
});
