import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TICKET_STATES } from '../../domain/ticket/ticket-lifecycle.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import type { TicketRaisedEvent } from '../../infra/pubsub/topics.js';
import { ChannelEnum } from '../orders/order.type.js';
import { PageInfo } from '../orders/order-connection.type.js';
import type { TicketCommentRow, TicketRow } from './ticket.row.js';

export const TicketStateEnum = Object.fromEntries(TICKET_STATES.map((s) => [s, s])) as Record<string, string>;
registerEnumType(TicketStateEnum, {
  name: 'TicketState',
  description:
    'OPEN → ACKNOWLEDGED → RESOLVED; OPEN/ACKNOWLEDGED → ESCALATED when the supervisor takes over.',
});

@ObjectType('TicketComment')
export class TicketCommentType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  authorUserId!: string;

  @Field(() => String, { description: 'Username of the author.' })
  authorName!: string;

  @Field(() => String)
  text!: string;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;

  static from(row: TicketCommentRow): TicketCommentType {
    return Object.assign(new TicketCommentType(), row);
  }
}

@ObjectType('Ticket', { description: 'Work opened for an order that missed an SLA deadline.' })
export class TicketType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orderId!: string;

  @Field(() => ChannelEnum)
  channel!: string;

  @Field(() => String)
  channelOrderNo!: string;

  @Field(() => String, { description: 'The SLA stage that ran late, e.g. `PICKING@PAID_AT`.' })
  stage!: string;

  @Field(() => Int, { description: '1: opened for the group owner; 2: for the supervisor.' })
  level!: number;

  @Field(() => GraphQLDateTime, { description: 'The deadline the order missed.' })
  deadline!: Date;

  @Field(() => String, { nullable: true })
  groupId!: string | null;

  @Field(() => ID, { nullable: true })
  assigneeUserId!: string | null;

  @Field(() => String, { nullable: true })
  assigneeName!: string | null;

  @Field(() => TicketStateEnum)
  state!: string;

  @Field(() => String, { nullable: true })
  resolution!: string | null;

  @Field(() => GraphQLDateTime)
  createdAt!: Date;

  @Field(() => GraphQLDateTime)
  updatedAt!: Date;

  @Field(() => GraphQLDateTime, { nullable: true })
  acknowledgedAt!: Date | null;

  @Field(() => String, { nullable: true })
  acknowledgedBy!: string | null;

  @Field(() => GraphQLDateTime, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Username, or `system` when the order moved on.' })
  resolvedBy!: string | null;

  @Field(() => GraphQLDateTime, { nullable: true })
  escalatedAt!: Date | null;

  @Field(() => ID, { nullable: true, description: "The supervisor's ticket that took this one over." })
  escalatedToTicketId!: string | null;

  static from(row: TicketRow): TicketType {
    return Object.assign(new TicketType(), row);
  }
}

@InputType({ description: 'Which tickets to list; every given condition must hold.' })
export class TicketFilter {
  @Field(() => TicketStateEnum, { nullable: true })
  state?: string | null;

  @Field(() => String, { nullable: true, description: 'Processing group id.' })
  groupId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Staff user id of the assignee.' })
  assigneeUserId?: string | null;

  @Field(() => ID, { nullable: true })
  orderId?: string | null;
}

@ObjectType('TicketEdge')
export class TicketEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => TicketType)
  node!: TicketType;
}

@ObjectType('TicketConnection', { description: 'A page of tickets, newest first.' })
export class TicketConnection {
  @Field(() => [TicketEdge])
  edges!: TicketEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  countTotal!: () => Promise<number>;

  @Field(() => Int, { description: 'How many tickets match the filter across all pages.' })
  totalCount(): Promise<number> {
    return this.countTotal();
  }
}

@ObjectType('TicketPayload')
export class TicketPayload {
  @Field(() => TicketType, { nullable: true, description: 'The ticket after the change; null on error.' })
  ticket!: TicketType | null;

  @Field(() => [UserError], { description: 'Why nothing changed, e.g. an illegal move with its reason.' })
  userErrors!: UserError[];
}

@ObjectType('TicketRaised', { description: 'The SLA sweep opened a ticket.' })
export class TicketRaisedType {
  @Field(() => ID, { description: 'Unique per event; a client may see it again after a reconnect.' })
  eventId!: string;

  @Field(() => ID)
  ticketId!: string;

  @Field(() => ID)
  orderId!: string;

  @Field(() => ChannelEnum)
  channel!: string;

  @Field(() => String)
  channelOrderNo!: string;

  @Field(() => String)
  stage!: string;

  @Field(() => Int)
  level!: number;

  @Field(() => String, { nullable: true })
  groupId!: string | null;

  @Field(() => ID, { nullable: true })
  assigneeUserId!: string | null;

  @Field(() => GraphQLDateTime)
  occurredAt!: Date;

  static from(event: TicketRaisedEvent): TicketRaisedType {
    return Object.assign(new TicketRaisedType(), { ...event, occurredAt: new Date(event.occurredAt) });
  }
}
