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
 * Demo orders: made up in one neutral shape, then written out in each channel's own payload
 * format (Taobao trade, JD order, Douyin shop order, web shop order) so they enter the pool
 * exactly as real ones do. Pure and deterministic for a given random generator and `now`.
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

// ---------------------------------------------------------------------------------------------
// Channel payloads

export function channelOrderNo(order: Pick<DemoOrder, 'channel' | 'serial' | 'orderedAt'>): string {
  const serial = String(order.serial);
  switch (order.channel) {
    case 'TAOBAO':
      return `3${serial.padStart(18, '0')}`;
    case 'JD':
      return `3${serial.padStart(14, '0')}`;
    case 'DOUYIN':
      return `69${serial.padStart(17, '0')}`;
    case 'WEBSHOP':
      return `WS${shanghaiLocal(order.orderedAt).slice(0, 10).replaceAll('-', '')}${serial.padStart(14, '0')}`;
  }
}

/** The order in its channel's own JSON format, as that channel's connector would send it. */
export function channelPayload(order: DemoOrder): Record<string, unknown> {
  switch (order.channel) {
    case 'TAOBAO':
      return taobaoTrade(order);
    case 'JD':
      return jdOrder(order);
    case 'DOUYIN':
      return douyinOrder(order);
    case 'WEBSHOP':
      return webshopOrder(order);
  }
}

/** `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai, as Taobao and JD send times. */
export function shanghaiLocal(instant: Date): string {
  const iso = new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

const shanghaiIso = (instant: Date) => `${shanghaiLocal(instant).replace(' ', 'T')}+08:00`;
const unixSeconds = (instant: Date | null) => (instant ? Math.floor(instant.getTime() / 1000) : 0);
const yuan = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
const latest = (...times: (Date | null)[]) =>
  new Date(Math.max(...times.filter((t): t is Date => t !== null).map((t) => t.getTime())));
const paymentRef = (prefix: string, order: DemoOrder) =>
  order.paidAt || order.depositPaidAt ? `${prefix}${String(order.serial).padStart(16, '0')}` : null;

function taobaoTrade(order: DemoOrder): Record<string, unknown> {
  const tid = channelOrderNo(order);
  const step = order.businessType === 'PRESALE';
  const status =
    order.stage === 'CANCELLED'
      ? 'TRADE_CLOSED_BY_TAOBAO'
      : order.stage === 'PAID'
        ? 'WAIT_SELLER_SEND_GOODS'
        : 'WAIT_BUYER_PAY';
  const payTime = order.paidAt ?? order.depositPaidAt;
  return {
    trade_fullinfo_get_response: {
      trade: {
        tid,
        type: step ? 'step' : 'fixed',
        status,
        ...(step
          ? {
              step_trade_status:
                order.stage === 'PAID'
                  ? 'FRONT_PAID_FINAL_PAID'
                  : order.stage === 'DEPOSIT_PAID'
                    ? 'FRONT_PAID_FINAL_NOPAID'
                    : 'FRONT_NOPAID_FINAL_NOPAID',
              step_paid_fee: order.depositPaidAt ? yuan(order.depositCents) : null,
            }
          : {}),
        payment: yuan(order.totalCents),
        total_fee: yuan(order.goodsCents),
        post_fee: yuan(order.shippingCents),
        discount_fee: yuan(order.discountCents),
        created: shanghaiLocal(order.orderedAt),
        pay_time: payTime ? shanghaiLocal(payTime) : null,
        modified: shanghaiLocal(latest(order.orderedAt, order.depositPaidAt, order.paidAt)),
        receiver_name: order.buyerName,
        receiver_mobile: order.buyerPhone,
        receiver_state: order.region.province,
        receiver_city: order.region.city,
        receiver_district: order.region.district,
        receiver_town: order.region.street,
        receiver_address: order.detail,
        alipay_no: paymentRef('2026', order),
        orders: {
          order: order.lines.map((line, i) => ({
            oid: `4${String(order.serial).padStart(15, '0')}${String(i + 1).padStart(3, '0')}`,
            title: line.product.title,
            num: line.quantity,
            price: yuan(line.product.priceCents),
            cid: line.product.category.cid,
            outer_sku_id: line.product.sku,
            ...(line.product.kind === 'CUSTOM' ? { is_custom: true } : {}),
          })),
        },
      },
    },
  };
}

function jdOrder(order: DemoOrder): Record<string, unknown> {
  const presale = order.businessType === 'PRESALE';
  const status = order.stage === 'CANCELLED' ? 'TRADE_CANCELED' : 'WAIT_SELLER_STOCK_OUT';
  const confirmed = order.paidAt ?? order.depositPaidAt;
  return {
    orderId: channelOrderNo(order),
    orderType: presale ? 'presale' : '22',
    orderState: status,
    orderTotalPrice: yuan(order.goodsCents),
    orderPayment: yuan(order.totalCents),
    freightPrice: yuan(order.shippingCents),
    orderStartTime: shanghaiLocal(order.orderedAt),
    paymentConfirmTime: confirmed ? shanghaiLocal(confirmed) : null,
    modified: shanghaiLocal(latest(order.orderedAt, order.depositPaidAt, order.paidAt)),
    paymentNo: paymentRef('JDPAY', order),
    ...(presale
      ? {
          presaleInfo: {
            depositAmount: yuan(order.depositCents),
            balanceAmount: yuan(order.totalCents - order.depositCents),
            depositPayTime: order.depositPaidAt ? shanghaiLocal(order.depositPaidAt) : null,
            balancePayTime: order.paidAt ? shanghaiLocal(order.paidAt) : null,
            expectedShipTime: shanghaiLocal(new Date(order.orderedAt.getTime() + 20 * 24 * HOUR)),
          },
        }
      : {}),
    consigneeInfo: {
      fullname: order.buyerName,
      mobile: order.buyerPhone,
      province: order.region.provinceShort,
      city: order.region.city,
      county: order.region.district,
      town: order.region.street,
      fullAddress: `${order.region.provinceShort}${order.region.city}${order.region.district}${order.region.street}${order.detail}`,
    },
    itemInfoList: order.lines.map((line) => ({
      skuId: line.product.jdSkuId,
      skuName: line.product.title,
      itemTotal: String(line.quantity),
      jdPrice: yuan(line.product.priceCents),
      outerSkuId: line.product.sku,
      categoryId: String(line.product.category.cid),
    })),
  };
}

function douyinOrder(order: DemoOrder): Record<string, unknown> {
  const presale = order.businessType === 'PRESALE';
  const status =
    order.stage === 'CANCELLED' ? 4 : order.stage === 'PAID' ? 2 : order.stage === 'DEPOSIT_PAID' ? 103 : 1;
  const no = channelOrderNo(order);
  const region = order.region;
  return {
    shop_order_id: no,
    order_status: status,
    order_type: 0,
    pre_sale_type: presale ? 1 : 0,
    order_amount: order.totalCents,
    pay_amount: order.totalCents,
    post_amount: order.shippingCents,
    create_time: unixSeconds(order.orderedAt),
    pay_time: unixSeconds(order.paidAt),
    update_time: unixSeconds(latest(order.orderedAt, order.depositPaidAt, order.paidAt)),
    ...(presale
      ? {
          exp_ship_time: unixSeconds(new Date(order.orderedAt.getTime() + 15 * 24 * HOUR)),
          order_phase_list: [
            {
              phase_pay_amount: order.depositCents,
              pay_success: order.depositPaidAt !== null,
              phase_pay_time: unixSeconds(order.depositPaidAt),
            },
            {
              phase_pay_amount: order.totalCents - order.depositCents,
              pay_success: order.paidAt !== null,
              phase_pay_time: unixSeconds(order.paidAt),
            },
          ],
        }
      : {}),
    channel_payment_no: paymentRef('TP', order),
    post_receiver: order.buyerName,
    post_tel: order.buyerPhone,
    post_addr: {
      province: { name: region.province, id: region.provinceCode },
      city: { name: region.city, id: region.cityCode },
      town: { name: region.district, id: region.districtCode },
      street: { name: region.street },
      detail: order.detail,
    },
    sku_order_list: order.lines.map((line, i) => ({
      sku_order_id: `69${String(order.serial).padStart(14, '0')}${String(i + 1).padStart(3, '0')}`,
      product_name: line.product.title,
      item_num: line.quantity,
      sku_price: line.product.priceCents,
      origin_amount: line.product.priceCents * line.quantity,
      first_cid: Math.floor(line.product.category.cid / 100) || line.product.category.cid,
      third_cid: line.product.category.cid,
      out_sku_id: line.product.sku,
      ...(line.product.customization
        ? { sku_customization_info: [{ key: '定制信息', value: line.product.customization }] }
        : {}),
    })),
  };
}

function webshopOrder(order: DemoOrder): Record<string, unknown> {
  const status = order.stage === 'CANCELLED' ? 'CANCELLED' : order.stage === 'PAID' ? 'PAID' : 'CREATED';
  const paidCents = order.paidAt ? order.totalCents : order.depositPaidAt ? order.depositCents : 0;
  return {
    orderNo: channelOrderNo(order),
    status,
    businessType: order.businessType,
    createdAt: shanghaiIso(order.orderedAt),
    paidAt: order.paidAt ? shanghaiIso(order.paidAt) : null,
    updatedAt: shanghaiIso(latest(order.orderedAt, order.depositPaidAt, order.paidAt)),
    goodsCents: order.goodsCents,
    shippingCents: order.shippingCents,
    totalCents: order.totalCents,
    paidCents,
    presale:
      order.businessType === 'PRESALE'
        ? {
            depositCents: order.depositCents,
            balanceCents: order.totalCents - order.depositCents,
            depositPaidAt: order.depositPaidAt ? shanghaiIso(order.depositPaidAt) : null,
            balancePaidAt: order.paidAt ? shanghaiIso(order.paidAt) : null,
            promisedShipAt: shanghaiIso(new Date(order.orderedAt.getTime() + 10 * 24 * HOUR)),
          }
        : null,
    buyer: { name: order.buyerName, phone: order.buyerPhone },
    shippingAddress: {
      province: order.region.province,
      city: order.region.city,
      district: order.region.district,
      street: order.region.street,
      detail: order.detail,
    },
    items: order.lines.map((line, i) => ({
      lineNo: String(i + 1),
      sku: line.product.sku,
      title: line.product.customization
        ? `${line.product.title}（${line.product.customization}）`
        : line.product.title,
      quantity: line.quantity,
      unitPriceCents: line.product.priceCents,
      category: line.product.category.slug,
    })),
    paymentNo: paymentRef('4200', order),
  };
}
