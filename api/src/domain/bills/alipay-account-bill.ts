import { required, time, yuan } from './bill-fields.js';
import type { BillFormat, LedgerEntry } from './bill-format.js';
import { RowDefect, tableSheet } from './table-sheet.js';

/** Alipay pads fields with tabs and spaces; the header names are the full-width-bracket ones. */
export const cleanAlipayCell = (cell: string): string => cell.replace(/^[\s\t]+|[\s\t]+$/g, '');

/** The buyer-side discounts Alipay pays for itself: subsidies to the merchant, one line each. */
const ALIPAY_SUBSIDIES = ['支付宝红包（元）', '集分宝（元）', '支付宝优惠（元）'] as const;

/**
 * Alipay account bill (账务明细 / 业务明细): GBK-encoded CSV, usually zipped, with `#` lines above
 * and below the table. 业务类型 交易 is a payment, 退款 a refund of the 支付宝交易号 it names;
 * 服务费（元） is the fee (written negative), Alipay's own discounts are subsidies.
 */
export const alipayAccountBill: BillFormat = {
  id: 'ALIPAY_ACCOUNT',
  gateway: 'ALIPAY',
  encoding: 'gbk',
  hashComments: true,
  open() {
    return tableSheet({
      required: [
        '支付宝交易号',
        '商户订单号',
        '业务类型',
        '完成时间',
        '订单金额（元）',
        '退款批次号/请求号',
        '服务费（元）',
      ],
      clean: cleanAlipayCell,
      toEntries(row): LedgerEntry[] {
        const type = required(row, '业务类型');
        const tradeNo = required(row, '支付宝交易号');
        const amount = yuan(row, '订单金额（元）');
        const fee = yuan(row, '服务费（元）', true);
        const common = {
          gateway: 'ALIPAY' as const,
          paymentNo: tradeNo,
          merchantOrderNo: required(row, '商户订单号'),
          part: null,
          currency: 'CNY' as const,
          occurredAt: time(row, '完成时间'),
        };
        const abs = (c: bigint) => (c < 0n ? -c : c);
        if (type === '交易') {
          const entries: LedgerEntry[] = [
            {
              ...common,
              kind: 'PAYMENT',
              recordNo: tradeNo,
              lineType: null,
              amountCents: abs(amount),
              feeCents: abs(fee),
            },
          ];
          for (const column of ALIPAY_SUBSIDIES) {
            const subsidy = yuan(row, column, true);
            if (subsidy !== 0n)
              entries.push({
                ...common,
                kind: 'SUBSIDY',
                recordNo: `${tradeNo}:${column}`,
                lineType: column.replace('（元）', ''),
                amountCents: abs(subsidy),
                feeCents: null,
              });
          }
          return entries;
        }
        if (type === '退款')
          return [
            {
              ...common,
              kind: 'REFUND',
              recordNo: required(row, '退款批次号/请求号'),
              lineType: null,
              amountCents: abs(amount),
              feeCents: null,
            },
          ];
        throw new RowDefect('业务类型', `业务类型 "${type.slice(0, 20)}" is not 交易 or 退款`);
      },
    });
  },
};
