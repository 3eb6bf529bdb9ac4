import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../../api/src/app/entities.js';
import { migrate, type Orm, openOrm } from '../../../api/src/infra/db/orm.js';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { createScheduler } from '../../../api/src/infra/scheduler/scheduler.js';
import { DEMO_SIMULATE_JOB, scheduleDemoSimulator } from '../../../api/src/jobs/demo-simulator.job.js';
import { AuthService } from '../../../api/src/modules/auth/auth.service.js';
import { GIVEN_NAMES, REGIONS, SURNAMES } from '../../../api/src/modules/demo/demo-catalog.js';
import { channelPayload } from '../../../api/src/modules/demo/demo-channel-payloads.js';
import { explorerDefaults } from '../../../api/src/modules/demo/demo-explorer.js';
import {
  DEMO_ORDER_COUNT,
  DEMO_STAFF,
  type DemoSeedResult,
  planDemoOrders,
  seedDemo,
} from '../../../api/src/modules/demo/demo-seed.js';
import { simulateDemoTick } from '../../../api/src/modules/demo/demo-simulator.js';
import { freshnessVerdict, loadFreshness } from '../../../api/src/modules/reports/freshness.js';
import { createTestDatabase, openTestPool } from '../../support/test-database.js';

const logger = createLogger('silent', 'demo-test');
const NOW = new Date('2026-11-25T06:30:00Z'); // 14:30 in Shanghai

interface Db {
  url: string;
  orm: Orm;
  pool: pg.Pool;
  auth: AuthService;
  close(): Promise<void>;
}

async function openDb(prefix: string): Promise<Db> {
  const database = await createTestDatabase(prefix);
  const orm = await openOrm(database.url, ENTITIES, 4);
  await migrate(orm);
  const pool = openTestPool(database.url, 10);
  const auth = await AuthService.open(orm, 'demo-test-secret-demo-test-secret-012345');
  return {
    url: database.url,
    orm,
    pool,
    auth,
    async close() {
      await pool.end();
      await orm.close(true);
      await database.drop();
    },
  };
}

const count = async (pool: pg.Pool, sql: string) => Number((await pool.query(sql)).rows[0].n);

describe('demo seed', () => {
  let db: Db;
  let first: DemoSeedResult;

  beforeAll(async () => {
    db = await openDb('demo_seed');
    first = await seedDemo({ pool: db.pool, orm: db.orm, auth: db.auth, logger, now: NOW });
  });

  afterAll(async () => {
    await db?.close();
  });

  it('is planned deterministically', () => {
    const a = planDemoOrders(NOW).map(({ order }) => channelPayload(order));
    const b = planDemoOrders(NOW).map(({ order }) => channelPayload(order));
    expect(a).toEqual(b);
    expect(a).toHaveLength(DEMO_ORDER_COUNT);
  });

  it('takes 300 orders in through intake, spread over channels and business types', async () => {
    expect(first.seeded).toBe(true);
    if (!first.seeded) return;
    expect(first.orders).toBe(DEMO_ORDER_COUNT);
    const { rows } = await db.pool.query<{ channel: string; business_type: string; n: string }>(
      'select channel, business_type, count(*) as n from orders group by 1, 2',
    );
    const by = (pick: (r: (typeof rows)[number]) => boolean) =>
      rows.filter(pick).reduce((sum, r) => sum + Number(r.n), 0);
    expect(by(() => true)).toBe(DEMO_ORDER_COUNT);
    for (const channel of ['TAOBAO', 'JD', 'DOUYIN', 'WEBSHOP']) {
      expect(by((r) => r.channel === channel)).toBeGreaterThanOrEqual(30);
      expect(by((r) => r.channel === channel)).toBe(first.byChannel[channel]);
    }
    expect(by((r) => r.business_type === 'NORMAL')).toBeGreaterThanOrEqual(150);
    expect(by((r) => r.business_type === 'PRESALE')).toBeGreaterThanOrEqual(25);
    expect(by((r) => r.business_type === 'CUSTOM')).toBeGreaterThanOrEqual(15);
    // Every channel but JD (which has no made-to-order flag) carries all three.
    for (const channel of ['TAOBAO', 'DOUYIN', 'WEBSHOP'])
      for (const type of ['NORMAL', 'PRESALE', 'CUSTOM'])
        expect(by((r) => r.channel === channel && r.business_type === type)).toBeGreaterThan(0);
    expect(by((r) => r.channel === 'JD' && r.business_type === 'CUSTOM')).toBe(0);
  });

  it('places orders in the last 3 days in Shanghai business hours, with made-up buyers', async () => {
    const { rows } = await db.pool.query<{
      ordered_at: Date;
      buyer_name: string;
      buyer_phone: string;
      address: { province: string; detail: string };
    }>('select ordered_at, buyer_name, buyer_phone, address from orders');
    for (const r of rows) {
      expect(r.ordered_at.getTime()).toBeLessThan(NOW.getTime());
      expect(r.ordered_at.getTime()).toBeGreaterThan(NOW.getTime() - 72 * 3_600_000);
      const hour = (r.ordered_at.getUTCHours() + 8) % 24;
      expect(hour).toBeGreaterThanOrEqual(9);
      expect(hour).toBeLessThan(22);
      expect(r.buyer_phone).toMatch(/^1380013\d{4}$/);
      expect(SURNAMES.some((s) => r.buyer_name.startsWith(s))).toBe(true);
      expect(GIVEN_NAMES.some((g) => r.buyer_name.endsWith(g))).toBe(true);
      expect(
        REGIONS.some((g) => g.province === r.address.province || g.provinceShort === r.address.province),
      ).toBe(true);
      expect(r.address.detail).toMatch(/(示例|演示|测试|样例|虚构)/);
    }
  });

  it('leaves orders at every stage, moved along by warehouse and carrier events', async () => {
    const { rows } = await db.pool.query<{ state: string; n: string }>(
      'select state, count(*) as n from orders group by 1',
    );
    const states = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    for (const state of ['CREATED', 'PAID', 'PICKING', 'SHIPPED', 'IN_TRANSIT', 'DELIVERED'])
      expect(states[state] ?? 0, state).toBeGreaterThan(0);
    expect(states.DELIVERED).toBeLessThan(DEMO_ORDER_COUNT / 2);
    const events = await db.pool.query<{ source: string; outcome: string; n: string }>(
      `select source, outcome, count(*) as n from order_event where source in ('WMS', 'TMS') group by 1, 2`,
    );
    expect(events.rows.every((r) => r.outcome === 'APPLIED')).toBe(true);
    expect(events.rows.find((r) => r.source === 'WMS')).toBeDefined();
    expect(events.rows.find((r) => r.source === 'TMS')).toBeDefined();
    // Events happened between payment and now, in order.
    const late = await count(
      db.pool,
      `select count(*) as n from order_event e join orders o on o.id = e.order_id
        where e.source in ('WMS', 'TMS') and (e.occurred_at > '${NOW.toISOString()}' or e.occurred_at < o.paid_at)`,
    );
    expect(late).toBe(0);
  });

  it('creates the demo staff and one read-only TAOBAO + JD partner key that works', async () => {
    if (!first.seeded) throw new Error('not seeded');
    expect(first.staff.map((s) => s.username)).toEqual([
      'ops',
      'service',
      'finance',
      'warehouse',
      'supervisor',
    ]);
    for (const account of DEMO_STAFF) {
      const login = await db.auth.login(account.username, account.password, NOW);
      expect(login?.user.roles).toEqual([account.role]);
    }
    const key = await db.auth.authenticate({ apiKey: first.partnerKey }, NOW);
    expect(key).toMatchObject({
      ok: true,
      viewer: { kind: 'PARTNER', channels: ['TAOBAO', 'JD'], scopes: ['orders:read'] },
    });
  });

  it('looks like a healthy shop: every feed within its freshness target, in the last hour and over the 3 days', async () => {
    for (const from of [new Date(NOW.getTime() - 3_600_000), new Date(NOW.getTime() - 4 * 86_400_000)]) {
      const stats = (await loadFreshness(db.pool, { from, to: new Date(NOW.getTime() + 1) })).filter(
        (stat) => stat.targetSeconds !== null && stat.count > 0,
      );
      expect(stats.map((stat) => stat.source).sort()).toEqual(expect.arrayContaining(['CHANNEL', 'WMS']));
      for (const stat of stats)
        expect([stat.stage, stat.source, freshnessVerdict(stat, 1)]).toEqual([stat.stage, stat.source, 'OK']);
    }
  });

  it("opens the explorer signed in as the demo's ops account, until its password changes", async () => {
    const defaults = await explorerDefaults({ pool: db.pool, auth: db.auth })();
    expect(defaults.query).toContain('orders(first: 10)');
    const viewer = await db.auth.authenticate({ authorization: defaults.headers.authorization }, new Date());
    expect(viewer).toMatchObject({ ok: true, viewer: { kind: 'STAFF', username: 'ops', roles: ['OPS'] } });
    await db.pool.query(
      `update staff_user set password_hash = 'scrypt$changed$changed' where username = 'ops'`,
    );
    const after = await explorerDefaults({ pool: db.pool, auth: db.auth })();
    expect(after.query).toContain('login(');
    expect(after.headers.authorization).not.toMatch(/^Bearer [\w-]+\.[\w-]+/);
  });

  it('seeds nothing the second time', async () => {
    const before = await Promise.all(
      ['orders', 'order_event', 'staff_user', 'api_client'].map((t) =>
        count(db.pool, `select count(*) as n from ${t}`),
      ),
    );
    const again = await seedDemo({ pool: db.pool, orm: db.orm, auth: db.auth, logger, now: new Date() });
    expect(again).toEqual({ seeded: false });
    const after = await Promise.all(
      ['orders', 'order_event', 'staff_user', 'api_client'].map((t) =>
        count(db.pool, `select count(*) as n from ${t}`),
      ),
    );
    expect(after).toEqual(before);
  });

  it('lets one of two processes starting together seed', async () => {
    const other = await openDb('demo_race');
    try {
      const results = await Promise.all(
        [0, 1].map(() => seedDemo({ pool: other.pool, orm: other.orm, auth: other.auth, logger, now: NOW })),
      );
      expect(results.filter((r) => r.seeded)).toHaveLength(1);
      expect(await count(other.pool, 'select count(*) as n from orders')).toBe(DEMO_ORDER_COUNT);
    } finally {
      await other.close();
    }
  });
});

describe('demo simulator', () => {
  let db: Db;

  beforeAll(async () => {
    db = await openDb('demo_sim');
  });

  afterAll(async () => {
    await db?.close();
  });

  it('does nothing on a database the demo did not seed', async () => {
    const defaults = await explorerDefaults({ pool: db.pool, auth: db.auth })();
    expect(defaults.query).toContain('login(');
    const result = await simulateDemoTick(db.pool, new Date(), logger);
    expect(result).toEqual({ ran: false, created: 0, advanced: 0 });
    expect(await count(db.pool, 'select count(*) as n from orders')).toBe(0);
  });

  it('adds orders and moves open ones one step with WMS / TMS events', async () => {
    const now = new Date();
    await seedDemo({
      pool: db.pool,
      orm: db.orm,
      auth: db.auth,
      logger,
      now: new Date(now.getTime() - 60_000),
    });
    const before = await db.pool.query<{ id: string; state: string }>('select id, state from orders');
    const tick = await simulateDemoTick(db.pool, now, logger, { newOrders: [2, 2], advance: 4 });
    expect(tick.ran).toBe(true);
    expect(tick.created).toBe(2);
    expect(tick.advanced).toBeGreaterThanOrEqual(4);
    expect(await count(db.pool, 'select count(*) as n from orders')).toBe(before.rows.length + 2);
    const moved = await db.pool.query<{ type: string; source: string }>(
      `select type, source from order_event where received_at = $1 and source in ('WMS', 'TMS')`,
      [now],
    );
    expect(moved.rows.length).toBeGreaterThanOrEqual(4);
    for (const e of moved.rows) expect(e.type.startsWith(e.source)).toBe(true);
  });

  it('takes its new orders in within the channel freshness target (60 s)', async () => {
    const now = new Date(Date.now() + 5_000);
    await simulateDemoTick(db.pool, now, logger, { newOrders: [4, 4], advance: 0 });
    const { rows } = await db.pool.query<{ lag: number }>(
      `select extract(epoch from received_at - occurred_at)::float as lag from order_event
        where type = 'ORDER_CREATED' and received_at = $1`,
      [now],
    );
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(row.lag).toBeLessThanOrEqual(60);
  });

  it('runs as one recurring Agenda job, removed when switched off', async () => {
    const scheduler = createScheduler({
      databaseUrl: db.url,
      mongodbUrl: null,
      workerName: 'demo-test',
      processEveryMs: 60_000,
      logger,
    });
    await scheduler.agenda.ready;
    await scheduler.start();
    try {
      const rows = () =>
        count(db.pool, `select count(*) as n from agenda_jobs where name = '${DEMO_SIMULATE_JOB}'`);
      await scheduleDemoSimulator(scheduler.agenda, { pool: db.pool, logger, enabled: true });
      await scheduleDemoSimulator(scheduler.agenda, { pool: db.pool, logger, enabled: true });
      expect(await rows()).toBe(1);
      await scheduleDemoSimulator(scheduler.agenda, { pool: db.pool, logger, enabled: false });
      expect(await rows()).toBe(0);
    } finally {
      await scheduler.stop();
    }
  });
});
