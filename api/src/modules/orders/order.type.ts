import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ChannelAddress } from '../../domain/intake/normalized-order.js';
import { BUSINESS_TYPES, CHANNELS, ORDER_STATES } from '../../domain/order/order-types.js';
import { PROMISE_SOURCES } from '../../domain/sla/promised-delivery.js';

export const ChannelEnum = Object.fromEntries(CHANNELS.map((c) => [c, c])) as Record<string, string>;
export const BusinessTypeEnum = Object.fromEntries(BUSINESS_TYPES.map((c) => [c, c])) as Record<
  string,
  string
>;
export const OrderStateEnum = Object.fromEntries(ORDER_STATES.map((c) => [c, c])) as Record<string, string>;
registerEnumType(ChannelEnum, { name: 'Channel', description: 'Sales channel the order came from.' });
registerEnumType(BusinessTypeEnum, {
  name: 'BusinessType',
  description: 'How the order is fulfilled; selects its SLA policy.',
});
registerEnumType(OrderStateEnum, { name: 'OrderState', description: 'The one standard order lifecycle.' });
export const DeliveryPromiseSourceEnum = Object.fromEntries(PROMISE_SOURCES.map((c) => [c, c])) as Record<
  string,
  string
>;
registerEnumType(DeliveryPromiseSourceEnum, {
  name: 'DeliveryPromiseSource',
  description: 'Where an order’s promised delivery time comes from.',
  valuesConfig: {
    CHANNEL: { description: 'The channel’s order payload carried it (the web shop’s `promisedDeliveryAt`).' },
    SLA_POLICY: {
      description:
        'The SLA policy in force gives it: the deadline of its DELIVERED stage, e.g. 3 days after shipping (known once shipped).',
    },
  },
});

// `simpleResolvers`: these types' fields are plain properties without middleware or roles, so
// graphql-js reads them directly instead of through type-graphql's per-field wrapper (one
// allocation and a closure call for each of a page's several hundred fields).
@ObjectType('OrderItem', { description: 'One line of an order.', simpleResolvers: true })
export class OrderItemType {
  @Field(() => String, { description: "The channel's line id." })
  lineNo!: string;

  @Field(() => String, { nullable: true, description: "The merchant's SKU code, when the channel sent one." })
  sku!: string | null;

  @Field(() => String)
  title!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Int, { description: 'Price of one unit, in cents (fen).' })
  unitPriceCents!: number;

  @Field(() => String, { description: "The channel's category id or name; empty when none was sent." })
  category!: string;
}

@ObjectType('OrderRegion', {
  description: 'Administrative region (GB/T 2260 codes) parsed from the address.',
  simpleResolvers: true,
})
export class OrderRegionType {
  @Field(() => String)
  provinceCode!: string;

  @Field(() => String)
  provinceName!: string;

  @Field(() => String)
  cityCode!: string;

  @Field(() => String)
  cityName!: string;

  @Field(() => String, { nullable: true })
  districtCode!: string | null;

  @Field(() => String, { nullable: true })
  districtName!: string | null;
}

@ObjectType('OrderBuyer', {
  description:
    'Who receives the order. In clear for the roles OPS, SERVICE, SUPERVISOR and ADMIN; masked (张**, 138****5678, 浙江省 杭州市 西湖区 ****) for other staff and for partner keys.',
  simpleResolvers: true,
})
export class OrderBuyerType {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  phone!: string;

  @Field(() => String, { description: 'Province, city, district, street and detail line, space separated.' })
  address!: string;
}

@ObjectType('Order', { description: 'One order in the central pool.', simpleResolvers: true })
export class OrderType {
  @Field(() => ID)
  id!: string;

  @Field(() => ChannelEnum)
  channel!: string;

  @Field(() => String, { description: "The channel's own order number." })
  channelOrderNo!: string;

  @Field(() => BusinessTypeEnum)
  businessType!: string;

  @Field(() => OrderStateEnum)
  state!: string;

  @Field(() => String, { description: "The channel's status code as last received." })
  channelStatus!: string;

  @Field(() => GraphQLDateTime, { description: 'When the buyer placed the order.' })
  orderedAt!: Date;

  @Field(() => GraphQLDateTime, { nullable: true })
  paidAt!: Date | null;

  @Field(() => Int, { description: 'Goods total before shipping, in cents (fen).' })
  goodsCents!: number;

  @Field(() => Int, { description: 'Shipping fee, in cents.' })
  shippingCents!: number;

  @Field(() => Int, { description: 'What the buyer pays in all, in cents (fen).' })
  totalCents!: number;

  @Field(() => Int, { description: 'What has been paid so far, in cents.' })
  paidCents!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Payment reference for reconciliation (Alipay, JD Pay, Douyin or PSP transaction number).',
  })
  paymentNo!: string | null;

  @Field(() => [OrderItemType])
  items!: OrderItemType[];

  @Field(() => OrderRegionType, { nullable: true, description: 'Null until the address has been parsed.' })
  region!: OrderRegionType | null;

  @Field(() => String, { nullable: true, description: 'Processing group the order is routed to.' })
  groupId!: string | null;

  @Field(() => Boolean, {
    description:
      'Flagged when an SLA deadline was missed; stays set after a delivery later than `promisedDeliveryAt`. Deadlines that had passed before the order arrived (a backfill) do not set it.',
  })
  abnormal!: boolean;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description:
      'When the merchant promised the buyer delivery: from the channel’s payload, else from the SLA policy’s DELIVERED stage (see `promisedDeliverySource`); null when neither gives one. This is the promise late delivery is judged against, not the carrier’s estimate: a shipment’s `eta` says when the parcel will probably arrive.',
  })
  promisedDeliveryAt!: Date | null;

  @Field(() => DeliveryPromiseSourceEnum, {
    nullable: true,
    description: 'Where `promisedDeliveryAt` comes from; null when there is no promise.',
  })
  promisedDeliverySource!: string | null;

  @Field(() => Int, { description: 'Incremented on every change.' })
  version!: number;

  /** Personal data as stored; exposed only through the `buyer` field, masked by role. */
  buyerName!: string;
  buyerPhone!: string;
  address!: ChannelAddress;
}
