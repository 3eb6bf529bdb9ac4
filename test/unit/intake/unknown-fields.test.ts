import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_UNKNOWN_FIELD_WARNINGS } from '../../../api/src/domain/intake/field-reader.js';
import { parseChannelOrder } from '../../../api/src/domain/intake/parse-channel-order.js';
import type { Channel } from '../../../api/src/domain/order/order-types.js';
import { loadFixture } from './intake-test-support.js';

function warningsOf(channel: Channel, raw: unknown) {
  const result = parseChannelOrder(channel, raw);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.warnings.map((w) => `${w.field} ${w.code}`);
}

describe('unknown fields in channel JSON', () => {
  it.each([
    ['WEBSHOP', 'webshop-custom.json'],
    ['TAOBAO', 'taobao-normal.json'],
    ['TAOBAO', 'taobao-presale-step.json'],
    ['JD', 'jd-normal.json'],
    ['JD', 'jd-presale.json'],
    ['DOUYIN', 'douyin-normal.json'],
  ] as const)('%s %s as the channel sends it has none', (channel, file) => {
    expect(warningsOf(channel, loadFixture(file))).toEqual([]);
  });

  it('names each unknown field of a web shop order by its path, the order still parsed', () => {
    const order = loadFixture('webshop-custom.json');
    order.giftWrap = true;
    order.buyer.email = 'someone@example.test';
    order.items[0].engraving = '生日快乐';
    order.shippingAddress.postcode = '310000';
    expect(warningsOf('WEBSHOP', order)).toEqual([
      'giftWrap UNKNOWN_FIELD',
      'buyer.email UNKNOWN_FIELD',
      'shippingAddress.postcode UNKNOWN_FIELD',
      'items[0].engraving UNKNOWN_FIELD',
    ]);
  });

  it('reads Taobao paths relative to the trade, in the API envelope too', () => {
    const envelope = loadFixture('taobao-normal.json');
    const trade = envelope.trade_fullinfo_get_response.trade;
    trade.new_top_field = 'x';
    trade.orders.order[0].new_line_field = 1;
    trade.buyer_nick = 'known, not read';
    expect(warningsOf('TAOBAO', envelope)).toEqual([
      'new_top_field UNKNOWN_FIELD',
      'orders.order[0].new_line_field UNKNOWN_FIELD',
    ]);
  });

  it('reports unknown JD and Douyin fields in nested objects and lines', () => {
    const jd = loadFixture('jd-normal.json');
    jd.consigneeInfo.email = 'x';
    jd.itemInfoList[0].colour = 'red';
    jd.orderSellerPrice = '1.00'; // known, deliberately not read
    expect(warningsOf('JD', jd)).toEqual([
      'consigneeInfo.email UNKNOWN_FIELD',
      'itemInfoList[0].colour UNKNOWN_FIELD',
    ]);

    const douyin = loadFixture('douyin-normal.json');
    douyin.post_addr.province.code = '33';
    douyin.sku_order_list[0].gift = true;
    douyin.encrypt_post_tel = '#enc#'; // known
    expect(warningsOf('DOUYIN', douyin)).toEqual([
      'sku_order_list[0].gift UNKNOWN_FIELD',
      'post_addr.province.code UNKNOWN_FIELD',
    ]);
  });

  it(`lists at most ${MAX_UNKNOWN_FIELD_WARNINGS} per order, the last saying how many more`, () => {
    const order = loadFixture('webshop-custom.json');
    for (let i = 0; i < 25; i += 1) order[`extra${i}`] = i;
    const result = parseChannelOrder('WEBSHOP', order);
    if (!result.ok) throw new Error('expected the order to parse');
    expect(result.warnings).toHaveLength(MAX_UNKNOWN_FIELD_WARNINGS);
    expect(result.warnings.at(-1)).toEqual({
      field: '$',
      code: 'UNKNOWN_FIELDS_OMITTED',
      message: '16 more unknown fields, not listed.',
    });
  });

  it('takes prototype names and very long names as plain unknown fields, never echoing a value', () => {
    const order = JSON.parse(
      JSON.stringify(loadFixture('webshop-custom.json')).replace(
        /^\{/,
        `{"__proto__":{"x":1},"constructor":"13800138000","${'k'.repeat(500)}":1,`,
      ),
    );
    const result = parseChannelOrder('WEBSHOP', order);
    if (!result.ok) throw new Error('expected the order to parse');
    expect(result.warnings.map((w) => w.field)).toEqual(['__proto__', 'constructor', `${'k'.repeat(64)}…`]);
    expect(JSON.stringify(result.warnings)).not.toContain('13800138000');
  });

  it('any extra field at the top of any channel order is a warning, never a refusal', () => {
    const fixtures = [
      ['WEBSHOP', 'webshop-custom.json'],
      ['TAOBAO', 'taobao-presale-step.json'],
      ['JD', 'jd-normal.json'],
      ['DOUYIN', 'douyin-normal.json'],
    ] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...fixtures),
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 12 }).map((k) => `x_${k}`),
          fc.jsonValue(),
          {
            maxKeys: 15,
          },
        ),
        ([channel, file], extra) => {
          const result = parseChannelOrder(channel, { ...loadFixture(file), ...extra });
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          const count = Object.keys(extra).length;
          expect(result.warnings).toHaveLength(Math.min(count, MAX_UNKNOWN_FIELD_WARNINGS));
        },
      ),
      { numRuns: 200 },
    );
  });
});
