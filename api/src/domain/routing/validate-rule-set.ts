import { BUSINESS_TYPES, type BusinessType, CHANNELS, type Channel } from '../order/order-types.js';
import { type FieldError, fail, ok, type Result } from '../shared/result.js';
import { fitsRegionLevel, isRegionCodeShape, REGION_LEVEL_LABELS, type RegionLevel } from './region-code.js';
import {
  DEFAULT_HIT_KEY,
  type RoutingConditions,
  type RoutingRule,
  type RuleSetDraft,
} from './routing-rule.js';

/** Whether a well-shaped code exists in the division data; injected so this stays pure. */
export type RegionCodeExists = (code: string) => boolean;

type Raw = Record<string, unknown>;

const REGION_KEYS: ReadonlyArray<readonly [keyof RoutingConditions, RegionLevel]> = [
  ['provinceCodes', 'PROVINCE'],
  ['cityCodes', 'CITY'],
  ['districtCodes', 'DISTRICT'],
];
const CONDITION_KEYS: ReadonlySet<string> = new Set([
  'provinceCodes',
  'cityCodes',
  'districtCodes',
  'minAmountCents',
  'maxAmountCents',
  'categories',
  'channels',
  'businessTypes',
]);

/**
 * Parses a rule set submitted by operators. Reports every defect at once, each at its path
 * (`rules[2].conditions.minAmountCents`). Empty lists and `null` mean "no condition", which is
 * how forms send an untouched field. A rule with no condition takes every order, so it is only
 * accepted as the last rule by priority; anywhere else it would shadow the rules below it.
 * Region codes are checked for shape and level here; whether they exist is `isKnownRegionCode`'s
 * call, when given.
 */
export function parseRuleSetInput(
  raw: unknown,
  knownGroupIds: ReadonlySet<string>,
  isKnownRegionCode?: RegionCodeExists,
): Result<RuleSetDraft> {
  const errors: FieldError[] = [];
  const push: Push = (field, code, message) => errors.push({ field, code, message });

  if (!isRecord(raw)) {
    push('', 'INVALID_TYPE', '规则集应为对象');
    return fail(errors);
  }

  const defaultGroupId = raw.defaultGroupId;
  if (typeof defaultGroupId !== 'string' || defaultGroupId.trim() === '') {
    push('defaultGroupId', 'NO_DEFAULT_GROUP', '必须指定默认处理组，未命中任何规则的订单进入该组');
  } else if (!knownGroupIds.has(defaultGroupId.trim())) {
    push('defaultGroupId', 'UNKNOWN_GROUP', `处理组 ${defaultGroupId.trim()} 不存在`);
  }

  const rules: RoutingRule[] = [];
  if (raw.rules === undefined || raw.rules === null) {
    push('rules', 'REQUIRED', '缺少规则列表（可以为空列表）');
  } else if (!Array.isArray(raw.rules)) {
    push('rules', 'INVALID_TYPE', '规则列表应为数组');
  } else {
    const context: RuleContext = { knownGroupIds, isKnownRegionCode, push, errorCount: () => errors.length };
    const parsed = raw.rules.map((rawRule, i) => parseRule(rawRule, `rules[${i}]`, context));
    checkAcrossRules(parsed, push);
    for (const p of parsed) if (p.rule) rules.push(p.rule);
  }

  if (errors.length > 0) return fail(errors);
  return ok({ rules, defaultGroupId: (defaultGroupId as string).trim() });
}

type Push = (field: string, code: string, message: string) => void;

interface RuleContext {
  knownGroupIds: ReadonlySet<string>;
  isKnownRegionCode: RegionCodeExists | undefined;
  push: Push;
  errorCount: () => number;
}

interface ParsedRule {
  path: string;
  id: string | null;
  priority: number | null;
  /** Conditions parsed cleanly and none is set. */
  catchAll: boolean;
  /** Only when the rule has no defect of its own. */
  rule: RoutingRule | null;
}

function parseRule(raw: unknown, path: string, context: RuleContext): ParsedRule {
  const { knownGroupIds, isKnownRegionCode, push, errorCount } = context;
  const result: ParsedRule = { path, id: null, priority: null, catchAll: false, rule: null };
  if (!isRecord(raw)) {
    push(path, 'INVALID_TYPE', '规则应为对象');
    return result;
  }
  const before = errorCount();

  result.id = requiredText(raw.id, `${path}.id`, '规则编号', push);
  if (result.id === DEFAULT_HIT_KEY) {
    push(`${path}.id`, 'RESERVED_RULE_ID', `规则编号 ${DEFAULT_HIT_KEY} 保留给默认组的统计`);
  }
  const name = requiredText(raw.name, `${path}.name`, '规则名称', push);

  if (raw.priority === undefined || raw.priority === null) {
    push(`${path}.priority`, 'REQUIRED', '缺少优先级');
  } else if (!Number.isSafeInteger(raw.priority)) {
    push(`${path}.priority`, 'INVALID_TYPE', '优先级应为整数，数字越小越先匹配');
  } else {
    result.priority = raw.priority as number;
  }

  const groupId = requiredText(raw.groupId, `${path}.groupId`, '处理组', push);
  if (groupId !== null && !knownGroupIds.has(groupId)) {
    push(`${path}.groupId`, 'UNKNOWN_GROUP', `处理组 ${groupId} 不存在`);
  }

  if (raw.enabled === undefined || raw.enabled === null) {
    push(`${path}.enabled`, 'REQUIRED', '缺少启用状态');
  } else if (typeof raw.enabled !== 'boolean') {
    push(`${path}.enabled`, 'INVALID_TYPE', '启用状态应为 true 或 false');
  }

  const conditionsBefore = errorCount();
  const conditions = parseConditions(raw.conditions, `${path}.conditions`, isKnownRegionCode, push);
  result.catchAll = errorCount() === conditionsBefore && Object.keys(conditions).length === 0;

  if (errorCount() === before) {
    result.rule = {
      id: result.id!,
      name: name!,
      priority: result.priority!,
      groupId: groupId!,
      enabled: raw.enabled as boolean,
      conditions,
    };
  }
  return result;
}

function parseConditions(
  raw: unknown,
  path: string,
  isKnownRegionCode: RegionCodeExists | undefined,
  push: Push,
): RoutingConditions {
  const conditions: RoutingConditions = {};
  if (raw === undefined || raw === null) return conditions;
  if (!isRecord(raw)) {
    push(path, 'INVALID_TYPE', '条件应为对象');
    return conditions;
  }
  for (const key of Object.keys(raw)) {
    if (!CONDITION_KEYS.has(key)) push(`${path}.${key}`, 'UNKNOWN_FIELD', `未知的条件 ${key}，请检查拼写`);
  }

  for (const [key, level] of REGION_KEYS) {
    const codes = stringList(raw[key], `${path}.${key}`, push);
    codes?.forEach((code, j) => {
      const at = `${path}.${key}[${j}]`;
      if (!isRegionCodeShape(code)) {
        push(at, 'INVALID_REGION_CODE', `地区编码 ${code} 应为 6 位数字（GB/T 2260）`);
      } else if (!fitsRegionLevel(code, level)) {
        push(
          at,
          'REGION_LEVEL_MISMATCH',
          `${code} 不是${REGION_LEVEL_LABELS[level]}编码，放在这里永远不会命中`,
        );
      } else if (isKnownRegionCode && !isKnownRegionCode(code)) {
        push(at, 'UNKNOWN_REGION_CODE', `地区编码 ${code} 不在行政区划数据中`);
      }
    });
    if (codes) conditions[key as 'provinceCodes'] = unique(codes);
  }

  const min = amount(raw.minAmountCents, `${path}.minAmountCents`, push);
  const max = amount(raw.maxAmountCents, `${path}.maxAmountCents`, push);
  if (min !== null && max !== null && min >= max) {
    push(`${path}.minAmountCents`, 'AMOUNT_RANGE_INVERTED', '最低金额必须小于最高金额（含下限、不含上限）');
  }
  if (min !== null) conditions.minAmountCents = min;
  if (max !== null) conditions.maxAmountCents = max;

  const categories = stringList(raw.categories, `${path}.categories`, push);
  categories?.forEach((category, j) => {
    if (category === '') push(`${path}.categories[${j}]`, 'REQUIRED', '品类不能为空');
  });
  if (categories) conditions.categories = unique(categories);

  const channels = enumList(raw.channels, CHANNELS, `${path}.channels`, 'UNKNOWN_CHANNEL', '渠道', push);
  if (channels) conditions.channels = channels as Channel[];
  const businessTypes = enumList(
    raw.businessTypes,
    BUSINESS_TYPES,
    `${path}.businessTypes`,
    'UNKNOWN_BUSINESS_TYPE',
    '业务类型',
    push,
  );
  if (businessTypes) conditions.businessTypes = businessTypes as BusinessType[];
  return conditions;
}

function checkAcrossRules(parsed: ParsedRule[], push: Push): void {
  const firstById = new Map<string, string>();
  const firstByPriority = new Map<number, string>();
  for (const p of parsed) {
    if (p.id !== null) {
      const first = firstById.get(p.id);
      if (first) push(`${p.path}.id`, 'DUPLICATE_RULE_ID', `规则编号 ${p.id} 与 ${first} 重复`);
      else firstById.set(p.id, p.path);
    }
    if (p.priority !== null) {
      const first = firstByPriority.get(p.priority);
      if (first) push(`${p.path}.priority`, 'DUPLICATE_PRIORITY', `优先级 ${p.priority} 与 ${first} 重复`);
      else firstByPriority.set(p.priority, p.path);
    }
  }
  const lastPriority = Math.max(...parsed.map((p) => p.priority ?? Number.NEGATIVE_INFINITY));
  for (const p of parsed) {
    if (p.catchAll && p.priority !== null && p.priority < lastPriority) {
      push(
        `${p.path}.conditions`,
        'EMPTY_CONDITIONS',
        '没有任何条件的规则会接走所有订单，使其后的规则全部失效；请添加条件或把它放到最后',
      );
    }
  }
}

function requiredText(value: unknown, field: string, label: string, push: Push) {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    push(field, 'REQUIRED', `缺少${label}`);
    return null;
  }
  if (typeof value !== 'string') {
    push(field, 'INVALID_TYPE', `${label}应为文本`);
    return null;
  }
  return value.trim();
}

/** A list of trimmed strings; `null` when absent or empty (no condition). */
function stringList(value: unknown, field: string, push: Push): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    push(field, 'INVALID_TYPE', '应为文本列表');
    return null;
  }
  return value.length === 0 ? null : value.map((v: string) => v.trim());
}

function enumList(
  value: unknown,
  allowed: readonly string[],
  field: string,
  code: string,
  label: string,
  push: Push,
): string[] | null {
  const list = stringList(value, field, push);
  list?.forEach((v, j) => {
    if (!allowed.includes(v))
      push(`${field}[${j}]`, code, `未知的${label} ${v}，可选：${allowed.join('、')}`);
  });
  return list && unique(list);
}

function amount(value: unknown, field: string, push: Push): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isSafeInteger(value)) {
    push(field, 'INVALID_AMOUNT', '金额应为以分为单位的整数');
    return null;
  }
  if ((value as number) < 0) {
    push(field, 'NEGATIVE_AMOUNT', '金额不能为负数');
    return null;
  }
  return value as number;
}

const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const unique = <T>(values: T[]): T[] => [...new Set(values)];
