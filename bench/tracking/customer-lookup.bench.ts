/**
 * Verified customer lookup: the site's own `myOrders` query over HTTP to the real platform (API
 * role, `startPlatform`), with a customer token, from 200 closed-loop clients. Usage:
 * `npm run bench:customer-lookup` (LOOKUP_BENCH_ORDERS, default 200,000; LOOKUP_BENCH_SECONDS).
 *
 * The load generator sends one `Authorization` header for all clients, so every request is the
 * same phone's lookup (2 orders, each with its parcel and trace); the orders table holds
 * LOOKUP_BENCH_ORDERS orders of LOOKUP_BENCH_ORDERS / 2 phones, and each lookup is an index
 * lookup by phone plus the parcel, trace and history reads, and one audit row written.
 */
import { join } from 'node:path';
import { type RunningPlatform, startPlatform } from '../../api/src/app/platform.js';
import { CustomerKeys } from '../../api/src/modules/customer/customer-keys.js';
import { freePort, startBenchPostgres } from '../support/bench-postgres.js';
import { onCleanup, runBench } from '../support/cleanup.js';
import { runHttpLoad } from '../support/http-load.js';
import { describeMachine, loadLine, machineLine } from '../support/machine.js';
import { perSecond, summarize, thousands } from '../support/stats.js';
import { seedShippedOrders } from './tracking-seed.js';

const ORDERS = Number(process.env.LOOKUP_BENCH_ORDERS ?? '200000');
const SECONDS = Number(process.env.LOOKUP_BENCH_SECONDS ?? '30');
const CLIENTS = Number(process.env.LOOKUP_BENCH_CLIENTS ?? '200');
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
  const keys = await CustomerKeys.open(db.pool);
  const phone = String(13900000000 + 1234);
  const { token } = await keys.issueToken(phone, new Date());
  const result = await runHttpLoad({
    url: `http://127.0.0.1:${port}/graphql`,
    headers: { 'content-type': 'application/json', authorization: `Customer ${token}` },
    clients: CLIENTS,
    warmupMs: 5000,
    durationMs: SECONDS * 1000,
    thinkMs: null,
    mix: [{ kind: 'myOrders', weight: 1, bodies: [JSON.stringify({ query: QUERY })] }],
    seed: 14,
    resultField: 'myOrders',
  });
  const kind = result.perKind.myOrders;
  const s = summarize(Array.from(kind.latencies));
  console.log(
    `${CLIENTS} clients, ${thousands(ORDERS)} orders: ${thousands(s.count)} lookups in ${SECONDS} s = ` +
      `${perSecond(s.count, result.measuredMs)}/s; p50 ${s.p50} ms, p90 ${s.p90} ms, p99 ${s.p99} ms, max ${s.max} ms; ` +
      `${kind.errors} errors${result.errorSamples.length ? ` (${result.errorSamples[0]})` : ''}`,
  );
  console.log(loadLine());
});
