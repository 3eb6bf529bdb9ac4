import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { PartnerScope } from '../../domain/auth/viewer.js';
import type { Channel } from '../../domain/order/order-types.js';

/** A partner application with an API key scoped to channels and to read or write. */
@Entity({ tableName: 'api_client' })
export class ApiClient {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  /** First characters of the key, shown so an operator can tell keys apart; the key itself is not stored. */
  @Property({ type: 'text' })
  keyPrefix!: string;

  /** SHA-256 of the key. */
  @Unique({ name: 'api_client_key_hash_unique' })
  @Property({ type: 'text', hidden: true })
  keyHash!: string;

  @Property({ type: 'text[]' })
  channels!: Channel[];

  @Property({ type: 'text[]' })
  scopes!: PartnerScope[];

  @Property({ type: 'boolean', default: true })
  active!: boolean;

  @Property({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}
