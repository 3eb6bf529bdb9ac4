import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../api/src/config/config.js';
import { customerStatus } from '../../../api/src/modules/order-events/customer-status.js';
import { readWebhookBody } from '../../../api/src/modules/webhooks/webhook-body.js';

const now = new Date('2026-11-25T02:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();

describe('customerStatus', () => {
  it('promises the default NORMAL allowance, shrinking as time passes', () => {
    const picking = { state: 'PICKING' as const, businessType: 'NORMAL' as const };
    expect(customerStatus({ ...picking, stateEnteredAt: { PICKING: minutesAgo(0) } }, now)).toBe(
      '仓库拣货中（预计2小时内完成）',
    );
    expect(customerStatus({ ...picking, stateEnteredAt: { PICKING: minutesAgo(30) } }, now)).toBe(
      '仓库拣货中（预计1小时30分钟内完成）',
    );
    expect(customerStatus({ ...picking, stateEnteredAt: { PICKING: minutesAgo(150) } }, now)).toBe(
      '仓库拣货中',
    );
    expect(customerStatus(picking, now)).toBe('仓库拣货中（预计2小时内完成）');
  });

  it('counts warehouse acceptance from payment, and promises nothing for other business types', () => {
    expect(
      customerStatus(
        { state: 'WAREHOUSE_ACCEPTED', businessType: 'NORMAL', stateEnteredAt: { PAID: minutesAgo(60) } },
        now,
      ),
    ).toBe('仓库已接单，即将拣货（预计1小时内开始拣货）');
    expect(customerStatus({ state: 'PICKING', businessType: 'CUSTOM' }, now)).toBe('仓库拣货中');
    expect(customerStatus({ state: 'IN_TRANSIT', businessType: 'NORMAL' }, now)).toBe('运输途中');
  });
});

describe('webhook secrets in the configuration', () => {
  const defaults = { processName: 'test', hostname: 'host' };

  it('keeps the configured secrets by name and leaves the others out', () => {
    const config = parseConfig(
      { WEBHOOK_SECRET_WMS: ' wms-secret-0123456789 ', WEBHOOK_SECRET_JD: '' },
      defaults,
    );
    expect(config.webhookSecrets).toEqual({ WMS: 'wms-secret-0123456789' });
  });

  it('refuses a secret shorter than 16 characters, naming the variable', () => {
    expect(() => parseConfig({ WEBHOOK_SECRET_TAOBAO: 'short' }, defaults)).toThrow(ConfigError);
    expect(() => parseConfig({ WEBHOOK_SECRET_TAOBAO: 'short' }, defaults)).toThrow(
      /^WEBHOOK_SECRET_TAOBAO: /,
    );
  });
});

describe('readWebhookBody', () => {
  const read = (text: string) => readWebhookBody(Buffer.from(text), 'orders', 3);

  it('takes one item, a list, or { orders: [...] }', () => {
    expect(read('{"tid": "1"}')).toEqual({ ok: true, items: [{ tid: '1' }] });
    expect(read('[{"tid": "1"}, {"tid": "2"}]')).toEqual({ ok: true, items: [{ tid: '1' }, { tid: '2' }] });
    expect(read('{"orders": [{"tid": "1"}]}')).toEqual({ ok: true, items: [{ tid: '1' }] });
  });

  it('reads an order with its own `orders` field as one order', () => {
    expect(read('{"tid": "1", "orders": [{"oid": "9"}]}')).toEqual({
      ok: true,
      items: [{ tid: '1', orders: [{ oid: '9' }] }],
    });
  });

  it('refuses what is not JSON of the expected shape', () => {
    const codes = (text: string) => {
      const body = read(text);
      return body.ok ? [] : body.errors.map((e) => e.code);
    };
    expect(codes('{"orders": [')).toEqual(['INVALID_JSON']);
    expect(codes('42')).toEqual(['INVALID_BODY']);
    expect(codes('{"orders": {}}')).toEqual(['INVALID_TYPE']);
    expect(codes('[]')).toEqual(['REQUIRED']);
    expect(codes('[1, 2, 3, 4]')).toEqual(['TOO_MANY']);
  });
});
