import { createCipheriv, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  alipayNotifyEntry,
  alipaySignContent,
  verifyAlipayNotify,
} from '../../../api/src/domain/gateways/alipay-notify.js';
import {
  decryptWechatpayResource,
  verifyWechatpaySignature,
  wechatpayEntry,
} from '../../../api/src/domain/gateways/wechatpay-notify.js';

const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });

function signAlipay(params: Record<string, string>, key = alipay.privateKey) {
  const sign = createSign('RSA-SHA256').update(alipaySignContent(params), 'utf8').sign(key, 'base64');
  return { ...params, sign_type: 'RSA2', sign };
}

const PAID = {
  notify_time: '2026-11-20 12:00:05',
  notify_type: 'trade_status_sync',
  notify_id: 'ac05099524730693a8b330c5ecf72da9786',
  app_id: '2014072300007148',
  trade_no: '2026112022001400001',
  out_trade_no: 'W1001',
  trade_status: 'TRADE_SUCCESS',
  total_amount: '123.45',
  gmt_payment: '2026-11-20 12:00:00',
  body: '',
};

describe('Alipay asynchronous notification', () => {
  it('signs the sorted parameters without sign, sign_type and empty values', () => {
    expect(alipaySignContent({ b: '2', a: '1', sign: 'x', sign_type: 'RSA2', c: '' })).toBe('a=1&b=2');
  });

  it('verifies RSA2 with the configured public key and reads the payment', () => {
    const params = signAlipay(PAID);
    expect(verifyAlipayNotify(params, alipay.publicKey)).toBe(true);
    expect(alipayNotifyEntry(params)).toEqual({
      ok: true,
      value: expect.objectContaining({
        kind: 'PAYMENT',
        recordNo: '2026112022001400001',
        merchantOrderNo: 'W1001',
        amountCents: 12_345n,
        occurredAt: new Date('2026-11-20T04:00:00Z'),
      }),
    });
  });

  it('refuses a changed amount, another key and a missing sign type', () => {
    const params = signAlipay(PAID);
    expect(verifyAlipayNotify({ ...params, total_amount: '1.00' }, alipay.publicKey)).toBe(false);
    expect(verifyAlipayNotify(signAlipay(PAID, stranger.privateKey), alipay.publicKey)).toBe(false);
    expect(verifyAlipayNotify({ ...params, sign_type: 'RSA' }, alipay.publicKey)).toBe(false);
  });

  it('reads a refund notification and ignores one that moves no money', () => {
    const refund = alipayNotifyEntry({
      ...PAID,
      refund_fee: '20.00',
      out_biz_no: 'RB1',
      gmt_refund: '2026-11-21 09:00:00.123',
    });
    expect(refund).toMatchObject({
      ok: true,
      value: { kind: 'REFUND', recordNo: 'RB1', paymentNo: '2026112022001400001', amountCents: 2_000n },
    });
    expect(alipayNotifyEntry({ ...PAID, trade_status: 'WAIT_BUYER_PAY' })).toEqual({ ok: true, value: null });
    expect(alipayNotifyEntry({ ...PAID, total_amount: 'abc' })).toMatchObject({
      ok: false,
      errors: [{ field: 'total_amount', code: 'INVALID_MONEY' }],
    });
  });
});

const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const API_V3_KEY = randomBytes(16).toString('hex'); // 32 characters
const KEYS = new Map([['5157F09EFDC096DE15EBE81A47057A7232F1B8E1', platform.publicKey]]);
const NOW = new Date('2026-11-20T04:00:10Z');

function encrypt(plain: object, key = API_V3_KEY) {
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from('transaction', 'utf8'));
  const data = Buffer.concat([
    cipher.update(JSON.stringify(plain), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return {
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: data.toString('base64'),
    nonce,
    associated_data: 'transaction',
    original_type: 'transaction',
  };
}

function signed(body: string, at = NOW, key = platform.privateKey) {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const signature = createSign('RSA-SHA256')
    .update(`${timestamp}\n${nonce}\n${body}\n`, 'utf8')
    .sign(key, 'base64');
  return { timestamp, nonce, signature, serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' };
}

const TRANSACTION = {
  transaction_id: '4200000001202611200001',
  out_trade_no: 'W1001',
  trade_state: 'SUCCESS',
  success_time: '2026-11-20T12:00:00+08:00',
  amount: { total: 12345, payer_total: 12345, currency: 'CNY', payer_currency: 'CNY' },
};

describe('WeChat Pay v3 notification', () => {
  it('verifies the Wechatpay-* signature and decrypts the resource with the APIv3 key', () => {
    const body = JSON.stringify({
      id: 'EV-1',
      event_type: 'TRANSACTION.SUCCESS',
      resource: encrypt(TRANSACTION),
    });
    expect(verifyWechatpaySignature(signed(body), body, KEYS, NOW)).toEqual({ ok: true, value: true });
    const plain = decryptWechatpayResource(JSON.parse(body).resource, API_V3_KEY);
    expect(plain.ok && wechatpayEntry('TRANSACTION.SUCCESS', plain.value)).toEqual({
      ok: true,
      value: expect.objectContaining({
        kind: 'PAYMENT',
        recordNo: '4200000001202611200001',
        amountCents: 12_345n,
        occurredAt: new Date('2026-11-20T04:00:00Z'),
      }),
    });
  });

  it('refuses a changed body, an old timestamp, an unknown serial and a wrong APIv3 key', () => {
    const body = JSON.stringify({
      id: 'EV-2',
      event_type: 'TRANSACTION.SUCCESS',
      resource: encrypt(TRANSACTION),
    });
    const headers = signed(body);
    expect(verifyWechatpaySignature(headers, body.replace('EV-2', 'EV-3'), KEYS, NOW)).toMatchObject({
      ok: false,
      errors: [{ code: 'BAD_SIGNATURE' }],
    });
    expect(
      verifyWechatpaySignature(signed(body, new Date(NOW.getTime() - 301_000)), body, KEYS, NOW),
    ).toMatchObject({ ok: false, errors: [{ code: 'STALE' }] });
    expect(verifyWechatpaySignature({ ...headers, serial: 'OTHER' }, body, KEYS, NOW)).toMatchObject({
      ok: false,
      errors: [{ code: 'UNKNOWN_KEY' }],
    });
    expect(decryptWechatpayResource(JSON.parse(body).resource, 'x'.repeat(32))).toMatchObject({
      ok: false,
      errors: [{ code: 'UNDECRYPTABLE' }],
    });
  });

  it('reads a refund and ignores a trade that did not succeed', () => {
    const refund = {
      ...TRANSACTION,
      refund_id: '50300000012026112100001',
      out_refund_no: 'R1',
      refund_status: 'SUCCESS',
      amount: { total: 12345, refund: 2345 },
    };
    expect(wechatpayEntry('REFUND.SUCCESS', refund)).toMatchObject({
      ok: true,
      value: { kind: 'REFUND', recordNo: '50300000012026112100001', amountCents: 2_345n },
    });
    expect(wechatpayEntry('TRANSACTION.SUCCESS', { ...TRANSACTION, trade_state: 'NOTPAY' })).toEqual({
      ok: true,
      value: null,
    });
  });
});
