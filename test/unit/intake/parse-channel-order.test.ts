import { describe, expect, it } from 'vitest';
import { CHANNEL_ADAPTERS, parseChannelOrder } from '../../../api/src/domain/intake/parse-channel-order.js';
import type { Channel } from '../../../api/src/domain/order/order-types.js';
import { CHANNELS } from '../../../api/src/domain/order/order-types.js';
import { defectsOf, loadFixture, parsedValue } from './intake-test-support.js';

const SOUND: [Channel, string][] = [
  ['TAOBAO', 'taobao-normal.json'],
  ['TAOBAO', 'taobao-presale-step.json'],
  ['JD', 'jd-normal.json'],
  ['JD', 'jd-presale.json'],
  ['DOUYIN', 'douyin-normal.json'],
  ['WEBSHOP', 'webshop-custom.json'],
];

const MALFORMED: [Channel, string][] = [
  ['TAOBAO', 'taobao-malformed.json'],
  ['JD', 'jd-malformed.json'],
  ['DOUYIN', 'douyin-malformed.json'],
  ['WEBSHOP', 'webshop-malformed.json'],
];

describe('parseChannelOrder', () => {
  it('has an adapter for every channel', () => {
    expect(Object.keys(CHANNEL_ADAPTERS).sort()).toEqual([...CHANNELS].sort());
  });

  it.each(SOUND)('dispatches %s %s to its adapter', (channel, fixture) => {
    const order = parsedValue(parseChannelOrder(channel, loadFixture(fixture)));
    expect(order.channel).toBe(channel);
    expect(order.goodsCents).toBeGreaterThanOrEqual(0);
  });

  it('reports a payload sent to the wrong channel instead of misreading it', () => {
    expect(defectsOf(parseChannelOrder('JD', loadFixture('douyin-normal.json')))).toContain(
      'orderId REQUIRED',
    );
  });

  it('reports an unknown channel from an untyped caller', () => {
    expect(defectsOf(parseChannelOrder('PINDUODUO' as Channel, {}))).toEqual(['channel UNKNOWN_VALUE']);
  });

  it.each(MALFORMED)('never repeats personal data from %s %s in a message', (channel, fixture) => {
    const raw = loadFixture(fixture);
    const result = parseChannelOrder(channel, raw);
    if (result.ok) throw new Error('expected defects');
    const messages = result.errors.map((e) => e.message).join('\n');
    const personal = personalValues(raw);
    expect(personal.length).toBeGreaterThan(0);
    for (const value of personal) expect(messages).not.toContain(value);
  });
});

const PERSONAL_KEYS = new Set([
  'receiver_name',
  'receiver_mobile',
  'receiver_address',
  'fullname',
  'mobile',
  'fullAddress',
  'post_receiver',
  'post_tel',
  'detail',
  'name',
  'phone',
]);

/** The buyer's name, phone and address lines in a payload, as sent and as bare digits. */
function personalValues(value: unknown, key = ''): string[] {
  if (typeof value === 'string' && PERSONAL_KEYS.has(key)) {
    const digits = value.replace(/\D/g, '');
    return [value.trim(), ...(digits.length >= 4 ? [digits, digits.slice(-4)] : [])];
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([childKey, child]) => personalValues(child, childKey));
  }
  return [];
}
