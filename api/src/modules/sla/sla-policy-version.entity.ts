import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { SlaPolicyDraft } from '../../domain/sla/sla-policy.js';

/**
 * Every SLA policy version ever saved. A policy is identified by its key (business type, channel
 * or `*`, group or `*`); each save of a key writes its next version and deactivates the previous
 * one in the same transaction, and a partial unique index keeps one active version per key.
 * Versions are never changed or deleted, so a past judgement can always be explained.
 */
@Entity({ tableName: 'sla_policy_version' })
@Unique({ name: 'sla_policy_version_key_version_unique', properties: ['policyKey', 'version'] })
@Index({
  name: 'sla_policy_version_one_active',
  expression:
    'create unique index "sla_policy_version_one_active" on "sla_policy_version" ("policy_key") where "active"',
})
export class SlaPolicyVersion {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  /** `BUSINESS_TYPE:CHANNEL:GROUP`, `*` for any, e.g. `NORMAL:*:*` or `CUSTOM:*:custom-made`. */
  @Property({ type: 'text' })
  policyKey!: string;

  @Property({ type: 'text' })
  businessType!: string;

  @Property({ type: 'text', nullable: true })
  channel!: string | null;

  @Property({ type: 'text', nullable: true })
  groupId!: string | null;

  /** 1 for the first version of a key, then counting up. */
  @Property({ type: 'integer' })
  version!: number;

  /** The validated policy (`SlaPolicyDraft`), re-validated whenever it is read. */
  @Property({ type: 'jsonb' })
  definition!: SlaPolicyDraft;

  /** Username of who saved it, or `system` for the seeded defaults. */
  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;

  @Property({ type: 'text', nullable: true })
  comment!: string | null;

  @Property({ type: 'boolean', default: false })
  active!: boolean;
}
