import { describe, expect, it } from 'vitest';
import { hasPassed, orderLifecycle, progressRank } from '../../../api/src/domain/order/order-lifecycle.js';
import { ORDER_STATES, type OrderState } from '../../../api/src/domain/order/order-types.js';

/** Every allowed move, written out independently of the map under test. */
const ALLOWED: ReadonlyArray<readonly [OrderState, OrderState]> = [
  ['CREATED', 'PAID'],
  ['CREATED', 'CANCELLED'],
  ['PAID', 'WAREHOUSE_ACCEPTED'],
  ['PAID', 'PICKING'],
  ['PAID', 'CANCELLED'],
  ['WAREHOUSE_ACCEPTED', 'PICKING'],
  ['WAREHOUSE_ACCEPTED', 'CANCELLED'],
  ['PICKING', 'PACKED'],
  ['PICKING', 'CANCELLED'],
  ['PACKED', 'SHIPPED'],
  ['PACKED', 'IN_TRANSIT'],
  ['PACKED', 'CANCELLED'],
  ['SHIPPED', 'IN_TRANSIT'],
  ['SHIPPED', 'OUT_FOR_DELIVERY'],
  ['SHIPPED', 'DELIVERED'],
  ['SHIPPED', 'DELIVERY_FAILED'],
  ['SHIPPED', 'RETURNING'],
  ['IN_TRANSIT', 'OUT_FOR_DELIVERY'],
  ['IN_TRANSIT', 'DELIVERED'],
  ['IN_TRANSIT', 'DELIVERY_FAILED'],
  ['IN_TRANSIT', 'RETURNING'],
  ['OUT_FOR_DELIVERY', 'DELIVERED'],
  ['OUT_FOR_DELIVERY', 'DELIVERY_FAILED'],
  ['OUT_FOR_DELIVERY', 'RETURNING'],
  ['DELIVERED', 'RETURNING'],
  ['CANCELLED', 'REFUNDED'],
  ['DELIVERY_FAILED', 'OUT_FOR_DELIVERY'],
  ['DELIVERY_FAILED', 'DELIVERED'],
  ['DELIVERY_FAILED', 'RETURNING'],
  ['RETURNING', 'RETURNED'],
  ['RETURNED', 'REFUNDED'],
];
const allowed = new Set(ALLOWED.map(([from, to]) => `${from}→${to}`));
const everyPair = ORDER_STATES.flatMap((from) => ORDER_STATES.map((to) => [from, to] as const));

describe('order lifecycle', () => {
  it('validates at start-up and lists its states in order', () => {
    expect(orderLifecycle.states).toEqual(ORDER_STATES);
    expect(orderLifecycle.initial).toBe('CREATED');
    expect(ORDER_STATES.filter((s) => orderLifecycle.isTerminal(s))).toEqual(['REFUNDED']);
  });

  it.each(everyPair)('%s → %s', (from, to) => {
    const check = orderLifecycle.canTransition(from, to);
    if (allowed.has(`${from}→${to}`)) {
      expect(check).toEqual({ ok: true });
    } else {
      expect(check).toMatchObject({
        ok: false,
        code: from === 'REFUNDED' ? 'TERMINAL_STATE' : 'TRANSITION_NOT_ALLOWED',
      });
    }
  });

  it('explains a refusal by naming the allowed moves', () => {
    expect(orderLifecycle.canTransition('DELIVERED', 'PICKING')).toEqual({
      ok: false,
      code: 'TRANSITION_NOT_ALLOWED',
      reason: 'order cannot move from DELIVERED to PICKING; from DELIVERED it can move to RETURNING',
    });
  });
});

describe('progressRank', () => {
  it('counts up along the main path', () => {
    const main: OrderState[] = [
      'CREATED',
      'PAID',
      'WAREHOUSE_ACCEPTED',
      'PICKING',
      'PACKED',
      'SHIPPED',
      'IN_TRANSIT',
      'OUT_FOR_DELIVERY',
      'DELIVERED',
    ];
    const ranks = main.map(progressRank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(ranks).size).toBe(main.length);
  });

  it('never goes down along a transition; only the delivery retry loop keeps it level', () => {
    const level = ALLOWED.filter(([from, to]) => progressRank(to) === progressRank(from));
    expect(ALLOWED.filter(([from, to]) => progressRank(to) < progressRank(from))).toEqual([]);
    expect(level).toEqual([
      ['OUT_FOR_DELIVERY', 'DELIVERY_FAILED'],
      ['DELIVERY_FAILED', 'OUT_FOR_DELIVERY'],
    ]);
  });

  it('places side states where they branch off', () => {
    expect(progressRank('CANCELLED')).toBeGreaterThan(progressRank('PACKED'));
    expect(progressRank('DELIVERY_FAILED')).toBe(progressRank('OUT_FOR_DELIVERY'));
    expect(progressRank('RETURNING')).toBeGreaterThan(progressRank('DELIVERED'));
    expect(progressRank('REFUNDED')).toBe(Math.max(...ORDER_STATES.map(progressRank)));
  });
});

describe('hasPassed', () => {
  it.each([
    ['DELIVERED', 'SHIPPED', true],
    ['DELIVERED', 'PICKING', true],
    ['CANCELLED', 'PICKING', true],
    ['REFUNDED', 'DELIVERED', true],
    ['CANCELLED', 'SHIPPED', false],
    ['SHIPPED', 'CANCELLED', false],
    ['DELIVERED', 'CANCELLED', false],
    ['DELIVERY_FAILED', 'OUT_FOR_DELIVERY', false],
    ['PICKING', 'PACKED', false],
  ] as const)('%s is past %s: %s', (current, target, expected) => {
    expect(hasPassed(current, target)).toBe(expected);
  });
});
