import { shanghaiIsoTime, shanghaiLocalTime } from '../../domain/sla/business-time.js';
import type { DemoOrder } from './demo-orders.js';

/**
 * Demo orders written out in each channel's own payload format (Taobao trade, JD order, Douyin
 * shop order, web shop order), so they enter the pool exactly as real ones do.
 */

const DAY = 24 * 60 * 60_000;

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
      return `WS${shanghaiLocalTime(order.orderedAt).slice(0, 10).replaceAll('-', '')}${serial.padStart(14, '0')}`;
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
        created: shanghaiLocalTime(order.orderedAt),
        pay_time: payTime ? shanghaiLocalTime(payTime) : null,
        modified: shanghaiLocalTime(latest(order.orderedAt, order.depositPaidAt, order.paidAt)),
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
    orderStartTime: shanghaiLocalTime(order.orderedAt),
    paymentConfirmTime: confirmed ? shanghaiLocalTime(confirmed) : null,
    modified: shanghaiLocalTime(latest(order.orderedAt, order.depositPaidAt, order.paidAt)),
    paymentNo: paymentRef('JDPAY', order),
    ...(presale
      ? {
          presaleInfo: {
            depositAmount: yuan(order.depositCents),
            balanceAmount: yuan(order.totalCents - order.depositCents),
            depositPayTime: order.depositPaidAt ? shanghaiLocalTime(order.depositPaidAt) : null,
            balancePayTime: order.paidAt ? shanghaiLocalTime(order.paidAt) : null,
            expectedShipTime: shanghaiLocalTime(new Date(order.orderedAt.getTime() + 20 * DAY)),
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
          exp_ship_time: unixSeconds(new Date(order.orderedAt.getTime() + 15 * DAY)),
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
    createdAt: shanghaiIsoTime(order.orderedAt),
    paidAt: order.paidAt ? shanghaiIsoTime(order.paidAt) : null,
    updatedAt: shanghaiIsoTime(latest(order.orderedAt, order.depositPaidAt, order.paidAt)),
    goodsCents: order.goodsCents,
    shippingCents: order.shippingCents,
    totalCents: order.totalCents,
    paidCents,
    presale:
      order.businessType === 'PRESALE'
        ? {
            depositCents: order.depositCents,
            balanceCents: order.totalCents - order.depositCents,
            depositPaidAt: order.depositPaidAt ? shanghaiIsoTime(order.depositPaidAt) : null,
            balancePaidAt: order.paidAt ? shanghaiIsoTime(order.paidAt) : null,
            promisedShipAt: shanghaiIsoTime(new Date(order.orderedAt.getTime() + 10 * DAY)),
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
