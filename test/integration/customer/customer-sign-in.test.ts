import 'reflect-metadata';
import { createPubSub } from '@graphql-yoga/subscription';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authChecker } from '../../../api/src/app/auth-checker.js';
import { RESOLVERS } from '../../../api/src/app/resolvers.js';
import { issueStaffToken } from '../../../api/src/domain/auth/staff-token.js';
import { ANONYMOUS } from '../../../api/src/domain/auth/viewer.js';
import { DEFAULT_STALL_SETTINGS } from '../../../api/src/domain/tracking/stall.js';
import { buildGraphQLSchema } from '../../../api/src/infra/graphql/build-schema.js';
import { AuthService } from '../../../api/src/modules/auth/auth.service.js';
import { customerContext } from '../../../api/src/modules/customer/customer-context.js';
import { CUSTOMER_TOKEN_TTL_SECONDS, CustomerKeys } from '../../../api/src/modules/customer/customer-keys.js';
import { ownsOrder } from '../../../api/src/modules/customer/customer-orders.js';
import { mountCustomerRoutes } from '../../../api/src/modules/customer/customer-routes.js';
import { recordCarrierReport } from '../../../api/src/modules/shipments/shipment.service.js';
import { runGraphql, staff } from '../../support/graphql-in-process.js';
import type { MigratedDb } from '../../support/migrated-db.js';
import { openEventsDb, seedOrder } from '../order-events/order-events-kit.js';
import { logger, serve } from '../tracking/tracking-kit.js';

let db: MigratedDb;
let keys: CustomerKeys;
let server: { url: string; close(): Promise<void> };
let nextCode = '111111';
const schema = buildGraphQLSchema(RESOLVERS, createPubSub(), authChecker);

beforeAll(async () => {
  db = await openEventsDb('customer');
  keys = await CustomerKeys.open(db.pool);
  server = await serve((app) =>
    mountCustomerRoutes(app, { pool: db.pool, keys, smsPerPhonePerDay: 5, logger, makeCode: () => nextCode }),
  );
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

interface Reply {
  sent?: boolean;
  token: string;
  expiresAt: string;
  resendAfterSeconds?: number;
  error: { field: string; code: string; remainingTries: number; retryAfterSeconds: number };
}

const post = async (path: string, body: unknown) => {
  const r = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Reply };
};

async function auditOf(phone: string) {
  const { rows } = await db.pool.query(
    'select action, phone_masked from customer_audit where phone_digest = $1 order by id',
    [keys.phoneDigest(phone)],
  );
  return rows;
}

describe('customer sign-in', () => {
  it('sends a code by SMS through the outbox, never storing the code or the phone in clear', async () => {
    nextCode = '482913';
    const sent = await post('/api/customer/code', { phone: '138 0013 9001' });
    expect(sent).toMatchObject({ status: 200, body: { sent: true, resendAfterSeconds: 60 } });
    const sms = await db.pool.query(
      "select phone_masked, preview, template_code from sms_message where template_code = 'LOGIN_CODE'",
    );
    expect(sms.rows).toEqual([
      {
        phone_masked: '138****9001',
        template_code: 'LOGIN_CODE',
        preview: expect.stringContaining('******'),
      },
    ]);
    expect(JSON.stringify(sms.rows)).not.toContain('482913');
    const outbox = await db.pool.query("select payload from outbox_message where topic = 'sms.send'");
    expect(outbox.rows[0].payload).toMatchObject({
      phone: '13800139001',
      params: { code: '482913', minutes: '5' },
    });
    const otp = await db.pool.query('select * from customer_otp');
    expect(JSON.stringify(otp.rows)).not.toMatch(/482913|13800139001/);
  });

  it('refuses a second code within 60 s, then a right code answers a customer token once', async () => {
    expect(await post('/api/customer/code', { phone: '13800139001' })).toMatchObject({
      status: 429,
      body: { error: { code: 'RESEND_TOO_SOON', field: 'phone' } },
    });
    const ok = await post('/api/customer/session', { phone: '13800139001', code: '482913' });
    expect(ok.status).toBe(200);
    expect(ok.body.token.split('.')).toHaveLength(3);
    const expires = new Date(ok.body.expiresAt).getTime() - Date.now();
    expect(expires).toBeGreaterThan((CUSTOMER_TOKEN_TTL_SECONDS - 60) * 1000);
    expect(expires).toBeLessThanOrEqual(CUSTOMER_TOKEN_TTL_SECONDS * 1000);
    // Used up.
    expect(
      (await post('/api/customer/session', { phone: '13800139001', code: '482913' })).body.error.code,
    ).toBe('NO_CODE');
    expect((await auditOf('13800139001')).map((a) => a.action)).toEqual([
      'CODE_REQUESTED',
      'CODE_REFUSED',
      'CODE_VERIFIED',
      'CODE_WRONG',
    ]);
  });

  it('locks the phone after five wrong codes, even for the right one', async () => {
    nextCode = '222222';
    await post('/api/customer/code', { phone: '13800139002' });
    const remaining: number[] = [];
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const wrong = await post('/api/customer/session', { phone: '13800139002', code: '000000' });
      remaining.push(wrong.body.error.remainingTries);
      codes.push(wrong.body.error.code);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    expect(codes.slice(-1)).toEqual(['LOCKED']);
    expect(await post('/api/customer/session', { phone: '13800139002', code: '222222' })).toMatchObject({
      status: 423,
      body: { error: { code: 'LOCKED' } },
    });
    expect((await post('/api/customer/code', { phone: '13800139002' })).body.error.code).toBe('LOCKED');
  });

  it('names bad input: phone and code format', async () => {
    expect(await post('/api/customer/code', { phone: '12345' })).toMatchObject({
      status: 400,
      body: { error: { field: 'phone', code: 'INVALID_PHONE' } },
    });
    expect(await post('/api/customer/session', { phone: '13800139001', code: '12ab' })).toMatchObject({
      status: 400,
      body: { error: { field: 'code', code: 'INVALID_FORMAT' } },
    });
    expect(await post('/api/customer/code', { phone: 'x'.repeat(10_000) })).toMatchObject({
      status: 413,
      body: { error: { code: 'BODY_TOO_LARGE' } },
    });
  });

  it('limits codes per client address across phones', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++)
      statuses.push(
        (await post('/api/customer/code', { phone: `1390000${String(i).padStart(4, '0')}` })).status,
      );
    // This address already asked 3 times above (2 sent, refused ones do not count): 30 per hour in all.
    expect(statuses.filter((s) => s === 200).length).toBe(28);
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });
});

describe('customer token and scoping', () => {
  it('never passes for staff, and a staff token never passes for a customer', async () => {
    const { token } = await keys.issueToken('13800139003', new Date());
    const auth = await AuthService.open(db.orm, 'a-staff-secret-of-at-least-32-characters!!');
    expect(await auth.authenticate({ authorization: `Bearer ${token}` }, new Date())).toMatchObject({
      ok: false,
    });
    const staffToken = issueStaffToken(
      'a-staff-secret-of-at-least-32-characters!!',
      { userId: 'u', username: 'ops', roles: ['ADMIN'] },
      new Date(),
    );
    expect(await customerContext(keys, `Customer ${staffToken}`, new Date())).toMatchObject({ ok: false });
    expect(
      await customerContext(
        keys,
        `Customer ${token}`,
        new Date(Date.now() + (CUSTOMER_TOKEN_TTL_SECONDS + 1) * 1000),
      ),
    ).toEqual({
      ok: false,
      reason: 'customer session expired',
    });
    expect(await customerContext(keys, `Bearer ${token}`, new Date())).toBeNull();
  });

  it('shows a customer their own orders only, masked, audits the lookup, and closes staff queries to them', async () => {
    const mine = await seedOrder(db.pool, 'PICKING');
    const other = await seedOrder(db.pool, 'PICKING');
    await db.pool.query(
      `update orders set buyer_phone = '13800139004', buyer_name = '张三丰', address = '{"province":"浙江省","city":"杭州市","district":"西湖区","detail":"示例路88号"}',
          sla_deadline = now() + interval '90 minutes' where id = $1`,
      [mine.id],
    );
    const checked = await customerContext(
      keys,
      `Customer ${(await keys.issueToken('13800139004', new Date())).token}`,
      new Date(),
    );
    if (!checked?.ok) throw new Error('token refused');
    const answer = await runGraphql<{ myOrders: Array<Record<string, unknown>> }>(
      schema,
      db,
      ANONYMOUS,
      '{ myOrders { id channelOrderNo status receiverName receiverPhone receiverAddress shipments { waybillNo } timeline { text } } }',
      {},
      { extra: { customer: checked.session } },
    );
    expect(answer.errors).toEqual([]);
    expect(answer.data.myOrders).toHaveLength(1);
    expect(answer.data.myOrders[0]).toMatchObject({
      id: mine.id,
      receiverName: '张**',
      receiverPhone: '138****9004',
      receiverAddress: '浙江省 杭州市 西湖区 ****',
      status: expect.stringMatching(/^仓库拣货中（预计今天 \d\d:\d\d前完成）$/),
    });
    expect(JSON.stringify(answer.data)).not.toContain(other.id);
    expect((await auditOf('13800139004')).map((a) => a.action)).toEqual(['ORDERS_VIEWED']);

    const staffOnly = await runGraphql(
      schema,
      db,
      ANONYMOUS,
      '{ orders(first: 1) { edges { node { id } } } }',
      {},
      { extra: { customer: checked.session } },
    );
    expect(staffOnly.errors[0]?.code).toBe('UNAUTHENTICATED');
    const noSession = await runGraphql(schema, db, staff('OPS'), '{ myOrders { id } }');
    expect(noSession.errors[0]?.code).toBe('UNAUTHENTICATED');
  });

  it('shows each parcel with its newest scans first, the status history, and audits how many orders it showed', async () => {
    const phone = '13800139005';
    const order = await seedOrder(db.pool, 'SHIPPED');
    await db.pool.query(
      `update orders set buyer_phone = $2, buyer_name = '李四',
          address = '{"province":"浙江省","city":"杭州市","district":"西湖区","detail":"示例路9号"}' where id = $1`,
      [order.id, phone],
    );
    const scan = (n: number, hoursAgo: number, description: string) => ({
      entryKey: `ZTQ1-${n}`,
      occurredAt: new Date(Date.now() - hoursAgo * 3_600_000),
      description,
      location: n === 2 ? '杭州市' : null,
      carrierCode: 0,
      state: 'IN_TRANSIT' as const,
      orderEvents: ['TMS_IN_TRANSIT' as const],
    });
    const recorded = await recordCarrierReport(
      { pool: db.pool, stall: DEFAULT_STALL_SETTINGS },
      {
        orderId: order.id,
        carrier: 'zhongtong',
        waybillNo: 'ZTQ1',
        source: 'KUAIDI100',
        entries: [scan(1, 5, '快件已揽收'), scan(2, 2, '到达杭州转运中心')],
      },
      new Date(),
    );
    if (!recorded.ok) throw new Error(recorded.message);
    const { token } = await keys.issueToken(phone, new Date());
    const checked = await customerContext(keys, `Customer ${token}`, new Date());
    if (!checked?.ok) throw new Error('token refused');
    const answer = await runGraphql<{ myOrders: Array<Record<string, unknown>> }>(
      schema,
      db,
      ANONYMOUS,
      `{ myOrders { id state status shipments { carrierName waybillNo status etaText stalled stallReason
          trace { text location } } timeline { text } } }`,
      {},
      { extra: { customer: checked.session } },
    );
    expect(answer.errors).toEqual([]);
    expect(answer.data.myOrders).toEqual([
      {
        id: order.id,
        state: 'IN_TRANSIT',
        status: expect.stringMatching(/^运输途中（预计.+送达）$/),
        shipments: [
          {
            carrierName: '中通快递',
            waybillNo: 'ZTQ1',
            status: expect.any(String),
            etaText: expect.stringMatching(/^预计.+送达$/),
            stalled: false,
            stallReason: null,
            trace: [
              { text: '到达杭州转运中心', location: '杭州市' },
              { text: '快件已揽收', location: null },
            ],
          },
        ],
        timeline: [{ text: expect.any(String) }],
      },
    ]);
    const audited = await db.pool.query(
      'select action, order_count from customer_audit where phone_digest = $1',
      [keys.phoneDigest(phone)],
    );
    expect(audited.rows).toEqual([{ action: 'ORDERS_VIEWED', order_count: 1 }]);
  });

  it('lets live updates through to the order’s own phone only, reading the owner once for every subscriber', async () => {
    const order = await seedOrder(db.pool, 'SHIPPED');
    await db.pool.query('update orders set buyer_phone = $2 where id = $1', [order.id, '13800139006']);
    let reads = 0;
    const counting = {
      query: (...args: Parameters<typeof db.pool.query>) => {
        reads += 1;
        return (db.pool.query as (...a: unknown[]) => unknown)(...args);
      },
    } as unknown as typeof db.pool;
    expect(await ownsOrder(counting, '13800139006', order.id)).toBe(true);
    expect(await ownsOrder(counting, '13800139007', order.id)).toBe(false);
    expect(await ownsOrder(counting, '13800139006', order.id)).toBe(true);
    expect(reads).toBe(1);
    expect(await ownsOrder(counting, '13800139006', '00000000-0000-4000-8000-000000000000')).toBe(false);
  });
});
