import type { Channel } from '../../api/src/domain/order/order-types.js';
import { shanghaiIsoTime, shanghaiLocalTime } from '../../api/src/domain/sla/business-time.js';
import { Prng } from './prng.js';

/**
 * Realistic channel payloads for benchmarks, each in its channel's own wire format (Taobao
 * `trade_fullinfo_get_response`, JD POP orderInfo, Douyin shop_order_detail, the web shop's
 * NormalizedOrder-shaped JSON), as in `test/fixtures/channels/`. Fake buyers only: made-up names
 * and 1380013xxxx phones.
 *
 * Order `seq` of a channel is generated from `Prng.for(seed, channel, seq)` alone, so a re-send of
 * the same order is the identical payload however it is reached, and nothing uses Math.random.
 */

export type OrderKind = 'PAID' | 'UNPAID' | 'SHIPPED' | 'DELIVERED' | 'PRESALE' | 'CUSTOM';

/** How often each kind of order arrives (weights). */
export const ORDER_KIND_MIX: Readonly<Record<OrderKind, number>> = {
  PAID: 78,
  UNPAID: 6,
  SHIPPED: 5,
  DELIVERED: 3,
  PRESALE: 5,
  CUSTOM: 3,
};

/** The share of orders each channel brings (weights). */
export const CHANNEL_MIX: Readonly<Record<Channel, number>> = { TAOBAO: 40, JD: 25, DOUYIN: 25, WEBSHOP: 10 };

const CHANNEL_INDEX: Readonly<Record<Channel, number>> = { TAOBAO: 1, JD: 2, DOUYIN: 3, WEBSHOP: 4 };

/** Orders are placed in the 90 days before 2026-11-21 00:00 Asia/Shanghai (fixed, not "now"). */
const PERIOD_END_MS = Date.UTC(2026, 10, 20, 16, 0, 0);
const PERIOD_S = 90 * 24 * 3600;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹'.split('');
const GIVEN_NAMES = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '晓东',
  '子涵',
  '雨萱',
  '浩然',
  '欣怡',
  '思远',
  '一鸣',
  '佳琪',
];

const REGIONS: ReadonlyArray<readonly [string, string, string]> = [
  ['浙江省', '杭州市', '西湖区'],
  ['浙江省', '宁波市', '鄞州区'],
  ['广东省', '深圳市', '南山区'],
  ['广东省', '广州市', '天河区'],
  ['北京市', '北京市', '朝阳区'],
  ['上海市', '上海市', '浦东新区'],
  ['江苏省', '南京市', '鼓楼区'],
  ['江苏省', '苏州市', '工业园区'],
  ['四川省', '成都市', '武侯区'],
  ['湖北省', '武汉市', '洪山区'],
  ['山东省', '青岛市', '市南区'],
  ['福建省', '厦门市', '思明区'],
  ['陕西省', '西安市', '雁塔区'],
  ['湖南省', '长沙市', '岳麓区'],
  ['河南省', '郑州市', '金水区'],
  ['重庆市', '重庆市', '渝北区'],
];
const ROADS = ['示例路', '演示大道', '样例街', '测试巷', '模拟路', '范例大街'];
const COMPOUNDS = ['演示小区', '示例花园', '样例公寓', '测试家园', '模拟苑'];

interface Product {
  title: string;
  sku: string;
  cents: number;
  cid: number;
  category: string;
}

const PRODUCTS: readonly Product[] = [
  { title: '白瓷马克杯 350ml', sku: 'MUG-WHITE-350', cents: 5900, cid: 50012345, category: 'drinkware' },
  { title: '竹制杯垫 4片装', sku: 'COASTER-BAMBOO-4', cents: 2900, cid: 50012399, category: 'drinkware' },
  { title: '头戴式降噪耳机 黑色', sku: 'EARPHONE-NC-BLK', cents: 129900, cid: 652, category: 'audio' },
  { title: '手工冷制皂 3块装', sku: 'SOAP-COLD-3', cents: 5000, cid: 20345, category: 'bath' },
  { title: '纯棉短袖T恤 白色 L', sku: 'TEE-COTTON-WL', cents: 7900, cid: 50000436, category: 'apparel' },
  { title: '保温杯 500ml 不锈钢', sku: 'FLASK-SS-500', cents: 13900, cid: 50012346, category: 'drinkware' },
  { title: '无线鼠标 静音款', sku: 'MOUSE-SILENT', cents: 8900, cid: 670, category: 'computer' },
  { title: '机械键盘 87键 青轴', sku: 'KB-87-BLUE', cents: 32900, cid: 671, category: 'computer' },
  { title: '乌龙茶 250g 罐装', sku: 'TEA-OOLONG-250', cents: 16800, cid: 50008141, category: 'tea' },
  { title: '坚果礼盒 1.2kg', sku: 'NUTS-GIFT-1200', cents: 19900, cid: 50008142, category: 'snacks' },
  { title: '儿童绘本 10册套装', sku: 'BOOK-KIDS-10', cents: 9900, cid: 33, category: 'books' },
  { title: '瑜伽垫 6mm 紫色', sku: 'YOGA-MAT-6-PU', cents: 8900, cid: 50010728, category: 'sports' },
  { title: '数据线 USB-C 1m', sku: 'CABLE-C-1M', cents: 1990, cid: 672, category: 'computer' },
  { title: '香薰蜡烛 雪松', sku: 'CANDLE-CEDAR', cents: 6800, cid: 50020808, category: 'home' },
  { title: '帆布托特包 米色', sku: 'BAG-CANVAS-BEIGE', cents: 4900, cid: 50010850, category: 'bags' },
  { title: '刻字钢笔 礼盒装', sku: 'PEN-ENGRAVE-GIFT', cents: 25800, cid: 50012708, category: 'stationery' },
];

interface Line {
  product: Product;
  quantity: number;
}

/** What every channel's payload says, before it is spelled in that channel's format. */
interface OrderFacts {
  kind: OrderKind;
  createdMs: number;
  payMs: number;
  modifiedMs: number;
  lines: Line[];
  goodsCents: number;
  shippingCents: number;
  discountCents: number;
  totalCents: number;
  buyerName: string;
  /** 11 digits, 1380013xxxx; each channel writes it its own way. */
  phone: string;
  region: readonly [string, string, string];
  street: string;
  detail: string;
}

/** A fake Chinese name. */
export const fakeName = (rng: Prng) => rng.pick(SURNAMES) + rng.pick(GIVEN_NAMES);

/** A fake mainland mobile number of the 1380013xxxx series. */
export const fakePhone = (rng: Prng) => `1380013${rng.digits(4)}`;

function orderFacts(rng: Prng, kind: OrderKind): OrderFacts {
  const createdMs = PERIOD_END_MS - rng.int(0, PERIOD_S) * 1000;
  const payMs = createdMs + rng.int(10, 900) * 1000;
  const modifiedMs = payMs + rng.int(1, 60) * 1000;
  const roll = rng.next();
  const count = roll < 0.35 ? 1 : roll < 0.7 ? 2 : 3;
  // Distinct products per order: 5 and the 16 products have no common divisor.
  const first = rng.int(0, PRODUCTS.length - 1);
  const lines: Line[] = Array.from({ length: count }, (_, i) => ({
    product: PRODUCTS[(first + i * 5) % PRODUCTS.length],
    quantity: rng.chance(0.7) ? 1 : rng.int(2, 3),
  }));
  const goodsCents = lines.reduce((sum, l) => sum + l.product.cents * l.quantity, 0);
  const shippingCents = goodsCents >= 9900 ? 0 : rng.pick([800, 1000, 1200]);
  const discountCents = rng.chance(0.3) ? Math.min(Math.floor(goodsCents / 1000) * 100, 2000) : 0;
  return {
    kind,
    createdMs,
    payMs,
    modifiedMs,
    lines,
    goodsCents,
    shippingCents,
    discountCents,
    totalCents: goodsCents + shippingCents - discountCents,
    buyerName: fakeName(rng),
    phone: fakePhone(rng),
    region: rng.pick(REGIONS),
    street: `${rng.pick(['测试', '示例', '演示'])}街道`,
    detail: `${rng.pick(ROADS)}${rng.int(1, 300)}号${rng.pick(COMPOUNDS)}${rng.int(1, 30)}幢${rng.int(1, 30)}0${rng.int(1, 4)}室`,
  };
}

const yuan = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
const shanghaiLocal = (ms: number) => shanghaiLocalTime(new Date(ms));
const isoShanghai = (ms: number) => shanghaiIsoTime(new Date(ms));
const unixSeconds = (ms: number) => Math.floor(ms / 1000);
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Order `seq` of `channel` as that channel sends it. `kind` forces a kind (e.g. only PAID orders
 * for a lifecycle benchmark); otherwise it follows `ORDER_KIND_MIX`. The channel order number is
 * unique per (channel, seq) for seq < 10^9.
 */
export function channelPayload(seed: number, channel: Channel, seq: number, kind?: OrderKind): unknown {
  const rng = Prng.for(seed, CHANNEL_INDEX[channel], seq);
  const facts = orderFacts(rng, kind ?? rng.weighted(ORDER_KIND_MIX));
  switch (channel) {
    case 'TAOBAO':
      return taobaoTrade(rng, seq, facts);
    case 'JD':
      return jdOrder(rng, seq, facts);
    case 'DOUYIN':
      return douyinOrder(rng, seq, facts);
    case 'WEBSHOP':
      return webshopOrder(rng, seq, facts);
  }
}

const JD_STATES: Partial<Record<OrderKind, string>> = {
  SHIPPED: 'WAIT_GOODS_RECEIVE_CONFIRM',
  DELIVERED: 'FINISHED_L',
};
const DOUYIN_STATES: Partial<Record<OrderKind, number>> = { UNPAID: 1, SHIPPED: 3, DELIVERED: 5 };
const WEBSHOP_STATES: Partial<Record<OrderKind, string>> = {
  UNPAID: 'CREATED',
  PRESALE: 'CREATED',
  SHIPPED: 'SHIPPED',
  DELIVERED: 'DELIVERED',
};

function taobaoTrade(rng: Prng, seq: number, f: OrderFacts): unknown {
  const tid = `35${pad(seq, 9)}${rng.digits(8)}`;
  const paid = f.kind !== 'UNPAID';
  const status = {
    PAID: 'WAIT_SELLER_SEND_GOODS',
    CUSTOM: 'WAIT_SELLER_SEND_GOODS',
    UNPAID: 'WAIT_BUYER_PAY',
    SHIPPED: 'WAIT_BUYER_CONFIRM_GOODS',
    DELIVERED: 'TRADE_FINISHED',
    PRESALE: 'WAIT_SELLER_SEND_GOODS',
  }[f.kind];
  const stepFullyPaid = f.kind === 'PRESALE' && rng.chance(0.5);
  const trade: Record<string, unknown> = {
    tid,
    type: f.kind === 'PRESALE' ? 'step' : 'fixed',
    status: f.kind === 'PRESALE' && !stepFullyPaid ? 'WAIT_BUYER_PAY' : status,
    payment: yuan(f.totalCents),
    total_fee: yuan(f.goodsCents),
    post_fee: yuan(f.shippingCents),
    discount_fee: yuan(f.discountCents),
    created: shanghaiLocal(f.createdMs),
    modified: shanghaiLocal(f.modifiedMs),
    receiver_name: f.buyerName,
    receiver_mobile: rng.chance(0.5)
      ? f.phone
      : `+86 ${f.phone.slice(0, 3)}-${f.phone.slice(3, 7)}-${f.phone.slice(7)}`,
    receiver_state: f.region[0],
    receiver_city: f.region[1],
    receiver_district: f.region[2],
    receiver_town: f.street,
    receiver_address: f.detail,
    orders: {
      order: f.lines.map((line, i) => ({
        oid: `${tid.slice(0, -1)}${i + 1}`,
        title: line.product.title,
        num: line.quantity,
        price: yuan(line.product.cents),
        cid: line.product.cid,
        outer_sku_id: line.product.sku,
        ...(f.kind === 'CUSTOM' && i === 0 ? { is_custom: true } : {}),
      })),
    },
  };
  if (paid) {
    trade.pay_time = shanghaiLocal(f.payMs);
    trade.alipay_no = `${shanghaiLocal(f.payMs).replace(/\D/g, '').slice(0, 8)}22001${pad(seq, 9)}${rng.digits(6)}`;
  }
  if (f.kind === 'PRESALE') {
    trade.step_trade_status = stepFullyPaid ? 'FRONT_PAID_FINAL_PAID' : 'FRONT_PAID_FINAL_NOPAID';
    trade.step_paid_fee = yuan(Math.floor(f.totalCents / 500) * 100);
  }
  return { trade_fullinfo_get_response: { trade } };
}

function jdOrder(rng: Prng, seq: number, f: OrderFacts): unknown {
  const presale = f.kind === 'PRESALE';
  const balancePaid = presale && rng.chance(0.5);
  const depositCents = Math.floor(f.totalCents / 500) * 100;
  const phone = `${f.phone.slice(0, 3)} ${f.phone.slice(3, 7)} ${f.phone.slice(7)}`;
  const order: Record<string, unknown> = {
    orderId: 300_000_000_000 + seq * 1000 + rng.int(0, 999),
    orderType: presale ? 'presale' : '22',
    orderState: JD_STATES[f.kind] ?? 'WAIT_SELLER_STOCK_OUT',
    orderTotalPrice: yuan(f.goodsCents),
    orderSellerPrice: yuan(f.totalCents - Math.floor(f.totalCents / 2000) * 100),
    orderPayment: yuan(f.totalCents),
    freightPrice: yuan(f.shippingCents),
    orderStartTime: shanghaiLocal(f.createdMs),
    paymentConfirmTime: shanghaiLocal(f.payMs),
    modified: shanghaiLocal(f.modifiedMs),
    paymentNo: `JDPAY${shanghaiLocal(f.payMs).replace(/\D/g, '')}${pad(seq, 9)}`,
    consigneeInfo: {
      fullname: f.buyerName,
      mobile: phone,
      telephone: '',
      province: f.region[0].replace(/省|市$/, ''),
      city: f.region[1],
      county: f.region[2],
      town: f.street,
      fullAddress: `${f.region[0]}${f.region[1]}${f.region[2]}${f.street}${f.detail}`,
    },
    itemInfoList: f.lines.map((line) => ({
      skuId: String(100_000_000_000 + line.product.cid * 7 + PRODUCTS.indexOf(line.product)),
      skuName: line.product.title,
      itemTotal: String(line.quantity),
      jdPrice: yuan(line.product.cents),
      outerSkuId: line.product.sku,
      categoryId: String(line.product.cid),
    })),
  };
  if (presale) {
    order.presaleInfo = {
      depositAmount: yuan(depositCents),
      balanceAmount: yuan(f.totalCents - depositCents),
      depositPayTime: shanghaiLocal(f.payMs),
      ...(balancePaid ? { balancePayTime: shanghaiLocal(f.modifiedMs) } : {}),
      expectedShipTime: shanghaiLocal(f.createdMs + 14 * 24 * 3600 * 1000),
    };
  }
  return order;
}

function douyinOrder(rng: Prng, seq: number, f: OrderFacts): unknown {
  const shopOrderId = `69${pad(seq, 9)}${rng.digits(8)}`;
  const paid = f.kind !== 'UNPAID';
  return {
    shop_order_id: shopOrderId,
    order_status: DOUYIN_STATES[f.kind] ?? 2,
    order_type: 0,
    pre_sale_type: f.kind === 'PRESALE' ? 1 : 0,
    order_amount: f.totalCents,
    pay_amount: f.totalCents,
    post_amount: f.shippingCents,
    create_time: unixSeconds(f.createdMs),
    pay_time: paid ? unixSeconds(f.payMs) : 0,
    update_time: unixSeconds(f.modifiedMs),
    ...(f.kind === 'PRESALE' ? { exp_ship_time: unixSeconds(f.createdMs + 10 * 24 * 3600 * 1000) } : {}),
    ...(paid ? { channel_payment_no: `TP${shanghaiLocal(f.payMs).replace(/\D/g, '')}${pad(seq, 9)}` } : {}),
    post_receiver: f.buyerName,
    post_tel: `${f.phone.slice(0, 3)}-${f.phone.slice(3, 7)}-${f.phone.slice(7)}`,
    post_addr: {
      province: { name: f.region[0], id: '33' },
      city: { name: f.region[1], id: '3301' },
      town: { name: f.region[2], id: '330106' },
      street: { name: f.street, id: '330106999' },
      detail: f.detail,
    },
    sku_order_list: f.lines.map((line, i) => ({
      sku_order_id: `${shopOrderId.slice(0, -1)}${i + 1}`,
      product_name: line.product.title,
      item_num: line.quantity,
      ...(rng.chance(0.5)
        ? { sku_price: line.product.cents }
        : { origin_amount: line.product.cents * line.quantity }),
      first_cid: 20000,
      third_cid: line.product.cid,
      out_sku_id: line.product.sku,
      ...(f.kind === 'CUSTOM' && i === 0 ? { sku_customization_info: [{ text: '刻字：演示文字' }] } : {}),
    })),
  };
}

function webshopOrder(rng: Prng, seq: number, f: OrderFacts): unknown {
  const presale = f.kind === 'PRESALE';
  const paid = f.kind !== 'UNPAID' && !presale;
  const depositCents = Math.floor(f.totalCents / 500) * 100;
  return {
    orderNo: `WS${shanghaiLocal(f.createdMs).replace(/\D/g, '').slice(0, 8)}${pad(seq, 9)}`,
    status: WEBSHOP_STATES[f.kind] ?? 'PAID',
    businessType: presale ? 'PRESALE' : f.kind === 'CUSTOM' ? 'CUSTOM' : 'NORMAL',
    createdAt: isoShanghai(f.createdMs),
    paidAt: paid ? isoShanghai(f.payMs) : null,
    updatedAt: isoShanghai(f.modifiedMs),
    goodsCents: f.goodsCents,
    shippingCents: f.shippingCents,
    totalCents: f.totalCents,
    paidCents: paid ? f.totalCents : presale ? depositCents : 0,
    presale: presale
      ? {
          depositCents,
          balanceCents: f.totalCents - depositCents,
          depositPaidAt: isoShanghai(f.payMs),
          balancePaidAt: null,
          promisedShipAt: isoShanghai(f.createdMs + 20 * 24 * 3600 * 1000),
        }
      : null,
    buyer: { name: f.buyerName, phone: rng.chance(0.3) ? `+86 ${f.phone}` : f.phone },
    shippingAddress: {
      province: f.region[0],
      city: f.region[1],
      district: f.region[2],
      street: null,
      detail: f.detail,
    },
    items: f.lines.map((line, i) => ({
      lineNo: String(i + 1),
      sku: line.product.sku,
      title: f.kind === 'CUSTOM' && i === 0 ? `${line.product.title}（定制：演示文字）` : line.product.title,
      quantity: line.quantity,
      unitPriceCents: line.product.cents,
      category: line.product.category,
    })),
    paymentNo: paid ? `4200001234${pad(seq, 9)}${rng.digits(9)}` : null,
  };
}
