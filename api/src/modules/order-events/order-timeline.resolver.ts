import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { staffStatusLabel } from '../../domain/order/order-labels.js';
import type { BusinessType, OrderState } from '../../domain/order/order-types.js';
import { BatchLoader, perContext } from '../../infra/graphql/batch-loader.js';
import { OrderType } from '../orders/order.type.js';
import { customerStatus } from './customer-status.js';
import { TimelineEntryType } from './order-note.types.js';
import { loadTimelines, TIMELINE_LIMIT, type TimelineEntry } from './order-timeline.js';

/** The timelines of all orders in one answer, loaded together (notes only for staff). */
const timelines = perContext(
  (ctx: GraphQLContext) =>
    new BatchLoader<string, TimelineEntry[]>(
      (ids) => loadTimelines(ctx.pool, ids, ctx.viewer.kind === 'STAFF'),
      [],
    ),
);

/** The order as resolvers hand it over: the entity carries `stateEnteredAt`, a plain type may not. */
type OrderRoot = OrderType & { stateEnteredAt?: Partial<Record<OrderState, string>> | null };

@Resolver(() => OrderType)
export class OrderTimelineResolver {
  @FieldResolver(() => [TimelineEntryType], {
    description: `Events and staff notes, newest first, at most ${TIMELINE_LIMIT}. Notes are shown to staff only.`,
  })
  async timeline(@Root() order: OrderRoot, @Ctx() ctx: GraphQLContext): Promise<TimelineEntryType[]> {
    const entries = await timelines(ctx).load(order.id);
    return entries.map((e) => Object.assign(new TimelineEntryType(), e));
  }

  @FieldResolver(() => String, {
    description: 'What the customer reads, e.g. 仓库拣货中（预计2小时内完成）.',
  })
  customerStatus(@Root() order: OrderRoot, @Ctx() ctx: GraphQLContext): string {
    return customerStatus(
      {
        state: order.state as OrderState,
        businessType: order.businessType as BusinessType,
        stateEnteredAt: order.stateEnteredAt,
      },
      ctx.now,
    );
  }

  @FieldResolver(() => String, { description: 'The short label staff lists show, e.g. 拣货中.' })
  staffStatus(@Root() order: OrderRoot): string {
    return staffStatusLabel(order.state as OrderState);
  }
}
