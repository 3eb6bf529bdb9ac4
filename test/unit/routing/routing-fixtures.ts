import { compileRuleSet } from '../../../api/src/domain/routing/compile-rule-set.js';
import type {
  RoutableOrder,
  RoutingConditions,
  RoutingRule,
  RuleSet,
} from '../../../api/src/domain/routing/routing-rule.js';

export const rule = (
  id: string,
  priority: number,
  groupId: string,
  conditions: RoutingConditions,
  extra: Partial<RoutingRule> = {},
): RoutingRule => ({ id, name: id, priority, groupId, enabled: true, conditions, ...extra });

export const compiled = (rules: RoutingRule[], defaultGroupId = 'g-default', version = 1) =>
  compileRuleSet({ version, rules, defaultGroupId } satisfies RuleSet);

/** 杭州市西湖区, a normal Taobao order of 300.00 元 with one appliance. */
export const order = (overrides: Partial<RoutableOrder> = {}): RoutableOrder => ({
  channel: 'TAOBAO',
  businessType: 'NORMAL',
  amountCents: 30_000,
  categories: ['家电'],
  region: { provinceCode: '330000', cityCode: '330100', districtCode: '330106' },
  ...overrides,
});
