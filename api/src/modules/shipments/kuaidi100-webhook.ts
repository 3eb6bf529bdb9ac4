import express, { type Express, type Request, type Response } from 'express';
import type pg from 'pg';
import { parseKuaidi100Push, verifyKuaidi100Sign } from '../../domain/tracking/kuaidi100-push.js';
import type { StallSettings } from '../../domain/tracking/stall.js';
import { traceOfPush } from '../../domain/tracking/trace.js';
import type { Logger } from '../../infra/logging/logger.js';
import { recordCarrierReport } from './shipment.service.js';

export interface Kuaidi100WebhookDeps {
  pool: pg.Pool;
  /** The salt agreed with Kuaidi100; null answers 503. */
  salt: string | null;
  stall: StallSettings;
  logger: Logger;
  now?: () => Date;
}

/** Kuaidi100's answer shapes: `result: true` stops its retries; anything else is retried. */
const ACCEPTED = { result: true, returnCode: '200', message: '成功' };
const refused = (returnCode: string, message: string) => ({ result: false, returnCode, message });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `POST /webhooks/kuaidi100[?order=<order id>]`, form-encoded `param` (the push, JSON) and `sign`
 * = MD5(param + salt). The subscription names the order in the callback URL, so the first push
 * of a waybill can create its shipment. Answers Kuaidi100's JSON: 200 `result: true` once the
 * push is recorded (a repeat included); `result: false` with 400 for a bad push (not retried to
 * success), 401 for a bad sign, 404 for a waybill with no order, 503 when no salt is configured.
 */
export function mountKuaidi100Webhook(app: Express, deps: Kuaidi100WebhookDeps): void {
  app.post(
    '/webhooks/kuaidi100',
    express.urlencoded({ extended: false, limit: '2mb', parameterLimit: 10 }),
    async (req: Request, res: Response) => {
      if (!deps.salt) {
        res.status(503).json(refused('503', 'KUAIDI100_NOT_CONFIGURED'));
        return;
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const param = typeof body.param === 'string' ? body.param : '';
      const sign = typeof body.sign === 'string' ? body.sign : '';
      if (!param || !sign) {
        res.status(400).json(refused('400', 'param and sign are required'));
        return;
      }
      if (!verifyKuaidi100Sign(param, sign, deps.salt)) {
        deps.logger.warn({ webhook: 'KUAIDI100' }, 'Kuaidi100 push with a wrong sign');
        res.status(401).json(refused('401', 'BAD_SIGN'));
        return;
      }
      const parsed = parseKuaidi100Push(param);
      if (!parsed.ok) {
        const [first] = parsed.errors;
        res.status(400).json({ ...refused('400', `${first.field}: ${first.code}`), errors: parsed.errors });
        return;
      }
      const orderParam = typeof req.query.order === 'string' ? req.query.order.trim() : '';
      const push = parsed.value;
      try {
        const result = await recordCarrierReport(
          { pool: deps.pool, stall: deps.stall },
          {
            orderId: UUID.test(orderParam) ? orderParam.toLowerCase() : null,
            carrier: push.com,
            waybillNo: push.nu,
            source: 'KUAIDI100',
            entries: traceOfPush(push),
          },
          (deps.now ?? (() => new Date()))(),
        );
        if (!result.ok) {
          res.status(404).json(refused('404', result.code));
          return;
        }
        res.status(200).json(ACCEPTED);
      } catch (error) {
        deps.logger.error({ webhook: 'KUAIDI100', err: (error as Error).message }, 'Kuaidi100 push failed');
        res.status(500).json(refused('500', 'retry later'));
      }
    },
  );
}
