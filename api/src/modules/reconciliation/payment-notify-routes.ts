import express, { type Express } from 'express';
import type pg from 'pg';
import { alipayNotifyEntry, verifyAlipayNotify } from '../../domain/gateways/alipay-notify.js';
import {
  decryptWechatpayResource,
  verifyWechatpaySignature,
  type WechatpayResource,
  wechatpayEntry,
} from '../../domain/gateways/wechatpay-notify.js';
import { inTransaction } from '../../infra/db/transaction.js';
import type { Logger } from '../../infra/logging/logger.js';
import { insertLedgerEntries } from '../ledger/ledger.store.js';
import type { GatewayNotifySettings } from './reconciliation-settings.js';

/**
 * Gateway notifications into the ledger, each verified the way its gateway signs:
 * `POST /payments/alipay/notify` (form-encoded, RSA2; answers `success`, as Alipay expects, or
 * `failure` so it retries) and `POST /payments/wechatpay/notify` (JSON with `Wechatpay-*` headers;
 * 204, or 4xx `{ code: 'FAIL', message }`). A notification sent twice books its money once.
 */
export function mountPaymentNotifications(
  app: Express,
  deps: { pool: pg.Pool; settings: GatewayNotifySettings; logger: Logger },
): void {
  const raw = express.raw({ type: '*/*', limit: '64kb' });
  const { settings } = deps;

  app.post('/payments/alipay/notify', raw, async (req, res) => {
    res.type('text/plain');
    if (!settings.alipayPublicKey) return void res.status(404).send('failure');
    const params = Object.fromEntries(
      new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : ''),
    );
    if (!verifyAlipayNotify(params, settings.alipayPublicKey)) return void res.status(401).send('failure');
    const entry = alipayNotifyEntry(params);
    if (!entry.ok) {
      deps.logger.warn({ errors: entry.errors }, 'alipay notification refused');
      return void res.status(400).send('failure');
    }
    try {
      if (entry.value)
        await inTransaction(deps.pool, (tx) =>
          insertLedgerEntries(tx, [entry.value!], settings.channel, null),
        );
      res.send('success');
    } catch (error) {
      deps.logger.error({ err: (error as Error).message }, 'alipay notification not stored');
      res.status(500).send('failure');
    }
  });

  app.post('/payments/wechatpay/notify', raw, async (req, res) => {
    const fail = (status: number, message: string) => void res.status(status).json({ code: 'FAIL', message });
    if (settings.wechatpayKeys.size === 0 || !settings.wechatpayApiV3Key) return fail(404, 'not configured');
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const verified = verifyWechatpaySignature(
      {
        timestamp: req.header('wechatpay-timestamp') ?? '',
        nonce: req.header('wechatpay-nonce') ?? '',
        signature: req.header('wechatpay-signature') ?? '',
        serial: req.header('wechatpay-serial') ?? '',
      },
      body,
      settings.wechatpayKeys,
      new Date(),
    );
    if (!verified.ok) return fail(401, verified.errors[0].message);
    let notice: { event_type?: string; resource?: WechatpayResource };
    try {
      notice = JSON.parse(body);
    } catch {
      return fail(400, 'the body is not JSON');
    }
    if (!notice.resource || typeof notice.event_type !== 'string')
      return fail(400, 'event_type and resource are required');
    const plain = decryptWechatpayResource(notice.resource, settings.wechatpayApiV3Key);
    if (!plain.ok) return fail(400, plain.errors[0].message);
    const entry = wechatpayEntry(notice.event_type, plain.value);
    if (!entry.ok) return fail(400, entry.errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    try {
      if (entry.value)
        await inTransaction(deps.pool, (tx) =>
          insertLedgerEntries(tx, [entry.value!], settings.channel, null),
        );
      res.status(204).end();
    } catch (error) {
      deps.logger.error({ err: (error as Error).message }, 'wechatpay notification not stored');
      fail(500, 'not stored; send again');
    }
  });
}
