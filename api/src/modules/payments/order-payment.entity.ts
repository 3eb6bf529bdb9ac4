import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * Every movement of money reported for an order: a full payment, a presale deposit and its
 * balance, a split payment, a refund. The order's `paidAt` and `paidCents` are derived from
 * these rows by the payments service, the only writer of this table.
 */
@Entity({ tableName: 'order_payment' })
@Unique({ name: 'order_payment_unique', properties: ['orderId', 'paymentNo', 'kind'] })
@Index({ name: 'order_payment_order_idx', properties: ['orderId', 'paidAt'] })
@Index({ name: 'order_payment_paid_idx', properties: ['paidAt'] })
export class OrderPayment {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid' })
  orderId!: string;

  /** ALIPAY, WECHAT_PAY, UNIONPAY… or the channel for platform-collected money. */
  @Property({ type: 'text' })
  gateway!: string;

  @Property({ type: 'text' })
  paymentNo!: string;

  /** FULL, DEPOSIT, BALANCE or REFUND. */
  @Property({ type: 'text' })
  kind!: string;

  /** Integer cents, 64-bit; a refund is stored positive and counted against the order. */
  @Property({ type: 'bigint' })
  amountCents!: string;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'timestamptz' })
  paidAt!: Date;

  /** The event that reported it. */
  @Property({ type: 'text' })
  eventKey!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  recordedAt!: Date;
}
