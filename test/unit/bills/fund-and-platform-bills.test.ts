import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BillFormat, LedgerEntry } from '../../../api/src/domain/bills/bill-format.js';
import { jdSettlement } from '../../../api/src/domain/bills/jd-settlement.js';
import { taobaoSettlement } from '../../../api/src/domain/bills/taobao-settlement.js';
import { wechatFundBill } from '../../../api/src/domain/bills/wechat-fund-bill.js';
import { wechatTradeBill } from '../../../api/src/domain/bills/wechat-trade-bill.js';
import { BillRejected, readBill } from '../../../api/src/modules/ledger/bill-reader.js';
import * as samples from '../../support/bill-samples.js';
import * as platform from '../../support/platform-bill-samples.js';

const dir = samples.tempDir();
let n = 0;
async function read(format: BillFormat, content: string | Buffer) {
  const path = join(dir, `${++n}-bill.csv`);
  samples.writeText(path, content);
  const entries: LedgerEntry[] = [];
  const counts = await readBill(path, format, async (batch) => void entries.push(...batch), 2);
  return { entries, counts };
}
async function refusal(format: BillFormat, content: string | Buffer) {
  const error = await read(format, content).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BillRejected);
  return (error as BillRejected).defect;
}
const brief = (entries: LedgerEntry[]) =>
  entries.map((e) => [e.kind, e.recordNo, e.paymentNo, e.merchantOrderNo, e.part, e.lineType, e.amountCents]);

const FUND_ROWS: platform.WechatFundRow[] = [
  {
    time: '2026-11-20 23:59:59',
    businessNo: '4200000001202611200001',
    flowNo: '1900000109202611200000000001',
    type: '交易',
    direction: '收入',
    amountCents: 12_345n,
    voucherNo: 'W1001',
  },
  {
    time: '2026-11-20 23:59:59',
    businessNo: '4200000001202611200001',
    flowNo: '1900000109202611200000000002',
    type: '扣除交易手续费',
    direction: '支出',
    amountCents: 74n,
    voucherNo: 'W1001',
  },
  {
    time: '2026-11-21 10:00:00',
    businessNo: '50300000012026112100001',
    flowNo: '1900000109202611210000000003',
    type: '退款',
    direction: '支出',
    amountCents: 2_345n,
    voucherNo: 'W1001',
  },
  {
    time: '2026-11-21 11:00:00',
    businessNo: '1900000109202611210000009',
    flowNo: '1900000109202611210000000004',
    type: '提现',
    direction: '支出',
    amountCents: 5_000n,
    voucherNo: '',
  },
];

describe('WeChat Pay fund bill', () => {
  it('reads payments, fees and refunds by column name, backticks removed, balance and summary checked', async () => {
    const { entries, counts } = await read(wechatFundBill, platform.wechatFundBill(FUND_ROWS));
    expect(counts).toEqual({ lines: 7, entries: 3 });
    expect(brief(entries)).toEqual([
      ['PAYMENT', '4200000001202611200001', '4200000001202611200001', 'W1001', null, null, 12_345n],
      ['FEE', '1900000109202611200000000002', '4200000001202611200001', 'W1001', null, '扣除交易手续费', 74n],
      ['REFUND', '50300000012026112100001', null, 'W1001', null, null, 2_345n],
    ]);
    expect(entries[0]).toMatchObject({ gateway: 'WECHAT', currency: 'CNY' });
    expect(entries[0].occurredAt).toEqual(new Date('2026-11-20T15:59:59Z'));
  });

  it('keeps the trade bill’s identity for a payment and a refund, so both bills book the money once', async () => {
    const fund = (await read(wechatFundBill, platform.wechatFundBill(FUND_ROWS))).entries;
    const trade = (
      await read(
        wechatTradeBill,
        samples.wechatTradeBill([
          {
            time: '2026-11-20 23:59:58',
            transactionId: '4200000001202611200001',
            orderNo: 'W1001',
            state: 'SUCCESS',
            settledCents: 12_345n,
            feeCents: 74n,
          },
          {
            time: '2026-11-21 10:00:00',
            transactionId: '4200000001202611200001',
            orderNo: 'W1001',
            state: 'REFUND',
            settledCents: 0n,
            refundNo: '50300000012026112100001',
            refundCents: 2_345n,
            feeCents: 0n,
          },
        ]),
      )
    ).entries;
    const identity = (e: LedgerEntry) => `${e.gateway}/${e.kind}/${e.recordNo}`;
    expect(trade.map(identity)).toEqual(fund.filter((e) => e.kind !== 'FEE').map(identity));
  });

  it('refuses a summary that disagrees with the rows, or a file without one', async () => {
    const body = [platform.WECHAT_FUND_HEADER.join(','), ...platform.wechatFundLines(FUND_ROWS)].join('\r\n');
    expect(
      await refusal(
        wechatFundBill,
        `${body}\r\n${platform.wechatFundSummary(FUND_ROWS, { count: '5' })}\r\n`,
      ),
    ).toEqual({ line: 7, field: null, reason: 'the summary says 资金流水总笔数 5, the rows add up to 4' });
    expect(
      (
        await refusal(
          wechatFundBill,
          `${body}\r\n${platform.wechatFundSummary(FUND_ROWS, { income: '123.46' })}`,
        )
      ).reason,
    ).toBe('the summary says 收入金额 123.46, the rows add up to 123.45');
    expect(
      await refusal(
        wechatFundBill,
        `${body}\r\n${platform.wechatFundSummary(FUND_ROWS, { income: '12o.00' })}`,
      ),
    ).toMatchObject({ line: 7, field: '收入金额' });
    expect((await refusal(wechatFundBill, body)).reason).toContain('cut short');
  });

  it('names the line and the field of a bad row', async () => {
    const bill = platform.wechatFundBill(FUND_ROWS);
    expect(await refusal(wechatFundBill, bill.replace('`123.45', '`12x.45'))).toEqual({
      line: 2,
      field: '收支金额(元)',
      reason: '收支金额(元) is not an amount in yuan: "12x.45"',
    });
    expect(await refusal(wechatFundBill, bill.replace('`扣除交易手续费', '`分账'))).toMatchObject({
      line: 3,
      field: '业务类型',
    });
    const wrongWay = bill.replace('`退款,`支出', '`退款,`收入');
    expect(await refusal(wechatFundBill, wrongWay)).toEqual({
      line: 4,
      field: '收支类型',
      reason: '业务类型 退款 is 收支类型 支出, not 收入',
    });
    // A balance that does not follow from the row before: a row is missing or altered.
    const lines = platform.wechatFundLines(FUND_ROWS);
    const skipped = [platform.WECHAT_FUND_HEADER.join(','), lines[0], lines[2], lines[3]].join('\r\n');
    expect(
      await refusal(wechatFundBill, `${skipped}\r\n${platform.wechatFundSummary(FUND_ROWS)}`),
    ).toMatchObject({
      line: 3,
      field: '账户结余(元)',
    });
    expect(await refusal(wechatFundBill, bill.replace('`W1001', '`'))).toMatchObject({
      line: 2,
      field: '业务凭证号',
    });
    expect(await refusal(wechatFundBill, bill.replace('业务凭证号', '凭证号'))).toMatchObject({
      line: 1,
      field: '业务凭证号',
    });
  });
});

const TAOBAO_ROWS: platform.TaobaoRow[] = [
  {
    settledAt: '2026-11-27 08:00:00',
    lineNo: 'TBJS0001',
    tid: '3901234567890001',
    alipayNo: '2026112022001400011',
    stepTradeStatus: '',
    paidCents: 19_900n,
    couponCents: 1_000n,
    shippingSubsidyCents: 0n,
    commissionCents: 995n,
  },
  {
    settledAt: '2026-11-27 08:00:01',
    lineNo: 'TBJS0002',
    tid: '3901234567890002',
    alipayNo: '2026111122001400012',
    stepTradeStatus: 'FRONT_PAID_FINAL_NOPAID',
    paidCents: 5_000n,
    couponCents: 0n,
    shippingSubsidyCents: 600n,
    commissionCents: 0n,
  },
  {
    settledAt: '2026-11-27 08:00:02',
    lineNo: 'TBJS0003',
    tid: '3901234567890002',
    alipayNo: '2026112022001400013',
    stepTradeStatus: 'FRONT_PAID_FINAL_PAID',
    paidCents: 15_000n,
    couponCents: 0n,
    shippingSubsidyCents: 0n,
    commissionCents: 1_000n,
  },
];

describe('Taobao / Tmall settlement', () => {
  it('splits each row into named lines, the part read from step_trade_status', async () => {
    const { entries } = await read(taobaoSettlement, platform.taobaoSettlement(TAOBAO_ROWS));
    expect(entries.map((e) => [e.kind, e.part, e.lineType, e.amountCents])).toEqual([
      ['PAYMENT', 'FULL', null, 19_900n],
      ['SETTLEMENT', 'FULL', '结算金额', 19_905n],
      ['SUBSIDY', 'FULL', '平台优惠券', 1_000n],
      ['FEE', 'FULL', '佣金', 995n],
      ['PAYMENT', 'DEPOSIT', null, 5_000n],
      ['SETTLEMENT', 'DEPOSIT', '结算金额', 5_600n],
      ['SUBSIDY', 'DEPOSIT', '运费补贴', 600n],
      ['PAYMENT', 'BALANCE', null, 15_000n],
      ['SETTLEMENT', 'BALANCE', '结算金额', 14_000n],
      ['FEE', 'BALANCE', '佣金', 1_000n],
    ]);
    expect(entries[0]).toMatchObject({
      gateway: 'TAOBAO',
      recordNo: 'TBJS0001',
      paymentNo: '2026112022001400011',
      merchantOrderNo: '3901234567890001',
    });
    expect(entries[3].recordNo).toBe('TBJS0001:佣金');
  });

  it('reads the columns by name in any order', async () => {
    const text = platform.taobaoSettlement(TAOBAO_ROWS.slice(0, 1));
    const [header, row] = text
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const reversed = `${[...header].reverse().join(',')}\n${[...row].reverse().join(',')}\n`;
    expect((await read(taobaoSettlement, reversed)).entries).toEqual(
      (await read(taobaoSettlement, text)).entries,
    );
  });

  it('refuses an unpaid step, a bad amount and a missing column with the line', async () => {
    const unpaid = platform.taobaoSettlement([
      TAOBAO_ROWS[0],
      { ...TAOBAO_ROWS[1], stepTradeStatus: 'FRONT_NOPAID_FINAL_NOPAID' },
    ]);
    expect(await refusal(taobaoSettlement, unpaid)).toMatchObject({ line: 3, field: 'step_trade_status' });
    const bad = platform.taobaoSettlement(TAOBAO_ROWS).replace(',199.00,', ',199.0.0,');
    expect(await refusal(taobaoSettlement, bad)).toMatchObject({ line: 2, field: '订单实付' });
    const noColumn = platform.taobaoSettlement(TAOBAO_ROWS).replace('支付宝交易号', '交易号');
    expect(await refusal(taobaoSettlement, noColumn)).toMatchObject({ line: 1, field: '支付宝交易号' });
    const short = platform.taobaoSettlement(TAOBAO_ROWS).replace(',商品,', ',');
    expect((await refusal(taobaoSettlement, short)).reason).toBe(
      'the line has 12 fields where the header has 13',
    );
  });
});

const JD_ROWS: platform.JdRow[] = [
  {
    orderNo: '290000000001',
    documentNo: 'JDJS001',
    item: '货款',
    amountCents: 29_900n,
    settledAt: '2026-11-27 09:00:00',
  },
  {
    orderNo: '290000000001',
    documentNo: 'JDJS001',
    item: '佣金',
    amountCents: -1_495n,
    settledAt: '2026-11-27 09:00:00',
  },
  {
    orderNo: '290000000001',
    documentNo: 'JDJS001',
    item: '平台优惠券',
    amountCents: 2_000n,
    settledAt: '2026-11-27 09:00:00',
  },
  {
    orderNo: '290000000001',
    documentNo: 'JDJS001',
    item: '运费补贴',
    amountCents: 600n,
    settledAt: '2026-11-27 09:00:00',
  },
  {
    orderNo: '290000000002',
    documentNo: 'JDJS002',
    item: '预售定金',
    amountCents: 5_000n,
    settledAt: '2026-11-27 09:00:01',
  },
  {
    orderNo: '290000000002',
    documentNo: 'JDJS003',
    item: '预售尾款',
    amountCents: 20_000n,
    settledAt: '2026-11-27 09:00:02',
  },
  {
    orderNo: '290000000001',
    documentNo: 'JDSH004',
    item: '售后退款',
    amountCents: -9_900n,
    settledAt: '2026-11-27 09:00:03',
  },
];

describe('JD settlement', () => {
  it('makes each fee item one named line: payment parts, fees, subsidies, refunds', async () => {
    const { entries } = await read(jdSettlement, platform.jdSettlement(JD_ROWS));
    expect(brief(entries)).toEqual([
      ['PAYMENT', 'JDJS001:货款', 'JDJS001', '290000000001', 'FULL', null, 29_900n],
      ['FEE', 'JDJS001:佣金', 'JDJS001', '290000000001', null, '佣金', 1_495n],
      ['SUBSIDY', 'JDJS001:平台优惠券', 'JDJS001', '290000000001', null, '平台优惠券', 2_000n],
      ['SUBSIDY', 'JDJS001:运费补贴', 'JDJS001', '290000000001', null, '运费补贴', 600n],
      ['PAYMENT', 'JDJS002:预售定金', 'JDJS002', '290000000002', 'DEPOSIT', null, 5_000n],
      ['PAYMENT', 'JDJS003:预售尾款', 'JDJS003', '290000000002', 'BALANCE', null, 20_000n],
      ['REFUND', 'JDSH004:售后退款', 'JDSH004', '290000000001', null, null, 9_900n],
    ]);
    expect(entries[0]).toMatchObject({ gateway: 'JD', occurredAt: new Date('2026-11-27T01:00:00Z') });
  });

  it('refuses an unknown fee item, a bad time and a missing column with the line', async () => {
    const unknown = platform.jdSettlement([JD_ROWS[0], { ...JD_ROWS[1], item: '广告费' }]);
    expect(await refusal(jdSettlement, unknown)).toMatchObject({ line: 3, field: '费用项' });
    const badTime = platform.jdSettlement([{ ...JD_ROWS[0], settledAt: '2026-11-31 09:00:00' }]);
    expect(await refusal(jdSettlement, badTime)).toMatchObject({ line: 2, field: '结算时间' });
    const noColumn = platform.jdSettlement(JD_ROWS).replace('订单编号', '订单');
    expect(await refusal(jdSettlement, noColumn)).toMatchObject({ line: 1, field: '订单编号' });
  });
});
