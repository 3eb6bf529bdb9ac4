import { ambiguous, describe, failure, ref } from './address-outcomes.js';
import type { NormalizedText } from './address-text.js';
import type { ParsedAddressFailure } from './address-types.js';
import {
  type DivisionEntry,
  type DivisionIndex,
  LEVEL_DEPTH,
  type NameHit,
  within,
} from './division-index.js';
import { LEVEL_BIT, readRegions } from './region-search.js';

/**
 * The channel's own province / city / district fields, checked against the division data. Each
 * field is looked up as a whole name (full or short); then the one reading per field is chosen
 * under which all fields nest. Channels shift levels (city = 仙桃市, district = a town; for a
 * municipality city = 朝阳区), so a field may resolve to a neighbouring level.
 */

export type RegionField = 'province' | 'city' | 'district';
export const REGION_FIELDS: readonly RegionField[] = ['province', 'city', 'district'];

export type FieldResolution =
  | {
      ok: true;
      /** The deepest region the fields name; null when no field was given. */
      anchor: DivisionEntry | null;
      stated: number;
      /** A district field that names no district: kept as the street once the district is known. */
      unknownDistrict: string | null;
    }
  | { ok: false; failure: ParsedAddressFailure };

/** Hong Kong, Macao, Taiwan: named often enough to deserve their own reason. */
export const OUTSIDE_DATA = ['香港', '澳门', '澳門', '台湾', '台灣', '臺灣'];

export function startsOutsideData(han: string, at: number): boolean {
  return OUTSIDE_DATA.some((name) => han.startsWith(name, at));
}

interface FieldOption {
  field: RegionField;
  hits: readonly NameHit[];
}

export function resolveFields(
  index: DivisionIndex,
  fields: Record<RegionField, NormalizedText>,
): FieldResolution {
  const options: FieldOption[] = [];
  let unknownDistrict: string | null = null;
  for (const field of REGION_FIELDS) {
    const value = fields[field];
    if (!value.hasContent) continue;
    const hits = value.han === '' ? [] : lookUpField(index, value.han);
    if (hits.length > 0) {
      options.push({ field, hits });
      continue;
    }
    if (startsOutsideData(value.han, 0)) {
      return {
        ok: false,
        failure: failure(
          'UNSUPPORTED_REGION',
          `the ${field} field names a region outside the mainland division data`,
        ),
      };
    }
    if (field !== 'district') {
      const message = `the ${field} field names no ${field} in the division data`;
      return { ok: false, failure: failure('UNKNOWN_REGION', message) };
    }
    // A district the data does not know (new, or 其他区) still leaves the city to route by.
    unknownDistrict = value.text;
  }
  if (options.length === 0) return { ok: true, anchor: null, stated: 0, unknownDistrict };

  const best = bestCombinations(options);
  if (best.length === 0) return { ok: false, failure: conflict(options) };
  const anchors = [...new Set(best.map((c) => c.anchor))];
  if (anchors.length > 1) return { ok: false, failure: ambiguous(anchors, 'the address fields') };
  return { ok: true, anchor: anchors[0], stated: best[0].stated, unknownDistrict };
}

/**
 * A field is one name (浙江, 杭州市, 市辖区); failing that, several names that read as one region
 * and fill the whole field (a province field holding 浙江省杭州市).
 */
function lookUpField(index: DivisionIndex, han: string): readonly NameHit[] {
  const hits = index.names.get(han);
  if (hits.length > 0) return hits;
  const outcome = readRegions(index, han, 0, null);
  if (outcome.kind !== 'one' || outcome.reading.end !== han.length) return [];
  return [{ entry: outcome.reading.anchor, kind: 'full', needsParent: false }];
}

interface Combination {
  anchor: DivisionEntry;
  score: number;
  stated: number;
}

/** Every choice of one hit per field under which the fields nest; the best-scoring ones. */
function bestCombinations(options: readonly FieldOption[]): Combination[] {
  let best: Combination[] = [];
  const chosen: NameHit[] = new Array(options.length);
  const visit = (i: number): void => {
    if (i === options.length) {
      const combination = evaluate(options, chosen);
      if (combination === null) return;
      if (best.length === 0 || combination.score > best[0].score) best = [combination];
      else if (combination.score === best[0].score) best.push(combination);
      return;
    }
    for (const hit of options[i].hits) {
      chosen[i] = hit;
      visit(i + 1);
    }
  };
  visit(0);
  return best;
}

function evaluate(options: readonly FieldOption[], chosen: readonly NameHit[]): Combination | null {
  let anchor = chosen[0].entry;
  let score = 0;
  let stated = 0;
  for (let i = 0; i < chosen.length; i++) {
    const hit = chosen[i];
    for (let j = 0; j < i; j++) {
      const other = chosen[j].entry;
      if (!within(hit.entry, other) && !within(other, hit.entry)) return null;
    }
    if (hit.needsParent && !chosen.some((o) => o.entry !== hit.entry && within(hit.entry, o.entry)))
      return null;
    if (LEVEL_DEPTH[hit.entry.level] >= LEVEL_DEPTH[anchor.level]) anchor = hit.entry;
    score += fitsField(options[i].field, hit.entry) ? 2 : 1;
    stated |= LEVEL_BIT[hit.entry.level];
  }
  return { anchor, score, stated };
}

/** Whether the region is what the field is meant to hold (仙桃市 is a fair city, a town a fair district). */
function fitsField(field: RegionField, entry: DivisionEntry): boolean {
  switch (field) {
    case 'province':
      return entry.level === 'province';
    case 'city':
      return (
        entry.level === 'city' ||
        (entry.level === 'district' && entry.city.placeholder && !entry.city.province.municipality)
      );
    case 'district':
      return entry.level === 'district' || entry.level === 'township';
  }
}

function conflict(options: readonly FieldOption[]): ParsedAddressFailure {
  // Name each field by the reading closest to what the field is meant to hold.
  const named = options.map(({ field, hits }) => hits.find((h) => fitsField(field, h.entry)) ?? hits[0]);
  const province = options[0].field === 'province' ? named[0].entry : null;
  return failure(
    'CONFLICTING_FIELDS',
    `the address fields name regions that do not nest: ${named.map((h) => describe(h.entry)).join(' / ')}`,
    province?.level === 'province' ? { province: ref(province) } : undefined,
  );
}
