import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { type RunningPlatform, startPlatform } from '../api/src/app/platform.js';
import { startBareOrdersServer } from './support/bare-orders-server.js';
import { freePort, startBenchPostgres } from './support/bench-postgres.js';
import { bulkLoadOrders, PERIOD_END, PHONE_PREFIXES } from './support/bulk-orders.js';
import { onCleanup, runBench } from './support/cleanup.js';
import { profileCpu } from './support/cpu-profile.js';
import { type LoadKind, type LoadResult, runHttpLoad } from './support/http-load.js';
import {
  type CpuUse,
  cpuLine,
  cpuMeter,
  describeMachine,
  loadAverage,
  loadLine,
  machineLine,
} from './support/machine.js';
import { Prng } from './support/prng.js';
import { instrumentServer, type ServerTiming } from './support/server-timing.js';
import { type LatencySummary, summarize, thousands } from './support/stats.js';

/**
 * `orders` GraphQL query under load: 1,000,000 orders bulk-loaded with set-based SQL into the
 * embedded PostgreSQL `npm start` uses, then the real platform (API role, `startPlatform`) in
 * this process on 127.0.0.1, signed in as the bootstrap admin, driven by 200 concurrent client
 * loops (keep-alive HTTP, in a worker thread of this process) for 30 s after a 5 s warm-up.
 *
 * Request mix (pages of 20, a list screen's fields incl. buyer and lines):
 *   first page unfiltered 20 %, by channel 15 %, by state 15 %, channel + state 15 %,
 *   paid in a 1-day or 7-day window 10 %, by buyer phone 10 %, second page via cursor 15 %.
 *
 * Runs: "closed loop" (each client sends its next request as soon as the answer is in: the
 * saturation point, where latency is mostly queueing), "bare" (the same closed loop against a
 * bare node:http handler in this process running the same SQL and writing the same JSON: the
 * GraphQL path's throughput is reported as a ratio of it; with several closed and bare runs, of
 * their means, so `closed,bare,bare,closed` balances which path runs first), "paced" (each client waits 0.5–1.5 s
 * between requests, about 200 requests/s offered: 200 busy staff screens), and paced again
 * without the paid-range kind (to separate that kind's cost from the rest).
 *
 * Client latency is measured in the load generator; server time (request in → response written)
 * and SQL time (the list statement, until its rows are parsed, so event-loop waits included) in
 * the server's process, without changing its code; the server thread's event-loop delay too.
 * Then a closed-loop run under the V8 profiler shows where the server thread's time goes, and
 * the statements the server sent are run alone with EXPLAIN ANALYZE.
 *
 * Run: npm run bench:orders-query   (QUERY_ORDERS, QUERY_CLIENTS, QUERY_SECONDS, QUERY_WARMUP_SECONDS,
 *      QUERY_RUNS="closed,bare,bare,closed,paced,paced-without-paid-range", QUERY_PROFILE_SECONDS, QUERY_EXPLAIN_SAMPLES,
 *      SEED to vary)
 */

const ORDERS = Number(process.env.QUERY_ORDERS ?? 1_000_000);
const CLIENTS = Number(process.env.QUERY_CLIENTS ?? 200);
const DURATION_S = Number(process.env.QUERY_SECONDS ?? 30);
const WARMUP_S = Number(process.env.QUERY_WARMUP_SECONDS ?? 5);
const RUNS = (process.env.QUERY_RUNS ?? 'closed,bare,bare,closed,paced,paced-without-paid-range').split(',');
/** The GraphQL path's closed-loop throughput as a share of the bare handler's. */
const GOAL_BARE_RATIO = 0.5;
/** A last closed-loop run with the V8 profiler on the server thread (not part of the figures); 0 skips it. */
const PROFILE_S = Number(process.env.QUERY_PROFILE_SECONDS ?? 10);
/** How many different parameter sets of each kind are run alone with EXPLAIN ANALYZE afterwards. */
const EXPLAIN_SAMPLES = Number(process.env.QUERY_EXPLAIN_SAMPLES ?? 20);
const SEED = Number(process.env.SEED ?? 20261125);
const PAGE_SIZE = 20;
const GOAL_P99_MS = 30;
const LOAD_CHUNK = 100_000;
const ADMIN_PASSWORD = 'bench-admin-password';

const QUERY = `query Orders($filter: OrderFilter, $first: Int = ${PAGE_SIZE}, $after: String, $orderBy: OrderSort) {
  orders(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    edges {
      cursor
      node {
        id channel channelOrderNo state businessType orderedAt paidAt totalCents groupId abnormal
        buyer { name phone }
        items { title quantity }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const KIND_WEIGHTS = {
  'first page': 20,
  'by channel': 15,
  'by state': 15,
  'channel+state': 15,
  'paid range': 10,
  'by phone': 10,
  'second page': 15,
} as const;
type Kind = keyof typeof KIND_WEIGHTS;

/** Which kind a list statement serves, from its WHERE clause (see `listOrders`). */
function classifySql(sql: string): string | null {
  if (!/\bfrom orders\b/.test(sql) || !/order by (ordered_at|paid_at) desc/.test(sql)) return null;
  if (sql.includes('count(*)')) return 'count';
  if (/\((ordered_at|paid_at), id\) </.test(sql)) return 'second page';
  if (sql.includes('buyer_phone =')) return 'by phone';
  if (sql.includes('paid_at >=')) return 'paid range';
  const channel = /\bchannel = /.test(sql);
  const state = /\bstate = /.test(sql);
  if (channel && state) return 'channel+state';
  if (channel) return 'by channel';
  if (state) return 'by state';
  return sql.includes(' where ') ? 'other filter' : 'first page';
}

const CHANNELS = ['TAOBAO', 'JD', 'DOUYIN', 'WEBSHOP'];
const STATES = [
  'PAID',
  'WAREHOUSE_ACCEPTED',
  'PICKING',
  'PACKED',
  'SHIPPED',
  'IN_TRANSIT',
  'DELIVERED',
  'CANCELLED',
];
const DAY_MS = 24 * 3600_000;

const body = (filter: Record<string, unknown> | null, after?: string) =>
  JSON.stringify({
    query: QUERY,
    variables: {
      filter,
      ...(after ? { after } : {}),
      // A paid-time range lists newest paid first (the only order an index serves it in).
      ...(filter && ('paidFrom' in filter || 'paidTo' in filter) ? { orderBy: 'PAID_AT_DESC' } : {}),
    },
  });

/** Request bodies per kind, except second pages (they need cursors from the server). */
function firstPageBodies(rng: Prng): Record<Exclude<Kind, 'second page'>, string[]> {
  const end = Date.parse(PERIOD_END);
  // Shanghai midnights of the last 90 days.
  const midnight = (daysBack: number) =>
    new Date(Math.floor((end + 8 * 3600_000) / DAY_MS) * DAY_MS - 8 * 3600_000 - daysBack * DAY_MS);
  const paid = Array.from({ length: 60 }, (_, i) => {
    const days = i % 2 === 0 ? 1 : 7;
    const from = midnight(rng.int(days, 90));
    return body({
      paidFrom: from.toISOString(),
      paidTo: new Date(from.getTime() + days * DAY_MS).toISOString(),
    });
  });
  return {
    'first page': [body(null)],
    'by channel': CHANNELS.map((c) => body({ channels: [c] })),
    'by state': STATES.map((s) => body({ states: [s] })),
    'channel+state': CHANNELS.flatMap((c) => STATES.map((s) => body({ channels: [c], states: [s] }))),
    'paid range': paid,
    'by phone': Array.from({ length: 500 }, () =>
      body({ buyerPhone: rng.pick(PHONE_PREFIXES) + rng.digits(4) }),
    ),
  };
}

async function graphql(url: string, headers: Record<string, string>, text: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
  });
  const answer = (await response.json()) as {
    data?: Record<string, unknown>;
    errors?: { message: string }[];
  };
  if (answer.errors?.length)
    throw new Error(`GraphQL errors: ${answer.errors.map((e) => e.message).join('; ')}`);
  return answer.data!;
}

/** Cumulative counters of the benchmark database and of `orders` (they only grow). */
async function databaseCounters(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<Record<string, string>>(
    `select d.xact_commit as transactions, d.blks_hit as "blocksHit", d.blks_read as "blocksRead",
            d.tup_returned as "tuplesReturned", d.tup_fetched as "tuplesFetched",
            t.seq_scan as "seqScans", t.idx_scan as "indexScans", t.idx_tup_fetch as "indexTuplesFetched"
       from pg_stat_database d, pg_stat_user_tables t
      where d.datname = current_database() and t.relname = 'orders'`,
  );
  return Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, Number(v)]));
}

async function loadOrders(pool: pg.Pool) {
  const client = await pool.connect();
  try {
    await client.query("set synchronous_commit = off; set maintenance_work_mem = '512MB'");
    // Secondary indexes are built once after the load (faster than row by row), then as migrated.
    const { rows: indexes } = await client.query<{ name: string; def: string }>(
      `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def from pg_index i
        where i.indrelid = 'orders'::regclass
          and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
    );
    for (const index of indexes) await client.query(`drop index ${index.name}`);
    const t0 = performance.now();
    await bulkLoadOrders(client, ORDERS, LOAD_CHUNK, (loaded) =>
      console.log(
        `  loaded ${thousands(loaded).padStart(9)} / ${thousands(ORDERS)} orders, ` +
          `${((performance.now() - t0) / 1000).toFixed(1)} s, load ${loadAverage().one}`,
      ),
    );
    const loadMs = performance.now() - t0;
    const i0 = performance.now();
    for (const index of indexes) await client.query(index.def);
    const indexMs = performance.now() - i0;
    const v0 = performance.now();
    await client.query('vacuum (analyze) orders');
    await client.query('checkpoint');
    const vacuumMs = performance.now() - v0;
    const { rows } = await client.query<{ size: string; heap: string }>(
      `select pg_size_pretty(pg_total_relation_size('orders')) as size, pg_size_pretty(pg_relation_size('orders')) as heap`,
    );
    return {
      loadSeconds: Math.round(loadMs / 100) / 10,
      indexSeconds: Math.round(indexMs / 100) / 10,
      vacuumAnalyzeSeconds: Math.round(vacuumMs / 100) / 10,
      indexes: indexes.map((i) => i.name),
      totalSize: rows[0].size,
      heapSize: rows[0].heap,
    };
  } finally {
    client.release();
  }
}

interface KindReport {
  kind: string;
  requests: number;
  perSecond: number;
  errors: number;
  avgRows: number;
  client: LatencySummary;
  server: LatencySummary | null;
  sql: LatencySummary | null;
}

function report(name: string, load: LoadResult, timing: ServerTiming, cpu: CpuUse) {
  const seconds = load.measuredMs / 1000;
  const kinds: KindReport[] = Object.entries(load.perKind).map(([kind, r]) => ({
    kind,
    requests: r.latencies.length,
    perSecond: Math.round(r.latencies.length / seconds),
    errors: r.errors,
    avgRows: r.latencies.length ? Math.round((r.edges / r.latencies.length) * 10) / 10 : 0,
    client: summarize(Array.from(r.latencies)),
    server: timing.requests.get(kind) ? summarize(timing.requests.get(kind)!) : null,
    sql: timing.sql.get(kind) ? summarize(timing.sql.get(kind)!) : null,
  }));
  const all = Object.values(load.perKind).flatMap((r) => Array.from(r.latencies));
  const overall: KindReport = {
    kind: 'overall',
    requests: all.length,
    perSecond: Math.round(all.length / seconds),
    errors: kinds.reduce((s, k) => s + k.errors, 0),
    avgRows:
      Math.round(
        (Object.values(load.perKind).reduce((s, r) => s + r.edges, 0) / Math.max(1, all.length)) * 10,
      ) / 10,
    client: summarize(all),
    server: summarize([...timing.requests.values()].flat()),
    sql: summarize(
      [...timing.sql.entries()]
        .filter(([k]) => k in KIND_WEIGHTS || k === 'other filter')
        .flatMap(([, v]) => v),
    ),
  };
  const fmt = (s: LatencySummary | null) =>
    s && s.count > 0
      ? `${s.p50.toFixed(1)} / ${s.p90.toFixed(1)} / ${s.p99.toFixed(1)} / ${s.max.toFixed(0)}`
      : '–';
  console.log(`\n${name}: ${CLIENTS} clients, ${seconds} s measured after ${WARMUP_S} s warm-up`);
  console.log(
    '  kind             req/s  errors  rows   client p50 / p90 / p99 / max ms   server p50 / p90 / p99 / max   SQL p50 / p90 / p99 / max',
  );
  for (const k of [...kinds, overall]) {
    console.log(
      `  ${k.kind.padEnd(15)} ${String(k.perSecond).padStart(6)}  ${String(k.errors).padStart(6)}  ${String(k.avgRows).padStart(4)}   ` +
        `${fmt(k.client).padEnd(32)}  ${fmt(k.server).padEnd(30)}  ${fmt(k.sql)}`,
    );
  }
  const p99 = overall.client.p99;
  console.log(
    `  goal p99 ≤ ${GOAL_P99_MS} ms: ${p99 <= GOAL_P99_MS ? 'met' : 'NOT met'} (overall client p99 ${p99} ms)\n` +
      `  ${cpuLine(cpu)} (warm-up included); ${loadLine()}`,
  );
  if (load.errorSamples.length > 0) console.log(`  errors, e.g.: ${load.errorSamples.join(' | ')}`);
  if (load.retries > 0)
    console.log(
      `  ${load.retries} requests sent again: the server had closed their idle keep-alive connection`,
    );
  return {
    resentOnClosedConnection: load.retries,
    name,
    kinds,
    overall,
    goalP99Ms: GOAL_P99_MS,
    met: p99 <= GOAL_P99_MS && overall.errors === 0,
    cpu,
  };
}

/**
 * Each kind's statement alone, as the server sent it, with no other load: EXPLAIN ANALYZE once for
 * each of up to EXPLAIN_SAMPLES different parameter sets. Execution times and plan shapes.
 */
async function explainKinds(pool: pg.Pool, timing: ServerTiming) {
  const out: Record<
    string,
    { samples: number; executionMs: LatencySummary; plans: Record<string, number>; slowest: string }
  > = {};
  const client = await pool.connect();
  try {
    await client.query("set statement_timeout = '20s'");
    for (const [kind, seen] of timing.samples) {
      const times: number[] = [];
      const plans: Record<string, number> = {};
      let slowest = { ms: -1, plan: '' };
      for (const sample of [...seen.values()].slice(0, EXPLAIN_SAMPLES)) {
        const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(
          `explain (analyze, buffers, format json) ${sample.text}`,
          sample.values,
        );
        const [root] = rows[0]['QUERY PLAN'] as { 'Execution Time': number; Plan: PlanNode }[];
        const ms = root['Execution Time'];
        times.push(ms);
        const shape = describePlan(root.Plan, false);
        plans[shape] = (plans[shape] ?? 0) + 1;
        if (ms > slowest.ms) slowest = { ms, plan: describePlan(root.Plan, true) };
      }
      const executionMs = summarize(times);
      out[kind] = { samples: times.length, executionMs, plans, slowest: slowest.plan };
      console.log(
        `  ${kind.padEnd(15)} ${String(times.length).padStart(3)} parameter sets, execution p50 ` +
          `${executionMs.p50.toFixed(2)} ms, max ${executionMs.max.toFixed(2)} ms`,
      );
      for (const [shape, n] of Object.entries(plans))
        console.log(`      ${String(n).padStart(3)} × ${shape}`);
      console.log(`      slowest (${slowest.ms.toFixed(1)} ms): ${slowest.plan}`);
    }
  } finally {
    client.release();
  }
  return out;
}

interface PlanNode {
  'Node Type': string;
  'Scan Direction'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** `Limit ← Index Scan Backward using orders_ordered_idx`, with row counts when asked. */
function describePlan(node: PlanNode, rows: boolean): string {
  const parts: string[] = [];
  for (let current: PlanNode | undefined = node; current; current = current.Plans?.[0]) {
    const index = current['Index Name'] ? ` using ${current['Index Name']}` : '';
    const direction = current['Scan Direction'] === 'Backward' ? ' Backward' : '';
    const removed = current['Rows Removed by Filter']
      ? `, ${current['Rows Removed by Filter']} filtered out`
      : '';
    parts.push(
      `${current['Node Type']}${direction}${index}${rows ? ` (rows ${current['Actual Rows']}${removed})` : ''}`,
    );
  }
  return parts.join(' ← ');
}

async function main() {
  const machine = describeMachine();
  const loadAtStart = loadAverage();
  console.log(`machine: ${machineLine(machine)}`);
  console.log(`${loadLine()} at start`);
  console.log('starting a throw-away embedded PostgreSQL…');
  const db = await startBenchPostgres('orders-query', 4);
  console.log(`PostgreSQL ${db.version} in ${db.dir}; loading ${thousands(ORDERS)} orders…`);
  const loaded = await loadOrders(db.pool);
  console.log(
    `  ${thousands(ORDERS)} orders in ${loaded.loadSeconds} s, indexes (${loaded.indexes.length}) in ` +
      `${loaded.indexSeconds} s, vacuum analyze ${loaded.vacuumAnalyzeSeconds} s; table ${loaded.heapSize}, ` +
      `${loaded.totalSize} with indexes`,
  );
  const { rows: mix } = await db.pool.query<{ state: string; n: string }>(
    'select state, count(*) as n from orders group by state order by 2 desc',
  );
  console.log(`  states: ${mix.map((m) => `${m.state} ${thousands(Number(m.n))}`).join(', ')}`);

  const timing = instrumentServer(classifySql);
  onCleanup(() => timing.uninstall());
  const port = await freePort();
  console.log(`starting the platform (api) on 127.0.0.1:${port}…`);
  const platform: RunningPlatform = await startPlatform(new Set(['api']), {
    DATABASE_URL: db.url,
    ADMIN_PASSWORD,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATA_DIR: join(db.dir, 'platform'),
  });
  onCleanup(() => platform.stop());
  const url = `http://127.0.0.1:${port}/graphql`;
  const login = (await graphql(
    url,
    {},
    JSON.stringify({
      query: 'mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { token } }',
      variables: { u: 'admin', p: ADMIN_PASSWORD },
    }),
  )) as { login: { token: string | null } };
  if (!login.login.token) throw new Error('admin sign-in failed');
  const headers = { authorization: `Bearer ${login.login.token}` };

  const rng = new Prng(SEED);
  const bodies = firstPageBodies(rng);
  // Second pages: the cursor after the first page of the unfiltered, by-channel, by-state and
  // channel+state requests (not paid-range ones, so that kind's cost stays in its own row).
  const seconds: string[] = [];
  for (const text of [
    ...bodies['first page'],
    ...bodies['by channel'],
    ...bodies['by state'],
    ...bodies['channel+state'],
  ]) {
    const { filter } = (JSON.parse(text) as { variables: { filter: Record<string, unknown> | null } })
      .variables;
    const data = (await graphql(url, headers, text)) as {
      orders: { pageInfo: { endCursor: string | null } };
    };
    if (data.orders.pageInfo.endCursor) seconds.push(body(filter, data.orders.pageInfo.endCursor));
  }
  const loadMix: LoadKind[] = (Object.keys(KIND_WEIGHTS) as Kind[]).map((kind) => ({
    kind,
    weight: KIND_WEIGHTS[kind],
    bodies: kind === 'second page' ? seconds : bodies[kind],
  }));
  // Every body once before measuring anything: a failing one stops the run here.
  for (const k of loadMix) for (const text of k.bodies.slice(0, 40)) await graphql(url, headers, text);

  // The bare handler, on a pool as large as the platform's; its answers must equal GraphQL's.
  const barePool = new pg.Pool({ connectionString: db.url, max: 20 });
  onCleanup(() => barePool.end());
  const barePort = await freePort();
  const bare = await startBareOrdersServer(barePool, barePort);
  onCleanup(() => new Promise<void>((resolve) => bare.close(() => resolve())));
  const bareUrl = `http://127.0.0.1:${barePort}/`;
  let compared = 0;
  for (const k of loadMix)
    for (const text of k.bodies.slice(0, 5)) {
      const [viaGraphql, viaBare] = await Promise.all([
        graphql(url, headers, text),
        graphql(bareUrl, {}, text),
      ]);
      if (!isDeepStrictEqual(viaGraphql, viaBare))
        throw new Error(`the bare handler answers ${k.kind} differently from GraphQL: ${text}`);
      compared++;
    }
  console.log(`  bare node:http handler on 127.0.0.1:${barePort}: ${compared} answers equal to GraphQL's`);

  const runs: Array<ReturnType<typeof report> & Record<string, unknown> & { run: string }> = [];
  for (const run of RUNS) {
    const paced = run.startsWith('paced');
    const withoutPaid = run.endsWith('without-paid-range');
    const isBare = run === 'bare';
    const name =
      (paced ? 'paced (0.5–1.5 s think time per client)' : 'closed loop (no think time)') +
      (withoutPaid ? ', without the paid-range kind' : '') +
      (isBare ? ', bare node:http handler (same SQL, same JSON)' : '');
    console.log(`\n${name}: ${CLIENTS} clients, ${WARMUP_S} s warm-up + ${DURATION_S} s…`);
    // Timings of the warm-up are dropped when it ends; the server thread's event-loop delay is
    // sampled over the measured window only.
    const loop = monitorEventLoopDelay({ resolution: 5 });
    const resetAt = setTimeout(() => {
      timing.reset();
      loop.enable();
    }, WARMUP_S * 1000);
    const cpuUse = cpuMeter(db.dir);
    const stats0 = await databaseCounters(db.pool);
    timing.reset();
    const result = await runHttpLoad({
      url: isBare ? bareUrl : url,
      headers: { ...headers },
      clients: CLIENTS,
      warmupMs: WARMUP_S * 1000,
      durationMs: DURATION_S * 1000,
      thinkMs: paced ? [500, 1500] : null,
      mix: loadMix.filter((k) => !withoutPaid || k.kind !== 'paid range').map((k) => ({ ...k })),
      seed: SEED,
      resultField: 'orders',
    });
    clearTimeout(resetAt);
    loop.disable();
    const eventLoopDelayMs = {
      p50: Math.round(loop.percentile(50) / 1e4) / 100,
      p99: Math.round(loop.percentile(99) / 1e4) / 100,
      max: Math.round(loop.max / 1e4) / 100,
    };
    const cpu = cpuUse();
    const stats1 = await databaseCounters(db.pool);
    const sent = result.sent || 1;
    const database = Object.fromEntries(
      Object.keys(stats1).map((k) => [k, Math.round(((stats1[k] - stats0[k]) / sent) * 10) / 10]),
    );
    console.log(`  PostgreSQL work per request sent (warm-up included): ${JSON.stringify(database)}`);
    // The server-side lists hold requests that ended in the measured window give or take the
    // in-flight ones at its edges; the load generator's window is exact.
    console.log(
      `  event-loop delay: server thread p50 ${eventLoopDelayMs.p50} ms, p99 ${eventLoopDelayMs.p99} ms, ` +
        `max ${eventLoopDelayMs.max} ms; load generator thread p50 ${result.generatorEventLoopDelayMs.p50} ms, ` +
        `p99 ${result.generatorEventLoopDelayMs.p99} ms, max ${result.generatorEventLoopDelayMs.max} ms`,
    );
    runs.push({
      ...report(name, result, timing, cpu),
      run,
      databasePerRequest: database,
      eventLoopDelayMs,
      generatorEventLoopDelayMs: result.generatorEventLoopDelayMs,
      paced,
      thinkMs: paced ? [500, 1500] : null,
    });
  }
  // Over every closed and bare run: `closed,bare,bare,closed` balances which path runs first.
  const mean = (name: string) => {
    const of = runs.filter((r) => r.run === name).map((r) => r.overall.perSecond);
    return of.length > 0 ? Math.round(of.reduce((a, b) => a + b, 0) / of.length) : null;
  };
  const [closedPerSecond, barePerSecond] = [mean('closed'), mean('bare')];
  const bareRatio =
    closedPerSecond !== null && barePerSecond
      ? Math.round((closedPerSecond / barePerSecond) * 100) / 100
      : null;
  if (bareRatio !== null)
    console.log(
      `\nGraphQL path / bare node:http handler, closed loop: ${closedPerSecond} / ` +
        `${barePerSecond} req/s = ${bareRatio}× (goal ≥ ${GOAL_BARE_RATIO}×: ` +
        `${bareRatio >= GOAL_BARE_RATIO ? 'met' : 'NOT met'})`,
    );

  let profile: Awaited<ReturnType<typeof profileCpu>> | null = null;
  if (PROFILE_S > 0) {
    console.log(
      `\nwhere the server thread spends its time: closed loop, ${PROFILE_S} s with the V8 profiler on…`,
    );
    profile = await profileCpu(async () => {
      await runHttpLoad({
        url,
        headers: { ...headers },
        clients: CLIENTS,
        warmupMs: 0,
        durationMs: PROFILE_S * 1000,
        thinkMs: null,
        mix: loadMix.map((k) => ({ ...k })),
        seed: SEED + 1,
        resultField: 'orders',
      });
    });
    console.log(
      `  by package (self time): ${profile.byPackage.map((p) => `${p.name} ${p.percent} %`).join(', ')}`,
    );
    console.log('  top functions (self time):');
    for (const f of profile.byFunction) console.log(`    ${String(f.percent).padStart(5)} %  ${f.name}`);
  }

  console.log("\nEach kind's SQL alone, no other load (EXPLAIN ANALYZE of the statements the server sent):");
  const plans = await explainKinds(db.pool, timing);

  const loadAtEnd = loadAverage();
  console.log(`\n  ${machineLine(machine)}; PostgreSQL ${db.version}; ${loadLine()} at end\n`);
  console.log(
    JSON.stringify({
      bench: 'orders-query',
      command: 'npm run bench:orders-query',
      date: new Date().toISOString(),
      orders: ORDERS,
      clients: CLIENTS,
      warmupSeconds: WARMUP_S,
      seconds: DURATION_S,
      pageSize: PAGE_SIZE,
      mix: KIND_WEIGHTS,
      loaded,
      runs,
      bareRatio,
      goalBareRatio: GOAL_BARE_RATIO,
      plans,
      serverProfile: profile,
      postgres: { version: db.version },
      machine,
      loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd },
    }),
  );
}

await runBench('orders-query bench', main);
