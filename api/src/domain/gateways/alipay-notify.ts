import { createVerify, type KeyObject } from 'node:crypto';
import { parseShanghaiTime } from '../bills/bill-fields.js';
import type { LedgerEntry } from '../bills/bill-format.js';
import { parseYuan } from '../reconciliation/money.js';
import { type FieldError, fail, ok, type Result } from '../shared/result.js';

/**
 * The string Alipay signs: every parameter but `sign` and `sign_type`, empty ones left out,
 * sorted by name, as `k=v` joined by `&` (values as received, not re-encoded).
 */
export function alipaySignContent(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/** RSA2 (SHA256withRSA) over the sorted parameters, checked with the configured Alipay public key. */
export function verifyAlipayNotify(
  params: Readonly<Record<string, string>>,
  alipayPublicKey: KeyObject,
): boolean {
  if (params.sign_type !== 'RSA2' || !params.sign) return false;
  return createVerify('RSA-SHA256')
    .update(alipaySignContent(params), 'utf8')
    .verify(alipayPublicKey, params.sign, 'base64');
}

const PAID = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

/**
 * A verified asynchronous notification as a ledger entry: a payment when the trade succeeded, a
 * refund when it carries `refund_fee` and `out_biz_no` (the refund request number); null for a
 * notification that moves no money (WAIT_BUYER_PAY, TRADE_CLOSED without a refund).
 */
export function alipayNotifyEntry(params: Readonly<Record<string, string>>): Result<LedgerEntry | null> {
  const errors: FieldError[] = [];
  const need = (name: string) => {
    const value = params[name]?.trim() ?? '';
    if (value === '') errors.push({ field: name, code: 'REQUIRED', message: `${name} is missing` });
    return value;
  };
  const tradeNo = need('trade_no');
  const orderNo = need('out_trade_no');
  if (errors.length > 0) return fail(errors);
  const refund = params.refund_fee && params.out_biz_no;
  if (!refund && !PAID.has(params.trade_status ?? '')) return ok(null);
  const amountText = refund ? params.refund_fee : need('total_amount');
  const timeText = refund ? (params.gmt_refund ?? '') : (params.gmt_payment ?? '');
  const amount = parseYuan(amountText ?? '');
  const at = parseShanghaiTime(timeText.slice(0, 19));
  if (amount === null || amount < 0n)
    errors.push({
      field: refund ? 'refund_fee' : 'total_amount',
      code: 'INVALID_MONEY',
      message: 'not an amount in yuan',
    });
  if (!at)
    errors.push({
      field: refund ? 'gmt_refund' : 'gmt_payment',
      code: 'INVALID_TIME',
      message: 'not yyyy-MM-dd HH:mm:ss',
    });
  if (errors.length > 0) return fail(errors);
  return ok({
    kind: refund ? 'REFUND' : 'PAYMENT',
    gateway: 'ALIPAY',
    recordNo: refund ? params.out_biz_no : tradeNo,
    paymentNo: tradeNo,
    merchantOrderNo: orderNo,
    part: null,
    lineType: null,
    amountCents: amount!,
    feeCents: null,
    currency: 'CNY',
    occurredAt: at!,
  });
}
