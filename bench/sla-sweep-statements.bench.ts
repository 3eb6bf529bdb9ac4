/**
 * Where an SLA sweep batch spends its time, statement by statement. Usage:
 * `npm run bench:sla-statements` (SLA_STATEMENTS_DUE, default 20,000 due orders, all due).
 *
 * 1. A sweep pass one batch of 1,000 at a time, every statement timed from Node.js (wall time,
 *    so it includes waiting for the CPU on a busy machine), with the WAL written per due order.
 * 2. One more batch on a fresh load with `auto_explain` (ANALYZE, BUFFERS, WAL, nested statements)
 *    on its connection: PostgreSQL's own time, buffers and WAL records of each statement.
 */
import pg from 'pg';
import { loadSweepContext, runSlaSweep, sweepOnce } from '../api/src/modules/sla/sla-sweep.service.js';
import { startBenchPostgres } from './support/bench-postgres.js';
import { runBench } from './support/cleanup.js';
import { cpuLine, cpuMeter } from './support/machine.js';
import { clearSlaOrders, loadSlaOrders, seedSlaGroups } from './support/sla-orders.js';
import { thousands } from './support/stats.js';

const DUE = Number(process.env.SLA_STATEMENTS_DUE ?? '20000');
const BATCH = 1000;

/** A statement's name in the tables: its first words. */
const statementName = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 60);

/** Times every query the pass's pool clients send, by statement. */
function timeStatements(): { times: Map<string, { count: number; ms: number }>; restore: () => void } {
  const times = new Map<string, { count: number; ms: number }>();
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
    const started = performance.now();
    const result = original.apply(this, args);
    if (result instanceof Promise)
      result.then(
        () => {
          const entry = times.get(statementName(text)) ?? { count: 0, ms: 0 };
          entry.count += 1;
          entry.ms += performance.now() - started;
          times.set(statementName(text), entry);
        },
        () => undefined,
      );
    return result;
  };
  return { times, restore: () => (prototype.query = original) };
}

const walNow = async (pool: pg.Pool) =>
  (
    await pool.query<{ records: string; bytes: string }>(
      'select wal_records as records, wal_bytes as bytes from pg_stat_wal',
    )
  ).rows[0];

await runBench('sla-statements', async () => {
  const db = await startBenchPostgres('sla-statements', 4);
  await seedSlaGroups(db.pool);
  const context = await loadSweepContext(db.pool);
  const log = (line: string) => console.log(line);

  const now = new Date();
  await loadSlaOrders(db.pool, DUE, DUE, now, log);
  const wal0 = await walNow(db.pool);
  const meter = cpuMeter(db.dir);
  const { times, restore } = timeStatements();
  const totals = await runSlaSweep({ pool: db.pool, batchSize: BATCH, parallelism: 1, context }, now);
  restore();
  const cpu = meter();
  const wal1 = await walNow(db.pool);
  const perOrder = (seconds: number) => ((seconds * 1e6) / totals.claimed).toFixed(0);
  console.log(
    `\n${thousands(totals.claimed)} due orders in ${totals.batches} batches, ${(totals.durationMs / 1000).toFixed(2)} s; ${cpuLine(cpu)}`,
  );
  console.log(
    `per due order: CPU node ${perOrder(cpu.node)} µs, PostgreSQL ${perOrder(cpu.postgres)} µs; WAL ${(
      (Number(wal1.records) - Number(wal0.records)) / totals.claimed
    ).toFixed(1)} records, ${((Number(wal1.bytes) - Number(wal0.bytes)) / totals.claimed).toFixed(0)} bytes`,
  );
  console.log('\nstatement time (wall, from Node.js):');
  for (const [name, { count, ms }] of [...times].sort((a, b) => b[1].ms - a[1].ms))
    console.log(`${ms.toFixed(0).padStart(7)} ms ${String(count).padStart(5)}×  ${name}`);

  await clearSlaOrders(db.pool);
  await loadSlaOrders(db.pool, BATCH, BATCH, now, log);
  const plans: string[] = [];
  const explaining = new pg.Pool({
    connectionString: db.url,
    max: 1,
    options: [
      'session_preload_libraries=auto_explain',
      'auto_explain.log_min_duration=0',
      'auto_explain.log_analyze=on',
      'auto_explain.log_buffers=on',
      'auto_explain.log_wal=on',
      'auto_explain.log_level=notice',
    ]
      .map((setting) => `-c ${setting}`)
      .join(' '),
  });
  explaining.on('connect', (client) => client.on('notice', (notice) => plans.push(notice.message ?? '')));
  try {
    await sweepOnce(explaining, context, now, BATCH);
  } finally {
    await explaining.end();
  }
  console.log(`\none batch of ${BATCH} with auto_explain (PostgreSQL's time and WAL):`);
  for (const plan of plans) {
    const lines = plan.split('\n');
    const name = statementName((lines.find((l) => l.startsWith('Query Text:')) ?? '').slice(12));
    const duration = /duration: ([\d.]+) ms/.exec(lines[0])?.[1];
    const wal = lines.find((l) => /^ {2}WAL:/.test(l))?.trim() ?? '';
    if (duration && Number(duration) >= 0.5) console.log(`${duration.padStart(9)} ms  ${name}  ${wal}`);
  }
});
