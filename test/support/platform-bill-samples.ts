import { formatYuan } from '../../api/src/domain/reconciliation/money.js';

/**
 * The WeChat Pay fund bill and the Taobao / JD settlement files in their real shapes, built from
 * the documented columns for tests: nothing here is a captured bill.
 */

export interface WechatFundRow {
  time: string;
  businessNo: string;
  flowNo: string;
  type: '交易' | '退款' | '扣除交易手续费' | '提现';
  direction: '收入' | '支出';
  amountCents: bigint;
  voucherNo: string;
}

export const WECHAT_FUND_HEADER = [
  '记账时间',
  '微信支付业务单号',
  '资金流水单号',
  '业务名称',
  '业务类型',
  '收支类型',
  '收支金额(元)',
  '账户结余(元)',
  '资金变更提交申请人',
  '备注',
  '业务凭证号',
];

const BUSINESS_NAMES: Record<WechatFundRow['type'], string> = {
  交易: '交易',
  退款: '退款',
  扣除交易手续费: '交易手续费',
  提现: '提现',
};

/** The fund bill's summary values: count, income count and sum, expense count and sum. */
export function wechatFundSummary(
  rows: readonly WechatFundRow[],
  tamper: Partial<Record<'count' | 'income', string>> = {},
): string {
  const income = rows.filter((r) => r.direction === '收入');
  const expense = rows.filter((r) => r.direction === '支出');
  const sum = (list: readonly WechatFundRow[]) => list.reduce((s, r) => s + r.amountCents, 0n);
  return [
    '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额',
    [
      tamper.count ?? String(rows.length),
      String(income.length),
      tamper.income ?? formatYuan(sum(income)),
      String(expense.length),
      formatYuan(sum(expense)),
    ]
      .map((c) => `\`${c}`)
      .join(','),
  ].join('\r\n');
}

/** Rows with a running 账户结余 from `opening`, each field behind a backtick. */
export function wechatFundLines(rows: readonly WechatFundRow[], opening = 1_000_000n): string[] {
  let balance = opening;
  return rows.map((r) => {
    balance += r.direction === '收入' ? r.amountCents : -r.amountCents;
    return [
      r.time,
      r.businessNo,
      r.flowNo,
      BUSINESS_NAMES[r.type],
      r.type,
      r.direction,
      formatYuan(r.amountCents),
      formatYuan(balance),
      r.type === '提现' ? '1900000109' : 'system',
      '',
      r.voucherNo,
    ]
      .map((c) => `\`${c}`)
      .join(',');
  });
}

export function wechatFundBill(rows: readonly WechatFundRow[]): string {
  return `${[WECHAT_FUND_HEADER.join(','), ...wechatFundLines(rows), wechatFundSummary(rows)].join('\r\n')}\r\n`;
}

export interface TaobaoRow {
  settledAt: string;
  lineNo: string;
  tid: string;
  alipayNo: string;
  stepTradeStatus: '' | 'FRONT_PAID_FINAL_NOPAID' | 'FRONT_PAID_FINAL_PAID' | 'FRONT_NOPAID_FINAL_NOPAID';
  paidCents: bigint;
  couponCents: bigint;
  shippingSubsidyCents: bigint;
  commissionCents: bigint;
}

export const TAOBAO_HEADER = [
  '结算时间',
  '账单流水号',
  '订单号',
  '子订单号',
  '支付宝交易号',
  '商品名称',
  'step_trade_status',
  '订单实付',
  '平台优惠券',
  '运费补贴',
  '佣金',
  '结算金额',
  '备注',
];

/** Settled = paid + what the platform added − what it kept; commission is written negative. */
export function taobaoSettlement(rows: readonly TaobaoRow[]): string {
  const lines = rows.map((r) =>
    [
      r.settledAt,
      r.lineNo,
      r.tid,
      `${r.tid}01`,
      r.alipayNo,
      '商品',
      r.stepTradeStatus,
      formatYuan(r.paidCents),
      formatYuan(r.couponCents),
      formatYuan(r.shippingSubsidyCents),
      formatYuan(-r.commissionCents),
      formatYuan(r.paidCents + r.couponCents + r.shippingSubsidyCents - r.commissionCents),
      '',
    ].join(','),
  );
  return `${[TAOBAO_HEADER.join(','), ...lines].join('\n')}\n`;
}

export interface JdRow {
  orderNo: string;
  documentNo: string;
  item: string;
  /** Signed as JD writes it: deductions negative. */
  amountCents: bigint;
  settledAt: string;
}

export const JD_HEADER = [
  '订单编号',
  '单据编号',
  '单据类型',
  '费用项',
  '金额',
  '币种',
  '商家应收/应付',
  '结算时间',
  '账单日期',
];

export function jdSettlement(rows: readonly JdRow[]): string {
  const lines = rows.map((r) =>
    [
      r.orderNo,
      r.documentNo,
      r.item === '售后退款' ? '售后单' : '订单',
      r.item,
      formatYuan(r.amountCents),
      'CNY',
      r.amountCents < 0n ? '应付' : '应收',
      r.settledAt,
      r.settledAt.slice(0, 10),
    ].join(','),
  );
  return `${[JD_HEADER.join(','), ...lines].join('\r\n')}\r\n`;
}
