import { describe, expect, it } from 'vitest';
import { dryRunRuleSet, type OpenOrderPlacement } from '../../../api/src/domain/routing/routing-dry-run.js';
import { compiled, order, rule } from './routing-fixtures.js';

const current = compiled([
  rule('zj', 10, 'g-zj', { provinceCodes: ['330000'] }),
  rule('jd', 20, 'g-jd', { channels: ['JD'] }),
]);

// Proposal: big Zhejiang orders get their own group, JD keeps its group, a new presale rule is unused.
const proposed = compiled(
  [
    rule('zj-big', 5, 'g-big', { provinceCodes: ['330000'], minAmountCents: 100_000 }, { name: '浙江大额' }),
    rule('zj', 10, 'g-zj', { provinceCodes: ['330000'] }),
    rule('jd', 20, 'g-jd', { channels: ['JD'] }),
    rule('presale', 30, 'g-presale', { businessTypes: ['PRESALE'], channels: ['WEBSHOP'] }),
  ],
  'g-default',
  2,
);

const shanghai = { provinceCode: '310000', cityCode: '310100', districtCode: '310101' };
const open = (
  orderId: string,
  currentGroupId: string,
  over: Parameters<typeof order>[0] = {},
): OpenOrderPlacement => ({
  ...order(over),
  orderId,
  currentGroupId,
});

describe('dryRunRuleSet', () => {
  const orders = [
    open('o1', 'g-zj', { amountCents: 150_000 }),
    open('o2', 'g-zj', { amountCents: 100_000 }),
    open('o3', 'g-zj', { amountCents: 99_999 }),
    open('o4', 'g-jd', { channel: 'JD', region: shanghai }),
    open('o5', 'g-default', { region: shanghai }),
    // Put into g-zj by hand although current rules send it to the default group.
    open('o6', 'g-zj', { region: shanghai }),
    open('o7', 'g-default', { region: null, amountCents: 500_000 }),
  ];
  const report = dryRunRuleSet(current, proposed, orders);

  it('counts every open order it evaluated', () => {
    expect(report.evaluated).toBe(7);
  });

  it('lists the orders whose group would change, with the deciding rule and reason', () => {
    expect(report.moved).toEqual([
      {
        orderId: 'o1',
        fromGroupId: 'g-zj',
        toGroupId: 'g-big',
        ruleId: 'zj-big',
        reason: '规则「浙江大额」命中：省份 330000，金额 ≥ 1000.00 元',
        placedByCurrentRules: true,
      },
      expect.objectContaining({ orderId: 'o2', fromGroupId: 'g-zj', toGroupId: 'g-big', ruleId: 'zj-big' }),
      {
        orderId: 'o6',
        fromGroupId: 'g-zj',
        toGroupId: 'g-default',
        ruleId: null,
        reason: '未命中任何规则，进入默认组 g-default',
        placedByCurrentRules: false,
      },
    ]);
  });

  it('groups the moves by transition, largest first', () => {
    expect(report.byTransition).toEqual([
      { fromGroupId: 'g-zj', toGroupId: 'g-big', count: 2 },
      { fromGroupId: 'g-zj', toGroupId: 'g-default', count: 1 },
    ]);
  });

  it('counts hits per proposed rule and for the default group, listing rules that hit nothing', () => {
    expect(report.ruleHits).toEqual({ 'zj-big': 2, zj: 1, jd: 1, presale: 0, DEFAULT: 3 });
  });

  it('moves nothing when the proposal equals the current rule set', () => {
    const same = dryRunRuleSet(
      current,
      current,
      orders.filter((o) => o.orderId !== 'o6'),
    );
    expect(same).toMatchObject({ evaluated: 6, moved: [], byTransition: [] });
  });

  it('handles no open orders', () => {
    expect(dryRunRuleSet(current, proposed, [])).toEqual({
      evaluated: 0,
      moved: [],
      byTransition: [],
      ruleHits: { 'zj-big': 0, zj: 0, jd: 0, presale: 0, DEFAULT: 0 },
    });
  });
});
