import { describe, expect, it } from 'vitest';
import {
  customerStatusLabel,
  formatChineseDuration,
  formatShanghaiTime,
  staffStatusLabel,
} from '../../../api/src/domain/order/order-labels.js';
import { ORDER_STATES } from '../../../api/src/domain/order/order-types.js';

// 2024-11-25 10:00 in Shanghai.
const now = new Date('2024-11-25T02:00:00Z');

describe('customerStatusLabel', () => {
  it.each([
    ['CREATED', '订单已提交，等待付款'],
    ['PAID', '付款成功，等待仓库接单'],
    ['WAREHOUSE_ACCEPTED', '仓库已接单，即将拣货'],
    ['PICKING', '仓库拣货中'],
    ['PACKED', '商品已打包，等待快递揽收'],
    ['SHIPPED', '已发货，已交给快递'],
    ['IN_TRANSIT', '运输途中'],
    ['OUT_FOR_DELIVERY', '快递员正在派送'],
    ['DELIVERED', '已签收'],
    ['CANCELLED', '订单已取消'],
    ['DELIVERY_FAILED', '派送未成功，等待再次派送'],
    ['RETURNING', '商品退回中'],
    ['RETURNED', '退货已入库，等待退款'],
    ['REFUNDED', '退款已原路退回'],
  ] as const)('%s without an expected time reads "%s"', (state, label) => {
    expect(customerStatusLabel(state, undefined, now)).toBe(label);
  });

  it('never falls back to a vague "处理中"', () => {
    for (const state of ORDER_STATES)
      expect(customerStatusLabel(state, undefined, now)).not.toContain('处理中');
  });

  it.each([
    ['PICKING', { withinMinutes: 120 }, '仓库拣货中（预计2小时内完成）'],
    ['PAID', { withinMinutes: 30 }, '付款成功，等待仓库接单（预计30分钟内开始拣货）'],
    ['CREATED', { withinMinutes: 30 }, '订单已提交，等待付款（请在30分钟内完成付款）'],
    ['PACKED', { withinMinutes: 90 }, '商品已打包，等待快递揽收（预计1小时30分钟内发货）'],
    ['CANCELLED', { withinMinutes: 1440 }, '订单已取消（退款预计1天内原路退回）'],
    ['RETURNED', { withinMinutes: 3 * 1440 }, '退货已入库，等待退款（退款预计3天内原路退回）'],
  ] as const)('%s within %o reads "%s"', (state, expectation, label) => {
    expect(customerStatusLabel(state, expectation, now)).toBe(label);
  });

  it('names an expected date and time in Asia/Shanghai', () => {
    const by = new Date('2024-11-26T10:00:00Z'); // 18:00 in Shanghai, two calendar days later there
    expect(customerStatusLabel('IN_TRANSIT', { by }, new Date('2024-11-24T02:00:00Z'))).toBe(
      '运输途中（预计11月26日 18:00前送达）',
    );
  });

  it('says 今天 and 明天 for the next two days, as Shanghai counts them', () => {
    expect(customerStatusLabel('OUT_FOR_DELIVERY', { by: new Date('2024-11-25T10:00:00Z') }, now)).toBe(
      '快递员正在派送（预计今天 18:00前送达）',
    );
    // 2024-11-25T16:30Z is already 00:30 on 11月26日 in Shanghai.
    expect(customerStatusLabel('SHIPPED', { by: new Date('2024-11-25T16:30:00Z') }, now)).toBe(
      '已发货，已交给快递（预计明天 00:30前送达）',
    );
  });

  it('prefers `by` over `withinMinutes` when both are given', () => {
    expect(
      customerStatusLabel('PICKING', { withinMinutes: 120, by: new Date('2024-11-25T03:30:00Z') }, now),
    ).toBe('仓库拣货中（预计今天 11:30前完成）');
  });

  it('leaves out an expected time that has already passed or makes no sense', () => {
    expect(customerStatusLabel('PICKING', { by: new Date('2024-11-25T01:00:00Z') }, now)).toBe('仓库拣货中');
    expect(customerStatusLabel('PICKING', { withinMinutes: 0 }, now)).toBe('仓库拣货中');
    expect(customerStatusLabel('PICKING', { by: new Date('nonsense') }, now)).toBe('仓库拣货中');
    expect(customerStatusLabel('DELIVERED', { withinMinutes: 60 }, now)).toBe('已签收');
  });
});

describe('formatChineseDuration', () => {
  it.each([
    [30, '30分钟'],
    [0.2, '1分钟'],
    [59.5, '1小时'],
    [120, '2小时'],
    [150, '2小时30分钟'],
    [1440, '1天'],
    [1441, '1天1小时'],
    [1800, '1天6小时'],
    [2879, '2天'],
  ])('%d minutes → %s', (minutes, text) => {
    expect(formatChineseDuration(minutes)).toBe(text);
  });
});

describe('formatShanghaiTime', () => {
  it('adds the year when it is not the current one', () => {
    expect(formatShanghaiTime(new Date('2025-01-02T01:05:00Z'), now)).toBe('2025年1月2日 09:05');
  });
});

describe('staffStatusLabel', () => {
  it.each([
    ['CREATED', '待付款'],
    ['PAID', '已付款'],
    ['WAREHOUSE_ACCEPTED', '仓库已接单'],
    ['PICKING', '拣货中'],
    ['PACKED', '已打包'],
    ['SHIPPED', '已发货'],
    ['IN_TRANSIT', '运输中'],
    ['OUT_FOR_DELIVERY', '派送中'],
    ['DELIVERED', '已签收'],
    ['CANCELLED', '已取消'],
    ['DELIVERY_FAILED', '派送失败'],
    ['RETURNING', '退回中'],
    ['RETURNED', '已退回'],
    ['REFUNDED', '已退款'],
  ] as const)('%s → %s', (state, label) => {
    expect(staffStatusLabel(state)).toBe(label);
  });
});
