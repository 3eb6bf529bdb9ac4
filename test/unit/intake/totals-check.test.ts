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
});
