import pg from 'pg';
import type { Channel } from '../../../api/src/domain/order/order-types.js';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { FlowHealthService } from '../../../api/src/modules/flow-health/flow-health.service.js';
import type { FlowHealthSettings } from '../../../api/src/modules/flow-health/flow-health-settings.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import { insertOrderRow, SEED_ADDRESS } from '../../support/order-rows.js';

export const silentLogger = createLogger('silent', 'test');

/** A fresh migrated database for one test file, with a pool on it. */
export const openFlowHealthDatabase = (prefix: string): Promise<MigratedDb> => openMigratedDb(prefix, 8);

export function testSettings(overrides: Partial<FlowHealthSettings> = {}): FlowHealthSettings {
  return {
    threshold: 0.95,
    resumeThreshold: 0.97,
    windowMinutes: 15,
    minSamples: 20,
    platformMinChannels: 2,
    autoResume: true,
    checkEverySeconds: 30,
    opsWebhookUrl: null,
    ...overrides,
  };
}

/**
 * A service whose re-routing only counts its calls (the real one is exercised separately):
 * `reroutes` has the time of each, `reroutedChannels` the channels asked for (null: all).
 */
export function serviceWithCountingReroute(pool: pg.Pool, settings: FlowHealthSettings) {
  const reroutes: Date[] = [];
  const reroutedChannels: (readonly Channel[] | null)[] = [];
  const service = new FlowHealthService({
    pool,
    settings,
    logger: silentLogger,
    rerouteHeld: async (now, channels) => {
      reroutes.push(now);
      reroutedChannels.push(channels);
      return 3;
    },
  });
  return { service, reroutes, reroutedChannels };
}

/** Adds address-parse outcomes to the minute `at` falls in, as order intake counts them. */
export async function recordParses(
  pool: pg.Pool,
  at: Date,
  channel: Channel,
  ok: number,
  failed: number,
): Promise<void> {
  await pool.query(
    `insert into address_parse_stat (bucket_start, channel, ok_count, failed_count)
     values (date_trunc('minute', $1::timestamptz), $2, $3, $4)
     on conflict (bucket_start, channel) do update set
       ok_count = address_parse_stat.ok_count + excluded.ok_count,
       failed_count = address_parse_stat.failed_count + excluded.failed_count`,
    [at, channel, ok, failed],
  );
}

let orderNo = 0;

/** Writes one order row directly, with only what the flow-health figures read. */
export async function insertOrder(
  pool: pg.Pool,
  order: {
    channel?: Channel;
    state?: string;
    buyerPhone?: string;
    detail?: string;
    items?: unknown;
    holdReason?: string | null;
    createdAt?: Date;
  } = {},
): Promise<string> {
  const items = order.items ?? [
    { lineNo: '1', sku: 'SKU-1', title: '商品', quantity: 1, unitPriceCents: 1000, category: '' },
  ];
  const createdAt = order.createdAt ?? new Date();
  return insertOrderRow(pool, {
    channel: order.channel ?? 'TAOBAO',
    channel_order_no: `FH-${process.pid}-${++orderNo}`,
    state: order.state ?? 'PAID',
    channel_status: 'PAID',
    ordered_at: createdAt,
    paid_at: undefined,
    state_entered_at: undefined,
    buyer_phone: order.buyerPhone ?? '13800000000',
    address: { ...SEED_ADDRESS, detail: order.detail ?? SEED_ADDRESS.detail },
    items,
    hold_reason: order.holdReason ?? null,
    created_at: createdAt,
    updated_at: createdAt,
  });
}

export async function outboxRows(pool: pg.Pool, topic: string) {
  const { rows } = await pool.query<{ dedupe_key: string; payload: Record<string, unknown> }>(
    'select dedupe_key, payload from outbox_message where topic = $1 order by id',
    [topic],
  );
  return rows;
}

let webshopNo = 0;

/**
 * A paid web shop order, in the web shop's own format. `garbage` gives it an address no
 * division data can read, as when the city database update failed.
 */
export function webshopOrder(options: { garbage?: boolean; prefix?: string } = {}): Record<string, unknown> {
  webshopNo += 1;
  return {
    orderNo: `${options.prefix ?? 'WS-FH'}-${process.pid}-${webshopNo}`,
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
    shippingAddress: options.garbage
      ? { province: null, city: null, district: null, street: null, detail: `#${webshopNo} ???` }
      : { province: '浙江省', city: '杭州市', district: '西湖区', street: null, detail: '示例路 1 号' },
    items: [
      { lineNo: '1', sku: 'SKU-1', title: '测试商品', quantity: 1, unitPriceCents: 30_000, category: '家居' },
    ],
    paymentNo: `PAY-FH-${webshopNo}`,
  };
}
