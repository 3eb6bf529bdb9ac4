import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { ChannelAddress, NormalizedItem, PresaleTerms } from '../../domain/intake/normalized-order.js';
import type { BusinessType, Channel, OrderState } from '../../domain/order/order-types.js';

/** Parsed region codes (GB/T 2260) once the address has been parsed for routing. */
export interface OrderRegion {
  provinceCode: string;
  provinceName: string;
  cityCode: string;
  cityName: string;
  districtCode: string | null;
  districtName: string | null;
}

/** How the address parse for routing went: confidence 0..1, and why it failed when it did. */
export interface OrderAddressParse {
  ok: boolean;
  confidence: number;
  /** FIELDS, TEXT or MIXED when parsed. */
  method: string | null;
  /** An address failure reason (`NO_PROVINCE`, `EMPTY`…) or `DIVISION_DATA_UNAVAILABLE`; null when parsed. */
  failure: string | null;
  /** For operators; names only regions from the division data, never the address itself. */
  message: string | null;
}

/** One order in the central pool, whatever channel it came from. */
@Entity({ tableName: 'orders' })
@Unique({ name: 'orders_channel_order_no_unique', properties: ['channel', 'channelOrderNo'] })
// Lists read newest first by (ordered_at, id); each index below ends in those two columns so a
// filtered page is an index range scan read backwards, not a sort.
@Index({ name: 'orders_ordered_idx', properties: ['orderedAt', 'id'] })
@Index({ name: 'orders_state_ordered_idx', properties: ['state', 'orderedAt', 'id'] })
@Index({ name: 'orders_channel_created_idx', properties: ['channel', 'orderedAt', 'id'] })
@Index({ name: 'orders_group_ordered_idx', properties: ['groupId', 'orderedAt', 'id'] })
// Newest paid first (`orderBy: PAID_AT_DESC`, the paid-time range) reads this one backwards.
@Index({ name: 'orders_paid_idx', properties: ['paidAt', 'id'] })
@Index({
  name: 'orders_abnormal_ordered_idx',
  expression: 'create index "orders_abnormal_ordered_idx" on "orders" ("ordered_at", "id") where "abnormal"',
})
// One buyer's orders newest first (staff's phone filter, the customer lookup and `myOrders`), read in
// index order however many the phone has.
@Index({ name: 'orders_buyer_phone_idx', properties: ['buyerPhone', 'orderedAt', 'id'] })
@Index({
  name: 'orders_sla_next_check_idx',
  expression:
    'create index "orders_sla_next_check_idx" on "orders" ("sla_next_check_at") where "sla_next_check_at" is not null',
})
@Index({
  name: 'orders_held_idx',
  expression: 'create index "orders_held_idx" on "orders" ("hold_reason") where "hold_reason" is not null',
})
export class Order {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'text' })
  channel!: Channel;

  @Property({ type: 'text' })
  channelOrderNo!: string;

  @Property({ type: 'text' })
  businessType!: BusinessType;

  @Property({ type: 'text' })
  state!: OrderState;

  /** The channel's own status code as last received. */
  @Property({ type: 'text' })
  channelStatus!: string;

  /** When the buyer placed the order at the channel. */
  @Property({ type: 'timestamptz' })
  orderedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  /** The channel's last-change time of the payload we hold; older re-sends are ignored. */
  @Property({ type: 'timestamptz' })
  sourceUpdatedAt!: Date;

  @Property({ type: new BigIntType('number') })
  goodsCents!: number;

  @Property({ type: new BigIntType('number') })
  shippingCents!: number;

  @Property({ type: new BigIntType('number') })
  totalCents!: number;

  @Property({ type: new BigIntType('number') })
  paidCents!: number;

  @Property({ type: 'jsonb', nullable: true })
  presale!: PresaleTerms | null;

  @Property({ type: 'text' })
  buyerName!: string;

  @Property({ type: 'text' })
  buyerPhone!: string;

  @Property({ type: 'jsonb' })
  address!: ChannelAddress;

  @Property({ type: 'jsonb', nullable: true })
  region!: OrderRegion | null;

  @Property({ type: 'jsonb' })
  items!: NormalizedItem[];

  @Property({ type: 'text', nullable: true })
  paymentNo!: string | null;

  /** Processing group the order is routed to. */
  @Property({ type: 'text', nullable: true })
  groupId!: string | null;

  @Property({ type: 'text', nullable: true })
  ownerId!: string | null;

  /** When each state was entered, for SLA clocks and the timeline. */
  @Property({ type: 'jsonb', default: '{}' })
  stateEnteredAt!: Partial<Record<OrderState, string>>;

  @Property({ type: 'boolean', default: false })
  abnormal!: boolean;

  /** Why the order is held back from processing, e.g. `ROUTING_PAUSED`; null when free. */
  @Property({ type: 'text', nullable: true })
  holdReason!: string | null;

  /** The rule that placed the order in its group, `DEFAULT` for the default group. */
  @Property({ type: 'text', nullable: true })
  routingRuleId!: string | null;

  /** Why the order is in its group, or why it is held, for operators. */
  @Property({ type: 'text', nullable: true })
  routingReason!: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  routedAt!: Date | null;

  @Property({ type: 'jsonb', nullable: true })
  addressParse!: OrderAddressParse | null;

  /**
   * When the order should reach the buyer: the merchant's promise. From the channel's payload
   * (`promisedDeliverySource` CHANNEL) or, without one, the DELIVERED stage deadline of the SLA
   * policy in force (SLA_POLICY, written by the SLA sweep). Not the carrier's ETA (see shipments).
   */
  @Property({ type: 'timestamptz', nullable: true })
  promisedDeliveryAt!: Date | null;

  /** `CHANNEL` or `SLA_POLICY`; null while the order has no promise. */
  @Property({ type: 'text', nullable: true })
  promisedDeliverySource!: string | null;

  /**
   * Taken in as a backfill (old orders imported, a catch-up after an outage): deadlines that had
   * passed before it arrived are recorded as late but remind nobody.
   */
  @Property({ type: 'boolean', default: false })
  backfill!: boolean;

  /**
   * When the SLA sweep must judge the order next; null when nothing further can happen. A
   * trigger sets it to now() whenever the order is created or its state, group, business type,
   * payment, presale terms or channel delivery promise change, whoever writes them.
   */
  @Property({ type: 'timestamptz', nullable: true })
  slaNextCheckAt!: Date | null;

  /** The SLA stage being timed (`PICKING@PAID_AT`); null when no clock runs. */
  @Property({ type: 'text', nullable: true })
  slaStage!: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  slaDeadline!: Date | null;

  /** The highest escalation level applied in `escalationStage`; 0 when none. */
  @Property({ type: 'integer', default: 0 })
  escalationLevel!: number;

  /** The stage `escalationLevel` was reached in. */
  @Property({ type: 'text', nullable: true })
  escalationStage!: string | null;

  /** The SLA policy (key and version) the order was last judged by. */
  @Property({ type: 'text', nullable: true })
  slaPolicyKey!: string | null;

  @Property({ type: 'integer', nullable: true })
  slaPolicyVersion!: number | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt!: Date;

  /** Incremented on every change; lets partners detect concurrent edits. */
  @Property({ type: 'integer', default: 1 })
  version!: number;
}
