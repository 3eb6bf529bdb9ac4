import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STALL_SETTINGS } from '../../../api/src/domain/tracking/stall.js';
import { mountTmsShipmentWebhook } from '../../../api/src/modules/shipments/tms-shipment-webhook.js';
import type { MigratedDb } from '../../support/migrated-db.js';
import { postSigned } from '../../support/signed-webhook.js';
import { openEventsDb, seedOrder } from '../order-events/order-events-kit.js';
import { logger, orderState, serve, shipmentOf } from './tracking-kit.js';

const SECRET = 'tms-secret-of-16-chars';
let db: MigratedDb;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  db = await openEventsDb('tms_shipments');
  server = await serve((app) =>
    mountTmsShipmentWebhook(app, { pool: db.pool, secret: SECRET, stall: DEFAULT_STALL_SETTINGS, logger }),
  );
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const event = (orderId: string, type: string, key: string, minutesAgo: number) =>
  JSON.stringify({
    orderId,
    carrier: 'shunfeng',
    waybillNo: 'SF1000200030',
    type,
    idempotencyKey: key,
    occurredAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
    description: '顺丰已揽收',
    originProvince: '44',
  });

describe('TMS shipment event', () => {
  it('creates the shipment on its first event, asks Kuaidi100 for pushes once, and moves the order', async () => {
    const order = await seedOrder(db.pool, 'PACKED');
    const first = await postSigned(
      `${server.url}/webhooks/shipments`,
      event(order.id, 'WMS_SHIPPED', 'tms-1', 30),
      SECRET,
    );
    expect(first.status).toBe(200);
    const picked = await postSigned(
      `${server.url}/webhooks/shipments`,
      event(order.id, 'TMS_PICKED_UP', 'tms-2', 10),
      SECRET,
    );
    expect(picked.status).toBe(200);
    expect(await shipmentOf(db.pool, 'SF1000200030')).toMatchObject({
      state: 'PICKED_UP',
      origin_province: '44',
      trace_count: 2,
    });
    expect(await orderState(db.pool, order.id)).toBe('IN_TRANSIT');
    const subscribe = await db.pool.query(
      "select payload from outbox_message where topic = 'kuaidi100.subscribe'",
    );
    expect(subscribe.rows).toEqual([
      {
        payload: expect.objectContaining({
          orderId: order.id,
          carrier: 'shunfeng',
          waybillNo: 'SF1000200030',
        }),
      },
    ]);
    // The same event again adds nothing.
    await postSigned(
      `${server.url}/webhooks/shipments`,
      event(order.id, 'TMS_PICKED_UP', 'tms-2', 10),
      SECRET,
    );
    expect((await shipmentOf(db.pool, 'SF1000200030')).trace_count).toBe(2);
  });

  it('refuses a bad signature and names bad fields', async () => {
    const order = await seedOrder(db.pool, 'PACKED');
    expect(
      (
        await postSigned(
          `${server.url}/webhooks/shipments`,
          event(order.id, 'WMS_SHIPPED', 'x', 1),
          'another-secret-16chars',
        )
      ).status,
    ).toBe(401);
    const bad = await postSigned(
      `${server.url}/webhooks/shipments`,
      JSON.stringify({
        orderId: order.id,
        carrier: 'sf express!',
        waybillNo: '1',
        type: 'NOTE_ADDED',
        idempotencyKey: 'k',
        occurredAt: new Date().toISOString(),
      }),
      SECRET,
    );
    expect(bad.status).toBe(400);
    expect(
      (bad.body as unknown as { errors: { field: string; code: string }[] }).errors.map(
        (e) => `${e.field}:${e.code}`,
      ),
    ).toEqual(['source:SOURCE_MISMATCH', 'carrier:INVALID_FORMAT', 'waybillNo:INVALID_FORMAT']);
  });
});
