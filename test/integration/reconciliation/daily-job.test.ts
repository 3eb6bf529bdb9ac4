import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresBackend } from '@agendajs/postgres-backend';
import { Agenda } from 'agenda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import {
  RECONCILIATION_DAILY_JOB,
  scheduleDailyReconciliation,
} from '../../../api/src/jobs/reconciliation-daily.job.js';
import { billFormats } from '../../../api/src/modules/ledger/bill-formats.js';
import { pickUpBills } from '../../../api/src/modules/ledger/bill-pickup.js';
import { reconciliationSettings } from '../../../api/src/modules/reconciliation/reconciliation-settings.js';
import { runScheduledReconciliation } from '../../../api/src/modules/reconciliation/scheduled-run.js';
import * as samples from '../../support/bill-samples.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import { generateSet } from '../../support/reconciliation-set.js';

const settings = reconciliationSettings({
  RECONCILIATION_SETTLEMENT_DAYS: '{"WEBSHOP":1,"TAOBAO":2,"DOUYIN":2}',
  RECONCILIATION_CATCH_UP_DAYS: '5',
});
let db: MigratedDb;

beforeAll(async () => {
  db = await openMigratedDb('reconciliation_daily');
  await generateSet(db.pool, { orders: 60, firstDay: '2026-11-18', days: 3 });
});
afterAll(() => db?.close());

const at = (local: string) => new Date(`${local}+08:00`);
const runs = async () =>
  (
    await db.pool.query(
      `select to_char(from_date, 'YYYY-MM-DD') as f, to_char(to_date, 'YYYY-MM-DD') as t, trigger, state from reconciliation_run order by started_at`,
    )
  ).rows;

describe('the daily reconciliation', () => {
  it('runs yesterday and the days inside the settlement window, then catches up days missed while down', async () => {
    const first = await runScheduledReconciliation(db.pool, settings, at('2026-11-20T02:00:00'));
    // Yesterday and the 3 days before it (the longest window: the default T+3).
    expect(first).toMatchObject({ state: 'DONE', fromDate: '2026-11-16', toDate: '2026-11-19' });
    // The worker was down from the 21st to the 26th: the run at 02:00 on the 27th covers the 20th to the 26th, less
    // what lies beyond the catch-up limit (5 days back: from the 21st).
    const after = await runScheduledReconciliation(db.pool, settings, at('2026-11-27T02:00:00'));
    expect(after).toMatchObject({ state: 'DONE', fromDate: '2026-11-21', toDate: '2026-11-26' });
    expect(await runs()).toEqual([
      { f: '2026-11-16', t: '2026-11-19', trigger: 'SCHEDULE', state: 'DONE' },
      { f: '2026-11-21', t: '2026-11-26', trigger: 'SCHEDULE', state: 'DONE' },
    ]);
    // Money of the 19th not booked yet at 02:00 on the 20th is pending, not missing.
    const pending = await db.pool.query(
      `select count(*)::int as n from reconciliation_item where outcome = 'PENDING_SETTLEMENT'`,
    );
    expect(pending.rows[0].n).toBeGreaterThan(0);
  });

  it('is one recurring Agenda job on the Shanghai cron', async () => {
    const backend = new PostgresBackend({ connectionString: db.url, tableName: 'agenda_jobs' });
    const agenda = new Agenda({
      name: 'test',
      processEvery: 60_000,
      backend,
    });
    await agenda.ready;
    try {
      await scheduleDailyReconciliation(agenda, {
        pool: db.pool,
        settings,
        logger: createLogger('silent', 'test'),
      });
      await scheduleDailyReconciliation(agenda, {
        pool: db.pool,
        settings,
        logger: createLogger('silent', 'test'),
      });
      const jobs = await agenda.queryJobs({ name: RECONCILIATION_DAILY_JOB });
      expect(jobs.jobs).toHaveLength(1);
      const job = jobs.jobs[0];
      expect(job.repeatInterval).toBe('0 2 * * *');
      expect(job.repeatTimezone).toBe('Asia/Shanghai');
      // The next run is at 02:00 Shanghai time (18:00 UTC).
      expect(new Date(job.nextRunAt!).getUTCHours()).toBe(18);
    } finally {
      // Never started: Agenda's stop() would leave the job store's connections open.
      await backend.disconnect();
    }
  });
});

describe('bill folder pick-up', () => {
  it('imports bills dropped per channel and format, and sets refused ones aside with the reason', async () => {
    const dir = samples.tempDir('pickup-');
    const folder = join(dir, 'WEBSHOP', 'WECHAT_TRADE');
    mkdirSync(folder, { recursive: true });
    const row = {
      time: '2026-11-20 10:00:00',
      transactionId: 'PK1',
      orderNo: 'PKO1',
      state: 'SUCCESS' as const,
      settledCents: 500n,
      feeCents: 3n,
    };
    writeFileSync(join(folder, 'good.csv'), samples.wechatTradeBill([row]));
    writeFileSync(
      join(folder, 'bad.csv'),
      samples.wechatTradeBill([{ ...row, transactionId: 'PK2' }]).replace('`5.00', '`5.0x'),
    );
    const results = await pickUpBills(db.pool, dir, billFormats(settings.unionPayColumns), new Date());
    expect(results.map((r) => [r.file.split('/').pop(), r.outcome]).sort()).toEqual([
      ['bad.csv', 'REJECTED'],
      ['good.csv', 'IMPORTED'],
    ]);
    expect(readdirSync(join(folder, 'done'))).toEqual(['good.csv']);
    expect(readFileSync(join(folder, 'rejected', 'bad.csv.reason.txt'), 'utf8')).toContain(
      'line 2 (应结订单金额)',
    );
    expect(
      (await db.pool.query(`select count(*)::int as n from money_record where record_no in ('PK1', 'PK2')`))
        .rows[0].n,
    ).toBe(1);
  });
});
