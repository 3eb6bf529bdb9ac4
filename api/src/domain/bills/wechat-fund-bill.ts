import { formatYuan } from '../reconciliation/money.js';
import type { MoneyKind } from '../reconciliation/reconciliation-types.js';
import { required, time, yuan } from './bill-fields.js';
import type { BillFormat, LedgerEntry } from './bill-format.js';
import { RowDefect, tableSheet } from './table-sheet.js';
import { cleanWechatCell } from './wechat-trade-bill.js';

type Direction = '收入' | '支出';

/**
 * What each 业务类型 of the fund bill is to the ledger, and the direction it must have. Kept as
 * data beside the format: a business type WeChat Pay adds is one line here. `null`: a movement of
 * the account that belongs to no order (a withdrawal, a top-up); it is checked and counted in the
 * summary but not booked.
 */
export const WECHAT_FUND_TYPES: Readonly<Record<string, { kind: MoneyKind | null; direction: Direction }>> = {
  交易: { kind: 'PAYMENT', direction: '收入' },
  退款: { kind: 'REFUND', direction: '支出' },
  扣除交易手续费: { kind: 'FEE', direction: '支出' },
  提现: { kind: null, direction: '支出' },
  充值: { kind: null, direction: '收入' },
};

const AMOUNT = '收支金额(元)';
const BALANCE = '账户结余(元)';

/**
 * WeChat Pay fund bill (资金账单, `downloadfundflow`): one row per movement of the merchant
 * account — 记账时间, 微信支付业务单号 (the transaction id of a payment and its fee, the refund id of
 * a refund), 资金流水单号 (the movement's own number), 业务名称, 业务类型, 收支类型, 收支金额(元),
 * 账户结余(元), 业务凭证号 (the merchant's order number) — every field behind a backtick, then a
 * summary header (资金流水总笔数, 收入笔数, 收入金额, 支出笔数, 支出金额) and its values, which must
 * agree with the rows. Each row's 账户结余 must follow from the one before.
 *
 * A payment and a refund keep the identity the trade bill gives them (the transaction id, the
 * refund id), so the same money read from both bills is booked once; a fee is its own FEE line
 * numbered by its 资金流水单号.
 */
export const wechatFundBill: BillFormat = {
  id: 'WECHAT_FUND',
  gateway: 'WECHAT',
  encoding: 'utf8',
  hashComments: false,
  open() {
    const totals = { rows: 0, incomeRows: 0, income: 0n, expenseRows: 0, expense: 0n };
    let balance: bigint | null = null;
    return tableSheet({
      required: [
        '记账时间',
        '微信支付业务单号',
        '资金流水单号',
        '业务名称',
        '业务类型',
        '收支类型',
        AMOUNT,
        BALANCE,
        '业务凭证号',
      ],
      clean: cleanWechatCell,
      summaryMarker: '资金流水总笔数',
      toEntries(row): LedgerEntry[] {
        const businessType = required(row, '业务类型');
        const known = WECHAT_FUND_TYPES[businessType];
        if (!known)
          throw new RowDefect(
            '业务类型',
            `业务类型 "${businessType.slice(0, 20)}" is not one of ${Object.keys(WECHAT_FUND_TYPES).join(', ')}`,
          );
        const direction = required(row, '收支类型');
        if (direction !== '收入' && direction !== '支出')
          throw new RowDefect('收支类型', `收支类型 "${direction.slice(0, 10)}" is not 收入 or 支出`);
        if (direction !== known.direction)
          throw new RowDefect(
            '收支类型',
            `业务类型 ${businessType} is 收支类型 ${known.direction}, not ${direction}`,
          );
        const amount = yuan(row, AMOUNT);
        if (amount < 0n) throw new RowDefect(AMOUNT, `${AMOUNT} is negative; 收支类型 gives the direction`);
        const after = yuan(row, BALANCE);
        const signed = direction === '收入' ? amount : -amount;
        if (balance !== null && balance + signed !== after)
          throw new RowDefect(
            BALANCE,
            `${BALANCE} ${formatYuan(after)} does not follow from ${formatYuan(balance)} ${direction} ${formatYuan(amount)}`,
          );
        balance = after;
        totals.rows += 1;
        if (direction === '收入') {
          totals.incomeRows += 1;
          totals.income += amount;
        } else {
          totals.expenseRows += 1;
          totals.expense += amount;
        }
        const businessNo = required(row, '微信支付业务单号');
        const flowNo = required(row, '资金流水单号');
        const occurredAt = time(row, '记账时间');
        if (known.kind === null) return [];
        const common = {
          gateway: 'WECHAT' as const,
          merchantOrderNo: required(row, '业务凭证号'),
          part: null,
          currency: 'CNY' as const,
          occurredAt,
          amountCents: amount,
          feeCents: null,
        };
        if (known.kind === 'PAYMENT')
          return [
            { ...common, kind: 'PAYMENT', recordNo: businessNo, paymentNo: businessNo, lineType: null },
          ];
        if (known.kind === 'REFUND')
          return [{ ...common, kind: 'REFUND', recordNo: businessNo, paymentNo: null, lineType: null }];
        return [
          { ...common, kind: known.kind, recordNo: flowNo, paymentNo: businessNo, lineType: businessType },
        ];
      },
      checkSummary(summary) {
        const checks: Array<[string, bigint, 'count' | 'yuan']> = [
          ['资金流水总笔数', BigInt(totals.rows), 'count'],
          ['收入笔数', BigInt(totals.incomeRows), 'count'],
          ['收入金额', totals.income, 'yuan'],
          ['支出笔数', BigInt(totals.expenseRows), 'count'],
          ['支出金额', totals.expense, 'yuan'],
        ];
        for (const [column, counted, unit] of checks) {
          const text = summary.text(column);
          if (text === '') return `the summary lacks ${column}`;
          const stated =
            unit === 'count' ? (/^\d+$/.test(text) ? BigInt(text) : null) : yuan(summary, column);
          if (stated !== counted)
            return `the summary says ${column} ${text}, the rows add up to ${unit === 'count' ? String(counted) : formatYuan(counted)}`;
        }
        return null;
      },
      checkEnd: (sawSummary) =>
        sawSummary ? null : 'the summary lines (资金流水总笔数, …) are missing: the file is cut short',
    });
  },
};
