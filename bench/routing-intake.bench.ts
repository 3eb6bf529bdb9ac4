import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ENTITIES } from '../api/src/app/entities.js';
import { parseChannelOrder } from '../api/src/domain/intake/parse-channel-order.js';
import { startEmbeddedPostgres } from '../api/src/infra/db/embedded-postgres.js';
import { migrate, openOrm } from '../api/src/infra/db/orm.js';
import { createLogger } from '../api/src/infra/logging/logger.js';
import { MAX_ORDERS_PER_CALL, submitChannelOrders } from '../api/src/modules/orders/order-intake.js';
import { divisionRegistry } from '../api/src/modules/routing/division-registry.js';
import { routeForIntake } from '../api/src/modules/routing/routing.service.js';
import { ensureRoutingDefaults } from '../api/src/modules/routing/routing-rules.store.js';

/**
 * What routing adds to bulk intake: `submitChannelOrders` for 50,000 web shop orders in calls of
 * 5,000 with routing (address parse, rule evaluation, region/group columns, parse and rule-hit
 * counters) and 50,000 others with routing skipped, on the same embedded PostgreSQL in the same
 * run. Each pass starts from empty order tables and alternates the two call by call; the overhead
 * is the median over the passes. Goal: routing adds at most 10 %.
 *
 * Run: npx tsx bench/routing-intake.bench.ts   (ORDERS, ROUNDS to vary)
 */

const ORDERS = Number(process.env.ORDERS ?? 50_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const GOAL = 0.1;

const PLACES: ReadonlyArray<[string | null, string | null, string | null, string]> = [
  ['浙江省', '杭州市', '西湖区', '文三路 90 号 3 幢 501'],
  ['江苏省', '南京市', '鼓楼区', '中山北路 30 号'],
  ['上海市', '上海市', '浦东新区', '世纪大道 100 号 12 楼'],
  ['广东省', '深圳市', '南山区', '科技园南区 8 栋'],
  ['广东省', '东莞市', null, '松山湖大道 2 号'],
  ['北京市', '北京市', '朝阳区', '建国路 88 号 SOHO 现代城'],
  ['四川省', '成都市', '武侯区', '天府大道中段 1 号'],
  ['湖北省', '武汉市', '洪山区', '珞喻路 1037 号'],
  ['广西壮族自治区', '南宁市', '青秀区', '民族大道 100 号'],
  [null, null, null, '安徽省合肥市蜀山区长江西路 200 号'],
  [null, null, null, '重庆渝中区解放碑步行街 5 号'],
  [null, null, null, 'Flat 3, 10 Downing Street'],
];
const CATEGORIES = ['家居', '家电', '服饰', '食品', '数码'];

function payloads(count: number, prefix: string): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => {
    const [province, city, district, detail] = PLACES[i % PLACES.length];
    const total = 1_000 + ((i * 7_919) % 900_000);
    return {
      orderNo: `WS-BENCH-${prefix}-${i}`,
      status: 'PAID',
      businessType: i % 17 === 0 ? 'CUSTOM' : 'NORMAL',
      createdAt: '2026-11-20T14:03:11+08:00',
      paidAt: '2026-11-20T14:05:40+08:00',
      updatedAt: '2026-11-20T14:05:41+08:00',
      goodsCents: total,
      shippingCents: 0,
      totalCents: total,
      paidCents: total,
      presale: null,
      buyer: { name: '测试买家', phone: '13800138000' },
      shippingAddress: { province, city, district, street: null, detail: `${detail} ${i % 40}0${i % 7} 室` },
      items: [
        {
          lineNo: '1',
          sku: `SKU-${i % 100}`,
          title: '测试商品',
          quantity: 1,
          unitPriceCents: total,
          category: CATEGORIES[i % CATEGORIES.length],
        },
      ],
      paymentNo: `PAY-${prefix}-${i}`,
    };
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no free port'));
      server.close(() => resolve(address.port));
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'orderops-bench-routing-intake-'));
  const logger = createLogger('warn', 'bench-routing-intake');
  const database = await startEmbeddedPostgres({
    dataDir: dir,
    port: await freePort(),
    database: 'orderops_bench',
    logger,
  });
  // One connection kept open, so its server process can be measured for the whole run.
  const pool = new pg.Pool({ connectionString: database.url, max: 1, idleTimeoutMillis: 0 });
  try {
    const orm = await openOrm(database.url, ENTITIES, 2);
    await migrate(orm);
    await orm.close(true);
    await ensureRoutingDefaults(pool);
    divisionRegistry.useLogger(logger);
    if (!divisionRegistry.reload().ok) throw new Error('division data did not load');
    // No autovacuum worker wakes up in the middle of one mode's calls.
    await pool.query('alter system set autovacuum = off');
    await pool.query('select pg_reload_conf()');
    const { rows: backend } = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');

    const routedSet = payloads(ORDERS, 'R');
    const skippedSet = payloads(ORDERS, 'S');
    const now = new Date('2026-11-20T06:10:00Z');
    const reset = async () => {
      await pool.query('truncate orders, order_event, outbox_message, address_parse_stat, routing_rule_hit');
      await pool.query('vacuum analyze orders');
    };
    const call = async (routing: boolean, at: number): Promise<Sample> => {
      const batch = (routing ? routedSet : skippedSet).slice(at, at + MAX_ORDERS_PER_CALL);
      const started = performance.now();
      const cpu = process.cpuUsage();
      const server = cpuMsOf(backend[0].pid);
      const { errors } = await submitChannelOrders(pool, 'WEBSHOP', batch, now, { routing });
      if (errors.length > 0) throw new Error(`rejected orders: ${errors[0].field} ${errors[0].code}`);
      const used = process.cpuUsage(cpu);
      const node = (used.user + used.system) / 1000;
      const database = cpuMsOf(backend[0].pid) - server;
      return { wall: performance.now() - started, cpu: node + database, node, database };
    };

    // Warm up the JIT, the plans and the caches once each way.
    await reset();
    await call(true, 0);
    await call(false, 0);

    // Paired passes: the two sets go into the same table call by call, alternating which goes
    // first, so load from elsewhere on the machine and the growing table weigh on both alike.
    const rounds: Array<{ routed: Sample; skipped: Sample }> = [];
    let outcome = { held: 0, routed: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      await reset();
      const routed: Sample = { wall: 0, cpu: 0, node: 0, database: 0 };
      const skipped: Sample = { wall: 0, cpu: 0, node: 0, database: 0 };
      for (let at = 0, k = 0; at < ORDERS; at += MAX_ORDERS_PER_CALL, k++) {
        for (const routing of (k + round) % 2 === 0 ? [true, false] : [false, true]) {
          const sample = await call(routing, at);
          const into = routing ? routed : skipped;
          into.wall += sample.wall;
          into.cpu += sample.cpu;
          into.node += sample.node;
          into.database += sample.database;
        }
      }
      rounds.push({ routed, skipped });
      const { rows } = await pool.query<{ held: number; routed: number }>(
        `select count(*) filter (where hold_reason is not null)::int as held,
                count(*) filter (where group_id is not null)::int as routed from orders`,
      );
      outcome = rows[0];
      console.log(
        `round ${round + 1}: with routing ${ms(routed.wall)} (CPU ${ms(routed.node)} + ${ms(routed.database)} db), ` +
          `routing skipped ${ms(skipped.wall)} (CPU ${ms(skipped.node)} + ${ms(skipped.database)} db): ` +
          `+${percent(routed.wall, skipped.wall)} wall, +${percent(routed.cpu, skipped.cpu)} CPU`,
      );
    }

    // The routing step alone (parse + rules, in memory), without the writes, in CPU time.
    const normalized = routedSet.map((raw) => {
      const parsed = parseChannelOrder('WEBSHOP', raw);
      if (!parsed.ok) throw new Error('bench payload rejected');
      return parsed.value;
    });
    const stepStarted = process.cpuUsage();
    for (let at = 0; at < ORDERS; at += MAX_ORDERS_PER_CALL) {
      await routeForIntake(pool, normalized.slice(at, at + MAX_ORDERS_PER_CALL), now);
    }
    const stepUsage = process.cpuUsage(stepStarted);
    const stepMs = (stepUsage.user + stepUsage.system) / 1000;

    const wall = median(rounds.map((r) => (r.routed.wall - r.skipped.wall) / r.skipped.wall));
    const cpu = median(rounds.map((r) => (r.routed.cpu - r.skipped.cpu) / r.skipped.cpu));
    const skippedMs = median(rounds.map((r) => r.skipped.wall));
    const routedMs = median(rounds.map((r) => r.routed.wall));
    const cores = os.cpus();
    console.log(
      `\nmachine: ${cores[0]?.model} x${cores.length}, node ${process.version}, load ${os.loadavg()[0].toFixed(2)}`,
    );
    console.log(
      `${ORDERS.toLocaleString('en')} orders each way in calls of ${MAX_ORDERS_PER_CALL.toLocaleString('en')}, ${ROUNDS} paired passes`,
    );
    console.log(`routing skipped: ${ms(skippedMs)} (${perSecond(ORDERS, skippedMs)} orders/s)`);
    console.log(`with routing:    ${ms(routedMs)} (${perSecond(ORDERS, routedMs)} orders/s)`);
    console.log(
      `routing step alone (parse + rules, in memory): ${ms(stepMs)} CPU, ${((stepMs * 1000) / ORDERS).toFixed(1)} µs per order`,
    );
    console.log(
      `routing overhead, median of passes: ${(wall * 100).toFixed(1)} % wall clock, ` +
        `${(cpu * 100).toFixed(1)} % CPU (this process and its PostgreSQL backend)`,
    );
    console.log(`goal <= ${GOAL * 100} %: ${wall <= GOAL ? 'met' : 'NOT met'}`);
    console.log(`each pass with routing: ${outcome.routed} orders routed, ${outcome.held} held`);
    console.log(
      JSON.stringify({
        bench: 'routing-intake',
        orders: ORDERS,
        rounds: ROUNDS,
        skippedMs: Math.round(skippedMs),
        routedMs: Math.round(routedMs),
        routingStepCpuMs: Math.round(stepMs),
        overheadPercent: Math.round(wall * 1000) / 10,
        cpuOverheadPercent: Math.round(cpu * 1000) / 10,
      }),
    );
  } finally {
    await pool.end();
    await database.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Sample {
  /** Milliseconds of wall clock. */
  wall: number;
  /** Milliseconds of CPU in this process and in the PostgreSQL backend serving it. */
  cpu: number;
  node: number;
  database: number;
}

/** CPU time used so far by a process, from /proc (Linux); 0 elsewhere. */
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const percent = (value: number, base: number) => `${(((value - base) / base) * 100).toFixed(1)} %`;
const perSecond = (count: number, millis: number) => Math.round((count * 1000) / millis).toLocaleString('en');

await main();
