import { REGION_FIELDS, type RegionField, resolveFields, startsOutsideData } from './address-fields.js';
import { ambiguous, describe, failure, levelsOf, ref } from './address-outcomes.js';
import { type NormalizedText, normalizeText, textAfter, textBefore } from './address-text.js';
import type { AddressInput, ParsedAddress, ParseMethod } from './address-types.js';
import {
  type CityEntry,
  type DistrictEntry,
  type DivisionEntry,
  type DivisionIndex,
  within,
} from './division-index.js';
import { findRegionStart, LEVEL_BIT, type RegionReading, readRegions } from './region-search.js';

/**
 * Address → province / city / district with GB/T 2260 codes, for routing orders by region.
 * Pure and synchronous; the work per address is bounded whatever the input (see ADDRESS_LIMITS).
 */

export const ADDRESS_LIMITS = {
  /** Characters of the detail line looked at; real detail lines are under 200. */
  detailChars: 512,
  /** Characters of each region field looked at. */
  fieldChars: 64,
  /** How far into the text a region is looked for when the text does not start with one. */
  scanWindow: 48,
} as const;

/** Words that precede an address without being part of it. */
const LEAD_INS = ['中华人民共和国', '中国大陆', '中国', '收货地址', '收件地址', '地址'];

const PROVINCE_OR_CITY = LEVEL_BIT.province | LEVEL_BIT.city;
const REGION_LEVELS = LEVEL_BIT.province | LEVEL_BIT.city | LEVEL_BIT.district;

export function parseAddress(index: DivisionIndex, input: AddressInput): ParsedAddress {
  const detail = normalizeText(input.detail, ADDRESS_LIMITS.detailChars);
  const fields = {} as Record<RegionField, NormalizedText>;
  for (const field of REGION_FIELDS) fields[field] = normalizeText(input[field], ADDRESS_LIMITS.fieldChars);
  const given = REGION_FIELDS.filter((f) => fields[f].hasContent);

  if (!detail.hasContent && given.length === 0) return failure('EMPTY', 'the address is empty');
  const texts = [detail, ...given.map((f) => fields[f])];
  if (texts.every((t) => t.han === '')) return notChinese();

  const resolved = resolveFields(index, fields);
  if (!resolved.ok) return resolved.failure;
  const scope = resolved.anchor;

  // The free text: regions at its start, restating or refining what the fields said.
  const start = skipLeadIns(detail.han);
  let outcome = readRegions(index, detail.han, start, scope);
  let skippedText = false;
  if (outcome.kind === 'none' && scope === null) {
    if (startsOutsideData(detail.han, start)) {
      return failure(
        'UNSUPPORTED_REGION',
        'the address is in Hong Kong, Macao or Taiwan, outside the division data',
      );
    }
    const later = findRegionStart(index, detail.han, start + 1, ADDRESS_LIMITS.scanWindow);
    if (later >= 0) {
      outcome = readRegions(index, detail.han, later, null);
      skippedText = true;
    }
  }
  if (outcome.kind === 'ambiguous') {
    return ambiguous(
      outcome.readings.map((r) => r.anchor),
      scope === null ? 'the address' : 'the address text and fields',
    );
  }
  const reading = outcome.kind === 'one' ? outcome.reading : null;
  if (reading === null && scope !== null) {
    const contradiction = contradictingText(index, detail.han, start, scope);
    if (contradiction !== null) {
      return failure(
        'CONFLICTING_FIELDS',
        `the address fields name ${describe(scope)} but the text names ${describe(contradiction)}`,
        { province: ref(levelsOf(scope).province) },
      );
    }
  }

  const anchor = reading?.anchor ?? scope;
  if (anchor === null) {
    // Kanji without a Chinese region, next to kana or hangul: a Japanese or Korean address.
    if (texts.some((t) => t.hasForeignScript)) return notChinese();
    return failure('NO_PROVINCE', 'no province, city or district found in the address');
  }
  const { province, city, district, township } = levelsOf(anchor);
  if (city === null) {
    return failure('NO_CITY', `the address names ${province.name} but no city in it`, {
      province: ref(province),
    });
  }

  const stated = resolved.stated | (reading?.stated ?? 0);
  const confidence = confidenceOf(stated, reading?.shortForms ?? 0, city, district, skippedText);
  return {
    ok: true,
    province: ref(province),
    city: ref(city),
    district: district === null ? null : ref(district),
    street:
      normalizeText(input.street, ADDRESS_LIMITS.fieldChars).text ||
      township?.name ||
      (district !== null ? resolved.unknownDistrict : null),
    detail: detailAfter(detail, reading, skippedText),
    confidence,
    method: methodOf(given.length > 0, scope, reading),
  };
}

/**
 * 1 when every level was named in full. Less for each level inferred rather than named, each
 * short form, a missing district, and a region found only after skipping text.
 */
function confidenceOf(
  stated: number,
  shortForms: number,
  city: CityEntry,
  district: DistrictEntry | null,
  skippedText: boolean,
): number {
  let confidence = 1;
  if ((stated & PROVINCE_OR_CITY) === 0) {
    confidence -= 0.15; // only the district was named
  } else if ((stated & LEVEL_BIT.city) === 0 && district !== null && !city.placeholder) {
    confidence -= 0.05; // the city was inferred from the district
  }
  confidence -= 0.05 * shortForms;
  if (district === null && city.districts.length > 0) confidence -= 0.3;
  if (skippedText) confidence -= 0.1;
  return Math.round(Math.max(0.05, confidence) * 100) / 100;
}

const notChinese = () =>
  failure('NOT_CHINESE_ADDRESS', 'the address is not written in Chinese; route it by hand');

function skipLeadIns(han: string): number {
  let at = 0;
  for (let again = true; again; ) {
    again = false;
    for (const word of LEAD_INS) {
      if (han.startsWith(word, at)) {
        at += word.length;
        again = true;
      }
    }
  }
  return at;
}

/**
 * A detail line that names two levels of some other region (广东省广州市… under fields 浙江 /
 * 杭州) contradicts the fields; one stray name (南京市场) does not.
 */
function contradictingText(
  index: DivisionIndex,
  han: string,
  start: number,
  scope: DivisionEntry,
): DivisionEntry | null {
  const unscoped = readRegions(index, han, start, null);
  if (unscoped.kind !== 'one') return null;
  const { anchor, stated } = unscoped.reading;
  if (popCount(stated & REGION_LEVELS) < 2 || within(anchor, scope) || within(scope, anchor)) return null;
  return anchor;
}

function detailAfter(detail: NormalizedText, reading: RegionReading | null, skippedText: boolean): string {
  if (reading === null) return detail.text;
  const rest = textAfter(detail, reading.end);
  if (!skippedText) return rest;
  // The text before the region (a street written first, or a name) is kept, not thrown away.
  const before = textBefore(detail, reading.start);
  return before === '' ? rest : rest === '' ? before : `${before} ${rest}`;
}

function methodOf(
  fieldsGiven: boolean,
  scope: DivisionEntry | null,
  reading: RegionReading | null,
): ParseMethod {
  if (!fieldsGiven) return 'TEXT';
  // Restating the fields' region in the text adds nothing; naming a deeper level does.
  return reading !== null && reading.anchor !== scope ? 'MIXED' : 'FIELDS';
}

function popCount(bits: number): number {
  let count = 0;
  for (let b = bits; b !== 0; b &= b - 1) count++;
  return count;
}
