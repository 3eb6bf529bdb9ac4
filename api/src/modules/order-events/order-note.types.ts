import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '../../infra/graphql/user-error.type.js';
import { OrderStateEnum } from '../orders/order.type.js';
import { OrderEventOutcomeEnum } from './order-event.types.js';

@ObjectType('StaffAuthor', { description: 'The member of staff who wrote something.' })
export class StaffAuthorType {
  @Field(() => ID)
  userId!: string;

  @Field(() => String)
  username!: string;
}

@ObjectType('OrderNote', { description: 'A note staff wrote on an order.' })
export class OrderNoteType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orderId!: string;

  @Field(() => StaffAuthorType)
  author!: StaffAuthorType;

  @Field(() => String, { description: 'The role the author wrote in.' })
  role!: string;

  @Field(() => String)
  text!: string;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;
}

@ObjectType('AddOrderNotePayload')
export class AddOrderNotePayload {
  @Field(() => OrderNoteType, { nullable: true })
  note!: OrderNoteType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

export const TimelineEntryKindEnum = { EVENT: 'EVENT', NOTE: 'NOTE' } as const;
registerEnumType(TimelineEntryKindEnum, {
  name: 'TimelineEntryKind',
  description: 'EVENT: reported by a system or channel; NOTE: written by staff.',
});

@ObjectType('OrderTimelineEntry', { description: "One entry of an order's history, event or note." })
export class TimelineEntryType {
  @Field(() => TimelineEntryKindEnum)
  kind!: string;

  @Field(() => GraphQLDateTime, { description: 'When it happened (for a note: when it was written).' })
  occurredAt!: Date;

  @Field(() => GraphQLDateTime, { description: 'When the pool received it.' })
  receivedAt!: Date;

  @Field(() => String, { description: 'CHANNEL, PAYMENT, WMS, TMS, CRM, STAFF or SYSTEM.' })
  source!: string;

  @Field(() => String, { description: 'Event type; NOTE for notes.' })
  type!: string;

  @Field(() => OrderEventOutcomeEnum, { nullable: true, description: 'Null for notes.' })
  outcome!: string | null;

  @Field(() => OrderStateEnum, { nullable: true })
  fromState!: string | null;

  @Field(() => OrderStateEnum, { nullable: true })
  toState!: string | null;

  @Field(() => String, { nullable: true, description: 'Why an event was not applied.' })
  reason!: string | null;

  @Field(() => StaffAuthorType, { nullable: true, description: 'Who wrote a note.' })
  author!: StaffAuthorType | null;

  @Field(() => String, { nullable: true, description: "The note author's role." })
  role!: string | null;

  @Field(() => String, { nullable: true, description: 'The note text.' })
  text!: string | null;
}
