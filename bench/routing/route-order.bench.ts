import { cpus } from 'node:os';
import { CHANNELS } from '../../api/src/domain/order/order-types.js';
import { compileRuleSet } from '../../api/src/domain/routing/compile-rule-set.js';
import { routeOrder } from '../../api/src/domain/routing/route-order.js';
import type {
  RoutableOrder,
  RoutingConditions,
  RoutingRule,
} from '../../api/src/domain/routing/routing-rule.js';

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

const rule = (id: string, priority: number, groupId: string, conditions: RoutingConditions): RoutingRule => ({
  id,
  name: id,
  priority,
  groupId,
  enabled: true,
  conditions,
});

/**
 * Routing throughput: 50 rules mixing every condition kind, 1,000 sample orders (a tenth with no
 * parsed region). Measured in CPU time so other load on the machine does not skew it.
 * Run: `npm run bench:routing`.
 */
const rules = compileRuleSet({ version: 1, rules: fiftyRules(), defaultGroupId: 'g-default' });
const sample = orders(1_000);
const run = (n: number) => {
  let defaults = 0;
  for (let i = 0; i < n; i++) if (routeOrder(rules, sample[i % sample.length]).ruleId === null) defaults++;
  return defaults;
};
run(50_000); // warm up the JIT
const n = 1_000_000;
const started = process.cpuUsage();
const defaults = run(n);
const used = process.cpuUsage(started);
const perSecond = Math.round(n / ((used.user + used.system) / 1e6));
console.log(`machine: ${cpus()[0]?.model} x${cpus().length}, node ${process.version}`);
console.log(
  `routeOrder: ${perSecond.toLocaleString('en')} routings per CPU second (50 rules, ${defaults} of ${n} to the default group)`,
);
console.log(`goal >= 200,000/s: ${perSecond >= 200_000 ? 'met' : 'NOT met'}`);
console.log(JSON.stringify({ bench: 'routing', rules: 50, routings: n, perCpuSecond: perSecond }));
