import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { canSeeChannel } from '../../domain/auth/viewer.js';
import type { Channel } from '../../domain/order/order-types.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import type { OrderUpdatedEvent } from '../../infra/pubsub/topics.js';
import { Order } from './order.entity.js';
import { OrderType } from './order.type.js';
import { OrderIntakeResultType, SubmitOrdersInput, SubmitOrdersPayload } from './order-intake.input.js';
import { submitChannelOrders } from './order-intake.js';
import { matchesOrderFilter, OrderUpdatedFilter, OrderUpdateType } from './order-update.type.js';

@Resolver(() => OrderType)
export class OrderResolver {
  @Authorized('OPS', 'SUPERVISOR', 'FINANCE', 'WAREHOUSE', 'SERVICE', 'orders:read')
  @Query(() => OrderType, {
    nullable: true,
    description: 'One order by its id; null when absent or outside your channels.',
  })
  async order(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<OrderType | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const order = await ctx.orm.em.fork().findOne(Order, { id });
    return order && canSeeChannel(ctx.viewer, order.channel) ? (order as OrderType) : null;
  }

  @Authorized('OPS', 'orders:write')
  @Mutation(() => SubmitOrdersPayload, {
    description:
      "Takes orders in a channel's own format into the pool. Idempotent per (channel, channel order no).",
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
    const { results, errors } = await submitChannelOrders(
      ctx.pool,
      input.channel as Channel,
      input.orders,
      ctx.now,
    );
    return Object.assign(new SubmitOrdersPayload(), {
      results: results.map((r) => Object.assign(new OrderIntakeResultType(), r)),
      userErrors: errors.map((e) => UserError.from(e)),
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
