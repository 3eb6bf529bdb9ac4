/** Sales channels the pool takes orders from. */
export const CHANNELS = ['TAOBAO', 'JD', 'DOUYIN', 'WEBSHOP'] as const;
export type Channel = (typeof CHANNELS)[number];

/** How an order is fulfilled; drives which SLA policy applies. */
export const BUSINESS_TYPES = ['NORMAL', 'PRESALE', 'CUSTOM'] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];

/** The one standard lifecycle every channel's order is mapped onto. */
export const ORDER_STATES = [
  'CREATED',
  'PAID',
  'WAREHOUSE_ACCEPTED',
  'PICKING',
  'PACKED',
  'SHIPPED',
  'IN_TRANSIT',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'CANCELLED',
  'DELIVERY_FAILED',
  'RETURNING',
  'RETURNED',
  'REFUNDED',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** Systems that report order events. */
export const EVENT_SOURCES = ['CHANNEL', 'PAYMENT', 'WMS', 'TMS', 'CRM', 'STAFF', 'SYSTEM'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];
