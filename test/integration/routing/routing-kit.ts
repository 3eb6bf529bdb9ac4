import { createPubSub } from '@graphql-yoga/subscription';
import { type GraphQLSchema } from 'graphql';
import { authChecker } from '../../../api/src/app/auth-checker.js';
import type { Viewer } from '../../../api/src/domain/auth/viewer.js';
import type { Channel } from '../../../api/src/domain/order/order-types.js';
import { buildGraphQLSchema } from '../../../api/src/infra/graphql/build-schema.js';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { OrderResolver } from '../../../api/src/modules/orders/order.resolver.js';
import { submitChannelOrders } from '../../../api/src/modules/orders/order-intake.js';
import { OrderRoutingResolver } from '../../../api/src/modules/routing/order-routing.resolver.js';
import { ProcessingGroupResolver } from '../../../api/src/modules/routing/processing-group.resolver.js';
import { RoutingRulesResolver } from '../../../api/src/modules/routing/routing-rules.resolver.js';
import { type GqlAnswer, runGraphql, staff } from '../../support/graphql-in-process.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';

export const logger = createLogger('silent', 'routing-test');

export type RoutingDb = MigratedDb;

/** A migrated database of its own, with a pool and an ORM on it. */
export const openRoutingDb = (prefix: string): Promise<RoutingDb> => openMigratedDb(prefix, 10);

let schema: Promise<GraphQLSchema> | null = null;

/** The routing part of the API, with the order query its field resolvers hang on. */
export function routingSchema(): Promise<GraphQLSchema> {
  schema ??= buildGraphQLSchema(
    [OrderResolver, ProcessingGroupResolver, RoutingRulesResolver, OrderRoutingResolver],
    createPubSub(),
    authChecker,
  );
  return schema;
}

export { type GqlAnswer, staff };

/** Runs an operation as `viewer`; errors are returned, not thrown. */
export function gql<T = Record<string, unknown>>(
  db: RoutingDb,
  viewer: Viewer,
  query: string,
  variables: Record<string, unknown> = {},
  now: Date = new Date(),
): Promise<GqlAnswer<T>> {
  return runGraphql<T>(routingSchema(), db, viewer, query, variables, { now });
}

export interface OrderSpec {
  no?: string;
  province?: string | null;
  city?: string | null;
  district?: string | null;
  detail?: string;
  totalCents?: number;
  businessType?: 'NORMAL' | 'PRESALE' | 'CUSTOM';
  category?: string;
  updatedAt?: string;
  status?: string;
}

let seq = 0;

/** A paid web shop order in 杭州市西湖区 of 300.00 元 unless told otherwise. */
export function webshopOrder(spec: OrderSpec = {}): Record<string, unknown> {
  seq += 1;
  const total = spec.totalCents ?? 30_000;
  return {
    orderNo: spec.no ?? `WS-R-${process.pid}-${seq}`,
    status: spec.status ?? 'PAID',
    businessType: spec.businessType ?? 'NORMAL',
    createdAt: '2026-11-20T14:03:11+08:00',
    paidAt: '2026-11-20T14:05:40+08:00',
    updatedAt: spec.updatedAt ?? '2026-11-20T14:05:41+08:00',
    goodsCents: total,
    shippingCents: 0,
    totalCents: total,
    paidCents: spec.status === 'CREATED' ? 0 : total,
    presale: null,
    buyer: { name: '测试买家', phone: '13800138000' },
    shippingAddress: {
      province: spec.province === undefined ? '浙江省' : spec.province,
      city: spec.city === undefined ? '杭州市' : spec.city,
      district: spec.district === undefined ? '西湖区' : spec.district,
      street: null,
      detail: spec.detail ?? '示例路 1 号',
    },
    items: [
      {
        lineNo: '1',
        sku: 'SKU-1',
        title: '测试商品',
        quantity: 1,
        unitPriceCents: total,
        category: spec.category ?? '家居',
      },
    ],
    paymentNo: spec.status === 'CREATED' ? null : `PAY-${seq}`,
  };
}

/** Submits web shop orders; fails the test on any rejected payload. */
export async function submit(db: RoutingDb, specs: OrderSpec[], now: Date, channel: Channel = 'WEBSHOP') {
  const { results, errors } = await submitChannelOrders(db.pool, channel, specs.map(webshopOrder), now);
  if (errors.length > 0) throw new Error(`rejected: ${JSON.stringify(errors)}`);
  return results;
}

export interface StoredRouting {
  id: string;
  channel_order_no: string;
  group_id: string | null;
  owner_id: string | null;
  hold_reason: string | null;
  routing_rule_id: string | null;
  routing_reason: string | null;
  routed_at: Date | null;
  region: Record<string, string | null> | null;
  address_parse: { ok: boolean; confidence: number; failure: string | null; message: string | null } | null;
  version: number;
}

export async function routingOf(db: RoutingDb, orderId: string): Promise<StoredRouting> {
  const { rows } = await db.pool.query<StoredRouting>(
    `select id, channel_order_no, group_id, owner_id, hold_reason, routing_rule_id, routing_reason, routed_at,
            region, address_parse, version
       from orders where id = $1`,
    [orderId],
  );
  return rows[0];
}

export async function parseStats(db: RoutingDb) {
  const { rows } = await db.pool.query<{
    bucket_start: Date;
    channel: string;
    ok_count: number;
    failed_count: number;
  }>(
    'select bucket_start, channel, ok_count, failed_count from address_parse_stat order by bucket_start, channel',
  );
  return rows;
}

export async function ruleHits(db: RoutingDb) {
  const { rows } = await db.pool.query<{ day: string; rule_id: string; count: number }>(
    `select to_char(day, 'YYYY-MM-DD') as day, rule_id, count from routing_rule_hit order by day, rule_id`,
  );
  return rows;
}

/**
 * Sets the routing mode flow health publishes. Creates a minimal `flow_health_state` only when
 * the database has none.
 */
export async function setRoutingMode(db: RoutingDb, mode: 'ACTIVE' | 'PAUSED'): Promise<void> {
  await db.pool.query(
    'create table if not exists flow_health_state (id integer primary key, routing_mode text not null)',
  );
  await db.pool.query(
    `insert into flow_health_state (id, routing_mode) values (1, $1)
     on conflict (id) do update set routing_mode = excluded.routing_mode`,
    [mode],
  );
}
