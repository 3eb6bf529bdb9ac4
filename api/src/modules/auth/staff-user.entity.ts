import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { StaffRole } from '../../domain/auth/viewer.js';

/** A member of staff who signs in to the console or the API. */
@Entity({ tableName: 'staff_user' })
export class StaffUser {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Unique({ name: 'staff_user_username_unique' })
  @Property({ type: 'text' })
  username!: string;

  @Property({ type: 'text' })
  displayName!: string;

  /** Mobile number for WeCom mentions; masked wherever it is shown. */
  @Property({ type: 'text', nullable: true })
  mobile!: string | null;

  @Property({ type: 'text', hidden: true })
  passwordHash!: string;

  @Property({ type: 'text[]' })
  roles!: StaffRole[];

  @Property({ type: 'boolean', default: true })
  active!: boolean;

  /** Raised when the user is deactivated or their sessions revoked; tokens carry the version they were issued at. */
  @Property({ type: 'integer', default: 0 })
  tokenVersion: number = 0;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}
