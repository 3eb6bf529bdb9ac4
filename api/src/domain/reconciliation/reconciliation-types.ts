import type { Cents, Currency } from './money.js';

/** Where money comes from: a payment gateway or a platform's own settlement. */
export const GATEWAYS = ['WECHAT', 'ALIPAY', 'UNIONPAY', 'TAOBAO', 'JD', 'DOUYIN'] as const;
export type Gateway = (typeof GATEWAYS)[number];

/** The kinds of money movement the ledger holds. */
export const MONEY_KINDS = ['PAYMENT', 'REFUND', 'FEE', 'SUBSIDY', 'SETTLEMENT'] as const;
export type MoneyKind = (typeof MONEY_KINDS)[number];

/** Which part of an order's price a payment pays: all of it, or a presale deposit or balance. */
export const PAYMENT_PARTS = ['FULL', 'DEPOSIT', 'BALANCE'] as const;
export type PaymentPart = (typeof PAYMENT_PARTS)[number];

/** One payment the order side expects: from the order, not from the gateway. */
export interface ExpectedPayment {
  part: PaymentPart;
  /** The gateway's transaction id when the channel told us; null when it did not. */
  paymentNo: string | null;
  amountCents: Cents;
  paidAt: Date;
}

/** An order as reconciliation sees it: what money it should bring in. */
export interface OrderMoney {
  orderId: string;
  /** The shop the order was sold in; today one shop per channel. */
  shop: string;
  channel: string;
  channelOrderNo: string;
  currency: Currency;
  totalCents: Cents;
  payments: readonly ExpectedPayment[];
  /** A presale order whose deposit is paid and whose balance is still due. */
  balanceDue: boolean;
}

/** One movement of money in the ledger, as a gateway or platform reported it. */
export interface MoneyRecord {
  id: string;
  kind: MoneyKind;
  gateway: Gateway;
  /** The movement's own number at its source (transaction id, refund no, flow no). */
  recordNo: string;
  /** The payment (gateway transaction id) it belongs to. */
  paymentNo: string | null;
  /** The channel whose order numbers `merchantOrderNo` is written in. */
  channel: string;
  merchantOrderNo: string | null;
  part: PaymentPart | null;
  amountCents: Cents;
  /** The fee the gateway charged on this payment, when its bill says. */
  feeCents: Cents | null;
  currency: Currency;
  occurredAt: Date;
}

export const OUTCOME_TYPES = [
  'MATCHED',
  'MISSING_PAYMENT',
  'PAYMENT_WITHOUT_ORDER',
  'AMOUNT_MISMATCH',
  'DUPLICATE_PAYMENT',
  'REFUND_MISMATCH',
  'FEE_VARIANCE',
  'BALANCE_UNPAID',
  'PENDING_SETTLEMENT',
] as const;
export type OutcomeType = (typeof OUTCOME_TYPES)[number];

/** One answer of reconciliation about an order's payment part, a money record, or an order. */
export interface Outcome {
  /**
   * Stable identity across runs, so a re-run updates the same row: `e:<order>:<part>` for an
   * expected payment, `r:<record>:<rule>` for a money record, `o:<order>:<rule>` for an order.
   */
  itemKey: string;
  type: OutcomeType;
  orderId: string | null;
  recordId: string | null;
  channel: string;
  channelOrderNo: string | null;
  gateway: Gateway | null;
  paymentNo: string | null;
  expectedCents: Cents | null;
  actualCents: Cents | null;
}

/** Fee terms agreed with a gateway: a rate in basis points and a tolerance in fen. */
export interface FeeTerms {
  rateBp: number;
  toleranceCents: number;
}

export interface MatchingSettings {
  fees: Partial<Record<Gateway, FeeTerms>>;
  /**
   * Days after the payment's business day by which its money must have arrived (T+N), per
   * channel; `CHANNEL:GATEWAY` entries override the channel's. Missing: `defaultSettlementDays`.
   */
  settlementDays: Record<string, number>;
  defaultSettlementDays: number;
}
