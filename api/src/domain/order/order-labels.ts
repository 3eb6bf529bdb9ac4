import { businessDate, formatShanghai, startOfBusinessDay } from '../sla/business-time.js';
import type { OrderState } from './order-types.js';

/**
 * When the next step is expected, as the SLA policy or the ETA estimate says (for CANCELLED: the
 * refund, passed only for a paid order). `by` wins when both are given; a `by` already past, or a non-positive `withinMinutes`, is left out rather
 * than shown as a promise already broken.
 */
export interface StatusExpectation {
  withinMinutes?: number;
  by?: Date;
}

interface CustomerLabel {
  text: string;
  /** How an expected time reads in this state: `${lead}${when}${verb}`, e.g. 预计 | 2小时内 | 完成. */
  expect?: { lead: string; verb: string };
}

const CUSTOMER_LABELS: Readonly<Record<OrderState, CustomerLabel>> = {
  CREATED: { text: '订单已提交，等待付款', expect: { lead: '请在', verb: '完成付款' } },
  PAID: { text: '付款成功，等待仓库接单', expect: { lead: '预计', verb: '开始拣货' } },
  WAREHOUSE_ACCEPTED: { text: '仓库已接单，即将拣货', expect: { lead: '预计', verb: '开始拣货' } },
  PICKING: { text: '仓库拣货中', expect: { lead: '预计', verb: '完成' } },
  PACKED: { text: '商品已打包，等待快递揽收', expect: { lead: '预计', verb: '发货' } },
  SHIPPED: { text: '已发货，已交给快递', expect: { lead: '预计', verb: '送达' } },
  IN_TRANSIT: { text: '运输途中', expect: { lead: '预计', verb: '送达' } },
  OUT_FOR_DELIVERY: { text: '快递员正在派送', expect: { lead: '预计', verb: '送达' } },
  DELIVERED: { text: '已签收' },
  CANCELLED: { text: '订单已取消', expect: { lead: '退款预计', verb: '原路退回' } },
  DELIVERY_FAILED: { text: '派送未成功，等待再次派送', expect: { lead: '预计', verb: '再次派送' } },
  RETURNING: { text: '商品退回中', expect: { lead: '预计', verb: '退回仓库' } },
  RETURNED: { text: '退货已入库，等待退款', expect: { lead: '退款预计', verb: '原路退回' } },
  REFUNDED: { text: '退款已原路退回' },
};

const STAFF_LABELS: Readonly<Record<OrderState, string>> = {
  CREATED: '待付款',
  PAID: '已付款',
  WAREHOUSE_ACCEPTED: '仓库已接单',
  PICKING: '拣货中',
  PACKED: '已打包',
  SHIPPED: '已发货',
  IN_TRANSIT: '运输中',
  OUT_FOR_DELIVERY: '派送中',
  DELIVERED: '已签收',
  CANCELLED: '已取消',
  DELIVERY_FAILED: '派送失败',
  RETURNING: '退回中',
  RETURNED: '已退回',
  REFUNDED: '已退款',
};

/** What the customer reads on the H5 page and in SMS, e.g. "仓库拣货中（预计2小时内完成）". */
export function customerStatusLabel(
  state: OrderState,
  expectation?: StatusExpectation,
  now = new Date(),
): string {
  const { text, expect } = CUSTOMER_LABELS[state];
  const when = expect && expectation ? describeWhen(expectation, now) : null;
  return expect && when ? `${text}（${expect.lead}${when}${expect.verb}）` : text;
}

/** The short label staff lists and filters show, e.g. "拣货中". */
export function staffStatusLabel(state: OrderState): string {
  return STAFF_LABELS[state];
}

function describeWhen({ withinMinutes, by }: StatusExpectation, now: Date): string | null {
  if (by && by.getTime() > now.getTime()) return `${formatShanghaiTime(by, now)}前`;
  if (withinMinutes !== undefined && Number.isFinite(withinMinutes) && withinMinutes > 0) {
    return `${formatChineseDuration(withinMinutes)}内`;
  }
  return null;
}

const MINUTES_PER_DAY = 24 * 60;
const DAY_MS = MINUTES_PER_DAY * 60_000;

/**
 * "30分钟", "2小时", "2小时30分钟", "1天", "1天6小时". Rounds up, so a promise made from it is
 * never shorter than the real allowance.
 */
export function formatChineseDuration(minutes: number): string {
  const total = Math.max(1, Math.ceil(minutes));
  if (total < 60) return `${total}分钟`;
  if (total < MINUTES_PER_DAY) {
    const rest = total % 60;
    return `${Math.floor(total / 60)}小时${rest ? `${rest}分钟` : ''}`;
  }
  let days = Math.floor(total / MINUTES_PER_DAY);
  let hours = Math.ceil((total % MINUTES_PER_DAY) / 60);
  if (hours === 24) [days, hours] = [days + 1, 0];
  return `${days}天${hours ? `${hours}小时` : ''}`;
}

/**
 * A time in Asia/Shanghai as a customer reads it, relative to `now`: "今天 18:00", "明天 09:30",
 * "11月26日 18:00", and with the year when it is not this year.
 */
export function formatShanghaiTime(at: Date, now: Date): string {
  const [date, clock] = formatShanghai(at).split(' ');
  const days = Math.round((startOfBusinessDay(at).getTime() - startOfBusinessDay(now).getTime()) / DAY_MS);
  if (days === 0) return `今天 ${clock}`;
  if (days === 1) return `明天 ${clock}`;
  const [year, month, day] = date.split('-').map(Number);
  const sameYear = businessDate(now).startsWith(`${year}-`);
  return `${sameYear ? '' : `${year}年`}${month}月${day}日 ${clock}`;
}
