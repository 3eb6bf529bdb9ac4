import {
  CENTS,
  CHANNEL_ID,
  type FieldKind,
  FieldReader,
  FLAG,
  type KnownFields,
  MOBILE,
  type Parsed,
  QUANTITY,
  STATUS_CODE,
  TEXT,
  UNIX_TIME,
} from './field-reader.js';
import {
  businessTypeOf,
  type ChannelStatusTable,
  latestOf,
  presaleAwareState,
  presalePaidCents,
  readStatus,
  requirePayTime,
  settleClosed,
} from './intake-rules.js';
import type { NormalizedItem, NormalizedOrder, PresaleTerms } from './normalized-order.js';
import { isAbsent, isRecord } from './parse-helpers.js';

/**
 * Douyin shop order (抖店 `order.orderDetail` shop_order_detail) → NormalizedOrder.
 *
 * Money: fen integers. `order_amount` → totalCents, `post_amount` → shippingCents (0 when absent),
 * paidCents = `pay_amount` once `pay_time` is set. Douyin sends no goods total, so goodsCents is
 * the sum of the lines (unit price × quantity).
 * Times: unix seconds, 0 meaning "not yet". sourceUpdatedAt = `update_time`, else the latest time.
 *
 * Buyer: `post_receiver` and `post_tel`, decrypted by the connector (Douyin itself sends only
 * `encrypt_*` fields). Address: `post_addr.province/city/town/street` as `{ name, id }` objects or
 * plain strings — Douyin's `town` is the district (区/县), its `street` the street (街道/镇) —
 * and `post_addr.detail`.
 *
 * Lines `sku_order_list[]`: unit price = `sku_price` when sent, else `origin_amount` (Douyin's
 * original price × quantity) ÷ `item_num`, which must divide exactly. Category = `third_cid`,
 * else `first_cid`, else `product_category` (a cid of 0 counts as absent).
 *
 * Business type: PRESALE when `pre_sale_type` is non-zero (0 = 现货, 1 = 全款预售, …) on the shop
 * order or on any line; `order_type` is not used — on Douyin it says physical / virtual / voucher,
 * not presale. CUSTOM when any line carries a non-empty `sku_customization_info` (定制信息).
 *
 * Presale terms: with `order_phase_list` (定金预售), phase [0] is the deposit (its
 * `phase_pay_amount`, paid when `pay_success` with `phase_pay_time`) and phase [1] the balance
 * (balance = `order_amount` − deposit). Without phases (全款预售) there is no deposit: the
 * balance is the whole `order_amount`, paid at `pay_time`. `exp_ship_time` is the promised ship
 * time. The order is PAID only once the balance is paid.
 */

/** Status 4 (已取消) after payment is a refund (see `settleClosed`). */
export const DOUYIN_STATUS_MAP: ChannelStatusTable = {
  '1': 'CREATED', // 待确认 / 待支付
  '103': 'CREATED', // 部分支付 (presale deposit paid, balance due)
  '105': 'PAID', // 已支付
  '2': 'PAID', // 备货中
  '101': 'SHIPPED', // 部分发货
  '3': 'SHIPPED', // 已发货
  '4': 'CLOSED', // 已取消
  '5': 'DELIVERED', // 已完成
};

/** Douyin sends 0 for a category level it does not have. */
const CATEGORY_ID: FieldKind<string> = { ...CHANNEL_ID, isAbsent: (value) => isAbsent(value) || value === 0 };

const DOUYIN_REGION = ['name', 'id'];

/**
 * Fields of 抖店 `order.orderDetail` that are not read (or not always: the phases only on a
 * presale, `origin_amount` only without `sku_price`, a category only when the finer one is absent).
 */
export const DOUYIN_KNOWN_FIELDS: KnownFields = {
  '': [
    'order_type',
    'order_status_desc',
    'main_status',
    'main_status_desc',
    'b_type',
    'b_type_desc',
    'biz',
    'biz_desc',
    'pay_type',
    'shop_id',
    'shop_name',
    'finish_time',
    'ship_time',
    'exp_ship_time',
    'order_expire_time',
    'encrypt_post_tel',
    'encrypt_post_receiver',
    'mask_post_tel',
    'mask_post_receiver',
    'mask_post_addr',
    'post_insurance_amount',
    'promotion_amount',
    'buyer_words',
    'seller_words',
    'seller_remark_stars',
    'order_level',
    'cancel_reason',
    'user_tag_ui',
    'open_id',
    'doudian_open_id',
    'logistics_info',
    'order_phase_list',
    'trade_type',
    'modify_amount',
  ],
  post_addr: ['encrypt_detail'],
  'post_addr.province': DOUYIN_REGION,
  'post_addr.city': DOUYIN_REGION,
  'post_addr.town': DOUYIN_REGION,
  'post_addr.street': DOUYIN_REGION,
  'order_phase_list[]': [
    'phase_id',
    'phase_order_id',
    'phase_payable_price',
    'phase_sum_amount',
    'phase_payment_type',
    'phase_type',
    'phase_pay_type',
    'phase_status',
  ],
  'sku_order_list[]': [
    'origin_amount',
    'first_cid',
    'second_cid',
    'third_cid',
    'fourth_cid',
    'product_category',
    'product_id',
    'sku_id',
    'code',
    'spec',
    'goods_price',
    'order_amount',
    'pay_amount',
    'post_amount',
    'promotion_amount',
    'product_pic',
    'order_status',
    'main_status',
    'goods_type',
    'pre_sale_type',
    'sku_customization_info',
    'is_comment',
    'order_type',
  ],
};

export function parseDouyinOrder(raw: unknown): Parsed<NormalizedOrder> {
  const order = FieldReader.root(raw, DOUYIN_KNOWN_FIELDS);

  const channelOrderNo = order.required('shop_order_id', CHANNEL_ID);
  const status = readStatus(order, 'order_status', DOUYIN_STATUS_MAP, 'Douyin order status');
  const createdAt = order.required('create_time', UNIX_TIME);
  const payTime = order.optional('pay_time', UNIX_TIME);
  const updateTime = order.optional('update_time', UNIX_TIME);
  const totalCents = order.required('order_amount', CENTS);
  const payAmount = order.required('pay_amount', CENTS);
  const shippingCents = order.optional('post_amount', CENTS) ?? 0;
  const lines = readLines(order);

  const presale = isPresale(order, lines) ? readPresale(order, totalCents, payTime) : null;
  const mapped = status.mapped && settleClosed(status.mapped, payTime !== null);
  const state = presaleAwareState(mapped, presale);
  requirePayTime(order, 'pay_time', state, payTime);

  const goodsCents = lines.reduce((sum, { item }) => sum + item.unitPriceCents * item.quantity, 0);
  if (!Number.isSafeInteger(goodsCents)) {
    order.report('sku_order_list', 'INVALID_MONEY', 'sku_order_list adds up to more than an order can hold.');
  }
  const address = order.object('post_addr');

  return order.finish<NormalizedOrder>({
    channel: 'DOUYIN',
    channelOrderNo,
    businessType: businessTypeOf({ presale: presale !== null, custom: lines.some((line) => line.custom) }),
    state: state ?? 'CREATED',
    channelStatus: status.code,
    createdAt,
    paidAt: presale ? presale.balancePaidAt : payTime,
    sourceUpdatedAt: updateTime ?? latestOf(createdAt, payTime, presale?.depositPaidAt ?? null),
    goodsCents,
    shippingCents,
    totalCents,
    paidCents: presale ? presalePaidCents(presale) : payTime ? payAmount : 0,
    presale,
    buyer: { name: order.required('post_receiver', TEXT), phone: order.required('post_tel', MOBILE) },
    address: {
      province: regionName(address, 'province'),
      city: regionName(address, 'city'),
      district: regionName(address, 'town'),
      street: regionName(address, 'street'),
      detail: address.required('detail', TEXT),
    },
    items: lines.map((line) => line.item),
    paymentNo: order.optional('channel_payment_no', CHANNEL_ID),
  });
}

interface DouyinLine {
  item: NormalizedItem;
  custom: boolean;
  presale: boolean;
}

function readLines(order: FieldReader): DouyinLine[] {
  return order.lines('sku_order_list').map((line) => {
    const quantity = line.required('item_num', QUANTITY);
    const customization = line.raw('sku_customization_info');
    const item: NormalizedItem = {
      lineNo: line.required('sku_order_id', CHANNEL_ID),
      sku: line.optional('out_sku_id', TEXT),
      title: line.required('product_name', TEXT),
      quantity,
      unitPriceCents: line.has('sku_price')
        ? line.required('sku_price', CENTS)
        : unitPriceFromLineTotal(line, quantity),
      category:
        line.optional('third_cid', CATEGORY_ID) ??
        line.optional('first_cid', CATEGORY_ID) ??
        line.optional('product_category', CATEGORY_ID) ??
        '',
    };
    return {
      item,
      custom: Array.isArray(customization) && customization.length > 0,
      presale: isPresaleCode(line.optional('pre_sale_type', STATUS_CODE)),
    };
  });
}

const isPresaleCode = (preSaleType: string | null) => preSaleType !== null && preSaleType !== '0';

function unitPriceFromLineTotal(line: FieldReader, quantity: number): number {
  const lineTotal = line.required('origin_amount', CENTS);
  if (lineTotal % quantity === 0) return lineTotal / quantity;
  if (!line.hasDefect('item_num')) {
    line.report(
      'origin_amount',
      'INCONSISTENT_AMOUNT',
      `${line.pathOf('origin_amount')} does not divide by item_num.`,
    );
  }
  return 0;
}

function isPresale(order: FieldReader, lines: DouyinLine[]): boolean {
  return isPresaleCode(order.optional('pre_sale_type', STATUS_CODE)) || lines.some((line) => line.presale);
}

function readPresale(order: FieldReader, totalCents: number, payTime: Date | null): PresaleTerms {
  const promisedShipAt = order.optional('exp_ship_time', UNIX_TIME);
  if (!order.has('order_phase_list')) {
    return {
      depositCents: 0,
      balanceCents: totalCents,
      depositPaidAt: null,
      balancePaidAt: payTime,
      promisedShipAt,
    };
  }
  const [deposit, balance] = order.lines('order_phase_list').map((phase) => {
    const paid = phase.optional('pay_success', FLAG) === true;
    return {
      cents: phase.required('phase_pay_amount', CENTS),
      paidAt: paid ? phase.required('phase_pay_time', UNIX_TIME) : null,
    };
  });
  const depositCents = deposit?.cents ?? 0;
  if (depositCents > totalCents) {
    order.report('order_phase_list', 'INCONSISTENT_AMOUNT', 'The deposit phase exceeds order_amount.');
  }
  return {
    depositCents,
    balanceCents: Math.max(totalCents - depositCents, 0),
    depositPaidAt: deposit?.paidAt ?? null,
    balancePaidAt: balance?.paidAt ?? null,
    promisedShipAt,
  };
}

/** A region part: `{ name, id }` as Douyin sends it, or a plain string. */
function regionName(address: FieldReader, key: string): string | null {
  const value = address.raw(key);
  if (isRecord(value)) return address.object(key).optional('name', TEXT);
  if (typeof value === 'string' || isAbsent(value)) return address.optional(key, TEXT);
  address.report(key, 'INVALID_TYPE', `${address.pathOf(key)} must be an object with a name, or a string.`);
  return null;
}
