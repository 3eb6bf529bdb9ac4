import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort } from '../support/free-port.js';
import {
  adminAuthorization,
  closeCodeWithoutCredentials,
  graphql,
  type PlatformProcess,
  spawnPlatform,
  waitUntilReady,
} from '../support/platform-process.js';
import { type RecordingServer, startRecordingServer } from '../support/recording-server.js';
import { createTestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

let orderNo = 0;

/** A paid web shop order; `garbage` gives it an address no division data can read. */
function webshopOrder(garbage = false): Record<string, unknown> {
  orderNo += 1;
  return {
    orderNo: `WS-E2E-FH-${orderNo}`,
    status: 'PAID',
    businessType: 'NORMAL',
    createdAt: '2026-11-25T14:03:11+08:00',
    paidAt: '2026-11-25T14:05:40+08:00',
    updatedAt: '2026-11-25T14:05:41+08:00',
    goodsCents: 30_000,
    shippingCents: 0,
    totalCents: 30_000,
    paidCents: 30_000,
    presale: null,
    buyer: { name: '测试买家', phone: '13800138000' },
    shippingAddress: garbage
      ? { province: null, city: null, district: null, street: null, detail: `#${orderNo} ???` }
      : { province: '江苏省', city: '南京市', district: '鼓楼区', street: null, detail: '示例路 1 号' },
    items: [
      { lineNo: '1', sku: 'SKU-1', title: '测试商品', quantity: 1, unitPriceCents: 30_000, category: '家居' },
    ],
    paymentNo: `PAY-E2E-FH-${orderNo}`,
  };
}

interface FlowHealthEvent {
  channel: string | null;
  routingMode: string;
  previousMode: string;
  trigger: string;
  changedBy: string;
  reason: string;
}

/**
 * The customer's outage, end to end in a running platform: the web shop's addresses stop
 * parsing, routing notices that channel is blind and pauses it (the other channels go on), tells
 * the operations group and subscribers, holds its new orders; an operator resumes the channel and
 * the held orders are routed.
 */
describe('routing notices it is blind: pause, alert, hold, resume', () => {
  let database: { url: string; drop(): Promise<void> };
  let platform: PlatformProcess;
  let robot: RecordingServer;
  let baseUrl: string;
  let authorization: string;
  let db: pg.Client;

  const submit = async (orders: Record<string, unknown>[]) => {
    const data = await graphql<{
      submitOrders: { results: { orderId: string; outcome: string }[]; userErrors: unknown[] };
    }>(
      baseUrl,
      `mutation ($input: SubmitOrdersInput!) { submitOrders(input: $input) {
        results { orderId outcome } userErrors { field code message } } }`,
      { input: { channel: 'WEBSHOP', orders } },
      { authorization },
    );
    expect(data.submitOrders.userErrors).toEqual([]);
    return data.submitOrders.results.map((r) => r.orderId);
  };
  const routingOf = async (ids: string[]) =>
    (
      await db.query<{ id: string; group_id: string | null; hold_reason: string | null }>(
        'select id, group_id, hold_reason from orders where id = any($1::uuid[])',
        [ids],
      )
    ).rows.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  const metrics = async () => (await fetch(`${baseUrl}/metrics`)).text();

  beforeAll(async () => {
    database = await createTestDatabase('flowhealth');
    robot = await startRecordingServer();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    platform = spawnPlatform('start', {
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      SCHEDULER_POLL_MS: '200',
      OUTBOX_SWEEP_MS: '1000',
      OPS_WECOM_WEBHOOK_URL: `${robot.url}/cgi-bin/webhook/send?key=e2e-ops`,
      WECOM_ALLOW_LOCAL: 'true',
      FLOW_HEALTH_CHECK_SECONDS: '1',
      ROUTING_HEALTH_MIN_SAMPLES: '10',
      ROUTING_AUTO_RESUME: 'false',
      DEMO_SEED: 'false',
      DEMO_SIMULATOR: 'false',
      WORKER_NAME: 'flow-health-e2e',
    });
    await waitUntilReady(baseUrl, platform);
    authorization = await adminAuthorization(baseUrl);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await platform?.stop();
    await robot?.close();
    await database?.drop();
  });

  it('pauses on garbage addresses, alerts and holds; resumeRouting releases the held orders', async () => {
    const client = createClient({
      url: `${baseUrl.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization },
    });
    const events: FlowHealthEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on('connected', () => resolve());
      client.subscribe(
        {
          query:
            'subscription { flowHealthChanged { channel routingMode previousMode trigger changedBy reason } }',
        },
        {
          next: (message) => events.push(message.data?.flowHealthChanged as unknown as FlowHealthEvent),
          error: (e) =>
            reject(new Error(`subscription failed: ${String((e as { code?: number }).code ?? e)}`)),
          complete: () => {},
        },
      );
    });
    await new Promise((r) => setTimeout(r, 200));

    // Healthy: an order is routed to its group.
    const [first] = await submit([webshopOrder()]);
    expect((await routingOf([first]))[0]).toMatchObject({ group_id: 'east-china', hold_reason: null });
    expect(await metrics()).toContain('orderops_routing_paused 0');

    // The outage: addresses stop parsing until the rate falls below 95 % over enough samples.
    await submit(Array.from({ length: 6 }, () => webshopOrder(true)));
    await submit(Array.from({ length: 6 }, () => webshopOrder(true)));

    const paused = await waitFor(() => events.find((e) => e.routingMode === 'PAUSED'), {
      timeoutMs: 20_000,
      message: 'the flowHealthChanged PAUSED event',
    });
    expect(paused).toMatchObject({
      channel: 'WEBSHOP',
      previousMode: 'ACTIVE',
      trigger: 'AUTOMATIC',
      changedBy: 'system',
    });
    expect(paused.reason).toContain('暂停该渠道自动分配（其他渠道照常）');

    const [alert] = await robot.waitForRequests(1, 20_000);
    expect(alert.path).toBe('/cgi-bin/webhook/send?key=e2e-ops');
    const content = (alert.body as { msgtype: string; markdown: { content: string } }).markdown.content;
    expect((alert.body as { msgtype: string }).msgtype).toBe('markdown');
    expect(content.split('\n')[0]).toBe(
      '## <font color="warning">渠道 官网商城(WEBSHOP) 订单自动分配已暂停</font>',
    );
    expect(content).toContain('> 官网商城(WEBSHOP)：<font color="warning">7.7%</font>（1/13）');

    // New orders are held, even those whose address parses.
    const held = await submit([webshopOrder(), webshopOrder()]);
    expect((await routingOf(held)).map((o) => [o.group_id, o.hold_reason])).toEqual([
      [null, 'ROUTING_PAUSED'],
      [null, 'ROUTING_PAUSED'],
    ]);
    await waitFor(
      async () => (await metrics()).includes('orderops_routing_channel_paused{channel="WEBSHOP"} 1'),
      {
        timeoutMs: 15_000,
        message: 'orderops_routing_channel_paused{channel="WEBSHOP"} 1 at /metrics',
      },
    );
    const text = await metrics();
    expect(text).toContain('orderops_routing_paused 0');
    expect(text).toContain('orderops_routing_channel_paused{channel="TAOBAO"} 0');
    expect(text).toMatch(/orderops_address_parse_success_ratio\{channel="WEBSHOP"\} 0\.\d+/);

    const health = await graphql<{
      flowHealth: {
        routing: { mode: string };
        channelRouting: { channel: string; mode: string; heldOrders: number }[];
        heldOrders: { reason: string; count: number }[];
        problems: string[];
      };
    }>(
      baseUrl,
      '{ flowHealth { routing { mode } channelRouting { channel mode heldOrders } heldOrders { reason count } problems } }',
      {},
      { authorization },
    );
    expect(health.flowHealth.routing.mode).toBe('ACTIVE');
    expect(health.flowHealth.channelRouting).toContainEqual({
      channel: 'WEBSHOP',
      mode: 'PAUSED',
      heldOrders: 2,
    });
    expect(health.flowHealth.channelRouting).toContainEqual({
      channel: 'TAOBAO',
      mode: 'ACTIVE',
      heldOrders: 0,
    });
    expect(health.flowHealth.heldOrders).toContainEqual({ reason: 'ROUTING_PAUSED', count: 2 });
    expect(health.flowHealth.problems[0]).toMatch(/^渠道 官网商城\(WEBSHOP\) 自动分配已暂停/);

    // The operator fixes the data and resumes the channel: its held orders are routed again.
    const resumed = await graphql<{
      resumeRouting: { changed: boolean; reroutedOrders: number | null; routing: { mode: string } };
    }>(
      baseUrl,
      'mutation { resumeRouting(note: "城市库已回滚", channel: WEBSHOP) { changed reroutedOrders routing { mode } } }',
      {},
      { authorization },
    );
    expect(resumed.resumeRouting).toEqual({ changed: true, reroutedOrders: 2, routing: { mode: 'ACTIVE' } });
    expect((await routingOf(held)).map((o) => [o.group_id, o.hold_reason])).toEqual([
      ['east-china', null],
      ['east-china', null],
    ]);
    const active = await waitFor(() => events.find((e) => e.routingMode === 'ACTIVE'), {
      timeoutMs: 20_000,
      message: 'the flowHealthChanged ACTIVE event',
    });
    expect(active).toMatchObject({
      channel: 'WEBSHOP',
      previousMode: 'PAUSED',
      trigger: 'MANUAL',
      changedBy: 'admin',
    });
    const requests = await robot.waitForRequests(2, 20_000);
    expect((requests[1].body as { markdown: { content: string } }).markdown.content.split('\n')[0]).toBe(
      '## <font color="info">渠道 官网商城(WEBSHOP) 订单自动分配已恢复</font>',
    );
    await waitFor(
      async () => (await metrics()).includes('orderops_routing_channel_paused{channel="WEBSHOP"} 0'),
      {
        timeoutMs: 15_000,
        message: 'orderops_routing_channel_paused{channel="WEBSHOP"} 0 at /metrics',
      },
    );

    // The garbage parsed before the resume does not pause routing again.
    await new Promise((r) => setTimeout(r, 2500));
    const [later] = await submit([webshopOrder()]);
    expect((await routingOf([later]))[0]).toMatchObject({ group_id: 'east-china', hold_reason: null });
    expect(events.filter((e) => e.routingMode === 'PAUSED')).toHaveLength(1);
    await client.dispose();

    // The check is one recurring Agenda job row that keeps running.
    const jobs = await db.query(`select last_run_at from agenda_jobs where name = 'flow-health.check'`);
    expect(jobs.rows).toHaveLength(1);
    expect(jobs.rows[0].last_run_at).toBeInstanceOf(Date);
  });

  it('refuses flowHealthChanged to a connection without credentials', async () => {
    expect(
      await closeCodeWithoutCredentials(baseUrl, 'subscription { flowHealthChanged { routingMode } }'),
    ).toBe(4403);
  });
});
