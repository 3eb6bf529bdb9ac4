import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import yazl from 'yazl';
import { formatYuan } from '../../api/src/domain/reconciliation/money.js';

/**
 * Bill files in their real shapes, built from the documented columns for tests and benchmarks:
 * nothing here is a captured bill, and nothing generated is committed.
 */

export const tempDir = (prefix = 'bills-') => mkdtempSync(join(tmpdir(), prefix));

export interface WechatRow {
  time: string;
  transactionId: string;
  orderNo: string;
  state: 'SUCCESS' | 'REFUND' | 'REVOKED';
  settledCents: bigint;
  refundNo?: string;
  refundCents?: bigint;
  feeCents: bigint;
}

export const WECHAT_TRADE_HEADER = [
  '交易时间',
  '公众账号ID',
  '商户号',
  '特约商户号',
  '设备号',
  '微信订单号',
  '商户订单号',
  '用户标识',
  '交易类型',
  '交易状态',
  '付款银行',
  '货币种类',
  '应结订单金额',
  '代金券金额',
  '微信退款单号',
  '商户退款单号',
  '退款金额',
  '充值券退款金额',
  '退款类型',
  '退款状态',
  '商品名称',
  '商户数据包',
  '手续费',
  '费率',
  '订单金额',
  '申请退款金额',
  '费率备注',
];

export function wechatTradeLine(r: WechatRow): string {
  const refund = r.refundCents ?? 0n;
  const cells = [
    r.time,
    'wx2421b1c4370ec43b',
    '1900000109',
    '0',
    '',
    r.transactionId,
    r.orderNo,
    'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
    'JSAPI',
    r.state,
    'CMC',
    'CNY',
    formatYuan(r.settledCents),
    '0.00',
    r.refundNo ?? '0',
    r.refundNo ? `R${r.orderNo}` : '0',
    formatYuan(refund),
    '0.00',
    r.refundNo ? 'ORIGINAL' : '',
    r.refundNo ? 'SUCCESS' : '',
    '商品',
    '',
    formatYuan(r.feeCents),
    '0.60%',
    formatYuan(r.settledCents),
    formatYuan(refund),
    '',
  ];
  return cells.map((c) => `\`${c}`).join(',');
}

export function wechatSummary(
  rows: readonly WechatRow[],
  tamper: Partial<Record<'count' | 'settled', string>> = {},
): string {
  const sum = (f: (r: WechatRow) => bigint) => rows.reduce((s, r) => s + f(r), 0n);
  const settled = sum((r) => r.settledCents);
  return [
    '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
    [
      tamper.count ?? String(rows.length),
      tamper.settled ?? formatYuan(settled),
      formatYuan(sum((r) => r.refundCents ?? 0n)),
      '0.00',
      formatYuan(sum((r) => r.feeCents)),
      formatYuan(settled),
      formatYuan(sum((r) => r.refundCents ?? 0n)),
    ]
      .map((c) => `\`${c}`)
      .join(','),
  ].join('\r\n');
}

export function wechatTradeBill(rows: readonly WechatRow[]): string {
  return (
    [WECHAT_TRADE_HEADER.join(','), ...rows.map(wechatTradeLine), wechatSummary(rows)].join('\r\n') + '\r\n'
  );
}

/** Streams a WeChat bill of `count` generated payments to `path` (for the import benchmark). */
export async function writeLargeWechatBill(
  path: string,
  count: number,
  row: (i: number) => WechatRow,
): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) =>
    new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', () => resolve())));
  await write(`${WECHAT_TRADE_HEADER.join(',')}\r\n`);
  let settled = 0n;
  let fees = 0n;
  for (let i = 0; i < count; i++) {
    const r = row(i);
    settled += r.settledCents;
    fees += r.feeCents;
    await write(`${wechatTradeLine(r)}\r\n`);
  }
  const totals = [
    String(count),
    formatYuan(settled),
    '0.00',
    '0.00',
    formatYuan(fees),
    formatYuan(settled),
    '0.00',
  ];
  await write(
    `总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n${totals.map((c) => `\`${c}`).join(',')}\r\n`,
  );
  await new Promise<void>((resolve) => out.end(resolve));
}

export interface AlipayRow {
  tradeNo: string;
  orderNo: string;
  type: '交易' | '退款';
  finishedAt: string;
  amountCents: bigint;
  feeCents: bigint;
  refundBatchNo?: string;
  redPacketCents?: bigint;
}

export const ALIPAY_HEADER = [
  '支付宝交易号',
  '商户订单号',
  '业务类型',
  '商品名称',
  '创建时间',
  '完成时间',
  '门店编号',
  '门店名称',
  '操作员',
  '终端号',
  '对方账户',
  '订单金额（元）',
  '商家实收（元）',
  '支付宝红包（元）',
  '集分宝（元）',
  '支付宝优惠（元）',
  '商家优惠（元）',
  '券核销金额（元）',
  '券名称',
  '商家红包消费金额（元）',
  '卡消费金额（元）',
  '退款批次号/请求号',
  '服务费（元）',
  '分润（元）',
  '备注',
];

/** The account bill as Alipay writes it: `#` notes around the table, padded fields; returned as GBK bytes. */
export function alipayAccountBill(rows: readonly AlipayRow[]): Buffer {
  const pad = (c: string) => `${c}\t`;
  const sign = (r: AlipayRow, cents: bigint) => (r.type === '退款' ? -cents : cents);
  const lines = [
    '#支付宝业务明细查询',
    '#账号：[20880000000000000156]',
    '#起始日期：[2026年11月20日 00:00:00]   终止日期：[2026年11月21日 00:00:00]',
    '#-----------------------------------------业务明细列表----------------------------------------',
    ALIPAY_HEADER.join(','),
    ...rows.map((r) =>
      [
        r.tradeNo,
        r.orderNo,
        r.type,
        '商品',
        r.finishedAt,
        r.finishedAt,
        '',
        '',
        '',
        '',
        'buyer***@example.com',
        formatYuan(sign(r, r.amountCents)),
        formatYuan(sign(r, r.amountCents - r.feeCents)),
        formatYuan(r.redPacketCents ?? 0n),
        '0.00',
        '0.00',
        '0.00',
        '0.00',
        '',
        '0.00',
        '0.00',
        r.refundBatchNo ?? '',
        formatYuan(-r.feeCents),
        '0.00',
        '',
      ]
        .map(pad)
        .join(','),
    ),
    '#-----------------------------------------业务明细列表结束------------------------------------',
    `#交易合计：${rows.filter((r) => r.type === '交易').length}笔`,
    '#导出时间：[2026年11月21日 09:12:40]',
  ];
  return iconv.encode(lines.join('\r\n'), 'gbk');
}

/** Zips files the way Alipay ships them: a detail file and a 汇总 (summary) one. */
export async function zipFiles(path: string, files: Array<{ name: string; data: Buffer }>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const file of files) zip.addBuffer(file.data, file.name, { forceDosTimestamp: true });
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path);
    zip.outputStream.pipe(out).on('close', resolve).on('error', reject);
  });
}

export const writeText = (path: string, text: string | Buffer) => writeFileSync(path, text);
