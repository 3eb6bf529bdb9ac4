import { formatYuan } from '../reconciliation/money.js';
import { firstOf, required, time, yuan } from './bill-fields.js';
import type { BillFormat, LedgerEntry } from './bill-format.js';
import { RowDefect, tableSheet } from './table-sheet.js';

/** Every field of a WeChat Pay bill starts with a backtick, so spreadsheets keep numbers as text. */
export const cleanWechatCell = (cell: string): string => cell.trim().replace(/^`/, '').trim();

/** Settled amount: `应结订单金额` today, `总金额` in bills of older merchants. */
const SETTLED = ['应结订单金额', '总金额'] as const;

/**
 * WeChat Pay trade bill (交易账单, `downloadbill` ALL): one row per payment (交易状态 SUCCESS) or
 * refund (REFUND; it carries the original 微信订单号 and 商户订单号), then a summary header
 * (总交易单数, 应结订单总金额, 退款总金额, …) and its values, which must agree with the rows.
 */
export const wechatTradeBill: BillFormat = {
  id: 'WECHAT_TRADE',
  gateway: 'WECHAT',
  encoding: 'utf8',
  hashComments: false,
  open() {
    const totals = { rows: 0, settled: 0n, refunded: 0n, fees: 0n };
    return tableSheet({
      required: ['交易时间', '微信订单号', '商户订单号', '交易状态', '微信退款单号', '退款金额', '手续费'],
      oneOf: [SETTLED],
      clean: cleanWechatCell,
      summaryMarker: '总交易单数',
      toEntries(row): LedgerEntry[] {
        const state = required(row, '交易状态');
        const settled = yuan(row, firstOf(row, SETTLED), true);
        const refund = yuan(row, '退款金额', true);
        const fee = yuan(row, '手续费', true);
        totals.rows += 1;
        totals.settled += settled;
        totals.refunded += refund;
        totals.fees += fee;
        const common = {
          gateway: 'WECHAT' as const,
          paymentNo: required(row, '微信订单号'),
          merchantOrderNo: required(row, '商户订单号'),
          part: null,
          lineType: null,
          currency: 'CNY' as const,
          occurredAt: time(row, '交易时间'),
        };
        if (state === 'SUCCESS')
          return [
            { ...common, kind: 'PAYMENT', recordNo: common.paymentNo, amountCents: settled, feeCents: fee },
          ];
        if (state === 'REFUND')
          return [
            {
              ...common,
              kind: 'REFUND',
              recordNo: required(row, '微信退款单号'),
              amountCents: refund < 0n ? -refund : refund,
              feeCents: null,
            },
          ];
        if (state === 'REVOKED') return [];
        throw new RowDefect('交易状态', `交易状态 "${state.slice(0, 20)}" is not SUCCESS, REFUND or REVOKED`);
      },
      checkSummary(summary) {
        const checks: Array<[string, bigint]> = [
          ['总交易单数', BigInt(totals.rows)],
          ['应结订单总金额', totals.settled],
          ['退款总金额', totals.refunded],
          ['手续费总金额', totals.fees],
        ];
        for (const [column, counted] of checks) {
          const text = summary.text(column);
          if (text === '') return `the summary lacks ${column}`;
          const stated =
            column === '总交易单数' ? (/^\d+$/.test(text) ? BigInt(text) : null) : yuan(summary, column);
          if (stated !== counted) {
            const shown = column === '总交易单数' ? String(counted) : formatYuan(counted);
            return `the summary says ${column} ${text}, the rows add up to ${shown}`;
          }
        }
        return null;
      },
      checkEnd: (sawSummary) =>
        sawSummary ? null : 'the summary lines (总交易单数, …) are missing: the file is cut short',
    });
  },
};
