import type { AddressInput } from '../../api/src/domain/address/address-types.js';
import type {
  CityEntry,
  DistrictEntry,
  DivisionIndex,
  ProvinceEntry,
  TownshipEntry,
} from '../../api/src/domain/address/division-index.js';

/**
 * Addresses written the ways customers and channels write them, built from the division data at
 * run time with the codes they must parse to. Deterministic: the same index, size and seed give
 * the same set. Which forms are unambiguous (a district named without its city, or alone) is
 * decided here by counting names in the data, not by asking the parser.
 */

export interface LabelledAddress {
  input: AddressInput;
  expected: { province: string; city: string; district: string | null };
  format: AddressFormat;
}

export const ADDRESS_FORMATS = [
  'full',
  'short-names',
  'short-district',
  'no-province',
  'no-city',
  'separated',
  'fields',
  'fields-full-detail',
  'fields-district-in-text',
  'district-only',
  'no-district',
] as const;
export type AddressFormat = (typeof ADDRESS_FORMATS)[number];

const FORMAT_WEIGHTS: Record<AddressFormat, number> = {
  full: 18,
  'short-names': 12,
  'short-district': 6,
  'no-province': 12,
  'no-city': 8,
  separated: 10,
  fields: 14,
  'fields-full-detail': 5,
  'fields-district-in-text': 6,
  'district-only': 5,
  'no-district': 4,
};

/** A place an address can point at: a district, or a town of a city without districts. */
interface Target {
  province: ProvinceEntry;
  city: CityEntry;
  district: DistrictEntry | null;
  township: TownshipEntry | null;
}

/** Small, fast, seedable; good enough to shuffle test data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildLabelledSet(
  index: DivisionIndex,
  { size, seed }: { size: number; seed: number },
): LabelledAddress[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const catalogue = catalogueOf(index);
  const formats = weightedFormats();
  const set: LabelledAddress[] = [];
  for (let i = 0; i < size; i++) {
    const r = random();
    const target = pick(r < 0.12 ? catalogue.municipal : r < 0.27 ? catalogue.autonomous : catalogue.all);
    set.push(write(target, pick(formats), catalogue, random, pick));
  }
  return set;
}

interface Catalogue {
  all: Target[];
  municipal: Target[];
  autonomous: Target[];
  /** How many districts carry a name, nationally and per province. */
  nationalNames: Map<string, number>;
  provinceNames: Map<string, number>;
}

function catalogueOf(index: DivisionIndex): Catalogue {
  const all: Target[] = [];
  const nationalNames = new Map<string, number>();
  const provinceNames = new Map<string, number>();
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const province of index.provinces) {
    count(nationalNames, province.name);
    for (const city of province.cities) {
      count(nationalNames, city.name);
      for (const district of city.districts) {
        all.push({ province, city, district, township: null });
        count(nationalNames, district.name);
        count(provinceNames, `${province.code}:${district.name}`);
      }
      for (const township of city.townships) all.push({ province, city, district: null, township });
    }
  }
  const autonomousName = /自治|盟$|旗$|地区$/;
  return {
    all,
    municipal: all.filter((t) => t.province.municipality),
    autonomous: all.filter(
      (t) =>
        autonomousName.test(t.province.name) ||
        autonomousName.test(t.city.name) ||
        autonomousName.test(t.district?.name ?? ''),
    ),
    nationalNames,
    provinceNames,
  };
}

function weightedFormats(): AddressFormat[] {
  return ADDRESS_FORMATS.flatMap((format) => Array<AddressFormat>(FORMAT_WEIGHTS[format]).fill(format));
}

function write(
  target: Target,
  requested: AddressFormat,
  catalogue: Catalogue,
  random: () => number,
  pick: <T>(items: readonly T[]) => T,
): LabelledAddress {
  const { province, city, district, township } = target;
  const expected = { province: province.code, city: city.code, district: district?.code ?? null };
  const local = district ?? township!;
  const detail = detailLine(random, pick);
  // 北京市 / 省直辖县级行政区划 are not written as a city; 北京市北京市 is, by some channels.
  const cityText = city.placeholder
    ? province.municipality && random() < 0.3
      ? province.name
      : ''
    : city.name;
  const cityShort = city.placeholder ? '' : (city.shortNames[0] ?? city.name);
  const provinceShort = province.shortNames[0] ?? province.name;

  const format = feasible(requested, target, catalogue);
  const text = (parts: string[]) => ({ detail: parts.join('') });
  switch (format) {
    case 'full':
      return { input: text([province.name, cityText, local.name, detail]), expected, format };
    case 'short-names':
      return { input: text([provinceShort, cityShort, local.name, detail]), expected, format };
    case 'short-district':
      return { input: text([province.name, cityText, district!.shortNames[0], detail]), expected, format };
    case 'no-province':
      return {
        input: text(
          province.municipality || city.placeholder
            ? [province.name, local.name, detail]
            : [city.name, local.name, detail],
        ),
        expected,
        format,
      };
    case 'no-city':
      return { input: text([province.name, local.name, detail]), expected, format };
    case 'separated': {
      const separator = pick([' ', ', ', '，', ' , ', '、', '\u3000', '  ']);
      const parts = [random() < 0.5 ? province.name : provinceShort, cityText, local.name, detail];
      return { input: { detail: parts.filter((p) => p !== '').join(separator) }, expected, format };
    }
    case 'fields':
    case 'fields-full-detail':
    case 'fields-district-in-text': {
      const input: AddressInput = {
        province: random() < 0.7 ? province.name : provinceShort,
        city: city.placeholder
          ? province.municipality
            ? pick([province.name, city.dataName])
            : city.dataName
          : random() < 0.7
            ? city.name
            : cityShort,
        district: local.name,
        detail,
      };
      if (format === 'fields-full-detail')
        input.detail = [province.name, cityText, local.name, detail].join('');
      if (format === 'fields-district-in-text') {
        input.district = null;
        input.detail = local.name + detail;
      }
      return { input, expected, format };
    }
    case 'district-only':
      return { input: text([local.name, detail]), expected, format };
    case 'no-district':
      return {
        input: text([province.name, cityText, detail]),
        expected: { ...expected, district: null },
        format,
      };
  }
}

/** Falls back to the full form when the requested one would not name the place unambiguously. */
function feasible(format: AddressFormat, target: Target, catalogue: Catalogue): AddressFormat {
  const { province, city, district } = target;
  switch (format) {
    case 'short-district':
      return district !== null && district.shortNames.length > 0 ? format : 'full';
    case 'no-city':
      return district !== null && catalogue.provinceNames.get(`${province.code}:${district.name}`) === 1
        ? format
        : 'full';
    case 'district-only':
      return district !== null && catalogue.nationalNames.get(district.name) === 1 ? format : 'full';
    case 'no-district':
      return city.districts.length > 0 && !city.placeholder ? format : 'full';
    default:
      return format;
  }
}

/** Road names; some are also names of cities and districts, as real roads often are. */
const ROADS = [
  '文三',
  '学院',
  '幸福',
  '光明',
  '青年',
  '东风',
  '迎宾',
  '振兴',
  '育才',
  '春晓',
  '工业',
  '科技',
  '府前',
  '环城',
  '北京',
  '南京',
  '中山',
  '人民',
  '解放',
  '长江',
  '朝阳',
  '和平',
];
const ESTATES = ['阳光', '锦绣', '翠苑', '金色', '绿城', '书香', '怡景', '和谐', '紫荆', '丽景'];
const EMOJI = ['🏠', '📦', '😊', '🙏'];

/** "文三路88号3栋2单元501室" and its variants; full-width digits and emoji now and then. */
function detailLine(random: () => number, pick: <T>(items: readonly T[]) => T): string {
  const n = (max: number) => 1 + Math.floor(random() * max);
  let line = `${pick(ROADS)}${pick(['路', '街'])}${n(999)}号`;
  const r = random();
  if (r < 0.4) line += `${n(30)}栋${n(6)}单元${n(30)}0${n(4)}室`;
  else if (r < 0.7) line += `${pick(ESTATES)}小区${n(20)}幢${n(20)}0${n(6)}室`;
  else if (r < 0.85) line += `${pick(ESTATES)}大厦${n(40)}楼`;
  if (random() < 0.1) line = line.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
  if (random() < 0.05) line += pick(EMOJI);
  return line;
}
