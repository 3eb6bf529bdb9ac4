import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import type { OrderUpdatedEvent } from '../../infra/pubsub/topics.js';
import { ChannelEnum, OrderStateEnum } from './order.type.js';

export enum ParcelChangeEnum {
  TRACE = 'TRACE',
  STALL = 'STALL',
}
registerEnumType(ParcelChangeEnum, {
  name: 'ParcelChange',
  description: 'News of a parcel that leaves its order’s state as it was.',
  valuesConfig: {
    TRACE: { description: 'The carrier reported new scans.' },
    STALL: { description: 'The parcel was found stalled (no carrier news for too long).' },
  },
});

@ObjectType('OrderUpdate', { description: 'An order changed: pushed to subscribers as it happens.' })
export class OrderUpdateType {
  @Field(() => ID, { description: 'Unique per change; a client may see it again after a reconnect.' })
  eventId!: string;

  @Field(() => ID)
  orderId!: string;

  @Field(() => ChannelEnum)
  channel!: string;

  @Field(() => String)
  channelOrderNo!: string;

  @Field(() => OrderStateEnum)
  state!: string;

  @Field(() => OrderStateEnum, { nullable: true })
  previousState!: string | null;

  @Field(() => String, { nullable: true })
  groupId!: string | null;

  @Field(() => Boolean)
  abnormal!: boolean;

  @Field(() => GraphQLDateTime)
  occurredAt!: Date;

  @Field(() => ParcelChangeEnum, {
    nullable: true,
    description: 'Set when only a parcel’s news changed (new scans, a stall); null when the order moved.',
  })
  parcelChange!: string | null;

  @Field(() => String, { nullable: true, description: 'The parcel of `parcelChange`.' })
  waybillNo!: string | null;

  static from(event: OrderUpdatedEvent): OrderUpdateType {
    return Object.assign(new OrderUpdateType(), {
      ...event,
      parcelChange: event.parcelChange ?? null,
      waybillNo: event.waybillNo ?? null,
      occurredAt: new Date(event.occurredAt),
    });
  }
}

@InputType({ description: 'Which order changes to receive; every given condition must hold.' })
export class OrderUpdatedFilter {
  @Field(() => [ChannelEnum], { nullable: true })
  channels?: string[];

  @Field(() => [String], { nullable: true, description: 'Processing group ids.' })
  groupIds?: string[];

  @Field(() => [OrderStateEnum], { nullable: true, description: 'Only changes into these states.' })
  states?: string[];

  @Field(() => Boolean, { nullable: true, description: 'Only orders flagged abnormal.' })
  abnormalOnly?: boolean;
}

/** Pure: does a change pass a subscriber's filter? */
export function matchesOrderFilter(
  event: OrderUpdatedEvent,
  filter: OrderUpdatedFilter | undefined | null,
): boolean {
  if (!filter) return true;
  if (filter.channels?.length && !filter.channels.includes(event.channel)) return false;
  if (filter.groupIds?.length && (event.groupId === null || !filter.groupIds.includes(event.groupId)))
    return false;
  if (filter.states?.length && !filter.states.includes(event.state)) return false;
  if (filter.abnormalOnly && !event.abnormal) return false;
  return true;
}
