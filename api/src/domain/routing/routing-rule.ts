import type { BusinessType, Channel } from '../order/order-types.js';

/** A team that works orders. Only what routing and its notifications need. */
export interface ProcessingGroup {
  id: string;
  name: string;
  /** Reminded on WeCom when an order of the group needs attention. */
  ownerMobile?: string;
  /** Reminded when an order escalates. */
  supervisorMobile?: string;
  /** Open orders the group can hold; informational for routing, enforced elsewhere. */
  capacity?: number;
}

/**
 * What an order must satisfy for a rule to take it. Every present condition must hold (AND);
 * inside one condition any listed value is enough (OR). An absent condition does not constrain.
 */
export interface RoutingConditions {
  /**
   * Region conditions use GB/T 2260 six-digit codes and together form one condition: the order's
   * address must lie in any of the listed areas, whatever their level. A province code (`330000`)
   * covers all of Zhejiang, a city code (`330100`) all of Hangzhou, a district code (`330106`)
   * only 西湖区. An order whose address did not parse never matches a region condition.
   */
  provinceCodes?: string[];
  cityCodes?: string[];
  districtCodes?: string[];
  /** Inclusive lower bound of the order amount, in cents. */
  minAmountCents?: number;
  /** Exclusive upper bound of the order amount, in cents. */
  maxAmountCents?: number;
  /** Matches when any item of the order carries one of these categories (exact text). */
  categories?: string[];
  channels?: Channel[];
  businessTypes?: BusinessType[];
}

export interface RoutingRule {
  id: string;
  /** Shown to operators and in routing reasons, e.g. `浙江大额`. */
  name: string;
  /** Lower numbers are evaluated first; unique within a rule set. */
  priority: number;
  groupId: string;
  enabled: boolean;
  conditions: RoutingConditions;
}

/** A rule set as operators submit it, before the store gives it a version. */
export interface RuleSetDraft {
  rules: RoutingRule[];
  /** Where an order goes when no enabled rule takes it. */
  defaultGroupId: string;
}

export interface RuleSet extends RuleSetDraft {
  version: number;
}

/** The order facts routing looks at. */
export interface RoutableOrder {
  channel: Channel;
  businessType: BusinessType;
  amountCents: number;
  /** Category of each item, as the channel gave it. */
  categories: readonly string[];
  /** The parsed address; `null` when parsing failed. A part the parser could not resolve is `null`. */
  region: RoutableRegion | null;
}

export interface RoutableRegion {
  provinceCode: string;
  cityCode: string | null;
  districtCode: string | null;
}

export interface RoutingDecision {
  groupId: string;
  /** The rule that took the order; `null` when it fell through to the default group. */
  ruleId: string | null;
  /** For operators, in Chinese, with the codes that decided it. */
  reason: string;
  /** Stable tokens for the conditions that held, e.g. `PROVINCE:330000`, `AMOUNT_MIN:50000`. */
  matchedConditions: string[];
}

/** Rule-hit statistics count default-group orders under this key, so no rule may have it as id. */
export const DEFAULT_HIT_KEY = 'DEFAULT';

/** Names operators read in reasons and messages. */
export const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
  TAOBAO: '淘宝',
  JD: '京东',
  DOUYIN: '抖音',
  WEBSHOP: '官网商城',
};

export const BUSINESS_TYPE_LABELS: Readonly<Record<BusinessType, string>> = {
  NORMAL: '普通',
  PRESALE: '预售',
  CUSTOM: '定制',
};
