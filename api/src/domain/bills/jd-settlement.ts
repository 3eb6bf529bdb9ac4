import type { MoneyKind, PaymentPart } from '../reconciliation/reconciliation-types.js';
import { required, time, yuan } from './bill-fields.js';
import type { BillFormat, LedgerEntry } from './bill-format.js';
import { RowDefect, tableSheet } from './table-sheet.js';

/**
 * What each 费用项 of a JD settlement is to the ledger: the payment (whole, or a presale's deposit
 * or balance), money back to the buyer, what JD kept and what it added. Kept as data beside the
 * format: a fee item JD adds is one line here.
 */
export const JD_FEE_ITEMS: Readonly<Record<string, { kind: MoneyKind; part: PaymentPart | null }>> = {
  货款: { kind: 'PAYMENT', part: 'FULL' },
  预售定金: { kind: 'PAYMENT', part: 'DEPOSIT' },
  预售尾款: { kind: 'PAYMENT', part: 'BALANCE' },
  售后退款: { kind: 'REFUND', part: null },
  佣金: { kind: 'FEE', part: null },
  平台使用费: { kind: 'FEE', part: null },
  平台优惠券: { kind: 'SUBSIDY', part: null },
  京豆: { kind: 'SUBSIDY', part: null },
  运费补贴: { kind: 'SUBSIDY', part: null },
};

/**
 * JD settlement file (结算明细, UTF-8 CSV), one row per fee item of an order — 订单编号, 单据编号
 * (the settlement document), 费用项, 金额 (yuan; JD writes deductions negative), 结算时间 — each
 * row one named ledger line, numbered `<单据编号>:<费用项>`.
 */
export const jdSettlement: BillFormat = {
  id: 'JD_SETTLEMENT',
  gateway: 'JD',
  encoding: 'utf8',
  hashComments: false,
  open() {
    return tableSheet({
      required: ['订单编号', '单据编号', '费用项', '金额', '结算时间'],
      clean: (cell) => cell.trim(),
      toEntries(row): LedgerEntry[] {
        const item = required(row, '费用项');
        const known = Object.hasOwn(JD_FEE_ITEMS, item) ? JD_FEE_ITEMS[item] : undefined;
        if (!known)
          throw new RowDefect(
            '费用项',
            `费用项 "${item.slice(0, 20)}" is not one of ${Object.keys(JD_FEE_ITEMS).join(', ')}`,
          );
        const documentNo = required(row, '单据编号');
        const amount = yuan(row, '金额');
        const occurredAt = time(row, '结算时间');
        return [
          {
            kind: known.kind,
            gateway: 'JD',
            recordNo: `${documentNo}:${item}`,
            paymentNo: documentNo,
            merchantOrderNo: required(row, '订单编号'),
            part: known.part,
            lineType: known.kind === 'PAYMENT' || known.kind === 'REFUND' ? null : item,
            amountCents: amount < 0n ? -amount : amount,
            feeCents: null,
            currency: 'CNY',
            occurredAt,
          },
        ];
      },
    });
  },
};
