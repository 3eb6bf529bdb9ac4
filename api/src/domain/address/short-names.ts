/**
 * The short forms people write instead of the official division names: 广西 for 广西壮族自治区,
 * 延边 / 延边州 for 延边朝鲜族自治州, 长阳 / 长阳县 for 长阳土家族自治县, 深圳 for 深圳市.
 * Pure string rules; whether a short form is unambiguous enough to use is decided by the index.
 */

/** Minority nationality names as they appear inside division names, longest first. */
const NATIONALITIES = [
  '柯尔克孜',
  '乌孜别克',
  '维吾尔',
  '哈萨克',
  '塔吉克',
  '达斡尔',
  '鄂伦春',
  '鄂温克',
  '俄罗斯',
  '塔塔尔',
  '蒙古',
  '朝鲜',
  '土家',
  '哈尼',
  '傈僳',
  '拉祜',
  '东乡',
  '纳西',
  '景颇',
  '仫佬',
  '布依',
  '布朗',
  '撒拉',
  '毛南',
  '仡佬',
  '锡伯',
  '阿昌',
  '普米',
  '德昂',
  '保安',
  '裕固',
  '独龙',
  '赫哲',
  '门巴',
  '珞巴',
  '基诺',
  '高山',
  '各',
  '回',
  '藏',
  '苗',
  '彝',
  '壮',
  '满',
  '侗',
  '瑶',
  '白',
  '黎',
  '佤',
  '畲',
  '水',
  '土',
  '羌',
  '傣',
  '怒',
  '京',
] as const;

/** Names shorter than this are never used as a short form (矿区 → 矿 would match anything). */
const MIN_SHORT_LENGTH = 2;

/** Strips trailing nationality names: 恩施土家族苗族 → 恩施, 巴音郭楞蒙古 → 巴音郭楞. */
export function stripNationalities(name: string): string {
  let rest = name;
  for (;;) {
    let stripped = false;
    for (const nationality of NATIONALITIES) {
      // Single-character names only count with 族 (白族), or 白 would be cut off any name.
      const candidates = nationality.length === 1 ? [`${nationality}族`] : [`${nationality}族`, nationality];
      for (const suffix of candidates) {
        if (rest.endsWith(suffix) && rest.length - suffix.length >= MIN_SHORT_LENGTH) {
          rest = rest.slice(0, -suffix.length);
          stripped = true;
          break;
        }
      }
      if (stripped) break;
    }
    if (!stripped) break;
  }
  // 东乡族, 鄂温克族: the nationality is the whole name, keep it without 族.
  return rest.endsWith('族') && rest.length > MIN_SHORT_LENGTH ? rest.slice(0, -1) : rest;
}

function withoutSuffix(name: string, suffix: string): string | null {
  if (!name.endsWith(suffix)) return null;
  const rest = name.slice(0, -suffix.length);
  return rest.length >= MIN_SHORT_LENGTH ? rest : null;
}

function distinct(name: string, shorts: Array<string | null>): string[] {
  return [...new Set(shorts.filter((s): s is string => s !== null && s !== name))];
}

/** 浙江省 → 浙江, 北京市 → 北京, 广西壮族自治区 → 广西, 内蒙古自治区 → 内蒙古. */
export function provinceShortNames(name: string): string[] {
  const autonomous = withoutSuffix(name, '自治区');
  if (autonomous !== null) return distinct(name, [stripNationalities(autonomous)]);
  return distinct(name, [
    withoutSuffix(name, '特别行政区'),
    withoutSuffix(name, '省'),
    withoutSuffix(name, '市'),
  ]);
}

/** 深圳市 → 深圳, 延边朝鲜族自治州 → 延边 and 延边州, 阿里地区 → 阿里, 兴安盟 → 兴安. */
export function cityShortNames(name: string): string[] {
  const prefecture = withoutSuffix(name, '自治州');
  if (prefecture !== null) {
    const base = stripNationalities(prefecture);
    return distinct(name, [base, `${base}州`]);
  }
  return distinct(name, [withoutSuffix(name, '地区'), withoutSuffix(name, '盟'), withoutSuffix(name, '市')]);
}

/** Island groups, committees and the like have no short form anyone writes. */
const NO_SHORT_FORM = /管理区|管委会|委员会|群岛|海域|新城$/;
/** Development zones: named after their city, and abbreviated (高新区, 经开区). */
const ZONE = /开发区|园区/;
const ZONE_ABBREVIATIONS: ReadonlyArray<[RegExp, string]> = [
  [/高新技术产业开发区$|高新技术开发区$/, '高新区'],
  [/经济技术开发区$/, '经开区'],
];

/**
 * 朝阳区 → 朝阳, 义乌市 → 义乌, 浦东新区 → 浦东, 神农架林区 → 神农架,
 * 长阳土家族自治县 → 长阳 and 长阳县, 鄂温克族自治旗 → 鄂温克 and 鄂温克旗;
 * development zones without the names of the regions around them (`enclosing`):
 * 苏州工业园区 → 工业园区, 长春净月高新技术产业开发区 → 净月高新技术产业开发区 and 净月高新区.
 */
export function districtShortNames(name: string, enclosing: readonly string[] = []): string[] {
  // 市中区 → 市中 would read 内江市中山路 as 内江 + 市中; nobody writes a short form like that.
  return districtShortForms(name, enclosing).filter((short) => !LEVEL_CHARACTERS.includes(short[0]));
}

const LEVEL_CHARACTERS = '市区县';

function districtShortForms(name: string, enclosing: readonly string[]): string[] {
  if (ZONE.test(name)) return zoneShortNames(name, enclosing);
  if (NO_SHORT_FORM.test(name)) return [];
  for (const [suffix, level] of [
    ['自治县', '县'],
    ['自治旗', '旗'],
  ] as const) {
    const autonomous = withoutSuffix(name, suffix);
    if (autonomous !== null) {
      const base = stripNationalities(autonomous);
      return distinct(name, [base, `${base}${level}`]);
    }
  }
  return distinct(name, [
    withoutSuffix(name, '新区') ?? withoutSuffix(name, '林区') ?? withoutSuffix(name, '区'),
    withoutSuffix(name, '县'),
    withoutSuffix(name, '市'),
    withoutSuffix(name, '旗'),
  ]);
}

function zoneShortNames(name: string, enclosing: readonly string[]): string[] {
  const longestFirst = [...enclosing].sort((a, b) => b.length - a.length);
  let rest = name;
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const prefix of longestFirst) {
      if (rest.startsWith(prefix) && rest.length - prefix.length >= 3) {
        rest = rest.slice(prefix.length);
        if (rest.startsWith('市') && rest.length > 3) rest = rest.slice(1);
        stripped = true;
        break;
      }
    }
  }
  const forms = [rest];
  for (const form of [name, rest]) {
    for (const [pattern, abbreviation] of ZONE_ABBREVIATIONS) forms.push(form.replace(pattern, abbreviation));
  }
  return distinct(name, forms);
}

/** 虎门镇 → 虎门, 东城街道 → 东城. */
export function townshipShortNames(name: string): string[] {
  return distinct(name, [withoutSuffix(name, '街道'), withoutSuffix(name, '镇'), withoutSuffix(name, '乡')]);
}
