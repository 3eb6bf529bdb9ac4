import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ENTITIES } from '../../api/src/app/entities.js';
import { startEmbeddedPostgres } from '../../api/src/infra/db/embedded-postgres.js';
import { migrate, openOrm } from '../../api/src/infra/db/orm.js';
import { createLogger } from '../../api/src/infra/logging/logger.js';
import {
  applyOrderEvents,
  type OrderEventSubmission,
} from '../../api/src/modules/order-events/order-event.service.js';
import { freePort } from '../../test/support/free-port.js';
import { bulkOrderInsertSql } from '../../test/support/order-rows.js';
import { Prng } from '../support/prng.js';

/**
 * Lifecycle event throughput of `applyOrderEvents` on the embedded PostgreSQL (fsync on): per call,
 * parse, lock the orders, decide, append history, move states and enqueue `order.updated`, in
 * one transaction. ORDERS paid orders each walk the seven warehouse and carrier steps; the events
 * go out step by step in batches, with about 2 % re-sends (DUPLICATE) and 2 % late earlier steps
 * under a new key (STALE). Orders carry an address and two lines, as real rows do. Each batch size
 * runs on its own fresh database, after a short untimed warm-up run on another one.
 *
 * CALLERS > 1 splits the orders into that many disjoint groups, each sent by its own caller at the
 * same time, as webhooks from several systems arrive.
 *
 * Each batch size runs twice on databases of their own: the feed in order, then the same feed with
 * EARLY (default 30 %) of the events after the first step arriving early, before the event of the
 * step before them (seeded, so every run sends the same feed). An early event either applies with
 * the steps it implies or waits as PENDING; the late event it overtook then has the order's feed
 * decided again.
 *
 * Run: npx tsx bench/order-events/apply-events.bench.ts   (ORDERS=20000 BATCHES=500,1000 CALLERS=1 EARLY=0.3)
 */

const ORDERS = Number(process.env.ORDERS ?? 20_000);
const BATCH_SIZES = (process.env.BATCHES ?? '500,1000').split(',').map(Number);
const CALLERS = Number(process.env.CALLERS ?? 1);
const EARLY = Number(process.env.EARLY ?? 0.3);
const STEPS: [string, string][] = [
  ['WMS_ACCEPTED', 'WMS'],
  ['WMS_PICKING_STARTED', 'WMS'],
  ['WMS_PACKED', 'WMS'],
  ['WMS_SHIPPED', 'WMS'],
  ['TMS_PICKED_UP', 'TMS'],
  ['TMS_OUT_FOR_DELIVERY', 'TMS'],
  ['TMS_DELIVERED', 'TMS'],
];
const BASE = Date.parse('2026-11-25T00:00:00Z');

function stream(ids: readonly string[], early: number): OrderEventSubmission[] {
  // One block per step; an early event joins the block before, ahead of its order's event there.
  const blocks: OrderEventSubmission[][] = STEPS.map(() => []);
  const position = new Map<string, number>();
  let n = 0;
  STEPS.forEach(([type, source], step) => {
    ids.forEach((orderId, i) => {
      const at = new Date(BASE + step * 600_000 + i).toISOString();
      const event = { source, type, idempotencyKey: `${type}:${i}`, occurredAt: at, payload: { scan: step } };
      const submission = { orderRef: { orderId }, event };
      const before = position.get(orderId);
      if (step > 0 && before !== undefined && Prng.for(7, step, i).chance(early)) {
        blocks[step - 1].splice(before, 0, submission);
        position.set(orderId, blocks[step].length);
      } else {
        position.set(orderId, blocks[step].length);
        blocks[step].push(submission);
      }
      n += 1;
      if (step > 0 && n % 50 === 0) blocks[step].push({ orderRef: { orderId }, event }); // re-send
      if (step > 1 && n % 50 === 25) {
        const [oldType, oldSource] = STEPS[step - 2];
        const late = { source: oldSource, type: oldType, idempotencyKey: `late:${n}`, occurredAt: at };
        blocks[step].push({ orderRef: { orderId }, event: late });
      }
    });
  });
  return blocks.flat();
}

const ADDRESS = JSON.stringify({
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  street: '文三路街道',
  detail: '文三路100号示例大厦1单元101室',
});
const ITEMS = JSON.stringify(
  [1, 2].map((line) => ({
    lineNo: `L${line}`,
    sku: `SKU-0000${line}`,
    title: '示例商品 标准款 颜色分类：黑色 尺码：M',
    quantity: line,
    priceCents: 12_800,
    custom: false,
  })),
);

async function run(
  adminUrl: string,
  batchSize: number,
  orders: number,
  name: string,
  report: boolean,
  early = 0,
): Promise<number> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const orm = await openOrm(url.toString(), ENTITIES, 2);
  await migrate(orm);
  await orm.close(true);
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  const { rows } = await pool.query<{ id: string }>(
    `${bulkOrderInsertSql(
      {
        channel_order_no: `'B' || g`,
        channel_status: `'WAIT_SELLER_SEND_GOODS'`,
        address: '$2::jsonb',
        items: '$3::jsonb',
        state_entered_at: `jsonb_build_object('PAID', now())`,
      },
      'generate_series(1, $1::int) g',
    )}
     returning id`,
    [orders, ADDRESS, ITEMS],
  );
  await pool.query('vacuum analyze orders');
  const ids = rows.map((r) => r.id);
  const groups = Array.from({ length: CALLERS }, (_, c) =>
    stream(
      ids.filter((_, i) => i % CALLERS === c),
      early,
    ),
  );
  const total = groups.reduce((n, g) => n + g.length, 0);
  const outcomes = new Map<string, number>();
  const started = performance.now();
  let slowest = 0;
  await Promise.all(
    groups.map(async (events) => {
      for (let i = 0; i < events.length; i += batchSize) {
        const t0 = performance.now();
        const results = await applyOrderEvents(pool, events.slice(i, i + batchSize), new Date());
        slowest = Math.max(slowest, performance.now() - t0);
        for (const r of results) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const { rows: counts } = await pool.query<{ history: string; outbox: string; delivered: string }>(
    `select (select count(*) from order_event) as history, (select count(*) from outbox_message) as outbox,
            (select count(*) from orders where state = 'DELIVERED') as delivered`,
  );
  await pool.end();
  const rate = total / seconds;
  if (!report) return rate;
  const feed = early > 0 ? `${Math.round(early * 100)} % early` : 'in order';
  console.log(
    `batch ${batchSize}, ${CALLERS} caller(s), ${feed}: ${total} events in ${seconds.toFixed(2)} s = ${Math.round(rate)} events/s` +
      ` (slowest call ${slowest.toFixed(0)} ms; ${JSON.stringify(Object.fromEntries(outcomes))};` +
      ` history ${counts[0].history}, outbox ${counts[0].outbox}, delivered ${counts[0].delivered}/${orders})`,
  );
  return rate;
}

const dir = mkdtempSync(join(tmpdir(), 'orderops-bench-events-'));
const database = await startEmbeddedPostgres({
  dataDir: dir,
  port: await freePort(),
  database: 'postgres',
  logger: createLogger('warn', 'bench-events'),
});
try {
  console.log(`${cpus().length} CPUs, ${ORDERS} orders × ${STEPS.length} steps`);
  await run(database.url, 500, 2_000, 'bench_events_warmup', false);
  for (const size of BATCH_SIZES) {
    const inOrder = await run(database.url, size, ORDERS, `bench_events_${size}`, true);
    const shuffled = await run(database.url, size, ORDERS, `bench_events_${size}_early`, true, EARLY);
    console.log(`batch ${size}: early feed at ${(shuffled / inOrder).toFixed(2)}× the in-order rate`);
  }
} finally {
  await database.stop();
  rmSync(dir, { recursive: true, force: true });
}
