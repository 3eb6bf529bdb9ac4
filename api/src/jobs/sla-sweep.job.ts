import type { Agenda } from 'agenda';
import type pg from 'pg';
import type { Logger } from '../infra/logging/logger.js';
import { runSlaSweep } from '../modules/sla/sla-sweep.service.js';

export const SLA_SWEEP_JOB = 'sla.sweep';

/** Batches claimed at once by one worker's sweep, each on its own connection. */
export const SWEEP_PARALLELISM = 4;

interface SlaSweepDeps {
  pool: pg.Pool;
  everySeconds: number;
  batchSize: number;
  opsWebhookUrl: string | null;
  /** See `SweepContext.recentLateMinutes`. */
  recentLateMinutes: number;
  logger: Logger;
}

/**
 * The SLA clock as ONE recurring Agenda job (a single job row, whatever the number of orders or
 * workers): each run reads the active policies, then judges every order whose check is due, in
 * batches, until none is left or the run has used most of its lock. Deadlines live in indexed
 * columns on the orders, not in per-order jobs. Should two runs overlap (a lock expired), SKIP
 * LOCKED, the unique constraints and the outbox keys keep them from acting twice.
 */
export async function scheduleSlaSweep(agenda: Agenda, deps: SlaSweepDeps): Promise<void> {
  const lockLifetime = Math.max(60_000, deps.everySeconds * 4000);
  agenda.define(
    SLA_SWEEP_JOB,
    async () => {
      const totals = await runSlaSweep(
        {
          pool: deps.pool,
          batchSize: deps.batchSize,
          parallelism: SWEEP_PARALLELISM,
          budgetMs: lockLifetime / 2,
          opsWebhookUrl: deps.opsWebhookUrl,
          recentLateMinutes: deps.recentLateMinutes,
          logger: deps.logger,
        },
        new Date(),
      );
      if (totals.claimed > 0)
        deps.logger.info(
          {
            claimed: totals.claimed,
            levelsApplied: totals.levelsApplied,
            recovered: totals.recovered,
            tickets: totals.tickets,
            durationMs: totals.durationMs,
          },
          'SLA sweep',
        );
    },
    { concurrency: 1, lockLimit: 1, lockLifetime },
  );
  await agenda.every(`${deps.everySeconds} seconds`, SLA_SWEEP_JOB);
}
