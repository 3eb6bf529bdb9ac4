import { type CompiledRule, type CompiledRuleSet, candidateRules } from './compile-rule-set.js';
import { REGION_LEVEL_LABELS, type RegionLevel } from './region-code.js';
import {
  BUSINESS_TYPE_LABELS,
  CHANNEL_LABELS,
  type RoutableOrder,
  type RoutableRegion,
  type RoutingDecision,
} from './routing-rule.js';

/**
 * Picks the processing group for an order: the first enabled rule by priority whose conditions
 * all hold, else the default group. Channel and business type were resolved when the rule set
 * was compiled, and only the winner's reason is written, so an order costs a few comparisons
 * per candidate rule.
 */
export function routeOrder(ruleSet: CompiledRuleSet, order: RoutableOrder): RoutingDecision {
  const rules = candidateRules(ruleSet, order.channel, order.businessType);
  for (let i = 0; i < rules.length; i++) {
    if (matchesBeyondChannelAndType(rules[i], order)) return ruleDecision(rules[i], order);
  }
  return defaultDecision(ruleSet, order);
}

function matchesBeyondChannelAndType(rule: CompiledRule, order: RoutableOrder): boolean {
  if (rule.minAmountCents !== null && order.amountCents < rule.minAmountCents) return false;
  if (rule.maxAmountCents !== null && order.amountCents >= rule.maxAmountCents) return false;
  if (rule.regionCodes !== null && matchedRegionLevel(rule.regionCodes, order.region) === null) return false;
  if (rule.categories !== null && !hasAnyCategory(rule.categories, order.categories)) return false;
  return true;
}

function hasAnyCategory(wanted: ReadonlySet<string>, categories: readonly string[]): boolean {
  for (let i = 0; i < categories.length; i++) if (wanted.has(categories[i])) return true;
  return false;
}

/** The order's most specific region code that the rule lists, by its level. */
function matchedRegionLevel(
  regionCodes: ReadonlySet<string>,
  region: RoutableRegion | null,
): RegionLevel | null {
  if (region === null) return null;
  if (region.districtCode !== null && regionCodes.has(region.districtCode)) return 'DISTRICT';
  if (region.cityCode !== null && regionCodes.has(region.cityCode)) return 'CITY';
  if (regionCodes.has(region.provinceCode)) return 'PROVINCE';
  return null;
}

const REGION_CODE_OF: Readonly<Record<RegionLevel, keyof RoutableRegion>> = {
  PROVINCE: 'provinceCode',
  CITY: 'cityCode',
  DISTRICT: 'districtCode',
};

function ruleDecision(compiled: CompiledRule, order: RoutableOrder): RoutingDecision {
  const { rule } = compiled;
  const phrases: string[] = [];
  const tokens: string[] = [];

  const level = compiled.regionCodes !== null ? matchedRegionLevel(compiled.regionCodes, order.region) : null;
  if (level !== null) {
    const code = order.region![REGION_CODE_OF[level]] as string;
    phrases.push(`${REGION_LEVEL_LABELS[level]} ${code}`);
    tokens.push(`${level}:${code}`);
  }
  const { minAmountCents: min, maxAmountCents: max } = compiled;
  if (min !== null || max !== null) {
    const bounds = [min !== null ? `≥ ${yuan(min)} 元` : null, max !== null ? `< ${yuan(max)} 元` : null];
    phrases.push(`金额 ${bounds.filter((b) => b !== null).join(' 且 ')}`);
    if (min !== null) tokens.push(`AMOUNT_MIN:${min}`);
    if (max !== null) tokens.push(`AMOUNT_MAX:${max}`);
  }
  if (compiled.categories !== null) {
    const hit = [...new Set(order.categories.filter((c) => compiled.categories!.has(c)))];
    phrases.push(`品类 ${hit.join('、')}`);
    for (const c of hit) tokens.push(`CATEGORY:${c}`);
  }
  if (compiled.channels !== null) {
    phrases.push(`渠道 ${CHANNEL_LABELS[order.channel]}(${order.channel})`);
    tokens.push(`CHANNEL:${order.channel}`);
  }
  if (compiled.businessTypes !== null) {
    phrases.push(`业务类型 ${BUSINESS_TYPE_LABELS[order.businessType]}(${order.businessType})`);
    tokens.push(`BUSINESS_TYPE:${order.businessType}`);
  }

  const what = phrases.length > 0 ? phrases.join('，') : '无条件规则，接收所有订单';
  return {
    groupId: rule.groupId,
    ruleId: rule.id,
    reason: `规则「${rule.name}」命中：${what}${skippedRegionNote(order, compiled.regionRulesBefore)}`,
    matchedConditions: tokens,
  };
}

function defaultDecision(ruleSet: CompiledRuleSet, order: RoutableOrder): RoutingDecision {
  const why = ruleSet.rules.length === 0 ? '规则集没有启用的规则' : '未命中任何规则';
  return {
    groupId: ruleSet.defaultGroupId,
    ruleId: null,
    reason: `${why}${skippedRegionNote(order, ruleSet.regionRuleCount)}，进入默认组 ${ruleSet.defaultGroupId}`,
    matchedConditions: [],
  };
}

/** Says when routing was partly blind: an order without a region cannot meet a region condition. */
function skippedRegionNote(order: RoutableOrder, skipped: number): string {
  if (order.region !== null || skipped === 0) return '';
  return `（地址未解析[REGION_UNPARSED]：跳过 ${skipped} 条含地区条件的规则）`;
}

/** Cents as yuan with two decimals, without floating-point rounding. */
function yuan(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
