import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../infra/graphql/user-error.type.js';
import { BusinessTypeEnum, ChannelEnum } from '../orders/order.type.js';

@ObjectType('RoutingConditions', {
  description:
    'Every present condition must hold; inside one, any listed value is enough. Region codes are GB/T 2260 (330000 Zhejiang, 330100 Hangzhou, 330106 西湖区).',
})
export class RoutingConditionsType {
  @Field(() => [String], { nullable: true })
  provinceCodes?: string[];

  @Field(() => [String], { nullable: true })
  cityCodes?: string[];

  @Field(() => [String], { nullable: true })
  districtCodes?: string[];

  @Field(() => Int, { nullable: true, description: 'Inclusive lower bound of the order total, in cents.' })
  minAmountCents?: number;

  @Field(() => Int, { nullable: true, description: 'Exclusive upper bound of the order total, in cents.' })
  maxAmountCents?: number;

  @Field(() => [String], { nullable: true, description: 'Any item carrying one of these categories.' })
  categories?: string[];

  @Field(() => [ChannelEnum], { nullable: true })
  channels?: string[];

  @Field(() => [BusinessTypeEnum], { nullable: true })
  businessTypes?: string[];
}

@ObjectType('RoutingRule', {
  description: 'Orders meeting the conditions go to the group; lowest priority first.',
})
export class RoutingRuleType {
  @Field(() => String)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  priority!: number;

  @Field(() => String)
  groupId!: string;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => RoutingConditionsType)
  conditions!: RoutingConditionsType;
}

@ObjectType('RoutingRuleSetVersion', {
  description: 'One saved version of the routing rules; never changed.',
})
export class RoutingRuleSetVersionType {
  @Field(() => Int)
  version!: number;

  @Field(() => [RoutingRuleType])
  rules!: RoutingRuleType[];

  @Field(() => String, { description: 'Where an order goes when no enabled rule takes it.' })
  defaultGroupId!: string;

  @Field(() => String, { description: 'Username of who saved it; `system` for the seeded set.' })
  createdBy!: string;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;

  @Field(() => String, { nullable: true })
  comment!: string | null;

  @Field(() => Boolean, { description: 'Exactly one version is active.' })
  active!: boolean;
}

@ObjectType('RoutingRuleSetVersionPage', { description: 'Versions, newest first.' })
export class RoutingRuleSetVersionPage {
  @Field(() => [RoutingRuleSetVersionType])
  nodes!: RoutingRuleSetVersionType[];

  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor!: string | null;

  @Field(() => Int)
  totalCount!: number;
}

@ObjectType('RoutingRuleSet', { description: 'The routing rules in use, and their history.' })
export class RoutingRuleSetType {
  @Field(() => RoutingRuleSetVersionType)
  active!: RoutingRuleSetVersionType;
}

@InputType({
  description: 'Conditions of a rule; leave a field out (or send an empty list) for no condition.',
})
export class RoutingConditionsInput {
  @Field(() => [String], { nullable: true })
  provinceCodes?: string[] | null;

  @Field(() => [String], { nullable: true })
  cityCodes?: string[] | null;

  @Field(() => [String], { nullable: true })
  districtCodes?: string[] | null;

  @Field(() => Int, { nullable: true })
  minAmountCents?: number | null;

  @Field(() => Int, { nullable: true })
  maxAmountCents?: number | null;

  @Field(() => [String], { nullable: true })
  categories?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'TAOBAO, JD, DOUYIN, WEBSHOP.' })
  channels?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'NORMAL, PRESALE, CUSTOM.' })
  businessTypes?: string[] | null;
}

@InputType({ description: 'One rule; missing fields are reported as userErrors with their path.' })
export class RoutingRuleInput {
  @Field(() => String, { nullable: true })
  id?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Int, { nullable: true, description: 'Unique; lower numbers are evaluated first.' })
  priority?: number | null;

  @Field(() => String, { nullable: true })
  groupId?: string | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => RoutingConditionsInput, { nullable: true })
  conditions?: RoutingConditionsInput | null;
}

@InputType({ description: 'A whole rule set; saving it makes it the next, active version.' })
export class RoutingRuleSetInput {
  @Field(() => [RoutingRuleInput])
  rules!: RoutingRuleInput[];

  @Field(() => String, { nullable: true })
  defaultGroupId?: string | null;
}

@ObjectType('SaveRoutingRulesPayload')
export class SaveRoutingRulesPayload {
  @Field(() => RoutingRuleSetVersionType, {
    nullable: true,
    description: 'The new active version; null on error.',
  })
  ruleSet!: RoutingRuleSetVersionType | null;

  @Field(() => [UserError], {
    description: 'Every defect with its path, e.g. `rules[2].conditions.minAmountCents`; nothing is saved.',
  })
  userErrors!: UserError[];
}

@ObjectType('RoutingDryRunMove', {
  description: 'An open order the proposed rules would put in another group.',
})
export class RoutingDryRunMoveType {
  @Field(() => ID)
  orderId!: string;

  @Field(() => String)
  channelOrderNo!: string;

  @Field(() => String)
  fromGroupId!: string;

  @Field(() => String)
  toGroupId!: string;

  @Field(() => String, { nullable: true, description: 'The proposed rule; null for the default group.' })
  ruleId!: string | null;

  @Field(() => String)
  reason!: string;

  @Field(() => Boolean, {
    description:
      'Whether the current rules also put the order where it is; false means it got there another way.',
  })
  placedByCurrentRules!: boolean;
}

@ObjectType('RoutingTransitionCount')
export class RoutingTransitionCountType {
  @Field(() => String)
  fromGroupId!: string;

  @Field(() => String)
  toGroupId!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType('RoutingRuleHitCount')
export class RoutingRuleHitCountType {
  @Field(() => String, { description: 'Rule id, or `DEFAULT` for the default group.' })
  ruleId!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType('RoutingDryRun', { description: 'What the proposed rules would do to the open orders now.' })
export class RoutingDryRunType {
  @Field(() => Int, { description: 'The active version the proposal is compared with.' })
  baseVersion!: number;

  @Field(() => Int, { description: 'Open orders with a group, routed by the proposal.' })
  evaluated!: number;

  @Field(() => Int, { description: 'How many of them would move.' })
  movedCount!: number;

  @Field(() => [RoutingDryRunMoveType], { description: 'The first 200 moves.' })
  moved!: RoutingDryRunMoveType[];

  @Field(() => [RoutingTransitionCountType], { description: 'Moves by from → to group, largest first.' })
  byTransition!: RoutingTransitionCountType[];

  @Field(() => [RoutingRuleHitCountType], { description: 'Orders each rule (and DEFAULT) would take.' })
  ruleHits!: RoutingRuleHitCountType[];

  @Field(() => Int, { description: 'Open orders held without a group; re-route them to apply rules.' })
  unassignedOpenOrders!: number;
}

@ObjectType('DryRunRoutingRulesPayload')
export class DryRunRoutingRulesPayload {
  @Field(() => RoutingDryRunType, { nullable: true, description: 'Null when the proposal has defects.' })
  report!: RoutingDryRunType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType({ description: 'Which open orders to route again; every given condition must hold.' })
export class RerouteFilterInput {
  @Field(() => [ID], { nullable: true })
  orderIds?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'ADDRESS_UNPARSED, ADDRESS_LOW_CONFIDENCE, ADDRESS_DATA_UNAVAILABLE or ROUTING_PAUSED.',
  })
  holdReason?: string | null;

  @Field(() => [String], { nullable: true })
  groupIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Order states; closed orders are never routed.' })
  states?: string[] | null;
}

@ObjectType('RerouteOrdersPayload')
export class RerouteOrdersPayload {
  @Field(() => Int)
  evaluated!: number;

  @Field(() => Int, { description: 'Orders now in another group (released ones included).' })
  moved!: number;

  @Field(() => Int, { description: 'Orders still held without a group.' })
  stillHeld!: number;

  @Field(() => Int, { description: 'Held orders that now have a group.' })
  released!: number;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType('RoutingRuleHitDay', { description: 'Orders routed by one rule on one Shanghai business day.' })
export class RoutingRuleHitDayType {
  @Field(() => String, { description: 'YYYY-MM-DD, Asia/Shanghai.' })
  day!: string;

  @Field(() => String, { description: 'Rule id, or `DEFAULT` for the default group.' })
  ruleId!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType('DivisionDataCounts')
export class DivisionDataCountsType {
  @Field(() => Int)
  provinces!: number;

  @Field(() => Int)
  cities!: number;

  @Field(() => Int)
  districts!: number;
}

@ObjectType('DivisionDataStatus', {
  description: 'The administrative division data addresses are parsed with.',
})
export class DivisionDataStatusType {
  @Field(() => Boolean, {
    description:
      'False only when no load ever succeeded: new orders are then held as ADDRESS_DATA_UNAVAILABLE.',
  })
  loaded!: boolean;

  @Field(() => String, { description: 'Where the data is read from.' })
  source!: string;

  @Field(() => GraphQLDateTime, { nullable: true })
  loadedAt!: Date | null;

  @Field(() => DivisionDataCountsType, { nullable: true })
  counts!: DivisionDataCountsType | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the last failed load happened.' })
  lastFailureAt!: Date | null;

  @Field(() => [UserError], { description: 'Defects of the last failed load; empty after a success.' })
  lastFailure!: UserError[];
}

@ObjectType('ReloadDivisionDataPayload')
export class ReloadDivisionDataPayload {
  @Field(() => DivisionDataStatusType)
  status!: DivisionDataStatusType;

  @Field(() => [UserError], { description: 'Why the load failed; the previous data stays in use.' })
  userErrors!: UserError[];
}

@ObjectType('OrderRouting', { description: 'Where routing put the order and why, or why it holds it.' })
export class OrderRoutingType {
  @Field(() => String, { nullable: true })
  groupId!: string | null;

  @Field(() => String, { nullable: true })
  groupName!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The rule that took it; `DEFAULT` for the default group.',
  })
  ruleId!: string | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => GraphQLDateTime, { nullable: true })
  routedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      "ADDRESS_UNPARSED, ADDRESS_LOW_CONFIDENCE (read with less confidence than ROUTING_MIN_PARSE_CONFIDENCE: a person checks it), ADDRESS_DATA_UNAVAILABLE, ROUTING_PAUSED (the whole platform or the order's channel), or a hold set elsewhere.",
  })
  holdReason!: string | null;

  @Field(() => Number, { nullable: true, description: 'Address parse confidence, 0..1.' })
  addressConfidence!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the address did not parse (NO_PROVINCE, EMPTY, NOT_CHINESE_ADDRESS…); null when it did.',
  })
  addressFailure!: string | null;
}
