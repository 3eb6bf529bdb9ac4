import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Secrets the platform generates for itself when none is configured (e.g. the token-signing key),
 * shared by every process on the same database.
 */
@Entity({ tableName: 'platform_secret' })
export class PlatformSecret {
  @PrimaryKey({ type: 'text' })
  name!: string;

  @Property({ type: 'text', hidden: true })
  value!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}
