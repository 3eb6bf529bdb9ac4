import type pg from 'pg';
import type { PartnerScope, StaffRole } from '../../domain/auth/viewer.js';
import type { Channel } from '../../domain/order/order-types.js';
import { shanghaiIsoTime } from '../../domain/sla/business-time.js';
import type { Orm } from '../../infra/db/orm.js';
import type { Logger } from '../../infra/logging/logger.js';
import type { AuthService } from '../auth/auth.service.js';
import { StaffUser } from '../auth/staff-user.entity.js';
import { applyOrderEvents, type OrderEventSubmission } from '../order-events/order-event.service.js';
import { submitChannelOrders } from '../orders/order-intake.js';
import { channelOrderNo, channelPayload } from './demo-channel-payloads.js';
import {
  businessHoursInstant,
  type DemoOrder,
  demoEventsTo,
  demoTargetState,
  makeDemoOrder,
  parcelOf,
  stepPayload,
} from './demo-orders.js';
import { DemoRandom } from './demo-random.js';

/**
 * The demo: on a database with no orders at all, a few days of realistic orders taken in through
 * the real intake path (each channel's own payload format), moved along by warehouse and carrier
 * events, plus one account per staff role and a read-only partner key. Deterministic: the same
 * `now` gives the same orders.
 */

export const DEMO_ORDER_COUNT = 300;
const DEMO_RANDOM_SEED = 20_261_125;
/** Arbitrary constant naming the advisory lock that lets only one process seed. */
const DEMO_SEED_LOCK_ID = 727_002;
/** Orders taken in at once while seeding: each is its own transaction, so commits overlap. */
const SEED_CONCURRENCY = 8;
/** Row in `platform_secret` that marks a demo database; the simulator only runs where it exists. */
export const DEMO_MARKER = 'demo.seeded';
/** Seeded warehouse and carrier reports arrive per quarter-hour, this long after its end. */
const REPORT_BUCKET_MS = 15 * 60_000;
const REPORT_DELAY_MS = 20_000;

/** Demo sign-ins, one per role. Created only in demo mode; documented, never for production. */
export const DEMO_STAFF: readonly {
  username: string;
  password: string;
  displayName: string;
  role: StaffRole;
}[] = [
  { username: 'ops', password: 'demo-ops-pass', displayName: '演示运营', role: 'OPS' },
  { username: 'service', password: 'demo-service-pass', displayName: '演示客服', role: 'SERVICE' },
  { username: 'finance', password: 'demo-finance-pass', displayName: '演示财务', role: 'FINANCE' },
  { username: 'warehouse', password: 'demo-warehouse-pass', displayName: '演示仓管', role: 'WAREHOUSE' },
  { username: 'supervisor', password: 'demo-supervisor-pass', displayName: '演示主管', role: 'SUPERVISOR' },
];

export const DEMO_PARTNER = {
  name: '演示合作方（淘宝 + 京东，只读）',
  channels: ['TAOBAO', 'JD'] as Channel[],
  scopes: ['orders:read'] as PartnerScope[],
};

export type DemoSeedResult =
  | { seeded: false }
  | {
      seeded: true;
      orders: number;
      byChannel: Record<string, number>;
      events: number;
      /** Accounts created by this seeding (existing usernames are left alone). */
      staff: { username: string; password: string; role: StaffRole }[];
      /** The partner API key; only its hash is stored, so this is the one chance to show it. */
      partnerKey: string;
    };

export interface DemoSeedDeps {
  pool: pg.Pool;
  orm: Orm;
  auth: AuthService;
  logger: Logger;
  now: Date;
  /** Orders to create; {@link DEMO_ORDER_COUNT} unless given. */
  count?: number;
}

/** The demo orders for `now`, with the state each should reach: pure, used by the seed and its tests. */
export function planDemoOrders(now: Date, count = DEMO_ORDER_COUNT) {
  const random = new DemoRandom(DEMO_RANDOM_SEED);
  const orders: DemoOrder[] = [];
  for (let serial = 1; serial <= count; serial++) {
    const orderedAt = businessHoursInstant(random, now, 72 * 3_600_000);
    orders.push(makeDemoOrder(random, { serial, orderedAt, now }));
  }
  orders.sort((a, b) => a.orderedAt.getTime() - b.orderedAt.getTime());
  return orders.map((order) => {
    const target = demoTargetState(random, order, now);
    return { order, events: target ? demoEventsTo(random, order, target, now) : [] };
  });
}

/**
 * Seeds the demo when the database holds no orders; otherwise does nothing. Safe to call from
 * several processes at once: one seeds, the others wait and then find orders.
 */
export async function seedDemo(deps: DemoSeedDeps): Promise<DemoSeedResult> {
  const lock = await deps.pool.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [DEMO_SEED_LOCK_ID]);
    const { rows } = await lock.query<{ any: boolean }>('select exists (select 1 from orders) as any');
    if (rows[0].any) return { seeded: false };
    const started = Date.now();
    const { byChannel, events } = await seedOrders(deps);
    const staff = await seedStaff(deps);
    const { key } = await deps.auth.createApiClient(deps.orm.em.fork(), { ...DEMO_PARTNER, createdBy: null });
    await lock.query(
      'insert into platform_secret (name, value) values ($1, $2) on conflict (name) do nothing',
      [DEMO_MARKER, deps.now.toISOString()],
    );
    const orders = Object.values(byChannel).reduce((a, b) => a + b, 0);
    deps.logger.info({ orders, byChannel, events, ms: Date.now() - started }, 'demo data seeded');
    return { seeded: true, orders, byChannel, events, staff, partnerKey: key };
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [DEMO_SEED_LOCK_ID]).catch(() => undefined);
    lock.release();
  }
}

async function seedOrders(deps: DemoSeedDeps) {
  const planned = planDemoOrders(deps.now, deps.count);
  const byChannel: Record<string, number> = { TAOBAO: 0, JD: 0, DOUYIN: 0, WEBSHOP: 0 };
  let events = 0;
  const reports: { occurredAt: Date; submission: OrderEventSubmission }[] = [];
  // One intake call per order, received a few seconds after the channel's last change, so
  // created_at and the first state's entry time read like a live feed, not like one big import.
  const seedOne = async ({ order, events: steps }: (typeof planned)[number]) => {
    const receivedAt = new Date(
      Math.min(
        deps.now.getTime(),
        (order.paidAt ?? order.depositPaidAt ?? order.orderedAt).getTime() + 5_000,
      ),
    );
    const { results, errors } = await submitChannelOrders(
      deps.pool,
      order.channel,
      [channelPayload(order)],
      receivedAt,
    );
    if (errors.length > 0 || results.length !== 1)
      throw new Error(
        `demo order ${channelOrderNo(order)} was refused: ${errors.map((e) => e.code).join(', ')}`,
      );
    byChannel[order.channel] += 1;
    if (steps.length === 0) return;
    const orderId = results[0].orderId;
    const parcel = parcelOf(orderId, order.region);
    const payloadRandom = new DemoRandom(order.serial);
    for (const step of steps)
      reports.push({
        occurredAt: step.occurredAt,
        submission: {
          orderRef: { orderId },
          event: {
            source: step.source,
            type: step.type,
            idempotencyKey: `demo:${orderId}:${step.type}`,
            occurredAt: shanghaiIsoTime(step.occurredAt),
            payload: stepPayload(step.type, parcel, payloadRandom),
          },
        },
      });
  };
  let next = 0;
  const worker = async () => {
    while (next < planned.length) await seedOne(planned[next++]);
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));

  // The warehouse and carrier reports arrive as from healthy feeds: those of each quarter-hour
  // together, 20 s after it ends, so every lag is within the WMS (30 min) and TMS (1 h) freshness
  // targets and a new demo's board is green. In time order, so each order's steps stay in order.
  reports.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (let i = 0; i < reports.length; ) {
    const bucketEnd = (Math.floor(reports[i].occurredAt.getTime() / REPORT_BUCKET_MS) + 1) * REPORT_BUCKET_MS;
    const batch: OrderEventSubmission[] = [];
    for (; i < reports.length && reports[i].occurredAt.getTime() < bucketEnd; i++)
      batch.push(reports[i].submission);
    const receivedAt = new Date(Math.min(deps.now.getTime(), bucketEnd + REPORT_DELAY_MS));
    const applied = await applyOrderEvents(deps.pool, batch, receivedAt);
    events += applied.filter((r) => r.outcome === 'APPLIED').length;
  }
  return { byChannel, events };
}

async function seedStaff(deps: DemoSeedDeps) {
  const em = deps.orm.em.fork();
  const taken = new Set(
    (await em.find(StaffUser, { username: { $in: DEMO_STAFF.map((a) => a.username) } })).map(
      (u) => u.username,
    ),
  );
  const missing = DEMO_STAFF.filter((account) => !taken.has(account.username));
  // Password hashing is the slow part; the accounts are independent, so hash them side by side.
  await Promise.all(
    missing.map((account) =>
      deps.auth.createStaffUser(deps.orm.em.fork(), {
        username: account.username,
        displayName: account.displayName,
        password: account.password,
        roles: [account.role],
      }),
    ),
  );
  return missing.map(({ username, password, role }) => ({ username, password, role }));
}

/** What to print once after seeding, next to the URLs: the demo sign-ins and the partner key. */
export function demoBanner(result: Extract<DemoSeedResult, { seeded: true }>, baseUrl: string): string {
  const counts = Object.entries(result.byChannel)
    .map(([channel, n]) => `${channel} ${n}`)
    .join(', ');
  const lines = [
    '',
    `  Demo data       ${result.orders} orders (${counts}); DEMO_SEED=false turns demo seeding off`,
    `  Demo console    ${baseUrl}/graphql  (in a browser: the explorer, signed in as ops)`,
    ...result.staff.map(
      (s) => `  Demo sign-in    ${s.username.padEnd(11)} ${s.password.padEnd(21)} role ${s.role}`,
    ),
    `  Demo partner    ${result.partnerKey}`,
    `                  API key for ${DEMO_PARTNER.channels.join(' + ')}, read-only, shown once; send it as the header`,
    '                  "Authorization: ApiKey <key>" (HTTP) or { "authorization": "ApiKey <key>" } (subscriptions)',
    '',
  ];
  return `${lines.join('\n')}\n`;
}
