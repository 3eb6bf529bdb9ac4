import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Buyer phone numbers, defined once for intake, customer sign-in, staff search and masking.
 *
 * Stored form:
 * - a mainland China mobile keeps the form it always had: its 11 national digits (`13812345678`),
 *   whatever prefix (+86, 0086, 86) or separators it came with;
 * - any other number (Hong Kong, Macau, Taiwan, abroad) is E.164: `+` and the country calling code
 *   then the national number, no separators (`+85251234567`). It must be written with its country
 *   code (`+852 5123 4567` or `00852 5123 4567`): eight bare digits could be Hong Kong or Macau.
 *
 * Numbers are validated against libphonenumber's full metadata (number ranges per country), so a
 * number with the right length but in no allocated range is refused. A +86 number that is not a
 * mainland mobile is refused as before: the mainland rule has not changed.
 */

/** Longest input read; E.164 has at most 15 digits, so anything longer is not a phone number. */
export const MAX_PHONE_INPUT_LENGTH = 32;

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
const MAINLAND_PREFIX = /^(?:\+86|0086|86)(?=\d{11}$)/;
/** What people put between digits: spaces (also full-width), dashes, dots, brackets. */
const SEPARATORS = /[\s\u3000\-.()（）]/g;

export type PhoneScope =
  /** Mainland mobiles only: the marketplaces' decrypted receiver numbers. */
  | 'MAINLAND_MOBILE'
  /** Mainland mobiles, and any valid number elsewhere written with its country code. */
  | 'INTERNATIONAL';

export type PhoneReading =
  | { ok: true; phone: string; mainland: boolean }
  | { ok: false; reason: 'NOT_A_STRING' | 'BLANK' | 'INVALID' };

/** Pure: the stored form of a number as typed or sent, or why it is not one. Never throws. */
export function readPhone(input: unknown, scope: PhoneScope): PhoneReading {
  if (typeof input !== 'string') return { ok: false, reason: 'NOT_A_STRING' };
  if (input.trim() === '') return { ok: false, reason: 'BLANK' };
  if (input.length > MAX_PHONE_INPUT_LENGTH) return { ok: false, reason: 'INVALID' };
  const compact = input.replace(SEPARATORS, '');
  const national = compact.replace(MAINLAND_PREFIX, '');
  if (MAINLAND_MOBILE.test(national)) return { ok: true, phone: national, mainland: true };
  if (scope === 'MAINLAND_MOBILE') return { ok: false, reason: 'INVALID' };

  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  if (!/^\+[1-9]\d{3,14}$/.test(international)) return { ok: false, reason: 'INVALID' };
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed?.isValid() || parsed.countryCallingCode === '86') return { ok: false, reason: 'INVALID' };
  return { ok: true, phone: parsed.number, mainland: false };
}

/**
 * Pure: the country calling code and national number of a stored non-mainland number, or null for
 * a mainland number or anything that is not E.164.
 */
export function splitInternational(phone: string): { callingCode: string; national: string } | null {
  if (!/^\+[1-9]\d{3,14}$/.test(phone)) return null;
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed || parsed.countryCallingCode === '86') return null;
  return { callingCode: parsed.countryCallingCode, national: parsed.nationalNumber };
}
