import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** An SMS template operators edit; `version` counts the edits. */
@Entity({ tableName: 'sms_template' })
export class SmsTemplateRow {
  @PrimaryKey({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  providerTemplateCode!: string;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'integer', default: 1 })
  version!: number;

  /** Username, or `system` for the defaults. */
  @Property({ type: 'text' })
  updatedBy!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt!: Date;
}
