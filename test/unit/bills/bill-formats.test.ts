import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { alipayAccountBill } from '../../../api/src/domain/bills/alipay-account-bill.js';
import type { BillFormat, LedgerEntry } from '../../../api/src/domain/bills/bill-format.js';
import { douyinSettlement } from '../../../api/src/domain/bills/douyin-settlement.js';
import { unionPayDailyFile, unionPayEntry } from '../../../api/src/domain/bills/unionpay.js';
import { wechatTradeBill } from '../../../api/src/domain/bills/wechat-trade-bill.js';
import { BillRejected, readBill } from '../../../api/src/modules/ledger/bill-reader.js';
import * as samples from '../../support/bill-samples.js';

const dir = samples.tempDir();
let n = 0;
async function read(format: BillFormat, content: string | Buffer, name = 'bill.csv') {
  const path = join(dir, `${++n}-${name}`);
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

const WECHAT_ROWS: samples.WechatRow[] = [
  {
    time: '2026-11-20 23:59:58',
    transactionId: '4200000001202611200001',
    orderNo: 'W1001',
    state: 'SUCCESS',
    settledCents: 12_345n,
    feeCents: 74n,
  },
  {
    time: '2026-11-21 00:00:03',
    transactionId: '4200000001202611200002',
    orderNo: 'W1002',
    state: 'SUCCESS',
    settledCents: 100n,
    feeCents: 1n,
  },
  {
    time: '2026-11-21 10:00:00',
    transactionId: '4200000001202611200001',
    orderNo: 'W1001',
    state: 'REFUND',
    settledCents: 0n,
    refundNo: '50300000012026112100001',
    refundCents: 2_345n,
    feeCents: -14n,
  },
];

describe('WeChat Pay trade bill', () => {
  it('reads payments and refunds by column name, backticks removed, summary checked', async () => {
    const { entries, counts } = await read(wechatTradeBill, samples.wechatTradeBill(WECHAT_ROWS));
    expect(counts).toEqual({ lines: 6, entries: 3 });
    expect(entries[0]).toEqual({
      kind: 'PAYMENT',
      gateway: 'WECHAT',
      recordNo: '4200000001202611200001',
      paymentNo: '4200000001202611200001',
      merchantOrderNo: 'W1001',
      part: null,
      lineType: null,
      amountCents: 12_345n,
      feeCents: 74n,
      currency: 'CNY',
      occurredAt: new Date('2026-11-20T15:59:58Z'),
    });
    expect(entries[2]).toMatchObject({
      kind: 'REFUND',
      recordNo: '50300000012026112100001',
      paymentNo: '4200000001202611200001',
      amountCents: 2_345n,
    });
  });

  it('reads the older merchants’ 总金额 column', async () => {
    const text = samples.wechatTradeBill(WECHAT_ROWS.slice(0, 1)).replace('应结订单金额', '总金额');
    expect((await read(wechatTradeBill, text)).entries[0].amountCents).toBe(12_345n);
  });

  it('refuses a file whose summary disagrees with its rows, or that has none', async () => {
    const body = [samples.WECHAT_TRADE_HEADER.join(','), ...WECHAT_ROWS.map(samples.wechatTradeLine)].join(
      '\r\n',
    );
    expect(
      await refusal(wechatTradeBill, `${body}\r\n${samples.wechatSummary(WECHAT_ROWS, { count: '4' })}\n`),
    ).toMatchObject({
      line: 6,
      reason: 'the summary says 总交易单数 4, the rows add up to 3',
    });
    expect(
      (
        await refusal(
          wechatTradeBill,
          `${body}\r\n${samples.wechatSummary(WECHAT_ROWS, { settled: '124.46' })}`,
        )
      ).reason,
    ).toContain('应结订单总金额');
    expect((await refusal(wechatTradeBill, body)).reason).toContain('cut short');
  });

  it('names the line and the field of a bad row', async () => {
    const text = samples.wechatTradeBill(WECHAT_ROWS).replace('`123.45', '`12x.45');
    expect(await refusal(wechatTradeBill, text)).toEqual({
      line: 2,
      field: '应结订单金额',
      reason: '应结订单金额 is not an amount in yuan: "12x.45"',
    });
    const badTime = samples
      .wechatTradeBill(WECHAT_ROWS)
      .replace('`2026-11-21 00:00:03', '`2026-13-21 00:00:03');
    expect(await refusal(wechatTradeBill, badTime)).toMatchObject({ line: 3, field: '交易时间' });
    const noColumn = samples.wechatTradeBill(WECHAT_ROWS).replace('商户订单号', '订单号');
    expect(await refusal(wechatTradeBill, noColumn)).toMatchObject({ line: 1, field: '商户订单号' });
  });
});

const ALIPAY_ROWS: samples.AlipayRow[] = [
  {
    tradeNo: '2026112022001400001',
    orderNo: 'TB9001',
    type: '交易',
    finishedAt: '2026-11-20 12:00:00',
    amountCents: 20_000n,
    feeCents: 120n,
    redPacketCents: 500n,
  },
  {
    tradeNo: '2026112022001400001',
    orderNo: 'TB9001',
    type: '退款',
    finishedAt: '2026-11-20 18:00:00',
    amountCents: 5_000n,
    feeCents: 0n,
    refundBatchNo: 'RB20261120001',
  },
];

describe('Alipay account bill', () => {
  const expectRows = (entries: LedgerEntry[]) => {
    expect(entries.map((e) => [e.kind, e.recordNo, e.amountCents, e.feeCents, e.lineType])).toEqual([
      ['PAYMENT', '2026112022001400001', 20_000n, 120n, null],
      ['SUBSIDY', '2026112022001400001:支付宝红包（元）', 500n, null, '支付宝红包'],
      ['REFUND', 'RB20261120001', 5_000n, null, null],
    ]);
    expect(entries[2].paymentNo).toBe('2026112022001400001');
  };

  it('reads the GBK file with # notes and padded fields', async () => {
    const { entries, counts } = await read(alipayAccountBill, samples.alipayAccountBill(ALIPAY_ROWS));
    expectRows(entries);
    expect(counts.lines).toBe(7); // the last row; the # notes after it are not records
  });

  it('reads it zipped, beside its 汇总 file', async () => {
    const path = join(dir, 'alipay.zip');
    await samples.zipFiles(path, [
      {
        name: '20880000000000000156_20261120_业务明细(汇总).csv',
        data: iconv.encode('#汇总\r\n类型,笔数\r\n交易,1\r\n', 'gbk'),
      },
      { name: '20880000000000000156_20261120_业务明细.csv', data: samples.alipayAccountBill(ALIPAY_ROWS) },
    ]);
    const entries: LedgerEntry[] = [];
    await readBill(path, alipayAccountBill, async (batch) => void entries.push(...batch));
    expectRows(entries);
  });

  it('refuses a file read as the wrong encoding by naming the missing column', async () => {
    const utf8 = Buffer.from(iconv.decode(samples.alipayAccountBill(ALIPAY_ROWS), 'gbk'), 'utf8');
    expect((await refusal(alipayAccountBill, utf8)).reason).toContain('the header lacks the column');
  });

  it('refuses an unknown 业务类型 with its line', async () => {
    const bytes = samples.alipayAccountBill([{ ...ALIPAY_ROWS[0], type: '转账' as '交易' }]);
    expect(await refusal(alipayAccountBill, bytes)).toMatchObject({ line: 6, field: '业务类型' });
  });
});

describe('UnionPay', () => {
  it('turns notification fields into a payment, txnAmt in fen and txnTime in Shanghai time', () => {
    const entry = unionPayEntry({
      orderId: 'U1',
      queryId: 'Q1',
      txnAmt: '000000012345',
      txnTime: '20261120235959',
      txnType: '01',
      respCode: '00',
    });
    expect(entry).toMatchObject({
      kind: 'PAYMENT',
      recordNo: 'Q1',
      paymentNo: 'Q1',
      amountCents: 12_345n,
      occurredAt: new Date('2026-11-20T15:59:59Z'),
    });
    expect(
      unionPayEntry({
        orderId: 'U1',
        queryId: 'Q1',
        txnAmt: '1',
        txnTime: '20261120235959',
        txnType: '01',
        respCode: '05',
      }),
    ).toBeNull();
    expect(() =>
      unionPayEntry({
        orderId: 'U1',
        queryId: 'Q1',
        txnAmt: '1.0',
        txnTime: '20261120235959',
        txnType: '01',
        respCode: '00',
      }),
    ).toThrow('txnAmt');
  });

  it('reads a daily file through a configured column mapping', async () => {
    const columns = {
      orderId: 'order_id',
      queryId: 'query_id',
      txnAmt: 'amount_fen',
      txnTime: 'txn_time',
      txnType: 'type',
      respCode: 'resp',
      fee: 'fee_fen',
    };
    const csv =
      'resp,type,txn_time,amount_fen,order_id,query_id,fee_fen\n00,01,20261120101010,10000,U2,Q2,50\n00,04,20261121101010,2000,U2,Q3,\n';
    const { entries } = await read(unionPayDailyFile(columns), csv);
    expect(entries.map((e) => [e.kind, e.recordNo, e.amountCents, e.feeCents])).toEqual([
      ['PAYMENT', 'Q2', 10_000n, 50n],
      ['REFUND', 'Q3', 2_000n, null],
    ]);
    expect(await refusal(unionPayDailyFile(), csv)).toMatchObject({ line: 1, field: '商户订单号' });
  });
});

describe('Douyin settlement', () => {
  const HEADER =
    '结算时间,结算单号,订单号,order_type,订单实付应结,平台补贴,运费补贴,佣金,平台服务费,结算金额';
  it('splits each row into named lines: payment part, subsidies, commission, payout', async () => {
    const csv = `${HEADER}\n2026-11-27 08:00:00,JS001,DY5001,1,50.00,3.00,0.00,2.50,0.30,50.20\n`;
    const { entries } = await read(douyinSettlement, csv);
    expect(entries.map((e) => [e.kind, e.part, e.lineType, e.amountCents])).toEqual([
      ['PAYMENT', 'DEPOSIT', null, 5_000n],
      ['SETTLEMENT', 'DEPOSIT', '结算金额', 5_020n],
      ['SUBSIDY', 'DEPOSIT', '平台补贴', 300n],
      ['FEE', 'DEPOSIT', '佣金', 250n],
      ['FEE', 'DEPOSIT', '平台服务费', 30n],
    ]);
    expect(
      await refusal(douyinSettlement, `${HEADER}\n2026-11-27 08:00:00,JS002,DY5002,9,1,0,0,0,0,1\n`),
    ).toMatchObject({ line: 2, field: 'order_type' });
  });
});
