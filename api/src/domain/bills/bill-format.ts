import type { Cents, Currency } from '../reconciliation/money.js';
import type { Gateway, MoneyKind, PaymentPart } from '../reconciliation/reconciliation-types.js';

/** One movement of money read from a bill, ready for the ledger. */
export interface LedgerEntry {
  kind: MoneyKind;
  gateway: Gateway;
  /** The movement's own number at its source; with `gateway` and `kind`, its identity. */
  recordNo: string;
  paymentNo: string | null;
  merchantOrderNo: string | null;
  part: PaymentPart | null;
  /** What the line is in the source's words, e.g. `佣金`, `支付宝红包`; null for plain payments. */
  lineType: string | null;
  /** The size of the movement, never negative: `kind` says its direction. */
  amountCents: Cents;
  feeCents: Cents | null;
  currency: Currency;
  occurredAt: Date;
}

/** Why a bill cannot be imported: the line and the field at fault. */
export interface BillDefect {
  line: number;
  field: string | null;
  reason: string;
}

export type SheetAnswer = { ok: true; entries: LedgerEntry[] } | { ok: false; defect: BillDefect };

/**
 * Reads one file of a format, a row at a time, holding only running totals: the header, the rows
 * and any summary lines after them come through `row` in order, then `end` checks the totals.
 */
export interface BillSheet {
  row(cells: readonly string[], line: number): SheetAnswer;
  end(lastLine: number): { ok: true } | { ok: false; defect: BillDefect };
}

export const BILL_FORMATS = [
  'WECHAT_TRADE',
  'ALIPAY_ACCOUNT',
  'UNIONPAY_DAILY',
  'DOUYIN_SETTLEMENT',
  'WECHAT_FUND',
  'TAOBAO_SETTLEMENT',
  'JD_SETTLEMENT',
] as const;
export type BillFormatId = (typeof BILL_FORMATS)[number];

/** A bill format: how its bytes are read and how its rows become ledger entries. */
export interface BillFormat {
  id: BillFormatId;
  gateway: Gateway;
  encoding: 'utf8' | 'gbk';
  /** Lines starting with `#` are notes around the table (Alipay), not rows. */
  hashComments: boolean;
  open(): BillSheet;
}
