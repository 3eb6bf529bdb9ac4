import type { AddressFailureReason, ParsedAddressFailure, RegionRef } from './address-types.js';
import type {
  CityEntry,
  DistrictEntry,
  DivisionEntry,
  ProvinceEntry,
  TownshipEntry,
} from './division-index.js';

/** Shared by the field and text halves of the parser: region levels, names and failure shapes. */

export interface RegionLevels {
  province: ProvinceEntry;
  /** Null only for a province that is not a municipality. */
  city: CityEntry | null;
  district: DistrictEntry | null;
  township: TownshipEntry | null;
}

/** Fills in the levels above the deepest region read; a municipality's city is implied. */
export function levelsOf(anchor: DivisionEntry): RegionLevels {
  switch (anchor.level) {
    case 'province':
      return {
        province: anchor,
        city: anchor.municipality ? anchor.cities[0] : null,
        district: null,
        township: null,
      };
    case 'city':
      return { province: anchor.province, city: anchor, district: null, township: null };
    case 'district':
      return { province: anchor.city.province, city: anchor.city, district: anchor, township: null };
    case 'township':
      return { province: anchor.city.province, city: anchor.city, district: null, township: anchor };
  }
}

export function ref(entry: { code: string; name: string }): RegionRef {
  return { code: entry.code, name: entry.name };
}

/** 浙江省杭州市西湖区, 北京市朝阳区: for messages, never the input text. */
export function describe(anchor: DivisionEntry): string {
  const { province, city, district, township } = levelsOf(anchor);
  let name = province.name;
  if (city !== null && city.name !== province.name) name += city.name;
  if (district !== null) name += district.name;
  if (township !== null) name += township.name;
  return name;
}

/** How sure a failure still is about the part it resolved. */
export function failure(
  reason: AddressFailureReason,
  message: string,
  partial?: ParsedAddressFailure['partial'],
): ParsedAddressFailure {
  const confidence = partial?.city !== undefined ? 0.5 : partial?.province !== undefined ? 0.3 : 0;
  return partial === undefined
    ? { ok: false, reason, message, confidence }
    : { ok: false, reason, message, confidence, partial };
}

/** Several regions fit equally well; the levels they share are still worth reporting. */
export function ambiguous(anchors: readonly DivisionEntry[], source: string): ParsedAddressFailure {
  const levels = anchors.map(levelsOf);
  const province = levels.every((l) => l.province === levels[0].province) ? levels[0].province : null;
  const city = province !== null && levels.every((l) => l.city === levels[0].city) ? levels[0].city : null;
  const partial: ParsedAddressFailure['partial'] = {};
  if (province !== null) partial.province = ref(province);
  if (city !== null) partial.city = ref(city);
  const shown = anchors.slice(0, 3).map(describe).join(', ');
  const more = anchors.length > 3 ? ` and ${anchors.length - 3} more` : '';
  return failure(
    'AMBIGUOUS',
    `${anchors.length} regions fit ${source} equally well: ${shown}${more}`,
    province === null ? undefined : partial,
  );
}
