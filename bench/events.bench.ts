import pg from 'pg';
import { CHANNELS, type Channel } from '../api/src/domain/order/order-types.js';
import { createLogger } from '../api/src/infra/logging/logger.js';
import { dispatchOutboxBatch } from '../api/src/infra/outbox/outbox-dispatcher.js';
import { liveEventsHandler } from '../api/src/infra/pubsub/live-events.js';
import { PUBSUB_CHANNEL } from '../api/src/infra/pubsub/pg-pubsub.js';
import {
  applyOrderEvents,
  type OrderEventOutcome,
  type OrderEventSubmission,
} from '../api/src/modules/order-events/order-event.service.js';
import { submitChannelOrders } from '../api/src/modules/orders/order-intake.js';
import { startBenchPostgres } from './support/bench-postgres.js';
import { channelPayload } from './support/channel-payloads.js';
import { onCleanup, runBench } from './support/cleanup.js';
import {
  type CpuUse,
  cpuLine,
  cpuMeter,
  describeMachine,
  loadAverage,
  loadLine,
  machineLine,
  rssMiB,
} from './support/machine.js';
import { Prng } from './support/prng.js';
import { perSecond, summarize, thousands } from './support/stats.js';

/**
 * Lifecycle event throughput: `applyOrderEvents(pool, submissions, receivedAt)` (parse, find and
 * lock the orders, decide, history row, new state, one `order.updated` outbox message per order
 * moved; one transaction per call) on the embedded PostgreSQL `npm start` uses (fsync on).
 *
 * 20,000 PAID orders are taken in through the platform's intake (not timed), then each gets
 * WMS_ACCEPTED → WMS_PICKING_STARTED → WMS_PACKED → WMS_SHIPPED → TMS_IN_TRANSIT: 100,000 events,
 * sent in waves (every order's first event, then every order's second…, orders shuffled) in calls
 * of 500 and of 1,000, one call at a time. WMS events name the order by id, TMS events by channel
 * and channel order number. Each run starts from freshly taken-in orders and an empty outbox.
 *
 * Each batch size runs twice: alone, then with the outbox dispatcher delivering at the same time
 * in this process (`dispatchOutboxBatch`, 500 per claim as the worker does, with the
 * `order.updated` handler, which publishes each message with pg_notify on the pubsub channel).
 * One LISTEN connection counts the notifications that arrive.
 *
 * Run: npm run bench:events   (EVENTS_ORDERS, EVENTS_BATCHES="500,1000", SEED to vary)
 */

const ORDERS = Number(process.env.EVENTS_ORDERS ?? 20_000);
const BATCH_SIZES = (process.env.EVENTS_BATCHES ?? '500,1000').split(',').map(Number);
const SEED = Number(process.env.SEED ?? 20261125);
const DISPATCH_BATCH = 500;
const GOAL_EVENTS_PER_SECOND = 3_000;
const STAGES = [
  { source: 'WMS', type: 'WMS_ACCEPTED', state: 'WAREHOUSE_ACCEPTED' },
  { source: 'WMS', type: 'WMS_PICKING_STARTED', state: 'PICKING' },
  { source: 'WMS', type: 'WMS_PACKED', state: 'PACKED' },
  { source: 'WMS', type: 'WMS_SHIPPED', state: 'SHIPPED' },
  { source: 'TMS', type: 'TMS_IN_TRANSIT', state: 'IN_TRANSIT' },
] as const;
const EVENTS = ORDERS * STAGES.length;
/** Bounds: the whole run, and waiting for the outbox to drain or notifications to arrive. */
const MAX_RUN_MS = 30 * 60_000;
const MAX_DRAIN_MS = 5 * 60_000;

interface SeededOrder {
  id: string;
  channel: Channel;
  channelOrderNo: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const orderUpdated = liveEventsHandler('ORDER_UPDATED');
const logger = createLogger('warn', 'bench-events');

/** Empties the pool and takes in ORDERS paid orders through the platform's intake. */
async function seedOrders(pool: pg.Pool): Promise<SeededOrder[]> {
  await pool.query('truncate orders, order_event, outbox_message');
  const orders: SeededOrder[] = [];
  const perChannel = Math.ceil(ORDERS / CHANNELS.length);
  for (const channel of CHANNELS) {
    for (let offset = 0; offset < perChannel && orders.length < ORDERS; offset += 5_000) {
      const count = Math.min(5_000, perChannel - offset, ORDERS - orders.length);
      const payloads = Array.from({ length: count }, (_, i) =>
        channelPayload(SEED, channel, offset + i, 'PAID'),
      );
      const { results, errors } = await submitChannelOrders(pool, channel, payloads, new Date());
      if (errors.length > 0 || results.some((r) => r.outcome !== 'CREATED' || r.state !== 'PAID'))
        throw new Error(`seeding ${channel} orders failed: ${JSON.stringify(errors.slice(0, 3))}`);
      for (const r of results) orders.push({ id: r.orderId, channel, channelOrderNo: r.channelOrderNo });
    }
  }
  // Only the events' messages are measured: the intake's own are not part of this run.
  await pool.query('truncate outbox_message');
  await pool.query('vacuum analyze orders, order_event');
  await pool.query('checkpoint');
  return orders;
}

/** The events of one call: `size` positions of the wave sequence, starting at `start`. */
function submissionsFor(
  orders: readonly SeededOrder[],
  waveOrder: Int32Array,
  start: number,
  size: number,
  t0: number,
): OrderEventSubmission[] {
  const out: OrderEventSubmission[] = [];
  for (let n = start; n < Math.min(start + size, EVENTS); n++) {
    const stage = Math.floor(n / ORDERS);
    const order = orders[waveOrder[n % ORDERS]];
    const { source, type } = STAGES[stage];
    const occurredAt = new Date(t0 + stage * 3 * 3600_000 + (n % ORDERS) * 1000).toISOString();
    out.push({
      orderRef:
        source === 'WMS'
          ? { orderId: order.id }
          : { channel: order.channel, channelOrderNo: order.channelOrderNo },
      event: {
        source,
        type,
        idempotencyKey: `${source.toLowerCase()}:${order.channelOrderNo}:${type}`,
        occurredAt,
        payload:
          source === 'WMS'
            ? { warehouse: 'WH-HZ-01', operator: `op${n % 37}` }
            : { carrier: 'SF', trackingNo: `SF${String(1_000_000_000 + n)}`, scanCity: '杭州市' },
      },
    });
  }
  return out;
}

async function countRows(pool: pg.Pool) {
  const { rows } = await pool.query<{ state: string; n: string }>(
    'select state, count(*) as n from orders group by state',
  );
  const {
    rows: [r],
  } = await pool.query<{ events: string; outbox: string; delivered: string }>(
    `select (select count(*) from order_event) as events, (select count(*) from outbox_message) as outbox,
            (select count(*) from outbox_message where delivered_at is not null) as delivered`,
  );
  return {
    states: Object.fromEntries(rows.map((s) => [s.state, Number(s.n)])),
    orderEvent: Number(r.events),
    outboxMessage: Number(r.outbox),
    delivered: Number(r.delivered),
  };
}

/** One LISTEN connection on the pubsub channel, counting `ORDER_UPDATED` notifications. */
async function listen(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  onCleanup(() => client.end());
  const counts = { received: 0, distinct: new Set<string>(), lastAt: 0 };
  client.on('notification', (message) => {
    const envelope = JSON.parse(message.payload ?? '{}') as { topic?: string; event?: { eventId?: string } };
    if (envelope.topic !== 'ORDER_UPDATED') return;
    counts.received++;
    if (envelope.event?.eventId) counts.distinct.add(envelope.event.eventId);
    counts.lastAt = performance.now();
  });
  await client.query(`LISTEN ${PUBSUB_CHANNEL}`);
  return {
    counts,
    reset() {
      counts.received = 0;
      counts.distinct.clear();
      counts.lastAt = 0;
    },
  };
}

interface RunResult {
  batchSize: number;
  withDispatcher: boolean;
  calls: number;
  eventsPerSecond: number;
  eventsPerSecondWall: number;
  callMs: ReturnType<typeof summarize>;
  outcomes: Partial<Record<OrderEventOutcome, number>>;
  rows: Awaited<ReturnType<typeof countRows>>;
  cpu: CpuUse;
  dispatch?: {
    delivered: number;
    deliveredPerSecond: number;
    deliveredWhileApplying: number;
    backlogWhenApplyingEnded: number;
    drainAfterApplyingMs: number;
    claimMs: ReturnType<typeof summarize>;
    notificationsReceived: number;
    distinctNotifications: number;
  };
}

async function run(
  pool: pg.Pool,
  listener: Awaited<ReturnType<typeof listen>>,
  batchSize: number,
  withDispatcher: boolean,
  startedAt: number,
  dataDir: string,
): Promise<RunResult> {
  const label = `calls of ${thousands(batchSize)}${withDispatcher ? ' + dispatcher' : ''}`;
  console.log(`\n${label}: taking in ${thousands(ORDERS)} paid orders…`);
  const orders = await seedOrders(pool);
  const rng = new Prng(SEED + batchSize);
  const waveOrder = Int32Array.from({ length: ORDERS }, (_, i) => i);
  for (let i = ORDERS - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [waveOrder[i], waveOrder[j]] = [waveOrder[j], waveOrder[i]];
  }
  listener.reset();
  const t0 = Date.now() - 2 * 24 * 3600_000;

  let applying = true;
  const dispatch = { delivered: 0, claimMs: [] as number[], deliveredWhileApplying: 0, lastDeliveredAt: 0 };
  const dispatcher = withDispatcher
    ? (async () => {
        for (;;) {
          if (performance.now() - startedAt > MAX_RUN_MS) throw new Error('dispatcher: run took too long');
          const c0 = performance.now();
          const r = await dispatchOutboxBatch({
            pool,
            handlers: new Map([[orderUpdated.topic, orderUpdated]]),
            batchSize: DISPATCH_BATCH,
            deliveredBy: 'bench-events',
            logger,
          });
          if (r.failed > 0 || r.dead > 0) throw new Error(`outbox delivery failed: ${JSON.stringify(r)}`);
          if (r.claimed > 0) dispatch.claimMs.push(performance.now() - c0);
          dispatch.delivered += r.delivered;
          if (applying) dispatch.deliveredWhileApplying += r.delivered;
          if (r.delivered > 0) dispatch.lastDeliveredAt = performance.now();
          if (!applying && dispatch.delivered >= EVENTS) return;
          if (r.claimed < DISPATCH_BATCH) await sleep(applying ? 5 : 20);
        }
      })()
    : null;
  // A failing dispatcher must stop the run, not wait for the applier.
  let dispatcherError: unknown = null;
  dispatcher?.catch((error) => {
    dispatcherError = error;
  });

  const callMs: number[] = [];
  const outcomes: Partial<Record<OrderEventOutcome, number>> = {};
  const cpuUse = cpuMeter(dataDir);
  const applyStart = performance.now();
  let next = 0.1;
  for (let start = 0; start < EVENTS; start += batchSize) {
    if (dispatcherError) throw dispatcherError;
    if (performance.now() - startedAt > MAX_RUN_MS) throw new Error('run took too long');
    const submissions = submissionsFor(orders, waveOrder, start, batchSize, t0);
    const c0 = performance.now();
    const results = await applyOrderEvents(pool, submissions, new Date());
    callMs.push(performance.now() - c0);
    for (const r of results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    const done = start + submissions.length;
    if (done / EVENTS >= next || done === EVENTS) {
      next = Math.floor((done / EVENTS) * 10) / 10 + 0.1;
      const timed = callMs.reduce((a, b) => a + b, 0);
      console.log(
        `  ${label}: ${thousands(done).padStart(7)} / ${thousands(EVENTS)} events, ` +
          `${thousands(perSecond(done, timed))} events/s` +
          (withDispatcher
            ? `, ${thousands(dispatch.delivered)} delivered, ${thousands(listener.counts.received)} notified`
            : '') +
          `, rss ${rssMiB()} MiB, load ${loadAverage().one}`,
      );
    }
  }
  const applyEnd = performance.now();
  applying = false;
  const backlog = EVENTS - dispatch.deliveredWhileApplying;

  let dispatchResult: RunResult['dispatch'];
  if (dispatcher) {
    const drained = await Promise.race([dispatcher.then(() => true), sleep(MAX_DRAIN_MS).then(() => false)]);
    if (dispatcherError) throw dispatcherError;
    if (!drained) throw new Error(`the outbox did not drain within ${MAX_DRAIN_MS / 1000} s`);
    const waitUntil = performance.now() + 30_000;
    while (listener.counts.received < dispatch.delivered && performance.now() < waitUntil) await sleep(20);
    const deliveredMs = dispatch.lastDeliveredAt - applyStart;
    dispatchResult = {
      delivered: dispatch.delivered,
      deliveredPerSecond: perSecond(dispatch.delivered, deliveredMs),
      deliveredWhileApplying: dispatch.deliveredWhileApplying,
      backlogWhenApplyingEnded: backlog,
      drainAfterApplyingMs: Math.round(Math.max(0, dispatch.lastDeliveredAt - applyEnd)),
      claimMs: summarize(dispatch.claimMs),
      notificationsReceived: listener.counts.received,
      distinctNotifications: listener.counts.distinct.size,
    };
  }

  const cpu = cpuUse();
  const rows = await countRows(pool);
  const timedMs = callMs.reduce((a, b) => a + b, 0);
  const result: RunResult = {
    batchSize,
    withDispatcher,
    calls: callMs.length,
    eventsPerSecond: perSecond(EVENTS, timedMs),
    eventsPerSecondWall: perSecond(EVENTS, applyEnd - applyStart),
    callMs: summarize(callMs),
    outcomes,
    rows,
    cpu,
    dispatch: dispatchResult,
  };

  // Every event applied, every order in transit, one history row per event (plus the intake's
  // one per order), one outbox message per event; with the dispatcher, each one delivered and
  // its notification received.
  const problems: string[] = [];
  if (outcomes.APPLIED !== EVENTS) problems.push(`outcomes ${JSON.stringify(outcomes)}`);
  if (rows.states.IN_TRANSIT !== ORDERS) problems.push(`states ${JSON.stringify(rows.states)}`);
  if (rows.orderEvent !== ORDERS + EVENTS) problems.push(`order_event ${rows.orderEvent}`);
  if (rows.outboxMessage !== EVENTS) problems.push(`outbox_message ${rows.outboxMessage}`);
  if (dispatchResult) {
    if (rows.delivered !== EVENTS) problems.push(`delivered ${rows.delivered}`);
    if (dispatchResult.distinctNotifications !== EVENTS)
      problems.push(
        `notifications ${dispatchResult.notificationsReceived} (${dispatchResult.distinctNotifications} distinct)`,
      );
  }
  console.log(
    `  ${label}: ${thousands(result.eventsPerSecond)} events/s (call p50 ${result.callMs.p50} ms, p99 ` +
      `${result.callMs.p99} ms); rows: order_event ${thousands(rows.orderEvent)}, outbox_message ` +
      `${thousands(rows.outboxMessage)}, orders ${JSON.stringify(rows.states)}` +
      (dispatchResult
        ? `\n  delivered ${thousands(dispatchResult.delivered)} at ${thousands(dispatchResult.deliveredPerSecond)}/s ` +
          `(${thousands(dispatchResult.deliveredWhileApplying)} while applying, the last ` +
          `${(dispatchResult.drainAfterApplyingMs / 1000).toFixed(1)} s after), ` +
          `${thousands(dispatchResult.notificationsReceived)} notifications received by the listener`
        : ''),
  );
  console.log(`  ${cpuLine(cpu)}; ${loadLine()}`);
  if (problems.length > 0) throw new Error(`${label}: wrong results: ${problems.join('; ')}`);
  return result;
}

async function main() {
  const machine = describeMachine();
  const loadAtStart = loadAverage();
  const startedAt = performance.now();
  console.log(`machine: ${machineLine(machine)}`);
  console.log(`${loadLine()} at start`);
  console.log(
    `events: ${thousands(ORDERS)} paid orders × ${STAGES.length} events = ${thousands(EVENTS)}, ` +
      `calls of ${BATCH_SIZES.map(thousands).join(' and ')}, seed ${SEED}`,
  );
  console.log('starting a throw-away embedded PostgreSQL…');
  const db = await startBenchPostgres('events', 6);
  console.log(`PostgreSQL ${db.version} in ${db.dir}`);
  const listener = await listen(db.url);

  const results: RunResult[] = [];
  for (const size of BATCH_SIZES) {
    results.push(await run(db.pool, listener, size, false, startedAt, db.dir));
    results.push(await run(db.pool, listener, size, true, startedAt, db.dir));
  }

  const loadAtEnd = loadAverage();
  console.log(`\nLifecycle events: ${thousands(EVENTS)} events on ${thousands(ORDERS)} orders per run\n`);
  console.log('  calls of   dispatcher   events/s   call p50 / p99        delivered/s   notifications');
  for (const r of results) {
    console.log(
      `  ${thousands(r.batchSize).padStart(8)}   ${(r.withDispatcher ? 'yes' : 'no').padEnd(10)}   ` +
        `${thousands(r.eventsPerSecond).padStart(8)}   ${`${r.callMs.p50} / ${r.callMs.p99} ms`.padEnd(20)}  ` +
        `${(r.dispatch ? thousands(r.dispatch.deliveredPerSecond) : '–').padStart(11)}   ` +
        `${r.dispatch ? thousands(r.dispatch.notificationsReceived) : '–'}`,
    );
  }
  const met = results.every((r) => r.eventsPerSecond >= GOAL_EVENTS_PER_SECOND);
  console.log(
    `\n  goal ≥ ${thousands(GOAL_EVENTS_PER_SECOND)} events/s: ${met ? 'met' : 'NOT met'} in every run`,
  );
  console.log(`  ${machineLine(machine)}; PostgreSQL ${db.version}; ${loadLine()} at end\n`);
  console.log(
    JSON.stringify({
      bench: 'events',
      command: 'npm run bench:events',
      date: new Date().toISOString(),
      seed: SEED,
      orders: ORDERS,
      events: EVENTS,
      stages: STAGES.map((s) => s.type),
      dispatchBatch: DISPATCH_BATCH,
      goalEventsPerSecond: GOAL_EVENTS_PER_SECOND,
      met,
      results,
      postgres: { version: db.version },
      machine,
      loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd },
    }),
  );
}

await runBench('events bench', main);
