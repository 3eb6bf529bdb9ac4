import type { Channel } from '../order/order-types.js';
import type { FieldError } from '../shared/result.js';
import type { NormalizedOrder } from './normalized-order.js';

/** Where each channel keeps its money figures, and how strictly they must add up. */
interface TotalsRule {
  total: string;
  goods: string;
  shipping: string;
  /** The paid figure as its own field; null when it is derived from the total and the pay time. */
  paid: string | null;
  /**
   * The shop's own format: goods are the sum of the lines, a total above goods + shipping is an
   * error (the shop adds no tax or fee), and a paid order has paid its total. Everywhere a total
   * may be below goods + shipping (coupons, discounts). Marketplaces add cross-border tax or
   * change prices, and pay part of an order themselves (platform subsidies): there a total above
   * goods + shipping (up to `MARKETPLACE_TOTAL_ALLOWANCE_PERCENT`) and a paid figure below the
   * total are warnings for a person.
   */
  exact: boolean;
}

const RULES: Readonly<Record<Channel, TotalsRule>> = {
  WEBSHOP: {
    total: 'totalCents',
    goods: 'goodsCents',
    shipping: 'shippingCents',
    paid: 'paidCents',
    exact: true,
  },
  TAOBAO: { total: 'payment', goods: 'total_fee', shipping: 'post_fee', paid: null, exact: false },
  JD: { total: 'orderPayment', goods: 'orderTotalPrice', shipping: 'freightPrice', paid: null, exact: false },
  DOUYIN: {
    total: 'order_amount',
    goods: 'sku_order_list',
    shipping: 'post_amount',
    paid: 'pay_amount',
    exact: false,
  },
};

/**
 * How far a marketplace total may exceed goods + shipping, in per cent of goods + shipping, and
 * still be taken (with a warning): the highest cross-border e-commerce tax (VAT plus consumption
 * tax at 70 %) stays below 30 %. Further above, the figures contradict each other and the order
 * is refused like a web-shop order.
 */
export const MARKETPLACE_TOTAL_ALLOWANCE_PERCENT = 30;

/** Exact at any size: cents up to 2^53 times 130 leave the safe integers, bigints do not. */
const aboveAllowance = (total: number, goodsAndShipping: number) =>
  BigInt(total) * 100n > BigInt(goodsAndShipping) * BigInt(100 + MARKETPLACE_TOTAL_ALLOWANCE_PERCENT);

/** States in which the whole total has been paid, unless the order is a presale (deposit first). */
const FULLY_PAID_STATES = new Set([
  'PAID',
  'WAREHOUSE_ACCEPTED',
  'PICKING',
  'PACKED',
  'SHIPPED',
  'IN_TRANSIT',
]);

export interface TotalsCheck {
  /** The figures contradict each other: the order is refused. */
  errors: FieldError[];
  /** The figures differ in a way the channel allows; a person should look. */
  warnings: FieldError[];
}

/**
 * Checks that an order's items, shipping, total and paid figures agree within its channel's rules
 * (see `RULES`); each finding names the channel's own fields.
 */
export function checkTotals(order: NormalizedOrder): TotalsCheck {
  const rule = RULES[order.channel];
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];
  const { goodsCents: goods, shippingCents: shipping, totalCents: total, paidCents: paid } = order;
  const lines = order.items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);

  if (total > goods + shipping && (rule.exact || aboveAllowance(total, goods + shipping)))
    errors.push({
      field: rule.total,
      code: 'TOTAL_MISMATCH',
      message: rule.exact
        ? `${rule.total} (${total}) cannot be more than ${rule.goods} + ${rule.shipping} (${goods} + ${shipping})`
        : `${rule.total} (${total}) is more than ${MARKETPLACE_TOTAL_ALLOWANCE_PERCENT} % above ${rule.goods} + ${rule.shipping} (${goods} + ${shipping}); no tax or fee adds that much`,
    });
  else if (!rule.exact && total > goods + shipping)
    warnings.push({
      field: rule.total,
      code: 'TOTAL_ABOVE_GOODS_AND_SHIPPING',
      message: `${rule.total} (${total}) is more than ${rule.goods} + ${rule.shipping} (${goods} + ${shipping})`,
    });
  if (rule.exact && order.items.length > 0 && lines !== goods)
    errors.push({
      field: rule.goods,
      code: 'GOODS_MISMATCH',
      message: `${rule.goods} (${goods}) must equal the sum of the lines (${lines})`,
    });

  const paidField = rule.paid ?? rule.total;
  if (paid > total)
    errors.push({
      field: paidField,
      code: 'PAID_EXCEEDS_TOTAL',
      message: `${paidField} (${paid}) is more than ${rule.total} (${total})`,
    });
  else if (order.presale === null && FULLY_PAID_STATES.has(order.state) && paid !== total && rule.paid) {
    // A marketplace may pay part of the total itself (a platform subsidy): a person should see it.
    const finding = {
      field: rule.paid,
      code: rule.exact ? 'PAID_MISMATCH' : 'PAID_BELOW_TOTAL',
      message: `an order in ${order.state} has paid its total: ${rule.paid} (${paid}) differs from ${rule.total} (${total})`,
    };
    (rule.exact ? errors : warnings).push(finding);
  }
  return { errors, warnings };
}
