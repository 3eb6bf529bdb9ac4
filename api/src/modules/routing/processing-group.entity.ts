import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A team that works orders; routing rules send orders to it by its id. */
@Entity({ tableName: 'processing_group' })
export class ProcessingGroup {
  /** A readable slug (`east-china`), referenced by routing rules and stored on orders. */
  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  /** Staff user who owns the group's orders; new orders get this owner. */
  @Property({ type: 'uuid', nullable: true })
  ownerUserId!: string | null;

  @Property({ type: 'text', nullable: true })
  ownerName!: string | null;

  /** Mainland mobile, 11 digits; reminded on WeCom. Masked wherever it is shown. */
  @Property({ type: 'text', nullable: true })
  ownerMobile!: string | null;

  @Property({ type: 'uuid', nullable: true })
  supervisorUserId!: string | null;

  @Property({ type: 'text', nullable: true })
  supervisorName!: string | null;

  /** Reminded when an order escalates. Masked wherever it is shown. */
  @Property({ type: 'text', nullable: true })
  supervisorMobile!: string | null;

  /** The group chat's robot; its `key` is a credential. */
  @Property({ type: 'text', nullable: true })
  wecomWebhookUrl!: string | null;

  /** Open orders the group can hold; informational for routing. */
  @Property({ type: 'integer', nullable: true })
  capacity!: number | null;

  /** Inactive groups cannot receive orders from rules. */
  @Property({ type: 'boolean', default: true })
  active!: boolean;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt!: Date;
}
