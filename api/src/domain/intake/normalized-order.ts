import type { BusinessType, Channel, OrderState } from '../order/order-types.js';

/**
 * One channel order after its adapter parsed it at the edge: every channel's own field names,
 * yuan strings, fen integers and local-time strings become this one shape.
 * Money is integer cents (fen); times are absolute instants (`Date`).
 */
export interface NormalizedOrder {
  channel: Channel;
  /** The channel's own order number (Taobao `tid`, JD `orderId`, Douyin `shop_order_id`). */
  channelOrderNo: string;
  businessType: BusinessType;
  /** The standard state the channel status maps to at intake (e.g. WAIT_SELLER_SEND_GOODS → PAID). */
  state: OrderState;
  /** The channel's status code as received, kept for audit. */
  channelStatus: string;
  createdAt: Date;
  paidAt: Date | null;
  /**
   * When the channel last changed this order; a re-sent payload only updates the pool when this
   * is newer than what is stored. Falls back to the newest time the payload carries.
   */
  sourceUpdatedAt: Date;
  /** Goods total before shipping, in cents. */
  goodsCents: number;
  shippingCents: number;
  /** What the buyer pays in all (goods + shipping − discounts), in cents. */
  totalCents: number;
  /** What has actually been paid so far, in cents (a presale deposit only, before the balance). */
  paidCents: number;
  presale: PresaleTerms | null;
  buyer: { name: string; phone: string };
  address: ChannelAddress;
  items: NormalizedItem[];
  /** Payment reference for reconciliation (Taobao `alipay_no`, Douyin `channel_payment_no`, …). */
  paymentNo: string | null;
  /**
   * When the channel promised the buyer delivery (the web shop's `promisedDeliveryAt`); absent or
   * null when the payload carries none, and the SLA policy then gives the promise.
   */
  promisedDeliveryAt?: Date | null;
}

export interface PresaleTerms {
  depositCents: number;
  balanceCents: number;
  depositPaidAt: Date | null;
  balancePaidAt: Date | null;
  /** The ship date promised to the buyer, when the channel gives one. */
  promisedShipAt: Date | null;
}

/** The address as the channel split it; any part may be missing. Parsing into codes happens later. */
export interface ChannelAddress {
  province: string | null;
  city: string | null;
  district: string | null;
  street: string | null;
  /** The detail line (street, building, room) as given. */
  detail: string;
}

export interface NormalizedItem {
  /** The channel's line id (Taobao `oid`, JD `skuId`, Douyin `sku_order_id`). */
  lineNo: string;
  sku: string | null;
  title: string;
  quantity: number;
  unitPriceCents: number;
  /** The channel's category id or name as given; empty string when the channel sent none. */
  category: string;
}
