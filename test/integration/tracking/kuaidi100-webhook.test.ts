import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STALL_SETTINGS } from '../../../api/src/domain/tracking/stall.js';
import { mountKuaidi100Webhook } from '../../../api/src/modules/shipments/kuaidi100-webhook.js';
import type { MigratedDb } from '../../support/migrated-db.js';
import { openEventsDb, seedOrder } from '../order-events/order-events-kit.js';
import {
  logger,
  orderState,
  postPush,
  pushParam,
  SALT,
  type Scan,
  serve,
  shipmentOf,
} from './tracking-kit.js';

let db: MigratedDb;
let server: { url: string; close(): Promise<void> };
const NOW = new Date('2026-11-27T04:00:00Z');

beforeAll(async () => {
  db = await openEventsDb('kuaidi100');
  server = await serve((app) =>
    mountKuaidi100Webhook(app, {
      pool: db.pool,
      salt: SALT,
      stall: DEFAULT_STALL_SETTINGS,
      logger,
      now: () => NOW,
    }),
  );
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const PICKED: Scan = { time: '2026-11-25 10:00:00', context: '【杭州市】快件已揽收', status: '揽收' };
const TRANSIT: Scan = { time: '2026-11-25 20:00:00', context: '【杭州市】到达杭州转运中心', status: '在途' };
const OUT: Scan = { time: '2026-11-26 09:00:00', context: '【上海市】快递员正在派件', status: '派件' };
const SIGNED: Scan = { time: '2026-11-26 15:00:00', context: '【上海市】已签收', status: '签收' };

describe('Kuaidi100 push webhook', () => {
  it('answers Kuaidi100 success, creates the shipment and moves the order through its events', async () => {
    const order = await seedOrder(db.pool, 'SHIPPED');
    const answer = await postPush(server.url, pushParam('ZT1001', 0, [PICKED, TRANSIT]), {
      orderId: order.id,
    });
    expect(answer).toEqual({ status: 200, body: { result: true, returnCode: '200', message: '成功' } });
    const shipment = await shipmentOf(db.pool, 'ZT1001');
    expect(shipment).toMatchObject({
      order_id: order.id,
      carrier: 'zhongtong',
      state: 'IN_TRANSIT',
      trace_count: 2,
    });
    expect(shipment.last_event_at.toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(shipment.eta).not.toBeNull();
    expect(shipment.next_stall_check_at.toISOString()).toBe('2026-11-26T12:00:00.000Z');
    expect(await orderState(db.pool, order.id)).toBe('IN_TRANSIT');
  });

  it('keeps each scan once when the whole history is pushed again, and the order history too', async () => {
    const order = await seedOrder(db.pool, 'SHIPPED');
    const param = pushParam('ZT1002', 5, [PICKED, TRANSIT, OUT]);
    await postPush(server.url, param, { orderId: order.id });
    const history = async () =>
      (await db.pool.query('select count(*)::int as n from order_event where order_id = $1', [order.id]))
        .rows[0].n;
    const before = await history();
    // Repeated: same answer, nothing new; later pushes need no order in the URL.
    expect((await postPush(server.url, param)).body.result).toBe(true);
    expect((await shipmentOf(db.pool, 'ZT1002')).trace_count).toBe(3);
    expect(await history()).toBe(before);
    expect(await orderState(db.pool, order.id)).toBe('OUT_FOR_DELIVERY');
  });

  it('announces a push that only adds scans (the order keeps its state) in the same transaction, once', async () => {
    const order = await seedOrder(db.pool, 'SHIPPED');
    await postPush(server.url, pushParam('ZT1009', 0, [PICKED, TRANSIT]), { orderId: order.id });
    expect(await orderState(db.pool, order.id)).toBe('IN_TRANSIT');
    const news = async () =>
      (
        await db.pool.query<{ e: Record<string, unknown> }>(
          `select e from outbox_message m, jsonb_array_elements(m.payload->'events') e
            where m.topic = 'order.updated' and e->>'orderId' = $1 and e->>'parcelChange' = 'TRACE'
            order by m.id`,
          [order.id],
        )
      ).rows.map((r) => r.e);
    expect(await news()).toHaveLength(1);
    const moreTransit: Scan = {
      time: '2026-11-26 02:00:00',
      context: '【南京市】离开南京转运中心',
      status: '在途',
    };
    await postPush(server.url, pushParam('ZT1009', 0, [PICKED, TRANSIT, moreTransit]));
    expect(await orderState(db.pool, order.id)).toBe('IN_TRANSIT');
    const events = await news();
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({
      orderId: order.id,
      state: 'IN_TRANSIT',
      previousState: 'IN_TRANSIT',
      parcelChange: 'TRACE',
      waybillNo: 'ZT1009',
    });
    // The same history again adds no scan, so no news.
    await postPush(server.url, pushParam('ZT1009', 0, [PICKED, TRANSIT, moreTransit]));
    expect(await news()).toHaveLength(2);
  });

  it('is safe out of order: an older push after a newer one changes neither parcel nor order', async () => {
    const order = await seedOrder(db.pool, 'SHIPPED');
    await postPush(server.url, pushParam('ZT1003', 3, [PICKED, TRANSIT, OUT, SIGNED]), { orderId: order.id });
    await postPush(server.url, pushParam('ZT1003', 0, [PICKED, TRANSIT]), { orderId: order.id });
    expect(await shipmentOf(db.pool, 'ZT1003')).toMatchObject({
      state: 'DELIVERED',
      trace_count: 4,
      next_stall_check_at: null,
    });
    expect(await orderState(db.pool, order.id)).toBe('DELIVERED');
  });

  it('moves a refused parcel out of "shipped" into RETURNING, and a returned one to RETURNED', async () => {
    const refused = await seedOrder(db.pool, 'SHIPPED');
    await postPush(
      server.url,
      pushParam('ZT1004', 14, [
        PICKED,
        { time: '2026-11-26 10:00:00', context: '收件人拒收', status: '拒签' },
      ]),
      { orderId: refused.id },
    );
    expect(await orderState(db.pool, refused.id)).toBe('RETURNING');
    expect((await shipmentOf(db.pool, 'ZT1004')).state).toBe('REJECTED');

    const returned = await seedOrder(db.pool, 'IN_TRANSIT');
    await postPush(
      server.url,
      pushParam('ZT1005', 4, [{ time: '2026-11-26 10:00:00', context: '退件已签收', status: '退签' }]),
      { orderId: returned.id },
    );
    expect(await orderState(db.pool, returned.id)).toBe('RETURNED');
  });

  it('refuses a wrong sign (401), a bad push (400) and an unknown waybill without order (404), writing nothing', async () => {
    const param = pushParam('ZT1006', 0, [PICKED]);
    expect(await postPush(server.url, param, { salt: 'another-salt' })).toMatchObject({
      status: 401,
      body: { result: false },
    });
    const bad = await postPush(server.url, JSON.stringify({ lastResult: { com: 'zhongtong' } }));
    expect(bad.status).toBe(400);
    expect(bad.body.result).toBe(false);
    expect(await postPush(server.url, param)).toMatchObject({ status: 404, body: { result: false } });
    expect(await shipmentOf(db.pool, 'ZT1006')).toBeUndefined();
  });

  it('applies every state code without an error, each ending where the lifecycle allows', async () => {
    for (const code of [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14]) {
      const order = await seedOrder(db.pool, 'SHIPPED');
      const answer = await postPush(
        server.url,
        pushParam(`ZTC${code}`, code, [{ time: '2026-11-26 10:00:00', context: `state ${code}` }]),
        { orderId: order.id },
      );
      expect(answer.body.result).toBe(true);
      const state = await orderState(db.pool, order.id);
      if ([4].includes(code)) expect(state).toBe('RETURNED');
      else if ([6, 14].includes(code)) expect(state).toBe('RETURNING');
      else if (code === 3) expect(state).toBe('DELIVERED');
      else if (code === 5) expect(state).toBe('OUT_FOR_DELIVERY');
      else if ([2, 13].includes(code)) expect(state).toBe('SHIPPED');
      else expect(state).toBe('IN_TRANSIT');
    }
  });
});
