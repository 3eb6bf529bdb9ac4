import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import {
  adminAuthorization,
  graphql,
  type PlatformProcess,
  spawnPlatform,
  waitUntilReady,
} from '../support/platform-process.js';
import { postSigned, type SignedPostOptions } from '../support/signed-webhook.js';
import { createTestDatabase } from '../support/test-database.js';

const taobaoOrder = JSON.parse(readFileSync('test/fixtures/channels/taobao-normal.json', 'utf8'));
const TID: string = taobaoOrder.trade_fullinfo_get_response.trade.tid;
const SECRETS = {
  WEBHOOK_SECRET_TAOBAO: 'taobao-secret-0123456789',
  WEBHOOK_SECRET_WMS: 'wms-secret-0123456789abc',
  WEBHOOK_SECRET_TMS: 'tms-secret-0123456789abc',
};

/**
 * Signed webhooks and lifecycle events against the real `api` process: a Taobao order arrives by
 * webhook, the warehouse and the carrier report by webhook and through `recordOrderEvents`,
 * staff add a note, and the order query shows the merged timeline and the customer's label.
 */
describe('signed webhooks, lifecycle events, notes and the timeline', () => {
  let database: { url: string; drop(): Promise<void> };
  let api: PlatformProcess;
  let baseUrl: string;
  let authorization: string;
  let orderId: string;

  const post = (path: string, body: string, secret: string, opts: SignedPostOptions = {}) =>
    postSigned(`${baseUrl}${path}`, body, secret, opts);
  const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();

  beforeAll(async () => {
    database = await createTestDatabase('webhooks');
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    api = spawnPlatform('api', {
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...SECRETS,
    });
    await waitUntilReady(baseUrl, api);
    authorization = await adminAuthorization(baseUrl);
  });

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('takes a signed Taobao order', async () => {
    const res = await post(
      '/webhooks/orders/taobao',
      JSON.stringify(taobaoOrder),
      SECRETS.WEBHOOK_SECRET_TAOBAO,
    );
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([]);
    expect(res.body.results).toHaveLength(1);
    expect(res.body.results[0]).toMatchObject({
      index: 0,
      channelOrderNo: TID,
      outcome: 'CREATED',
      state: 'PAID',
    });
    orderId = res.body.results[0].orderId as string;
  });

  it('refuses a tampered body, a stale timestamp and an endpoint without a secret', async () => {
    const body = JSON.stringify({ orders: [taobaoOrder] });
    const tampered = await post('/webhooks/orders/taobao', body, SECRETS.WEBHOOK_SECRET_TAOBAO, {
      sendInstead: body.replace(TID, `${TID.slice(0, -1)}0`),
    });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error).toMatchObject({ code: 'BAD_SIGNATURE', field: 'x-signature' });

    const stale = await post('/webhooks/orders/taobao', body, SECRETS.WEBHOOK_SECRET_TAOBAO, {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('STALE_TIMESTAMP');

    const payment = await post('/webhooks/events/payment', '{"events":[]}', 'whatever-secret-123');
    expect(payment.status).toBe(503);
    expect(payment.body).toEqual({
      error: { code: 'WEBHOOK_NOT_CONFIGURED', message: expect.any(String) },
    });

    const malformed = await post('/webhooks/events/wms', '{"events": [', SECRETS.WEBHOOK_SECRET_WMS);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('INVALID_JSON');
    expect(malformed.body.errors).toHaveLength(1);
  });

  it('applies signed WMS events, valid ones committed beside a refused one', async () => {
    const events = [
      {
        channel: 'TAOBAO',
        channelOrderNo: TID,
        type: 'WMS_ACCEPTED',
        idempotencyKey: 'wms-a',
        occurredAt: secondsAgo(20),
      },
      {
        channel: 'TAOBAO',
        channelOrderNo: TID,
        type: 'WMS_PICKING_STARTED',
        idempotencyKey: 'wms-p',
        occurredAt: secondsAgo(5),
      },
      {
        channel: 'TAOBAO',
        channelOrderNo: 'no-such-order',
        type: 'WMS_PACKED',
        idempotencyKey: 'x',
        occurredAt: secondsAgo(5),
      },
    ];
    const res = await post('/webhooks/events/wms', JSON.stringify({ events }), SECRETS.WEBHOOK_SECRET_WMS);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => [r.outcome, r.toState])).toEqual([
      ['APPLIED', 'WAREHOUSE_ACCEPTED'],
      ['APPLIED', 'PICKING'],
      ['INVALID', null],
    ]);
    expect(res.body.errors).toEqual([
      { field: 'events[2].channelOrderNo', code: 'ORDER_NOT_FOUND', message: expect.any(String) },
    ]);

    const data = await graphql<{ order: { state: string; customerStatus: string; staffStatus: string } }>(
      baseUrl,
      'query ($id: ID!) { order(id: $id) { state customerStatus staffStatus } }',
      { id: orderId },
      { authorization },
    );
    expect(data.order).toEqual({
      state: 'PICKING',
      customerStatus: '仓库拣货中（预计2小时内完成）',
      staffStatus: '拣货中',
    });
  });

  it('records events through recordOrderEvents and a signed TMS webhook, and a staff note', async () => {
    const recorded = await graphql<{
      recordOrderEvents: {
        results: {
          index: number;
          orderId: string | null;
          outcome: string;
          fromState: string;
          toState: string;
          reason: string;
        }[];
        userErrors: { field: string; code: string }[];
      };
    }>(
      baseUrl,
      `mutation ($input: RecordOrderEventsInput!) { recordOrderEvents(input: $input) {
        results { index orderId outcome fromState toState reason } userErrors { field code message } } }`,
      {
        input: {
          events: [
            {
              orderId,
              source: 'WMS',
              type: 'WMS_PACKED',
              idempotencyKey: 'wms-k',
              occurredAt: secondsAgo(4),
            },
            {
              orderId,
              source: 'WMS',
              type: 'WMS_SHIPPED',
              idempotencyKey: 'wms-s',
              occurredAt: secondsAgo(3),
            },
            {
              orderId,
              source: 'WMS',
              type: 'WMS_ACCEPTED',
              idempotencyKey: 'wms-late',
              // Stamped after the packing: the order was already past WAREHOUSE_ACCEPTED then.
              occurredAt: secondsAgo(3.5),
            },
            {
              orderId,
              source: 'WMS',
              type: 'WMS_TELEPORTED',
              idempotencyKey: 'wms-t',
              occurredAt: secondsAgo(3),
            },
          ],
        },
      },
      { authorization },
    );
    const { results, userErrors } = recorded.recordOrderEvents;
    expect(results.map((r) => r.outcome)).toEqual(['APPLIED', 'APPLIED', 'STALE', 'INVALID']);
    expect(results[2].reason).toMatch(/arrived late/);
    expect(userErrors).toEqual([
      { field: 'events[3].type', code: 'UNKNOWN_EVENT_TYPE', message: expect.any(String) },
    ]);

    const tms = await post(
      '/webhooks/events/tms',
      JSON.stringify({ orderId, type: 'TMS_PICKED_UP', idempotencyKey: 'tms-1', occurredAt: secondsAgo(2) }),
      SECRETS.WEBHOOK_SECRET_TMS,
    );
    expect(tms.status).toBe(200);
    expect(tms.body.results[0]).toMatchObject({
      outcome: 'APPLIED',
      fromState: 'SHIPPED',
      toState: 'IN_TRANSIT',
    });

    const noted = await graphql<{
      addOrderNote: {
        note: { author: { username: string }; role: string; text: string };
        userErrors: unknown[];
      };
    }>(
      baseUrl,
      `mutation ($id: ID!, $text: String!) { addOrderNote(orderId: $id, text: $text) {
        note { id author { userId username } role text createdAt } userErrors { field code } } }`,
      { id: orderId, text: '客户来电，要求尽快发货' },
      { authorization },
    );
    expect(noted.addOrderNote.userErrors).toEqual([]);
    expect(noted.addOrderNote.note).toMatchObject({
      author: { username: 'admin' },
      role: 'ADMIN',
      text: '客户来电，要求尽快发货',
    });
  });

  it('shows the merged timeline, newest first, and the customer status', async () => {
    const data = await graphql<{
      order: {
        state: string;
        customerStatus: string;
        staffStatus: string;
        timeline: {
          kind: string;
          occurredAt: string;
          receivedAt: string;
          source: string;
          type: string;
          outcome: string | null;
          toState: string | null;
          reason: string | null;
          author: { username: string } | null;
          text: string | null;
        }[];
      };
    }>(
      baseUrl,
      `query ($id: ID!) { order(id: $id) { state customerStatus staffStatus
        timeline { kind occurredAt receivedAt source type outcome fromState toState reason author { userId username } role text } } }`,
      { id: orderId },
      { authorization },
    );
    const { order } = data;
    expect(order.state).toBe('IN_TRANSIT');
    expect(order.customerStatus).toBe('运输途中');
    expect(order.staffStatus).toBe('运输中');
    const times = order.timeline.map((e) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(order.timeline[0]).toMatchObject({ kind: 'NOTE', source: 'STAFF', author: { username: 'admin' } });
    const events = order.timeline.filter((e) => e.kind === 'EVENT').map((e) => [e.type, e.outcome]);
    expect(events).toEqual([
      ['TMS_PICKED_UP', 'APPLIED'],
      ['WMS_SHIPPED', 'APPLIED'],
      ['WMS_ACCEPTED', 'STALE'],
      ['WMS_PACKED', 'APPLIED'],
      ['WMS_PICKING_STARTED', 'APPLIED'],
      ['WMS_ACCEPTED', 'APPLIED'],
      ['ORDER_CREATED', 'APPLIED'],
    ]);
    const stale = order.timeline.find((e) => e.outcome === 'STALE');
    expect(stale?.reason).toMatch(/arrived late/);
    expect(Date.parse(stale!.receivedAt)).toBeGreaterThan(Date.parse(stale!.occurredAt));
  });
});
