import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillFormat } from '../../../api/src/domain/bills/bill-format.js';
import { jdSettlement } from '../../../api/src/domain/bills/jd-settlement.js';
import { taobaoSettlement } from '../../../api/src/domain/bills/taobao-settlement.js';
import { wechatFundBill } from '../../../api/src/domain/bills/wechat-fund-bill.js';
import { wechatTradeBill } from '../../../api/src/domain/bills/wechat-trade-bill.js';
import { importBill } from '../../../api/src/modules/ledger/ledger.store.js';
import * as samples from '../../support/bill-samples.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import * as platform from '../../support/platform-bill-samples.js';

let db: MigratedDb;
beforeAll(async () => {
  db = await openMigratedDb('bill_import_formats');
});
afterAll(async () => {
  await db?.close();
});

const dir = samples.tempDir();
let n = 0;
async function load(format: BillFormat, channel: string, content: string) {
  const path = join(dir, `${++n}.csv`);
  samples.writeText(path, content);
  return importBill(db.pool, {
    path,
    fileName: `${format.id}.csv`,
    format,
    channel,
    importedBy: 'wang.fin',
    now: new Date('2026-11-28T01:00:00Z'),
  });
}
const ledger = async (gateway: string) =>
  (
    await db.pool.query(
      `select kind, record_no, amount_cents::text as amount from money_record where gateway = $1 order by id`,
      [gateway],
    )
  ).rows
    .map((r) => `${r.kind} ${r.record_no} ${r.amount}`)
    .sort();
const sorted = (lines: string[]) => [...lines].sort();

const PAYMENT: platform.WechatFundRow = {
  time: '2026-11-20 10:00:00',
  businessNo: '4200000009',
  flowNo: 'F1',
  type: '交易',
  direction: '收入',
  amountCents: 10_000n,
  voucherNo: 'H1',
};
const FEE: platform.WechatFundRow = {
  ...PAYMENT,
  flowNo: 'F2',
  type: '扣除交易手续费',
  direction: '支出',
  amountCents: 60n,
};

describe('importing the fund bill and the platform settlements', () => {
  it('books a fund bill once, the same file again and the trade bill of the same money change nothing', async () => {
    const bill = platform.wechatFundBill([PAYMENT, FEE]);
    const first = await load(wechatFundBill, 'WEBSHOP', bill);
    expect(first).toMatchObject({ ok: true, alreadyImported: false, summary: { entries: 2, inserted: 2 } });
    expect(await load(wechatFundBill, 'WEBSHOP', bill)).toMatchObject({ ok: true, alreadyImported: true });
    const trade = samples.wechatTradeBill([
      {
        time: '2026-11-20 10:00:00',
        transactionId: '4200000009',
        orderNo: 'H1',
        state: 'SUCCESS',
        settledCents: 10_000n,
        feeCents: 60n,
      },
    ]);
    expect(await load(wechatTradeBill, 'WEBSHOP', trade)).toMatchObject({
      ok: true,
      summary: { entries: 1, inserted: 0 },
    });
    expect(await ledger('WECHAT')).toEqual(sorted(['PAYMENT 4200000009 10000', 'FEE F2 60']));
  });

  it('refuses a malformed fund bill whole: rows before the defect are not booked', async () => {
    const rows = [
      { ...PAYMENT, businessNo: '4200000010', flowNo: 'F3' },
      { ...FEE, businessNo: '4200000010', flowNo: 'F4' },
    ];
    const broken = platform.wechatFundBill(rows).replace('`扣除交易手续费', '`未知');
    expect(await load(wechatFundBill, 'WEBSHOP', broken)).toEqual({
      ok: false,
      defect: { line: 3, field: '业务类型', reason: expect.stringContaining('未知') },
    });
    expect(await ledger('WECHAT')).toEqual(sorted(['PAYMENT 4200000009 10000', 'FEE F2 60']));
  });

  it('imports Taobao and JD settlements once, and a malformed one not at all', async () => {
    const taobao = platform.taobaoSettlement([
      {
        settledAt: '2026-11-27 08:00:00',
        lineNo: 'TB1',
        tid: '3901',
        alipayNo: '2026A',
        stepTradeStatus: 'FRONT_PAID_FINAL_NOPAID',
        paidCents: 5_000n,
        couponCents: 300n,
        shippingSubsidyCents: 0n,
        commissionCents: 250n,
      },
    ]);
    expect(await load(taobaoSettlement, 'TAOBAO', taobao)).toMatchObject({
      ok: true,
      summary: { inserted: 4 },
    });
    expect(await load(taobaoSettlement, 'TAOBAO', taobao)).toMatchObject({ ok: true, alreadyImported: true });
    expect(await ledger('TAOBAO')).toEqual(
      sorted([
        'PAYMENT TB1 5000',
        'SETTLEMENT TB1:结算金额 5050',
        'SUBSIDY TB1:平台优惠券 300',
        'FEE TB1:佣金 250',
      ]),
    );

    const jdRows: platform.JdRow[] = [
      {
        orderNo: '2901',
        documentNo: 'JD1',
        item: '货款',
        amountCents: 9_900n,
        settledAt: '2026-11-27 09:00:00',
      },
      {
        orderNo: '2901',
        documentNo: 'JD1',
        item: '佣金',
        amountCents: -495n,
        settledAt: '2026-11-27 09:00:00',
      },
    ];
    const broken = platform.jdSettlement([...jdRows, { ...jdRows[1], item: '佣金', settledAt: 'soon' }]);
    expect(await load(jdSettlement, 'JD', broken)).toMatchObject({
      ok: false,
      defect: { line: 4, field: '结算时间' },
    });
    expect(await ledger('JD')).toEqual(sorted([]));
    expect(await load(jdSettlement, 'JD', platform.jdSettlement(jdRows))).toMatchObject({
      ok: true,
      summary: { inserted: 2 },
    });
    // The same lines in another file (a re-issued statement) are known, not booked twice.
    const reissued = platform.jdSettlement([...jdRows, { ...jdRows[0], documentNo: 'JD2', orderNo: '2902' }]);
    expect(await load(jdSettlement, 'JD', reissued)).toMatchObject({
      ok: true,
      summary: { entries: 3, inserted: 1 },
    });
    expect(await ledger('JD')).toEqual(
      sorted(['PAYMENT JD1:货款 9900', 'FEE JD1:佣金 495', 'PAYMENT JD2:货款 9900']),
    );
  });
});
