import type { Agenda } from 'agenda';
import type pg from 'pg';
import type { Logger } from '../infra/logging/logger.js';
import { snapshotDaysDue, storeTimeoutSnapshot } from '../modules/reports/timeout-report-snapshot.js';

export const REPORT_DAILY_TIMEOUT_JOB = 'report.daily-timeout';

/** 00:05 every day, Shanghai time: the previous business day is complete by then. */
export const REPORT_DAILY_TIMEOUT_CRON = '5 0 * * *';
export const REPORT_TIMEZONE = 'Asia/Shanghai';

/** Days a run looks back for days without a snapshot (a worker down at 00:05). */
export const SNAPSHOT_CATCH_UP_DAYS = 7;

/**
 * Stores each business day's timeout report in `timeout_report_snapshot` as one recurring Agenda
 * job (a single job row, on a Shanghai cron): every run generates the previous day, replacing a
 * snapshot stored before, and fills the days (up to a week) a stopped worker left out.
 */
export async function scheduleDailyTimeoutReport(
  agenda: Agenda,
  deps: { pool: pg.Pool; logger: Logger },
): Promise<void> {
  agenda.define(
    REPORT_DAILY_TIMEOUT_JOB,
    async () => {
      await runDailyTimeoutReport(deps.pool, new Date(), deps.logger);
    },
    { concurrency: 1, lockLimit: 1, lockLifetime: 10 * 60_000 },
  );
  await agenda.every(REPORT_DAILY_TIMEOUT_CRON, REPORT_DAILY_TIMEOUT_JOB, undefined, {
    timezone: REPORT_TIMEZONE,
  });
}

/** One run: the days due (see `snapshotDaysDue`), oldest first. Returns the days stored. */
export async function runDailyTimeoutReport(pool: pg.Pool, now: Date, logger: Logger): Promise<string[]> {
  const days = await snapshotDaysDue(pool, now, SNAPSHOT_CATCH_UP_DAYS);
  for (const day of days) {
    const snapshot = await storeTimeoutSnapshot(pool, day, now);
    logger.info({ day, rows: snapshot.rows.length }, 'daily timeout report stored');
  }
  return days;
}
