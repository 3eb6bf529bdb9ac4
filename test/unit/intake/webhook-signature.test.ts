import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../../api/src/domain/intake/webhook-signature.js';

const SECRET = 'whsec_test_douyin_0123456789';
const NOW = new Date('2026-11-20T06:03:11Z');
const TIMESTAMP = NOW.getTime() / 1000;
const BODY = '{"shop_order_id":"6928374650192837465","order_status":2}';

function signed(overrides: Partial<Parameters<typeof verifyWebhook>[0]> = {}) {
  return {
    secret: SECRET,
    timestampHeader: String(TIMESTAMP),
    signatureHeader: signWebhook(SECRET, TIMESTAMP, BODY),
    rawBody: BODY,
    now: NOW,
    ...overrides,
  };
}

describe('signWebhook', () => {
  it('is hex HMAC-SHA256 over "<timestamp>.<rawBody>"', () => {
    const expected = createHmac('sha256', SECRET).update(`${TIMESTAMP}.${BODY}`).digest('hex');
    expect(signWebhook(SECRET, TIMESTAMP, BODY)).toBe(expected);
    expect(signWebhook(SECRET, String(TIMESTAMP), Buffer.from(BODY))).toBe(expected);
  });

  it('refuses an empty secret', () => {
    expect(() => signWebhook('', TIMESTAMP, BODY)).toThrow(RangeError);
  });
});

describe('verifyWebhook', () => {
  it('accepts a fresh, correctly signed request', () => {
    expect(verifyWebhook(signed())).toEqual({ ok: true, value: { timestamp: TIMESTAMP } });
  });

  it('accepts a Buffer body, an uppercase signature and a single-element header array', () => {
    const signature = signWebhook(SECRET, TIMESTAMP, BODY);
    expect(verifyWebhook(signed({ rawBody: Buffer.from(BODY) })).ok).toBe(true);
    expect(verifyWebhook(signed({ signatureHeader: signature.toUpperCase() })).ok).toBe(true);
    expect(verifyWebhook(signed({ signatureHeader: [signature] })).ok).toBe(true);
  });

  it('accepts timestamps at the edge of the window either way', () => {
    for (const skew of [-300, 300]) {
      const timestamp = TIMESTAMP + skew;
      const input = signed({
        timestampHeader: String(timestamp),
        signatureHeader: signWebhook(SECRET, timestamp, BODY),
      });
      expect(verifyWebhook(input).ok).toBe(true);
    }
  });

  it.each([
    ['a tampered body', { rawBody: BODY.replace('"order_status":2', '"order_status":4') }],
    [
      'a body re-serialised with different whitespace',
      { rawBody: JSON.stringify(JSON.parse(BODY), null, 1) },
    ],
    ['another channel secret', { secret: 'whsec_test_jd_0123456789' }],
    ['a signature for another timestamp', { signatureHeader: signWebhook(SECRET, TIMESTAMP - 1, BODY) }],
    ['a truncated signature', { signatureHeader: signWebhook(SECRET, TIMESTAMP, BODY).slice(0, 63) }],
    ['a non-hex signature', { signatureHeader: 'z'.repeat(64) }],
    [
      'repeated signature headers',
      { signatureHeader: ['00'.repeat(32), signWebhook(SECRET, TIMESTAMP, BODY)] },
    ],
  ])('refuses %s as BAD_SIGNATURE', (_, overrides) => {
    const result = verifyWebhook(signed(overrides));
    expect(result).toMatchObject({ ok: false, errors: { field: 'x-signature', code: 'BAD_SIGNATURE' } });
  });

  it.each([
    ['stale by more than 5 minutes', -301],
    ['in the future by more than 5 minutes', 301],
    ['a day old', -86_400],
  ])('refuses a timestamp %s as STALE_TIMESTAMP, even when correctly signed', (_, skew) => {
    const timestamp = TIMESTAMP + skew;
    const input = signed({
      timestampHeader: String(timestamp),
      signatureHeader: signWebhook(SECRET, timestamp, BODY),
    });
    expect(verifyWebhook(input)).toMatchObject({
      ok: false,
      errors: { field: 'x-timestamp', code: 'STALE_TIMESTAMP' },
    });
  });

  it('honours a custom window', () => {
    const timestamp = TIMESTAMP - 60;
    const input = signed({
      timestampHeader: String(timestamp),
      signatureHeader: signWebhook(SECRET, timestamp, BODY),
    });
    expect(verifyWebhook({ ...input, windowSeconds: 30 })).toMatchObject({
      ok: false,
      errors: { code: 'STALE_TIMESTAMP' },
    });
    expect(verifyWebhook({ ...input, windowSeconds: 60 }).ok).toBe(true);
  });

  it.each([
    ['absent', undefined],
    ['null', null],
    ['blank', '  '],
    ['an empty array', []],
  ])('reports a signature header that is %s as MISSING_SIGNATURE', (_, header) => {
    expect(verifyWebhook(signed({ signatureHeader: header }))).toMatchObject({
      ok: false,
      errors: { field: 'x-signature', code: 'MISSING_SIGNATURE' },
    });
  });

  it('reports a missing timestamp header as MISSING_TIMESTAMP', () => {
    for (const header of [undefined, '', []]) {
      expect(verifyWebhook(signed({ timestampHeader: header }))).toMatchObject({
        ok: false,
        errors: { field: 'x-timestamp', code: 'MISSING_TIMESTAMP' },
      });
    }
  });

  it.each(['yesterday', '1795154591.5', '-1795154591', '1795154591000000', '2026-11-20T06:03:11Z'])(
    'reports the timestamp %j as INVALID_TIMESTAMP',
    (header) => {
      expect(verifyWebhook(signed({ timestampHeader: header }))).toMatchObject({
        ok: false,
        errors: { field: 'x-timestamp', code: 'INVALID_TIMESTAMP' },
      });
    },
  );

  it('refuses repeated timestamp headers as INVALID_TIMESTAMP', () => {
    const input = signed({ timestampHeader: [String(TIMESTAMP), String(TIMESTAMP)] });
    expect(verifyWebhook(input)).toMatchObject({ ok: false, errors: { code: 'INVALID_TIMESTAMP' } });
  });

  it('reports the signature first when both headers are missing', () => {
    const result = verifyWebhook(signed({ signatureHeader: undefined, timestampHeader: undefined }));
    expect(result).toMatchObject({ ok: false, errors: { code: 'MISSING_SIGNATURE' } });
  });
});
