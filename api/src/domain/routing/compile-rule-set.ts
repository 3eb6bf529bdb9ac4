import type { BusinessType, Channel } from '../order/order-types.js';
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
  /** True when any region list is set; such a rule never matches an order without a region. */
  readonly hasRegion: boolean;
  readonly provinceCodes: ReadonlySet<string>;
  readonly cityCodes: ReadonlySet<string>;
  readonly districtCodes: ReadonlySet<string>;
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
}

/** Compile once per rule-set version and reuse it for every order. Expects a validated rule set. */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const enabled = ruleSet.rules.filter((r) => r.enabled).sort((a, b) => a.priority - b.priority);
  let regionRules = 0;
  const rules = enabled.map((rule): CompiledRule => {
    const c = rule.conditions;
    const hasRegion = [c.provinceCodes, c.cityCodes, c.districtCodes].some((l) => l !== undefined && l.length > 0);
    const compiled: CompiledRule = Object.freeze({
      rule,
      channels: setOrNull(c.channels),
      businessTypes: setOrNull(c.businessTypes),
      minAmountCents: c.minAmountCents ?? null,
      maxAmountCents: c.maxAmountCents ?? null,
      hasRegion,
      provinceCodes: new Set(c.provinceCodes ?? []),
      cityCodes: new Set(c.cityCodes ?? []),
      districtCodes: new Set(c.districtCodes ?? []),
      categories: setOrNull(c.categories),
      regionRulesBefore: regionRules,
    });
    if (hasRegion) regionRules++;
    return compiled;
  });
  return Object.freeze({
    version: ruleSet.version,
    defaultGroupId: ruleSet.defaultGroupId,
    rules: Object.freeze(rules),
    regionRuleCount: regionRules,
  });
}

const setOrNull = <T>(values: readonly T[] | undefined): ReadonlySet<T> | null =>
  values !== undefined && values.length > 0 ? new Set(values) : null;
