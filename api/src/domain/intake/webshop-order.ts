import { BUSINESS_TYPES, type BusinessType, type OrderState } from '../order/order-types.js';
import {
  BUYER_PHONE,
  CENTS,
  CHANNEL_ID,
  FieldReader,
  ISO_TIME,
  type KnownFields,
  type Parsed,
  QUANTITY,
  TEXT,
} from './field-reader.js';
import { readStatus, requirePayTime } from './intake-rules.js';
import type { NormalizedOrder, PresaleTerms } from './normalized-order.js';

/**
 * The merchant's own web shop. This is the channel the platform owns, so the wire shape is
 * NormalizedOrder itself, spelled out — nothing to translate, everything explicit. It comes typed
 * (`webshopOrders: [WebshopOrderInput!]`, `modules/orders/webshop-order.input.ts`) or as this JSON
 * in `orders`; both are read here, so the rules and the coded errors are the same:
 *
 * ```jsonc
 * {
 *   "orderNo": "WS20261120000123",                 // the shop's order number
 *   "status": "PAID",                             // CREATED | PAID | SHIPPED | DELIVERED | CANCELLED | REFUNDED
 *   "businessType": "CUSTOM",                     // NORMAL | PRESALE | CUSTOM — stated, never guessed
 *   "createdAt": "2026-11-20T14:03:11+08:00",    // ISO-8601 with an offset (Z allowed); no local times
 *   "paidAt": "2026-11-20T14:05:40+08:00",       // null until fully paid; required when status is PAID
 *   "updatedAt": "2026-11-20T14:05:40+08:00",    // when the shop last changed the order
 *   "goodsCents": 25800,                          // integer cents (fen) everywhere
 *   "shippingCents": 0,
 *   "totalCents": 25800,                          // what the buyer pays in all
 *   "paidCents": 25800,                           // what has been paid so far
 *   "presale": null,                              // required for PRESALE, must be null/absent otherwise:
 *                                                 // { depositCents, balanceCents, depositPaidAt,
 *                                                 //   balancePaidAt, promisedShipAt } (times nullable)
 *   "buyer": { "name": "王测试", "phone": "13800138000" },   // mainland mobile (+86 allowed), or with its
 *                                                 // country code: "+852 5123 4567" (stored as E.164)
 *   "shippingAddress": { "province": "浙江省", "city": "杭州市", "district": "西湖区",
 *                        "street": null, "detail": "示例路 1 号" },  // detail required, the rest nullable
 *   "items": [{ "lineNo": "1", "sku": "MUG-ENGRAVED", "title": "刻字马克杯", "quantity": 2,
 *               "unitPriceCents": 12900, "category": "drinkware" }],  // category required
 *   "paymentNo": "4200001234202611201234567890",  // the PSP's transaction id, null when unpaid
 *   "promisedDeliveryAt": "2026-11-23T18:00:00+08:00"  // delivery promised to the buyer; optional
 * }
 * ```
 *
 * Only the states a shop knows at checkout are accepted; warehouse and carrier states come from
 * the WMS and TMS feeds, not from the shop.
 */

const WEBSHOP_STATES = ['CREATED', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED'] as const;
const WEBSHOP_STATUS_MAP: Readonly<Record<string, OrderState>> = Object.fromEntries(
  WEBSHOP_STATES.map((state) => [state, state]),
);

/** Every field of the format is read; the presale terms only on a PRESALE order. */
export const WEBSHOP_KNOWN_FIELDS: KnownFields = {
  presale: ['depositCents', 'balanceCents', 'depositPaidAt', 'balancePaidAt', 'promisedShipAt'],
};

export function parseWebshopOrder(raw: unknown): Parsed<NormalizedOrder> {
  const order = FieldReader.root(raw, WEBSHOP_KNOWN_FIELDS);

  const status = readStatus(order, 'status', WEBSHOP_STATUS_MAP, 'web shop order status');
  const businessType = readBusinessType(order);
  const paidAt = order.optional('paidAt', ISO_TIME);
  requirePayTime(order, 'paidAt', status.mapped, paidAt);
  const buyer = order.object('buyer');
  const address = order.object('shippingAddress');

  return order.finish<NormalizedOrder>({
    channel: 'WEBSHOP',
    channelOrderNo: order.required('orderNo', CHANNEL_ID),
    businessType: businessType ?? 'NORMAL',
    state: status.mapped ?? 'CREATED',
    channelStatus: status.code,
    createdAt: order.required('createdAt', ISO_TIME),
    paidAt,
    sourceUpdatedAt: order.required('updatedAt', ISO_TIME),
    goodsCents: order.required('goodsCents', CENTS),
    shippingCents: order.required('shippingCents', CENTS),
    totalCents: order.required('totalCents', CENTS),
    paidCents: order.required('paidCents', CENTS),
    presale: readPresale(order, businessType),
    buyer: { name: buyer.required('name', TEXT), phone: buyer.required('phone', BUYER_PHONE) },
    address: {
      province: address.optional('province', TEXT),
      city: address.optional('city', TEXT),
      district: address.optional('district', TEXT),
      street: address.optional('street', TEXT),
      detail: address.required('detail', TEXT),
    },
    items: order.lines('items').map((line) => ({
      lineNo: line.required('lineNo', CHANNEL_ID),
      sku: line.optional('sku', TEXT),
      title: line.required('title', TEXT),
      quantity: line.required('quantity', QUANTITY),
      unitPriceCents: line.required('unitPriceCents', CENTS),
      category: line.required('category', TEXT),
    })),
    paymentNo: order.optional('paymentNo', CHANNEL_ID),
    promisedDeliveryAt: order.optional('promisedDeliveryAt', ISO_TIME),
  });
}

function readBusinessType(order: FieldReader): BusinessType | undefined {
  const value = order.required('businessType', TEXT);
  const known = BUSINESS_TYPES.find((type) => type === value);
  if (!known && !order.hasDefect('businessType')) {
    order.report(
      'businessType',
      'UNKNOWN_VALUE',
      `businessType must be one of ${BUSINESS_TYPES.join(', ')}.`,
    );
  }
  return known;
}

function readPresale(order: FieldReader, businessType: BusinessType | undefined): PresaleTerms | null {
  if (businessType !== 'PRESALE') {
    if (businessType && order.has('presale')) {
      order.report('presale', 'UNEXPECTED_FIELD', 'presale must be null unless businessType is PRESALE.');
    }
    return null;
  }
  const terms = order.object('presale');
  return {
    depositCents: terms.required('depositCents', CENTS),
    balanceCents: terms.required('balanceCents', CENTS),
    depositPaidAt: terms.optional('depositPaidAt', ISO_TIME),
    balancePaidAt: terms.optional('balancePaidAt', ISO_TIME),
    promisedShipAt: terms.optional('promisedShipAt', ISO_TIME),
  };
}
