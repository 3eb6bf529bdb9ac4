import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { RoutingRule } from '../../domain/routing/routing-rule.js';

/**
 * Every routing rule set ever saved, newest version highest. Exactly one is active: a partial
 * unique index refuses a second, and saving a version deactivates the previous one in the same
 * transaction. Versions are never changed or deleted, so any past routing can be explained.
 */
@Entity({ tableName: 'routing_rule_set_version' })
@Index({
  name: 'routing_rule_set_version_one_active',
  expression:
    'create unique index "routing_rule_set_version_one_active" on "routing_rule_set_version" ("active") where "active"',
})
export class RoutingRuleSetVersion {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  version!: number;

  @Property({ type: 'jsonb' })
  rules!: RoutingRule[];

  @Property({ type: 'text' })
  defaultGroupId!: string;

  /** Username of who saved it, or `system` for the seeded set. */
  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;

  @Property({ type: 'text', nullable: true })
  comment!: string | null;

  @Property({ type: 'boolean', default: false })
  active!: boolean;
}
