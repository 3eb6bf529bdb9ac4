import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { ShipmentState } from '../../domain/tracking/carrier-state.js';

/** One parcel of an order (an order may have several), as the carrier and the TMS report it. */
@Entity({ tableName: 'shipment' })
@Unique({ name: 'shipment_carrier_waybill_unique', properties: ['carrier', 'waybillNo'] })
@Index({ name: 'shipment_order_idx', properties: ['orderId'] })
@Index({
  name: 'shipment_stall_check_idx',
  expression:
    'create index "shipment_stall_check_idx" on "shipment" ("next_stall_check_at") where "next_stall_check_at" is not null',
})
@Index({
  name: 'shipment_route_delivered_idx',
  properties: ['carrier', 'originProvince', 'destinationProvince', 'deliveredAt'],
})
export class Shipment {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'uuid' })
  orderId!: string;

  /** Carrier code as Kuaidi100 names it, e.g. `shunfeng`, `zhongtong`. */
  @Property({ type: 'text' })
  carrier!: string;

  @Property({ type: 'text' })
  waybillNo!: string;

  @Property({ type: 'text' })
  state!: ShipmentState;

  /** The time of the scan `state` was read from; older scans arriving later do not change it. */
  @Property({ type: 'timestamptz', nullable: true })
  stateAt!: Date | null;

  /** The latest carrier event, by the carrier's clock. */
  @Property({ type: 'timestamptz', nullable: true })
  lastEventAt!: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  shippedAt!: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  /** Expected delivery (end of the Shanghai day promised); revised as events arrive. */
  @Property({ type: 'timestamptz', nullable: true })
  eta!: Date | null;

  @Property({ type: 'text', nullable: true })
  originProvince!: string | null;

  @Property({ type: 'text', nullable: true })
  destinationProvince!: string | null;

  /** When the stall sweep must look at it next; null when it is not moving or already stalled. */
  @Property({ type: 'timestamptz', nullable: true })
  nextStallCheckAt!: Date | null;

  /** Since when the parcel has had no carrier event, while marked stalled. */
  @Property({ type: 'timestamptz', nullable: true })
  stalledSince!: Date | null;

  @Property({ type: 'text', nullable: true })
  stallReason!: string | null;

  /** How many stalls this parcel has had; names each stall's SMS and ticket. */
  @Property({ type: 'integer', default: 0 })
  stallCount!: number;

  /** Whether a poll subscription was placed with Kuaidi100. */
  @Property({ type: 'timestamptz', nullable: true })
  subscribedAt!: Date | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt!: Date;
}
