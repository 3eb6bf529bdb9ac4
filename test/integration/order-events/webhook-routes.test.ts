import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../api/src/domain/intake/webhook-signature.js';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { mountWebhooks } from '../../../api/src/modules/webhooks/webhook-routes.js';
import { resetWebhookStats, webhookStats } from '../../../api/src/modules/webhooks/webhook-stats.js';
import { type EventsDb, openEventsDb, seedOrder } from './order-events-kit.js';

const WMS_SECRET = 'wms-secret-for-tests-0001';

describe('webhook routes in process', () => {
  let db: EventsDb;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    db = await openEventsDb('webhooks');
    const app = express();
    mountWebhooks(app, {
      pool: db.pool,
      secrets: { WMS: WMS_SECRET },
      logger: createLogger('silent', 'test'),
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    resetWebhookStats();
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await db?.close();
  });

  const send = async (path: string, body: string, signature?: string) => {
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-timestamp': String(timestamp),
        'x-signature': signature ?? signWebhook(WMS_SECRET, timestamp, body),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('answers every case in JSON and counts failures per webhook', async () => {
    const order = await seedOrder(db.pool, 'PAID');
    const at = new Date(Date.now() - 1000).toISOString();
    const events = [
      { orderId: order.id, type: 'WMS_ACCEPTED', idempotencyKey: 'a', occurredAt: at },
      { orderId: order.id, source: 'TMS', type: 'WMS_PACKED', idempotencyKey: 'b', occurredAt: at },
      { orderId: order.id, channel: 'JD', type: 'WMS_PACKED', idempotencyKey: 'c', occurredAt: at },
    ];
    const ok = await send('/webhooks/events/wms', JSON.stringify({ events }));
    expect(ok.status).toBe(200);
    expect((ok.body.results as { outcome: string }[]).map((r) => r.outcome)).toEqual([
      'APPLIED',
      'INVALID',
      'INVALID',
    ]);
    expect((ok.body.errors as { field: string; code: string }[]).map((e) => [e.field, e.code])).toEqual([
      ['events[1].source', 'SOURCE_MISMATCH'],
      ['events[2].orderId', 'AMBIGUOUS_ORDER_REF'],
    ]);

    expect((await send('/webhooks/events/wms', '{}', '0'.repeat(64))).status).toBe(401);
    expect((await send('/webhooks/events/wms', '"just a string"')).status).toBe(400);
    expect((await send('/webhooks/events/tms', '{}')).status).toBe(503);
    const unknown = await send('/webhooks/events/warehouse', '{}');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'UNKNOWN_WEBHOOK' } });

    expect(webhookStats()).toEqual({
      WMS: {
        requests: 3,
        accepted: 1,
        signatureFailures: 1,
        notConfigured: 0,
        malformed: 1,
        invalidItems: 2,
        serverErrors: 0,
      },
      TMS: {
        requests: 1,
        accepted: 0,
        signatureFailures: 0,
        notConfigured: 1,
        malformed: 0,
        invalidItems: 0,
        serverErrors: 0,
      },
    });
  });
});
