import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';

@ObjectType('OrderPayment', {
  description: 'One movement of money for an order, as its payment event reported it.',
})
export class OrderPaymentType {
  @Field(() => String, {
    description: 'ALIPAY, WECHAT_PAY, UNIONPAY…, or the reporting source when none was named.',
  })
  gateway!: string;

  @Field(() => String, { description: "The gateway's payment number (the event's key when it named none)." })
  paymentNo!: string;

  @Field(() => String, { description: 'FULL, DEPOSIT, BALANCE or REFUND.' })
  kind!: string;

  @Field(() => String, {
    description:
      'Integer cents as a decimal string (64-bit safe); refunds are positive and count against paidCents.',
  })
  amountCents!: string;

  @Field(() => String, { description: 'ISO 4217, e.g. CNY.' })
  currency!: string;

  @Field(() => GraphQLDateTime, { description: 'When the money moved, by the reporting clock.' })
  paidAt!: Date;
}
