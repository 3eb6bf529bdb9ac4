import { describe, expect, it } from 'vitest';
import { orderPageStatement, refuseOrderList } from '../../../api/src/modules/orders/order-page-sql.js';

const page = (opts: Partial<Parameters<typeof orderPageStatement>[0]>) =>
  orderPageStatement({
    columns: 'id',
    channels: null,
    filter: {},
    sort: 'ORDERED_AT_DESC',
    after: null,
    limit: 21,
    ...opts,
  });
const branches = (text: string) => text.split(' union all ').length;

describe('order page SQL', () => {
  it('one range per value of the driving column, merged, each limited', () => {
    const states = page({ filter: { states: ['PAID', 'PICKING', 'PAID'] }, channels: ['JD', 'TAOBAO'] });
    expect(branches(states.text)).toBe(2);
    expect(states.text).toMatch(
      /^select \* from \(\(select id from orders where channel = any\(\$1::text\[\]\) and state = \$2::text order by ordered_at desc, id desc limit \$3\)/,
    );
    expect(states.text.endsWith(') merged order by ordered_at desc, id desc limit $7')).toBe(true);
    expect(states.values).toEqual([['JD', 'TAOBAO'], 'PAID', 21, ['JD', 'TAOBAO'], 'PICKING', 21, 21]);
    // A partner's several channels are the ranges when no state is asked for.
    expect(branches(page({ channels: ['JD', 'DOUYIN', 'WEBSHOP'] }).text)).toBe(3);
    expect(branches(page({ filter: { groupIds: ['G1', 'G2'] } }).text)).toBe(2);
  });

  it('one range when one value of an indexed column, a phone or abnormal drives the page', () => {
    for (const opts of [
      { filter: { states: ['PAID' as const] }, channels: ['JD', 'TAOBAO'] as const },
      { filter: { buyerPhone: '13800138000', states: ['PAID' as const, 'SHIPPED' as const] } },
      { filter: { abnormal: true, groupIds: ['G1', 'G2'] } },
      { filter: {} },
    ])
      expect(branches(page(opts).text)).toBe(1);
  });

  it('newest paid first reads paid_at, paid orders only, and the cursor compares paid_at', () => {
    const paid = page({
      sort: 'PAID_AT_DESC',
      filter: { paidFrom: new Date('2026-11-01T00:00:00Z'), states: ['PAID', 'SHIPPED'] },
      after: {
        sort: 'PAID_AT_DESC',
        at: '2026-11-02T00:00:00.000000Z',
        id: '00000000-0000-4000-8000-000000000000',
      },
    });
    expect(branches(paid.text)).toBe(1);
    expect(paid.text).toContain('paid_at is not null and paid_at >= $2::timestamptz');
    expect(paid.text).toContain('(paid_at, id) < ($3::timestamptz, $4::uuid)');
    expect(paid.text).toMatch(/order by paid_at desc, id desc limit \$5$/);
  });

  it('refuses what no index serves, naming the field', () => {
    const from = new Date('2026-11-01T00:00:00Z');
    expect(refuseOrderList({ paidTo: from }, 'ORDERED_AT_DESC', null)).toMatchObject({
      code: 'PAID_RANGE_NEEDS_PAID_ORDER',
      argument: 'filter.paidTo',
    });
    expect(refuseOrderList({ paidTo: from }, 'PAID_AT_DESC', null)).toBeNull();
    expect(
      refuseOrderList({ groupIds: Array.from({ length: 21 }, (_, i) => `G${i}`) }, 'ORDERED_AT_DESC', null),
    ).toMatchObject({ code: 'TOO_MANY_VALUES', argument: 'filter.groupIds' });
    expect(refuseOrderList({}, 'ORDERED_AT_DESC', { sort: 'PAID_AT_DESC', at: 'x', id: 'y' })).toMatchObject({
      code: 'CURSOR_ORDER_MISMATCH',
      argument: 'after',
    });
  });
});
