/**
 * Kuaidi100 pushes applied per second, over real HTTP into the webhook and PostgreSQL: each of
 * `WAYBILLS` parcels gets `STEPS` pushes, each carrying the whole history so far (as Kuaidi100
 * sends it), from `CONCURRENCY` senders; then every last push again (all repeats). Usage:
 * `npm run bench:kuaidi100-push` (PUSH_BENCH_WAYBILLS, PUSH_BENCH_CONCURRENCY).
 */
import express from 'express';
import { kuaidi100Sign } from '../../api/src/domain/tracking/kuaidi100-push.js';
import { DEFAULT_STALL_SETTINGS } from '../../api/src/domain/tracking/stall.js';
import { createLogger } from '../../api/src/infra/logging/logger.js';
import { mountKuaidi100Webhook } from '../../api/src/modules/shipments/kuaidi100-webhook.js';
import { startBenchPostgres } from '../support/bench-postgres.js';
import { onCleanup, runBench } from '../support/cleanup.js';
import { describeMachine, loadLine, machineLine } from '../support/machine.js';
import { perSecond, summarize, thousands } from '../support/stats.js';

const WAYBILLS = Number(process.env.PUSH_BENCH_WAYBILLS ?? '1000');
const STEPS = 4;
const CONCURRENCY = Number(process.env.PUSH_BENCH_CONCURRENCY ?? '16');
const SALT = 'bench-kuaidi100-salt';
const STATES = [1, 0, 0, 5];
const WORDS = ['揽收', '在途', '在途', '派件'];

const scanTime = (step: number) => `2026-11-2${4 + Math.floor(step / 2)} ${step % 2 ? '20' : '10'}:00:00`;

function pushBody(waybill: number, step: number): string {
  const data = [];
  for (let s = step; s >= 0; s--)
    data.push({
      time: scanTime(s),
      ftime: scanTime(s),
      context: `第${s + 1}站 转运中心`,
      status: WORDS[s],
      areaName: '杭州市',
    });
  const param = JSON.stringify({
    status: 'polling',
    message: '',
    lastResult: { nu: `ZB${waybill}`, com: 'zhongtong', state: String(STATES[step]), ischeck: '0', data },
  });
  return new URLSearchParams({ param, sign: kuaidi100Sign(param, SALT) }).toString();
}

await runBench('kuaidi100-push', async () => {
  console.log(machineLine(describeMachine()));
  const db = await startBenchPostgres('kuaidi100', 20);
  const { rows } = await db.pool.query<{ id: string }>(
    `insert into orders (channel, channel_order_no, business_type, state, channel_status, ordered_at, paid_at,
        source_updated_at, goods_cents, shipping_cents, total_cents, paid_cents, buyer_name, buyer_phone, address, items, state_entered_at)
     select 'WEBSHOP', 'KB' || i, 'NORMAL', 'SHIPPED', 'BENCH', now(), now(), now(), 100, 0, 100, 100, '王小明',
            (13900000000 + i)::text, '{}', '[]', '{}'
       from generate_series(0, $1::int - 1) as i order by i returning id`,
    [WAYBILLS],
  );
  const orderIds = rows.map((r) => r.id);
  const app = express();
  mountKuaidi100Webhook(app, {
    pool: db.pool,
    salt: SALT,
    stall: DEFAULT_STALL_SETTINGS,
    logger: createLogger('warn', 'bench'),
    now: () => new Date('2026-11-27T00:00:00Z'),
  });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}/webhooks/kuaidi100`;

  async function run(label: string, jobs: Array<() => string>, urls: Array<string>) {
    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < jobs.length; i = next++) {
          const t = performance.now();
          const response = await fetch(urls[i], {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: jobs[i](),
          });
          const answer = (await response.json()) as { result?: boolean };
          if (!answer.result) failures += 1;
          latencies.push(performance.now() - t);
        }
      }),
    );
    const ms = performance.now() - started;
    const s = summarize(latencies);
    console.log(
      `${label}: ${thousands(jobs.length)} pushes in ${Math.round(ms)} ms = ${perSecond(jobs.length, ms)} pushes/s ` +
        `(p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, ${failures} refused), ${CONCURRENCY} senders`,
    );
  }

  // Step by step: every waybill's step n is sent before any step n+1, as carriers progress.
  const jobs: Array<() => string> = [];
  const urls: string[] = [];
  for (let step = 0; step < STEPS; step++)
    for (let w = 0; w < WAYBILLS; w++) {
      jobs.push(() => pushBody(w, step));
      urls.push(step === 0 ? `${url}?order=${orderIds[w]}` : url);
    }
  await run(`new scans (${STEPS} pushes per waybill, 1–${STEPS} scans each)`, jobs, urls);
  await run('repeats (the last push of each waybill again)', jobs.slice(-WAYBILLS), urls.slice(-WAYBILLS));
  const { rows: check } = await db.pool.query<{ n: string; traces: string }>(
    `select count(*) filter (where o.state = 'OUT_FOR_DELIVERY') as n, (select count(*) from shipment_trace) as traces
       from orders o`,
  );
  console.log(
    `orders out for delivery: ${check[0].n} of ${WAYBILLS}; trace rows ${check[0].traces} (expected ${WAYBILLS * STEPS})`,
  );
  console.log(loadLine());
});
