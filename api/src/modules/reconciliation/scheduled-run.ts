import type pg from 'pg';
import { scheduledRange } from '../../domain/reconciliation/run-days.js';
import type { RunSummary } from './reconciliation-run.service.js';
import { runReconciliation } from './reconciliation-run.service.js';
import type { ReconciliationSettings } from './reconciliation-settings.js';

/** The daily run at `now`: the days `scheduledRange` names, every shop, as SCHEDULE. */
export async function runScheduledReconciliation(
  pool: pg.Pool,
  settings: ReconciliationSettings,
  now: Date,
): Promise<RunSummary & { fromDate: string; toDate: string }> {
  const { rows } = await pool.query<{ last: string | null }>(
    `select to_char(max(to_date), 'YYYY-MM-DD') as last from reconciliation_run
      where trigger = 'SCHEDULE' and state = 'DONE' and shop is null`,
  );
  const range = scheduledRange(now, rows[0].last, settings.matching, settings.catchUpDays);
  const summary = await runReconciliation(pool, {
    shop: null,
    ...range,
    trigger: 'SCHEDULE',
    startedBy: 'schedule',
    settings: settings.matching,
    now,
  });
  return { ...summary, ...range };
}
