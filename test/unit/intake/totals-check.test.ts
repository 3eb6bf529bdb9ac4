import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseChannelOrder } from '../../../api/src/domain/intake/parse-channel-order.js';
import { checkTotals } from '../../../api/src/domain/intake/totals-check.js';
import type { Channel } from '../../../api/src/domain/order/order-types.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(`test/fixtures/channels/${name}.json`, 'utf8')) as Record<string, unknown>;

function parsed(channel: Channel, raw: unknown) {
  const result = parseChannelOrder(channel, raw);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

describe('checkTotals', () => {
  it('accepts every channel fixture as it is', () => {
    for (const file of readdirSync('test/fixtures/channels').filter((f) => !f.includes('malformed'))) {
      const channel = file.split('-')[0].toUpperCase() as Channel;
      const order = parsed(channel, fixture(file.replace(/\.json$/, '')));
      expect(checkTotals(order).errors, file).toEqual([]);
    }
  });

  it('refuses a web shop order whose figures do not add up, naming the fields', () => {
    const order = parsed('WEBSHOP', {
      ...fixture('webshop-custom'),
      goodsCents: 100,
      shippingCents: 100,
      totalCents: 999_999,
      paidCents: 5,
      items: [{ lineNo: '1', sku: 'A', title: '样品', quantity: 1, unitPriceCents: 100, category: 'x' }],
    });
    const { errors } = checkTotals(order);
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['totalCents', 'TOTAL_MISMATCH'],
      ['paidCents', 'PAID_MISMATCH'],
    ]);
    expect(errors[0].message).toBe(
      'totalCents (999999) cannot be more than goodsCents + shippingCents (100 + 100)',
    );
  });

  it('refuses lines that do not make the goods total, and a payment above the total', () => {
    const base = fixture('webshop-custom');
    expect(
      checkTotals(parsed('WEBSHOP', { ...base, goodsCents: 25_000, totalCents: 26_000, paidCents: 26_000 }))
        .errors,
    ).toEqual([expect.objectContaining({ field: 'goodsCents', code: 'GOODS_MISMATCH' })]);
    expect(checkTotals(parsed('WEBSHOP', { ...base, paidCents: 26_801 })).errors).toEqual([
      expect.objectContaining({ field: 'paidCents', code: 'PAID_EXCEEDS_TOTAL' }),
    ]);
  });

  it('warns, without refusing, when a marketplace paid less than the total (a platform subsidy)', () => {
    const { errors, warnings } = checkTotals(parsed('DOUYIN', fixture('douyin-normal')));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ field: 'pay_amount', code: 'PAID_BELOW_TOTAL' })]);
  });

  it('lets a marketplace discount the total, and only warns when its total is above goods and shipping', () => {
    const order = parsed('TAOBAO', fixture('taobao-normal'));
    expect(
      checkTotals({ ...order, totalCents: order.goodsCents - 500, paidCents: order.goodsCents - 500 }),
    ).toEqual({
      errors: [],
      warnings: [],
    });
    const above = checkTotals({ ...order, totalCents: order.goodsCents + order.shippingCents + 1 });
    expect(above.errors).toEqual([]);
    expect(above.warnings).toEqual([
      expect.objectContaining({ field: 'payment', code: 'TOTAL_ABOVE_GOODS_AND_SHIPPING' }),
    ]);
  });

  it('refuses goods 100 + shipping 100, total 999,999, paid 5 on every channel, naming its fields', () => {
    const taobao = fixture('taobao-normal');
    const trade = (taobao.trade_fullinfo_get_response as { trade: Record<string, unknown> }).trade;
    Object.assign(trade, { total_fee: '1.00', post_fee: '1.00', payment: '9999.99' });
    trade.orders = { order: [{ oid: '1', title: '样品', num: 1, price: '1.00' }] };
    const jd = {
      ...fixture('jd-normal'),
      orderTotalPrice: '1.00',
      freightPrice: '1.00',
      orderPayment: '9999.99',
      itemInfoList: [{ skuId: '1', skuName: '样品', itemTotal: '1', jdPrice: '1.00' }],
    };
    const douyin = {
      ...fixture('douyin-normal'),
      post_amount: 100,
      order_amount: 999_999,
      pay_amount: 5,
      sku_order_list: [{ sku_order_id: '1', product_name: '样品', item_num: 1, sku_price: 100 }],
    };
    const cases: [Channel, unknown, string][] = [
      ['TAOBAO', taobao, 'payment'],
      ['JD', jd, 'orderPayment'],
      ['DOUYIN', douyin, 'order_amount'],
    ];
    for (const [channel, raw, totalField] of cases) {
      const order = parsed(channel, raw);
      expect([order.goodsCents, order.shippingCents, order.totalCents], channel).toEqual([100, 100, 999_999]);
      const { errors } = checkTotals(order);
      expect(
        errors.map((e) => [e.field, e.code]),
        channel,
      ).toEqual([[totalField, 'TOTAL_MISMATCH']]);
      expect(errors[0].message).toContain('(100 + 100)');
    }
  });

  it('still takes a marketplace total up to 30 % above goods and shipping (cross-border tax), with a warning', () => {
    const order = parsed('JD', fixture('jd-normal'));
    const base = order.goodsCents + order.shippingCents;
    const at = (totalCents: number) => checkTotals({ ...order, totalCents, paidCents: totalCents });
    expect(at((base * 13) / 10).errors).toEqual([]);
    expect(at((base * 13) / 10).warnings).toEqual([
      expect.objectContaining({ field: 'orderPayment', code: 'TOTAL_ABOVE_GOODS_AND_SHIPPING' }),
    ]);
    expect(at((base * 13) / 10 + 1).errors).toEqual([
      expect.objectContaining({ field: 'orderPayment', code: 'TOTAL_MISMATCH' }),
    ]);
  });
});
