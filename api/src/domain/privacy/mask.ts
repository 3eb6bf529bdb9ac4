import { splitInternational } from '../phone/buyer-phone.js';

/**
 * Masking for personal data shown to staff, partners and customers. Each function keeps just
 * enough to recognise a record and hides the rest.
 */

const MOBILE = /^(?:\+?86)?(1\d{2})(\d{4})(\d{4})$/;
const SEPARATORS = /[\s\-()]/g;

/**
 * `13812345678` → `138****5678`; `+86 138-1234-5678` the same. A number stored as E.164 outside
 * the mainland keeps its country code and last four digits, the rest a fixed `****` that does not
 * give away its length: `+85251234567` → `+852 ****4567` (a national number of six digits or fewer
 * keeps only its last two). Any other number keeps its first three and last four digits when it
 * has at least eight, else only its last one.
 */
export function maskPhone(phone: string): string {
  const compact = phone.trim().replace(SEPARATORS, '');
  const mobile = MOBILE.exec(compact);
  if (mobile) return `${mobile[1]}****${mobile[3]}`;
  const international = splitInternational(compact);
  if (international) {
    const { callingCode, national } = international;
    return `+${callingCode} ****${national.slice(national.length > 6 ? -4 : -2)}`;
  }
  if (compact.length >= 8)
    return `${compact.slice(0, 3)}${'*'.repeat(compact.length - 7)}${compact.slice(-4)}`;
  return compact.length <= 1
    ? '*'.repeat(compact.length)
    : `${'*'.repeat(compact.length - 1)}${compact.slice(-1)}`;
}

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/** `张三丰` → `张**`, `Li` → `L*`: the first character, then a star for each other one. */
export function maskName(name: string): string {
  const chars = Array.from(graphemes.segment(name.trim()), (s) => s.segment);
  if (chars.length <= 1) return '*'.repeat(chars.length);
  return chars[0] + '*'.repeat(chars.length - 1);
}

export interface AddressParts {
  province: string | null;
  city: string | null;
  district: string | null;
  street?: string | null;
  /** The detail line: street, building, room. */
  detail: string;
}

/**
 * `浙江省 杭州市 西湖区 ****`: the administrative parts stay, street and detail become a fixed
 * `****` that does not give away their length. A city repeating its province (北京市 北京市) is
 * shown once.
 */
export function maskAddress(address: AddressParts): string {
  const parts: string[] = [];
  for (const part of [address.province, address.city, address.district]) {
    const text = part?.trim();
    if (text && text !== parts[parts.length - 1]) parts.push(text);
  }
  if ((address.street ?? '').trim() !== '' || address.detail.trim() !== '') parts.push('****');
  return parts.join(' ');
}
