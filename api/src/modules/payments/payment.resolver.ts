import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { BatchLoader, perContext } from '../../infra/graphql/batch-loader.js';
import { OrderType } from '../orders/order.type.js';
import { loadPayments, type OrderPaymentRow } from './payment.service.js';
import { OrderPaymentType } from './payment.types.js';

const payments = perContext(
  (ctx: GraphQLContext) =>
    new BatchLoader<string, OrderPaymentRow[]>((ids) => loadPayments(ctx.pool, ids), []),
);

@Resolver(() => OrderType)
export class OrderPaymentsResolver {
  @FieldResolver(() => [OrderPaymentType], {
    description:
      'Every payment and refund reported for the order, oldest first; paidAt and paidCents are derived from them once any is recorded.',
  })
  async payments(@Root() order: OrderType, @Ctx() ctx: GraphQLContext): Promise<OrderPaymentType[]> {
    const rows = await payments(ctx).load(order.id);
    return rows.map((r) =>
      Object.assign(new OrderPaymentType(), {
        gateway: r.gateway,
        paymentNo: r.paymentNo,
        kind: r.kind,
        amountCents: r.amountCents,
        currency: r.currency,
        paidAt: r.paidAt,
      }),
    );
  }
}
