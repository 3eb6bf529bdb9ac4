import type { Agenda } from 'agenda';
import type pg from 'pg';
import type { Logger } from '../infra/logging/logger.js';
import { CustomerKeys } from '../modules/customer/customer-keys.js';
import { runStallSweep } from '../modules/shipments/stall-sweep.service.js';
import type { TrackingSettings } from '../modules/shipments/tracking-settings.js';

export const STALL_SWEEP_JOB = 'tracking.stall-sweep';

/**
 * The stall check as ONE recurring Agenda job, whatever the number of parcels: each run sweeps
 * the parcels whose `next_stall_check_at` is due. Overlapping runs are kept apart by SKIP LOCKED
 * and the one-per-stall keys of tickets and SMS.
 */
export async function scheduleStallSweep(
  agenda: Agenda,
  deps: { pool: pg.Pool; settings: TrackingSettings; logger: Logger },
): Promise<void> {
  const keys = await CustomerKeys.open(deps.pool);
  const lockLifetime = Math.max(60_000, deps.settings.stallSweepSeconds * 4000);
  agenda.define(
    STALL_SWEEP_JOB,
    async () => {
      const totals = await runStallSweep(
        {
          pool: deps.pool,
          settings: deps.settings,
          phoneDigest: keys,
          batchSize: 1000,
          budgetMs: lockLifetime / 2,
        },
        new Date(),
      );
      if (totals.stalled > 0) deps.logger.info({ ...totals }, 'stall sweep');
    },
    { concurrency: 1, lockLimit: 1, lockLifetime },
  );
  await agenda.every(`${deps.settings.stallSweepSeconds} seconds`, STALL_SWEEP_JOB);
}
