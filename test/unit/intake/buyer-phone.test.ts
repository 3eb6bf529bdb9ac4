import fc from 'fast-check';
import { type CountryCode, getCountryCallingCode, isValidPhoneNumber } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { normaliseMobile } from '../../../api/src/domain/customer/otp-rules.js';
import { parseChannelOrder } from '../../../api/src/domain/intake/parse-channel-order.js';
import { parseBuyerPhone, parseChineseMobile } from '../../../api/src/domain/intake/parse-helpers.js';
import { readPhone } from '../../../api/src/domain/phone/buyer-phone.js';
import { maskPhone } from '../../../api/src/domain/privacy/mask.js';
import { defectsOf, loadFixture } from './intake-test-support.js';

describe('parseBuyerPhone (web shop buyers)', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['+86 138-0013-8000', '13800138000'],
    ['0086 139 1234 5678', '13912345678'],
    ['+852 5123 4567', '+85251234567'],
    ['00852 9123-4567', '+85291234567'],
    ['+853 6612 3456', '+85366123456'],
    ['+886 912 345 678', '+886912345678'],
    ['+1 (201) 555-0123', '+12015550123'],
    ['+44 7400 123456', '+447400123456'],
    ['+65 8123 4567', '+6581234567'],
  ])('stores %j as %s', (input, stored) => {
    expect(parseBuyerPhone(input, 'buyer.phone')).toEqual({ ok: true, value: stored });
  });

  it.each([
    '51234567', // Hong Kong without its code: could be Macau too
    '+852 1234',
    '+852 0123 4567',
    '+86 21 6123 4567', // a mainland landline: mainland numbers must still be mobiles
    '+8612800138000',
    '138****8000',
    '+0 123 4567',
    '+852 5123 4567 ext 9',
    '++85251234567',
    `+852${'5'.repeat(40)}`,
  ])('refuses %j as INVALID_PHONE without echoing it', (input) => {
    const result = parseBuyerPhone(input, 'buyer.phone');
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'buyer.phone', code: 'INVALID_PHONE' }] });
    if (!result.ok) expect(result.errors[0].message).not.toContain(input.replace(/\D/g, '').slice(-4));
  });

  it('keeps the marketplaces to mainland mobiles', () => {
    expect(parseChineseMobile('+852 5123 4567', 'receiver_mobile')).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_PHONE' }],
    });
  });

  it('reports blanks as REQUIRED and non-strings as INVALID_TYPE', () => {
    expect(parseBuyerPhone('  ', 'buyer.phone')).toMatchObject({ errors: [{ code: 'REQUIRED' }] });
    expect(parseBuyerPhone(85251234567, 'buyer.phone')).toMatchObject({ errors: [{ code: 'INVALID_TYPE' }] });
  });
});

describe('buyer phones through the channel adapters', () => {
  it('reads a Hong Kong web shop buyer as E.164, and refuses one on Taobao, JD and Douyin', () => {
    const webshop = loadFixture('webshop-custom.json');
    webshop.buyer.phone = '+852 5123 4567';
    const parsed = parseChannelOrder('WEBSHOP', webshop);
    expect(parsed.ok && parsed.value.buyer.phone).toBe('+85251234567');

    const taobao = loadFixture('taobao-presale-step.json');
    taobao.receiver_mobile = '+852 5123 4567';
    const jd = loadFixture('jd-normal.json');
    jd.consigneeInfo.mobile = '+852 5123 4567';
    const douyin = loadFixture('douyin-normal.json');
    douyin.post_tel = '+852 5123 4567';
    expect(defectsOf(parseChannelOrder('TAOBAO', taobao))).toEqual(['receiver_mobile INVALID_PHONE']);
    expect(defectsOf(parseChannelOrder('JD', jd))).toEqual(['consigneeInfo.mobile INVALID_PHONE']);
    expect(defectsOf(parseChannelOrder('DOUYIN', douyin))).toEqual(['post_tel INVALID_PHONE']);
  });
});

describe('maskPhone on stored numbers', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['+85251234567', '+852 ****4567'],
    ['+886912345678', '+886 ****5678'],
    ['+12015550123', '+1 ****0123'],
  ])('%s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});

describe('customer sign-in reads the phone as intake stores it', () => {
  it('finds a +852 buyer under the same stored form', () => {
    expect(normaliseMobile('+852 5123 4567')).toBe('+85251234567');
    expect(normaliseMobile('00852-51234567')).toBe('+85251234567');
    expect(normaliseMobile('138 0013 8000')).toBe('13800138000');
    expect(normaliseMobile('51234567')).toBeNull();
  });
});

/** The regions buyers come from, and their national numbers' lengths. */
const REGIONS: readonly [CountryCode, number][] = [
  ['HK', 8],
  ['MO', 8],
  ['TW', 9],
  ['US', 10],
  ['GB', 10],
  ['SG', 8],
  ['JP', 10],
  ['AU', 9],
  ['DE', 11],
];

/** A valid number of an allowed region, in E.164. */
const validE164 = fc
  .constantFrom(...REGIONS)
  .chain(([country, length]) =>
    fc.stringMatching(new RegExp(`^[1-9]\\d{${length - 1}}$`)).map((national) => {
      const callingCode = getCountryCallingCode(country);
      return { e164: `+${callingCode}${national}`, callingCode };
    }),
  )
  .filter(({ e164 }) => isValidPhoneNumber(e164));

/** The ways a person writes one number: spaces, dashes, brackets, 00 for +. */
function writtenForms(e164: string, callingCode: string): string[] {
  const national = e164.slice(callingCode.length + 1);
  const half = Math.ceil(national.length / 2);
  return [
    e164,
    `+${callingCode} ${national.slice(0, half)} ${national.slice(half)}`,
    `00${callingCode}-${national.slice(0, half)}-${national.slice(half)}`,
    ` +${callingCode} (${national.slice(0, 3)}) ${national.slice(3)} `,
  ];
}

describe('buyer phone properties', () => {
  it('any valid number of an allowed region round-trips to its E.164 form, however written', () => {
    fc.assert(
      fc.property(validE164, ({ e164, callingCode }) => {
        expect(readPhone(e164, 'INTERNATIONAL')).toEqual({ ok: true, phone: e164, mainland: false });
        for (const form of writtenForms(e164, callingCode)) {
          expect(parseBuyerPhone(form, 'buyer.phone')).toEqual({ ok: true, value: e164 });
        }
        const masked = maskPhone(e164);
        expect(masked.endsWith(e164.slice(-4))).toBe(true);
        expect(masked).toContain('****');
        expect(masked.replace(/\D/g, '').length).toBeLessThan(e164.replace(/\D/g, '').length - 3);
      }),
      { numRuns: 500 },
    );
  });

  it('any mainland mobile, with or without +86, is stored as its 11 digits and masked as before', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), fc.constantFrom('', '+86', '0086', '+86 '), (n, p) => {
        expect(parseBuyerPhone(`${p}${n}`, 'buyer.phone')).toEqual({ ok: true, value: n });
        expect(maskPhone(n)).toBe(`${n.slice(0, 3)}****${n.slice(7)}`);
      }),
    );
  });

  it('garbage never crashes: a coded error or a number that reads back the same', () => {
    const garbage = fc.oneof(
      fc.anything(),
      fc.string({ maxLength: 40 }),
      fc.stringMatching(/^[+0-9 ()\-.]{0,40}$/),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
    );
    fc.assert(
      fc.property(garbage, (value) => {
        const result = parseBuyerPhone(value, 'buyer.phone');
        if (result.ok) {
          expect(result.value).toMatch(/^(?:1[3-9]\d{9}|\+[1-9]\d{6,14})$/);
          expect(parseBuyerPhone(result.value, 'buyer.phone')).toEqual(result);
        } else {
          expect(result.errors).toHaveLength(1);
          expect(result.errors[0].field).toBe('buyer.phone');
          expect(['REQUIRED', 'INVALID_TYPE', 'INVALID_PHONE']).toContain(result.errors[0].code);
        }
        // Only strings reach masking; String() of an object whose toString is not callable throws.
        if (typeof value === 'string') expect(() => maskPhone(value)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});
