import type { Cents } from '../reconciliation/money.js';
import { fen, parseShanghaiTime } from './bill-fields.js';
import type { BillFormat, LedgerEntry } from './bill-format.js';
import { type NamedRow, RowDefect, tableSheet } from './table-sheet.js';

/** The UnionPay fields reconciliation reads, by their names in notifications. */
export interface UnionPayFields {
  orderId: string;
  queryId: string;
  txnAmt: string;
  txnTime: string;
  txnType: string;
  respCode: string;
}

/**
 * Which column of a merchant's UnionPay daily file holds each field: daily files differ by
 * acquirer, so the mapping is configuration (`RECONCILIATION_UNIONPAY_COLUMNS`), not code.
 */
export type UnionPayColumns = { readonly [K in keyof UnionPayFields]: string } & { fee: string | null };

export const DEFAULT_UNIONPAY_COLUMNS: UnionPayColumns = {
  orderId: '商户订单号',
  queryId: '查询流水号',
  txnAmt: '交易金额',
  txnTime: '交易时间',
  txnType: '交易类型',
  respCode: '应答码',
  fee: '手续费',
};

/** 01 consumption (a payment), 04 refund; 00 and A6 answer codes are successes. */
const PAYMENT_TYPES = new Set(['01']);
const REFUND_TYPES = new Set(['04']);
const SUCCESS_CODES = new Set(['00', 'A6']);

/**
 * One UnionPay transaction as a ledger entry, from a notification or a daily-file row: `txnAmt`
 * in fen, `txnTime` `yyyyMMddHHmmss` Shanghai. A refund's `orderId` is the refund's own order
 * number and its `origQryId` names the payment; without it the refund stands on its `queryId`.
 */
export function unionPayEntry(
  fields: UnionPayFields & { origQryId?: string; feeCents?: Cents | null },
  field: (name: keyof UnionPayFields) => string = (n) => n,
): LedgerEntry | null {
  for (const name of ['orderId', 'queryId', 'txnAmt', 'txnTime', 'txnType', 'respCode'] as const)
    if (!fields[name]?.trim()) throw new RowDefect(field(name), `${field(name)} is empty`);
  if (!SUCCESS_CODES.has(fields.respCode.trim())) return null;
  const amount = fen({ line: 0, text: () => fields.txnAmt }, field('txnAmt'));
  const occurredAt = parseShanghaiTime(fields.txnTime);
  if (!occurredAt)
    throw new RowDefect(
      field('txnTime'),
      `${field('txnTime')} is not yyyyMMddHHmmss: "${fields.txnTime.slice(0, 20)}"`,
    );
  const type = fields.txnType.trim();
  const refund = REFUND_TYPES.has(type);
  if (!refund && !PAYMENT_TYPES.has(type)) return null;
  return {
    kind: refund ? 'REFUND' : 'PAYMENT',
    gateway: 'UNIONPAY',
    recordNo: fields.queryId.trim(),
    paymentNo: refund ? fields.origQryId?.trim() || null : fields.queryId.trim(),
    merchantOrderNo: fields.orderId.trim(),
    part: null,
    lineType: null,
    amountCents: amount,
    feeCents: refund ? null : (fields.feeCents ?? null),
    currency: 'CNY',
    occurredAt,
  };
}

/** A UnionPay daily file (UTF-8 CSV) read through a column mapping. */
export function unionPayDailyFile(columns: UnionPayColumns = DEFAULT_UNIONPAY_COLUMNS): BillFormat {
  const mapped = ['orderId', 'queryId', 'txnAmt', 'txnTime', 'txnType', 'respCode'] as const;
  return {
    id: 'UNIONPAY_DAILY',
    gateway: 'UNIONPAY',
    encoding: 'utf8',
    hashComments: false,
    open() {
      return tableSheet({
        required: mapped.map((k) => columns[k]),
        clean: (cell) => cell.trim(),
        toEntries(row: NamedRow) {
          const fields = Object.fromEntries(
            mapped.map((k) => [k, row.text(columns[k])]),
          ) as unknown as UnionPayFields;
          const feeCents = columns.fee && row.text(columns.fee) !== '' ? fen(row, columns.fee) : null;
          const entry = unionPayEntry({ ...fields, feeCents }, (name) => columns[name]);
          return entry ? [entry] : [];
        },
      });
    },
  };
}
