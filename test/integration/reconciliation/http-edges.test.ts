import { createCipheriv, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueStaffToken } from '../../../api/src/domain/auth/staff-token.js';
import type { StaffRole } from '../../../api/src/domain/auth/viewer.js';
import { alipaySignContent } from '../../../api/src/domain/gateways/alipay-notify.js';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { AuthService } from '../../../api/src/modules/auth/auth.service.js';
import { ERP_COLUMNS } from '../../../api/src/modules/reconciliation/erp-export.js';
import { mountPaymentNotifications } from '../../../api/src/modules/reconciliation/payment-notify-routes.js';
import { mountReconciliation } from '../../../api/src/modules/reconciliation/reconciliation-routes.js';
import { runReconciliation } from '../../../api/src/modules/reconciliation/reconciliation-run.service.js';
import {
  DEFAULT_MATCHING,
  reconciliationSettings,
} from '../../../api/src/modules/reconciliation/reconciliation-settings.js';
import * as samples from '../../support/bill-samples.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';

const secret = 'reconciliation-test-secret-0123456789-abc';
const alipayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const wechatKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const API_V3 = randomBytes(16).toString('hex');
const SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const pem = (k: typeof alipayKeys.publicKey) => k.export({ type: 'spki', format: 'pem' }).toString();

let db: MigratedDb;
let server: Server;
let base: string;
const token = (...roles: StaffRole[]) =>
  `Bearer ${issueStaffToken(secret, { userId: '00000000-0000-4000-8000-00000000f001', username: 'wang.fin', roles }, new Date())}`;

beforeAll(async () => {
  db = await openMigratedDb('reconciliation_http');
  const settings = reconciliationSettings({
    RECONCILIATION_ALIPAY_PUBLIC_KEY: pem(alipayKeys.publicKey),
    RECONCILIATION_WECHATPAY_PLATFORM_KEYS: JSON.stringify({ [SERIAL]: pem(wechatKeys.publicKey) }),
    RECONCILIATION_WECHATPAY_APIV3_KEY: API_V3,
  });
  const auth = await AuthService.open(db.orm, secret);
  const logger = createLogger('silent', 'test');
  const app = express();
  mountReconciliation(app, { pool: db.pool, auth, settings, logger, maxBillBytes: 200_000 });
  mountPaymentNotifications(app, { pool: db.pool, settings: settings.notify, logger });
  server = createServer(app);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  await db?.close();
});

const upload = (query: string, body: string | Buffer, authorization = token('FINANCE')) =>
  fetch(`${base}/reconciliation/bills?${query}`, { method: 'POST', headers: { authorization }, body });
const count = async () =>
  (await db.pool.query('select count(*)::int as n from money_record')).rows[0].n as number;

const ROWS: samples.WechatRow[] = [
  {
    time: '2026-11-20 10:00:00',
    transactionId: '4200000001',
    orderNo: 'H1',
    state: 'SUCCESS',
    settledCents: 10_000n,
    feeCents: 60n,
  },
  {
    time: '2026-11-20 11:00:00',
    transactionId: '4200000002',
    orderNo: 'H2',
    state: 'SUCCESS',
    settledCents: 5_000n,
    feeCents: 30n,
  },
];

describe('bill upload over HTTP', () => {
  it('imports a WeChat bill and answers its counts; the same file again changes nothing', async () => {
    const bill = samples.wechatTradeBill(ROWS);
    const first = await upload('format=WECHAT_TRADE&channel=WEBSHOP&name=wx_20261120.csv', bill);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      alreadyImported: false,
      import: { format: 'WECHAT_TRADE', lines: 5, entries: 2, inserted: 2, fileName: 'wx_20261120.csv' },
    });
    const again = await upload('format=WECHAT_TRADE&channel=WEBSHOP', bill);
    expect(await again.json()).toMatchObject({ alreadyImported: true, import: { inserted: 2 } });
    expect(await count()).toBe(2);
  });

  it('books the same payment in a second file once', async () => {
    const overlapping = samples.wechatTradeBill([
      ROWS[1],
      { ...ROWS[1], transactionId: '4200000003', orderNo: 'H3' },
    ]);
    const res = await upload('format=WECHAT_TRADE&channel=WEBSHOP', overlapping);
    expect(await res.json()).toMatchObject({ alreadyImported: false, import: { entries: 2, inserted: 1 } });
    expect(await count()).toBe(3);
  });

  it('refuses a malformed file with its line and imports none of it', async () => {
    const rows = [
      ...ROWS.map((r) => ({ ...r, transactionId: `${r.transactionId}9` })),
      { ...ROWS[0], transactionId: '42000000099', time: 'yesterday' },
    ];
    const res = await upload('format=WECHAT_TRADE&channel=WEBSHOP', samples.wechatTradeBill(rows));
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: {
        code: 'BILL_REJECTED',
        line: 4,
        field: '交易时间',
        message: expect.stringContaining('交易时间'),
      },
    });
    expect(await count()).toBe(3);
    expect((await db.pool.query('select count(*)::int as n from bill_import')).rows[0].n).toBe(2);
  });

  it('takes an Alipay zip, and refuses the wrong role, a bad format and an oversized file', async () => {
    const dir = samples.tempDir();
    await samples.zipFiles(`${dir}/a.zip`, [
      {
        name: '业务明细.csv',
        data: samples.alipayAccountBill([
          {
            tradeNo: '2026A1',
            orderNo: 'H9',
            type: '交易',
            finishedAt: '2026-11-20 09:00:00',
            amountCents: 800n,
            feeCents: 5n,
          },
        ]),
      },
    ]);
    const zip = await import('node:fs').then((fs) => fs.readFileSync(`${dir}/a.zip`));
    expect(await (await upload('format=ALIPAY_ACCOUNT&channel=WEBSHOP', zip)).json()).toMatchObject({
      import: { inserted: 1 },
    });
    expect((await upload('format=WECHAT_TRADE&channel=WEBSHOP', 'x', token('SERVICE'))).status).toBe(403);
    expect((await upload('format=NOPE&channel=WEBSHOP', 'x')).status).toBe(400);
    expect((await upload('format=WECHAT_TRADE&channel=WEBSHOP', Buffer.alloc(300_000, 'a'))).status).toBe(
      413,
    );
  });
});

describe('the ERP export', () => {
  it('streams the documented columns, one line per money movement and per expected payment without money', async () => {
    await db.pool.query(
      `insert into orders (channel, channel_order_no, business_type, state, channel_status, ordered_at, paid_at, source_updated_at,
                           goods_cents, shipping_cents, total_cents, paid_cents, buyer_name, buyer_phone, address, items, payment_no, updated_at)
       select 'WEBSHOP', no, 'NORMAL', 'PAID', 'PAID', t, t, t, c, 0, c, c, '测试', '13800000000', '{}', '[]', tx, now()
         from (values ('H1', 10000, '4200000001', '2026-11-20T10:00:00+08:00'::timestamptz),
                      ('H4', 777, 'TXH4', '2026-11-20T12:00:00+08:00'::timestamptz)) v(no, c, tx, t)`,
    );
    // Their payments, as intake records them from the channel's payload.
    await db.pool.query(
      `insert into order_payment (order_id, gateway, payment_no, kind, amount_cents, currency, paid_at, event_key,
                                  recorded_at)
       select id, channel, payment_no, 'FULL', paid_cents, 'CNY', paid_at, 'channel-payload:test', paid_at
         from orders where channel = 'WEBSHOP' and channel_order_no in ('H1', 'H4')`,
    );
    await runReconciliation(db.pool, {
      shop: 'WEBSHOP',
      fromDate: '2026-11-20',
      toDate: '2026-11-20',
      trigger: 'MANUAL',
      startedBy: 't',
      settings: DEFAULT_MATCHING,
      now: new Date('2026-11-25T00:00:00Z'),
    });
    const res = await fetch(`${base}/reconciliation/export.csv?date=2026-11-20&shop=WEBSHOP`, {
      headers: { authorization: token('SUPERVISOR') },
    });
    expect(res.status).toBe(200);
    const lines = (await res.text()).replace('\uFEFF', '').trim().split('\r\n');
    expect(lines[0]).toBe(ERP_COLUMNS.join(','));
    const rows = lines
      .slice(1)
      .map((l) => Object.fromEntries(l.split(',').map((v, i) => [ERP_COLUMNS[i], v])));
    expect(rows.find((r) => r.channel_order_no === 'H1')).toMatchObject({
      movement: 'PAYMENT',
      gateway: 'WECHAT',
      amount: '100.00',
      amount_cents: '10000',
      outcome: 'MATCHED',
      occurred_at: '2026-11-20T10:00:00+08:00',
    });
    expect(rows.find((r) => r.channel_order_no === 'H2')).toMatchObject({
      movement: 'PAYMENT',
      outcome: 'PAYMENT_WITHOUT_ORDER',
      discrepancy_state: 'OPEN',
    });
    expect(rows.find((r) => r.channel_order_no === 'H4')).toMatchObject({
      movement: 'EXPECTED',
      amount: '7.77',
      outcome: 'MISSING_PAYMENT',
      part: 'FULL',
    });
    expect(rows).toHaveLength(5); // H1, H2, H3, H9 money, H4 expected
    expect(
      (
        await fetch(`${base}/reconciliation/export.csv?date=20261120`, {
          headers: { authorization: token('FINANCE') },
        })
      ).status,
    ).toBe(400);
  });
});

describe('gateway notifications', () => {
  it('books a signed Alipay notification once and refuses a forged one', async () => {
    const params: Record<string, string> = {
      notify_id: 'n1',
      trade_no: '2026N1',
      out_trade_no: 'N1',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '12.34',
      gmt_payment: '2026-11-20 08:00:00',
    };
    const sign = createSign('RSA-SHA256')
      .update(alipaySignContent(params), 'utf8')
      .sign(alipayKeys.privateKey, 'base64');
    const body = new URLSearchParams({ ...params, sign_type: 'RSA2', sign }).toString();
    const post = (b: string) =>
      fetch(`${base}/payments/alipay/notify`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: b,
      });
    for (let i = 0; i < 2; i++) expect(await (await post(body)).text()).toBe('success');
    const forged = await post(body.replace('12.34', '1.00'));
    expect([forged.status, await forged.text()]).toEqual([401, 'failure']);
    expect(
      (await db.pool.query(`select amount_cents::int as c from money_record where record_no = '2026N1'`))
        .rows,
    ).toEqual([{ c: 1234 }]);
  });

  it('books a signed WeChat Pay v3 notification after decrypting it, and refuses a bad signature', async () => {
    const nonce = randomBytes(6).toString('hex');
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(API_V3), Buffer.from(nonce));
    cipher.setAAD(Buffer.from('transaction'));
    const plain = JSON.stringify({
      transaction_id: '4200N2',
      out_trade_no: 'N2',
      trade_state: 'SUCCESS',
      success_time: '2026-11-20T08:00:00+08:00',
      amount: { total: 999, currency: 'CNY' },
    });
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]).toString(
      'base64',
    );
    const body = JSON.stringify({
      id: 'EV1',
      event_type: 'TRANSACTION.SUCCESS',
      resource: { algorithm: 'AEAD_AES_256_GCM', ciphertext, nonce, associated_data: 'transaction' },
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const headerNonce = randomBytes(8).toString('hex');
    const signature = createSign('RSA-SHA256')
      .update(`${ts}\n${headerNonce}\n${body}\n`)
      .sign(wechatKeys.privateKey, 'base64');
    const headers = {
      'content-type': 'application/json',
      'wechatpay-timestamp': ts,
      'wechatpay-nonce': headerNonce,
      'wechatpay-signature': signature,
      'wechatpay-serial': SERIAL,
    };
    expect((await fetch(`${base}/payments/wechatpay/notify`, { method: 'POST', headers, body })).status).toBe(
      204,
    );
    const bad = await fetch(`${base}/payments/wechatpay/notify`, {
      method: 'POST',
      headers,
      body: body.replace('EV1', 'EV2'),
    });
    expect([bad.status, ((await bad.json()) as { code: string }).code]).toEqual([401, 'FAIL']);
    expect(
      (
        await db.pool.query(
          `select amount_cents::int as c, gateway from money_record where record_no = '4200N2'`,
        )
      ).rows,
    ).toEqual([{ c: 999, gateway: 'WECHAT' }]);
  });
});

describe('settings', () => {
  it('names the variable of a bad value', () => {
    expect(() =>
      reconciliationSettings({ RECONCILIATION_FEES: '{"PAYPAL":{"rateBp":1,"toleranceCents":0}}' }),
    ).toThrow('RECONCILIATION_FEES');
    expect(() => reconciliationSettings({ RECONCILIATION_WECHATPAY_APIV3_KEY: 'short' })).toThrow(
      'RECONCILIATION_WECHATPAY_APIV3_KEY',
    );
    expect(iconv.encodingExists('gbk')).toBe(true);
  });
});
