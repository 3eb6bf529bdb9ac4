import type pg from 'pg';
import { CHANNELS, type Channel, EVENT_SOURCES } from '../../domain/order/order-types.js';
import type { ParseHealth } from '../../domain/routing/parse-health.js';
import { businessDate } from '../../domain/sla/business-time.js';
import { WECOM_MESSAGE_TOPIC } from '../wecom/wecom-outbox.js';
import { type FlowHealthService, ROUTING_PAUSED, type RoutingStates } from './flow-health.service.js';
import type { FlowHealthEvent } from './flow-health-event.entity.js';

/** Orders still to be fulfilled: not yet handed to a carrier and not cancelled. */
export const OPEN_STATES = ['CREATED', 'PAID', 'WAREHOUSE_ACCEPTED', 'PICKING', 'PACKED'] as const;

export interface Completeness {
  openOrders: number;
  missingPhone: number;
  missingAddressDetail: number;
  missingItems: number;
  /** Open orders missing at least one of the three. */
  incompleteOrders: number;
}

export interface SourceActivity {
  source: string;
  lastReceivedAt: Date | null;
}

export interface ChannelActivity {
  channel: Channel;
  lastOrderAt: Date | null;
}

export interface WebhookActivity {
  name: string;
  requests: number;
  accepted: number;
  signatureFailures: number;
  notConfigured: number;
  malformed: number;
  serverErrors: number;
}

export interface RuleHits {
  ruleId: string;
  hits: number;
}

export interface HeldOrders {
  reason: string;
  count: number;
}

/** Events kept until their order can take them (see `foldOrderEvents`). */
export interface PendingEvents {
  events: number;
  orders: number;
  oldestReceivedAt: Date | null;
}

export interface OutboxCounts {
  pending: number;
  dead: number;
  /** Dead WeCom messages: alerts and reminders nobody received. */
  deadWecom: number;
}

export type FlowHealthChangeRow = Pick<
  FlowHealthEvent,
  | 'id'
  | 'channel'
  | 'occurredAt'
  | 'fromMode'
  | 'toMode'
  | 'trigger'
  | 'actor'
  | 'reason'
  | 'alertTarget'
  | 'reroutedOrders'
> & { parseSuccessRate: number | null };

export interface FlowHealthReport {
  checkedAt: Date;
  /** The whole platform's routing and each channel's. */
  routing: RoutingStates;
  /** Open orders held with ROUTING_PAUSED, per channel (channels with none left out). */
  pausedHeldByChannel: Partial<Record<Channel, number>>;
  parse: ParseHealth;
  completeness: Completeness;
  eventSources: SourceActivity[];
  channels: ChannelActivity[];
  /** Counters of the signed webhooks received by this API process since it started. */
  webhooks: WebhookActivity[];
  /** Null when routing keeps no rule statistics. */
  ruleHitsToday: RuleHits[] | null;
  heldOrders: HeldOrders[];
  pendingEvents: PendingEvents;
  outbox: OutboxCounts;
  recentChanges: FlowHealthChangeRow[];
}

/** Every figure of the flow-health answer, read in parallel. */
export async function loadFlowHealthReport(
  service: FlowHealthService,
  pool: pg.Pool,
  now: Date,
  webhooks: WebhookActivity[] = [],
): Promise<FlowHealthReport> {
  const [
    routing,
    parse,
    completeness,
    activity,
    ruleHitsToday,
    heldOrders,
    outbox,
    recentChanges,
    pendingEvents,
    pausedHeldByChannel,
  ] = await Promise.all([
    service.states(),
    service.parseHealth(now),
    loadCompleteness(pool),
    loadActivity(pool),
    loadRuleHitsToday(pool, now),
    loadHeldOrders(pool),
    loadOutboxCounts(pool),
    loadRecentChanges(pool, 10),
    loadPendingEvents(pool),
    loadPausedHeldByChannel(pool),
  ]);
  return {
    checkedAt: now,
    routing,
    pausedHeldByChannel,
    parse,
    completeness,
    ...activity,
    webhooks,
    ruleHitsToday,
    heldOrders,
    pendingEvents,
    outbox,
    recentChanges,
  };
}

/** Open orders missing what fulfilment needs, in one pass over them. */
export async function loadCompleteness(db: pg.Pool): Promise<Completeness> {
  const { rows } = await db.query<Record<keyof Completeness, string>>(
    `select count(*) as "openOrders",
            count(*) filter (where ${MISSING_PHONE}) as "missingPhone",
            count(*) filter (where ${MISSING_DETAIL}) as "missingAddressDetail",
            count(*) filter (where ${MISSING_ITEMS}) as "missingItems",
            count(*) filter (where ${MISSING_PHONE} or ${MISSING_DETAIL} or ${MISSING_ITEMS}) as "incompleteOrders"
       from orders where state = any($1::text[])`,
    [OPEN_STATES],
  );
  const row = rows[0];
  return {
    openOrders: Number(row.openOrders),
    missingPhone: Number(row.missingPhone),
    missingAddressDetail: Number(row.missingAddressDetail),
    missingItems: Number(row.missingItems),
    incompleteOrders: Number(row.incompleteOrders),
  };
}

const MISSING_PHONE = "coalesce(btrim(buyer_phone), '') = ''";
const MISSING_DETAIL = "coalesce(btrim(address->>'detail'), '') = ''";
const MISSING_ITEMS =
  "coalesce(jsonb_array_length(case when jsonb_typeof(items) = 'array' then items end), 0) = 0";

/** When each event source last reported and each channel last sent an order. */
export async function loadActivity(
  db: pg.Pool,
): Promise<{ eventSources: SourceActivity[]; channels: ChannelActivity[] }> {
  const [events, orders] = await Promise.all([
    db.query<{ source: string; last: Date }>(
      'select source, max(received_at) as last from order_event group by source',
    ),
    db.query<{ channel: string; last: Date }>(
      'select channel, max(created_at) as last from orders group by channel',
    ),
  ]);
  const lastEvent = new Map(events.rows.map((r) => [r.source, r.last]));
  const lastOrder = new Map(orders.rows.map((r) => [r.channel, r.last]));
  const sources = [...new Set<string>([...EVENT_SOURCES, ...lastEvent.keys()])];
  return {
    eventSources: sources.map((source) => ({ source, lastReceivedAt: lastEvent.get(source) ?? null })),
    channels: CHANNELS.map((channel) => ({ channel, lastOrderAt: lastOrder.get(channel) ?? null })),
  };
}

/** Hits per routing rule on today's business day (Shanghai); null when the table is not there. */
export async function loadRuleHitsToday(db: pg.Pool, now: Date): Promise<RuleHits[] | null> {
  const { rows: present } = await db.query<{ present: boolean }>(
    `select to_regclass('routing_rule_hit') is not null as present`,
  );
  if (!present[0].present) return null;
  const { rows } = await db.query<{ rule_id: string; hits: string }>(
    `select rule_id, sum(count) as hits from routing_rule_hit where day = $1::date
      group by rule_id order by sum(count) desc, rule_id`,
    [businessDate(now)],
  );
  return rows.map((r) => ({ ruleId: r.rule_id, hits: Number(r.hits) }));
}

/** Open orders held back, by reason: a hold on a shipped, delivered or cancelled order holds nothing. */
export async function loadHeldOrders(db: pg.Pool): Promise<HeldOrders[]> {
  const { rows } = await db.query<{ reason: string; count: string }>(
    `select hold_reason as reason, count(*) as count from orders
      where hold_reason is not null and state = any($1::text[])
      group by hold_reason order by count(*) desc, hold_reason`,
    [OPEN_STATES],
  );
  return rows.map((r) => ({ reason: r.reason, count: Number(r.count) }));
}

/** Open orders held with ROUTING_PAUSED, per channel. */
export async function loadPausedHeldByChannel(db: pg.Pool): Promise<Partial<Record<Channel, number>>> {
  const { rows } = await db.query<{ channel: Channel; count: string }>(
    `select channel, count(*) as count from orders
      where hold_reason = $1 and state = any($2::text[]) group by channel`,
    [ROUTING_PAUSED, OPEN_STATES],
  );
  return Object.fromEntries(rows.map((r) => [r.channel, Number(r.count)]));
}

/** Read through the partial index of waiting events: as cheap as there are few of them. */
export async function loadPendingEvents(db: pg.Pool): Promise<PendingEvents> {
  const { rows } = await db.query<{ events: string; orders: string; oldest: Date | null }>(
    `select count(*) as events, count(distinct order_id) as orders, min(received_at) as oldest
       from order_event where outcome = 'PENDING'`,
  );
  return { events: Number(rows[0].events), orders: Number(rows[0].orders), oldestReceivedAt: rows[0].oldest };
}

export async function loadOutboxCounts(db: pg.Pool): Promise<OutboxCounts> {
  // The first predicate is the due index's own, so counting what is pending does not scan the table.
  const [pending, dead] = await Promise.all([
    db.query<{ count: string }>(
      'select count(*) as count from outbox_message where delivered_at is null and dead_at is null',
    ),
    db.query<{ dead: string; dead_wecom: string }>(
      `select count(*) as dead, count(*) filter (where topic = $1) as dead_wecom
         from outbox_message where dead_at is not null`,
      [WECOM_MESSAGE_TOPIC],
    ),
  ]);
  return {
    pending: Number(pending.rows[0].count),
    dead: Number(dead.rows[0].dead),
    deadWecom: Number(dead.rows[0].dead_wecom),
  };
}

export async function loadRecentChanges(db: pg.Pool, limit: number): Promise<FlowHealthChangeRow[]> {
  const { rows } = await db.query<{
    id: string;
    channel: string | null;
    occurred_at: Date;
    from_mode: FlowHealthChangeRow['fromMode'];
    to_mode: FlowHealthChangeRow['toMode'];
    trigger: FlowHealthChangeRow['trigger'];
    actor: string;
    reason: string;
    alert_target: string;
    rerouted_orders: number | null;
    rate: string | null;
  }>(
    `select id, channel, occurred_at, from_mode, to_mode, trigger, actor, reason, alert_target, rerouted_orders,
            case when channel is null then parse_health->'overall'->>'rate'
                 else parse_health->'byChannel'->channel->>'rate' end as rate
       from flow_health_event order by occurred_at desc, id desc limit $1`,
    [limit],
  );
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    occurredAt: r.occurred_at,
    fromMode: r.from_mode,
    toMode: r.to_mode,
    trigger: r.trigger,
    actor: r.actor,
    reason: r.reason,
    alertTarget: r.alert_target,
    reroutedOrders: r.rerouted_orders,
    parseSuccessRate: r.rate === null ? null : Number(r.rate),
  }));
}
