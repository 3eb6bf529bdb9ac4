import { describe, expect, it } from 'vitest';
import { parseJdOrder } from '../../../api/src/domain/intake/jd-order.js';
import { defectsOf, loadFixture, parsedValue } from './intake-test-support.js';

describe('parseJdOrder: a normal order', () => {
  it('maps the order, cents and instants exact', () => {
    expect(parsedValue(parseJdOrder(loadFixture('jd-normal.json')))).toEqual({
      channel: 'JD',
      channelOrderNo: '301234567890',
      businessType: 'NORMAL',
      state: 'PAID',
      channelStatus: 'WAIT_SELLER_STOCK_OUT',
      createdAt: new Date('2026-11-10T16:00:08Z'),
      paidAt: new Date('2026-11-10T16:00:31Z'),
      sourceUpdatedAt: new Date('2026-11-10T16:01:02Z'),
      goodsCents: 129900,
      shippingCents: 0,
      totalCents: 124900,
      paidCents: 124900,
      presale: null,
      buyer: { name: '李示例', phone: '13912345678' },
      address: {
        province: '广东',
        city: '深圳市',
        district: '南山区',
        street: '测试街道',
        detail: '广东深圳市南山区测试街道演示大道100号示例大厦8楼',
      },
      items: [
        {
          lineNo: '100012345678',
          sku: 'EARPHONE-NC-BLK',
          title: '【测试】头戴式降噪耳机 黑色',
          quantity: 1,
          unitPriceCents: 129900,
          category: '652',
        },
      ],
      paymentNo: 'JDPAY20261111000031',
    });
  });

  it.each([
    ['WAIT_SELLER_STOCK_OUT', true, 'PAID'],
    ['WAIT_SELLER_DELIVERY', true, 'PAID'],
    ['POP_ORDER_PAUSE', true, 'PAID'],
    ['WAIT_GOODS_RECEIVE_CONFIRM', true, 'SHIPPED'],
    ['FINISHED_L', true, 'DELIVERED'],
    ['TRADE_CANCELED', true, 'REFUNDED'],
    ['TRADE_CANCELED', false, 'CANCELLED'],
    ['LOCKED', true, 'CANCELLED'],
  ])('%s (paid: %s) → %s', (orderState, paid, state) => {
    const raw = loadFixture('jd-normal.json');
    raw.orderState = orderState;
    if (!paid) delete raw.paymentConfirmTime;
    expect(parsedValue(parseJdOrder(raw)).state).toBe(state);
  });

  it('takes the telephone when JD sent no mobile, and payNo when there is no paymentNo', () => {
    const raw = loadFixture('jd-normal.json');
    delete raw.consigneeInfo.mobile;
    raw.consigneeInfo.telephone = '+86-150-0000-1111';
    delete raw.paymentNo;
    raw.payNo = 'PAYNO-0001';
    const order = parsedValue(parseJdOrder(raw));
    expect(order.buyer.phone).toBe('15000001111');
    expect(order.paymentNo).toBe('PAYNO-0001');
  });

  it('reports the mobile as missing when neither number was sent', () => {
    const raw = loadFixture('jd-normal.json');
    delete raw.consigneeInfo.mobile;
    delete raw.consigneeInfo.telephone;
    expect(defectsOf(parseJdOrder(raw))).toEqual(['consigneeInfo.mobile REQUIRED']);
  });

  it('reports a paid state without paymentConfirmTime', () => {
    const raw = loadFixture('jd-normal.json');
    delete raw.paymentConfirmTime;
    expect(defectsOf(parseJdOrder(raw))).toEqual(['paymentConfirmTime MISSING_PAY_TIME']);
  });
});

describe('parseJdOrder: presale', () => {
  it('with only the deposit paid is CREATED, whatever JD says', () => {
    const order = parsedValue(parseJdOrder(loadFixture('jd-presale.json')));
    expect(order).toMatchObject({
      channelOrderNo: '301234567999',
      businessType: 'PRESALE',
      state: 'CREATED',
      paidAt: null,
      totalCents: 389900,
      paidCents: 20000,
      sourceUpdatedAt: new Date('2026-10-21T12:01:30Z'),
      presale: {
        depositCents: 20000,
        balanceCents: 369900,
        depositPaidAt: new Date('2026-10-21T12:01:30Z'),
        balancePaidAt: null,
        promisedShipAt: new Date('2026-11-25T04:00:00Z'),
      },
      buyer: { name: '钱测试', phone: '15812345678' },
      items: [{ lineNo: '100098765432', quantity: 1, unitPriceCents: 399900, category: '13117' }],
    });
  });

  it('is PAID once the balance is paid', () => {
    const raw = loadFixture('jd-presale.json');
    raw.presaleInfo.balancePayTime = '2026-11-11 00:10:00';
    const order = parsedValue(parseJdOrder(raw));
    expect(order).toMatchObject({
      state: 'PAID',
      paidCents: 389900,
      paidAt: new Date('2026-11-10T16:10:00Z'),
    });
  });

  it('is recognised from presaleInfo alone', () => {
    const raw = loadFixture('jd-presale.json');
    delete raw.orderType;
    expect(parsedValue(parseJdOrder(raw)).businessType).toBe('PRESALE');
  });

  it('reports orderType "presale" without presaleInfo, and presaleInfo defects by path', () => {
    const missing = loadFixture('jd-presale.json');
    delete missing.presaleInfo;
    expect(defectsOf(parseJdOrder(missing))).toEqual(['presaleInfo REQUIRED']);

    const broken = loadFixture('jd-presale.json');
    broken.presaleInfo.depositAmount = '-200';
    broken.presaleInfo.depositPayTime = '2026-10-32 20:01:30';
    expect(defectsOf(parseJdOrder(broken))).toEqual([
      'presaleInfo.depositAmount INVALID_MONEY',
      'presaleInfo.depositPayTime INVALID_TIME',
    ]);
  });

  it('cancelled after the deposit is REFUNDED', () => {
    const raw = loadFixture('jd-presale.json');
    raw.orderState = 'TRADE_CANCELED';
    delete raw.paymentConfirmTime;
    expect(parsedValue(parseJdOrder(raw)).state).toBe('REFUNDED');
  });
});

describe('parseJdOrder: malformed orders', () => {
  it('reports every defect at once, each by its JD field', () => {
    expect(defectsOf(parseJdOrder(loadFixture('jd-malformed.json')))).toEqual([
      'consigneeInfo.mobile INVALID_PHONE',
      'itemInfoList NO_ITEMS',
      'orderPayment INVALID_MONEY',
      'orderStartTime INVALID_TIME',
      'orderState UNKNOWN_STATUS',
    ]);
  });

  it('reports a missing consigneeInfo once, not once per field inside it', () => {
    const raw = loadFixture('jd-normal.json');
    delete raw.consigneeInfo;
    expect(defectsOf(parseJdOrder(raw))).toEqual(['consigneeInfo REQUIRED']);
  });

  it('names line defects by index', () => {
    const raw = loadFixture('jd-normal.json');
    raw.itemInfoList.push(
      { skuId: '100012345679', skuName: '', itemTotal: '-1', jdPrice: 12.345 },
      'not a line',
    );
    expect(defectsOf(parseJdOrder(raw))).toEqual([
      'itemInfoList[1].itemTotal INVALID_QUANTITY',
      'itemInfoList[1].jdPrice INVALID_MONEY',
      'itemInfoList[1].skuName REQUIRED',
      'itemInfoList[2] INVALID_TYPE',
    ]);
  });
});
