import type { Agenda } from 'agenda';
import type { FreshnessMonitor } from '../modules/reports/freshness-monitor.js';

export const REPORT_FRESHNESS_CHECK_JOB = 'report.freshness-check';

/**
 * The status-freshness check as one recurring Agenda job (a single job row) every 5 minutes:
 * records the sources that fell behind their target over the last hour or recovered, and alerts
 * the operations group through the outbox.
 */
export async function scheduleFreshnessCheck(
  agenda: Agenda,
  deps: { monitor: FreshnessMonitor },
): Promise<void> {
  agenda.define(
    REPORT_FRESHNESS_CHECK_JOB,
    async () => {
      await deps.monitor.check(new Date());
    },
    { concurrency: 1, lockLimit: 1, lockLifetime: 60_000 },
  );
  await agenda.every('5 minutes', REPORT_FRESHNESS_CHECK_JOB);
}
