import { type FieldError, fail, ok, type Result } from '../shared/result.js';

/** How a payment stands to the order's total: all of it, the presale deposit, its balance, or money back. */
export const PAYMENT_KINDS = ['FULL', 'DEPOSIT', 'BALANCE', 'REFUND'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];

/** One movement of money for an order, as a payment or refund event reports it. */
export interface PaymentFact {
  gateway: string;
  /** The gateway's own number for the payment; the event's key when it names none. */
  paymentNo: string;
  kind: PaymentKind;
  /** Integer cents as a decimal string: 64-bit safe beyond `Number.MAX_SAFE_INTEGER`. */
  amountCents: string;
  currency: string;
  paidAt: Date;
}

const MAX_CENTS = 9_223_372_036_854_775_807n;
const CURRENCY = /^[A-Z]{3}$/;

/**
 * Reads the money out of a PAYMENT_CONFIRMED or PAYMENT_REFUNDED event's payload:
 * `amountCents` (integer, as a number or a string of digits), `currency` (ISO 4217, default CNY),
 * `paymentNo`, `gateway` (e.g. ALIPAY, WECHAT_PAY, UNIONPAY; default the reporting source) and,
 * for a confirmation, `kind` (FULL, DEPOSIT or BALANCE; default FULL). An event without
 * `amountCents` carries no money facts (null); a present but broken field is an error naming it.
 */
export function readPaymentFact(event: {
  type: string;
  source: string;
  idempotencyKey: string;
  occurredAt: Date;
  payload: Readonly<Record<string, unknown>>;
}): Result<PaymentFact | null> {
  if (event.type !== 'PAYMENT_CONFIRMED' && event.type !== 'PAYMENT_REFUNDED') return ok(null);
  const p = event.payload;
  if (p.amountCents === undefined || p.amountCents === null) return ok(null);
  const errors: FieldError[] = [];
  const amount = readCents(p.amountCents);
  if (amount === null)
    errors.push(err('amountCents', 'INVALID_MONEY', 'amountCents must be a whole number of cents above 0'));
  const currency = p.currency === undefined || p.currency === null ? 'CNY' : p.currency;
  if (typeof currency !== 'string' || !CURRENCY.test(currency))
    errors.push(err('currency', 'INVALID_CURRENCY', 'currency must be an ISO 4217 code such as CNY'));
  const paymentNo = p.paymentNo ?? event.idempotencyKey;
  if (typeof paymentNo !== 'string' || paymentNo.trim() === '' || paymentNo.length > 128)
    errors.push(err('paymentNo', 'INVALID_PAYMENT_NO', 'paymentNo must be text of at most 128 characters'));
  const gateway = p.gateway ?? event.source;
  if (typeof gateway !== 'string' || !/^[A-Z0-9_]{2,32}$/.test(gateway))
    errors.push(err('gateway', 'INVALID_GATEWAY', 'gateway must be an upper-case name such as ALIPAY'));
  let kind: PaymentKind = event.type === 'PAYMENT_REFUNDED' ? 'REFUND' : 'FULL';
  if (event.type === 'PAYMENT_CONFIRMED' && p.kind !== undefined && p.kind !== null) {
    if (p.kind === 'FULL' || p.kind === 'DEPOSIT' || p.kind === 'BALANCE') kind = p.kind;
    else errors.push(err('kind', 'INVALID_PAYMENT_KIND', 'kind must be FULL, DEPOSIT or BALANCE'));
  }
  if (errors.length > 0) return fail(errors);
  return ok({
    gateway: gateway as string,
    paymentNo: (paymentNo as string).trim(),
    kind,
    amountCents: (amount as bigint).toString(),
    currency: currency as string,
    paidAt: event.occurredAt,
  });
}

function readCents(value: unknown): bigint | null {
  let cents: bigint;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return null;
    cents = BigInt(value);
  } else if (typeof value === 'string' && /^\d{1,19}$/.test(value)) cents = BigInt(value);
  else return null;
  return cents > 0n && cents <= MAX_CENTS ? cents : null;
}

const err = (field: string, code: string, message: string): FieldError => ({
  field: `payload.${field}`,
  code,
  message,
});
