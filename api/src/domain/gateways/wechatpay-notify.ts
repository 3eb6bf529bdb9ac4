import { createDecipheriv, createVerify, type KeyObject } from 'node:crypto';
import type { LedgerEntry } from '../bills/bill-format.js';
import { type FieldError, fail, ok, type Result } from '../shared/result.js';

/** How far a notification's `Wechatpay-Timestamp` may be from now: replays older are refused. */
export const WECHATPAY_CLOCK_SKEW_SECONDS = 300;

export interface WechatpayHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
  serial: string;
}

/**
 * WeChat Pay v3 signs `timestamp\nnonce\nbody\n` with SHA256withRSA; the `Wechatpay-Serial`
 * header names the platform key. Checks the key, the signature and the timestamp's age.
 */
export function verifyWechatpaySignature(
  headers: WechatpayHeaders,
  body: string,
  platformKeys: ReadonlyMap<string, KeyObject>,
  now: Date,
): Result<true> {
  const key = platformKeys.get(headers.serial);
  if (!key)
    return fail([
      { field: 'Wechatpay-Serial', code: 'UNKNOWN_KEY', message: 'no platform key has this serial' },
    ]);
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(now.getTime() / 1000 - ts) > WECHATPAY_CLOCK_SKEW_SECONDS)
    return fail([
      {
        field: 'Wechatpay-Timestamp',
        code: 'STALE',
        message: 'the timestamp is not within 5 minutes of now',
      },
    ]);
  const message = `${headers.timestamp}\n${headers.nonce}\n${body}\n`;
  const valid = createVerify('RSA-SHA256').update(message, 'utf8').verify(key, headers.signature, 'base64');
  return valid
    ? ok(true)
    : fail([
        { field: 'Wechatpay-Signature', code: 'BAD_SIGNATURE', message: 'the signature does not verify' },
      ]);
}

export interface WechatpayResource {
  algorithm: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
}

/** Decrypts `resource` with the APIv3 key: AEAD_AES_256_GCM, the tag being the last 16 bytes. */
export function decryptWechatpayResource(resource: WechatpayResource, apiV3Key: string): Result<unknown> {
  if (resource.algorithm !== 'AEAD_AES_256_GCM')
    return fail([
      { field: 'resource.algorithm', code: 'UNSUPPORTED', message: 'only AEAD_AES_256_GCM is accepted' },
    ]);
  try {
    const data = Buffer.from(resource.ciphertext, 'base64');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      Buffer.from(apiV3Key, 'utf8'),
      Buffer.from(resource.nonce, 'utf8'),
    );
    decipher.setAuthTag(data.subarray(data.length - 16));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    const plain = Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
    return ok(JSON.parse(plain.toString('utf8')));
  } catch {
    return fail([
      {
        field: 'resource.ciphertext',
        code: 'UNDECRYPTABLE',
        message: 'the resource does not decrypt with the APIv3 key',
      },
    ]);
  }
}

/**
 * A decrypted transaction (TRANSACTION.SUCCESS) or refund (REFUND.SUCCESS) as a ledger entry;
 * null when it moves no money (a trade not in SUCCESS).
 */
export function wechatpayEntry(eventType: string, plain: unknown): Result<LedgerEntry | null> {
  const p = (plain ?? {}) as Record<string, unknown>;
  const amount = (p.amount ?? {}) as Record<string, unknown>;
  const errors: FieldError[] = [];
  const text = (name: string) => {
    const v = p[name];
    if (typeof v !== 'string' || v === '')
      errors.push({ field: name, code: 'REQUIRED', message: `${name} is missing` });
    return typeof v === 'string' ? v : '';
  };
  const refund = eventType.startsWith('REFUND.');
  const transactionId = text('transaction_id');
  const orderNo = text('out_trade_no');
  const at = new Date(text('success_time'));
  const cents = refund ? amount.refund : amount.total;
  if (!Number.isSafeInteger(cents) || (cents as number) < 0)
    errors.push({
      field: refund ? 'amount.refund' : 'amount.total',
      code: 'INVALID_MONEY',
      message: 'not a whole number of fen',
    });
  const refundId = refund ? text('refund_id') : '';
  if (Number.isNaN(at.getTime()))
    errors.push({ field: 'success_time', code: 'INVALID_TIME', message: 'not an RFC 3339 time' });
  if (errors.length > 0) return fail(errors);
  const state = refund ? p.refund_status : p.trade_state;
  if (state !== 'SUCCESS') return ok(null);
  return ok({
    kind: refund ? 'REFUND' : 'PAYMENT',
    gateway: 'WECHAT',
    recordNo: refund ? refundId : transactionId,
    paymentNo: transactionId,
    merchantOrderNo: orderNo,
    part: null,
    lineType: null,
    amountCents: BigInt(cents as number),
    feeCents: null,
    currency: 'CNY',
    occurredAt: at,
  });
}
