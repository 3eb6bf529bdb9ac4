import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { issueStaffToken } from '../../api/src/domain/auth/staff-token.js';
import { signWebhook } from '../../api/src/domain/intake/webhook-signature.js';
import { freePort } from '../support/free-port.js';
import {
  adminAuthorization,
  type PlatformProcess,
  spawnPlatform,
  waitUntilReady,
} from '../support/platform-process.js';
import { createTestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

const webshopOrder = JSON.parse(readFileSync('test/fixtures/channels/webshop-custom.json', 'utf8'));

const AUTH_SECRET = 'public-edges-auth-secret-0123456789-abcdef';
const METRICS_TOKEN = 'metrics-token-0123456789';
const WEBSHOP_SECRET = 'webshop-secret-0123456789';

interface Reply {
  status: number;
  headers: Headers;
  body: {
    // biome-ignore lint/suspicious/noExplicitAny: answers are read by path in the assertions.
    data?: Record<string, any> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
    error?: { code: string; message: string; requestId?: string };
  };
}

/**
 * The public edges of two real `api` processes on one database, tried as an attacker and a
 * careless integrator would: bounded bodies, strings and socket messages, JSON errors, headers,
 * anonymous callers, poison input, and access taken back in one process that holds in the other.
 */
describe('public edges under abuse', () => {
  let database: { url: string; drop(): Promise<void> };
  let pool: pg.Pool;
  let a: PlatformProcess;
  let b: PlatformProcess;
  let urlA: string;
  let urlB: string;
  let admin: string;

  const post = async (base: string, query: string, variables = {}, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, headers: response.headers, body: await response.json() } as Reply;
  };
  const asAdmin = (base: string, query: string, variables = {}) =>
    post(base, query, variables, { authorization: admin });

  const start = async (extra: Record<string, string>) => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const proc = spawnPlatform('api', {
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      AUTH_SECRET,
      WEBHOOK_SECRET_WEBSHOP: WEBSHOP_SECRET,
      GRAPHQL_MAX_BODY_BYTES: String(1024 * 1024),
      ...extra,
    });
    await waitUntilReady(base, proc);
    return { proc, base };
  };

  beforeAll(async () => {
    database = await createTestDatabase('edges');
    ({ proc: a, base: urlA } = await start({}));
    ({ proc: b, base: urlB } = await start({ METRICS_TOKEN }));
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => undefined);
    admin = await adminAuthorization(urlA);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await pool?.end();
    await database?.drop();
  });

  async function staffUser(username: string, roles: string[]) {
    const created = await asAdmin(
      urlA,
      'mutation ($i: CreateStaffUserInput!) { createStaffUser(input: $i) { user { id } userErrors { code } } }',
      { i: { username, displayName: 'Edge test', password: 'edge-password-123', roles } },
    );
    const id = created.body.data!.createStaffUser.user.id as string;
    const login = await post(
      urlA,
      'mutation { login(username: "' + username + '", password: "edge-password-123") { token } }',
    );
    return { id, authorization: `Bearer ${login.body.data!.login.token}` };
  }

  describe('answers and headers', () => {
    it('answers a malformed body with coded JSON and a request id, and never logs the body', async () => {
      const response = await fetch(`${urlA}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'edge-req-1' },
        body: '{"query": "{ me { id } }", "buyerPhone": "13912345678", oops',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('x-request-id')).toBe('edge-req-1');
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0].extensions).toMatchObject({ code: 'INVALID_JSON', requestId: 'edge-req-1' });
      expect(JSON.stringify(body)).not.toContain('stack');
      expect(a.output()).not.toContain('13912345678');
    });

    it('sets security headers and answers unknown paths with JSON, not an HTML page', async () => {
      const response = await fetch(`${urlA}/no-such-page`, { method: 'POST' });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
      expect(response.headers.get('x-powered-by')).toBeNull();
      expect(await response.text()).not.toContain('<html');
    });

    it('carries no stack trace in GraphQL errors unless GRAPHQL_DEBUG is set', async () => {
      const reply = await asAdmin(urlA, '{ order(id: "x", channel: TAOBAO) { id } }');
      expect(reply.body.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(reply.body)).not.toMatch(/stacktrace|node_modules|api\/src/);
    });
  });

  describe('anonymous callers', () => {
    it('get neither introspection nor platformInfo', async () => {
      const introspection = await post(urlA, '{ __schema { types { name } } }');
      expect(introspection.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(introspection.body.data ?? null).toBeNull();
      const info = await post(urlA, '{ platformInfo { version } }');
      expect(info.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      const signedIn = await asAdmin(urlA, '{ __schema { queryType { name } } platformInfo { version } }');
      expect(signedIn.body.data?.__schema.queryType.name).toBe('Query');
    });

    it('reach /metrics on loopback by default, and only with the token when one is set', async () => {
      expect((await fetch(`${urlA}/metrics`)).status).toBe(200);
      const refused = await fetch(`${urlB}/metrics`);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as Reply['body']).error?.code).toBe('UNAUTHENTICATED');
      const allowed = await fetch(`${urlB}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('orderops_outbox_pending');
    });
  });

  describe('bounded work per request', () => {
    it('refuses a body over GRAPHQL_MAX_BODY_BYTES with 413 and a code', async () => {
      const reply = await post(
        urlA,
        'mutation ($u: String!) { login(username: $u, password: "x") { token } }',
        {
          u: 'u'.repeat(2 * 1024 * 1024),
        },
      );
      expect(reply.status).toBe(413);
      expect(reply.body.errors?.[0].extensions?.code).toBe('BODY_TOO_LARGE');
    });

    it('refuses a long string argument before any resolver runs, and a long username before hashing', async () => {
      const long = await post(
        urlA,
        'mutation ($u: String!) { login(username: $u, password: "x") { token } }',
        {
          u: 'u'.repeat(200_000),
        },
      );
      expect(long.status).toBe(400);
      expect(long.body.errors?.[0].extensions).toMatchObject({ code: 'STRING_TOO_LONG', field: 'u' });
      const inline = await post(
        urlA,
        `mutation { login(username: "${'u'.repeat(20_000)}", password: "x") { token } }`,
      );
      expect(inline.body.errors?.[0].extensions?.code).toBe('STRING_TOO_LONG');
      const username = await post(
        urlA,
        'mutation ($u: String!) { login(username: $u, password: "x") { userErrors { field code } } }',
        {
          u: 'u'.repeat(500),
        },
      );
      expect(username.body.data?.login.userErrors).toEqual([{ field: 'username', code: 'TOO_LONG' }]);
    });

    it('prices a page size given as a variable by its value', async () => {
      // Per order 94: its fields, 10 items of 5 fields, 10 timeline entries of 4; 200 orders cost 18,802.
      const query = `query ($n: Int) { orders(first: $n) { edges { node { id
        items { sku title quantity category unitPriceCents } timeline { kind occurredAt fromState outcome } } } } }`;
      const costly = await asAdmin(urlA, query, { n: 200 });
      expect(costly.body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', cost: 18_802 });
      const literal = await asAdmin(
        urlA,
        query.replace('($n: Int) ', '').replace('first: $n', 'first: 200'),
        {},
      );
      expect(literal.body.errors?.[0].extensions?.code).toBe('QUERY_TOO_COSTLY');
      const small = await asAdmin(urlA, query, { n: 2 });
      expect(small.body.errors).toBeUndefined();
    });

    it('closes a socket whose connection_init is over WS_MAX_PAYLOAD_BYTES before acknowledging it', async () => {
      const socket = new WebSocket(`${urlA.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      const messages: string[] = [];
      socket.on('message', (data) => messages.push(String(data)));
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.on('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(1024 * 1024) } }));
      expect(await closed).toBe(1009);
      expect(messages).toEqual([]);
    });
  });

  describe('poison input', () => {
    const postWebhook = (body: Buffer | string, headers: Record<string, string>) => {
      const timestamp = Math.floor(Date.now() / 1000);
      return fetch(`${urlA}/webhooks/orders/webshop`, {
        method: 'POST',
        headers: {
          'x-timestamp': String(timestamp),
          'x-signature': signWebhook(WEBSHOP_SECRET, timestamp, body),
          ...headers,
        },
        body,
      });
    };

    it('answers bad or unsupported content-encodings and a missing Content-Type with 4xx, never 5xx', async () => {
      const json = JSON.stringify(webshopOrder);
      const gzip = await postWebhook(gzipSync(json), {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      });
      expect(gzip.status).toBe(415);
      expect(((await gzip.json()) as Reply['body']).error?.code).toBe('UNSUPPORTED_CONTENT_ENCODING');
      const bogus = await postWebhook(json, {
        'content-type': 'application/json',
        'content-encoding': 'br;;x',
      });
      expect(bogus.status).toBe(415);
      const untyped = await postWebhook(Buffer.from(json), {});
      expect(untyped.status).toBe(415);
      expect(((await untyped.json()) as Reply['body']).error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('refuses NUL and lone surrogates per order and commits the rest, over the webhook and GraphQL', async () => {
      const good = { ...webshopOrder, orderNo: 'WS-EDGE-GOOD-1' };
      const nul = {
        ...webshopOrder,
        orderNo: 'WS-EDGE-NUL',
        buyer: { name: 'a\u0000b', phone: '13900000000' },
      };
      const surrogate = {
        ...webshopOrder,
        orderNo: 'WS-EDGE-SUR',
        items: [{ ...webshopOrder.items[0], title: 'x\uD800' }],
      };
      const webhook = await postWebhook(JSON.stringify({ orders: [nul, good, surrogate] }), {
        'content-type': 'application/json',
      });
      expect(webhook.status).toBe(200);
      const answer = (await webhook.json()) as {
        results: { index: number }[];
        errors: { field: string; code: string }[];
      };
      expect(answer.results.map((r) => r.index)).toEqual([1]);
      expect(answer.errors).toEqual([
        expect.objectContaining({ field: 'orders[0].buyer.name', code: 'UNREPRESENTABLE_TEXT' }),
        expect.objectContaining({ field: 'orders[2].items[0].title', code: 'UNREPRESENTABLE_TEXT' }),
      ]);
      const gql = await asAdmin(
        urlA,
        'mutation ($i: SubmitOrdersInput!) { submitOrders(input: $i) { results { index } userErrors { field code } } }',
        { i: { channel: 'WEBSHOP', orders: [{ ...good, orderNo: 'WS-EDGE-GOOD-2' }, nul] } },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data?.submitOrders.results).toEqual([{ index: 0 }]);
      expect(gql.body.data?.submitOrders.userErrors).toEqual([
        { field: 'orders[1].buyer.name', code: 'UNREPRESENTABLE_TEXT' },
      ]);
      const { rows } = await pool.query(
        "select channel_order_no from orders where channel_order_no like 'WS-EDGE-%' order by 1",
      );
      expect(rows.map((r) => r.channel_order_no)).toEqual(['WS-EDGE-GOOD-1', 'WS-EDGE-GOOD-2']);
    });

    it('refuses amounts no client can read back and implausible times, so order pages keep working', async () => {
      const huge = {
        ...webshopOrder,
        orderNo: 'WS-EDGE-HUGE',
        goodsCents: 2 ** 31,
        totalCents: 2 ** 31 + 1000,
      };
      const future = {
        ...webshopOrder,
        orderNo: 'WS-EDGE-2099',
        createdAt: '2099-01-01T00:00:00Z',
        paidAt: '2099-01-01T00:01:00Z',
        updatedAt: '2099-01-01T00:01:00Z',
      };
      const early = { ...webshopOrder, orderNo: 'WS-EDGE-EARLY', paidAt: '2026-11-19T00:00:00Z' };
      const reply = await asAdmin(
        urlA,
        'mutation ($i: SubmitOrdersInput!) { submitOrders(input: $i) { results { index } userErrors { field code } } }',
        { i: { channel: 'WEBSHOP', orders: [huge, future, early] } },
      );
      const codes = reply.body.data?.submitOrders.userErrors.map(
        (e: { field: string; code: string }) => `${e.field}:${e.code}`,
      );
      expect(codes).toEqual(
        expect.arrayContaining([
          'orders[0].goodsCents:AMOUNT_TOO_LARGE',
          'orders[0].totalCents:AMOUNT_TOO_LARGE',
          'orders[1].createdAt:TIME_IN_FUTURE',
          'orders[2].paidAt:PAID_BEFORE_CREATED',
        ]),
      );
      expect(reply.body.data?.submitOrders.results).toEqual([]);
      const page = await asAdmin(
        urlA,
        '{ orders(first: 50) { edges { node { channelOrderNo totalCents total { amount amountMinor currencyCode } } } } }',
      );
      expect(page.body.errors).toBeUndefined();
      const good = page.body.data?.orders.edges.find(
        (e: { node: { channelOrderNo: string } }) => e.node.channelOrderNo === 'WS-EDGE-GOOD-1',
      );
      expect(good.node.total).toEqual({ amount: '268.00', amountMinor: '26800', currencyCode: 'CNY' });
    });

    it('answers the buyerPhone filter only to roles that read phones in clear', async () => {
      const finance = await staffUser('edge_finance', ['FINANCE']);
      const refused = await post(
        urlA,
        '{ orders(filter: { buyerPhone: "18600000000" }) { edges { cursor } } }',
        {},
        finance,
      );
      expect(refused.body.errors?.[0].extensions).toMatchObject({
        code: 'FORBIDDEN',
        argument: 'filter.buyerPhone',
      });
      const allowed = await asAdmin(
        urlA,
        '{ orders(filter: { buyerPhone: "18600000000" }) { edges { cursor } } }',
      );
      expect(allowed.body.errors).toBeUndefined();
      expect(allowed.body.data?.orders.edges.length).toBeGreaterThan(0);
    });
  });

  describe('access taken back', () => {
    const subscribe = (base: string, connectionParams: Record<string, string>) => {
      const closes: number[] = [];
      const client = createClient({
        url: `${base.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams,
        lazy: false,
        retryAttempts: 0,
        // The close is what the tests wait for; graphql-ws would print it as an error.
        onNonLazyError: () => undefined,
        on: { closed: (event) => closes.push((event as { code: number }).code) },
      });
      client.subscribe(
        { query: 'subscription { orderUpdated { orderId } }' },
        {
          next: () => undefined,
          error: () => undefined,
          complete: () => undefined,
        },
      );
      return { closes, dispose: () => client.dispose() };
    };
    const me = (base: string, headers: Record<string, string>) =>
      post(base, '{ me { username } }', {}, headers).then(
        (r) => r.body.errors?.[0]?.extensions?.code ?? 'OK',
      );

    it('deactivating a staff user in one process refuses their token in the other and closes their subscription', async () => {
      const user = await staffUser('edge_service', ['SERVICE']);
      expect(await me(urlB, user)).toBe('OK');
      const live = subscribe(urlB, user);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(live.closes).toEqual([]);
      const done = await asAdmin(
        urlA,
        `mutation { deactivateStaffUser(id: "${user.id}") { revokedId userErrors { code } } }`,
      );
      expect(done.body.data?.deactivateStaffUser).toEqual({ revokedId: user.id, userErrors: [] });
      await waitFor(async () => (await me(urlB, user)) === 'UNAUTHENTICATED', {
        timeoutMs: 2000,
        message: 'token refused in the other process',
      });
      await waitFor(() => live.closes.includes(4403), { timeoutMs: 5000, message: 'subscription closed' });
      const signIn = await post(
        urlB,
        'mutation { login(username: "edge_service", password: "edge-password-123") { token } }',
      );
      expect(signIn.body.data?.login.token).toBeNull();
      const { rows } = await pool.query('select action from auth_audit where subject = $1', [user.id]);
      expect(rows.map((r) => r.action)).toEqual(['STAFF_DEACTIVATED']);
      live.dispose();
    });

    it('revoking an API key in one process refuses it in the other at once, though keys are cached', async () => {
      const created = await asAdmin(
        urlA,
        'mutation { createApiClient(input: { name: "edge", channels: [WEBSHOP], scopes: [ORDERS_READ] }) { apiKey client { id } } }',
      );
      const key = { 'x-api-key': created.body.data!.createApiClient.apiKey as string };
      const id = created.body.data!.createApiClient.client.id as string;
      const list = () => post(urlB, '{ orders(first: 1) { edges { cursor } } }', {}, key);
      expect((await list()).body.errors).toBeUndefined();
      const live = subscribe(urlB, { apiKey: key['x-api-key'] });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await asAdmin(urlA, `mutation { revokeApiClient(id: "${id}") { revokedId } }`);
      await waitFor(async () => (await list()).body.errors?.[0].extensions?.code === 'UNAUTHENTICATED', {
        timeoutMs: 2000,
        message: 'key refused in the other process',
      });
      await waitFor(() => live.closes.includes(4403), { timeoutMs: 5000, message: 'subscription closed' });
      live.dispose();
    });

    it('closes a subscription when its token runs out', async () => {
      const { rows } = await pool.query("select id from staff_user where username = 'admin'");
      const token = issueStaffToken(
        AUTH_SECRET,
        { userId: rows[0].id, username: 'admin', roles: ['ADMIN'] },
        new Date(),
        2,
      );
      const live = subscribe(urlA, { authorization: `Bearer ${token}` });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(live.closes).toEqual([]);
      await waitFor(() => live.closes.includes(4401), {
        timeoutMs: 6000,
        message: 'subscription closed on expiry',
      });
      live.dispose();
    });

    it('backs off sign-ins after repeated failures, even for the right password, and audits each attempt', async () => {
      await staffUser('edge_guess', ['OPS']);
      const attempt = (password: string) =>
        post(
          urlB,
          `mutation { login(username: "edge_guess", password: "${password}") { token userErrors { code } } }`,
        );
      for (let i = 0; i < 6; i++) {
        const wrong = await attempt(`wrong-${i}`);
        expect(wrong.body.data?.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
      }
      const right = await attempt('edge-password-123');
      expect(right.body.data?.login).toEqual({ token: null, userErrors: [{ code: 'TOO_MANY_ATTEMPTS' }] });
      const { rows } = await pool.query(
        "select action, count(*)::int as n from auth_audit where subject = 'edge_guess' group by action order by action",
      );
      expect(rows).toEqual([
        { action: 'LOGIN_BLOCKED', n: 1 },
        { action: 'LOGIN_FAILED', n: 6 },
        { action: 'LOGIN_SUCCEEDED', n: 1 },
      ]);
    });
  });
});
