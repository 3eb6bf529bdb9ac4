import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ApiAndWorker, graphql, startApiAndWorker } from '../support/platform-process.js';
import { type RecordingServer, startRecordingServer } from '../support/recording-server.js';
import { createTestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

const OWNER_MOBILE = '13800138001';
const SUPERVISOR_MOBILE = '13900139002';

interface TicketRaised {
  ticketId: string;
  orderId: string;
  stage: string;
  level: number;
  groupId: string | null;
  assigneeUserId: string | null;
}

/**
 * SLA interception in a running platform (api and worker processes): an operator points a group's
 * robot at a test server and saves a one-minute policy over GraphQL; an order paid over a minute
 * ago is flagged by the worker's recurring sweep, its owner is reminded on WeCom and the ticket
 * reaches a `ticketRaised` subscriber.
 */
describe('an order past its deadline is flagged, its owner reminded and a ticket raised', () => {
  let database: { url: string; drop(): Promise<void> };
  let platform: ApiAndWorker;
  let robot: RecordingServer;
  let baseUrl: string;
  let authorization: string;

  beforeAll(async () => {
    database = await createTestDatabase('sla_e2e');
    robot = await startRecordingServer();
    platform = await startApiAndWorker(
      {
        DATABASE_URL: database.url,
        SCHEDULER_POLL_MS: '200',
        OUTBOX_SWEEP_MS: '1000',
        SLA_SWEEP_SECONDS: '1',
        WECOM_ALLOW_LOCAL: 'true',
      },
      'sla-e2e-worker',
    );
    ({ baseUrl, authorization } = platform);
  });

  afterAll(async () => {
    await platform?.stop();
    await robot?.close();
    await database?.drop();
  });

  it('goes from a saved policy to a WeCom reminder, an abnormal order and a ticketRaised event', async () => {
    // The group's owner is a staff account: the signed-in admin.
    const me = await graphql<{ me: { id: string } }>(baseUrl, '{ me { id } }', {}, { authorization });
    const ownerId = me.me.id;
    const group = await graphql<{ upsertProcessingGroup: { userErrors: unknown[] } }>(
      baseUrl,
      `mutation ($input: ProcessingGroupInput!) { upsertProcessingGroup(input: $input) { userErrors { field code } } }`,
      {
        input: {
          id: 'east-china',
          name: '华东组',
          ownerUserId: ownerId,
          ownerName: '王负责',
          ownerMobile: OWNER_MOBILE,
          supervisorName: '李主管',
          supervisorMobile: SUPERVISOR_MOBILE,
          wecomWebhookUrl: `${robot.url}/cgi-bin/webhook/send?key=e2e-east`,
        },
      },
      { authorization },
    );
    expect(group.upsertProcessingGroup.userErrors).toEqual([]);

    const saved = await graphql<{
      saveSlaPolicy: { policy: { key: string; version: number }; userErrors: unknown[] };
    }>(
      baseUrl,
      `mutation ($input: SlaPolicyInput!) { saveSlaPolicy(input: $input, comment: "e2e") {
        policy { key version } userErrors { field code message } } }`,
      {
        input: {
          name: '华东组一分钟接单',
          businessType: 'NORMAL',
          groupId: 'east-china',
          stages: [{ target: 'WAREHOUSE_ACCEPTED', from: 'PAID_AT', withinMinutes: 1 }],
          escalation: [
            { afterMinutes: 0, actions: ['FLAG_ABNORMAL', 'REMIND_OWNER', 'OPEN_TICKET'] },
            { afterMinutes: 60, actions: ['ESCALATE_SUPERVISOR'] },
          ],
        },
      },
      { authorization },
    );
    expect(saved.saveSlaPolicy).toEqual({
      policy: { key: 'NORMAL:*:east-china', version: 1 },
      userErrors: [],
    });

    const client = createClient({
      url: `${baseUrl.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization },
    });
    const raised: TicketRaised[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on('connected', () => resolve());
      client.subscribe(
        {
          query: `subscription { ticketRaised(groupIds: ["east-china"]) {
            ticketId orderId stage level groupId assigneeUserId } }`,
        },
        {
          next: (message) => raised.push(message.data?.ticketRaised as TicketRaised),
          error: (e) => reject(new Error(`subscription failed: ${String(e)}`)),
          complete: () => {},
        },
      );
    });
    await new Promise((r) => setTimeout(r, 300));

    const paidAt = new Date(Date.now() - 90_000);
    const submitted = await graphql<{
      submitOrders: { results: { orderId: string }[]; userErrors: unknown[] };
    }>(
      baseUrl,
      `mutation ($input: SubmitOrdersInput!) { submitOrders(input: $input) {
        results { orderId } userErrors { field code message } } }`,
      {
        input: {
          channel: 'WEBSHOP',
          orders: [
            {
              orderNo: 'WS-E2E-SLA-1',
              status: 'PAID',
              businessType: 'NORMAL',
              createdAt: new Date(paidAt.getTime() - 60_000).toISOString(),
              paidAt: paidAt.toISOString(),
              updatedAt: paidAt.toISOString(),
              goodsCents: 30_000,
              shippingCents: 0,
              totalCents: 30_000,
              paidCents: 30_000,
              presale: null,
              buyer: { name: '测试买家', phone: '13800138000' },
              shippingAddress: {
                province: '江苏省',
                city: '南京市',
                district: '鼓楼区',
                street: null,
                detail: '示例路 1 号',
              },
              items: [
                {
                  lineNo: '1',
                  sku: 'SKU-1',
                  title: '测试商品',
                  quantity: 1,
                  unitPriceCents: 30_000,
                  category: '家居',
                },
              ],
              paymentNo: 'PAY-E2E-SLA-1',
            },
          ],
        },
      },
      { authorization },
    );
    expect(submitted.submitOrders.userErrors).toEqual([]);
    const orderId = submitted.submitOrders.results[0].orderId;

    const event = await waitFor(() => raised.find((e) => e.orderId === orderId), {
      timeoutMs: 30_000,
      message: 'the ticketRaised event',
    });
    expect(event).toMatchObject({
      stage: 'WAREHOUSE_ACCEPTED@PAID_AT',
      level: 1,
      groupId: 'east-china',
      assigneeUserId: ownerId,
    });
    await client.dispose();

    const [reminder] = await robot.waitForRequests(1, 30_000);
    expect(reminder.path).toBe('/cgi-bin/webhook/send?key=e2e-east');
    expect(reminder.body).toMatchObject({
      msgtype: 'text',
      text: { mentioned_mobile_list: [OWNER_MOBILE] },
    });
    expect((reminder.body as { text: { content: string } }).text.content).toContain('WS-E2E-SLA-1');

    const order = await graphql<{ order: { abnormal: boolean; groupId: string } }>(
      baseUrl,
      `query ($id: ID!) { order(id: $id) { abnormal groupId } }`,
      { id: orderId },
      { authorization },
    );
    expect(order.order).toEqual({ abnormal: true, groupId: 'east-china' });
    const ticket = await graphql<{ ticket: { state: string; level: number; orderId: string } }>(
      baseUrl,
      `query ($id: ID!) { ticket(id: $id) { state level orderId } }`,
      { id: event.ticketId },
      { authorization },
    );
    expect(ticket.ticket).toEqual({ state: 'OPEN', level: 1, orderId });

    // One recurring job does the work, whatever the number of orders; the reminder went once.
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const jobs = await db.query(`select count(*)::int as n from agenda_jobs where name = 'sla.sweep'`);
    const orderRow = await db.query(
      'select sla_policy_key, sla_policy_version, escalation_level from orders where id = $1',
      [orderId],
    );
    await db.end();
    expect(jobs.rows[0].n).toBe(1);
    expect(orderRow.rows[0]).toEqual({
      sla_policy_key: 'NORMAL:*:east-china',
      sla_policy_version: 1,
      escalation_level: 1,
    });
    await new Promise((r) => setTimeout(r, 2500));
    expect(robot.requests).toHaveLength(1);
  });
});
