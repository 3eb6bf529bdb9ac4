import { describe, expect, it } from 'vitest';
import { parseRuleSetInput } from '../../../api/src/domain/routing/validate-rule-set.js';
import type { FieldError } from '../../../api/src/domain/shared/result.js';

const groups = new Set(['g-zj', 'g-big', 'g-default']);

const validRule = (over: Record<string, unknown> = {}) => ({
  id: 'r1',
  name: '浙江大额',
  priority: 10,
  groupId: 'g-zj',
  enabled: true,
  conditions: { provinceCodes: ['330000'], minAmountCents: 50_000 },
  ...over,
});

const input = (rules: unknown[], over: Record<string, unknown> = {}) => ({
  rules,
  defaultGroupId: 'g-default',
  ...over,
});

function errorsOf(raw: unknown, isKnownRegionCode?: (code: string) => boolean): FieldError[] {
  const result = parseRuleSetInput(raw, groups, isKnownRegionCode);
  if (result.ok) throw new Error('expected the input to be rejected');
  return result.errors;
}
const pairs = (errors: FieldError[]) => errors.map((e) => [e.field, e.code]);

describe('parseRuleSetInput', () => {
  it('accepts a valid rule set, trimming text and treating empty lists and null as no condition', () => {
    const result = parseRuleSetInput(
      input([
        validRule({
          id: ' r1 ',
          conditions: { provinceCodes: ['330000', '330000'], cityCodes: [], channels: null },
        }),
        validRule({
          id: 'r2',
          priority: 20,
          groupId: 'g-big',
          conditions: { minAmountCents: 0, maxAmountCents: 1 },
        }),
      ]),
      groups,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        defaultGroupId: 'g-default',
        rules: [
          { ...validRule(), conditions: { provinceCodes: ['330000'] } },
          {
            ...validRule({ id: 'r2', priority: 20, groupId: 'g-big' }),
            conditions: { minAmountCents: 0, maxAmountCents: 1 },
          },
        ],
      },
    });
  });

  it('accepts an empty rule list: every order goes to the default group', () => {
    expect(parseRuleSetInput(input([]), groups)).toEqual({
      ok: true,
      value: { rules: [], defaultGroupId: 'g-default' },
    });
  });

  it('REQUIRED for each missing rule field and for a missing rules list', () => {
    expect(pairs(errorsOf(input([{ conditions: { channels: ['JD'] } }])))).toEqual([
      ['rules[0].id', 'REQUIRED'],
      ['rules[0].name', 'REQUIRED'],
      ['rules[0].priority', 'REQUIRED'],
      ['rules[0].groupId', 'REQUIRED'],
      ['rules[0].enabled', 'REQUIRED'],
    ]);
    expect(pairs(errorsOf({ defaultGroupId: 'g-default' }))).toEqual([['rules', 'REQUIRED']]);
  });

  it('REQUIRED for a blank category', () => {
    expect(pairs(errorsOf(input([validRule({ conditions: { categories: ['家电', ' '] } })])))).toEqual([
      ['rules[0].conditions.categories[1]', 'REQUIRED'],
    ]);
  });

  it('INVALID_TYPE for values of the wrong kind', () => {
    const errors = errorsOf(
      input([
        validRule({ id: 7, priority: 1.5, enabled: 'yes', conditions: { channels: 'JD' } }),
        'not a rule',
      ]),
    );
    expect(pairs(errors)).toEqual([
      ['rules[0].id', 'INVALID_TYPE'],
      ['rules[0].priority', 'INVALID_TYPE'],
      ['rules[0].enabled', 'INVALID_TYPE'],
      ['rules[0].conditions.channels', 'INVALID_TYPE'],
      ['rules[1]', 'INVALID_TYPE'],
    ]);
    expect(pairs(errorsOf('rules'))).toEqual([['', 'INVALID_TYPE']]);
  });

  it('NO_DEFAULT_GROUP when the default group is missing or blank; UNKNOWN_GROUP when it does not exist', () => {
    expect(pairs(errorsOf({ rules: [] }))).toEqual([['defaultGroupId', 'NO_DEFAULT_GROUP']]);
    expect(pairs(errorsOf(input([], { defaultGroupId: '  ' })))).toEqual([
      ['defaultGroupId', 'NO_DEFAULT_GROUP'],
    ]);
    expect(pairs(errorsOf(input([], { defaultGroupId: 'g-gone' })))).toEqual([
      ['defaultGroupId', 'UNKNOWN_GROUP'],
    ]);
  });

  it('UNKNOWN_GROUP for a rule pointing at a group that does not exist', () => {
    expect(pairs(errorsOf(input([validRule({ groupId: 'g-gone' })])))).toEqual([
      ['rules[0].groupId', 'UNKNOWN_GROUP'],
    ]);
  });

  it('INVALID_REGION_CODE when a code is not six digits', () => {
    const errors = errorsOf(
      input([
        validRule({
          conditions: { provinceCodes: ['33'], cityCodes: ['3301000'], districtCodes: ['33010a'] },
        }),
      ]),
    );
    expect(pairs(errors)).toEqual([
      ['rules[0].conditions.provinceCodes[0]', 'INVALID_REGION_CODE'],
      ['rules[0].conditions.cityCodes[0]', 'INVALID_REGION_CODE'],
      ['rules[0].conditions.districtCodes[0]', 'INVALID_REGION_CODE'],
    ]);
  });

  it('REGION_LEVEL_MISMATCH when a code sits in the wrong list and could never match', () => {
    const errors = errorsOf(
      input([
        validRule({
          conditions: {
            provinceCodes: ['330100'],
            cityCodes: ['330000', '330106'],
            districtCodes: ['330000'],
          },
        }),
      ]),
    );
    expect(pairs(errors)).toEqual([
      ['rules[0].conditions.provinceCodes[0]', 'REGION_LEVEL_MISMATCH'],
      ['rules[0].conditions.cityCodes[0]', 'REGION_LEVEL_MISMATCH'],
      ['rules[0].conditions.cityCodes[1]', 'REGION_LEVEL_MISMATCH'],
      ['rules[0].conditions.districtCodes[0]', 'REGION_LEVEL_MISMATCH'],
    ]);
  });

  it('accepts a city without districts as a district code (东莞 441900)', () => {
    const result = parseRuleSetInput(
      input([validRule({ conditions: { districtCodes: ['441900'] } })]),
      groups,
    );
    expect(result.ok).toBe(true);
  });

  it('UNKNOWN_REGION_CODE through the injected predicate, only for well-shaped codes', () => {
    const known = new Set(['330000', '330100']);
    const errors = errorsOf(
      input([validRule({ conditions: { provinceCodes: ['330000', '990000', '9'], cityCodes: ['330100'] } })]),
      (code) => known.has(code),
    );
    expect(pairs(errors)).toEqual([
      ['rules[0].conditions.provinceCodes[1]', 'UNKNOWN_REGION_CODE'],
      ['rules[0].conditions.provinceCodes[2]', 'INVALID_REGION_CODE'],
    ]);
  });

  it('NEGATIVE_AMOUNT and INVALID_AMOUNT for bad bounds', () => {
    const errors = errorsOf(input([validRule({ conditions: { minAmountCents: -1, maxAmountCents: 12.5 } })]));
    expect(pairs(errors)).toEqual([
      ['rules[0].conditions.minAmountCents', 'NEGATIVE_AMOUNT'],
      ['rules[0].conditions.maxAmountCents', 'INVALID_AMOUNT'],
    ]);
  });

  it('AMOUNT_RANGE_INVERTED when min ≥ max, an empty range because max is exclusive', () => {
    for (const [min, max] of [
      [50_000, 10_000],
      [50_000, 50_000],
    ]) {
      const errors = errorsOf(
        input([validRule({ conditions: { minAmountCents: min, maxAmountCents: max } })]),
      );
      expect(pairs(errors)).toEqual([['rules[0].conditions.minAmountCents', 'AMOUNT_RANGE_INVERTED']]);
    }
  });

  it('UNKNOWN_CHANNEL and UNKNOWN_BUSINESS_TYPE name the offending entry', () => {
    const errors = errorsOf(
      input([validRule({ conditions: { channels: ['JD', 'PDD'], businessTypes: ['PRESALE', 'FLASH'] } })]),
    );
    expect(pairs(errors)).toEqual([
      ['rules[0].conditions.channels[1]', 'UNKNOWN_CHANNEL'],
      ['rules[0].conditions.businessTypes[1]', 'UNKNOWN_BUSINESS_TYPE'],
    ]);
  });

  it('UNKNOWN_FIELD for a misspelt condition, which would otherwise silently widen the rule', () => {
    const errors = errorsOf(input([validRule({ conditions: { provinceCode: ['330000'] } })]));
    expect(pairs(errors)).toEqual([['rules[0].conditions.provinceCode', 'UNKNOWN_FIELD']]);
  });

  it('DUPLICATE_RULE_ID and DUPLICATE_PRIORITY on the later rule, naming the first', () => {
    const errors = errorsOf(
      input([validRule(), validRule({ name: '另一个' }), validRule({ id: 'r3', priority: 10 })]),
    );
    expect(pairs(errors)).toEqual([
      ['rules[1].id', 'DUPLICATE_RULE_ID'],
      ['rules[1].priority', 'DUPLICATE_PRIORITY'],
      ['rules[2].priority', 'DUPLICATE_PRIORITY'],
    ]);
    expect(errors[0].message).toContain('rules[0]');
  });

  it('DUPLICATE_PRIORITY counts disabled rules too: enabling one later must not create a tie', () => {
    const errors = errorsOf(input([validRule(), validRule({ id: 'r2', enabled: false })]));
    expect(pairs(errors)).toEqual([['rules[1].priority', 'DUPLICATE_PRIORITY']]);
  });

  it('EMPTY_CONDITIONS for a condition-less rule that is not last by priority', () => {
    const errors = errorsOf(
      input([validRule({ id: 'catch', priority: 5, conditions: {} }), validRule({ id: 'r2', priority: 20 })]),
    );
    expect(pairs(errors)).toEqual([['rules[0].conditions', 'EMPTY_CONDITIONS']]);
    const missing = errorsOf(
      input([validRule({ id: 'catch', priority: 5, conditions: undefined }), validRule()]),
    );
    expect(pairs(missing)).toEqual([['rules[0].conditions', 'EMPTY_CONDITIONS']]);
  });

  it('accepts a condition-less rule as the last rule by priority, wherever it sits in the list', () => {
    const result = parseRuleSetInput(
      input([validRule({ id: 'catch', priority: 99, conditions: { channels: [] } }), validRule()]),
      groups,
    );
    expect(result.ok).toBe(true);
  });

  it('RESERVED_RULE_ID for DEFAULT, the key that counts default-group hits', () => {
    expect(pairs(errorsOf(input([validRule({ id: 'DEFAULT' })])))).toEqual([
      ['rules[0].id', 'RESERVED_RULE_ID'],
    ]);
  });

  it('reports every defect of every rule at once', () => {
    const errors = errorsOf({
      rules: [
        validRule({ groupId: 'nope', conditions: { provinceCodes: ['3300'], minAmountCents: -5 } }),
        validRule({ id: 'r2', conditions: { channels: ['PDD'] } }),
      ],
    });
    expect(pairs(errors)).toEqual([
      ['defaultGroupId', 'NO_DEFAULT_GROUP'],
      ['rules[0].groupId', 'UNKNOWN_GROUP'],
      ['rules[0].conditions.provinceCodes[0]', 'INVALID_REGION_CODE'],
      ['rules[0].conditions.minAmountCents', 'NEGATIVE_AMOUNT'],
      ['rules[1].conditions.channels[0]', 'UNKNOWN_CHANNEL'],
      ['rules[1].priority', 'DUPLICATE_PRIORITY'],
    ]);
    for (const e of errors) expect(e.message).not.toBe('');
  });
});
