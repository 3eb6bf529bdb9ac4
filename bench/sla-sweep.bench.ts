/**
 * SLA sweep throughput: one recurring sweep over indexed deadline columns versus one Agenda job
 * per order deadline. Usage: `npx tsx bench/sla-sweep.bench.ts` (SLA_BENCH_SCALE=0.1 for a quick
 * run at a tenth of the sizes; SLA_BENCH_AGENDA_LIMIT_S bounds the per-order jobs, default 600).
 *
 * (a) 1,000,000 open orders, 100,000 of them due → one sweep pass applying level 1 to all due.
 * (b) 100,000 open orders, all due → the same pass.
 * (c) the same 100,000 deadlines as 100,000 Agenda jobs, each judging its order through the same
 *     service function, timed until all ran (or extrapolated from the rate at the time limit).
 */
import { execSync } from 'node:child_process';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { Agenda } from 'agenda';
import pg from 'pg';
import { SWEEP_PARALLELISM as PARALLELISM } from '../api/src/jobs/sla-sweep.job.js';
import { judgeOrders, loadSweepContext, runSlaSweep } from '../api/src/modules/sla/sla-sweep.service.js';
import { startBenchPostgres } from './support/bench-postgres.js';
import { onCleanup, runBench } from './support/cleanup.js';
import { type CpuUse, cpuLine, cpuMeter, describeMachine, machineLine } from './support/machine.js';
import { clearSlaOrders, loadSlaOrders, seedSlaGroups } from './support/sla-orders.js';
import { perSecond, thousands } from './support/stats.js';

const SCALE = Number(process.env.SLA_BENCH_SCALE ?? '1');
const TOTAL_A = Math.round(1_000_000 * SCALE);
const DUE = Math.round(100_000 * SCALE);
const AGENDA_LIMIT_MS = Number(process.env.SLA_BENCH_AGENDA_LIMIT_S ?? '600') * 1000;
const BATCH = 1000;
const AGENDA_CONCURRENCY = 20;

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const uptime = () => {
  try {
    return execSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return 'uptime unavailable';
  }
};

interface Effects {
  abnormal: number;
  tickets: number;
  history: number;
  /** WeCom reminders, carried several to an outbox row (a digest per robot per batch). */
  wecom: number;
  /** WeCom outbox rows. */
  wecomRows: number;
  /** `order.updated` and `ticket.raised` events, carried many to an outbox row. */
  events: number;
  /** Outbox rows. */
  outbox: number;
}

async function effects(pool: pg.Pool): Promise<Effects> {
  const { rows } = await pool.query<Effects>(
    `select (select count(*)::int from orders where abnormal) as abnormal,
            (select count(*)::int from ticket) as tickets,
            (select count(*)::int from order_event where type = 'SLA_LEVEL_1') as history,
            (select coalesce(sum(coalesce(jsonb_array_length(payload->'orderIds'), 1)), 0)::int from outbox_message
              where topic = 'wecom.message') as wecom,
            (select count(*)::int from outbox_message where topic = 'wecom.message') as "wecomRows",
            (select coalesce(sum(jsonb_array_length(payload->'events')), 0)::int from outbox_message
              where topic in ('order.updated', 'ticket.raised')) as events,
            (select count(*)::int from outbox_message) as outbox`,
  );
  return rows[0];
}

function expectAllApplied(found: Effects, due: number): void {
  const ok =
    found.abnormal === due &&
    found.tickets === due &&
    found.history === due &&
    found.wecom === due &&
    found.events === 2 * due;
  if (!ok) throw new Error(`expected level 1 on ${due} orders, found ${JSON.stringify(found)}`);
}

async function sweepPass(pool: pg.Pool, dataDir: string, label: string, due: number, now: Date) {
  let done = 0;
  const meter = cpuMeter(dataDir);
  let nextReport = 10_000;
  const totals = await runSlaSweep(
    {
      pool,
      batchSize: BATCH,
      parallelism: PARALLELISM,
      onBatch: (batch) => {
        done += batch.claimed;
        if (done >= nextReport) {
          log(`  ${label}: ${thousands(done)} judged`);
          nextReport += 10_000;
        }
      },
    },
    now,
  );
  const cpu = meter();
  const found = await effects(pool);
  expectAllApplied(found, due);
  log(
    `  ${label}: ${thousands(totals.claimed)} orders in ${totals.batches} batches, ${(totals.durationMs / 1000).toFixed(2)} s (${thousands(perSecond(totals.claimed, totals.durationMs))}/s)`,
  );
  log(
    `  ${label}: ${cpuLine(cpu)}; ${thousands(found.wecom)} WeCom reminders in ${thousands(found.wecomRows)} outbox rows`,
  );
  return { ms: totals.durationMs, claimed: totals.claimed, batches: totals.batches, cpu, ...found };
}

async function agendaPerOrder(pool: pg.Pool, url: string, dataDir: string, due: number, now: Date) {
  const context = await loadSweepContext(pool);
  const { rows } = await pool.query<{ id: string }>('select id from orders order by sla_next_check_at, id');
  const agendaPool = new pg.Pool({ connectionString: url, max: AGENDA_CONCURRENCY });
  agendaPool.on('error', () => undefined);
  onCleanup(() => agendaPool.end());
  const agenda = new Agenda({
    name: 'sla-bench-worker',
    processEvery: 100,
    maxConcurrency: AGENDA_CONCURRENCY,
    defaultConcurrency: AGENDA_CONCURRENCY,
    backend: new PostgresBackend({ pool: agendaPool, tableName: 'agenda_jobs' }),
  });
  onCleanup(() => agenda.stop(true).catch(() => undefined));
  let ran = 0;
  agenda.define<{ orderId: string }>(
    'sla.order-deadline',
    async (job) => {
      await judgeOrders(pool, context, [job.attrs.data.orderId], now);
      ran += 1;
    },
    { concurrency: AGENDA_CONCURRENCY, lockLimit: AGENDA_CONCURRENCY },
  );
  await agenda.ready;
  const createStarted = Date.now();
  const deadline = new Date(now.getTime() - 30 * 60_000);
  for (let i = 0; i < rows.length; i += 200) {
    await Promise.all(
      rows.slice(i, i + 200).map((r) => agenda.schedule(deadline, 'sla.order-deadline', { orderId: r.id })),
    );
    if ((i + 200) % 10_000 === 0) log(`  scheduled ${thousands(i + 200)} jobs`);
  }
  const createMs = Date.now() - createStarted;
  log(`  ${thousands(rows.length)} jobs scheduled in ${(createMs / 1000).toFixed(1)} s; starting the worker`);
  const meter = cpuMeter(dataDir);
  const started = Date.now();
  await agenda.start();
  let lastReport = started;
  while (ran < due && Date.now() - started < AGENDA_LIMIT_MS) {
    await new Promise((r) => setTimeout(r, 250));
    if (Date.now() - lastReport >= 15_000) {
      lastReport = Date.now();
      log(
        `  agenda: ${thousands(ran)} / ${thousands(due)} jobs ran (${thousands(perSecond(ran, lastReport - started))}/s)`,
      );
    }
  }
  const elapsed = Date.now() - started;
  const cpu: CpuUse = meter();
  await agenda.stop(true);
  const completed = ran >= due;
  const found = await effects(pool);
  if (completed) expectAllApplied(found, due);
  const ms = completed ? elapsed : Math.round((elapsed * due) / Math.max(ran, 1));
  log(
    completed
      ? `  agenda: all ${thousands(due)} jobs ran in ${(elapsed / 1000).toFixed(1)} s`
      : `  agenda: stopped after ${(elapsed / 1000).toFixed(0)} s with ${thousands(ran)} jobs run; at that rate all ${thousands(due)} take ~${(ms / 1000).toFixed(0)} s (extrapolated)`,
  );
  log(`  agenda: ${cpuLine(cpu)}`);
  return { ms, ran, elapsedMs: elapsed, completed, extrapolated: !completed, createMs, cpu, ...found };
}

await runBench('sla-sweep', async () => {
  const machine = describeMachine();
  log(`machine: ${machineLine(machine)}`);
  log(`load: ${uptime()}`);
  const db = await startBenchPostgres('sla-sweep', 30);
  log(`PostgreSQL ${db.version} (embedded, throw-away) in ${db.dir}`);
  await seedSlaGroups(db.pool);
  await loadSweepContext(db.pool); // seeds the default SLA policies

  log(`(a) ${thousands(TOTAL_A)} open orders, ${thousands(DUE)} due`);
  const nowA = new Date();
  await loadSlaOrders(db.pool, TOTAL_A, DUE, nowA, log);
  const a = await sweepPass(db.pool, db.dir, '(a)', DUE, nowA);

  log(`(b) ${thousands(DUE)} open orders, all due`);
  await clearSlaOrders(db.pool);
  const nowB = new Date();
  await loadSlaOrders(db.pool, DUE, DUE, nowB, log);
  const b = await sweepPass(db.pool, db.dir, '(b)', DUE, nowB);

  log(`(c) ${thousands(DUE)} deadlines as one Agenda job each (concurrency ${AGENDA_CONCURRENCY})`);
  await clearSlaOrders(db.pool);
  const nowC = new Date();
  await loadSlaOrders(db.pool, DUE, DUE, nowC, log);
  const c = await agendaPerOrder(db.pool, db.url, db.dir, DUE, nowC);

  const aOverB = Math.round((a.ms / b.ms) * 100) / 100;
  const cOverB = Math.round((c.ms / b.ms) * 10) / 10;
  log(
    `(a) ${(a.ms / 1000).toFixed(2)} s [goal ≤ 10 s]; (a)/(b) = ${aOverB} [goal ≤ 1.5]; (c)/(b) = ${cOverB}× [goal ≥ 20×]`,
  );
  log(`load: ${uptime()}`);
  console.log(
    JSON.stringify({
      bench: 'sla-sweep',
      machine,
      postgres: db.version,
      uptime: uptime(),
      batchSize: BATCH,
      parallelism: PARALLELISM,
      a: {
        orders: TOTAL_A,
        due: DUE,
        ms: a.ms,
        batches: a.batches,
        perSecond: perSecond(a.claimed, a.ms),
        outboxRows: a.outbox,
        cpu: a.cpu,
      },
      b: {
        orders: DUE,
        due: DUE,
        ms: b.ms,
        batches: b.batches,
        perSecond: perSecond(b.claimed, b.ms),
        cpu: b.cpu,
      },
      c: {
        jobs: DUE,
        concurrency: AGENDA_CONCURRENCY,
        ran: c.ran,
        elapsedMs: c.elapsedMs,
        ms: c.ms,
        extrapolated: c.extrapolated,
        scheduleMs: c.createMs,
        cpu: c.cpu,
      },
      ratios: { aOverB, cOverB },
      goals: { aWithin10s: a.ms <= 10_000, aOverBAtMost1_5: aOverB <= 1.5, cOverBAtLeast20: cOverB >= 20 },
    }),
  );
});
