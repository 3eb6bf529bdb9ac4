import type pg from 'pg';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import type { OrderAddressParse } from '../orders/order.entity.js';
import { OrderType } from '../orders/order.type.js';
import { type OrderColumn, type OrderRowOf, orderColumns } from '../orders/order-row.js';
import { OrderRoutingType } from './routing-rules.types.js';

interface RoutingColumns {
  groupId: string | null;
  holdReason: string | null;
  routingRuleId: string | null;
  routingReason: string | null;
  routedAt: Date | null;
  addressParse: OrderAddressParse | null;
}

type OrderRoot = OrderType & Partial<RoutingColumns>;

interface RequestCache {
  groups: Promise<Map<string, string>> | null;
  pending: Map<string, Array<(row: RoutingColumns | null) => void>>;
  scheduled: boolean;
}

const caches = new WeakMap<GraphQLContext, RequestCache>();

function cacheOf(ctx: GraphQLContext): RequestCache {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = { groups: null, pending: new Map(), scheduled: false };
    caches.set(ctx, cache);
  }
  return cache;
}

/** Group names, read once per request. */
function groupNames(ctx: GraphQLContext): Promise<Map<string, string>> {
  const cache = cacheOf(ctx);
  cache.groups ??= ctx.pool
    .query<{ id: string; name: string }>('select id, name from processing_group')
    .then(({ rows }) => new Map(rows.map((r) => [r.id, r.name])));
  return cache.groups;
}

/** Routing columns of orders read without them (lists), loaded together for all orders of a request. */
function loadRouting(ctx: GraphQLContext, orderId: string): Promise<RoutingColumns | null> {
  const cache = cacheOf(ctx);
  return new Promise((resolve, reject) => {
    const waiting = cache.pending.get(orderId);
    if (waiting) waiting.push(resolve);
    else cache.pending.set(orderId, [resolve]);
    if (cache.scheduled) return;
    cache.scheduled = true;
    setImmediate(() => {
      const batch = cache.pending;
      cache.pending = new Map();
      cache.scheduled = false;
      readRouting(ctx.pool, [...batch.keys()]).then((rows) => {
        for (const [id, callbacks] of batch) for (const callback of callbacks) callback(rows.get(id) ?? null);
      }, reject);
    });
  });
}

const ROUTING_COLUMNS = [
  'id',
  'group_id',
  'hold_reason',
  'routing_rule_id',
  'routing_reason',
  'routed_at',
  'address_parse',
] as const satisfies readonly OrderColumn[];

async function readRouting(pool: pg.Pool, ids: string[]): Promise<Map<string, RoutingColumns>> {
  const { rows } = await pool.query<OrderRowOf<typeof ROUTING_COLUMNS>>(
    `select ${orderColumns(ROUTING_COLUMNS)}
       from orders where id = any($1::uuid[])`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        groupId: r.group_id,
        holdReason: r.hold_reason,
        routingRuleId: r.routing_rule_id,
        routingReason: r.routing_reason,
        routedAt: r.routed_at,
        addressParse: r.address_parse,
      },
    ]),
  );
}

@Resolver(() => OrderType)
export class OrderRoutingResolver {
  @FieldResolver(() => OrderRoutingType, {
    description: 'Where routing put the order and why, or why it is held; with the address parse confidence.',
  })
  async routing(@Root() order: OrderRoot, @Ctx() ctx: GraphQLContext): Promise<OrderRoutingType> {
    const columns: RoutingColumns | null =
      order.routingReason !== undefined
        ? {
            groupId: order.groupId,
            holdReason: order.holdReason ?? null,
            routingRuleId: order.routingRuleId ?? null,
            routingReason: order.routingReason,
            routedAt: order.routedAt ?? null,
            addressParse: order.addressParse ?? null,
          }
        : await loadRouting(ctx, order.id);
    const groupId = columns?.groupId ?? order.groupId ?? null;
    const names = groupId ? await groupNames(ctx) : null;
    return Object.assign(new OrderRoutingType(), {
      groupId,
      groupName: groupId ? (names?.get(groupId) ?? null) : null,
      ruleId: columns?.routingRuleId ?? null,
      reason: columns?.routingReason ?? null,
      routedAt: columns?.routedAt ?? null,
      holdReason: columns?.holdReason ?? null,
      addressConfidence: columns?.addressParse?.confidence ?? null,
      addressFailure: columns?.addressParse?.failure ?? null,
    });
  }
}
