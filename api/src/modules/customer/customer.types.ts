import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { ParcelChangeEnum } from '../orders/order-update.type.js';

@ObjectType('CustomerTraceLine', {
  description: 'One line of a timeline or a parcel trace, as the customer reads it.',
})
export class CustomerTraceLineType {
  @Field(() => GraphQLDateTime)
  at!: Date;

  @Field(() => String)
  text!: string;

  @Field(() => String, { nullable: true })
  location!: string | null;
}

@ObjectType('CustomerShipment', { description: 'A parcel of the customer’s order.' })
export class CustomerShipmentType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Kuaidi100 carrier code.' })
  carrier!: string;

  @Field(() => String, { description: 'e.g. 中通快递' })
  carrierName!: string;

  @Field(() => String)
  waybillNo!: string;

  @Field(() => String, { description: 'e.g. 运输途中' })
  status!: string;

  @Field(() => String, {
    nullable: true,
    description: 'e.g. 预计11月27日送达; null once delivered or when unknown.',
  })
  etaText!: string | null;

  @Field(() => Boolean, { description: 'No carrier news for longer than the limit; see `stallReason`.' })
  stalled!: boolean;

  @Field(() => String, { nullable: true })
  stallReason!: string | null;

  @Field(() => GraphQLDateTime, { nullable: true })
  lastEventAt!: Date | null;

  @Field(() => [CustomerTraceLineType], { description: 'Newest first, at most 30.' })
  trace!: CustomerTraceLineType[];
}

@ObjectType('CustomerOrder', {
  description: 'One of the signed-in customer’s own orders; personal data masked.',
})
export class CustomerOrderType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  channelOrderNo!: string;

  @Field(() => String)
  state!: string;

  @Field(() => String, { description: 'Status with its promise, e.g. 运输途中（预计11月27日送达）.' })
  status!: string;

  @Field(() => GraphQLDateTime)
  orderedAt!: Date;

  @Field(() => [String])
  items!: string[];

  @Field(() => String, { description: 'e.g. 张*' })
  receiverName!: string;

  @Field(() => String, { description: 'e.g. 138****1234' })
  receiverPhone!: string;

  @Field(() => String, { description: 'Province, city and district; the rest as ****.' })
  receiverAddress!: string;

  @Field(() => [CustomerShipmentType])
  shipments!: CustomerShipmentType[];

  @Field(() => [CustomerTraceLineType], { description: 'Status changes, newest first.' })
  timeline!: CustomerTraceLineType[];
}

@ObjectType('CustomerOrderUpdate', {
  description: 'One of the customer’s orders changed; fetch `myOrders` again.',
})
export class CustomerOrderUpdateType {
  @Field(() => ID)
  orderId!: string;

  @Field(() => String)
  state!: string;

  @Field(() => GraphQLDateTime)
  occurredAt!: Date;

  @Field(() => ParcelChangeEnum, {
    nullable: true,
    description: 'Set when only a parcel’s news changed (new scans, a stall); null when the order moved.',
  })
  parcelChange!: string | null;
}
