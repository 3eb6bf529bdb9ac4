import { describe, expect, it } from 'vitest';
import { parseDouyinOrder } from '../../../api/src/domain/intake/douyin-order.js';
import { defectsOf, loadFixture, parsedValue } from './intake-test-support.js';

describe('parseDouyinOrder: a normal order', () => {
  it('maps the order, fen and unix seconds exact', () => {
    expect(parsedValue(parseDouyinOrder(loadFixture('douyin-normal.json')))).toEqual({
      channel: 'DOUYIN',
      channelOrderNo: '6928374650192837465',
      businessType: 'NORMAL',
      state: 'PAID',
      channelStatus: '2',
      createdAt: new Date('2026-11-20T06:03:11Z'),
      paidAt: new Date('2026-11-20T06:04:02Z'),
      sourceUpdatedAt: new Date('2026-11-20T07:30:00Z'),
      goodsCents: 15000,
      shippingCents: 800,
      totalCents: 15800,
      paidCents: 14800,
      presale: null,
      buyer: { name: '王演示', phone: '15012345678' },
      address: {
        province: '四川省',
        city: '成都市',
        district: '武侯区',
        street: '测试街道',
        detail: '示例大道一段1号演示花园5栋2单元1203',
      },
      items: [
        {
          lineNo: '6928374650192837466',
          sku: 'SOAP-COLD-3',
          title: '【测试】手工冷制皂 3块装',
          quantity: 3,
          unitPriceCents: 5000,
          category: '20345',
        },
      ],
      paymentNo: 'TP2026112014040200001',
    });
  });

  it.each([
    [1, false, 'CREATED'],
    [103, true, 'CREATED'],
    [105, true, 'PAID'],
    [2, true, 'PAID'],
    [101, true, 'SHIPPED'],
    [3, true, 'SHIPPED'],
    [4, true, 'REFUNDED'],
    [4, false, 'CANCELLED'],
    [5, true, 'DELIVERED'],
  ])('order_status %i (paid: %s) → %s', (status, paid, state) => {
    const raw = loadFixture('douyin-normal.json');
    raw.order_status = status;
    if (!paid) raw.pay_time = 0;
    const order = parsedValue(parseDouyinOrder(raw));
    expect(order.state).toBe(state);
    expect(order.channelStatus).toBe(String(status));
    expect(order.paidCents).toBe(paid ? 14800 : 0);
  });

  it('reads 0 times as absent and falls back to the latest time for sourceUpdatedAt', () => {
    const raw = loadFixture('douyin-normal.json');
    raw.order_status = 1;
    raw.pay_time = 0;
    raw.update_time = 0;
    const order = parsedValue(parseDouyinOrder(raw));
    expect(order.paidAt).toBeNull();
    expect(order.sourceUpdatedAt).toEqual(new Date('2026-11-20T06:03:11Z'));
  });

  it('accepts region parts as plain strings', () => {
    const raw = loadFixture('douyin-normal.json');
    raw.post_addr = { province: '四川省', city: '成都市', town: '武侯区', detail: '示例大道一段1号' };
    expect(parsedValue(parseDouyinOrder(raw)).address).toEqual({
      province: '四川省',
      city: '成都市',
      district: '武侯区',
      street: null,
      detail: '示例大道一段1号',
    });
  });

  it('prefers sku_price as the unit price, and first_cid or product_category when third_cid is 0 or absent', () => {
    const raw = loadFixture('douyin-normal.json');
    raw.sku_order_list[0].sku_price = 4990;
    raw.sku_order_list[0].third_cid = 0;
    raw.sku_order_list.push({
      sku_order_id: '2',
      product_name: '测试赠品',
      item_num: 1,
      sku_price: 0,
      product_category: '赠品',
    });
    const order = parsedValue(parseDouyinOrder(raw));
    expect(order.items.map((i) => [i.unitPriceCents, i.category])).toEqual([
      [4990, '20000'],
      [0, '赠品'],
    ]);
    expect(order.goodsCents).toBe(14970);
  });

  it('marks the order CUSTOM when a line carries customisation info', () => {
    const raw = loadFixture('douyin-normal.json');
    raw.sku_order_list[0].sku_customization_info = [{ detail: { text: [{ key: '刻字', content: '演示' }] } }];
    expect(parsedValue(parseDouyinOrder(raw)).businessType).toBe('CUSTOM');
  });

  it('reports a paid status without pay_time', () => {
    const raw = loadFixture('douyin-normal.json');
    raw.pay_time = 0;
    expect(defectsOf(parseDouyinOrder(raw))).toEqual(['pay_time MISSING_PAY_TIME']);
  });
});

describe('parseDouyinOrder: presale', () => {
  const depositOnly = () => {
    const raw = loadFixture('douyin-normal.json');
    raw.order_status = 103;
    raw.pre_sale_type = 2;
    raw.order_phase_list = [
      { phase_pay_amount: 3000, pay_success: true, phase_pay_time: 1795154642 },
      { phase_pay_amount: 0, pay_success: false, phase_pay_time: 0 },
    ];
    return raw;
  };

  it('with only the deposit phase paid is CREATED, deposit and balance split', () => {
    const order = parsedValue(parseDouyinOrder(depositOnly()));
    expect(order).toMatchObject({
      businessType: 'PRESALE',
      state: 'CREATED',
      paidAt: null,
      paidCents: 3000,
      presale: {
        depositCents: 3000,
        balanceCents: 12800,
        depositPaidAt: new Date('2026-11-20T06:04:02Z'),
        balancePaidAt: null,
        promisedShipAt: new Date('2026-12-01T10:00:00Z'),
      },
    });
  });

  it('is PAID once the balance phase is paid', () => {
    const raw = depositOnly();
    raw.order_status = 105;
    raw.order_phase_list[1] = { phase_pay_amount: 12800, pay_success: true, phase_pay_time: 1795159800 };
    expect(parsedValue(parseDouyinOrder(raw))).toMatchObject({
      state: 'PAID',
      paidAt: new Date('2026-11-20T07:30:00Z'),
      paidCents: 15800,
    });
  });

  it('is not PAID while the balance phase is unpaid, even when the status says paid', () => {
    const raw = depositOnly();
    raw.order_status = 2;
    expect(parsedValue(parseDouyinOrder(raw)).state).toBe('CREATED');
  });

  it('full-payment presale (pre_sale_type 1 on a line, no phases) is one payment: the balance', () => {
    const raw = loadFixture('douyin-normal.json');
    raw.sku_order_list[0].pre_sale_type = 1;
    expect(parsedValue(parseDouyinOrder(raw))).toMatchObject({
      businessType: 'PRESALE',
      state: 'PAID',
      paidAt: new Date('2026-11-20T06:04:02Z'),
      presale: { depositCents: 0, balanceCents: 15800, balancePaidAt: new Date('2026-11-20T06:04:02Z') },
    });
  });

  it('does not read order_type as presale', () => {
    const raw = loadFixture('douyin-normal.json');
    raw.order_type = 3;
    expect(parsedValue(parseDouyinOrder(raw)).businessType).toBe('NORMAL');
  });

  it('reports a paid phase without its time and a deposit above the order', () => {
    const raw = depositOnly();
    raw.order_phase_list[0].phase_pay_time = 0;
    raw.order_phase_list[0].phase_pay_amount = 20000;
    expect(defectsOf(parseDouyinOrder(raw))).toEqual([
      'order_phase_list INCONSISTENT_AMOUNT',
      'order_phase_list[0].phase_pay_time REQUIRED',
    ]);
  });
});

describe('parseDouyinOrder: malformed orders', () => {
  it('reports every defect at once, each by its Douyin field', () => {
    expect(defectsOf(parseDouyinOrder(loadFixture('douyin-malformed.json')))).toEqual([
      'create_time INVALID_TIME',
      'order_amount INVALID_MONEY',
      'post_addr REQUIRED',
      'post_tel REQUIRED',
      'sku_order_list[0].item_num INVALID_QUANTITY',
      'sku_order_list[1].product_name REQUIRED',
    ]);
  });

  it('reports a line total that does not divide by the quantity', () => {
    const raw = loadFixture('douyin-normal.json');
    raw.sku_order_list[0].origin_amount = 15001;
    expect(defectsOf(parseDouyinOrder(raw))).toEqual(['sku_order_list[0].origin_amount INCONSISTENT_AMOUNT']);
  });

  it('reads a region object without a name as absent, and reports a region part of another type', () => {
    const nameless = loadFixture('douyin-normal.json');
    nameless.post_addr.province = { id: '51' };
    expect(parsedValue(parseDouyinOrder(nameless)).address.province).toBeNull();

    const numeric = loadFixture('douyin-normal.json');
    numeric.post_addr.city = 5101;
    expect(defectsOf(parseDouyinOrder(numeric))).toEqual(['post_addr.city INVALID_TYPE']);
  });
});
