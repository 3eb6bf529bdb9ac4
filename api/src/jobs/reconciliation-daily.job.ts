import type { Agenda } from 'agenda';
import type pg from 'pg';
import type { Logger } from '../infra/logging/logger.js';
import type { ReconciliationSettings } from '../modules/reconciliation/reconciliation-settings.js';
import { runScheduledReconciliation } from '../modules/reconciliation/scheduled-run.js';

export const RECONCILIATION_DAILY_JOB = 'reconciliation.daily';

/**
 * One recurring Agenda job on a cron in the business time zone (02:00 Asia/Shanghai unless
 * configured). Agenda runs a due job at start-up when its time passed while no worker was up, and
 * the run itself covers every day missed since the last scheduled run (see `scheduledRange`).
 */
export async function scheduleDailyReconciliation(
  agenda: Agenda,
  deps: { pool: pg.Pool; settings: ReconciliationSettings; logger: Logger },
): Promise<void> {
  agenda.define(
    RECONCILIATION_DAILY_JOB,
    async () => {
      const run = await runScheduledReconciliation(deps.pool, deps.settings, new Date());
      const log =
        run.state === 'DONE' ? deps.logger.info.bind(deps.logger) : deps.logger.error.bind(deps.logger);
      log(
        {
          runId: run.id,
          from: run.fromDate,
          to: run.toDate,
          counts: run.counts,
          ms: run.durationMs,
          err: run.error,
        },
        'daily reconciliation',
      );
    },
    { concurrency: 1, lockLimit: 1, lockLifetime: 60 * 60_000 },
  );
  await agenda.every(deps.settings.cron, RECONCILIATION_DAILY_JOB, undefined, {
    timezone: deps.settings.timezone,
  });
}
