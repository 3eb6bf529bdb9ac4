import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** One scan of a parcel's trace; a push repeating it is recognised by `entryKey`. */
@Entity({ tableName: 'shipment_trace' })
@Unique({ name: 'shipment_trace_entry_unique', properties: ['shipmentId', 'entryKey'] })
@Index({ name: 'shipment_trace_time_idx', properties: ['shipmentId', 'occurredAt'] })
export class ShipmentTrace {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid' })
  shipmentId!: string;

  @Property({ type: 'text' })
  entryKey!: string;

  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  @Property({ type: 'text' })
  description!: string;

  @Property({ type: 'text', nullable: true })
  location!: string | null;

  /** `KUAIDI100` or `TMS`. */
  @Property({ type: 'text' })
  source!: string;

  @Property({ type: 'integer', nullable: true })
  carrierCode!: number | null;

  @Property({ type: 'text', nullable: true })
  state!: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  receivedAt!: Date;
}
