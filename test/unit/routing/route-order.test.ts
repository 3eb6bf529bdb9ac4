import { describe, expect, it } from 'vitest';
import { routeOrder } from '../../../api/src/domain/routing/route-order.js';
import { compiled, order, rule } from './routing-fixtures.js';

describe('routeOrder', () => {
  it('writes the reason operators read, with the codes that decided it', () => {
    const rules = compiled([
      rule('zj-big', 10, 'g-zj', { provinceCodes: ['330000'], minAmountCents: 50_000 }, { name: '浙江大额' }),
    ]);
    expect(routeOrder(rules, order({ amountCents: 50_000 }))).toEqual({
      groupId: 'g-zj',
      ruleId: 'zj-big',
      reason: '规则「浙江大额」命中：省份 330000，金额 ≥ 500.00 元',
      matchedConditions: ['PROVINCE:330000', 'AMOUNT_MIN:50000'],
    });
  });

  describe('priority', () => {
    it('takes the lowest priority number that matches, whatever the list order', () => {
      const rules = compiled([
        rule('late', 30, 'g-late', { channels: ['TAOBAO'] }),
        rule('first', 10, 'g-first', { channels: ['TAOBAO'] }),
        rule('middle', 20, 'g-middle', { channels: ['TAOBAO'] }),
      ]);
      expect(routeOrder(rules, order()).ruleId).toBe('first');
    });

    it('falls through a higher rule that does not match', () => {
      const rules = compiled([
        rule('jd', 10, 'g-jd', { channels: ['JD'] }),
        rule('tb', 20, 'g-tb', { channels: ['TAOBAO'] }),
      ]);
      expect(routeOrder(rules, order()).groupId).toBe('g-tb');
    });

    it('skips disabled rules', () => {
      const rules = compiled([
        rule('off', 10, 'g-off', { channels: ['TAOBAO'] }, { enabled: false }),
        rule('on', 20, 'g-on', { channels: ['TAOBAO'] }),
      ]);
      expect(routeOrder(rules, order()).ruleId).toBe('on');
    });
  });

  describe('region hierarchy', () => {
    const rules = compiled([
      rule('xihu', 10, 'g-xihu', { districtCodes: ['330106'] }),
      rule('hangzhou', 20, 'g-hz', { cityCodes: ['330100'] }),
      rule('zhejiang', 30, 'g-zj', { provinceCodes: ['330000'] }),
    ]);
    const at = (provinceCode: string, cityCode: string | null, districtCode: string | null) =>
      routeOrder(rules, order({ region: { provinceCode, cityCode, districtCode } }));

    it('a district code matches that district only', () => {
      expect(at('330000', '330100', '330106')).toMatchObject({
        ruleId: 'xihu',
        matchedConditions: ['DISTRICT:330106'],
      });
    });

    it('a city code matches every district of the city', () => {
      expect(at('330000', '330100', '330110')).toMatchObject({
        ruleId: 'hangzhou',
        matchedConditions: ['CITY:330100'],
      });
    });

    it('a province code matches every address in the province', () => {
      expect(at('330000', '330200', '330203')).toMatchObject({
        ruleId: 'zhejiang',
        reason: '规则「zhejiang」命中：省份 330000',
      });
    });

    it('an address outside every listed area goes to the default group', () => {
      expect(at('320000', '320100', '320102').ruleId).toBeNull();
    });

    it('an address parsed only to the city still meets city and province conditions, not district ones', () => {
      expect(at('330000', '330100', null).ruleId).toBe('hangzhou');
    });

    it('a city without districts matches whether the rule lists it as a city or a district (东莞 441900)', () => {
      // The address parser reports 东莞 as city 441900 with no district.
      const dongguan = { provinceCode: '440000', cityCode: '441900', districtCode: null };
      for (const conditions of [{ districtCodes: ['441900'] }, { cityCodes: ['441900'] }]) {
        const decision = routeOrder(
          compiled([rule('dg', 10, 'g-dg', conditions)]),
          order({ region: dongguan }),
        );
        expect(decision).toMatchObject({ ruleId: 'dg', matchedConditions: ['CITY:441900'] });
      }
    });

    it('the lists of one rule form a single "any of these areas" condition, reporting the most specific hit', () => {
      const mixed = compiled([
        rule('mix', 10, 'g', { provinceCodes: ['310000', '330000'], districtCodes: ['330106'] }),
      ]);
      expect(routeOrder(mixed, order()).matchedConditions).toEqual(['DISTRICT:330106']);
      const shanghai = { provinceCode: '310000', cityCode: '310100', districtCode: '310101' };
      expect(routeOrder(mixed, order({ region: shanghai })).matchedConditions).toEqual(['PROVINCE:310000']);
    });
  });

  describe('amount boundaries (min inclusive, max exclusive)', () => {
    const rules = compiled([rule('mid', 10, 'g-mid', { minAmountCents: 10_000, maxAmountCents: 50_000 })]);
    it.each([
      [9_999, null],
      [10_000, 'mid'],
      [49_999, 'mid'],
      [50_000, null],
    ])('%i cents → %s', (amountCents, ruleId) => {
      expect(routeOrder(rules, order({ amountCents })).ruleId).toBe(ruleId);
    });

    it('describes both bounds in yuan', () => {
      expect(routeOrder(rules, order({ amountCents: 10_000 }))).toMatchObject({
        reason: '规则「mid」命中：金额 ≥ 100.00 元 且 < 500.00 元',
        matchedConditions: ['AMOUNT_MIN:10000', 'AMOUNT_MAX:50000'],
      });
    });

    it('a max-only rule matches from zero', () => {
      const small = compiled([rule('small', 10, 'g', { maxAmountCents: 1_05 })]);
      expect(routeOrder(small, order({ amountCents: 0 })).reason).toBe('规则「small」命中：金额 < 1.05 元');
    });
  });

  describe('categories', () => {
    const rules = compiled([rule('fresh', 10, 'g-fresh', { categories: ['生鲜', '冷冻'] })]);

    it('matches when any item has a listed category, naming the ones that did', () => {
      const decision = routeOrder(rules, order({ categories: ['图书', '冷冻', '生鲜', '冷冻'] }));
      expect(decision).toMatchObject({
        ruleId: 'fresh',
        reason: '规则「fresh」命中：品类 冷冻、生鲜',
        matchedConditions: ['CATEGORY:冷冻', 'CATEGORY:生鲜'],
      });
    });

    it('does not match when no item has one, or the order has no categories', () => {
      expect(routeOrder(rules, order({ categories: ['图书'] })).ruleId).toBeNull();
      expect(routeOrder(rules, order({ categories: [] })).ruleId).toBeNull();
    });
  });

  describe('channels and business types', () => {
    const rules = compiled([
      rule('dy-presale', 10, 'g-dy-presale', { channels: ['DOUYIN'], businessTypes: ['PRESALE'] }),
      rule('jd-or-web', 20, 'g-jd-web', { channels: ['JD', 'WEBSHOP'] }),
      rule('custom', 30, 'g-custom', { businessTypes: ['CUSTOM'] }),
    ]);

    it('requires every condition of a rule (AND) and any value within one (OR)', () => {
      expect(routeOrder(rules, order({ channel: 'DOUYIN', businessType: 'PRESALE' }))).toMatchObject({
        ruleId: 'dy-presale',
        reason: '规则「dy-presale」命中：渠道 抖音(DOUYIN)，业务类型 预售(PRESALE)',
        matchedConditions: ['CHANNEL:DOUYIN', 'BUSINESS_TYPE:PRESALE'],
      });
      expect(routeOrder(rules, order({ channel: 'DOUYIN', businessType: 'NORMAL' })).ruleId).toBeNull();
      expect(routeOrder(rules, order({ channel: 'WEBSHOP' })).ruleId).toBe('jd-or-web');
      expect(routeOrder(rules, order({ channel: 'TAOBAO', businessType: 'CUSTOM' })).ruleId).toBe('custom');
    });
  });

  it('an order of a channel outside the known list meets only rules without a channel condition', () => {
    const rules = compiled([
      rule('tb', 10, 'g-tb', { channels: ['TAOBAO'] }),
      rule('big', 20, 'g-big', { minAmountCents: 0 }),
    ]);
    const stray = order({ channel: 'PDD' as never });
    expect(routeOrder(rules, stray).ruleId).toBe('big');
  });

  describe('default group', () => {
    it('says no rule matched and names the default group', () => {
      const rules = compiled([rule('jd', 10, 'g-jd', { channels: ['JD'] })], 'g-pool');
      expect(routeOrder(rules, order())).toEqual({
        groupId: 'g-pool',
        ruleId: null,
        reason: '未命中任何规则，进入默认组 g-pool',
        matchedConditions: [],
      });
    });

    it('says when there is no enabled rule at all', () => {
      const rules = compiled([rule('off', 10, 'g', {}, { enabled: false })], 'g-pool');
      expect(routeOrder(rules, order()).reason).toBe('规则集没有启用的规则，进入默认组 g-pool');
    });

    it('a condition-less last rule takes everything before the default', () => {
      const rules = compiled([rule('jd', 10, 'g-jd', { channels: ['JD'] }), rule('rest', 99, 'g-rest', {})]);
      expect(routeOrder(rules, order())).toMatchObject({
        groupId: 'g-rest',
        reason: '规则「rest」命中：无条件规则，接收所有订单',
        matchedConditions: [],
      });
    });
  });

  describe('order without a parsed region', () => {
    const rules = compiled([
      rule('zj', 10, 'g-zj', { provinceCodes: ['330000'] }),
      rule('hz-big', 20, 'g-hz', { cityCodes: ['330100'], minAmountCents: 0 }),
      rule('tb', 30, 'g-tb', { channels: ['TAOBAO'] }),
      rule('zj-late', 40, 'g-zj-late', { provinceCodes: ['330000'] }),
    ]);

    it('never meets a region condition, and the reason counts the region rules it skipped', () => {
      expect(routeOrder(rules, order({ region: null }))).toEqual({
        groupId: 'g-tb',
        ruleId: 'tb',
        reason: '规则「tb」命中：渠道 淘宝(TAOBAO)（地址未解析[REGION_UNPARSED]：跳过 2 条含地区条件的规则）',
        matchedConditions: ['CHANNEL:TAOBAO'],
      });
    });

    it('falling to the default group says how many region rules could not take part', () => {
      expect(routeOrder(rules, order({ region: null, channel: 'JD' }))).toMatchObject({
        groupId: 'g-default',
        reason:
          '未命中任何规则（地址未解析[REGION_UNPARSED]：跳过 3 条含地区条件的规则），进入默认组 g-default',
      });
    });

    it('says nothing about regions when no region rule was skipped', () => {
      const plain = compiled([rule('tb', 10, 'g-tb', { channels: ['TAOBAO'] })]);
      expect(routeOrder(plain, order({ region: null })).reason).toBe('规则「tb」命中：渠道 淘宝(TAOBAO)');
    });
  });
});
