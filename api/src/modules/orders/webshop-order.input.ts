import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import { BusinessTypeEnum } from './order.type.js';

/**
 * The web shop's order as a typed GraphQL input. It is the JSON format of
 * `domain/intake/webshop-order.ts`, field for field, and goes through the same parser: a typed
 * order is turned back into that JSON shape and read by `parseWebshopOrder`, so every rule and
 * every coded error (INVALID_TIME, INVALID_PHONE, TOTAL_MISMATCH…) is the same on both paths.
 *
 * Times are strings on purpose: a time without an offset is then a coded INVALID_TIME for that
 * order, like on the JSON path, rather than a GraphQL error that fails the whole call. What the
 * types themselves rule out (a missing required field, an unknown status) GraphQL refuses before
 * any order is read.
 */

export const WebshopOrderStatusEnum = {
  CREATED: 'CREATED',
  PAID: 'PAID',
  SHIPPED: 'SHIPPED',
  DELIVERED: 'DELIVERED',
  CANCELLED: 'CANCELLED',
  REFUNDED: 'REFUNDED',
} as const;
registerEnumType(WebshopOrderStatusEnum, {
  name: 'WebshopOrderStatus',
  description:
    'The states a shop knows at checkout; warehouse and carrier steps come from the WMS and TMS feeds.',
});

const TIME = 'ISO-8601 with an offset, e.g. "2026-11-20T14:03:11+08:00" (Z allowed; no local times).';

@InputType({ description: 'What the buyer agreed to pay on a presale: a deposit, then the balance.' })
export class WebshopPresaleInput {
  @Field(() => GraphQLSafeInt, { description: 'The deposit, in fen (integer cents).' })
  depositCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'The balance due after the deposit, in fen.' })
  balanceCents!: number;

  @Field(() => String, { nullable: true, description: `When the deposit was paid; null until then. ${TIME}` })
  depositPaidAt?: string | null;

  @Field(() => String, { nullable: true, description: `When the balance was paid; null until then. ${TIME}` })
  balancePaidAt?: string | null;

  @Field(() => String, { nullable: true, description: `The ship date promised to the buyer. ${TIME}` })
  promisedShipAt?: string | null;
}

@InputType({ description: 'The receiver of the parcel.' })
export class WebshopBuyerInput {
  @Field(() => String, { description: 'The receiver’s name.' })
  name!: string;

  @Field(() => String, {
    description:
      'A mainland mobile (11 digits; +86, spaces and dashes allowed; stored as the 11 digits), or a number elsewhere — Hong Kong, Macau, Taiwan, abroad — with + and its country code, e.g. "+852 5123 4567" (stored as E.164, +85251234567).',
  })
  phone!: string;
}

@InputType({ description: 'The address as the shop split it; parsing into region codes happens at intake.' })
export class WebshopAddressInput {
  @Field(() => String, { nullable: true, description: 'Province, e.g. 浙江省.' })
  province?: string | null;

  @Field(() => String, { nullable: true, description: 'City, e.g. 杭州市.' })
  city?: string | null;

  @Field(() => String, { nullable: true, description: 'District or county, e.g. 西湖区.' })
  district?: string | null;

  @Field(() => String, { nullable: true, description: 'Street or township (街道/镇).' })
  street?: string | null;

  @Field(() => String, { description: 'The detail line: street, building, room.' })
  detail!: string;
}

@InputType({ description: 'One order line.' })
export class WebshopItemInput {
  @Field(() => String, { description: 'The shop’s line id, unique within the order.' })
  lineNo!: string;

  @Field(() => String, { nullable: true, description: 'The shop’s SKU code.' })
  sku?: string | null;

  @Field(() => String, { description: 'What the buyer sees on the line.' })
  title!: string;

  @Field(() => Int, { description: 'How many, at least 1.' })
  quantity!: number;

  @Field(() => GraphQLSafeInt, { description: 'Price of one unit, in fen (integer cents).' })
  unitPriceCents!: number;

  @Field(() => String, { description: 'The category name or id routing rules match on.' })
  category!: string;
}

@InputType({
  description:
    'One web shop order. The same rules as the web shop JSON: goods = the sum of the lines, total ≤ goods + shipping, a paid order has paid its total, PRESALE needs `presale`.',
})
export class WebshopOrderInput {
  @Field(() => String, { description: 'The shop’s order number, unique in the shop; resending it updates.' })
  orderNo!: string;

  @Field(() => WebshopOrderStatusEnum, { description: 'The order’s status in the shop.' })
  status!: string;

  @Field(() => BusinessTypeEnum, {
    description: 'NORMAL, PRESALE or CUSTOM: stated by the shop, never guessed.',
  })
  businessType!: string;

  @Field(() => String, { description: `When the buyer placed the order. ${TIME}` })
  createdAt!: string;

  @Field(() => String, {
    nullable: true,
    description: `When the order was fully paid; required when status is PAID, null before. ${TIME}`,
  })
  paidAt?: string | null;

  @Field(() => String, {
    description: `When the shop last changed the order; a resent order updates only when this is newer. ${TIME}`,
  })
  updatedAt!: string;

  @Field(() => GraphQLSafeInt, { description: 'Goods before shipping, in fen: the sum of the lines.' })
  goodsCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'Shipping charged to the buyer, in fen.' })
  shippingCents!: number;

  @Field(() => GraphQLSafeInt, {
    description: 'What the buyer pays in all, in fen: goods + shipping less discounts.',
  })
  totalCents!: number;

  @Field(() => GraphQLSafeInt, { description: 'What has been paid so far, in fen.' })
  paidCents!: number;

  @Field(() => WebshopPresaleInput, {
    nullable: true,
    description: 'Required when businessType is PRESALE; must be null otherwise.',
  })
  presale?: WebshopPresaleInput | null;

  @Field(() => WebshopBuyerInput)
  buyer!: WebshopBuyerInput;

  @Field(() => WebshopAddressInput)
  shippingAddress!: WebshopAddressInput;

  @Field(() => [WebshopItemInput], { description: 'At least one line.' })
  items!: WebshopItemInput[];

  @Field(() => String, {
    nullable: true,
    description: 'The payment provider’s transaction id, for reconciliation; null when unpaid.',
  })
  paymentNo?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `When delivery was promised to the buyer; without it the SLA policy gives the promise. ${TIME}`,
  })
  promisedDeliveryAt?: string | null;
}

/**
 * The typed orders as the web shop JSON they mirror (plain objects, no class instances), for
 * `parseWebshopOrder`. Fields GraphQL left out stay out, as in JSON.
 */
export function webshopPayloads(orders: readonly WebshopOrderInput[]): Record<string, unknown>[] {
  return orders.map((order) => JSON.parse(JSON.stringify(order)) as Record<string, unknown>);
}
