import type { PaymentPart } from '../reconciliation/reconciliation-types.js';
import { required, time, yuan } from './bill-fields.js';
import type { BillFormat, LedgerEntry } from './bill-format.js';
import { type NamedLine, settlementEntries } from './settlement-lines.js';
import { RowDefect, tableSheet } from './table-sheet.js';

/**
 * Which part of a presale the settled money pays, by the settlement file's `order_type` code.
 * Kept as data beside the format: a code the platform adds is one line here.
 */
export const DOUYIN_ORDER_TYPE_PARTS: Readonly<Record<string, PaymentPart>> = {
  '0': 'FULL',
  '1': 'DEPOSIT',
  '2': 'BALANCE',
};

/** The named lines of one settlement row besides the payment: what the platform took or added. */
const NAMED_LINES = [
  { column: '平台补贴', kind: 'SUBSIDY' },
  { column: '运费补贴', kind: 'SUBSIDY' },
  { column: '佣金', kind: 'FEE' },
  { column: '平台服务费', kind: 'FEE' },
] as const satisfies readonly NamedLine[];

/**
 * Douyin shop settlement file (结算账单, UTF-8 CSV): one row per settled order part, split into
 * named ledger lines — the payment the buyer made (订单实付应结), platform subsidies (平台补贴,
 * 运费补贴), what the platform kept (佣金, 平台服务费) and the sum paid out (结算金额).
 */
export const douyinSettlement: BillFormat = {
  id: 'DOUYIN_SETTLEMENT',
  gateway: 'DOUYIN',
  encoding: 'utf8',
  hashComments: false,
  open() {
    return tableSheet({
      required: [
        '结算时间',
        '结算单号',
        '订单号',
        'order_type',
        '订单实付应结',
        '结算金额',
        ...NAMED_LINES.map((l) => l.column),
      ],
      clean: (cell) => cell.trim(),
      toEntries(row): LedgerEntry[] {
        const settlementNo = required(row, '结算单号');
        const code = required(row, 'order_type');
        const part = Object.hasOwn(DOUYIN_ORDER_TYPE_PARTS, code) ? DOUYIN_ORDER_TYPE_PARTS[code] : undefined;
        if (!part)
          throw new RowDefect(
            'order_type',
            `order_type "${code.slice(0, 10)}" is not one of ${Object.keys(DOUYIN_ORDER_TYPE_PARTS).join(', ')}`,
          );
        const common = {
          gateway: 'DOUYIN' as const,
          paymentNo: settlementNo,
          merchantOrderNo: required(row, '订单号'),
          part,
          currency: 'CNY' as const,
          occurredAt: time(row, '结算时间'),
          feeCents: null,
        };
        return settlementEntries(row, common, settlementNo, yuan(row, '订单实付应结'), NAMED_LINES);
      },
    });
  },
};
