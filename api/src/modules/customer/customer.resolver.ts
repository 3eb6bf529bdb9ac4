import { GraphQLError } from 'graphql';
import { Ctx, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import type { OrderUpdatedEvent } from '../../infra/pubsub/topics.js';
import { CustomerOrderType, CustomerOrderUpdateType } from './customer.types.js';
import type { CustomerSession } from './customer-keys.js';
import { customerOrders, ownsOrder } from './customer-orders.js';

function sessionOf(ctx: GraphQLContext): CustomerSession {
  const session = ctx.customer;
  if (!session || session.expiresAt.getTime() <= ctx.now.getTime())
    throw new GraphQLError('sign in with a code sent to your phone', {
      extensions: { code: 'UNAUTHENTICATED' },
    });
  return session;
}

/**
 * What a customer signed in by phone may read: their own orders and their changes. Staff
 * operations stay closed to them (a customer is no staff viewer), and these stay closed to staff.
 */
@Resolver()
export class CustomerResolver {
  @Query(() => [CustomerOrderType], {
    description: 'The signed-in customer’s orders, newest first (at most 20).',
  })
  async myOrders(@Ctx() ctx: GraphQLContext): Promise<CustomerOrderType[]> {
    const session = sessionOf(ctx);
    const orders = await customerOrders(ctx.pool, session, ctx.now);
    return orders.map((o) => Object.assign(new CustomerOrderType(), o));
  }

  @Subscription(() => CustomerOrderUpdateType, {
    topics: 'ORDER_UPDATED',
    filter: async ({ payload, context }: { payload: OrderUpdatedEvent; context: GraphQLContext }) => {
      const session = context.customer;
      if (!session || session.expiresAt.getTime() <= Date.now()) return false;
      return ownsOrder(context.pool, session.phone, payload.orderId);
    },
    description: 'Changes of the signed-in customer’s orders while the session lasts.',
  })
  myOrderUpdated(@Root() event: OrderUpdatedEvent): CustomerOrderUpdateType {
    return Object.assign(new CustomerOrderUpdateType(), {
      orderId: event.orderId,
      state: event.state,
      parcelChange: event.parcelChange ?? null,
      occurredAt: new Date(event.occurredAt),
    });
  }
}
