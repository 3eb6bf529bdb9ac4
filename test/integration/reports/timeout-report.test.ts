import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken } from '../../../api/src/domain/auth/staff-token.js';
import { businessDayRange } from '../../../api/src/domain/sla/business-time.js';
import { AuthService } from '../../../api/src/modules/auth/auth.service.js';
import { mountReports } from '../../../api/src/modules/reports/report-routes.js';
import { loadTimeoutReport } from '../../../api/src/modules/reports/timeout-report.js';
import { TIMEOUT_CSV_HEADERS } from '../../../api/src/modules/reports/timeout-report-csv.js';
import {
  gql,
  insertStages,
  OWNER_A,
  OWNER_B,
  openReportsDb,
  type ReportsDb,
  silentLogger,
  staff,
} from './reports-kit.js';

/** 10:00 on 2026-11-25 in Shanghai. */
const NOW = new Date('2026-11-25T10:00:00+08:00');
const PICKING = 'PICKING@PAID_AT';
const ACCEPTED = 'WAREHOUSE_ACCEPTED@PAID_AT';
const SHIPPED = 'SHIPPED@STATE_ENTERED:PACKED';
const sh = (local: string) => `${local}+08:00`;

describe('timeout report', () => {
  let db: ReportsDb;

  beforeAll(async () => {
    db = await openReportsDb('rpt_timeout');
    await db.pool.query(
      `insert into processing_group (id, name) values ('east', '华东组'), ('west', '华西组')`,
    );
    await db.pool.query(
      `insert into staff_user (id, username, display_name, password_hash, roles)
       values ($1, 'zhang', '张主管', 'x', '{OPS}'), ($2, 'li', '李组长', 'x', '{OPS}')`,
      [OWNER_A, OWNER_B],
    );
    await insertStages(db.pool, [
      // east / A, picking: four finished on 11-24 (two on time, two late).
      {
        stage: PICKING,
        startedAt: sh('2026-11-24T09:00'),
        deadline: sh('2026-11-24T11:00'),
        finishedAt: sh('2026-11-24T10:00'),
      },
      // Exactly at the deadline is on time.
      {
        stage: PICKING,
        startedAt: sh('2026-11-24T09:00'),
        deadline: sh('2026-11-24T11:00'),
        finishedAt: sh('2026-11-24T11:00'),
      },
      {
        stage: PICKING,
        startedAt: sh('2026-11-24T10:00'),
        deadline: sh('2026-11-24T12:00'),
        finishedAt: sh('2026-11-24T13:30'),
        maxLevel: 1,
      },
      // 23:50 in Shanghai is still 11-24 (15:50 UTC).
      {
        stage: PICKING,
        startedAt: sh('2026-11-24T21:00'),
        deadline: sh('2026-11-24T23:00'),
        finishedAt: sh('2026-11-24T23:50'),
        maxLevel: 1,
      },
      // 00:10 on 11-25 in Shanghai is 16:10 UTC on 11-24, yet it belongs to 11-25.
      {
        stage: PICKING,
        startedAt: sh('2026-11-24T22:30'),
        deadline: sh('2026-11-25T00:30'),
        finishedAt: sh('2026-11-25T00:10'),
      },
      // Open and overdue since the morning of 11-24.
      { stage: PICKING, startedAt: sh('2026-11-24T08:00'), deadline: sh('2026-11-24T10:00'), maxLevel: 2 },
      // Open, due only after 11-24 ended: not overdue on 11-24, overdue by 11-25 10:00.
      { stage: PICKING, startedAt: sh('2026-11-24T23:00'), deadline: sh('2026-11-25T01:00') },
      // Due on 11-24, finished only on 11-25: open overdue at the end of 11-24, late on 11-25.
      {
        stage: PICKING,
        startedAt: sh('2026-11-24T20:00'),
        deadline: sh('2026-11-24T22:00'),
        finishedAt: sh('2026-11-25T09:00'),
        maxLevel: 2,
      },
      // A backlog from days before stays visible.
      { stage: PICKING, startedAt: sh('2026-11-20T10:00'), deadline: sh('2026-11-20T12:00'), maxLevel: 2 },
      // Finished the day before: not in 11-24.
      {
        stage: PICKING,
        startedAt: sh('2026-11-23T10:00'),
        deadline: sh('2026-11-23T12:00'),
        finishedAt: sh('2026-11-23T11:00'),
      },
      // west / B, warehouse acceptance.
      {
        stage: ACCEPTED,
        groupId: 'west',
        ownerId: OWNER_B,
        startedAt: sh('2026-11-24T12:00'),
        deadline: sh('2026-11-24T12:30'),
        finishedAt: sh('2026-11-24T12:20'),
      },
      {
        stage: ACCEPTED,
        groupId: 'west',
        ownerId: OWNER_B,
        startedAt: sh('2026-11-24T12:00'),
        deadline: sh('2026-11-24T12:30'),
        finishedAt: sh('2026-11-24T12:31:30'),
      },
      {
        stage: ACCEPTED,
        groupId: 'west',
        ownerId: OWNER_B,
        startedAt: sh('2026-11-24T12:00'),
        deadline: sh('2026-11-24T12:30'),
        finishedAt: sh('2026-11-24T12:15'),
      },
      // east, no owner yet.
      {
        stage: SHIPPED,
        ownerId: null,
        startedAt: sh('2026-11-24T15:00'),
        deadline: sh('2026-11-24T16:00'),
        finishedAt: sh('2026-11-24T15:30'),
      },
    ]);
  });
  afterAll(async () => {
    await db?.close();
  });

  const day24 = {
    [`${PICKING}|east|A`]: {
      handled: 4,
      onTime: 2,
      late: 2,
      avgMinutes: 140,
      p90Minutes: 210,
      escalations: 8,
      openOverdue: 3,
    },
    [`${SHIPPED}|east|`]: {
      handled: 1,
      onTime: 1,
      late: 0,
      avgMinutes: 30,
      p90Minutes: 30,
      escalations: 0,
      openOverdue: 0,
    },
    [`${ACCEPTED}|west|B`]: {
      handled: 3,
      onTime: 2,
      late: 1,
      avgMinutes: 22.2,
      p90Minutes: 31.5,
      escalations: 0,
      openOverdue: 0,
    },
  };
  const owner = (id: string | null) => (id === OWNER_A ? 'A' : id === OWNER_B ? 'B' : '');
  const keyed = (rows: readonly { stage: string; groupId: string | null; ownerId: string | null }[]) =>
    Object.fromEntries(
      rows.map(({ stage, groupId, ownerId, ...figures }) => [
        `${stage}|${groupId}|${owner(ownerId)}`,
        Object.fromEntries(
          Object.entries(figures).filter(([k]) => !['stageLabel', 'groupName', 'ownerName'].includes(k)),
        ),
      ]),
    );

  it('counts a Shanghai business day: handled, on time, late, avg, p90, escalations, open overdue', async () => {
    const report = await loadTimeoutReport(db.pool, businessDayRange('2026-11-24'), NOW, {
      strategy: 'rows',
    });
    expect(keyed(report.rows)).toEqual(day24);
    expect(report.rows.map((r) => r.stage)).toEqual([PICKING, SHIPPED, ACCEPTED]);
    expect(report.rows.find((r) => r.stage === PICKING)).toMatchObject({
      stageLabel: '付款 → 拣货中',
      groupName: '华东组',
      ownerName: '张主管',
    });
    expect(report.rows.find((r) => r.stage === SHIPPED)).toMatchObject({
      stageLabel: '已打包 → 已发货',
      ownerName: null,
    });
  });

  it('puts a stage finished at 00:10 Shanghai in the new day and cuts open stages off at now', async () => {
    const report = await loadTimeoutReport(db.pool, businessDayRange('2026-11-25'), NOW, {
      strategy: 'rows',
    });
    expect(keyed(report.rows)).toEqual({
      [`${PICKING}|east|A`]: {
        handled: 2,
        onTime: 1,
        late: 1,
        avgMinutes: 440,
        p90Minutes: 780,
        escalations: 6,
        openOverdue: 3,
      },
    });
  });

  it('aggregates in the database to the same figures', async () => {
    const periods = [
      businessDayRange('2026-11-24'),
      businessDayRange('2026-11-25'),
      { from: businessDayRange('2026-11-20').from, to: businessDayRange('2026-11-25').to },
      { from: new Date('2026-11-24T11:00:00+08:00'), to: new Date('2026-11-24T23:55:00+08:00') },
    ];
    for (const period of periods) {
      const rows = await loadTimeoutReport(db.pool, period, NOW, { strategy: 'rows' });
      const sql = await loadTimeoutReport(db.pool, period, NOW, { strategy: 'sql' });
      expect(sql.rows).toEqual(rows.rows);
    }
  });

  it('answers timeoutReport for OPS, filtered by group', async () => {
    const query = `query ($from: String!, $to: String!, $groupIds: [String!]) {
      timeoutReport(from: $from, to: $to, groupIds: $groupIds) {
        from to rows { stage stageLabel groupId groupName ownerName handled onTime late avgMinutes p90Minutes escalations openOverdue }
      }
    }`;
    const all = await gql<{ timeoutReport: { from: string; to: string; rows: unknown[] } }>(
      db,
      staff('OPS'),
      query,
      { from: '2026-11-24', to: '2026-11-24' },
      { now: NOW },
    );
    expect(all.errors).toEqual([]);
    expect(new Date(all.data.timeoutReport.from)).toEqual(new Date('2026-11-24T00:00:00+08:00'));
    expect(new Date(all.data.timeoutReport.to)).toEqual(new Date('2026-11-25T00:00:00+08:00'));
    expect(all.data.timeoutReport.rows).toHaveLength(3);
    const west = await gql<{ timeoutReport: { rows: unknown[] } }>(
      db,
      staff('SUPERVISOR'),
      query,
      { from: '2026-11-24', to: '2026-11-24', groupIds: ['west'] },
      { now: NOW },
    );
    expect(west.errors).toEqual([]);
    expect(west.data.timeoutReport.rows).toEqual([
      {
        stage: ACCEPTED,
        stageLabel: '付款 → 仓库已接单',
        groupId: 'west',
        groupName: '华西组',
        ownerName: '李组长',
        ...day24[`${ACCEPTED}|west|B`],
      },
    ]);
  });

  it('refuses a bad date naming the argument, and staff outside operations', async () => {
    const query = 'query ($from: String!, $to: String!) { timeoutReport(from: $from, to: $to) { from } }';
    const badFrom = await gql(
      db,
      staff('OPS'),
      query,
      { from: '2026-02-30', to: '2026-03-01' },
      { now: NOW },
    );
    expect(badFrom.errors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'from' })]);
    expect(badFrom.errors[0].message).toMatch(/^from: /);
    const badTo = await gql(db, staff('OPS'), query, { from: '2026-11-24', to: 'yesterday' }, { now: NOW });
    expect(badTo.errors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'to' })]);
    const backwards = await gql(
      db,
      staff('OPS'),
      query,
      { from: '2026-11-24', to: '2026-11-20' },
      { now: NOW },
    );
    expect(backwards.errors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'to' })]);
    const finance = await gql(
      db,
      staff('FINANCE'),
      query,
      { from: '2026-11-24', to: '2026-11-24' },
      { now: NOW },
    );
    expect(finance.errors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    const admin = await gql(
      db,
      staff('ADMIN'),
      query,
      { from: '2026-11-24', to: '2026-11-24' },
      { now: NOW },
    );
    expect(admin.errors).toEqual([]);
  });

  describe('CSV export', () => {
    const secret = 'reports-test-secret-0123456789-abcdefghij';
    let server: Server;
    let base: string;
    const token = (...roles: Parameters<typeof staff>) =>
      issueStaffToken(secret, { userId: OWNER_A, username: 'zhang', roles }, NOW);
    const errorOf = async (res: Response) =>
      ((await res.json()) as { error: { code: string; message: string } }).error;
    const get = (path: string, authorization?: string) =>
      fetch(`${base}${path}`, { headers: authorization ? { authorization } : {} });

    beforeAll(async () => {
      const auth = await AuthService.open(db.orm, secret);
      const app = express();
      mountReports(app, { pool: db.pool, auth, logger: silentLogger, now: () => NOW });
      server = createServer(app);
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    });

    it('sends UTF-8 with a BOM, one Chinese header row and a row per stage, group and owner', async () => {
      const res = await get('/reports/timeout.csv?from=2026-11-24&to=2026-11-24', `Bearer ${token('OPS')}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe(
        'attachment; filename="timeout-report_2026-11-24_2026-11-24.csv"',
      );
      const bytes = Buffer.from(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split('\r\n');
      expect(lines.pop()).toBe('');
      expect(lines[0]).toBe(TIMEOUT_CSV_HEADERS.join(','));
      expect(lines[0]).toBe(
        '环节,环节代码,处理组,处理组ID,负责人,负责人ID,处理单量,按时完成,超时完成,按时率,平均处理时长(分钟),P90处理时长(分钟),升级次数,未完成且已超时',
      );
      expect(lines.slice(1)).toEqual([
        `付款 → 拣货中,${PICKING},华东组,east,张主管,${OWNER_A},4,2,2,50.0%,140.0,210.0,8,3`,
        `已打包 → 已发货,${SHIPPED},华东组,east,,,1,1,0,100.0%,30.0,30.0,0,0`,
        `付款 → 仓库已接单,${ACCEPTED},华西组,west,李组长,${OWNER_B},3,2,1,66.7%,22.2,31.5,0,0`,
      ]);
    });

    it('refuses without a token or with a bad one (401), and a role outside operations (403)', async () => {
      const anonymous = await get('/reports/timeout.csv?from=2026-11-24&to=2026-11-24');
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toEqual({
        error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
      });
      const forged = await get(
        '/reports/timeout.csv?from=2026-11-24&to=2026-11-24',
        `Bearer ${token('OPS')}x`,
      );
      expect(forged.status).toBe(401);
      expect((await errorOf(forged)).code).toBe('UNAUTHENTICATED');
      const finance = await get(
        '/reports/timeout.csv?from=2026-11-24&to=2026-11-24',
        `Bearer ${token('FINANCE')}`,
      );
      expect(finance.status).toBe(403);
      expect((await errorOf(finance)).code).toBe('FORBIDDEN');
    });

    it('answers 400 naming the argument for a bad or missing date', async () => {
      const bad = await get('/reports/timeout.csv?from=2026-11-24&to=2026-11-31', `Bearer ${token('OPS')}`);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        error: { code: 'BAD_USER_INPUT', message: expect.stringMatching(/^to: /) },
      });
      const missing = await get('/reports/timeout.csv?to=2026-11-24', `Bearer ${token('SUPERVISOR')}`);
      expect(missing.status).toBe(400);
      expect((await errorOf(missing)).message).toMatch(/^from: /);
    });
  });
});
