import type pg from 'pg';
import type { NormalizedOrder } from '../api/src/domain/intake/normalized-order.js';
import { parseChannelOrder } from '../api/src/domain/intake/parse-channel-order.js';
import { CHANNELS, type Channel } from '../api/src/domain/order/order-types.js';
import { submitChannelOrders } from '../api/src/modules/orders/order-intake.js';
import { startBenchPostgres } from './support/bench-postgres.js';
import { CHANNEL_MIX, channelPayload } from './support/channel-payloads.js';
import { onCleanup, runBench } from './support/cleanup.js';
import {
  cpuLine,
  cpuMeter,
  describeMachine,
  loadAverage,
  loadLine,
  machineLine,
  rssMiB,
} from './support/machine.js';
import { Prng } from './support/prng.js';
import { instrumentServer, type ServerTiming } from './support/server-timing.js';
import { perSecond, summarize, thousands } from './support/stats.js';

/**
 * Order intake throughput, platform path against a raw insert, in the same run and the same
 * PostgreSQL (the embedded one `npm start` uses, fsync on).
 *
 *   platform  submitChannelOrders(pool, channel, payloads, now) per call: parse each channel
 *             payload, normalise, dedupe, upsert with the initial state, one history row per
 *             new order and one outbox row carrying the call's `order.updated` events, one
 *             transaction. Timed per call, parsing included;
 *             generating the payload objects is not.
 *   raw       INSERT INTO orders_raw (…) SELECT … FROM unnest(…) of the same orders, already
 *             parsed and turned into column arrays beforehand, re-sends left out: only the
 *             statement is timed. orders_raw is `LIKE orders INCLUDING ALL` (same columns,
 *             defaults, unique constraint and indexes).
 *
 * 100,000 payloads (Taobao 40 %, JD 25 %, Douyin 25 %, web shop 10 %, about 2 lines each), about
 * 1 % of them re-sends of an order sent shortly before (same payload, so UNCHANGED). One call per
 * batch of one channel, one at a time; each platform call and the raw insert of the same batch run
 * back to back, taking turns at going first, so a shared machine's load drifts over both alike.
 * Each batch size starts from empty tables after a CHECKPOINT. orders/s counts distinct orders
 * stored per second of timed work, for both paths.
 *
 * Run: npm run bench:intake   (INTAKE_ORDERS, INTAKE_BATCHES="1000,5000", SEED to vary)
 */

const TOTAL = Number(process.env.INTAKE_ORDERS ?? 100_000);
const BATCH_SIZES = (process.env.INTAKE_BATCHES ?? '1000,5000').split(',').map(Number);
const SEED = Number(process.env.SEED ?? 20261125);
const RESEND_RATE = 0.01;
/** A re-send repeats one of the channel's last this-many new orders (so some land in the same call). */
const RESEND_WINDOW = 3_000;
const GOAL_RATIO = 0.5;
/** A bound on the whole run, so a stuck database cannot keep it going for ever. */
const MAX_RUN_MS = 30 * 60_000;

interface ChannelStream {
  channel: Channel;
  /** The order each slot sends (its seq in `channelPayload`). */
  seqs: Int32Array;
  /** 1 where the slot re-sends an order sent before. */
  resend: Uint8Array;
}

interface Batch {
  channel: Channel;
  seqs: Int32Array;
  resend: Uint8Array;
}

/** Which order each of the TOTAL payloads is: per channel, new orders and ~1 % re-sends. */
function plan(): ChannelStream[] {
  const rng = new Prng(SEED);
  const weightSum = CHANNELS.reduce((sum, c) => sum + CHANNEL_MIX[c], 0);
  let left = TOTAL;
  return CHANNELS.map((channel, i) => {
    const count = i === CHANNELS.length - 1 ? left : Math.round((TOTAL * CHANNEL_MIX[channel]) / weightSum);
    left -= count;
    const seqs = new Int32Array(count);
    const resend = new Uint8Array(count);
    let created = 0;
    for (let slot = 0; slot < count; slot++) {
      if (created > 0 && rng.chance(RESEND_RATE)) {
        seqs[slot] = rng.int(Math.max(0, created - RESEND_WINDOW), created - 1);
        resend[slot] = 1;
      } else {
        seqs[slot] = created++;
      }
    }
    return { channel, seqs, resend };
  });
}

/** Each channel's stream cut into calls of `size`, taken round-robin across the channels. */
function batches(streams: ChannelStream[], size: number): Batch[] {
  const out: Batch[] = [];
  for (let offset = 0; streams.some((s) => offset < s.seqs.length); offset += size) {
    for (const s of streams) {
      if (offset >= s.seqs.length) continue;
      out.push({
        channel: s.channel,
        seqs: s.seqs.subarray(offset, offset + size),
        resend: s.resend.subarray(offset, offset + size),
      });
    }
  }
  return out;
}

const payloadsOf = (batch: Batch) =>
  Array.from(batch.seqs, (seq) => channelPayload(SEED, batch.channel, seq));

async function rowCounts(pool: pg.Pool) {
  const { rows } = await pool.query<{ orders: string; events: string; updates: string }>(
    `select (select count(*) from orders) as orders, (select count(*) from order_event) as events,
            (select coalesce(sum(jsonb_array_length(payload->'events')), 0) from outbox_message
              where topic = 'order.updated') as updates`,
  );
  return {
    orders: Number(rows[0].orders),
    orderEvent: Number(rows[0].events),
    orderUpdatedEvents: Number(rows[0].updates),
  };
}

function progress(label: string) {
  const started = performance.now();
  let next = 0.1;
  return (done: number, platform: { stored: number; ms: number }, raw: { stored: number; ms: number }) => {
    if (done / TOTAL < next && done < TOTAL) return;
    next = Math.floor((done / TOTAL) * 10) / 10 + 0.1;
    console.log(
      `  ${label}: ${thousands(done).padStart(7)} / ${thousands(TOTAL)} payloads, platform ` +
        `${thousands(perSecond(platform.stored, platform.ms))} orders/s, raw ${thousands(perSecond(raw.stored, raw.ms))} ` +
        `orders/s, ${((performance.now() - started) / 1000).toFixed(1)} s wall, rss ${rssMiB()} MiB, ` +
        `load ${loadAverage().one}`,
    );
  };
}

function checkDeadline(startedAt: number) {
  if (performance.now() - startedAt > MAX_RUN_MS) throw new Error(`run exceeded ${MAX_RUN_MS / 60_000} min`);
}

const RAW_INSERT = `insert into orders_raw (channel, channel_order_no, business_type, state, channel_status, ordered_at,
    paid_at, source_updated_at, goods_cents, shipping_cents, total_cents, paid_cents, presale, buyer_name,
    buyer_phone, address, items, payment_no, state_entered_at, created_at, updated_at)
  select t.channel, t.no, t.business_type, t.state, t.channel_status, t.ordered_at, t.paid_at, t.source_updated_at,
         t.goods, t.shipping, t.total, t.paid, t.presale, t.buyer_name, t.buyer_phone, t.address, t.items,
         t.payment_no, jsonb_build_object(t.state, $19::timestamptz), $19, $19
    from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                $8::timestamptz[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::jsonb[],
                $14::text[], $15::text[], $16::jsonb[], $17::jsonb[], $18::text[])
      as t(channel, no, business_type, state, channel_status, ordered_at, paid_at, source_updated_at, goods,
           shipping, total, paid, presale, buyer_name, buyer_phone, address, items, payment_no)`;

/** The parameter arrays of RAW_INSERT for some normalised orders (all but the last, the time). */
function rawColumns(rows: readonly NormalizedOrder[]): unknown[] {
  const col = <T>(pick: (o: NormalizedOrder) => T) => rows.map(pick);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return [
    col((o) => o.channel),
    col((o) => o.channelOrderNo),
    col((o) => o.businessType),
    col((o) => o.state),
    col((o) => o.channelStatus),
    col((o) => iso(o.createdAt)),
    col((o) => iso(o.paidAt)),
    col((o) => iso(o.sourceUpdatedAt)),
    col((o) => o.goodsCents),
    col((o) => o.shippingCents),
    col((o) => o.totalCents),
    col((o) => o.paidCents),
    col((o) => (o.presale ? JSON.stringify(o.presale) : null)),
    col((o) => o.buyer.name),
    col((o) => o.buyer.phone),
    col((o) => JSON.stringify(o.address)),
    col((o) => JSON.stringify(o.items)),
    col((o) => o.paymentNo),
  ];
}

/** What a statement of the platform path does, for the breakdown of its time. */
function statementKind(sql: string): string {
  const text = sql.trimStart().toLowerCase();
  if (/^insert into orders\b/.test(text)) return 'orders upsert';
  // The upsert that writes each written order's history row in the same statement.
  if (/^with written as \(\s*insert into orders\b/.test(text)) return 'orders upsert + history';
  if (text.startsWith('insert into order_event')) return 'history insert';
  if (/^(delete from|insert into) order_payment\b/.test(text)) return 'payments ledger';
  if (text.startsWith('insert into outbox_message')) return 'outbox insert';
  if (text.startsWith('select pg_notify')) return 'notify';
  if (/^(begin|commit|rollback)\b/.test(text)) return 'begin + commit';
  return 'routing and other SQL';
}

/** SQL statements are timed only while a platform call runs. */
let recording = false;

/**
 * One pass over all payloads in calls of `size`: each call through the platform into `orders`
 * and, next to it, the same orders as a raw insert into `orders_raw`, taking turns at going
 * first, so both see the same machine (load, checkpoints, table sizes) at the same time.
 */
async function pairedRun(
  pool: pg.Pool,
  size: number,
  streams: ChannelStream[],
  startedAt: number,
  sql: ServerTiming,
) {
  await pool.query('truncate orders, order_event, outbox_message');
  await pool.query('drop table if exists orders_raw');
  await pool.query('create table orders_raw (like orders including all)');
  await pool.query('checkpoint');
  sql.reset();
  const report = progress(`calls of ${thousands(size)}`);
  const platform = {
    ms: 0,
    stored: 0,
    callMs: [] as number[],
    outcomes: { CREATED: 0, UPDATED: 0, UNCHANGED: 0 },
  };
  const raw = { ms: 0, stored: 0, callMs: [] as number[], parseMs: 0 };
  let done = 0;
  let turn = 0;
  for (const batch of batches(streams, size)) {
    checkDeadline(startedAt);
    const payloads = payloadsOf(batch);
    // The raw insert's input, prepared outside its timing: parsed, re-sends left out, as columns.
    const p0 = performance.now();
    const rows = payloads
      .filter((_, i) => batch.resend[i] === 0)
      .map((payload) => {
        const parsed = parseChannelOrder(batch.channel, payload);
        if (!parsed.ok)
          throw new Error(`${batch.channel} payload rejected: ${JSON.stringify(parsed.errors)}`);
        return parsed.value;
      });
    raw.parseMs += performance.now() - p0;
    const params = rawColumns(rows);

    const viaPlatform = async () => {
      recording = true;
      const t0 = performance.now();
      const { results, errors } = await submitChannelOrders(
        pool,
        batch.channel,
        payloads,
        new Date(),
      ).finally(() => {
        recording = false;
      });
      const ms = performance.now() - t0;
      if (errors.length > 0)
        throw new Error(`${batch.channel} payloads rejected: ${JSON.stringify(errors.slice(0, 3))}`);
      for (const r of results) platform.outcomes[r.outcome]++;
      platform.callMs.push(ms);
      platform.ms += ms;
      platform.stored = platform.outcomes.CREATED;
    };
    const viaRawInsert = async () => {
      const t0 = performance.now();
      const result = await pool.query(RAW_INSERT, [...params, new Date().toISOString()]);
      const ms = performance.now() - t0;
      raw.callMs.push(ms);
      raw.ms += ms;
      raw.stored += result.rowCount ?? 0;
    };
    if (turn++ % 2 === 0) {
      await viaPlatform();
      await viaRawInsert();
    } else {
      await viaRawInsert();
      await viaPlatform();
    }
    done += payloads.length;
    report(done, platform, raw);
  }
  const rowsAfter = await rowCounts(pool);
  const { rows: rawCount } = await pool.query<{ n: string }>('select count(*) as n from orders_raw');
  await pool.query('drop table orders_raw');
  // Where the platform's timed work went: each kind of statement (sent, run, answered) and the
  // rest, which is JavaScript: parsing, routing, building the statements' parameters.
  const breakdown: Record<string, number> = {};
  for (const [kind, times] of sql.sql) breakdown[kind] = Math.round(times.reduce((a, b) => a + b, 0));
  breakdown['JavaScript (parse, route, build)'] = Math.round(
    platform.ms - Object.values(breakdown).reduce((a, b) => a + b, 0),
  );
  return {
    platform: { ...platform, rows: rowsAfter, breakdownMs: breakdown },
    raw: { ...raw, rowsInTable: Number(rawCount[0].n) },
  };
}

/** `orders upsert 31 %, history insert 12 %, …` from a breakdown in ms. */
function breakdownLine(platform: { breakdownMs: Record<string, number> }): string {
  const total = Object.values(platform.breakdownMs).reduce((a, b) => a + b, 0) || 1;
  return Object.entries(platform.breakdownMs)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, ms]) => `${kind} ${Math.round((ms / total) * 100)} %`)
    .join(', ');
}

async function main() {
  const machine = describeMachine();
  const loadAtStart = loadAverage();
  const startedAt = performance.now();
  console.log(`machine: ${machineLine(machine)}`);
  console.log(`${loadLine()} at start`);

  const streams = plan();
  const resends = streams.reduce((sum, s) => sum + s.resend.reduce((a, b) => a + b, 0), 0);
  const distinct = TOTAL - resends;
  const mix = streams.map((s) => `${s.channel} ${thousands(s.seqs.length)}`).join(' / ');
  console.log(
    `intake: ${thousands(TOTAL)} channel payloads (${mix}), ${thousands(resends)} re-sends, ` +
      `${thousands(distinct)} distinct orders, seed ${SEED}`,
  );

  console.log('starting a throw-away embedded PostgreSQL…');
  const db = await startBenchPostgres('intake', 4);
  const sqlTiming = instrumentServer((text) => (recording ? statementKind(text) : null));
  onCleanup(() => sqlTiming.uninstall());
  const { rows: settings } = await db.pool.query<{ name: string; setting: string; unit: string | null }>(
    `select name, setting, unit from pg_settings
      where name in ('shared_buffers', 'fsync', 'synchronous_commit', 'wal_level', 'max_wal_size')`,
  );
  const postgres = {
    version: db.version,
    settings: Object.fromEntries(
      settings.map((s) => [s.name, s.unit ? `${s.setting} ${s.unit}` : s.setting]),
    ),
  };
  console.log(`PostgreSQL ${db.version} in ${db.dir} (${JSON.stringify(postgres.settings)})`);

  // A first pass of 2,000 orders outside the figures: JIT, connections, catalogs.
  const warm = plan().map((s) => ({ ...s, seqs: s.seqs.slice(0, 500), resend: s.resend.slice(0, 500) }));
  for (const batch of batches(warm, 500))
    await submitChannelOrders(db.pool, batch.channel, payloadsOf(batch), new Date());

  const results = [];
  for (const size of BATCH_SIZES) {
    console.log(`\ncalls of ${thousands(size)} (${batches(streams, size).length} calls)`);
    const cpuUse = cpuMeter(db.dir);
    const { platform, raw } = await pairedRun(db.pool, size, streams, startedAt, sqlTiming);
    const cpu = cpuUse();
    const expected = { orders: distinct, orderEvent: distinct, orderUpdatedEvents: distinct };
    console.log(
      `  rows after the run: orders ${thousands(platform.rows.orders)}, order_event ` +
        `${thousands(platform.rows.orderEvent)}, order.updated events ${thousands(platform.rows.orderUpdatedEvents)} ` +
        `(expected ${thousands(distinct)} each); outcomes ${JSON.stringify(platform.outcomes)}; ` +
        `orders_raw ${thousands(raw.rowsInTable)}`,
    );
    const wrong = Object.entries(expected).filter(
      ([k, v]) => platform.rows[k as keyof typeof platform.rows] !== v,
    );
    if (wrong.length > 0 || platform.outcomes.CREATED !== distinct || platform.outcomes.UNCHANGED !== resends)
      throw new Error(
        `row counts after the platform run are wrong: ${JSON.stringify(platform.rows)} / ` +
          `${JSON.stringify(platform.outcomes)}, expected ${distinct} rows each, ${resends} UNCHANGED`,
      );
    if (raw.rowsInTable !== distinct)
      throw new Error(`orders_raw holds ${raw.rowsInTable} rows, expected ${distinct}`);
    const platformRate = perSecond(distinct, platform.ms);
    const rawRate = perSecond(distinct, raw.ms);
    const ratio = Math.round((platformRate / rawRate) * 100) / 100;
    results.push({
      batchSize: size,
      calls: platform.callMs.length,
      platform: {
        timedMs: Math.round(platform.ms),
        ordersPerSecond: platformRate,
        payloadsPerSecond: perSecond(TOTAL, platform.ms),
        callMs: summarize(platform.callMs),
        outcomes: platform.outcomes,
        rows: platform.rows,
        breakdownMs: platform.breakdownMs,
      },
      raw: {
        timedMs: Math.round(raw.ms),
        ordersPerSecond: rawRate,
        statementMs: summarize(raw.callMs),
      },
      parseOnly: { ms: Math.round(raw.parseMs), ordersPerSecond: perSecond(distinct, raw.parseMs) },
      ratio,
      cpu,
      goalRatio: GOAL_RATIO,
      met: ratio >= GOAL_RATIO,
    });
    console.log(
      `  calls of ${thousands(size)}: platform ${thousands(platformRate)} orders/s, raw ${thousands(rawRate)} ` +
        `orders/s, ratio ${ratio.toFixed(2)}× (goal ≥ ${GOAL_RATIO}×: ${ratio >= GOAL_RATIO ? 'met' : 'NOT met'})`,
    );
    console.log(`  where the platform's time went, calls of ${thousands(size)}: ${breakdownLine(platform)}`);
    console.log(`  ${cpuLine(cpu)} (payload generation and parsing for the raw insert included)`);
  }

  const loadAtEnd = loadAverage();
  console.log(
    `\nIntake: ${thousands(TOTAL)} payloads, ${thousands(distinct)} distinct orders stored per run\n`,
  );
  console.log(
    '  calls of   platform orders/s   raw orders/s   platform/raw   call p50 / p99 (platform)   parse only',
  );
  for (const r of results) {
    console.log(
      `  ${thousands(r.batchSize).padStart(8)}   ${thousands(r.platform.ordersPerSecond).padStart(17)}   ` +
        `${thousands(r.raw.ordersPerSecond).padStart(12)}   ${`${r.ratio.toFixed(2)}×`.padStart(12)}   ` +
        `${`${r.platform.callMs.p50} / ${r.platform.callMs.p99} ms`.padStart(25)}   ` +
        `${thousands(r.parseOnly.ordersPerSecond)}/s`,
    );
  }
  console.log("\n  where the platform's time went (share of its timed work):");
  for (const r of results)
    console.log(`  ${thousands(r.batchSize).padStart(8)}   ${breakdownLine(r.platform)}`);
  console.log(
    `\n  goal platform/raw ≥ ${GOAL_RATIO}×: ${results.every((r) => r.met) ? 'met' : 'NOT met'} ` +
      `(${results.map((r) => `${r.ratio.toFixed(2)}× at ${thousands(r.batchSize)}`).join(', ')})`,
  );
  console.log(`  ${machineLine(machine)}; PostgreSQL ${db.version}; ${loadLine()} at end\n`);
  console.log(
    JSON.stringify({
      bench: 'intake',
      command: 'npm run bench:intake',
      date: new Date().toISOString(),
      seed: SEED,
      payloads: TOTAL,
      resends,
      distinctOrders: distinct,
      channels: Object.fromEntries(streams.map((s) => [s.channel, s.seqs.length])),
      results,
      postgres,
      machine,
      loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd },
    }),
  );
}

await runBench('intake bench', main);
