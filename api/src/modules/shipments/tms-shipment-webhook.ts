import { createHash } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import type pg from 'pg';
import { verifyWebhook } from '../../domain/intake/webhook-signature.js';
import { parseOrderEvent } from '../../domain/order/order-events.js';
import type { FieldError } from '../../domain/shared/result.js';
import { TMS_EVENT_SHIPMENT_STATE } from '../../domain/tracking/carrier-state.js';
import type { StallSettings } from '../../domain/tracking/stall.js';
import type { TraceEntry } from '../../domain/tracking/trace.js';
import type { Logger } from '../../infra/logging/logger.js';
import { recordCarrierReport } from './shipment.service.js';

export interface TmsShipmentWebhookDeps {
  pool: pg.Pool;
  /** `WEBHOOK_SECRET_TMS`; absent answers 503. */
  secret: string | null;
  stall: StallSettings;
  logger: Logger;
}

const CODE = /^[A-Za-z0-9_-]{1,32}$/;
const WAYBILL = /^[A-Za-z0-9-]{4,64}$/;

/**
 * `POST /webhooks/shipments`: the generic TMS event about a parcel, signed like every platform
 * webhook (`x-timestamp`, `x-signature`). Body: `{ orderId, carrier, waybillNo, type, occurredAt,
 * idempotencyKey, description?, location?, originProvince? }` with `type` a shipping event
 * (`WMS_SHIPPED`, `TMS_PICKED_UP` … `TMS_RETURNED`, `TMS_EXCEPTION_REPORTED`). Creates the
 * shipment on its first event, adds the trace entry and moves the order through the order-event
 * service.
 */
export function mountTmsShipmentWebhook(app: Express, deps: TmsShipmentWebhookDeps): void {
  app.post(
    '/webhooks/shipments',
    express.raw({ type: '*/*', limit: '1mb' }),
    async (req: Request, res: Response) => {
      if (!deps.secret) {
        res
          .status(503)
          .json({ error: { code: 'WEBHOOK_NOT_CONFIGURED', message: 'set WEBHOOK_SECRET_TMS' } });
        return;
      }
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const now = new Date();
      const verified = verifyWebhook({
        secret: deps.secret,
        timestampHeader: req.headers['x-timestamp'],
        signatureHeader: req.headers['x-signature'],
        rawBody: body,
        now,
      });
      if (!verified.ok) {
        res.status(401).json({ error: verified.errors });
        return;
      }
      const read = readTmsShipmentEvent(body, now);
      if (!read.ok) {
        res.status(400).json({ error: read.errors[0], errors: read.errors });
        return;
      }
      try {
        const result = await recordCarrierReport({ pool: deps.pool, stall: deps.stall }, read.value, now);
        if (!result.ok) {
          res.status(404).json({ error: { field: 'orderId', code: result.code, message: result.message } });
          return;
        }
        res.json({
          shipmentId: result.shipment.id,
          state: result.shipment.state,
          newEntries: result.newEntries,
          orderEvents: result.orderEvents.map(({ outcome, fromState, toState, reason }) => ({
            outcome,
            fromState,
            toState,
            reason,
          })),
        });
      } catch (error) {
        deps.logger.error(
          { webhook: 'TMS_SHIPMENTS', err: (error as Error).message },
          'shipment webhook failed',
        );
        res.status(500).json({ error: { code: 'INTERNAL', message: 'retry later' } });
      }
    },
  );
}

type Read =
  | { ok: true; value: Parameters<typeof recordCarrierReport>[1] }
  | { ok: false; errors: FieldError[] };

function readTmsShipmentEvent(body: Buffer, now: Date): Read {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, errors: [{ field: '', code: 'INVALID_JSON', message: 'the body is not JSON' }] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return {
      ok: false,
      errors: [{ field: '', code: 'INVALID_TYPE', message: 'the body must be an object' }],
    };
  const errors: FieldError[] = [];
  const event = parseOrderEvent({ ...raw, source: raw.type === 'WMS_SHIPPED' ? 'WMS' : 'TMS' }, now);
  if (!event.ok) errors.push(...event.errors);
  const shipmentState = event.ok ? TMS_EVENT_SHIPMENT_STATE[event.value.type] : undefined;
  if (event.ok && !shipmentState)
    errors.push({
      field: 'type',
      code: 'NOT_A_SHIPMENT_EVENT',
      message: `${event.value.type} says nothing about a parcel`,
    });
  const orderId = typeof raw.orderId === 'string' ? raw.orderId.trim().toLowerCase() : '';
  if (!/^[0-9a-f-]{36}$/.test(orderId))
    errors.push({ field: 'orderId', code: 'REQUIRED', message: 'orderId must be the order id' });
  if (typeof raw.carrier !== 'string' || !CODE.test(raw.carrier))
    errors.push({
      field: 'carrier',
      code: 'INVALID_FORMAT',
      message: 'carrier must be a Kuaidi100 company code, e.g. shunfeng',
    });
  if (typeof raw.waybillNo !== 'string' || !WAYBILL.test(raw.waybillNo))
    errors.push({
      field: 'waybillNo',
      code: 'INVALID_FORMAT',
      message: 'waybillNo must be 4–64 letters, digits or -',
    });
  if (errors.length > 0 || !event.ok || !shipmentState) return { ok: false, errors };
  const description = typeof raw.description === 'string' ? raw.description.slice(0, 500) : '';
  const entry: TraceEntry = {
    entryKey: createHash('sha1').update(`tms\u0000${event.value.idempotencyKey}`).digest('hex').slice(0, 20),
    occurredAt: event.value.occurredAt,
    description: description || event.value.type,
    location: typeof raw.location === 'string' ? raw.location.slice(0, 100) : null,
    carrierCode: null,
    state: shipmentState,
    orderEvents: [event.value.type],
  };
  return {
    ok: true,
    value: {
      orderId,
      carrier: raw.carrier as string,
      waybillNo: raw.waybillNo as string,
      originProvince: typeof raw.originProvince === 'string' ? raw.originProvince.slice(0, 20) : null,
      source: 'TMS',
      entries: [entry],
    },
  };
}
