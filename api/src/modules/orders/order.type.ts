import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BUSINESS_TYPES, CHANNELS, ORDER_STATES } from '../../domain/order/order-types.js';

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

@ObjectType('Order', { description: 'One order in the central pool.' })
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

  @Field(() => Int, { description: 'What the buyer pays in all, in cents (fen).' })
  totalCents!: number;

  @Field(() => Int, { description: 'What has been paid so far, in cents.' })
  paidCents!: number;

  @Field(() => String, { nullable: true, description: 'Processing group the order is routed to.' })
  groupId!: string | null;

  @Field(() => Boolean, { description: 'Flagged when an SLA deadline was missed.' })
  abnormal!: boolean;

  @Field(() => Int, { description: 'Incremented on every change.' })
  version!: number;
}
