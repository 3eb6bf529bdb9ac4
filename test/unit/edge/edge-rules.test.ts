import { describe, expect, it } from 'vitest';
import {
  ADDRESS_THROTTLE,
  afterFailure,
  blockedForMs,
  NO_FAILURES,
  USER_THROTTLE,
} from '../../../api/src/domain/auth/login-throttle.js';
import { issueStaffToken, verifyStaffToken } from '../../../api/src/domain/auth/staff-token.js';
import { isRepresentable, MAX_TEXT_CHARS, textDefects } from '../../../api/src/domain/edge/edge-text.js';
import {
  FUTURE_TOLERANCE_MS,
  MAX_ORDER_CENTS,
  orderPlausibility,
} from '../../../api/src/domain/edge/order-plausibility.js';
import type { NormalizedOrder } from '../../../api/src/domain/intake/normalized-order.js';

const NOW = new Date('2026-11-25T08:00:00Z');

describe('edge text', () => {
  it('names every NUL, lone surrogate, over-long string and key by its path', () => {
    expect(
      textDefects({ a: 'ok', b: ['x\u0000'], c: { d: '\uD800x', e: '\uDC00' }, ['k\u0000']: 1 }, 'orders[2]'),
    ).toEqual([
      expect.objectContaining({ field: 'orders[2].b[0]', code: 'UNREPRESENTABLE_TEXT' }),
      expect.objectContaining({ field: 'orders[2].c.d', code: 'UNREPRESENTABLE_TEXT' }),
      expect.objectContaining({ field: 'orders[2].c.e', code: 'UNREPRESENTABLE_TEXT' }),
      expect.objectContaining({ field: 'orders[2].<key>', code: 'UNREPRESENTABLE_TEXT' }),
    ]);
    expect(textDefects({ note: 'x'.repeat(MAX_TEXT_CHARS + 1) })).toEqual([
      expect.objectContaining({ field: 'note', code: 'TOO_LONG' }),
    ]);
  });

  it('accepts paired surrogates (emoji), Chinese text and prototype keys as plain names', () => {
    expect(textDefects(JSON.parse('{"__proto__": {"x": "😀 张三"}, "constructor": "y"}'))).toEqual([]);
    expect(isRepresentable('😀')).toBe(true);
    expect(isRepresentable('\uD83D')).toBe(false);
  });

  it('refuses nesting deeper than it walks, without a stack overflow', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(textDefects(deep)[0]).toMatchObject({ code: 'TOO_DEEP' });
  });
});

describe('order plausibility', () => {
  const order = (over: Partial<NormalizedOrder> = {}): NormalizedOrder => ({
    channel: 'WEBSHOP',
    channelOrderNo: 'W1',
    businessType: 'NORMAL',
    state: 'PAID',
    channelStatus: 'PAID',
    createdAt: new Date('2026-11-25T07:00:00Z'),
    paidAt: new Date('2026-11-25T07:01:00Z'),
    sourceUpdatedAt: new Date('2026-11-25T07:01:00Z'),
    goodsCents: 100,
    shippingCents: 0,
    totalCents: 100,
    paidCents: 100,
    presale: null,
    buyer: { name: 'n', phone: '13900000000' },
    address: { province: null, city: null, district: null, street: null, detail: 'd' },
    items: [{ lineNo: '1', sku: null, title: 't', quantity: 1, unitPriceCents: 100, category: '' }],
    paymentNo: null,
    ...over,
  });

  it('passes a plausible order, and amounts up to the ceiling', () => {
    expect(orderPlausibility(order(), NOW)).toEqual([]);
    expect(orderPlausibility(order({ totalCents: MAX_ORDER_CENTS }), NOW)).toEqual([]);
  });

  it('refuses amounts and quantities a 32-bit client cannot read back', () => {
    const items = [
      { lineNo: '1', sku: null, title: 't', quantity: 2 ** 31, unitPriceCents: 1, category: '' },
    ];
    const codes = orderPlausibility(order({ totalCents: 2 ** 31, items }), NOW).map(
      (e) => `${e.field}:${e.code}`,
    );
    expect(codes).toEqual([
      'totalCents:AMOUNT_TOO_LARGE',
      'items[0].quantity:QUANTITY_TOO_LARGE',
      'items[0]:AMOUNT_TOO_LARGE',
    ]);
  });

  it('refuses times beyond the tolerance in the future and payment before creation', () => {
    const ahead = new Date(NOW.getTime() + FUTURE_TOLERANCE_MS + 1);
    expect(
      orderPlausibility(order({ createdAt: ahead, paidAt: ahead, sourceUpdatedAt: ahead }), NOW).map(
        (e) => e.field,
      ),
    ).toEqual(['createdAt', 'paidAt', 'sourceUpdatedAt']);
    // Without a clock (orders replayed on their own clock) only the order of the times is judged.
    expect(
      orderPlausibility(order({ createdAt: ahead, paidAt: ahead, sourceUpdatedAt: ahead }), null),
    ).toEqual([]);
    const withinTolerance = new Date(NOW.getTime() + FUTURE_TOLERANCE_MS);
    expect(orderPlausibility(order({ sourceUpdatedAt: withinTolerance }), NOW)).toEqual([]);
    expect(orderPlausibility(order({ paidAt: new Date('2026-11-25T06:59:59Z') }), NOW)).toEqual([
      expect.objectContaining({ field: 'paidAt', code: 'PAID_BEFORE_CREATED' }),
    ]);
  });
});

describe('sign-in back-off', () => {
  it('lets five failures pass, then blocks for 1 s, 2 s, 4 s … up to 15 minutes', () => {
    let state = NO_FAILURES;
    const blocks: number[] = [];
    for (let i = 0; i < 20; i++) {
      state = afterFailure(state, USER_THROTTLE, NOW);
      blocks.push(blockedForMs(state, NOW));
    }
    expect(blocks.slice(0, 8)).toEqual([0, 0, 0, 0, 0, 1000, 2000, 4000]);
    expect(blocks[19]).toBe(15 * 60_000);
    expect(blockedForMs(state, new Date(NOW.getTime() + 15 * 60_000))).toBe(0);
  });

  it('forgets failures after a quiet hour, and is more lenient per address', () => {
    let state = NO_FAILURES;
    for (let i = 0; i < 5; i++) state = afterFailure(state, USER_THROTTLE, NOW);
    const later = afterFailure(state, USER_THROTTLE, new Date(NOW.getTime() + 61 * 60_000));
    expect(later.failures).toBe(1);
    expect(later.blockedUntil).toBeNull();
    let address = NO_FAILURES;
    for (let i = 0; i < 20; i++) address = afterFailure(address, ADDRESS_THROTTLE, NOW);
    expect(blockedForMs(address, NOW)).toBe(0);
  });
});

describe('staff token', () => {
  const secret = 'edge-rules-secret-0123456789-abcdefghijkl';
  it('carries its audience and the token version', () => {
    const token = issueStaffToken(
      secret,
      { userId: 'u1', username: 'zhang', roles: ['OPS'], tokenVersion: 3 },
      NOW,
    );
    const checked = verifyStaffToken(secret, token, NOW);
    expect(checked).toMatchObject({ ok: true, claims: { aud: 'staff', ver: 3 } });
  });

  it('refuses a correctly signed token for another audience, and one without a version', async () => {
    const { createHmac } = await import('node:crypto');
    const sign = (claims: object) => {
      const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
      return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
    };
    const base = { userId: 'u1', username: 'zhang', roles: ['OPS'], exp: NOW.getTime() / 1000 + 60 };
    expect(verifyStaffToken(secret, sign({ ...base, aud: 'customer', ver: 0 }), NOW)).toEqual({
      ok: false,
      reason: 'WRONG_AUDIENCE',
    });
    expect(verifyStaffToken(secret, sign({ ...base, aud: 'staff' }), NOW)).toEqual({
      ok: false,
      reason: 'MALFORMED',
    });
  });
});
