import { createHmac, timingSafeEqual } from 'node:crypto';
import { type FieldError, fail, ok, type Result } from '../shared/result.js';

/**
 * How inbound channel webhooks are signed.
 *
 *   x-timestamp: unix seconds when the sender signed
 *   x-signature: lowercase hex HMAC-SHA256, keyed with the channel's secret, over
 *                `${timestamp}.${rawBody}` — the body exactly as sent, before any JSON parsing
 *
 * The timestamp is inside the MAC, so a captured request cannot be replayed with a fresh one, and
 * a request is refused when its timestamp is more than `windowSeconds` from the receiver's clock
 * (either way: a future timestamp would let a captured request live longer).
 */

export type WebhookRejectionCode =
  | 'MISSING_SIGNATURE'
  | 'MISSING_TIMESTAMP'
  | 'INVALID_TIMESTAMP'
  | 'STALE_TIMESTAMP'
  | 'BAD_SIGNATURE';

/** Why a webhook was refused; `field` is the header at fault. */
export interface WebhookRejection extends FieldError {
  field: 'x-signature' | 'x-timestamp';
  code: WebhookRejectionCode;
}

/** A header as Node's `IncomingHttpHeaders` gives it: repeated headers arrive as an array. */
type HeaderValue = string | readonly string[] | undefined | null;

export interface VerifyWebhookInput {
  secret: string | Buffer;
  timestampHeader: HeaderValue;
  signatureHeader: HeaderValue;
  /** The body bytes as received. Re-serialised JSON will not match. */
  rawBody: string | Uint8Array;
  now: Date;
  /** How far the timestamp may be from `now`, either way. @default 300 */
  windowSeconds?: number;
}

const SIGNATURE_HEX = /^[0-9a-f]{64}$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

export function signWebhook(
  secret: string | Buffer,
  timestamp: number | string,
  rawBody: string | Uint8Array,
): string {
  if (secret.length === 0) throw new RangeError('A webhook secret must not be empty.');
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** The signed timestamp (unix seconds) when the request is authentic and fresh. */
export function verifyWebhook(input: VerifyWebhookInput): Result<{ timestamp: number }, WebhookRejection> {
  const { secret, rawBody, now, windowSeconds = 300 } = input;
  const signature = singleHeader(input.signatureHeader);
  const timestampText = singleHeader(input.timestampHeader);

  if (signature === null) {
    return rejection('x-signature', 'MISSING_SIGNATURE', 'The x-signature header is missing.');
  }
  if (timestampText === null) {
    return rejection('x-timestamp', 'MISSING_TIMESTAMP', 'The x-timestamp header is missing.');
  }
  if (!UNIX_SECONDS.test(timestampText)) {
    return rejection('x-timestamp', 'INVALID_TIMESTAMP', 'x-timestamp must be unix time in whole seconds.');
  }
  const timestamp = Number(timestampText);
  if (Math.abs(now.getTime() / 1000 - timestamp) > windowSeconds) {
    return rejection(
      'x-timestamp',
      'STALE_TIMESTAMP',
      `x-timestamp is more than ${windowSeconds} s from the server clock.`,
    );
  }
  if (!SIGNATURE_HEX.test(signature)) {
    return rejection('x-signature', 'BAD_SIGNATURE', 'x-signature must be a hex HMAC-SHA256.');
  }
  const expected = Buffer.from(signWebhook(secret, timestampText, rawBody), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return rejection('x-signature', 'BAD_SIGNATURE', 'x-signature does not match the body and timestamp.');
  }
  return ok({ timestamp });
}

/**
 * A header's value, or null when absent or blank. Repeated headers are combined with a comma, as
 * HTTP combines them, so two signatures or two timestamps fail their format check.
 */
function singleHeader(value: HeaderValue): string | null {
  const combined = typeof value === 'string' ? value : (value?.join(',') ?? '');
  return combined.trim() || null;
}

const rejection = (field: WebhookRejection['field'], code: WebhookRejectionCode, message: string) =>
  fail<WebhookRejection>({ field, code, message });
