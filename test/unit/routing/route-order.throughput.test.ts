import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../api/src/domain/order/order-types.js';
import { routeOrder } from '../../../api/src/domain/routing/route-order.js';
import type { RoutableOrder, RoutingRule } from '../../../api/src/domain/routing/routing-rule.js';
import { compiled, rule } from './routing-fixtures.js';

/** 50 rules mixing every condition kind; most orders fall through to late rules or the default. */
function fiftyRules(): RoutingRule[] {
  return Array.from({ length: 50 }, (_, i) =>
    rule(`r${i}`, i, `g${i % 7}`, {
      provinceCodes: [`${11 + (i % 30)}0000`],
      cityCodes: [`${11 + ((i + 3) % 30)}0100`],
      minAmountCents: (i % 5) * 10_000,
      maxAmountCents: (i % 5) * 10_000 + 200_000,
      categories: [`cat${i % 11}`, `cat${(i + 4) % 11}`],
      channels: [CHANNELS[i % 4], CHANNELS[(i + 1) % 4]],
      businessTypes: i % 3 === 0 ? ['PRESALE'] : ['NORMAL', 'CUSTOM'],
    }),
  );
}

function orders(n: number): RoutableOrder[] {
  return Array.from({ length: n }, (_, i) => ({
    channel: CHANNELS[i % 4],
    businessType: i % 5 === 0 ? 'PRESALE' : 'NORMAL',
    amountCents: (i * 7_919) % 400_000,
    categories: [`cat${i % 13}`, `cat${(i * 3) % 17}`],
    region:
      i % 10 === 0
        ? null
        : {
            provinceCode: `${11 + (i % 40)}0000`,
            cityCode: `${11 + (i % 40)}0100`,
            districtCode: `${11 + (i % 40)}0102`,
          },
  }));
}

describe('routeOrder throughput', () => {
  it('routes at least 200,000 orders a second against 50 rules', () => {
    const rules = compiled(fiftyRules());
    const sample = orders(1_000);
    const run = (n: number) => {
      let defaults = 0;
      for (let i = 0; i < n; i++)
        if (routeOrder(rules, sample[i % sample.length]).ruleId === null) defaults++;
      return defaults;
    };
    run(50_000); // warm up the JIT

    // Measured in CPU time, so other processes competing for the machine do not fail the test.
    const n = 400_000;
    const started = process.cpuUsage();
    const defaults = run(n);
    const used = process.cpuUsage(started);
    const perSecond = n / ((used.user + used.system) / 1e6);
    console.info(
      `routeOrder: ${Math.round(perSecond).toLocaleString('en')} routings per CPU second, 50 rules`,
    );

    expect(defaults).toBeGreaterThan(0); // the sample exercises the full fall-through path
    expect(defaults).toBeLessThan(n);
    expect(perSecond).toBeGreaterThanOrEqual(200_000);
  });
});
