import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Orders routed per rule and business day (Asia/Shanghai); `DEFAULT` counts the default group. */
@Entity({ tableName: 'routing_rule_hit' })
export class RoutingRuleHit {
  @PrimaryKey({ type: 'date' })
  day!: string;

  @PrimaryKey({ type: 'text' })
  ruleId!: string;

  @Property({ type: 'integer', default: 0 })
  count!: number;
}
