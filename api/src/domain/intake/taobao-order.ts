import type { OrderState } from '../order/order-types.js';
import {
  CHANNEL_ID,
  FieldReader,
  FLAG,
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
  readStatus,
  requirePayTime,
  settleClosed,
} from './intake-rules.js';
import type { NormalizedItem, NormalizedOrder, PresaleTerms } from './normalized-order.js';
import { isRecord } from './parse-helpers.js';

/**
 * Taobao / Tmall trade (`taobao.trade.fullinfo.get`) → NormalizedOrder.
 *
 * Accepts the bare trade, `{ "trade": {…} }` or the API envelope
 * `{ "trade_fullinfo_get_response": { "trade": {…} } }`. Error paths are relative to the trade
 * (`orders[2].price`). Sub-orders may come as `orders: [...]` or, as the TOP API sends them,
 * `orders: { order: [...] }` (paths are then `orders.order[2].price`).
 *
 * Money: yuan strings. `total_fee` → goodsCents, `post_fee` → shippingCents (0 when absent),
 * `payment` → totalCents; paidCents is `payment` once `pay_time` is set, else 0.
 * Times: Asia/Shanghai local strings. sourceUpdatedAt = `modified`, else the latest of
 * `created` and `pay_time`.
 *
 * Business type: `type` "step" (分阶段付款) ⇒ PRESALE. A sub-order with `is_custom: true` ⇒ CUSTOM
 * (which wins, see `businessTypeOf`). Titles are not searched for 定制: a style named "定制款"
 * is no made-to-order job, and SLA routing must not hinge on copywriting.
 *
 * Presale (`type` "step"): `step_trade_status` says which stage is paid; while the trade status is
 * still CREATED or PAID the stage decides (the order is PAID only once the balance is in).
 * `step_paid_fee` is the deposit (required once it is paid); the balance is `payment` − deposit.
 * Taobao gives one `pay_time`; it is read as the time of the latest stage paid, so it is the
 * deposit time while only the deposit is paid and the balance time after. The deposit time of a
 * fully paid step trade is therefore unknown (null).
 */

/** `TRADE_CLOSED` happens before payment (timeout) or after (full refund); see `settleClosed`. */
export const TAOBAO_STATUS_MAP: ChannelStatusTable = {
  TRADE_NO_CREATE_PAY: 'CREATED',
  WAIT_BUYER_PAY: 'CREATED',
  PAY_PENDING: 'CREATED', // foreign card payment being confirmed
  WAIT_PRE_AUTH_CONFIRM: 'CREATED', // 0-yuan purchase contract pending
  WAIT_SELLER_SEND_GOODS: 'PAID',
  SELLER_CONSIGNED_PART: 'SHIPPED',
  WAIT_BUYER_CONFIRM_GOODS: 'SHIPPED',
  TRADE_BUYER_SIGNED: 'DELIVERED',
  TRADE_FINISHED: 'DELIVERED',
  TRADE_CLOSED: 'CLOSED',
  TRADE_CLOSED_BY_TAOBAO: 'CANCELLED', // closed by Taobao before payment
};

type StepStage = 'NOTHING_PAID' | 'DEPOSIT_PAID' | 'FULLY_PAID';

export const TAOBAO_STEP_STATUS_MAP: Readonly<Record<string, StepStage>> = {
  FRONT_NOPAID_FINAL_NOPAID: 'NOTHING_PAID',
  FRONT_PAID_FINAL_NOPAID: 'DEPOSIT_PAID',
  FRONT_PAID_FINAL_PAID: 'FULLY_PAID',
};

const TAOBAO_LINE_FIELDS = [
  'num_iid',
  'sku_id',
  'sku_properties_name',
  'total_fee',
  'payment',
  'discount_fee',
  'adjust_fee',
  'divide_order_fee',
  'part_mjz_discount',
  'status',
  'refund_status',
  'refund_id',
  'pic_path',
  'outer_iid',
  'logistics_company',
  'invoice_no',
  'shipping_type',
  'consign_time',
  'end_time',
  'is_oversold',
  'snapshot_url',
  'order_from',
  'buyer_rate',
  'seller_rate',
  'seller_type',
  'is_custom',
];

/**
 * Fields of `taobao.trade.fullinfo.get` that are not read (or only on step trades). Paths are
 * relative to the trade, whichever envelope it came in.
 */
export const TAOBAO_KNOWN_FIELDS: KnownFields = {
  '': [
    'discount_fee',
    'adjust_fee',
    'received_payment',
    'buyer_nick',
    'seller_nick',
    'buyer_open_uid',
    'num',
    'num_iid',
    'title',
    'price',
    'pic_path',
    'shipping_type',
    'consign_time',
    'end_time',
    'buyer_message',
    'seller_memo',
    'seller_flag',
    'buyer_rate',
    'seller_rate',
    'receiver_zip',
    'receiver_phone',
    'receiver_country',
    'trade_from',
    'has_post_fee',
    'point_fee',
    'real_point_fee',
    'buyer_obtain_point_fee',
    'cod_fee',
    'cod_status',
    'invoice_name',
    'invoice_type',
    'is_part_consign',
    'service_tags',
    'promotion_details',
    'oaid',
    'step_trade_status',
    'step_paid_fee',
  ],
  'orders[]': TAOBAO_LINE_FIELDS,
  'orders.order[]': TAOBAO_LINE_FIELDS,
};

export function parseTaobaoOrder(raw: unknown): Parsed<NormalizedOrder> {
  const trade = FieldReader.root(unwrapTrade(raw), TAOBAO_KNOWN_FIELDS);

  const channelOrderNo = trade.required('tid', CHANNEL_ID);
  const status = readStatus(trade, 'status', TAOBAO_STATUS_MAP, 'Taobao trade status');
  const createdAt = trade.required('created', SHANGHAI_TIME);
  const payTime = trade.optional('pay_time', SHANGHAI_TIME);
  const modified = trade.optional('modified', SHANGHAI_TIME);
  const goodsCents = trade.required('total_fee', YUAN);
  const shippingCents = trade.optional('post_fee', YUAN) ?? 0;
  const totalCents = trade.required('payment', YUAN);
  const lines = readLines(trade);

  const mainState = status.mapped && settleClosed(status.mapped, payTime !== null);
  const isStep = trade.optional('type', TEXT) === 'step';
  const payment = isStep
    ? readStepPayment(trade, mainState, totalCents, payTime)
    : { state: mainState, paidCents: payTime ? totalCents : 0, paidAt: payTime, presale: null };
  requirePayTime(trade, 'pay_time', payment.state, payTime);

  return trade.finish<NormalizedOrder>({
    channel: 'TAOBAO',
    channelOrderNo,
    businessType: businessTypeOf({ presale: isStep, custom: lines.some((line) => line.custom) }),
    state: payment.state ?? 'CREATED',
    channelStatus: status.code,
    createdAt,
    paidAt: payment.paidAt,
    sourceUpdatedAt: modified ?? latestOf(createdAt, payTime),
    goodsCents,
    shippingCents,
    totalCents,
    paidCents: payment.paidCents,
    presale: payment.presale,
    buyer: { name: trade.required('receiver_name', TEXT), phone: trade.required('receiver_mobile', MOBILE) },
    address: {
      province: trade.optional('receiver_state', TEXT),
      city: trade.optional('receiver_city', TEXT),
      district: trade.optional('receiver_district', TEXT),
      street: trade.optional('receiver_town', TEXT),
      detail: trade.required('receiver_address', TEXT),
    },
    items: lines.map((line) => line.item),
    paymentNo: trade.optional('alipay_no', CHANNEL_ID),
  });
}

function unwrapTrade(raw: unknown): unknown {
  const envelope = isRecord(raw) ? raw['trade_fullinfo_get_response'] : undefined;
  const holder = isRecord(envelope) ? envelope : raw;
  return isRecord(holder) && isRecord(holder['trade']) ? holder['trade'] : raw;
}

function readLines(trade: FieldReader): { item: NormalizedItem; custom: boolean }[] {
  const wrapped = isRecord(trade.raw('orders'));
  const lines = wrapped ? trade.object('orders').lines('order') : trade.lines('orders');
  return lines.map((line) => ({
    item: {
      lineNo: line.required('oid', CHANNEL_ID),
      sku: line.optional('outer_sku_id', TEXT),
      title: line.required('title', TEXT),
      quantity: line.required('num', QUANTITY),
      unitPriceCents: line.required('price', YUAN),
      category: line.optional('cid', CHANNEL_ID) ?? '',
    },
    custom: line.optional('is_custom', FLAG) === true,
  }));
}

function readStepPayment(
  trade: FieldReader,
  mainState: OrderState | undefined,
  totalCents: number,
  payTime: Date | null,
): { state: OrderState | undefined; paidCents: number; paidAt: Date | null; presale: PresaleTerms } {
  const stage = readStatus(
    trade,
    'step_trade_status',
    TAOBAO_STEP_STATUS_MAP,
    'Taobao step trade status',
  ).mapped;
  const depositPaid = stage === 'DEPOSIT_PAID' || stage === 'FULLY_PAID';
  const depositCents =
    (depositPaid ? trade.required('step_paid_fee', YUAN) : trade.optional('step_paid_fee', YUAN)) ?? 0;
  if (depositCents > totalCents) {
    trade.report('step_paid_fee', 'INCONSISTENT_AMOUNT', 'step_paid_fee (the deposit) exceeds payment.');
  }
  const balancePaidAt = stage === 'FULLY_PAID' ? payTime : null;
  const stillBeforeShipping = mainState === 'CREATED' || mainState === 'PAID';
  const stageState = stage && (stage === 'FULLY_PAID' ? 'PAID' : 'CREATED');
  return {
    state: stillBeforeShipping ? stageState : mainState,
    paidCents: stage === 'FULLY_PAID' ? totalCents : depositPaid ? depositCents : 0,
    paidAt: balancePaidAt,
    presale: {
      depositCents,
      balanceCents: Math.max(totalCents - depositCents, 0),
      depositPaidAt: stage === 'DEPOSIT_PAID' ? payTime : null,
      balancePaidAt,
      promisedShipAt: null,
    },
  };
}
