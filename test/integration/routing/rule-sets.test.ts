import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { divisionRegistry } from '../../../api/src/modules/routing/division-registry.js';
import { DEFAULT_RULES } from '../../../api/src/modules/routing/routing-defaults.js';
import { ensureRoutingDefaults } from '../../../api/src/modules/routing/routing-rules.store.js';
import { gql, openRoutingDb, type RoutingDb, routingOf, staff, submit } from './routing-kit.js';

const OPS = staff('OPS');
const NOW = new Date('2026-11-20T06:10:00Z');

const VERSION_FIELDS = `version defaultGroupId createdBy comment active
  rules { id name priority groupId enabled conditions {
    provinceCodes cityCodes districtCodes minAmountCents maxAmountCents categories channels businessTypes } }`;
const SAVE = `mutation ($input: RoutingRuleSetInput!, $comment: String, $base: Int) {
  saveRoutingRules(input: $input, comment: $comment, baseVersion: $base) {
    ruleSet { ${VERSION_FIELDS} } userErrors { field code message } } }`;
const DRY_RUN = `mutation ($input: RoutingRuleSetInput!) {
  dryRunRoutingRules(input: $input) {
    report { baseVersion evaluated movedCount unassignedOpenOrders
      moved { orderId channelOrderNo fromGroupId toGroupId ruleId reason placedByCurrentRules }
      byTransition { fromGroupId toGroupId count }
      ruleHits { ruleId count } }
    userErrors { field code message } } }`;

type Save = {
  saveRoutingRules: {
    ruleSet: { version: number; active: boolean; comment: string | null; createdBy: string } | null;
    userErrors: { field: string; code: string; message: string }[];
  };
};

const defaults = () => ({ defaultGroupId: 'general', rules: DEFAULT_RULES.map((r) => ({ ...r })) });

describe('routing rule sets', () => {
  let db: RoutingDb;

  beforeAll(async () => {
    db = await openRoutingDb('routing_rules');
    expect(divisionRegistry.reload().ok).toBe(true);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('seeds the default rule set once, on a database without one', async () => {
    expect(await ensureRoutingDefaults(db.pool)).toBe(true);
    expect(await ensureRoutingDefaults(db.pool)).toBe(false);
    const answer = await gql<{ routingRuleSet: { active: Record<string, unknown> } }>(
      db,
      staff('SUPERVISOR'),
      `query { routingRuleSet { active { ${VERSION_FIELDS} } } }`,
    );
    expect(answer.errors).toEqual([]);
    const active = answer.data.routingRuleSet.active as {
      version: number;
      createdBy: string;
      rules: unknown[];
    };
    expect(active).toMatchObject({
      version: 1,
      createdBy: 'system',
      active: true,
      defaultGroupId: 'general',
    });
    expect(active.rules).toHaveLength(4);
    expect(active.rules[2]).toEqual({
      id: 'east-china',
      name: '华东地区',
      priority: 30,
      groupId: 'east-china',
      enabled: true,
      conditions: {
        provinceCodes: ['310000', '320000', '330000', '340000'],
        cityCodes: null,
        districtCodes: null,
        minAmountCents: null,
        maxAmountCents: null,
        categories: null,
        channels: null,
        businessTypes: null,
      },
    });
  });

  it('reports every defect with its path and saves nothing', async () => {
    const input = {
      defaultGroupId: 'nowhere',
      rules: [
        {
          id: 'a',
          name: '甲',
          priority: 10,
          groupId: 'east-china',
          enabled: true,
          conditions: { provinceCodes: ['990000'] },
        },
        {
          id: 'b',
          name: '乙',
          priority: 10,
          groupId: 'ghost',
          enabled: true,
          conditions: { cityCodes: ['330000'] },
        },
        {
          id: 'c',
          name: '丙',
          priority: 30,
          groupId: 'general',
          enabled: true,
          conditions: { minAmountCents: 90_000, maxAmountCents: 10_000 },
        },
        {
          id: 'DEFAULT',
          priority: 40,
          groupId: 'general',
          enabled: null,
          conditions: { channels: ['WECHAT'] },
        },
      ],
    };
    const answer = await gql<Save>(db, OPS, SAVE, { input, comment: '错误的规则' });
    expect(answer.errors).toEqual([]);
    expect(answer.data.saveRoutingRules.ruleSet).toBeNull();
    expect(answer.data.saveRoutingRules.userErrors.map((e) => [e.field, e.code])).toEqual([
      ['defaultGroupId', 'UNKNOWN_GROUP'],
      ['rules[0].conditions.provinceCodes[0]', 'UNKNOWN_REGION_CODE'],
      ['rules[1].groupId', 'UNKNOWN_GROUP'],
      ['rules[1].conditions.cityCodes[0]', 'REGION_LEVEL_MISMATCH'],
      ['rules[2].conditions.minAmountCents', 'AMOUNT_RANGE_INVERTED'],
      ['rules[3].id', 'RESERVED_RULE_ID'],
      ['rules[3].name', 'REQUIRED'],
      ['rules[3].enabled', 'REQUIRED'],
      ['rules[3].conditions.channels[0]', 'UNKNOWN_CHANNEL'],
      ['rules[1].priority', 'DUPLICATE_PRIORITY'],
    ]);
    const { rows } = await db.pool.query('select version from routing_rule_set_version order by version');
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('saves versions, keeps every one readable and exactly one active', async () => {
    const next = defaults();
    next.rules[1] = { ...next.rules[1], conditions: { minAmountCents: 300_000 } };
    const second = await gql<Save>(db, OPS, SAVE, {
      input: next,
      comment: ' 大额门槛降到 3000 元 ',
      base: 1,
    });
    expect(second.data.saveRoutingRules.userErrors).toEqual([]);
    expect(second.data.saveRoutingRules.ruleSet).toMatchObject({
      version: 2,
      active: true,
      comment: '大额门槛降到 3000 元',
      createdBy: 'test-ops',
    });

    const stale = await gql<Save>(db, OPS, SAVE, { input: defaults(), base: 1 });
    expect(stale.data.saveRoutingRules.userErrors.map((e) => [e.field, e.code])).toEqual([
      ['baseVersion', 'STALE_VERSION'],
    ]);

    // Saves racing each other each get their own version; one ends active.
    const raced = await Promise.all(
      [1, 2, 3].map((i) => gql<Save>(db, OPS, SAVE, { input: defaults(), comment: `并发 ${i}` })),
    );
    expect(raced.map((r) => r.data.saveRoutingRules.ruleSet?.version).sort()).toEqual([3, 4, 5]);
    const { rows } = await db.pool.query<{ version: number; active: boolean }>(
      'select version, active from routing_rule_set_version order by version',
    );
    expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.filter((r) => r.active).map((r) => r.version)).toEqual([5]);
    // The database itself refuses a second active version.
    await expect(
      db.pool.query('update routing_rule_set_version set active = true where version = 1'),
    ).rejects.toThrow(/routing_rule_set_version_one_active/);

    const page = `query ($after: String) { routingRuleSet { active { version }
      versions(first: 2, after: $after) { nodes { version active comment } hasNextPage endCursor totalCount } } }`;
    type Page = {
      routingRuleSet: {
        active: { version: number };
        versions: {
          nodes: { version: number }[];
          hasNextPage: boolean;
          endCursor: string;
          totalCount: number;
        };
      };
    };
    const first = await gql<Page>(db, OPS, page);
    expect(first.data.routingRuleSet.active.version).toBe(5);
    expect(first.data.routingRuleSet.versions).toMatchObject({
      hasNextPage: true,
      endCursor: '4',
      totalCount: 5,
    });
    expect(first.data.routingRuleSet.versions.nodes.map((n) => n.version)).toEqual([5, 4]);
    const last = await gql<Page>(db, OPS, page, { after: '2' });
    expect(last.data.routingRuleSet.versions.nodes.map((n) => n.version)).toEqual([1]);
    expect(last.data.routingRuleSet.versions.hasNextPage).toBe(false);

    const old = await gql<{
      routingRuleSetVersion: {
        version: number;
        active: boolean;
        rules: { conditions: { minAmountCents: number } }[];
      };
    }>(db, OPS, `query { routingRuleSetVersion(version: 2) { ${VERSION_FIELDS} } }`);
    expect(old.data.routingRuleSetVersion.active).toBe(false);
    expect(old.data.routingRuleSetVersion.rules[1].conditions.minAmountCents).toBe(300_000);
  });

  it('lets only OPS and ADMIN save', async () => {
    const answer = await gql<Save>(db, staff('SUPERVISOR'), SAVE, { input: defaults() });
    expect(answer.errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
  });

  it('answers which open orders a proposal would move, without moving them', async () => {
    const results = await submit(
      db,
      [
        {},
        { province: '江苏省', city: '南京市', district: '鼓楼区' },
        { province: '上海市', city: '上海市', district: '黄浦区' },
        { province: '广东省', city: '广州市', district: '天河区' },
        { province: '广西壮族自治区', city: '南宁市', district: '青秀区' },
        { province: '四川省', city: '成都市', district: '武侯区' },
        { status: 'DELIVERED' },
        { province: null, city: null, district: null, detail: '🏠' },
      ],
      NOW,
    );
    const groups = await Promise.all(results.map(async (r) => (await routingOf(db, r.orderId)).group_id));
    expect(groups).toEqual([
      'east-china',
      'east-china',
      'east-china',
      'south-china',
      'south-china',
      'general',
      'east-china',
      null,
    ]);

    // Proposal: Zhejiang and Jiangsu go to the south group, ahead of the east rule.
    const proposal = defaults();
    proposal.rules.push({
      id: 'zj-js-south',
      name: '江浙转华南',
      priority: 25,
      groupId: 'south-china',
      enabled: true,
      conditions: { provinceCodes: ['330000', '320000'] },
    });
    const answer = await gql<{
      dryRunRoutingRules: { report: Record<string, unknown>; userErrors: unknown[] };
    }>(db, staff('SUPERVISOR'), DRY_RUN, { input: proposal });
    expect(answer.errors).toEqual([]);
    const report = answer.data.dryRunRoutingRules.report as {
      moved: {
        orderId: string;
        fromGroupId: string;
        toGroupId: string;
        ruleId: string;
        reason: string;
        placedByCurrentRules: boolean;
      }[];
      ruleHits: { ruleId: string; count: number }[];
    };
    expect(report).toMatchObject({
      baseVersion: 5,
      evaluated: 6,
      movedCount: 2,
      unassignedOpenOrders: 1,
      byTransition: [{ fromGroupId: 'east-china', toGroupId: 'south-china', count: 2 }],
    });
    expect(report.moved.map((m) => m.orderId).sort()).toEqual(
      [results[0].orderId, results[1].orderId].sort(),
    );
    for (const move of report.moved) {
      expect(move).toMatchObject({
        fromGroupId: 'east-china',
        toGroupId: 'south-china',
        ruleId: 'zj-js-south',
        placedByCurrentRules: true,
      });
      expect(move.reason).toMatch(/^规则「江浙转华南」命中：省份 3[23]0000$/);
    }
    expect(Object.fromEntries(report.ruleHits.map((h) => [h.ruleId, h.count]))).toEqual({
      'custom-orders': 0,
      'large-amount': 0,
      'zj-js-south': 2,
      'east-china': 1,
      'south-china': 2,
      DEFAULT: 1,
    });
    // Nothing moved and nothing saved.
    expect((await routingOf(db, results[0].orderId)).group_id).toBe('east-china');
    const { rows } = await db.pool.query('select max(version)::int as v from routing_rule_set_version');
    expect(rows[0].v).toBe(5);

    const invalid = await gql<{ dryRunRoutingRules: { report: unknown; userErrors: { field: string }[] } }>(
      db,
      OPS,
      DRY_RUN,
      {
        input: {
          defaultGroupId: 'general',
          rules: [
            {
              id: 'x',
              name: 'x',
              priority: 1,
              groupId: 'general',
              enabled: true,
              conditions: { minAmountCents: -5 },
            },
          ],
        },
      },
    );
    expect(invalid.data.dryRunRoutingRules.report).toBeNull();
    expect(invalid.data.dryRunRoutingRules.userErrors.map((e) => e.field)).toEqual([
      'rules[0].conditions.minAmountCents',
    ]);
  });
});
