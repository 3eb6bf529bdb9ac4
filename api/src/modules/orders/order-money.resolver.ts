import { FieldResolver, Resolver, Root } from 'type-graphql';
import { Money } from '../../infra/graphql/money.type.js';
import { OrderType } from './order.type.js';

/** The order's amounts as {@link Money}: exact at any size, with the currency. */
@Resolver(() => OrderType)
export class OrderMoneyResolver {
  @FieldResolver(() => Money, { description: 'Goods total before shipping.' })
  goods(@Root() order: OrderType): Money {
    return Money.ofMinor(order.goodsCents);
  }

  @FieldResolver(() => Money, { description: 'Shipping charged.' })
  shipping(@Root() order: OrderType): Money {
    return Money.ofMinor(order.shippingCents);
  }

  @FieldResolver(() => Money, { description: 'What the buyer pays in all (goods + shipping − discounts).' })
  total(@Root() order: OrderType): Money {
    return Money.ofMinor(order.totalCents);
  }

  @FieldResolver(() => Money, { description: 'What has been paid so far.' })
  paid(@Root() order: OrderType): Money {
    return Money.ofMinor(order.paidCents);
  }
}
