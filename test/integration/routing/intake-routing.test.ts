import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { divisionRegistry } from '../../../api/src/modules/routing/division-registry.js';
import { decideRouting, readRoutingInputs } from '../../../api/src/modules/routing/routing.service.js';
import {
  gql,
  type OrderSpec,
  openRoutingDb,
  parseStats,
  type RoutingDb,
  routingOf,
  ruleHits,
  staff,
  submit,
} from './routing-kit.js';

const OPS = staff('OPS');
// 01:00 on 21 November in Shanghai, still the 20th in UTC: hits are counted on the Shanghai day.
const NOW = new Date('2026-11-20T17:00:30Z');
const DAY = '2026-11-21';

const SAVE = `mutation ($input: RoutingRuleSetInput!) {
  saveRoutingRules(input: $input, comment: "测试规则") { ruleSet { version } userErrors { field code message } }
}`;
const UPSERT = `mutation ($input: ProcessingGroupInput!) {
  upsertProcessingGroup(input: $input) { group { id } userErrors { field code } }
}`;

describe('routing at intake', () => {
  let db: RoutingDb;
  let ownerId: string;

  beforeAll(async () => {
    db = await openRoutingDb('routing_intake');
    expect(divisionRegistry.reload().ok).toBe(true);
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into staff_user (username, display_name, password_hash, roles)
       values ('east-owner', '华东负责人', 'x', '{OPS}') returning id`,
    );
    ownerId = rows[0].id;
    for (const group of [
      { id: 'east-china', name: '华东组', ownerUserId: ownerId },
      { id: 'appliances', name: '家电组' },
      { id: 'north-mid', name: '华北中额组' },
    ]) {
      const saved = await gql(db, OPS, UPSERT, { input: group });
      expect(saved.errors).toEqual([]);
    }
    const rules = await gql<{ saveRoutingRules: { userErrors: unknown[] } }>(db, OPS, SAVE, {
      input: {
        defaultGroupId: 'general',
        rules: [
          rule('custom-orders', 10, 'custom-made', { businessTypes: ['CUSTOM'] }),
          rule('large-amount', 20, 'large-orders', { minAmountCents: 500_000 }),
          rule('appliances', 25, 'appliances', { categories: ['家电'] }),
          rule('north-mid', 27, 'north-mid', {
            provinceCodes: ['110000'],
            minAmountCents: 100_000,
            maxAmountCents: 500_000,
          }),
          rule('east-china', 30, 'east-china', { provinceCodes: ['310000', '320000', '330000', '340000'] }),
          rule('south-china', 40, 'south-china', { provinceCodes: ['440000', '450000', '460000'] }),
        ],
      },
    });
    expect(rules.errors).toEqual([]);
    expect(rules.data.saveRoutingRules.userErrors).toEqual([]);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('routes by region, amount range, category and business type, else to the default group, each with rule and reason', async () => {
    const specs: Array<[OrderSpec, string, string]> = [
      [{}, 'east-china', 'east-china'],
      [{ province: '广东省', city: '深圳市', district: '南山区' }, 'south-china', 'south-china'],
      [
        { province: '北京市', city: '北京市', district: '朝阳区', totalCents: 200_000 },
        'north-mid',
        'north-mid',
      ],
      [
        { province: '北京市', city: '北京市', district: '朝阳区', totalCents: 600_000 },
        'large-orders',
        'large-amount',
      ],
      [{ province: '北京市', city: '北京市', district: '朝阳区', totalCents: 50_000 }, 'general', 'DEFAULT'],
      [{ businessType: 'CUSTOM' }, 'custom-made', 'custom-orders'],
      [
        { province: '四川省', city: '成都市', district: '武侯区', category: '家电' },
        'appliances',
        'appliances',
      ],
      [{ province: '四川省', city: '成都市', district: '武侯区' }, 'general', 'DEFAULT'],
      // The text alone names the region.
      [
        { province: null, city: null, district: null, detail: '上海市浦东新区世纪大道 100 号' },
        'east-china',
        'east-china',
      ],
    ];
    const results = await submit(
      db,
      specs.map(([spec]) => spec),
      NOW,
    );
    expect(results.map((r) => r.outcome)).toEqual(specs.map(() => 'CREATED'));
    const stored = await Promise.all(results.map((r) => routingOf(db, r.orderId)));
    expect(stored.map((s) => [s.group_id, s.routing_rule_id])).toEqual(specs.map(([, g, r]) => [g, r]));
    for (const s of stored) {
      expect(s.hold_reason).toBeNull();
      expect(s.routed_at).toEqual(NOW);
      expect(s.routing_reason).toBeTruthy();
      expect(s.address_parse).toMatchObject({ ok: true, failure: null });
    }
    expect(stored[0].routing_reason).toBe('规则「east-china」命中：省份 330000');
    expect(stored[0].owner_id).toBe(ownerId);
    expect(stored[1].owner_id).toBeNull();
    expect(stored[0].region).toEqual({
      provinceCode: '330000',
      provinceName: '浙江省',
      cityCode: '330100',
      cityName: '杭州市',
      districtCode: '330106',
      districtName: '西湖区',
    });
    expect(stored[0].address_parse?.confidence).toBe(1);
    expect(stored[2].routing_reason).toBe(
      '规则「north-mid」命中：省份 110000，金额 ≥ 1000.00 元 且 < 5000.00 元',
    );
    expect(stored[4].routing_reason).toBe('未命中任何规则，进入默认组 general');
    expect(stored[6].routing_reason).toBe('规则「appliances」命中：品类 家电');

    expect(await ruleHits(db)).toEqual([
      { day: DAY, rule_id: 'DEFAULT', count: 2 },
      { day: DAY, rule_id: 'appliances', count: 1 },
      { day: DAY, rule_id: 'custom-orders', count: 1 },
      { day: DAY, rule_id: 'east-china', count: 2 },
      { day: DAY, rule_id: 'large-amount', count: 1 },
      { day: DAY, rule_id: 'north-mid', count: 1 },
      { day: DAY, rule_id: 'south-china', count: 1 },
    ]);
    const stats = await parseStats(db);
    expect(stats).toEqual([
      { bucket_start: new Date('2026-11-20T17:00:00Z'), channel: 'WEBSHOP', ok_count: 9, failed_count: 0 },
    ]);

    // The order answers where it is and why, with its region.
    const answer = await gql<{ order: Record<string, unknown> }>(
      db,
      staff('SERVICE'),
      `query ($id: ID!) { order(id: $id) {
        region { provinceCode provinceName cityCode cityName districtCode districtName }
        routing { groupId groupName ruleId reason routedAt holdReason addressConfidence addressFailure } } }`,
      { id: results[2].orderId },
    );
    expect(answer.errors).toEqual([]);
    expect(answer.data.order).toEqual({
      region: {
        provinceCode: '110000',
        provinceName: '北京市',
        cityCode: '110100',
        cityName: '北京市',
        districtCode: '110105',
        districtName: '朝阳区',
      },
      routing: {
        groupId: 'north-mid',
        groupName: '华北中额组',
        ruleId: 'north-mid',
        reason: '规则「north-mid」命中：省份 110000，金额 ≥ 1000.00 元 且 < 5000.00 元',
        routedAt: NOW,
        holdReason: null,
        addressConfidence: 1,
        addressFailure: null,
      },
    });
  });

  it('holds orders whose address does not parse, with a readable reason, and counts them as failed parses', async () => {
    const before = await parseStats(db);
    const bad: Array<[string, OrderSpec, string]> = [
      ['punctuation only', { province: null, city: null, district: null, detail: '，，。' }, 'EMPTY'],
      [
        'garbage',
        { province: null, city: null, district: null, detail: 'asdkjh 12345 !!! ###' },
        'NOT_CHINESE_ADDRESS',
      ],
      ['emoji', { province: null, city: null, district: null, detail: '🏠🏠🏠📦 🚚' }, 'NOT_CHINESE_ADDRESS'],
      [
        'Japanese',
        { province: null, city: null, district: null, detail: '東京都港区六本木ヒルズ 1-2-3' },
        'NOT_CHINESE_ADDRESS',
      ],
      [
        'Hong Kong',
        { province: null, city: null, district: null, detail: '香港九龙尖沙咀弥敦道 100 号' },
        'UNSUPPORTED_REGION',
      ],
      ['conflicting fields', { province: '浙江省', city: '广州市', district: null }, 'CONFLICTING_FIELDS'],
      [
        'unknown region',
        { province: '火星省', city: '奥林匹斯市', district: null, detail: '环形山 1 号' },
        'UNKNOWN_REGION',
      ],
      [
        'no province',
        { province: null, city: null, district: null, detail: '幸福小区 3 栋 2 单元' },
        'NO_PROVINCE',
      ],
      [
        'very long',
        { province: null, city: null, district: null, detail: '乱'.repeat(20_000) },
        'NO_PROVINCE',
      ],
    ];
    const results = await submit(
      db,
      bad.map(([, spec]) => spec),
      NOW,
    );
    for (const [i, [label, , failure]] of bad.entries()) {
      const s = await routingOf(db, results[i].orderId);
      expect({ label, hold: s.hold_reason, group: s.group_id, failure: s.address_parse?.failure }).toEqual({
        label,
        hold: 'ADDRESS_UNPARSED',
        group: null,
        failure,
      });
      expect(s.region).toBeNull();
      expect(s.routing_rule_id).toBeNull();
      expect(s.routed_at).toBeNull();
      expect(s.routing_reason).toContain(`地址无法解析[${failure}]`);
      expect(s.routing_reason).toContain('订单暂不分配');
      // The reason never repeats what the buyer wrote.
      expect(s.routing_reason).not.toMatch(/asdkjh|六本木|幸福小区|环形山|火星|尖沙咀/);
    }
    const after = await parseStats(db);
    const failed = (rows: typeof after) => rows.reduce((n, r) => n + r.failed_count, 0);
    expect(failed(after) - failed(before)).toBe(bad.length);

    // A custom order goes to its group by business type whatever its address says.
    const [custom] = await submit(
      db,
      [{ businessType: 'CUSTOM', province: null, city: null, district: null, detail: '🏠' }],
      NOW,
    );
    const s = await routingOf(db, custom.orderId);
    expect([s.group_id, s.hold_reason, s.routing_rule_id]).toEqual(['custom-made', null, 'custom-orders']);
    expect(s.routing_reason).toContain('地址无法解析[NOT_CHINESE_ADDRESS]');
    expect(s.routing_reason).toContain('不影响本次分配');
  });

  it('never throws on addresses that are missing or malformed', async () => {
    const inputs = await readRoutingInputs(db.pool);
    const subject = {
      channel: 'TAOBAO' as const,
      businessType: 'NORMAL' as const,
      totalCents: 100,
      categories: [],
    };
    for (const address of [
      undefined,
      null,
      {},
      { province: null, city: null, district: null, street: null, detail: '' },
      { province: 42, city: {}, district: [], street: true, detail: 7 },
    ]) {
      const decision = decideRouting(inputs, { ...subject, address: address as never });
      expect(decision.holdReason).toBe('ADDRESS_UNPARSED');
      expect(decision.addressParse.ok).toBe(false);
    }
  });

  it('holds an address read with too little confidence for a person, with the reason', async () => {
    const inputs = { ...(await readRoutingInputs(db.pool)), minParseConfidence: 0.6 };
    const subject = {
      channel: 'TAOBAO' as const,
      businessType: 'NORMAL' as const,
      totalCents: 100,
      categories: [],
    };
    const vague = { province: null, city: null, district: null, street: null, detail: '北京'.repeat(500) };
    const decision = decideRouting(inputs, { ...subject, address: vague });
    expect(decision.addressParse.ok).toBe(true);
    expect(decision.addressParse.confidence).toBeLessThan(0.6);
    expect(decision.holdReason).toBe('ADDRESS_LOW_CONFIDENCE');
    expect(decision.groupId).toBeNull();
    expect(decision.reason).toContain(`置信度 ${decision.addressParse.confidence} 低于 0.6`);

    const clear = {
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      street: null,
      detail: '文三路100号',
    };
    expect(decideRouting(inputs, { ...subject, address: clear }).holdReason).toBeNull();
  });

  it('keeps the group of a re-sent order, and routes a re-sent order that was held', async () => {
    const [first] = await submit(db, [{ no: 'WS-RESEND-1' }], NOW);
    const [held] = await submit(
      db,
      [{ no: 'WS-RESEND-2', province: null, city: null, district: null, detail: '🏠' }],
      NOW,
    );
    const hitsBefore = await ruleHits(db);
    const later = new Date(NOW.getTime() + 60_000);
    const again = await submit(
      db,
      [
        {
          no: 'WS-RESEND-1',
          province: '广东省',
          city: '广州市',
          district: '天河区',
          updatedAt: '2026-11-20T15:00:00+08:00',
        },
        {
          no: 'WS-RESEND-2',
          province: '广东省',
          city: '广州市',
          district: '天河区',
          updatedAt: '2026-11-20T15:00:00+08:00',
        },
      ],
      later,
    );
    expect(again.map((r) => r.outcome)).toEqual(['UPDATED', 'UPDATED']);
    const kept = await routingOf(db, first.orderId);
    expect([kept.group_id, kept.routing_rule_id, kept.routed_at]).toEqual(['east-china', 'east-china', NOW]);
    expect(kept.region?.provinceCode).toBe('440000');
    const routed = await routingOf(db, held.orderId);
    expect([routed.group_id, routed.hold_reason, routed.routing_rule_id, routed.routed_at]).toEqual([
      'south-china',
      null,
      'south-china',
      later,
    ]);
    const hitsAfter = await ruleHits(db);
    const count = (rows: typeof hitsAfter, id: string) => rows.find((r) => r.rule_id === id)?.count ?? 0;
    expect(count(hitsAfter, 'south-china') - count(hitsBefore, 'south-china')).toBe(1);
    expect(count(hitsAfter, 'east-china')).toBe(count(hitsBefore, 'east-china'));

    // The same payload again changes nothing and counts nothing.
    const stats = await parseStats(db);
    const unchanged = await submit(
      db,
      [
        {
          no: 'WS-RESEND-1',
          province: '广东省',
          city: '广州市',
          district: '天河区',
          updatedAt: '2026-11-20T15:00:00+08:00',
        },
      ],
      later,
    );
    expect(unchanged[0].outcome).toBe('UNCHANGED');
    expect(await parseStats(db)).toEqual(stats);
  });

  it('takes in orders without routing when asked, for measuring its cost', async () => {
    const { submitChannelOrders } = await import('../../../api/src/modules/orders/order-intake.js');
    const { webshopOrder } = await import('./routing-kit.js');
    const { results } = await submitChannelOrders(db.pool, 'WEBSHOP', [webshopOrder()], NOW, {
      routing: false,
    });
    const s = await routingOf(db, results[0].orderId);
    expect([s.group_id, s.hold_reason, s.address_parse, s.region]).toEqual([null, null, null, null]);
  });
});

function rule(id: string, priority: number, groupId: string, conditions: Record<string, unknown>) {
  return { id, name: id, priority, groupId, enabled: true, conditions };
}
