import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Address-parse outcomes of intake, counted per minute and channel. Written in the intake
 * transaction with one upsert per batch; read to watch the parse success rate.
 */
@Entity({ tableName: 'address_parse_stat' })
export class AddressParseStat {
  /** The minute the orders were taken in, truncated. */
  @PrimaryKey({ type: 'timestamptz' })
  bucketStart!: Date;

  @PrimaryKey({ type: 'text' })
  channel!: string;

  @Property({ type: 'integer', default: 0 })
  okCount!: number;

  @Property({ type: 'integer', default: 0 })
  failedCount!: number;
}
