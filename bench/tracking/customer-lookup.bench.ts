/**
 * Verified customer lookup: the site's own `myOrders` query over HTTP to the real platform (API
 * role, `startPlatform`), each of 200 clients signed in as its own phone (a customer token each).
 * Usage: `npm run bench:customer-lookup` (LOOKUP_BENCH_ORDERS, default 1,000,000;
 * LOOKUP_BENCH_SECONDS; LOOKUP_BENCH_CLIENTS; LOOKUP_BENCH_RUNS="paced,closed").
 *
 * Runs: `paced`, shoppers who read the page between lookups (0.5–1.5 s, as the staff query
 * benchmark paces its clients), and `closed`, every client asking again the moment it has its
 * answer (the server's throughput). The orders table holds LOOKUP_BENCH_ORDERS orders of half as
 * many phones; each lookup is one statement (orders by the phone index, parcels, newest scans,
 * history, and the audit line). Its plan, with EXPLAIN ANALYZE, is printed first.
 */
import { join } from 'node:path';
import { type RunningPlatform, startPlatform } from '../../api/src/app/platform.js';
import { CustomerKeys } from '../../api/src/modules/customer/customer-keys.js';
import { CUSTOMER_LOOKUP_SQL, customerLookupParams } from '../../api/src/modules/customer/customer-orders.js';
import { freePort, startBenchPostgres } from '../support/bench-postgres.js';
import { onCleanup, runBench } from '../support/cleanup.js';
import { runHttpLoad } from '../support/http-load.js';
import { describeMachine, loadLine, machineLine } from '../support/machine.js';
import { perSecond, summarize, thousands } from '../support/stats.js';
import { seedShippedOrders } from './tracking-seed.js';

const ORDERS = Number(process.env.LOOKUP_BENCH_ORDERS ?? '1000000');
const SECONDS = Number(process.env.LOOKUP_BENCH_SECONDS ?? '30');
const CLIENTS = Number(process.env.LOOKUP_BENCH_CLIENTS ?? '200');
const RUNS = (process.env.LOOKUP_BENCH_RUNS ?? 'paced,closed').split(',');
const QUERY = `{ myOrders { id channelOrderNo status orderedAt items receiverName receiverPhone receiverAddress
  shipments { id carrierName waybillNo status etaText stalled stallReason trace { at text location } }
  timeline { at text location } } }`;

await runBench('customer-lookup', async () => {
  console.log(machineLine(describeMachine()));
  const db = await startBenchPostgres('lookup', 4);
  const seeded = Date.now();
  await seedShippedOrders(db.pool, { orders: ORDERS, phones: ORDERS / 2, stalledShare: 0, now: new Date() });
  console.log(
    `seeded ${thousands(ORDERS)} orders with parcels in ${Math.round((Date.now() - seeded) / 1000)} s`,
  );
  const keys = await CustomerKeys.open(db.pool);
  // Phones spread over the whole table, one per client.
  const phones = Array.from({ length: CLIENTS }, (_, i) =>
    String(13900000000 + Math.floor(((i + 0.5) * (ORDERS / 2)) / CLIENTS)),
  );
  const plan = await db.pool.query(
    `explain (analyze, buffers, costs off) ${CUSTOMER_LOOKUP_SQL}`,
    customerLookupParams({ phone: phones[0], phoneDigest: keys.phoneDigest(phones[0]) }, new Date()),
  );
  console.log(plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n'));

  const port = await freePort();
  const platform: RunningPlatform = await startPlatform(new Set(['api']), {
    DATABASE_URL: db.url,
    ADMIN_PASSWORD: 'bench-admin-password',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DEMO_SEED: 'false',
    DATA_DIR: join(db.dir, 'platform'),
  });
  onCleanup(() => platform.stop());
  const clientHeaders = await Promise.all(
    phones.map(async (phone) => ({
      authorization: `Customer ${(await keys.issueToken(phone, new Date())).token}`,
    })),
  );
  for (const run of RUNS) {
    const result = await runHttpLoad({
      url: `http://127.0.0.1:${port}/graphql`,
      headers: { 'content-type': 'application/json' },
      clientHeaders,
      clients: CLIENTS,
      warmupMs: 5000,
      durationMs: SECONDS * 1000,
      thinkMs: run === 'paced' ? [500, 1500] : null,
      mix: [{ kind: 'myOrders', weight: 1, bodies: [JSON.stringify({ query: QUERY })] }],
      seed: 14,
      resultField: 'myOrders',
    });
    const kind = result.perKind.myOrders;
    const s = summarize(Array.from(kind.latencies));
    console.log(
      `${run}: ${CLIENTS} clients, ${thousands(ORDERS)} orders: ${thousands(s.count)} lookups in ${SECONDS} s = ` +
        `${perSecond(s.count, result.measuredMs)}/s; p50 ${s.p50} ms, p90 ${s.p90} ms, p99 ${s.p99} ms, max ${s.max} ms; ` +
        `${kind.errors} errors${result.errorSamples.length ? ` (${result.errorSamples[0]})` : ''}`,
    );
    console.log(loadLine());
  }
});
