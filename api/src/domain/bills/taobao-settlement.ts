import type { PaymentPart } from '../reconciliation/reconciliation-types.js';
import { required, time, yuan } from './bill-fields.js';
import type { BillFormat, LedgerEntry } from './bill-format.js';
import { type NamedLine, settlementEntries } from './settlement-lines.js';
import { RowDefect, tableSheet } from './table-sheet.js';

/**
 * Which part of the price a settled line pays, by the Taobao `step_trade_status` written on it
 * (empty for an order that is not paid in steps). Kept as data beside the format.
 * `FRONT_NOPAID_FINAL_NOPAID` has nothing paid, so a line carrying it is refused.
 */
export const TAOBAO_STEP_PARTS: Readonly<Record<string, PaymentPart>> = {
  '': 'FULL',
  FRONT_PAID_FINAL_NOPAID: 'DEPOSIT',
  FRONT_PAID_FINAL_PAID: 'BALANCE',
};

/** The named lines of one settlement row besides the payment: what the platform took or added. */
const NAMED_LINES = [
  { column: '平台优惠券', kind: 'SUBSIDY' },
  { column: '运费补贴', kind: 'SUBSIDY' },
  { column: '佣金', kind: 'FEE' },
] as const satisfies readonly NamedLine[];

/**
 * Taobao / Tmall settlement file (UTF-8 CSV): one row per settled order part — 结算时间, 账单流水号
 * (the line's own number), 订单号 (the Taobao tid), 支付宝交易号, step_trade_status, 订单实付
 * (what the buyer paid for the part), 平台优惠券 and 运费补贴 (what the platform added), 佣金 (what
 * it kept) and 结算金额 (paid out) — split into named ledger lines.
 */
export const taobaoSettlement: BillFormat = {
  id: 'TAOBAO_SETTLEMENT',
  gateway: 'TAOBAO',
  encoding: 'utf8',
  hashComments: false,
  open() {
    return tableSheet({
      required: [
        '结算时间',
        '账单流水号',
        '订单号',
        '支付宝交易号',
        'step_trade_status',
        '订单实付',
        '结算金额',
        ...NAMED_LINES.map((l) => l.column),
      ],
      clean: (cell) => cell.trim(),
      toEntries(row): LedgerEntry[] {
        const lineNo = required(row, '账单流水号');
        const status = row.text('step_trade_status');
        const part = Object.hasOwn(TAOBAO_STEP_PARTS, status) ? TAOBAO_STEP_PARTS[status] : undefined;
        if (!part)
          throw new RowDefect(
            'step_trade_status',
            `step_trade_status "${status.slice(0, 30)}" is not empty, FRONT_PAID_FINAL_NOPAID or FRONT_PAID_FINAL_PAID`,
          );
        const paid = yuan(row, '订单实付');
        if (paid < 0n) throw new RowDefect('订单实付', '订单实付 is negative');
        const common = {
          gateway: 'TAOBAO' as const,
          paymentNo: required(row, '支付宝交易号'),
          merchantOrderNo: required(row, '订单号'),
          part,
          currency: 'CNY' as const,
          occurredAt: time(row, '结算时间'),
          feeCents: null,
        };
        return settlementEntries(row, common, lineNo, paid, NAMED_LINES);
      },
    });
  },
};
