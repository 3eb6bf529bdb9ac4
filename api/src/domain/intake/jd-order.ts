import {
  CHANNEL_ID,
  FieldReader,
  type KnownFields,
  MOBILE,
  type Parsed,
  QUANTITY,
  SHANGHAI_TIME,
  TEXT,
  YUAN,
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
import type { NormalizedOrder, PresaleTerms } from './normalized-order.js';

/**
 * JD POP order (`jingdong.pop.order.get` orderInfo) → NormalizedOrder.
 *
 * Money: yuan strings (numbers accepted). `orderTotalPrice` → goodsCents, `freightPrice` →
 * shippingCents (0 when absent), `orderPayment` → totalCents; paidCents is `orderPayment` once
 * `paymentConfirmTime` is set. `orderSellerPrice` (the merchant's receivable) is not read: the
 * order pool has no slot for it and reconciliation takes it from the settlement bill.
 * Times: Asia/Shanghai local strings. sourceUpdatedAt = `modified`, else the latest time given.
 *
 * Buyer phone: `consigneeInfo.mobile`, or `consigneeInfo.telephone` when JD sent only that (it
 * must then be a mobile number too). Address: province/city/county/town, detail = `fullAddress`.
 * Lines: `itemInfoList[]`; category = `categoryId`, else `cid`, else "". Payment reference =
 * `paymentNo`, else `payNo`.
 *
 * Business type: PRESALE when `orderType` is "presale" or a `presaleInfo` object is present
 * (`orderType` "presale" without `presaleInfo` is an error: deposit and balance are needed for
 * reconciliation). JD has no customisation flag, so JD orders are never CUSTOM.
 *
 * `presaleInfo` (the connector's shape): `depositAmount`, `balanceAmount` (yuan, required),
 * `depositPayTime`, `balancePayTime`, `expectedShipTime` (Asia/Shanghai local, optional).
 * A presale order is PAID only once the balance is paid: a state JD reports as paid stays
 * CREATED until `balancePayTime` is set.
 */

/** TRADE_CANCELED after payment is a refund (see `settleClosed`); LOCKED (a cancellation under
 * review) is treated as CANCELLED so nobody ships it. */
export const JD_STATUS_MAP: ChannelStatusTable = {
  WAIT_SELLER_STOCK_OUT: 'PAID', // 等待出库
  WAIT_SELLER_DELIVERY: 'PAID', // 等待发货 (cross-border, domestic leg)
  POP_ORDER_PAUSE: 'PAID', // paused by JD, still to be shipped
  PAUSE: 'PAID',
  WAIT_GOODS_RECEIVE_CONFIRM: 'SHIPPED', // 等待确认收货
  FINISHED_L: 'DELIVERED', // 完成
  TRADE_CANCELED: 'CLOSED',
  LOCKED: 'CANCELLED',
};

/**
 * Fields of `jingdong.pop.order.get` orderInfo that are not read (or not always: `telephone` only
 * without `mobile`, `cid` only without `categoryId`, `payNo` only without `paymentNo`).
 */
export const JD_KNOWN_FIELDS: KnownFields = {
  '': [
    'orderSellerPrice',
    'venderId',
    'payType',
    'orderRemark',
    'venderRemark',
    'sellerDiscount',
    'balanceUsed',
    'orderEndTime',
    'deliveryType',
    'invoiceInfo',
    'invoiceEasyInfo',
    'invoiceCode',
    'couponDetailList',
    'pin',
    'open_id',
    'open_id_buyer',
    'xid_buyer',
    'returnOrder',
    'storeOrder',
    'storeId',
    'idSopShipmenttype',
    'scDT',
    'logisticsId',
    'waybill',
    'orderSource',
    'customsModel',
    'payNo',
    'presaleInfo',
    'orderType',
  ],
  consigneeInfo: ['telephone', 'provinceId', 'cityId', 'countyId', 'townId', 'desen_mobile'],
  'itemInfoList[]': [
    'wareId',
    'productNo',
    'giftPoint',
    'newStoreId',
    'skuFullName',
    'cid',
    'invoiceContentId',
  ],
};

export function parseJdOrder(raw: unknown): Parsed<NormalizedOrder> {
  const order = FieldReader.root(raw, JD_KNOWN_FIELDS);

  const channelOrderNo = order.required('orderId', CHANNEL_ID);
  const status = readStatus(order, 'orderState', JD_STATUS_MAP, 'JD order state');
  const createdAt = order.required('orderStartTime', SHANGHAI_TIME);
  const paymentConfirmTime = order.optional('paymentConfirmTime', SHANGHAI_TIME);
  const modified = order.optional('modified', SHANGHAI_TIME);
  const goodsCents = order.required('orderTotalPrice', YUAN);
  const shippingCents = order.optional('freightPrice', YUAN) ?? 0;
  const totalCents = order.required('orderPayment', YUAN);

  const presale = readPresale(order);
  const anythingPaid = paymentConfirmTime !== null || Boolean(presale?.depositPaidAt);
  const mapped = status.mapped && settleClosed(status.mapped, anythingPaid);
  const state = presaleAwareState(mapped, presale);
  if (!presale) requirePayTime(order, 'paymentConfirmTime', state, paymentConfirmTime);

  const consignee = order.object('consigneeInfo');
  const mobileKey = consignee.has('mobile') || !consignee.has('telephone') ? 'mobile' : 'telephone';

  return order.finish<NormalizedOrder>({
    channel: 'JD',
    channelOrderNo,
    businessType: businessTypeOf({ presale: presale !== null, custom: false }),
    state: state ?? 'CREATED',
    channelStatus: status.code,
    createdAt,
    paidAt: presale ? presale.balancePaidAt : paymentConfirmTime,
    sourceUpdatedAt:
      modified ??
      latestOf(createdAt, paymentConfirmTime, presale?.depositPaidAt ?? null, presale?.balancePaidAt ?? null),
    goodsCents,
    shippingCents,
    totalCents,
    paidCents: presale ? presalePaidCents(presale) : paymentConfirmTime ? totalCents : 0,
    presale,
    buyer: { name: consignee.required('fullname', TEXT), phone: consignee.required(mobileKey, MOBILE) },
    address: {
      province: consignee.optional('province', TEXT),
      city: consignee.optional('city', TEXT),
      district: consignee.optional('county', TEXT),
      street: consignee.optional('town', TEXT),
      detail: consignee.required('fullAddress', TEXT),
    },
    items: order.lines('itemInfoList').map((line) => ({
      lineNo: line.required('skuId', CHANNEL_ID),
      sku: line.optional('outerSkuId', TEXT),
      title: line.required('skuName', TEXT),
      quantity: line.required('itemTotal', QUANTITY),
      unitPriceCents: line.required('jdPrice', YUAN),
      category: line.optional('categoryId', CHANNEL_ID) ?? line.optional('cid', CHANNEL_ID) ?? '',
    })),
    paymentNo: order.optional('paymentNo', CHANNEL_ID) ?? order.optional('payNo', CHANNEL_ID),
  });
}

function readPresale(order: FieldReader): PresaleTerms | null {
  const orderType = order.raw('orderType');
  // Only a string can say "presale"; String() on an object with a non-callable toString throws.
  const saysPresale = typeof orderType === 'string' && orderType.toLowerCase() === 'presale';
  if (!saysPresale && !order.has('presaleInfo')) return null;
  const info = order.object('presaleInfo');
  return {
    depositCents: info.required('depositAmount', YUAN),
    balanceCents: info.required('balanceAmount', YUAN),
    depositPaidAt: info.optional('depositPayTime', SHANGHAI_TIME),
    balancePaidAt: info.optional('balancePayTime', SHANGHAI_TIME),
    promisedShipAt: info.optional('expectedShipTime', SHANGHAI_TIME),
  };
}
