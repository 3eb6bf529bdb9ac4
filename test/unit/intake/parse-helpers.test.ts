import { describe, expect, it } from 'vitest';
import {
  parseCents,
  parseChannelId,
  parseChineseMobile,
  parseIsoInstant,
  parseQuantity,
  parseShanghaiTime,
  parseText,
  parseUnixSeconds,
  parseYuanCents,
} from '../../../api/src/domain/intake/parse-helpers.js';

const FIELD = 'orders[2].price';

describe('parseYuanCents', () => {
  it.each([
    ['128.50', 12850],
    ['0.5', 50],
    ['12', 1200],
    ['0', 0],
    ['0.00', 0],
    ['0.01', 1],
    ['  19.90 ', 1990],
    ['1.000', 100],
    ['007.10', 710],
    ['90071992547409.91', 9007199254740991],
  ])('reads %j as %i cents exactly', (input, cents) => {
    expect(parseYuanCents(input, FIELD)).toEqual({ ok: true, value: cents });
  });

  it('keeps amounts exact where float arithmetic would not (0.29 * 100 = 28.999…)', () => {
    expect(parseYuanCents('0.29', FIELD)).toEqual({ ok: true, value: 29 });
    expect(parseYuanCents('1.15', FIELD)).toEqual({ ok: true, value: 115 });
    expect(parseYuanCents('4.35', FIELD)).toEqual({ ok: true, value: 435 });
  });

  it.each([
    [128.5, 12850],
    [12, 1200],
    [0.29, 29],
    [-0, 0],
  ])('accepts the JS number %d as %i cents', (input, cents) => {
    expect(parseYuanCents(input, FIELD)).toEqual({ ok: true, value: cents });
  });

  it.each(['1.234', '-1', 'abc', '1,280.00', '12.', '.5', '+5', '1e3', '１２', '90071992547409.92'])(
    'refuses %j as INVALID_MONEY',
    (input) => {
      const result = parseYuanCents(input, FIELD);
      expect(result).toMatchObject({ ok: false, errors: [{ field: FIELD, code: 'INVALID_MONEY' }] });
    },
  );

  it.each([0.1 + 0.2, 1.005, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e21])(
    'refuses the JS number %d (more than 2 decimals, negative or not finite)',
    (input) => {
      expect(parseYuanCents(input, FIELD)).toMatchObject({ ok: false, errors: [{ code: 'INVALID_MONEY' }] });
    },
  );

  it.each(['', '   ', null, undefined])('reports %j as REQUIRED', (input) => {
    expect(parseYuanCents(input, FIELD)).toMatchObject({
      ok: false,
      errors: [{ field: FIELD, code: 'REQUIRED' }],
    });
  });

  it('refuses non-string, non-number values', () => {
    expect(parseYuanCents({ amount: '1.00' }, FIELD)).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_MONEY' }],
    });
    expect(parseYuanCents(true, FIELD)).toMatchObject({ ok: false, errors: [{ code: 'INVALID_MONEY' }] });
  });
});

describe('parseCents (fen integers)', () => {
  it('accepts non-negative safe integers', () => {
    expect(parseCents(0, 'pay_amount')).toEqual({ ok: true, value: 0 });
    expect(parseCents(15800, 'pay_amount')).toEqual({ ok: true, value: 15800 });
    expect(parseCents(Number.MAX_SAFE_INTEGER, 'pay_amount')).toEqual({
      ok: true,
      value: Number.MAX_SAFE_INTEGER,
    });
  });

  it.each([-1, 158.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN, '15800'])('refuses %j', (input) => {
    expect(parseCents(input, 'pay_amount')).toMatchObject({
      ok: false,
      errors: [{ field: 'pay_amount', code: 'INVALID_MONEY' }],
    });
  });
});

describe('parseShanghaiTime', () => {
  it('reads a local time as UTC+8', () => {
    expect(valueOfTime(parseShanghaiTime('2026-11-20 14:03:11', 'created'))).toBe('2026-11-20T06:03:11.000Z');
  });

  it('crosses the date line back into the previous UTC day before 08:00', () => {
    expect(valueOfTime(parseShanghaiTime('2026-01-01 00:00:00', 'created'))).toBe('2025-12-31T16:00:00.000Z');
    expect(valueOfTime(parseShanghaiTime('2026-11-11 07:59:59', 'created'))).toBe('2026-11-10T23:59:59.000Z');
  });

  it('has no daylight saving: midsummer and midwinter are both +8', () => {
    expect(valueOfTime(parseShanghaiTime('2026-07-01 12:00:00', 'created'))).toBe('2026-07-01T04:00:00.000Z');
    expect(valueOfTime(parseShanghaiTime('2026-12-01 12:00:00', 'created'))).toBe('2026-12-01T04:00:00.000Z');
  });

  it('accepts 29 February only in leap years', () => {
    expect(valueOfTime(parseShanghaiTime('2028-02-29 10:00:00', 'created'))).toBe('2028-02-29T02:00:00.000Z');
    expect(parseShanghaiTime('2026-02-29 10:00:00', 'created')).toMatchObject({ ok: false });
    expect(parseShanghaiTime('2100-02-29 10:00:00', 'created')).toMatchObject({ ok: false });
  });

  it.each([
    '2026-02-30 12:00:00',
    '2026-04-31 12:00:00',
    '2026-13-01 12:00:00',
    '2026-00-10 12:00:00',
    '2026-11-20 25:00:00',
    '2026-11-20 24:00:00',
    '2026-11-20 12:60:00',
    '2026-11-20 12:00:60',
    '2026/11/20 14:03:11',
    '2026-11-20T14:03:11',
    '2026-11-20 14:03',
    '2026-11-20',
    '1969-12-31 23:59:59',
    'yesterday',
  ])('refuses %j as INVALID_TIME', (input) => {
    expect(parseShanghaiTime(input, 'pay_time')).toMatchObject({
      ok: false,
      errors: [{ field: 'pay_time', code: 'INVALID_TIME' }],
    });
  });

  it('refuses numbers and reports blanks as REQUIRED', () => {
    expect(parseShanghaiTime(1795154591, 'created')).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_TIME' }],
    });
    expect(parseShanghaiTime('', 'created')).toMatchObject({ ok: false, errors: [{ code: 'REQUIRED' }] });
  });
});

describe('parseUnixSeconds', () => {
  it('reads seconds as a number or a digit string', () => {
    expect(valueOfTime(parseUnixSeconds(1795154591, 'create_time'))).toBe('2026-11-20T06:03:11.000Z');
    expect(valueOfTime(parseUnixSeconds('1795154591', 'create_time'))).toBe('2026-11-20T06:03:11.000Z');
    expect(valueOfTime(parseUnixSeconds(0, 'create_time'))).toBe('1970-01-01T00:00:00.000Z');
  });

  it.each([1795154591000, -1, 1795154591.5, '17951545x1', true])('refuses %j as INVALID_TIME', (input) => {
    expect(parseUnixSeconds(input, 'create_time')).toMatchObject({
      ok: false,
      errors: [{ field: 'create_time', code: 'INVALID_TIME' }],
    });
  });
});

describe('parseIsoInstant', () => {
  it.each([
    ['2026-11-20T14:03:11+08:00', '2026-11-20T06:03:11.000Z'],
    ['2026-11-20T06:03:11Z', '2026-11-20T06:03:11.000Z'],
    ['2026-11-20T01:03:11-05:00', '2026-11-20T06:03:11.000Z'],
    ['2026-11-20T14:03:11.250+08:00', '2026-11-20T06:03:11.250Z'],
    ['2026-11-20T14:03:11.123456+08:00', '2026-11-20T06:03:11.123Z'],
  ])('reads %j as %s', (input, iso) => {
    expect(valueOfTime(parseIsoInstant(input, 'createdAt'))).toBe(iso);
  });

  it.each([
    '2026-11-20T14:03:11',
    '2026-11-20 14:03:11+08:00',
    '2026-02-30T14:03:11+08:00',
    '2026-11-20T14:03:11+0800',
    '2026-11-20T14:03:11+15:00',
    '1795154591',
  ])('refuses %j as INVALID_TIME', (input) => {
    expect(parseIsoInstant(input, 'createdAt')).toMatchObject({
      ok: false,
      errors: [{ field: 'createdAt', code: 'INVALID_TIME' }],
    });
  });
});

describe('parseChineseMobile', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['+86 138-0013-8000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['0086 139 1234 5678', '13912345678'],
    [' 19912345678 ', '19912345678'],
  ])('normalises %j to %s', (input, phone) => {
    expect(parseChineseMobile(input, 'receiver_mobile')).toEqual({ ok: true, value: phone });
  });

  it.each([
    '12345678901',
    '1380013800',
    '138001380001',
    '138****8000',
    '13800138000-1234',
    '+8513800138000',
    '021-61234567',
    '+86 12800138000',
  ])('refuses %j as INVALID_PHONE without echoing it', (input) => {
    const result = parseChineseMobile(input, 'consigneeInfo.mobile');
    expect(result).toMatchObject({
      ok: false,
      errors: [{ field: 'consigneeInfo.mobile', code: 'INVALID_PHONE' }],
    });
    if (!result.ok) expect(result.errors[0].message).not.toContain(input.replace(/\D/g, '').slice(-4));
  });

  it('refuses numbers and reports blanks as REQUIRED', () => {
    expect(parseChineseMobile(13800138000, 'post_tel')).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_TYPE' }],
    });
    expect(parseChineseMobile(' ', 'post_tel')).toMatchObject({ ok: false, errors: [{ code: 'REQUIRED' }] });
  });
});

describe('ids, text and quantities', () => {
  it('takes ids as strings or safe integers, refusing numbers JSON already rounded', () => {
    expect(parseChannelId('3571204498765432109', 'tid')).toEqual({ ok: true, value: '3571204498765432109' });
    expect(parseChannelId(301234567890, 'orderId')).toEqual({ ok: true, value: '301234567890' });
    expect(parseChannelId(3571204498765432000, 'tid')).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_ID' }],
    });
    expect(parseChannelId(12.5, 'tid')).toMatchObject({ ok: false, errors: [{ code: 'INVALID_ID' }] });
    expect(parseChannelId(-3, 'tid')).toMatchObject({ ok: false, errors: [{ code: 'INVALID_ID' }] });
  });

  it('trims required text and reports blank text as REQUIRED', () => {
    expect(parseText('  张测试 ', 'receiver_name')).toEqual({ ok: true, value: '张测试' });
    expect(parseText('', 'receiver_name')).toMatchObject({ ok: false, errors: [{ code: 'REQUIRED' }] });
    expect(parseText('   ', 'receiver_name')).toMatchObject({ ok: false, errors: [{ code: 'REQUIRED' }] });
    expect(parseText(42, 'receiver_name')).toMatchObject({ ok: false, errors: [{ code: 'INVALID_TYPE' }] });
  });

  it('takes quantities as whole numbers of at least 1, digit strings included', () => {
    expect(parseQuantity(3, 'num')).toEqual({ ok: true, value: 3 });
    expect(parseQuantity('2', 'itemTotal')).toEqual({ ok: true, value: 2 });
    for (const bad of [0, -1, 1.5, '1.5', '-2', 'two', Number.MAX_SAFE_INTEGER + 1]) {
      expect(parseQuantity(bad, 'num')).toMatchObject({
        ok: false,
        errors: [{ field: 'num', code: 'INVALID_QUANTITY' }],
      });
    }
  });
});

function valueOfTime(result: { ok: true; value: Date } | { ok: false }): string {
  if (!result.ok) throw new Error('expected a time');
  return result.value.toISOString();
}
