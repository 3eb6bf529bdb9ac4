import { parse, specifiedRules, validate } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createQueryLimitRules,
  DEFAULT_MAX_COST,
  DEFAULT_MAX_DEPTH,
} from '../../../api/src/infra/graphql/query-limits.js';
import { createScheduler } from '../../../api/src/infra/scheduler/scheduler.js';
import {
  REPORT_DAILY_TIMEOUT_JOB,
  runDailyTimeoutReport,
  scheduleDailyTimeoutReport,
} from '../../../api/src/jobs/report-daily-timeout.job.js';
import {
  gql,
  insertStages,
  openReportsDb,
  type ReportsDb,
  reportsSchema,
  silentLogger,
  staff,
} from './reports-kit.js';

const PICKING = 'PICKING@PAID_AT';
const sh = (local: string) => `${local}+08:00`;

describe('daily timeout report job', () => {
  let db: ReportsDb;
  const snapshots = async () =>
    (
      await db.pool.query<{ day: string; generated_at: Date; rows: { handled: number; late: number }[] }>(
        `select to_char(day, 'YYYY-MM-DD') as day, generated_at, rows from timeout_report_snapshot order by day`,
      )
    ).rows;

  beforeAll(async () => {
    db = await openReportsDb('rpt_daily');
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.pool.query('truncate sla_stage_record, timeout_report_snapshot');
  });

  it('stores the previous Shanghai day at 00:05 and replaces it when run again', async () => {
    await insertStages(db.pool, [
      {
        stage: PICKING,
        startedAt: sh('2026-11-24T09:00'),
        deadline: sh('2026-11-24T11:00'),
        finishedAt: sh('2026-11-24T10:00'),
      },
      // 23:50 in Shanghai: 11-24, though 15:50 UTC.
      {
        stage: PICKING,
        startedAt: sh('2026-11-24T21:00'),
        deadline: sh('2026-11-24T23:00'),
        finishedAt: sh('2026-11-24T23:50'),
      },
      // 00:02 on 11-25: not in the 11-24 snapshot.
      {
        stage: PICKING,
        startedAt: sh('2026-11-24T23:00'),
        deadline: sh('2026-11-25T01:00'),
        finishedAt: sh('2026-11-25T00:02'),
      },
    ]);
    const firstRun = new Date(sh('2026-11-25T00:05:01'));
    expect(await runDailyTimeoutReport(db.pool, firstRun, silentLogger)).toEqual(['2026-11-24']);
    expect(await snapshots()).toEqual([
      {
        day: '2026-11-24',
        generated_at: firstRun,
        rows: [expect.objectContaining({ stage: PICKING, handled: 2, onTime: 1, late: 1, avgMinutes: 115 })],
      },
    ]);

    // A late report of a stage finished on 11-24, then the job runs again for the same day.
    await insertStages(db.pool, [
      {
        stage: PICKING,
        startedAt: sh('2026-11-24T12:00'),
        deadline: sh('2026-11-24T14:00'),
        finishedAt: sh('2026-11-24T16:00'),
      },
    ]);
    const rerun = new Date(sh('2026-11-25T08:30'));
    expect(await runDailyTimeoutReport(db.pool, rerun, silentLogger)).toEqual(['2026-11-24']);
    expect(await snapshots()).toEqual([
      {
        day: '2026-11-24',
        generated_at: rerun,
        rows: [expect.objectContaining({ stage: PICKING, handled: 3, onTime: 1, late: 2 })],
      },
    ]);
  });

  it('fills the days a stopped worker left out since the last snapshot', async () => {
    await runDailyTimeoutReport(db.pool, new Date(sh('2026-11-21T00:05')), silentLogger);
    const days = await runDailyTimeoutReport(db.pool, new Date(sh('2026-11-24T09:00')), silentLogger);
    expect(days).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);
    expect((await snapshots()).map((s) => s.day)).toEqual([
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
    ]);
  });

  it('pages the snapshots newest first for timeoutReportSnapshots', async () => {
    for (const day of ['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24'])
      await runDailyTimeoutReport(db.pool, new Date(`${day}T00:05:00+08:00`), silentLogger);
    const query = `query ($first: Int, $after: String) {
      timeoutReportSnapshots(first: $first, after: $after) {
        edges { cursor node { day rows { stage } } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    type Page = {
      timeoutReportSnapshots: {
        edges: { cursor: string; node: { day: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const first = await gql<Page>(db, staff('OPS'), query, { first: 2 });
    expect(first.errors).toEqual([]);
    expect(first.data.timeoutReportSnapshots.edges.map((e) => e.node.day)).toEqual([
      '2026-11-23',
      '2026-11-22',
    ]);
    expect(first.data.timeoutReportSnapshots.pageInfo).toEqual({
      hasNextPage: true,
      endCursor: '2026-11-22',
    });
    const second = await gql<Page>(db, staff('SUPERVISOR'), query, { first: 2, after: '2026-11-22' });
    expect(second.data.timeoutReportSnapshots.edges.map((e) => e.node.day)).toEqual([
      '2026-11-21',
      '2026-11-20',
    ]);
    expect(second.data.timeoutReportSnapshots.pageInfo.hasNextPage).toBe(false);
    // A default page with every row field stays within the default query limits.
    const everything = `{ timeoutReportSnapshots { edges { cursor node { day generatedAt rows {
      stage stageLabel groupId groupName ownerId ownerName handled onTime late avgMinutes p90Minutes escalations openOverdue
    } } } pageInfo { hasNextPage endCursor } } }`;
    const limits = createQueryLimitRules({ maxDepth: DEFAULT_MAX_DEPTH, maxCost: DEFAULT_MAX_COST });
    expect(validate(await reportsSchema(), parse(everything), [...specifiedRules, ...limits])).toEqual([]);
    const bad = await gql(db, staff('OPS'), query, { after: 'not-a-day' });
    expect(bad.errors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'after' })]);
  });

  it('is one Agenda job row on a Shanghai cron, however often it is scheduled', async () => {
    const scheduler = createScheduler({
      databaseUrl: db.url,
      mongodbUrl: null,
      workerName: 'reports-test',
      processEveryMs: 60_000,
      logger: silentLogger,
    });
    try {
      await scheduler.agenda.ready;
      // Started, so that stopping also closes the job store's connections.
      await scheduler.start();
      await scheduleDailyTimeoutReport(scheduler.agenda, { pool: db.pool, logger: silentLogger });
      await scheduleDailyTimeoutReport(scheduler.agenda, { pool: db.pool, logger: silentLogger });
      const { rows } = await db.pool.query<{
        repeat_interval: string;
        repeat_timezone: string;
        next_run_at: Date;
      }>('select repeat_interval, repeat_timezone, next_run_at from agenda_jobs where name = $1', [
        REPORT_DAILY_TIMEOUT_JOB,
      ]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ repeat_interval: '5 0 * * *', repeat_timezone: 'Asia/Shanghai' });
      // The next run is at 00:05 Shanghai time (16:05 UTC), within the coming day.
      const next = rows[0].next_run_at;
      expect(next.toISOString().slice(11, 16)).toBe('16:05');
      expect(next.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    } finally {
      await scheduler.stop();
    }
  });
});
