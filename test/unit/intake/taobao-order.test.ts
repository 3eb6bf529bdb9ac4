import { describe, expect, it } from 'vitest';
import { parseTaobaoOrder } from '../../../api/src/domain/intake/taobao-order.js';
import { defectsOf, loadFixture, parsedValue } from './intake-test-support.js';

const normalTrade = () => loadFixture('taobao-normal.json').trade_fullinfo_get_response.trade;
const stepTrade = () => loadFixture('taobao-presale-step.json');

describe('parseTaobaoOrder: a normal paid trade', () => {
  it('maps the API envelope to the normalized order, cents and instants exact', () => {
    const order = parsedValue(parseTaobaoOrder(loadFixture('taobao-normal.json')));
    expect(order).toEqual({
      channel: 'TAOBAO',
      channelOrderNo: '3571204498765432109',
      businessType: 'NORMAL',
      state: 'PAID',
      channelStatus: 'WAIT_SELLER_SEND_GOODS',
      createdAt: new Date('2026-11-20T06:03:11Z'),
      paidAt: new Date('2026-11-20T06:05:42Z'),
      sourceUpdatedAt: new Date('2026-11-20T06:05:43Z'),
      goodsCents: 26800,
      shippingCents: 850,
      totalCents: 25650,
      paidCents: 25650,
      presale: null,
      buyer: { name: '张测试', phone: '13800138000' },
      address: {
        province: '浙江省',
        city: '杭州市',
        district: '西湖区',
        street: '测试街道',
        detail: '示例路88号演示小区3幢101室',
      },
      items: [
        {
          lineNo: '3571204498765432110',
          sku: 'MUG-WHITE-350',
          title: '【测试】白瓷马克杯 350ml',
          quantity: 2,
          unitPriceCents: 5900,
          category: '50012345',
        },
        {
          lineNo: '3571204498765432111',
          sku: 'COASTER-BAMBOO-4',
          title: '【测试】竹制杯垫 4片装',
          quantity: 1,
          unitPriceCents: 15000,
          category: '50012399',
        },
      ],
      paymentNo: '2026112022001100001234567890',
    });
  });

  it('accepts { trade } and the bare trade, with orders as a plain array', () => {
    const trade = normalTrade();
    const expected = parsedValue(parseTaobaoOrder(loadFixture('taobao-normal.json')));
    expect(parsedValue(parseTaobaoOrder({ trade }))).toEqual(expected);
    trade.orders = trade.orders.order;
    expect(parsedValue(parseTaobaoOrder(trade))).toEqual(expected);
  });

  it('names sub-order defects by the path the payload used', () => {
    const wrapped = normalTrade();
    wrapped.orders.order[1].price = '1.234';
    expect(defectsOf(parseTaobaoOrder(wrapped))).toEqual(['orders.order[1].price INVALID_MONEY']);
    const plain = stepTrade();
    plain.orders[0].price = 'abc';
    expect(defectsOf(parseTaobaoOrder(plain))).toEqual(['orders[0].price INVALID_MONEY']);
  });

  it('falls back to the latest time given when modified is absent, and to 0 shipping without post_fee', () => {
    const trade = normalTrade();
    delete trade.modified;
    delete trade.post_fee;
    const order = parsedValue(parseTaobaoOrder(trade));
    expect(order.sourceUpdatedAt).toEqual(new Date('2026-11-20T06:05:42Z'));
    expect(order.shippingCents).toBe(0);
  });

  it('takes a numeric tid when JSON could carry it exactly', () => {
    const trade = normalTrade();
    trade.tid = 1234567890123;
    expect(parsedValue(parseTaobaoOrder(trade)).channelOrderNo).toBe('1234567890123');
  });
});

describe('parseTaobaoOrder: states', () => {
  it.each([
    ['TRADE_NO_CREATE_PAY', false, 'CREATED'],
    ['WAIT_BUYER_PAY', false, 'CREATED'],
    ['WAIT_SELLER_SEND_GOODS', true, 'PAID'],
    ['SELLER_CONSIGNED_PART', true, 'SHIPPED'],
    ['WAIT_BUYER_CONFIRM_GOODS', true, 'SHIPPED'],
    ['TRADE_BUYER_SIGNED', true, 'DELIVERED'],
    ['TRADE_FINISHED', true, 'DELIVERED'],
    ['TRADE_CLOSED', true, 'REFUNDED'],
    ['TRADE_CLOSED', false, 'CANCELLED'],
    ['TRADE_CLOSED_BY_TAOBAO', false, 'CANCELLED'],
  ])('%s (paid: %s) → %s', (status, paid, state) => {
    const trade = normalTrade();
    trade.status = status;
    if (!paid) delete trade.pay_time;
    const order = parsedValue(parseTaobaoOrder(trade));
    expect(order.state).toBe(state);
    expect(order.channelStatus).toBe(status);
    expect(order.paidCents).toBe(paid ? 25650 : 0);
    expect(order.paidAt).toEqual(paid ? new Date('2026-11-20T06:05:42Z') : null);
  });

  it('reports an unknown status', () => {
    const trade = normalTrade();
    trade.status = 'TRADE_SOMETHING_NEW';
    expect(defectsOf(parseTaobaoOrder(trade))).toEqual(['status UNKNOWN_STATUS']);
  });

  it('reports a malformed pay_time as such, not also as missing', () => {
    const trade = normalTrade();
    trade.pay_time = '2026-11-20 14:65:42';
    expect(defectsOf(parseTaobaoOrder(trade))).toEqual(['pay_time INVALID_TIME']);
  });

  it('reports a paid state without pay_time', () => {
    const trade = normalTrade();
    delete trade.pay_time;
    expect(defectsOf(parseTaobaoOrder(trade))).toEqual(['pay_time MISSING_PAY_TIME']);
  });
});

describe('parseTaobaoOrder: presale (type "step")', () => {
  it('with only the deposit paid is CREATED, deposit and balance split', () => {
    const order = parsedValue(parseTaobaoOrder(stepTrade()));
    expect(order).toMatchObject({
      businessType: 'PRESALE',
      state: 'CREATED',
      channelStatus: 'WAIT_BUYER_PAY',
      paidAt: null,
      goodsCents: 99900,
      shippingCents: 0,
      totalCents: 89900,
      paidCents: 10000,
      presale: {
        depositCents: 10000,
        balanceCents: 79900,
        depositPaidAt: new Date('2026-10-21T12:01:30Z'),
        balancePaidAt: null,
        promisedShipAt: null,
      },
    });
  });

  it('with nothing paid is CREATED with nothing paid', () => {
    const trade = stepTrade();
    trade.step_trade_status = 'FRONT_NOPAID_FINAL_NOPAID';
    delete trade.step_paid_fee;
    delete trade.pay_time;
    const order = parsedValue(parseTaobaoOrder(trade));
    expect(order).toMatchObject({ state: 'CREATED', paidCents: 0, paidAt: null });
    expect(order.presale).toMatchObject({ depositCents: 0, balanceCents: 89900, depositPaidAt: null });
  });

  it('is PAID once the balance is in, even while the trade status still says WAIT_BUYER_PAY', () => {
    for (const status of ['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS']) {
      const trade = stepTrade();
      trade.status = status;
      trade.step_trade_status = 'FRONT_PAID_FINAL_PAID';
      trade.pay_time = '2026-11-11 00:10:00';
      const order = parsedValue(parseTaobaoOrder(trade));
      expect(order).toMatchObject({
        state: 'PAID',
        paidCents: 89900,
        paidAt: new Date('2026-11-10T16:10:00Z'),
      });
      expect(order.presale).toMatchObject({
        depositCents: 10000,
        balanceCents: 79900,
        depositPaidAt: null,
        balancePaidAt: new Date('2026-11-10T16:10:00Z'),
      });
    }
  });

  it('is not PAID on a deposit, even when the trade status says WAIT_SELLER_SEND_GOODS', () => {
    const trade = stepTrade();
    trade.status = 'WAIT_SELLER_SEND_GOODS';
    expect(parsedValue(parseTaobaoOrder(trade)).state).toBe('CREATED');
  });

  it('follows the trade status once the goods have left', () => {
    const trade = stepTrade();
    trade.status = 'WAIT_BUYER_CONFIRM_GOODS';
    trade.step_trade_status = 'FRONT_PAID_FINAL_PAID';
    expect(parsedValue(parseTaobaoOrder(trade)).state).toBe('SHIPPED');
  });

  it('closed after the deposit was paid is REFUNDED', () => {
    const trade = stepTrade();
    trade.status = 'TRADE_CLOSED';
    expect(parsedValue(parseTaobaoOrder(trade))).toMatchObject({ state: 'REFUNDED', paidCents: 10000 });
  });

  it('reports a missing or unknown step status, a missing deposit, and a deposit above payment', () => {
    const missing = stepTrade();
    delete missing.step_trade_status;
    expect(defectsOf(parseTaobaoOrder(missing))).toEqual(['step_trade_status REQUIRED']);

    const unknown = stepTrade();
    unknown.step_trade_status = 'FRONT_HALF_PAID';
    expect(defectsOf(parseTaobaoOrder(unknown))).toEqual(['step_trade_status UNKNOWN_STATUS']);

    const noDeposit = stepTrade();
    delete noDeposit.step_paid_fee;
    expect(defectsOf(parseTaobaoOrder(noDeposit))).toEqual(['step_paid_fee REQUIRED']);

    const tooMuch = stepTrade();
    tooMuch.step_paid_fee = '900.00';
    expect(defectsOf(parseTaobaoOrder(tooMuch))).toEqual(['step_paid_fee INCONSISTENT_AMOUNT']);
  });
});

describe('parseTaobaoOrder: business type', () => {
  it('a sub-order with is_custom: true makes the order CUSTOM, over presale too', () => {
    const trade = normalTrade();
    trade.orders.order[0].is_custom = true;
    expect(parsedValue(parseTaobaoOrder(trade)).businessType).toBe('CUSTOM');

    const step = stepTrade();
    step.orders[0].is_custom = true;
    const order = parsedValue(parseTaobaoOrder(step));
    expect(order.businessType).toBe('CUSTOM');
    expect(order.presale).not.toBeNull();
  });

  it('does not read 定制 in a title as customisation', () => {
    const trade = normalTrade();
    trade.orders.order[0].title = '【测试】定制款 马克杯';
    expect(parsedValue(parseTaobaoOrder(trade)).businessType).toBe('NORMAL');
  });

  it('reports an is_custom flag that is not a boolean', () => {
    const trade = normalTrade();
    trade.orders.order[1].is_custom = 'yes';
    expect(defectsOf(parseTaobaoOrder(trade))).toEqual(['orders.order[1].is_custom INVALID_TYPE']);
  });
});

describe('parseTaobaoOrder: malformed trades', () => {
  it('reports every defect at once, each by its Taobao field', () => {
    expect(defectsOf(parseTaobaoOrder(loadFixture('taobao-malformed.json')))).toEqual([
      'created INVALID_TIME',
      'orders[0].num INVALID_QUANTITY',
      'orders[1].price INVALID_MONEY',
      'pay_time MISSING_PAY_TIME',
      'payment INVALID_MONEY',
      'receiver_mobile INVALID_PHONE',
      'tid INVALID_ID',
    ]);
  });

  it('reports missing required fields and missing lines', () => {
    expect(defectsOf(parseTaobaoOrder({ status: 'WAIT_BUYER_PAY', orders: [] }))).toEqual([
      'created REQUIRED',
      'orders NO_ITEMS',
      'payment REQUIRED',
      'receiver_address REQUIRED',
      'receiver_mobile REQUIRED',
      'receiver_name REQUIRED',
      'tid REQUIRED',
      'total_fee REQUIRED',
    ]);
  });

  it('reports a payload that is not an object once', () => {
    for (const raw of [null, 'tid=1', [], 42]) {
      expect(defectsOf(parseTaobaoOrder(raw))).toEqual(['$ INVALID_TYPE']);
    }
  });
});
