import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** Failed sign-ins of one subject (`user:<name>` or `address:<ip>`), shared by every API process. */
@Entity({ tableName: 'login_throttle' })
export class LoginThrottle {
  @PrimaryKey({ type: 'text' })
  subject!: string;

  @Property({ type: 'integer' })
  failures!: number;

  @Property({ type: 'timestamptz', nullable: true })
  lastFailureAt!: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  blockedUntil!: Date | null;
}
