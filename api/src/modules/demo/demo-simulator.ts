import type pg from 'pg';
import type { Channel, OrderState } from '../../domain/order/order-types.js';
import type { Logger } from '../../infra/logging/logger.js';
import { applyOrderEvents, type OrderEventSubmission } from '../order-events/order-event.service.js';
import { submitChannelOrders } from '../orders/order-intake.js';
import { channelPayload } from './demo-channel-payloads.js';
import { type DemoOrder, makeDemoOrder, nextFulfilmentStep, parcelOf, stepPayload } from './demo-orders.js';
import { DemoRandom } from './demo-random.js';
import { DEMO_MARKER } from './demo-seed.js';

export interface DemoTickResult {
  /** False when the database is not a demo database (no demo seed marker): nothing was done. */
  ran: boolean;
  created: number;
  advanced: number;
}

const ISO_SHANGHAI = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('Z', '+08:00');

/**
 * One step of the live demo: a few new orders through the channels' intake, a waiting order or
 * two paid, and a few open orders moved one step along the warehouse and carrier path with WMS /
 * TMS events. Runs only on a database the demo seeded, so it can never touch real orders.
 * The choices are random but seeded from `now`: no Math.random.
 */
export async function simulateDemoTick(
  pool: pg.Pool,
  now: Date,
  logger: Logger,
  opts: { newOrders?: [number, number]; advance?: number } = {},
): Promise<DemoTickResult> {
  const marker = await pool.query('select 1 from platform_secret where name = $1', [DEMO_MARKER]);
  if (marker.rowCount === 0) return { ran: false, created: 0, advanced: 0 };
  const random = new DemoRandom((now.getTime() ^ 0x5eed) >>> 0);

  // About one new order and six steps a tick: each order takes seven steps to be delivered, so
  // the number of open orders stays about level instead of piling up.
  const [min, max] = opts.newOrders ?? [0, 2];
  const fresh: DemoOrder[] = [];
  for (let i = random.int(min, max); i > 0; i--) {
    // Placed (and paid) moments ago, as a live shop's feed: within the channel's 60 s freshness target.
    const orderedAt = new Date(Math.floor((now.getTime() - random.int(3, 40) * 1000) / 1000) * 1000);
    fresh.push(makeDemoOrder(random, { serial: now.getTime() * 10 + i, orderedAt, now }));
  }
  let created = 0;
  for (const channel of new Set(fresh.map((o) => o.channel))) {
    const payloads = fresh.filter((o) => o.channel === channel).map(channelPayload);
    const { results } = await submitChannelOrders(pool, channel as Channel, payloads, now);
    created += results.filter((r) => r.outcome === 'CREATED').length;
  }

  const submissions = [
    ...(await paymentsDue(pool, now, random)),
    ...(await stepsDue(pool, now, random, opts)),
  ];
  const results = submissions.length > 0 ? await applyOrderEvents(pool, submissions, now) : [];
  const advanced = results.filter((r) => r.outcome === 'APPLIED').length;
  logger.debug({ created, advanced }, 'demo simulator tick');
  return { ran: true, created, advanced };
}

/** Now and then the buyer of an unpaid order (or a presale balance) pays. */
async function paymentsDue(pool: pg.Pool, now: Date, random: DemoRandom): Promise<OrderEventSubmission[]> {
  if (!random.chance(0.3)) return [];
  const { rows } = await pool.query<{ id: string; due: string }>(
    `select id, (total_cents - paid_cents)::text as due from orders
      where state = 'CREATED' and ordered_at < $1::timestamptz - interval '2 minutes'
      order by updated_at limit 1`,
    [now.toISOString()],
  );
  return rows.map((row) => ({
    orderRef: { orderId: row.id },
    event: {
      source: 'PAYMENT',
      type: 'PAYMENT_CONFIRMED',
      idempotencyKey: `demo:${row.id}:PAYMENT_CONFIRMED`,
      occurredAt: ISO_SHANGHAI(new Date(now.getTime() - random.int(1, 4) * 1000)),
      payload: { amountCents: Number(row.due) },
    },
  }));
}

/** The open orders that have waited longest each take their next warehouse or carrier step. */
async function stepsDue(
  pool: pg.Pool,
  now: Date,
  random: DemoRandom,
  opts: { advance?: number },
): Promise<OrderEventSubmission[]> {
  const { rows } = await pool.query<{
    id: string;
    state: OrderState;
    city: string | null;
    district: string | null;
  }>(
    `select id, state, address->>'city' as city, address->>'district' as district from orders
      where state = any($1::text[]) and updated_at < $2::timestamptz - interval '20 seconds'
      order by updated_at limit $3`,
    [
      ['PAID', 'WAREHOUSE_ACCEPTED', 'PICKING', 'PACKED', 'SHIPPED', 'IN_TRANSIT', 'OUT_FOR_DELIVERY'],
      now.toISOString(),
      opts.advance ?? random.int(4, 8),
    ],
  );
  return rows.flatMap((row) => {
    const step = nextFulfilmentStep(row.state);
    if (!step) return [];
    const parcel = parcelOf(row.id, { city: row.city ?? '', district: row.district ?? '' });
    return [
      {
        orderRef: { orderId: row.id },
        event: {
          source: step.source,
          type: step.type,
          idempotencyKey: `demo:${row.id}:${step.type}`,
          occurredAt: ISO_SHANGHAI(new Date(now.getTime() - random.int(1, 4) * 1000)),
          payload: stepPayload(step.type, parcel, random),
        },
      },
    ];
  });
}
