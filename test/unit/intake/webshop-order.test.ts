import { describe, expect, it } from 'vitest';
import { parseWebshopOrder } from '../../../api/src/domain/intake/webshop-order.js';
import { defectsOf, loadFixture, parsedValue } from './intake-test-support.js';

const presaleOrder = () => ({
  ...loadFixture('webshop-custom.json'),
  businessType: 'PRESALE',
  status: 'CREATED',
  paidAt: null,
  paidCents: 5000,
  presale: {
    depositCents: 5000,
    balanceCents: 21800,
    depositPaidAt: '2026-11-20T14:05:40+08:00',
    balancePaidAt: null,
    promisedShipAt: '2026-12-01T18:00:00+08:00',
  },
});

describe('parseWebshopOrder', () => {
  it('maps a custom order one to one', () => {
    expect(parsedValue(parseWebshopOrder(loadFixture('webshop-custom.json')))).toEqual({
      channel: 'WEBSHOP',
      channelOrderNo: 'WS20261120000123',
      businessType: 'CUSTOM',
      state: 'PAID',
      channelStatus: 'PAID',
      createdAt: new Date('2026-11-20T06:03:11Z'),
      paidAt: new Date('2026-11-20T06:05:40Z'),
      sourceUpdatedAt: new Date('2026-11-20T06:05:41.250Z'),
      goodsCents: 25800,
      shippingCents: 1000,
      totalCents: 26800,
      paidCents: 26800,
      presale: null,
      buyer: { name: '孙样例', phone: '18600000000' },
      address: {
        province: '江苏省',
        city: '南京市',
        district: '鼓楼区',
        street: null,
        detail: '测试路66号示例大院7号楼',
      },
      items: [
        {
          lineNo: '1',
          sku: 'MUG-ENGRAVED',
          title: '刻字马克杯（定制：演示文字）',
          quantity: 2,
          unitPriceCents: 12900,
          category: 'drinkware',
        },
      ],
      paymentNo: '4200001234202611201234567890',
      promisedDeliveryAt: null,
    });
  });

  it('reads presale terms for a PRESALE order', () => {
    expect(parsedValue(parseWebshopOrder(presaleOrder()))).toMatchObject({
      businessType: 'PRESALE',
      state: 'CREATED',
      paidCents: 5000,
      presale: {
        depositCents: 5000,
        balanceCents: 21800,
        depositPaidAt: new Date('2026-11-20T06:05:40Z'),
        balancePaidAt: null,
        promisedShipAt: new Date('2026-12-01T10:00:00Z'),
      },
    });
  });

  it('requires presale terms exactly when the order is PRESALE', () => {
    expect(defectsOf(parseWebshopOrder({ ...presaleOrder(), presale: null }))).toEqual(['presale REQUIRED']);
    expect(defectsOf(parseWebshopOrder({ ...presaleOrder(), businessType: 'NORMAL' }))).toEqual([
      'presale UNEXPECTED_FIELD',
    ]);
  });

  it('accepts only the states a shop knows', () => {
    const raw = loadFixture('webshop-custom.json');
    raw.status = 'PICKING';
    expect(defectsOf(parseWebshopOrder(raw))).toEqual(['status UNKNOWN_STATUS']);
  });

  it('reports every defect at once', () => {
    expect(defectsOf(parseWebshopOrder(loadFixture('webshop-malformed.json')))).toEqual([
      'businessType UNKNOWN_VALUE',
      'createdAt INVALID_TIME',
      'goodsCents INVALID_MONEY',
      'items[0].category REQUIRED',
      'paidAt MISSING_PAY_TIME',
    ]);
  });

  it('refuses yuan where cents belong', () => {
    const raw = loadFixture('webshop-custom.json');
    raw.totalCents = '268.00';
    raw.items[0].unitPriceCents = 129.0001;
    expect(defectsOf(parseWebshopOrder(raw))).toEqual([
      'items[0].unitPriceCents INVALID_MONEY',
      'totalCents INVALID_MONEY',
    ]);
  });
});
