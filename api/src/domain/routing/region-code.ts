/**
 * GB/T 2260 administrative division codes: `PPCCDD`. A province code ends in `0000`, a city code
 * in `00`. A county-level code normally does not end in `00`, but a city without districts (东莞
 * 441900, 中山 442000) is its own only county-level unit, so a district code may end in `00`.
 */
export type RegionLevel = 'PROVINCE' | 'CITY' | 'DISTRICT';

const SIX_DIGITS = /^\d{6}$/;

export const isRegionCodeShape = (code: string): boolean => SIX_DIGITS.test(code);

/** Whether a well-shaped code can name an area of this level. */
export function fitsRegionLevel(code: string, level: RegionLevel): boolean {
  const isProvince = code.endsWith('0000');
  switch (level) {
    case 'PROVINCE':
      return isProvince;
    case 'CITY':
      return !isProvince && code.endsWith('00');
    case 'DISTRICT':
      return !isProvince;
  }
}

export const REGION_LEVEL_LABELS: Readonly<Record<RegionLevel, string>> = {
  PROVINCE: '省份',
  CITY: '城市',
  DISTRICT: '区县',
};
