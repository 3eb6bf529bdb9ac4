import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { OUTBOX_ITEMS } from '../support/outbox-items.js';
import {
  type ApiAndWorker,
  closeCodeWithoutCredentials,
  graphql,
  type PlatformProcess,
  startApiAndWorker,
} from '../support/platform-process.js';
import { createTestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

const webshopOrder = JSON.parse(readFileSync('test/fixtures/channels/webshop-custom.json', 'utf8'));

/**
 * The runtime's vertical slice across two processes: a mutation in the `api` process commits an
 * order with its outbox message; the outbox dispatch job (Agenda) in the separate `worker` process
 * delivers it; the api process receives it over PostgreSQL LISTEN/NOTIFY and pushes it to a
 * graphql-ws subscriber.
 */
describe('order intake → outbox → worker job → pubsub → subscription, across processes', () => {
  let database: { url: string; drop(): Promise<void> };
  let platform: ApiAndWorker;
  let api: PlatformProcess;
  let worker: PlatformProcess;
  let baseUrl: string;
  let authorization: string;

  beforeAll(async () => {
    database = await createTestDatabase('slice');
    platform = await startApiAndWorker(
      { DATABASE_URL: database.url, SCHEDULER_POLL_MS: '200', OUTBOX_SWEEP_MS: '5000' },
      'slice-worker',
    );
    ({ api, worker, baseUrl, authorization } = platform);
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.drop();
  });

  it('delivers a subscription event caused by a mutation, through a job in the worker process', async () => {
    const client = createClient({
      url: `${baseUrl.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization },
    });
    const received: Array<Record<string, unknown>> = [];
    const subscribed = new Promise<void>((resolve, reject) => {
      client.on('connected', () => resolve());
      client.subscribe(
        {
          query: `subscription { orderUpdated(filter: { channels: [WEBSHOP] }) {
            eventId orderId channel channelOrderNo state previousState abnormal } }`,
        },
        {
          next: (message) => received.push(message.data?.orderUpdated as Record<string, unknown>),
          error: (e) =>
            reject(new Error(`subscription failed: ${(e as { code?: number }).code ?? String(e)}`)),
          complete: () => {},
        },
      );
    });
    await subscribed;
    // The subscription is registered with the server shortly after the connection is acknowledged.
    await new Promise((r) => setTimeout(r, 200));

    const data = await graphql<{
      submitOrders: { results: { orderId: string; outcome: string; state: string }[]; userErrors: unknown[] };
    }>(
      baseUrl,
      `mutation ($input: SubmitOrdersInput!) { submitOrders(input: $input) {
        results { orderId outcome state } userErrors { field code message } } }`,
      { input: { channel: 'WEBSHOP', orders: [webshopOrder] } },
      { authorization },
    );
    expect(data.submitOrders.userErrors).toEqual([]);
    expect(data.submitOrders.results).toHaveLength(1);
    const { orderId, outcome, state } = data.submitOrders.results[0];
    expect(outcome).toBe('CREATED');
    expect(state).toBe('PAID');

    const event = await waitFor(() => received.find((e) => e.orderId === orderId), {
      timeoutMs: 15_000,
      message: 'the orderUpdated event',
    });
    expect(event).toMatchObject({
      channel: 'WEBSHOP',
      channelOrderNo: webshopOrder.orderNo,
      state: 'PAID',
      abnormal: false,
    });
    await client.dispose();

    // The worker process delivered it, as an Agenda job, and recorded so in the outbox.
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    const outbox = await db.query(
      `select delivered_by, delivered_at, attempts from ${OUTBOX_ITEMS} m where payload->>'orderId' = $1`,
      [orderId],
    );
    const jobs = await db.query(`select name, last_run_at from agenda_jobs where name = 'outbox.dispatch'`);
    await db.end();
    expect(outbox.rows).toHaveLength(1);
    expect(outbox.rows[0].delivered_by).toBe('slice-worker');
    expect(outbox.rows[0].delivered_at).toBeInstanceOf(Date);
    expect(jobs.rows.some((j) => j.last_run_at !== null)).toBe(true);
    expect(worker.proc.pid).not.toBe(api.proc.pid);
  });

  it('refuses a subscription without credentials at connection time', async () => {
    expect(await closeCodeWithoutCredentials(baseUrl, 'subscription { orderUpdated { orderId } }')).toBe(
      4403,
    );
  });

  it('does not create a second order when the same payload is sent again', async () => {
    const resend = await graphql<{ submitOrders: { results: { outcome: string }[] } }>(
      baseUrl,
      `mutation ($input: SubmitOrdersInput!) { submitOrders(input: $input) { results { outcome } } }`,
      { input: { channel: 'WEBSHOP', orders: [webshopOrder] } },
      { authorization },
    );
    expect(resend.submitOrders.results[0].outcome).toBe('UNCHANGED');
  });
});
