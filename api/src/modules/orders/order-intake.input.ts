import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { UserError } from '../../infra/graphql/user-error.type.js';
import { ChannelEnum, OrderStateEnum } from './order.type.js';

@InputType({ description: "Orders in one channel's own payload format." })
export class SubmitOrdersInput {
  @Field(() => ChannelEnum)
  channel!: string;

  @Field(() => [GraphQLJSONObject], {
    description:
      'Each order exactly as the channel sends it (Taobao trade, JD order, Douyin shop order, web shop order). At most 5,000 per call.',
  })
  orders!: Record<string, unknown>[];

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'The orders are history (an import of old orders, a catch-up after an outage). SLA deadlines that had already passed when they arrive are recorded as late in the stage records but raise no reminder, ticket or escalation. Without it, an order still open and late by less than SLA_RECENT_LATE_MINUTES (default one day) when it arrives is reminded as usual. New orders keep the mark; it does not change orders already held.',
  })
  backfill?: boolean | null;
}

@ObjectType('OrderIntakeResult', { description: 'What happened to one submitted order.' })
export class OrderIntakeResultType {
  @Field(() => Int, { description: 'Position of the order in the submitted list.' })
  index!: number;

  @Field(() => ID)
  orderId!: string;

  @Field(() => String)
  channelOrderNo!: string;

  @Field(() => String, {
    description:
      'CREATED; UPDATED when something stored changed (the data of a newer payload, or a status that moved the order); UNCHANGED otherwise.',
  })
  outcome!: string;

  @Field(() => OrderStateEnum)
  state!: string;

  @Field(() => [UserError], {
    description:
      'Taken in only in part: STATUS_NOT_TAKEN (the lifecycle could not take the channel status; kept in the history with the reason) or STATUS_PENDING (it waits for an earlier step).',
  })
  warnings!: UserError[];
}

@ObjectType('SubmitOrdersPayload')
export class SubmitOrdersPayload {
  @Field(() => [OrderIntakeResultType], { description: 'One row per accepted order.' })
  results!: OrderIntakeResultType[];

  @Field(() => [UserError], {
    description:
      'One row per defect of a rejected order; `field` starts with `orders[<index>]`. Valid orders are committed regardless.',
  })
  userErrors!: UserError[];
}
