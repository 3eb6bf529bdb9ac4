import { parseAddress } from '../../api/src/domain/address/address-parser.js';
import type { DivisionIndex } from '../../api/src/domain/address/division-index.js';
import type { AddressFormat, LabelledAddress } from './labelled-set.js';

/** Share of labelled addresses parsed to the expected codes at each level (a failure is a miss). */
export interface LabelledScore {
  province: number;
  city: number;
  district: number;
  byFormat: Partial<Record<AddressFormat, { n: number; district: number }>>;
  /** One line per district-level miss: the input, what was expected, what came out. */
  misses: string[];
}

export function scoreLabelledSet(index: DivisionIndex, set: readonly LabelledAddress[]): LabelledScore {
  let province = 0;
  let city = 0;
  let district = 0;
  const byFormat: Record<string, { n: number; hits: number }> = {};
  const misses: string[] = [];
  for (const item of set) {
    const parsed = parseAddress(index, item.input);
    const { expected } = item;
    const provinceOk = parsed.ok && parsed.province.code === expected.province;
    const cityOk = provinceOk && parsed.ok && parsed.city.code === expected.city;
    const districtOk = cityOk && parsed.ok && (parsed.district?.code ?? null) === expected.district;
    province += provinceOk ? 1 : 0;
    city += cityOk ? 1 : 0;
    district += districtOk ? 1 : 0;
    const f = byFormat[item.format] ?? { n: 0, hits: 0 };
    byFormat[item.format] = f;
    f.n++;
    f.hits += districtOk ? 1 : 0;
    if (!districtOk) {
      const got = parsed.ok ? `${parsed.city.code}/${parsed.district?.code ?? '-'}` : parsed.reason;
      misses.push(
        `[${item.format}] ${JSON.stringify(item.input)} expected ${expected.city}/${expected.district ?? '-'} got ${got}`,
      );
    }
  }
  const n = Math.max(1, set.length);
  return {
    province: province / n,
    city: city / n,
    district: district / n,
    byFormat: Object.fromEntries(
      Object.entries(byFormat).map(([format, f]) => [format, { n: f.n, district: f.hits / f.n }]),
    ),
    misses,
  };
}
