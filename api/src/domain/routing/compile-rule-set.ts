import { BUSINESS_TYPES, type BusinessType, CHANNELS, type Channel } from '../order/order-types.js';
import type { RoutingRule, RuleSet } from './routing-rule.js';

/**
 * One enabled rule, turned into sets and bounds so that matching an order is a handful of
 * lookups. An absent condition is `null` and does not constrain.
 */
export interface CompiledRule {
  readonly rule: RoutingRule;
  readonly channels: ReadonlySet<Channel> | null;
  readonly businessTypes: ReadonlySet<BusinessType> | null;
  readonly minAmountCents: number | null;
  readonly maxAmountCents: number | null;
  /**
   * Every listed region code, whatever its list: the address matches when its district, city or
   * province code is one of them. One set also covers a city without districts (东莞 441900),
   * which the address parser reports as a city with no district. `null` when no region is set.
   */
  readonly regionCodes: ReadonlySet<string> | null;
  readonly categories: ReadonlySet<string> | null;
  /** Region rules ranked above this one: what an order without a region skipped to get here. */
  readonly regionRulesBefore: number;
}

export interface CompiledRuleSet {
  readonly version: number;
  readonly defaultGroupId: string;
  /** Enabled rules only, lowest priority number first. */
  readonly rules: readonly CompiledRule[];
  /** Enabled rules with a region condition. */
  readonly regionRuleCount: number;
  /**
   * For each channel and business type, the rules whose channel and business-type conditions
   * it meets, in priority order: most rules are scoped to a channel, so routing skips them early.
   */
  readonly candidates: Readonly<Record<Channel, Readonly<Record<BusinessType, readonly CompiledRule[]>>>>;
}

/** Compile once per rule-set version and reuse it for every order. Expects a validated rule set. */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const enabled = ruleSet.rules.filter((r) => r.enabled).sort((a, b) => a.priority - b.priority);
  let regionRules = 0;
  const rules = enabled.map((rule): CompiledRule => {
    const c = rule.conditions;
    const regionCodes = setOrNull([
      ...(c.provinceCodes ?? []),
      ...(c.cityCodes ?? []),
      ...(c.districtCodes ?? []),
    ]);
    const compiled: CompiledRule = Object.freeze({
      rule,
      channels: setOrNull(c.channels),
      businessTypes: setOrNull(c.businessTypes),
      minAmountCents: c.minAmountCents ?? null,
      maxAmountCents: c.maxAmountCents ?? null,
      regionCodes,
      categories: setOrNull(c.categories),
      regionRulesBefore: regionRules,
    });
    if (regionCodes !== null) regionRules++;
    return compiled;
  });
  const candidates = lookup(CHANNELS, (channel) =>
    lookup(BUSINESS_TYPES, (type) => Object.freeze(rules.filter((r) => admits(r, channel, type)))),
  );
  return Object.freeze({
    version: ruleSet.version,
    defaultGroupId: ruleSet.defaultGroupId,
    rules: Object.freeze(rules),
    regionRuleCount: regionRules,
    candidates,
  });
}

/** The enabled rules, in priority order, that an order of this channel and business type can meet. */
export function candidateRules(
  ruleSet: CompiledRuleSet,
  channel: Channel,
  businessType: BusinessType,
): readonly CompiledRule[] {
  return (
    ruleSet.candidates[channel]?.[businessType] ??
    // A value outside the known lists slipped past the types: it can only meet unscoped conditions.
    ruleSet.rules.filter((r) => admits(r, channel, businessType))
  );
}

const admits = (rule: CompiledRule, channel: Channel, businessType: BusinessType) =>
  (rule.channels === null || rule.channels.has(channel)) &&
  (rule.businessTypes === null || rule.businessTypes.has(businessType));

/** A frozen table without a prototype, so an unexpected key such as `constructor` finds nothing. */
function lookup<K extends string, V>(keys: readonly K[], entryFor: (key: K) => V): Readonly<Record<K, V>> {
  const table = Object.create(null) as Record<K, V>;
  for (const key of keys) table[key] = entryFor(key);
  return Object.freeze(table);
}

const setOrNull = <T>(values: readonly T[] | undefined): ReadonlySet<T> | null =>
  values !== undefined && values.length > 0 ? new Set(values) : null;
