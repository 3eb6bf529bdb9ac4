/**
 * Stall sweep: how long one pass takes over many shipments with 1 % stalled, and whether it is
 * O(stalled): the same number of stalled parcels among 10× fewer shipments should cost about the
 * same. Usage: `npm run bench:stall-sweep` (1,000,000 shipments with 10,000 due; STALL_BENCH_SCALE=0.1 for a quick run).
 */
import { DEFAULT_STALL_SETTINGS } from '../../api/src/domain/tracking/stall.js';
import { CustomerKeys } from '../../api/src/modules/customer/customer-keys.js';
import { runStallSweep } from '../../api/src/modules/shipments/stall-sweep.service.js';
import { startBenchPostgres } from '../support/bench-postgres.js';
import { runBench } from '../support/cleanup.js';
import { describeMachine, loadLine, machineLine } from '../support/machine.js';
import { perSecond, thousands } from '../support/stats.js';
import { seedShippedOrders } from './tracking-seed.js';

const SCALE = Number(process.env.STALL_BENCH_SCALE ?? '1');
const LARGE = Math.round(1_000_000 * SCALE);
const NOW = new Date('2026-11-25T04:00:00Z'); // 12:00 Shanghai: SMS go out at once

await runBench('stall-sweep', async () => {
  console.log(machineLine(describeMachine()));
  for (const [total, stalledShare] of [
    [LARGE, 0.01],
    [Math.round(LARGE / 10), 0.1],
  ] as const) {
    const db = await startBenchPostgres(`stall-${total}`, 4);
    const seededAt = Date.now();
    await seedShippedOrders(db.pool, { orders: total, phones: total, stalledShare, now: NOW });
    console.log(
      `seeded ${thousands(total)} shipments (${thousands(total * stalledShare)} due) in ${Math.round((Date.now() - seededAt) / 1000)} s`,
    );
    const keys = await CustomerKeys.open(db.pool);
    const deps = {
      pool: db.pool,
      settings: { stall: DEFAULT_STALL_SETTINGS, smsPerPhonePerDay: 5 },
      phoneDigest: keys,
      batchSize: 1000,
      budgetMs: 600_000,
    };
    const totals = await runStallSweep(deps, NOW);
    const again = await runStallSweep(deps, NOW);
    console.log(
      `${thousands(total)} shipments, ${thousands(totals.stalled)} stalled: sweep ${totals.durationMs} ms ` +
        `(${perSecond(totals.stalled, totals.durationMs)} stalls/s, ${thousands(totals.smsQueued)} SMS, ${thousands(totals.tickets)} tickets); ` +
        `next pass with nothing due ${again.durationMs} ms (${again.claimed} claimed)`,
    );
    console.log(loadLine());
  }
});
