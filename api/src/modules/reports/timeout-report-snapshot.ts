import type pg from 'pg';
import { businessDate, businessDayRange, startOfBusinessDay } from '../../domain/sla/business-time.js';
import { loadTimeoutReport, type TimeoutReportRow } from './timeout-report.js';

export interface TimeoutSnapshot {
  day: string;
  generatedAt: Date;
  rows: TimeoutReportRow[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The business day (Shanghai) before the one `now` falls in. */
export function previousBusinessDay(now: Date): string {
  return businessDate(new Date(startOfBusinessDay(now).getTime() - DAY_MS));
}

/** Generates the report of `day` (`YYYY-MM-DD`) and stores it, replacing an earlier one. */
export async function storeTimeoutSnapshot(pool: pg.Pool, day: string, now: Date): Promise<TimeoutSnapshot> {
  const report = await loadTimeoutReport(pool, businessDayRange(day), now, { strategy: 'rows' });
  await pool.query(
    `insert into timeout_report_snapshot (day, generated_at, rows) values ($1, $2, $3)
     on conflict (day) do update set generated_at = excluded.generated_at, rows = excluded.rows`,
    [day, now, JSON.stringify(report.rows)],
  );
  return { day, generatedAt: now, rows: report.rows };
}

/**
 * The business days a daily run stores, oldest first: the previous day (again, if it was stored
 * before: the run replaces it) and the days since the last snapshot a worker down at the scheduled
 * time left out, at most `maxDays` in all. A database without snapshots starts with the previous day.
 */
export async function snapshotDaysDue(pool: pg.Pool, now: Date, maxDays: number): Promise<string[]> {
  const today = startOfBusinessDay(now).getTime();
  const { rows } = await pool.query<{ last: string | null }>(
    `select to_char(max(day), 'YYYY-MM-DD') as last from timeout_report_snapshot where day < $1::date`,
    [businessDate(now)],
  );
  const last = rows[0].last;
  const days: string[] = [];
  for (let back = Math.max(1, maxDays); back >= 1; back--) {
    const day = businessDate(new Date(today - back * DAY_MS));
    if (back === 1 || (last !== null && day > last)) days.push(day);
  }
  return days;
}

/** A page of snapshots, newest day first, starting after the day `after` (exclusive). */
export async function listTimeoutSnapshots(
  pool: pg.Pool,
  page: { first: number; after: string | null },
): Promise<{ snapshots: TimeoutSnapshot[]; hasNextPage: boolean }> {
  const { rows } = await pool.query<{ day: string; generated_at: Date; rows: TimeoutReportRow[] }>(
    `select to_char(day, 'YYYY-MM-DD') as day, generated_at, rows from timeout_report_snapshot
      where $1::date is null or day < $1::date
      order by day desc limit $2`,
    [page.after, page.first + 1],
  );
  return {
    snapshots: rows
      .slice(0, page.first)
      .map((r) => ({ day: r.day, generatedAt: r.generated_at, rows: r.rows })),
    hasNextPage: rows.length > page.first,
  };
}
