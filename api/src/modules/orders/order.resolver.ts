import { GraphQLError } from 'graphql';
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { canSeeChannel, type Viewer, visibleChannels } from '../../domain/auth/viewer.js';
import { parseBuyerPhone } from '../../domain/intake/parse-helpers.js';
import type { BusinessType, Channel, OrderState } from '../../domain/order/order-types.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import type { OrderUpdatedEvent } from '../../infra/pubsub/topics.js';
import { ChannelEnum, OrderBuyerType, OrderType } from './order.type.js';
import { lazyBuyerFor, seesBuyerInClear } from './order-buyer.js';
import { OrderConnection, OrderEdge, OrderFilter, OrderSortEnum, PageInfo } from './order-connection.type.js';
import {
  OrderIntakeResultType,
  SubmitOrdersInput,
  SubmitOrdersPayload,
  submittedPayloads,
} from './order-intake.input.js';
import { submitChannelOrders } from './order-intake.js';
import { refuseOrderList } from './order-page-sql.js';
import {
  COUNT_LIMIT,
  countOrders,
  decodeCursor,
  findOrder,
  listOrders,
  type OrderListFilter,
  type OrderRecord,
  type OrderSort,
} from './order-query.js';
import { matchesOrderFilter, OrderUpdatedFilter, OrderUpdateType } from './order-update.type.js';

/** Page size of `orders` when `first` is not given, and the largest page a client may ask for. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

const badInput = (argument: string, message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });

/**
 * The record already carries every field `OrderType` declares (and the ones its field resolvers
 * read, such as `stateEnteredAt`); `OrderType` has no methods and no interface to check, so the
 * record is answered as it is rather than copied into an instance, one fewer object per row.
 */
const toOrderType = (record: OrderRecord): OrderType => record as unknown as OrderType;

function listFilter(filter: OrderFilter | null | undefined, viewer: Viewer): OrderListFilter {
  if (!filter) return {};
  let buyerPhone: string | null = null;
  if (filter.buyerPhone != null && filter.buyerPhone.trim() !== '') {
    // A filter answers only about what the caller reads in clear: matching full numbers against
    // masked ones would reveal them a guess at a time.
    if (!seesBuyerInClear(viewer))
      throw new GraphQLError(
        'filter.buyerPhone is for roles that see buyers in clear (OPS, SERVICE, SUPERVISOR)',
        {
          extensions: { code: 'FORBIDDEN', argument: 'filter.buyerPhone' },
        },
      );
    const phone = parseBuyerPhone(filter.buyerPhone, 'filter.buyerPhone');
    if (!phone.ok)
      throw badInput(
        'filter.buyerPhone',
        'filter.buyerPhone must be an 11-digit mainland mobile number, or a number with its country code (+852…).',
      );
    buyerPhone = phone.value;
  }
  return {
    channels: filter.channels as Channel[] | null | undefined,
    states: filter.states as OrderState[] | null | undefined,
    businessTypes: filter.businessTypes as BusinessType[] | null | undefined,
    groupIds: filter.groupIds,
    abnormal: filter.abnormal,
    orderedFrom: filter.orderedFrom,
    orderedTo: filter.orderedTo,
    paidFrom: filter.paidFrom,
    paidTo: filter.paidTo,
    buyerPhone,
  };
}

@Resolver(() => OrderType)
export class OrderResolver {
  @Authorized('OPS', 'SUPERVISOR', 'FINANCE', 'WAREHOUSE', 'SERVICE', 'orders:read')
  @Query(() => OrderType, {
    nullable: true,
    description:
      'One order, by `id` or by `channel` + `channelOrderNo`; null when absent or outside your channels.',
  })
  async order(
    @Arg('id', () => ID, { nullable: true }) id: string | null | undefined,
    @Arg('channel', () => ChannelEnum, { nullable: true }) channel: string | null | undefined,
    @Arg('channelOrderNo', () => String, { nullable: true }) channelOrderNo: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<OrderType | null> {
    const byId = id != null;
    const byChannelNo = channel != null || channelOrderNo != null;
    if (byId === byChannelNo || (byChannelNo && (channel == null || channelOrderNo == null))) {
      throw badInput(
        byId ? 'id' : 'channelOrderNo',
        'order: give either `id`, or both `channel` and `channelOrderNo`.',
      );
    }
    const record = await findOrder(
      ctx.pool,
      visibleChannels(ctx.viewer),
      byId ? { id } : { channel: channel as Channel, channelOrderNo: (channelOrderNo as string).trim() },
    );
    return record ? toOrderType(record) : null;
  }

  @Authorized('OPS', 'SUPERVISOR', 'FINANCE', 'WAREHOUSE', 'SERVICE', 'orders:read')
  @Query(() => OrderConnection, {
    description: `Orders newest first (placed, or paid with \`orderBy: PAID_AT_DESC\`), a page at a time: pass the last \`endCursor\` as \`after\`. At most ${MAX_PAGE_SIZE} per page. Every filter is served by an index; those that could not be are refused with a code in \`extensions.code\`: PAID_RANGE_NEEDS_PAID_ORDER (a paid-time range without \`orderBy: PAID_AT_DESC\`), TOO_MANY_VALUES (more than 20 \`groupIds\`), CURSOR_ORDER_MISMATCH (a cursor of the other order), COUNT_LIMIT_EXCEEDED (\`totalCount\` over ${COUNT_LIMIT.toLocaleString('en')}).`,
  })
  async orders(
    @Arg('filter', () => OrderFilter, { nullable: true }) filter: OrderFilter | null | undefined,
    @Arg('orderBy', () => OrderSortEnum, { nullable: true, defaultValue: OrderSortEnum.ORDERED_AT_DESC })
    orderBy: OrderSortEnum | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<OrderConnection> {
    const size = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE)
      throw badInput('first', `first must be from 0 to ${MAX_PAGE_SIZE}, got ${size}.`);
    const cursor = after != null ? decodeCursor(after) : null;
    if (after != null && !cursor)
      throw badInput(
        'after',
        'after is not a cursor returned by this API (use an `endCursor` or edge `cursor`).',
      );
    const sort = (orderBy ?? OrderSortEnum.ORDERED_AT_DESC) as OrderSort;
    const query = {
      visibleChannels: visibleChannels(ctx.viewer),
      filter: listFilter(filter, ctx.viewer),
      orderBy: sort,
    };
    const refusal = refuseOrderList(query.filter, sort, cursor);
    if (refusal)
      throw new GraphQLError(refusal.message, {
        extensions: { code: refusal.code, argument: refusal.argument },
      });
    const page = await listOrders(ctx.pool, { ...query, first: size, after: cursor });
    const edges = page.rows.map((row) =>
      Object.assign(new OrderEdge(), { cursor: row.cursor, node: toOrderType(row.order) }),
    );
    return Object.assign(new OrderConnection(), {
      edges,
      pageInfo: Object.assign(new PageInfo(), {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      }),
      countTotal: async () => {
        const count = await countOrders(ctx.pool, query);
        if (count === null)
          throw new GraphQLError(
            `totalCount counts up to ${COUNT_LIMIT.toLocaleString('en')} orders and more match: narrow the filter.`,
            { extensions: { code: 'COUNT_LIMIT_EXCEEDED', argument: 'totalCount' } },
          );
        return count;
      },
    });
  }

  @FieldResolver(() => OrderBuyerType, {
    description: 'Name, phone and address of the receiver, masked unless your role works with buyers.',
  })
  buyer(@Root() order: OrderType, @Ctx() ctx: GraphQLContext): OrderBuyerType {
    return lazyBuyerFor(ctx.viewer, order) as OrderBuyerType;
  }

  @Authorized('OPS', 'orders:write')
  @Mutation(() => SubmitOrdersPayload, {
    description:
      "Takes orders into the pool: a channel's own JSON, or typed web shop orders. Idempotent per (channel, channel order no).",
  })
  async submitOrders(
    @Arg('input', () => SubmitOrdersInput) input: SubmitOrdersInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SubmitOrdersPayload> {
    if (!canSeeChannel(ctx.viewer, input.channel as Channel)) {
      const error = {
        field: 'channel',
        code: 'CHANNEL_NOT_ALLOWED',
        message: `this API key may not write ${input.channel} orders`,
      };
      return Object.assign(new SubmitOrdersPayload(), { results: [], userErrors: [UserError.from(error)] });
    }
    const submitted = submittedPayloads(input);
    if (!submitted.ok)
      return Object.assign(new SubmitOrdersPayload(), {
        results: [],
        userErrors: [UserError.from(submitted.error)],
      });
    const { results, errors } = await submitChannelOrders(
      ctx.pool,
      input.channel as Channel,
      submitted.payloads,
      ctx.now,
      { plausibleAt: ctx.now, backfill: input.backfill === true },
    );
    return Object.assign(new SubmitOrdersPayload(), {
      results: results.map((r) =>
        Object.assign(new OrderIntakeResultType(), {
          ...r,
          warnings: r.warnings.map((w) => UserError.from(w)),
        }),
      ),
      userErrors: errors.map((e) =>
        UserError.from({ ...e, field: e.field.replace(/^orders(?=\[|$)/, submitted.list) }),
      ),
    });
  }

  @Authorized('OPS', 'SUPERVISOR', 'FINANCE', 'WAREHOUSE', 'SERVICE', 'orders:read')
  @Subscription(() => OrderUpdateType, {
    topics: 'ORDER_UPDATED',
    filter: ({
      payload,
      args,
      context,
    }: {
      payload: OrderUpdatedEvent;
      args: { filter?: OrderUpdatedFilter };
      context: GraphQLContext;
    }) =>
      canSeeChannel(context.viewer, payload.channel as Channel) && matchesOrderFilter(payload, args.filter),
    description: 'Order changes as they happen, across every API process.',
  })
  orderUpdated(
    @Root() event: OrderUpdatedEvent,
    @Arg('filter', () => OrderUpdatedFilter, { nullable: true }) _filter?: OrderUpdatedFilter,
  ): OrderUpdateType {
    return OrderUpdateType.from(event);
  }
}
