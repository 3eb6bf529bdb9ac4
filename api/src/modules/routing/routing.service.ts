import type pg from 'pg';
import { parseAddress } from '../../domain/address/address-parser.js';
import type { ParsedAddress } from '../../domain/address/address-types.js';
import type { DivisionIndex } from '../../domain/address/division-index.js';
import type { ChannelAddress, NormalizedOrder } from '../../domain/intake/normalized-order.js';
import type { BusinessType, Channel } from '../../domain/order/order-types.js';
import type { RoutingMode } from '../../domain/routing/parse-health.js';
import { routeOrder } from '../../domain/routing/route-order.js';
import {
  CHANNEL_LABELS,
  DEFAULT_HIT_KEY,
  type RoutableOrder,
  type RoutableRegion,
} from '../../domain/routing/routing-rule.js';
import type { OrderAddressParse, OrderRegion } from '../orders/order.entity.js';
import { divisionRegistry } from './division-registry.js';
import type { IntakeRoutingPlan, IntakeWritten, OrderRoutingDecision } from './routing-decision.js';
import { type Db, loadRoutingSnapshot, type RoutingState } from './routing-rules.store.js';
import { routingSettings } from './routing-settings.js';

/** What routing reads about an order, whether it is being taken in or is already stored. */
export interface RoutingSubject {
  channel: Channel;
  businessType: BusinessType;
  totalCents: number;
  categories: readonly string[];
  address: ChannelAddress;
}

/** Everything routing decides with, read once per batch. */
export interface RoutingInputs {
  /** Null when no division data could be loaded. */
  index: DivisionIndex | null;
  /** The whole platform's mode. */
  mode: RoutingMode;
  /** Channels whose routing is paused on their own. @default none */
  pausedChannels?: ReadonlySet<string>;
  state: RoutingState;
  /** Below this parse confidence an order is held for a person. @default 0 (never) */
  minParseConfidence?: number;
}

/** The division data, rule set and routing mode in use now; one query. */
export async function readRoutingInputs(pool: pg.Pool): Promise<RoutingInputs> {
  const { state, mode, pausedChannels } = await loadRoutingSnapshot(pool);
  return {
    index: divisionRegistry.current,
    mode,
    pausedChannels,
    state,
    minParseConfidence: routingSettings.minParseConfidence,
  };
}

/**
 * Routing at intake: parses each address with the division data in use and evaluates the active
 * rule set, all in memory. The plan it returns is written by intake with the orders, and its
 * `record` counts parse outcomes and rule hits in the intake transaction, one upsert per table.
 */
export async function routeForIntake(
  pool: pg.Pool,
  orders: readonly NormalizedOrder[],
  now: Date,
): Promise<IntakeRoutingPlan> {
  const inputs = await readRoutingInputs(pool);
  // Orders routed alike share one decision object, so intake writes each distinct one once.
  const shared = new Map<string, OrderRoutingDecision>();
  const decisions = orders.map((order) => {
    const decision = decideRouting(inputs, subjectOfNormalized(order));
    const key = decisionKey(decision);
    const same = shared.get(key);
    if (same !== undefined) return same;
    shared.set(key, decision);
    return decision;
  });
  return {
    decisions,
    record: (tx, written) => recordIntakeRouting(tx, now, decisions, written),
  };
}

/** Everything a decision carries; the region names follow from its codes. */
function decisionKey(d: OrderRoutingDecision): string {
  const r = d.region;
  const p = d.addressParse;
  return [
    d.groupId,
    d.ownerId,
    d.holdReason,
    d.ruleId,
    d.reason,
    r?.provinceCode,
    r?.cityCode,
    r?.districtCode,
    p.ok,
    p.confidence,
    p.method,
    p.failure,
    p.message,
  ].join('\u0001');
}

export function subjectOfNormalized(order: NormalizedOrder): RoutingSubject {
  const categories: string[] = new Array(order.items.length);
  for (let i = 0; i < order.items.length; i++) categories[i] = order.items[i].category;
  return {
    channel: order.channel,
    businessType: order.businessType,
    totalCents: order.totalCents,
    categories,
    address: order.address,
  };
}

const DATA_UNAVAILABLE_PARSE: OrderAddressParse = Object.freeze({
  ok: false,
  confidence: 0,
  method: null,
  failure: 'DIVISION_DATA_UNAVAILABLE',
  message: 'division data is not loaded; the address was not parsed',
});

/**
 * Pure: the routing of one order. Held (no group) when the division data is missing, when
 * routing is paused for the whole platform or for the order's channel, when the address was read
 * with too little confidence, or when it did not parse and a region rule could have decided the
 * order; otherwise the first matching rule's group, or the default group, with the reason.
 */
export function decideRouting(inputs: RoutingInputs, subject: RoutingSubject): OrderRoutingDecision {
  const { index, mode, state } = inputs;
  if (index === null) {
    return held(
      null,
      DATA_UNAVAILABLE_PARSE,
      'ADDRESS_DATA_UNAVAILABLE',
      '行政区划数据不可用[ADDRESS_DATA_UNAVAILABLE]，地址未解析，订单暂不分配；数据恢复后重新分配',
    );
  }
  const parsed = safeParse(index, subject.address);
  const place = parsed.ok ? placeOf(index, parsed) : null;
  const region = place?.region ?? null;
  const addressParse = parseOutcome(parsed);
  if (mode === 'PAUSED') {
    return held(
      region,
      addressParse,
      'ROUTING_PAUSED',
      '自动分配已暂停[ROUTING_PAUSED]，订单暂不分配；恢复分配后重新分配',
    );
  }
  if (inputs.pausedChannels?.has(subject.channel)) {
    return held(
      region,
      addressParse,
      'ROUTING_PAUSED',
      `渠道 ${CHANNEL_LABELS[subject.channel]}(${subject.channel}) 自动分配已暂停[ROUTING_PAUSED]，订单暂不分配；该渠道恢复分配后重新分配`,
    );
  }
  const minConfidence = inputs.minParseConfidence ?? 0;
  if (parsed.ok && parsed.confidence < minConfidence) {
    return held(
      region,
      addressParse,
      'ADDRESS_LOW_CONFIDENCE',
      `地址解析置信度 ${parsed.confidence} 低于 ${minConfidence}[ADDRESS_LOW_CONFIDENCE]，订单暂不分配，请人工核对地址后重新分配`,
    );
  }
  const routable: RoutableOrder = {
    channel: subject.channel,
    businessType: subject.businessType,
    amountCents: subject.totalCents,
    categories: subject.categories,
    region: place?.routable ?? null,
  };
  const decision = routeOrder(state.compiled, routable);
  if (!parsed.ok) {
    const regionRulesBefore =
      decision.ruleId === null
        ? state.compiled.regionRuleCount
        : (state.rulesById.get(decision.ruleId)?.regionRulesBefore ?? 0);
    const what = `地址无法解析[${parsed.reason}]：${parsed.message}`;
    if (regionRulesBefore > 0) {
      return held(
        null,
        addressParse,
        'ADDRESS_UNPARSED',
        `${what}；有 ${regionRulesBefore} 条含地区条件的规则无法判断，订单暂不分配，请核对地址后重新分配`,
      );
    }
    return routed(
      state,
      decision.groupId,
      decision.ruleId,
      `${decision.reason}；${what}，不影响本次分配`,
      null,
      addressParse,
    );
  }
  return routed(state, decision.groupId, decision.ruleId, decision.reason, region, addressParse);
}

function routed(
  state: RoutingState,
  groupId: string,
  ruleId: string | null,
  reason: string,
  region: OrderRegion | null,
  addressParse: OrderAddressParse,
): OrderRoutingDecision {
  return {
    region,
    addressParse,
    groupId,
    ownerId: state.groups.get(groupId)?.ownerUserId ?? null,
    holdReason: null,
    ruleId: ruleId ?? DEFAULT_HIT_KEY,
    reason,
  };
}

function held(
  region: OrderRegion | null,
  addressParse: OrderAddressParse,
  holdReason: OrderRoutingDecision['holdReason'],
  reason: string,
): OrderRoutingDecision {
  return { region, addressParse, groupId: null, ownerId: null, holdReason, ruleId: null, reason };
}

/** The parser is total by design; this keeps one unexpected input from failing a whole batch. */
function safeParse(index: DivisionIndex, address: ChannelAddress | null | undefined): ParsedAddress {
  try {
    const a = address ?? ({} as Partial<ChannelAddress>);
    return parseAddress(index, {
      province: a.province,
      city: a.city,
      district: a.district,
      street: a.street,
      detail: typeof a.detail === 'string' ? a.detail : '',
    });
  } catch {
    return { ok: false, reason: 'NO_PROVINCE', message: 'the address could not be read', confidence: 0 };
  }
}

interface Place {
  region: OrderRegion;
  routable: RoutableRegion;
}

/** One shared region per city and district of the data in use: orders of a place share it. */
const places = new WeakMap<DivisionIndex, Map<string, Place>>();

function placeOf(index: DivisionIndex, parsed: Extract<ParsedAddress, { ok: true }>): Place {
  let known = places.get(index);
  if (known === undefined) {
    known = new Map();
    places.set(index, known);
  }
  const key = `${parsed.city.code}:${parsed.district?.code ?? ''}`;
  let place = known.get(key);
  if (place === undefined) {
    const region: OrderRegion = Object.freeze({
      provinceCode: parsed.province.code,
      provinceName: parsed.province.name,
      cityCode: parsed.city.code,
      cityName: parsed.city.name,
      districtCode: parsed.district?.code ?? null,
      districtName: parsed.district?.name ?? null,
    });
    const routable: RoutableRegion = Object.freeze({
      provinceCode: region.provinceCode,
      cityCode: region.cityCode,
      districtCode: region.districtCode,
    });
    place = { region, routable };
    known.set(key, place);
  }
  return place;
}

/** Successful parses differ only in confidence and method: a handful of shared values. */
const parsedOutcomes = new Map<string, OrderAddressParse>();

function parseOutcome(parsed: ParsedAddress): OrderAddressParse {
  if (parsed.ok) {
    const key = `${parsed.confidence}|${parsed.method}`;
    let outcome = parsedOutcomes.get(key);
    if (outcome === undefined) {
      outcome = Object.freeze({
        ok: true,
        confidence: parsed.confidence,
        method: parsed.method,
        failure: null,
        message: null,
      });
      parsedOutcomes.set(key, outcome);
    }
    return outcome;
  }
  return {
    ok: false,
    confidence: parsed.confidence,
    method: null,
    failure: parsed.reason,
    message: parsed.message,
  };
}

/**
 * Counts, in the intake transaction, the parse outcome of every written order per channel and
 * minute, and every routed order per rule and Shanghai day: one statement for both tables. Keys
 * are written in sorted order so concurrent batches lock the counter rows in the same sequence.
 */
async function recordIntakeRouting(
  tx: pg.PoolClient,
  now: Date,
  decisions: readonly OrderRoutingDecision[],
  written: readonly IntakeWritten[],
): Promise<void> {
  if (written.length === 0) return;
  const parses = new Map<string, { ok: number; failed: number }>();
  const hits = new Map<string, number>();
  for (const row of written) {
    const decision = decisions[row.index];
    const count = parses.get(row.channel) ?? { ok: 0, failed: 0 };
    if (decision.addressParse.ok) count.ok++;
    else count.failed++;
    parses.set(row.channel, count);
    if (row.routed && decision.ruleId !== null)
      hits.set(decision.ruleId, (hits.get(decision.ruleId) ?? 0) + 1);
  }
  const channels = [...parses.keys()].sort();
  const ruleIds = [...hits.keys()].sort();
  await tx.query(`with parses as (${PARSE_STAT_UPSERT}) ${ruleHitUpsert('$5', '$6')}`, [
    now.toISOString(),
    channels,
    channels.map((c) => parses.get(c)!.ok),
    channels.map((c) => parses.get(c)!.failed),
    ruleIds,
    ruleIds.map((r) => hits.get(r)!),
  ]);
}

const PARSE_STAT_UPSERT = `insert into address_parse_stat (bucket_start, channel, ok_count, failed_count)
     select date_trunc('minute', $1::timestamptz), t.channel, t.ok, t.failed
       from unnest($2::text[], $3::int[], $4::int[]) as t(channel, ok, failed)
     on conflict (bucket_start, channel) do update set
        ok_count = address_parse_stat.ok_count + excluded.ok_count,
        failed_count = address_parse_stat.failed_count + excluded.failed_count`;

/** `$1` is the time; the rule ids and counts are the parameters named. */
const ruleHitUpsert = (ruleIds: string, counts: string) => `insert into routing_rule_hit (day, rule_id, count)
     select ($1::timestamptz at time zone 'Asia/Shanghai')::date, t.rule_id, t.n
       from unnest(${ruleIds}::text[], ${counts}::int[]) as t(rule_id, n)
     on conflict (day, rule_id) do update set count = routing_rule_hit.count + excluded.count`;

/** Adds routed orders per rule to today's (Shanghai) counters. */
export async function recordRuleHits(tx: Db, now: Date, byRule: ReadonlyMap<string, number>): Promise<void> {
  if (byRule.size === 0) return;
  const ruleIds = [...byRule.keys()].sort();
  await tx.query(ruleHitUpsert('$2', '$3'), [now.toISOString(), ruleIds, ruleIds.map((r) => byRule.get(r)!)]);
}
