import type { BusinessType, Channel, OrderState } from '../../domain/order/order-types.js';
import { SHANGHAI_OFFSET_MS } from '../../domain/sla/business-time.js';
import {
  CARRIERS,
  COMPOUNDS,
  type DemoProduct,
  type DemoRegion,
  GIVEN_NAMES,
  PRODUCTS,
  REGIONS,
  STREET_NAMES,
  SURNAMES,
  WAREHOUSES,
} from './demo-catalog.js';
import type { DemoRandom } from './demo-random.js';

/**
 * Demo orders: made up in one neutral shape (written out in each channel's own format by
 * `demo-channel-payloads.ts`), then moved along the warehouse and carrier path. Pure and
 * deterministic for a given random generator and `now`.
 */

/** How far payment got at the channel when the order is taken in. */
export type DemoStage = 'UNPAID' | 'DEPOSIT_PAID' | 'PAID' | 'CANCELLED';

export interface DemoLine {
  product: DemoProduct;
  quantity: number;
}

export interface DemoOrder {
  channel: Channel;
  /** Unique number the channel order number is built from. */
  serial: number;
  businessType: BusinessType;
  stage: DemoStage;
  orderedAt: Date;
  /** Presale deposit payment. */
  depositPaidAt: Date | null;
  /** Full payment, or the presale balance. */
  paidAt: Date | null;
  buyerName: string;
  buyerPhone: string;
  region: DemoRegion;
  /** Made-up street line: 示例路 12 号 演示小区 3 栋 502 室. */
  detail: string;
  lines: DemoLine[];
  goodsCents: number;
  shippingCents: number;
  discountCents: number;
  totalCents: number;
  depositCents: number;
}

export interface DemoEvent {
  source: 'WMS' | 'TMS';
  type: string;
  occurredAt: Date;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const CHANNEL_WEIGHTS: readonly (readonly [Channel, number])[] = [
  ['TAOBAO', 35],
  ['JD', 25],
  ['DOUYIN', 25],
  ['WEBSHOP', 15],
];
const TYPE_WEIGHTS: readonly (readonly [BusinessType, number])[] = [
  ['NORMAL', 70],
  ['PRESALE', 18],
  ['CUSTOM', 12],
];

/** A random instant in the last `withinMs` that falls in Shanghai shopping hours (09:00–22:00). */
export function businessHoursInstant(random: DemoRandom, now: Date, withinMs: number): Date {
  for (let attempt = 0; attempt < 200; attempt++) {
    const t = now.getTime() - 3 * MINUTE - random.next() * withinMs;
    const hour = new Date(t + SHANGHAI_OFFSET_MS).getUTCHours();
    if (hour >= 9 && hour < 22) return new Date(Math.floor(t / 1000) * 1000);
  }
  return new Date(Math.floor((now.getTime() - withinMs / 2) / 1000) * 1000);
}

/** One made-up order placed at `orderedAt`; its payment stage depends on how long ago that was. */
export function makeDemoOrder(
  random: DemoRandom,
  opts: { serial: number; orderedAt: Date; now: Date; channel?: Channel; businessType?: BusinessType },
): DemoOrder {
  const channel = opts.channel ?? random.weighted(CHANNEL_WEIGHTS);
  let businessType = opts.businessType ?? random.weighted(TYPE_WEIGHTS);
  // JD has no made-to-order flag: its orders are never CUSTOM.
  if (channel === 'JD' && businessType === 'CUSTOM') businessType = 'NORMAL';
  const lines = linesFor(random, businessType);
  const goodsCents = lines.reduce((sum, l) => sum + l.product.priceCents * l.quantity, 0);
  const shippingCents = goodsCents >= 9900 ? 0 : 800;
  const discountCents = channel === 'TAOBAO' && goodsCents >= 20000 && random.chance(0.4) ? 1000 : 0;
  const totalCents = goodsCents + shippingCents - discountCents;
  const depositCents =
    businessType === 'PRESALE'
      ? lines.reduce((sum, l) => sum + (l.product.depositCents ?? 0) * l.quantity, 0)
      : 0;

  const ageMs = opts.now.getTime() - opts.orderedAt.getTime();
  const latest = opts.now.getTime() - MINUTE;
  const after = (from: Date, minMinutes: number, maxMinutes: number) => {
    const wanted = from.getTime() + random.int(minMinutes * 60, maxMinutes * 60) * 1000;
    return new Date(Math.max(from.getTime(), Math.min(latest, wanted)));
  };
  let stage: DemoStage;
  let depositPaidAt: Date | null = null;
  let paidAt: Date | null = null;
  if (businessType === 'PRESALE') {
    stage = random.weighted<DemoStage>([
      ['DEPOSIT_PAID', 55],
      ['PAID', 40],
      ['UNPAID', channel === 'JD' ? 0 : 5],
    ]);
    if (stage !== 'UNPAID') depositPaidAt = after(opts.orderedAt, 1, 10);
    if (stage === 'PAID' && depositPaidAt) {
      const room = Math.max(0, latest - depositPaidAt.getTime());
      paidAt = new Date(depositPaidAt.getTime() + Math.floor((room * random.next() * 0.5) / 1000) * 1000);
    }
  } else {
    const fresh = ageMs < 6 * HOUR;
    stage = random.weighted<DemoStage>([
      ['PAID', fresh ? 89 : 96],
      ['UNPAID', fresh && channel !== 'JD' ? 8 : 0],
      ['CANCELLED', fresh ? 3 : 4],
    ]);
    if (stage === 'PAID') paidAt = after(opts.orderedAt, 0, 15);
  }

  const region = random.pick(REGIONS);
  return {
    channel,
    serial: opts.serial,
    businessType,
    stage,
    orderedAt: opts.orderedAt,
    depositPaidAt,
    paidAt,
    buyerName: `${random.pick(SURNAMES)}${random.pick(GIVEN_NAMES)}`,
    buyerPhone: `1380013${String(random.int(0, 9999)).padStart(4, '0')}`,
    region,
    detail: `${random.pick(STREET_NAMES)}${random.int(1, 399)}号${random.pick(COMPOUNDS)}${random.int(1, 30)}栋${random.int(1, 33)}0${random.int(1, 4)}室`,
    lines,
    goodsCents,
    shippingCents,
    discountCents,
    totalCents,
    depositCents,
  };
}

function linesFor(random: DemoRandom, businessType: BusinessType): DemoLine[] {
  const normal = PRODUCTS.filter((p) => p.kind === 'NORMAL');
  const main =
    businessType === 'NORMAL'
      ? random.pick(normal)
      : random.pick(PRODUCTS.filter((p) => p.kind === businessType));
  const lines: DemoLine[] = [{ product: main, quantity: main.priceCents > 50000 ? 1 : random.int(1, 3) }];
  // Presale orders hold the presale item alone; others sometimes add an everyday item or two.
  if (businessType !== 'PRESALE') {
    const extra = random.weighted([
      [0, 60],
      [1, 30],
      [2, 10],
    ]);
    for (let i = 0; i < extra; i++) {
      const product = random.pick(normal.filter((p) => !lines.some((l) => l.product === p)));
      lines.push({ product, quantity: random.int(1, 2) });
    }
  }
  return lines;
}

/**
 * Where a paid order should be by now, from how long ago it was paid: minutes-old orders wait for
 * the warehouse, day-old ones are on the road, older ones mostly delivered. Made-to-order goods
 * take longer to leave.
 */
export function demoTargetState(random: DemoRandom, order: DemoOrder, now: Date): OrderState | null {
  if (order.stage !== 'PAID' || !order.paidAt) return null;
  const speed = order.businessType === 'CUSTOM' ? 0.4 : 1;
  const hours = ((now.getTime() - order.paidAt.getTime()) / HOUR) * speed;
  if (hours < 1)
    return random.weighted<OrderState>([
      ['PAID', 60],
      ['WAREHOUSE_ACCEPTED', 40],
    ]);
  if (hours < 4)
    return random.weighted<OrderState>([
      ['WAREHOUSE_ACCEPTED', 30],
      ['PICKING', 40],
      ['PACKED', 30],
    ]);
  if (hours < 10)
    return random.weighted<OrderState>([
      ['PACKED', 20],
      ['SHIPPED', 40],
      ['IN_TRANSIT', 40],
    ]);
  if (hours < 30)
    return random.weighted<OrderState>([
      ['IN_TRANSIT', 50],
      ['OUT_FOR_DELIVERY', 20],
      ['DELIVERED', 30],
    ]);
  return random.weighted<OrderState>([
    ['DELIVERED', 80],
    ['IN_TRANSIT', 10],
    ['OUT_FOR_DELIVERY', 10],
  ]);
}

/** The warehouse and carrier path of a paid order, each step with the event that reports it. */
export const FULFILMENT_PATH: readonly { state: OrderState; source: 'WMS' | 'TMS'; type: string }[] = [
  { state: 'WAREHOUSE_ACCEPTED', source: 'WMS', type: 'WMS_ACCEPTED' },
  { state: 'PICKING', source: 'WMS', type: 'WMS_PICKING_STARTED' },
  { state: 'PACKED', source: 'WMS', type: 'WMS_PACKED' },
  { state: 'SHIPPED', source: 'WMS', type: 'WMS_SHIPPED' },
  { state: 'IN_TRANSIT', source: 'TMS', type: 'TMS_IN_TRANSIT' },
  { state: 'OUT_FOR_DELIVERY', source: 'TMS', type: 'TMS_OUT_FOR_DELIVERY' },
  { state: 'DELIVERED', source: 'TMS', type: 'TMS_DELIVERED' },
];

/** The next step after `state` on the fulfilment path, or null when there is none. */
export function nextFulfilmentStep(state: OrderState) {
  if (state === 'PAID') return FULFILMENT_PATH[0];
  const at = FULFILMENT_PATH.findIndex((step) => step.state === state);
  return at >= 0 && at < FULFILMENT_PATH.length - 1 ? FULFILMENT_PATH[at + 1] : null;
}

/**
 * Warehouse, carrier and tracking number of an order's parcel, derived from its id so that every
 * event about the parcel (from the seed or the simulator) names the same ones.
 */
export function parcelOf(orderId: string, region: { city: string; district: string }) {
  const key = Number.parseInt(orderId.replace(/-/g, '').slice(0, 12), 16) || 0;
  const carrier = CARRIERS[key % CARRIERS.length];
  return {
    warehouse: WAREHOUSES[Math.floor(key / 7) % WAREHOUSES.length],
    carrier: carrier.name,
    trackingNo: `${carrier.prefix}${String(key % 10_000_000_000_000).padStart(13, '0')}`,
    city: region.city,
    district: region.district,
  };
}

/** What a WMS or TMS would report for one step of the path. No personal data. */
export function stepPayload(
  type: string,
  parcel: ReturnType<typeof parcelOf>,
  random: DemoRandom,
): Record<string, unknown> {
  switch (type) {
    case 'WMS_ACCEPTED':
    case 'WMS_PICKING_STARTED':
      return { warehouse: parcel.warehouse };
    case 'WMS_PACKED':
      return { warehouse: parcel.warehouse, parcels: 1 };
    case 'WMS_SHIPPED':
      return { warehouse: parcel.warehouse, carrier: parcel.carrier, trackingNo: parcel.trackingNo };
    case 'TMS_IN_TRANSIT':
      return { carrier: parcel.carrier, trackingNo: parcel.trackingNo, location: `${parcel.city}转运中心` };
    case 'TMS_OUT_FOR_DELIVERY':
      return { carrier: parcel.carrier, trackingNo: parcel.trackingNo, location: `${parcel.district}营业部` };
    case 'TMS_DELIVERED':
      return {
        carrier: parcel.carrier,
        trackingNo: parcel.trackingNo,
        signedBy: random.pick(['本人签收', '快递柜', '驿站代收']),
      };
    default:
      return {};
  }
}

/** The steps that carry a paid order from PAID to `target`, spread between payment and `now`. */
export function demoEventsTo(
  random: DemoRandom,
  order: DemoOrder,
  target: OrderState,
  now: Date,
): DemoEvent[] {
  const end = FULFILMENT_PATH.findIndex((step) => step.state === target);
  if (!order.paidAt || end < 0) return [];
  const steps = FULFILMENT_PATH.slice(0, end + 1);
  const from = order.paidAt.getTime();
  const span = Math.max(0, now.getTime() - 2 * MINUTE - from);
  const offsets = steps.map(() => 0.05 + random.next() * 0.9).sort((a, b) => a - b);
  return steps.map((step, i) => ({
    source: step.source,
    type: step.type,
    occurredAt: new Date(from + Math.floor((span * offsets[i]) / 1000) * 1000 + i * 1000),
  }));
}
