import { GraphQLDateTime } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BusinessTypeEnum, ChannelEnum, OrderStateEnum, OrderType } from './order.type.js';

export enum OrderSortEnum {
  ORDERED_AT_DESC = 'ORDERED_AT_DESC',
  PAID_AT_DESC = 'PAID_AT_DESC',
}
registerEnumType(OrderSortEnum, {
  name: 'OrderSort',
  description: 'The order of an `orders` page; each is read from an index, never sorted after reading.',
  valuesConfig: {
    ORDERED_AT_DESC: { description: 'Newest placed first (ordered at, then id). The default.' },
    PAID_AT_DESC: {
      description:
        'Newest paid first (paid at, then id); only paid orders. Needed with `filter.paidFrom` / `filter.paidTo`.',
    },
  },
});

@InputType({
  description:
    'Which orders to list; every given condition must hold, an empty list constrains nothing. Time ranges are half-open: from ≤ t < to.',
})
export class OrderFilter {
  @Field(() => [ChannelEnum], { nullable: true })
  channels?: string[] | null;

  @Field(() => [OrderStateEnum], { nullable: true })
  states?: string[] | null;

  @Field(() => [BusinessTypeEnum], { nullable: true })
  businessTypes?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Processing group ids, at most 20 (more: `TOO_MANY_VALUES`).',
  })
  groupIds?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only abnormal orders; false: only normal ones.',
  })
  abnormal?: boolean | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Placed at or after this instant.' })
  orderedFrom?: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Placed before this instant.' })
  orderedTo?: Date | null;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description:
      'Paid at or after this instant. Only with `orderBy: PAID_AT_DESC` (otherwise `PAID_RANGE_NEEDS_PAID_ORDER`).',
  })
  paidFrom?: Date | null;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description:
      'Paid before this instant. Only with `orderBy: PAID_AT_DESC` (otherwise `PAID_RANGE_NEEDS_PAID_ORDER`).',
  })
  paidTo?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Exact mainland mobile number of the buyer; spaces, dashes and +86 are ignored.',
  })
  buyerPhone?: string | null;
}

@ObjectType('OrderEdge', { simpleResolvers: true })
export class OrderEdge {
  @Field(() => String, { description: 'Opaque; pass as `after` to continue after this order.' })
  cursor!: string;

  @Field(() => OrderType)
  node!: OrderType;
}

@ObjectType('PageInfo', { description: 'Relay page information.', simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'Always false: pages are read forwards only.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge; null on an empty page.' })
  endCursor!: string | null;
}

@ObjectType('OrderConnection', {
  description: 'A page of orders, newest first in the order asked for.',
  simpleResolvers: true,
})
export class OrderConnection {
  @Field(() => [OrderEdge])
  edges!: OrderEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** Counts the matching orders; runs only when `totalCount` is selected. */
  countTotal!: () => Promise<number>;

  @Field(() => Int, {
    description:
      'How many orders match the filter across all pages, when at most 10,000 do; more is the error `COUNT_LIMIT_EXCEEDED` (narrow the filter). Reads the matches: ask only when needed.',
  })
  totalCount(): Promise<number> {
    return this.countTotal();
  }
}
