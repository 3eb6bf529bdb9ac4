import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EVENT_SOURCES } from '../../domain/order/order-types.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import { ChannelEnum, OrderStateEnum } from '../orders/order.type.js';

export const OrderEventOutcomeEnum = {
  APPLIED: 'APPLIED',
  DUPLICATE: 'DUPLICATE',
  STALE: 'STALE',
  REJECTED: 'REJECTED',
  RECORDED: 'RECORDED',
  PENDING: 'PENDING',
  IMPLIED: 'IMPLIED',
  INVALID: 'INVALID',
} as const;
registerEnumType(OrderEventOutcomeEnum, {
  name: 'OrderEventOutcome',
  description: 'What an event did to its order.',
  valuesConfig: {
    APPLIED: {
      description: 'The order moved to a new state, through any steps the event implies (see impliedSteps).',
    },
    DUPLICATE: { description: 'Its idempotency key was already received; nothing was stored again.' },
    STALE: { description: 'Late or out of order: kept in the history, the state did not move back.' },
    REJECTED: { description: 'Contradicts the order; kept in the history with the reason, needs a person.' },
    RECORDED: { description: 'Kept in the history; it moves no state.' },
    PENDING: {
      description:
        'Arrived before a step it depends on (a pick-up before the payment): kept with the order and applied as soon as it fits, or REJECTED once it has waited too long.',
    },
    IMPLIED: {
      description:
        'Timeline only: a step nobody reported that a later fact proves (type STEP_IMPLIED; reason names the event).',
    },
    INVALID: { description: 'Malformed, or no visible order matches its reference; see userErrors.' },
  },
});

@InputType({
  description: 'One lifecycle event: name the order by orderId, or by channel and channelOrderNo.',
})
export class OrderEventInput {
  @Field(() => ID, { nullable: true })
  orderId?: string | null;

  @Field(() => ChannelEnum, { nullable: true })
  channel?: string | null;

  @Field(() => String, { nullable: true, description: "The channel's own order number, with channel." })
  channelOrderNo?: string | null;

  @Field(() => String, { description: `Reporting system: ${EVENT_SOURCES.join(', ')}.` })
  source!: string;

  @Field(() => String, { description: 'Event type, e.g. WMS_PACKED, TMS_DELIVERED, PAYMENT_CONFIRMED.' })
  type!: string;

  @Field(() => String, { description: 'Unique per order; a redelivery carries the same key.' })
  idempotencyKey!: string;

  @Field(() => GraphQLDateTime, { description: "When it happened, by the reporting system's clock." })
  occurredAt!: Date;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: "The source's own details, kept for the history.",
  })
  payload?: Record<string, unknown> | null;
}

@InputType()
export class RecordOrderEventsInput {
  @Field(() => [OrderEventInput], { description: 'At most 5,000 per call.' })
  events!: OrderEventInput[];
}

@ObjectType('OrderEventResult', { description: 'What happened to one submitted event.' })
export class OrderEventResultType {
  @Field(() => Int, { description: 'Position of the event in the submitted list.' })
  index!: number;

  @Field(() => ID, { nullable: true, description: 'Null when no visible order matched.' })
  orderId!: string | null;

  @Field(() => OrderEventOutcomeEnum)
  outcome!: string;

  @Field(() => OrderStateEnum, { nullable: true, description: 'The state when the event was decided.' })
  fromState!: string | null;

  @Field(() => OrderStateEnum, {
    nullable: true,
    description: 'The state it moved to; null when it did not.',
  })
  toState!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was not applied.' })
  reason!: string | null;

  @Field(() => [OrderStateEnum], {
    description:
      'Steps this event implied on its way to toState, in order (a carrier pick-up after payment implies the warehouse steps); each is recorded in the history as implied.',
  })
  impliedSteps!: string[];
}

@ObjectType('RecordOrderEventsPayload')
export class RecordOrderEventsPayload {
  @Field(() => [OrderEventResultType], { description: 'One row per submitted event, in order.' })
  results!: OrderEventResultType[];

  @Field(() => [UserError], {
    description:
      'Defects of INVALID events; `field` starts with `events[<index>]`. Valid events are committed regardless.',
  })
  userErrors!: UserError[];
}
