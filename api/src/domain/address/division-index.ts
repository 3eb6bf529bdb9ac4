import { NameTrie } from './name-trie.js';
import { cityShortNames, districtShortNames, provinceShortNames, townshipShortNames } from './short-names.js';

/** The division tree after validation: province (2-digit code) → city (4) → area (6, or 9 for townships). */
export interface DivisionNode {
  code: string;
  name: string;
}
export interface DivisionCityNode extends DivisionNode {
  children: DivisionNode[];
}
export interface DivisionProvinceNode extends DivisionNode {
  children: DivisionCityNode[];
}

export interface ProvinceEntry {
  readonly level: 'province';
  /** GB/T 2260, six digits (330000). */
  readonly code: string;
  readonly name: string;
  readonly shortNames: readonly string[];
  /** 北京, 上海, 天津, 重庆: the data's city level is only 市辖区 / 县. */
  readonly municipality: boolean;
  readonly cities: CityEntry[];
}

export interface CityEntry {
  readonly level: 'city';
  readonly code: string;
  /** What the parser reports: the municipality's name for 市辖区 / 县, else the data's name. */
  readonly name: string;
  /** The name in the data: 市辖区, 县, 省直辖县级行政区划, 杭州市, … */
  readonly dataName: string;
  readonly shortNames: readonly string[];
  /** 市辖区, 县, 省直辖县级行政区划: a grouping in the data, not a city anyone writes. */
  readonly placeholder: boolean;
  readonly province: ProvinceEntry;
  readonly districts: DistrictEntry[];
  /** Only for cities without a county level (东莞, 中山, 儋州, 嘉峪关): their towns and streets. */
  readonly townships: TownshipEntry[];
}

export interface DistrictEntry {
  readonly level: 'district';
  readonly code: string;
  readonly name: string;
  /** The short forms the parser accepts for this district (only those unambiguous in the city). */
  readonly shortNames: readonly string[];
  readonly city: CityEntry;
}

export interface TownshipEntry {
  readonly level: 'township';
  /** Nine-digit statistical code; not part of GB/T 2260, so never reported as a region. */
  readonly code: string;
  readonly name: string;
  readonly shortNames: readonly string[];
  readonly city: CityEntry;
}

export type DivisionEntry = ProvinceEntry | CityEntry | DistrictEntry | TownshipEntry;

/** How deep a level sits; a township stands in for the county level of its city. */
export const LEVEL_DEPTH = { province: 1, city: 2, district: 3, township: 3 } as const;

/** `placeholder`: 市辖区 / 县 / 省直辖县级行政区划, meaningful only right after its province. */
export type AliasKind = 'full' | 'short' | 'placeholder';

export interface NameHit {
  readonly entry: DivisionEntry;
  readonly kind: AliasKind;
  /** Only valid once an enclosing region has been read (short district names, 市辖区, …). */
  readonly needsParent: boolean;
}

export interface DivisionIndex {
  readonly provinces: readonly ProvinceEntry[];
  readonly counts: { provinces: number; cities: number; districts: number; townships: number };
  /** Every full name and accepted short form, for prefix matching over free text. */
  readonly names: NameTrie<NameHit>;
  /** By GB/T code (six digits) or township code (nine digits). */
  readonly byCode: ReadonlyMap<string, DivisionEntry>;
}

const PLACEHOLDER_CITY_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);
const MUNICIPAL_CITY_NAMES = new Set(['市辖区', '县']);

/** 33 → 330000, 3301 → 330100; six-digit codes pass through. */
export function toGbCode(dataCode: string): string {
  return dataCode.length >= 6 ? dataCode : dataCode.padEnd(6, '0');
}

export function parentOf(entry: DivisionEntry): DivisionEntry | null {
  switch (entry.level) {
    case 'province':
      return null;
    case 'city':
      return entry.province;
    default:
      return entry.city;
  }
}

/**
 * Whether `entry` is `scope` or lies inside it. Inside a municipality the 市辖区 / 县 split is
 * an artefact of the data, so a municipality's city contains every district of the municipality.
 */
export function within(entry: DivisionEntry, scope: DivisionEntry): boolean {
  for (let node: DivisionEntry | null = entry; node !== null; node = parentOf(node)) {
    if (node === scope) return true;
  }
  return (
    scope.level === 'city' &&
    scope.province.municipality &&
    (entry.level === 'district' || entry.level === 'township') &&
    entry.city.province === scope.province
  );
}

/** Builds the entries and the name index. The tree must already be validated. */
export function buildDivisionIndex(tree: readonly DivisionProvinceNode[]): DivisionIndex {
  const provinces = tree.map((provinceNode) => {
    const municipality = provinceNode.children.every((c) => MUNICIPAL_CITY_NAMES.has(c.name));
    const province: ProvinceEntry = {
      level: 'province',
      code: toGbCode(provinceNode.code),
      name: provinceNode.name,
      shortNames: provinceShortNames(provinceNode.name),
      municipality,
      cities: [],
    };
    for (const cityNode of provinceNode.children) {
      const placeholder = PLACEHOLDER_CITY_NAMES.has(cityNode.name);
      const city: CityEntry = {
        level: 'city',
        code: toGbCode(cityNode.code),
        name: municipality ? province.name : cityNode.name,
        dataName: cityNode.name,
        shortNames: placeholder ? [] : cityShortNames(cityNode.name),
        placeholder,
        province,
        districts: [],
        townships: [],
      };
      province.cities.push(city);
      for (const area of cityNode.children) {
        const local = { code: area.code, name: area.name, shortNames: [], city };
        // Nine-digit children stand in for a missing county level: they are towns and streets.
        if (area.code.length === 9) city.townships.push({ level: 'township', ...local });
        else city.districts.push({ level: 'district', ...local });
      }
    }
    return province;
  });

  const byCode = new Map<string, DivisionEntry>();
  const counts = { provinces: provinces.length, cities: 0, districts: 0, townships: 0 };
  for (const province of provinces) {
    byCode.set(province.code, province);
    for (const city of province.cities) {
      byCode.set(city.code, city);
      for (const local of [...city.districts, ...city.townships]) byCode.set(local.code, local);
      counts.cities++;
      counts.districts += city.districts.length;
      counts.townships += city.townships.length;
    }
  }
  return { provinces, counts, names: buildNames(provinces), byCode };
}

function buildNames(provinces: readonly ProvinceEntry[]): NameTrie<NameHit> {
  const trie = new NameTrie<NameHit>();
  const add = (key: string, entry: DivisionEntry, kind: AliasKind, needsParent: boolean) =>
    trie.add(key, { entry, kind, needsParent });

  for (const province of provinces) {
    add(province.name, province, 'full', false);
    for (const s of province.shortNames) add(s, province, 'short', false);
    province.cities.forEach((city, i) => {
      if (city.placeholder) {
        add(city.dataName, city, 'placeholder', true);
        // 北京市北京市朝阳区: the municipality named again at city level; the first city carries it.
        if (province.municipality && i === 0) {
          add(province.name, city, 'full', true);
          for (const s of province.shortNames) add(s, city, 'short', true);
        }
        return;
      }
      add(city.name, city, 'full', false);
      for (const s of city.shortNames) add(s, city, 'short', false);
    });
  }

  for (const province of provinces) {
    // A municipality's districts are searched across the whole municipality, so that is the
    // group within which a short form must be unique.
    const groups = province.municipality ? [province.cities] : province.cities.map((c) => [c]);
    // Within its province a district's short form may not shadow the province or a city
    // (兰州新区 is not 兰州, 本溪满族自治县 is not 本溪); elsewhere it may (朝阳 in 北京 and 辽宁朝阳市).
    const upperNames = new Set([province.name, ...province.shortNames]);
    for (const city of province.cities) for (const s of [city.name, ...city.shortNames]) upperNames.add(s);
    for (const group of groups) {
      const districts = group.flatMap((c) => c.districts);
      for (const d of districts) add(d.name, d, 'full', false);
      const enclosing = (d: DistrictEntry) => [
        province.name,
        ...province.shortNames,
        d.city.dataName,
        ...d.city.shortNames,
      ];
      assignShortNames(districts, (d) => districtShortNames(d.name, enclosing(d)), upperNames, add);
      const townships = group.flatMap((c) => c.townships);
      for (const t of townships) add(t.name, t, 'full', true);
      assignShortNames(townships, (t) => townshipShortNames(t.name), upperNames, add);
    }
  }
  return trie;
}

/**
 * Gives each short form to the one entry of the group it can only mean. When two entries share a
 * short form, the one whose name is the short form plus a single suffix character keeps it
 * (北戴河区 over 北戴河新区); otherwise nobody gets it.
 */
function assignShortNames<E extends DistrictEntry | TownshipEntry>(
  entries: readonly E[],
  derive: (entry: E) => string[],
  upperNames: ReadonlySet<string>,
  add: (key: string, entry: DivisionEntry, kind: AliasKind, needsParent: boolean) => void,
): void {
  const fullNames = new Set(entries.map((e) => e.name));
  const claims = new Map<string, E[]>();
  for (const entry of entries) {
    for (const short of derive(entry)) {
      if (upperNames.has(short) || fullNames.has(short)) continue;
      const claimants = claims.get(short);
      if (claimants === undefined) claims.set(short, [entry]);
      else if (!claimants.includes(entry)) claimants.push(entry);
    }
  }
  for (const [short, claimants] of claims) {
    const closest = claimants.filter((e) => e.name.length === short.length + 1);
    const owner = claimants.length === 1 ? claimants[0] : closest.length === 1 ? closest[0] : undefined;
    if (owner === undefined) continue;
    (owner.shortNames as string[]).push(short);
    add(short, owner, 'short', true);
  }
}
