import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_DIVISION_FILE,
  loadDivisions,
  readDivisionFile,
} from '../../../api/src/domain/address/division-data.js';
import type { FieldError } from '../../../api/src/domain/shared/result.js';

/** The tree as JSON hands it over, loose enough to be damaged on purpose. */
interface RawNode {
  code: string;
  name: string;
  children?: RawNode[];
}

const realTree = (): RawNode[] => JSON.parse(readFileSync(BUNDLED_DIVISION_FILE, 'utf8'));

const codesOf = (errors: FieldError[]) => errors.map((e) => e.code);

function errorsOf(result: ReturnType<typeof loadDivisions>): FieldError[] {
  if (result.ok) throw new Error('expected the load to fail');
  return result.errors;
}

/** A tree small enough to write by hand; loaded with the size floors lowered. */
const tinyTree = (): RawNode[] => [
  {
    code: '33',
    name: '浙江省',
    children: [{ code: '3301', name: '杭州市', children: [{ code: '330106', name: '西湖区' }] }],
  },
];
const NO_FLOORS = { minProvinces: 1, minCities: 1, minAreas: 1 };

describe('readDivisionFile on the installed data', () => {
  it('loads every level with six-digit GB/T codes', () => {
    const loaded = readDivisionFile(BUNDLED_DIVISION_FILE);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const index = loaded.value;
    expect(index.counts).toEqual({ provinces: 31, cities: 342, districts: 2974, townships: 82 });
    expect(index.byCode.get('330000')?.name).toBe('浙江省');
    expect(index.byCode.get('330100')?.name).toBe('杭州市');
    expect(index.byCode.get('330106')?.name).toBe('西湖区');
  });

  it('marks the four municipalities and names their city level after them', () => {
    const loaded = readDivisionFile(BUNDLED_DIVISION_FILE);
    if (!loaded.ok) throw new Error('bundled data failed to load');
    const index = loaded.value;
    const municipalities = index.provinces.filter((p) => p.municipality).map((p) => p.name);
    expect(municipalities.sort()).toEqual(['上海市', '北京市', '天津市', '重庆市'].sort());
    const beijingCity = index.byCode.get('110100');
    expect(beijingCity).toMatchObject({ name: '北京市', dataName: '市辖区', placeholder: true });
    expect(index.byCode.get('500200')).toMatchObject({ name: '重庆市', dataName: '县' });
  });
});

describe('loadDivisions rejects data that would leave orders unrouted', () => {
  it('rejects an empty object, an empty list and null', () => {
    expect(codesOf(errorsOf(loadDivisions({})))).toEqual(['NOT_A_LIST']);
    expect(codesOf(errorsOf(loadDivisions([])))).toEqual(['EMPTY']);
    expect(codesOf(errorsOf(loadDivisions(null)))).toEqual(['NOT_A_LIST']);
  });

  it('rejects a truncated tree, as left by a failed update', () => {
    const errors = errorsOf(loadDivisions(realTree().slice(0, 10)));
    expect(codesOf(errors)).toEqual(['TOO_FEW_PROVINCES', 'TOO_FEW_CITIES', 'TOO_FEW_AREAS']);
    expect(errors[0].message).toBe('10 provinces, expected at least 31');
  });

  it('rejects a tree whose provinces are all there but whose lower levels were cut off', () => {
    const tree = realTree();
    for (const province of tree.slice(15))
      province.children = province.children?.map((c) => ({ ...c, children: [] }));
    const errors = errorsOf(loadDivisions(tree));
    expect(errors[0]).toEqual({
      field: '$',
      code: 'TOO_FEW_AREAS',
      message: expect.stringMatching(/^\d+ county-level areas/),
    });
    expect(errors[1]).toMatchObject({ code: 'EMPTY_LEVEL', field: '[15].children[0].children' });
  });

  it('rejects a missing level and names where it is missing', () => {
    const tree = tinyTree();
    delete tree[0].children?.[0].children;
    expect(errorsOf(loadDivisions(tree, NO_FLOORS))).toContainEqual({
      field: '[0].children[0].children',
      code: 'MISSING_LEVEL',
      message: 'city 杭州市 has no list of children',
    });
    const noCities = [{ code: '33', name: '浙江省' }];
    expect(codesOf(errorsOf(loadDivisions(noCities, NO_FLOORS)))).toEqual([
      'TOO_FEW_CITIES',
      'TOO_FEW_AREAS',
      'MISSING_LEVEL',
    ]);
  });

  it('rejects malformed codes, codes outside their parent and duplicate codes', () => {
    const tree = tinyTree();
    tree[0].children?.[0].children?.push(
      { code: '33010', name: '五位区' },
      { code: '340102', name: '错省区' },
      { code: '330106', name: '重复区' },
    );
    const errors = errorsOf(loadDivisions(tree, NO_FLOORS));
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['[0].children[0].children[1].code', 'INVALID_CODE'],
      ['[0].children[0].children[2].code', 'CODE_OUTSIDE_PARENT'],
      ['[0].children[0].children[3].code', 'DUPLICATE_CODE'],
    ]);
  });

  it('rejects entries without a name, duplicate names under one city and names that cannot match', () => {
    const tree = tinyTree();
    tree[0].children?.[0].children?.push(
      { code: '330199', name: '  ' },
      { code: '330198', name: '西湖区' },
      { code: '330197', name: '滨江区 ' },
    );
    expect(codesOf(errorsOf(loadDivisions(tree, NO_FLOORS)))).toEqual([
      'MISSING_NAME',
      'DUPLICATE_NAME',
      'INVALID_NAME',
    ]);
  });

  it('stops listing errors after twenty', () => {
    const garbage = Array.from({ length: 40 }, () => ({ code: 'x', name: '某省', children: [] }));
    const errors = errorsOf(loadDivisions(garbage));
    expect(codesOf(errors).slice(0, 3)).toEqual(['TOO_FEW_CITIES', 'TOO_FEW_AREAS', 'INVALID_CODE']);
    expect(errors).toHaveLength(23);
    expect(errors[22].code).toBe('TOO_MANY_ERRORS');
    expect(errors[2].field).toBe('[0].code');
  });

  it('loads a small tree when the floors are lowered', () => {
    const loaded = loadDivisions(tinyTree(), NO_FLOORS);
    expect(loaded.ok && loaded.value.counts).toEqual({ provinces: 1, cities: 1, districts: 1, townships: 0 });
  });
});

describe('readDivisionFile on broken files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'divisions-'));

  it('reports a missing file', () => {
    const result = readDivisionFile(join(dir, 'nope.json'));
    expect(!result.ok && result.errors[0].code).toBe('FILE_NOT_FOUND');
  });

  it('reports an empty file', () => {
    const path = join(dir, 'empty.json');
    writeFileSync(path, '  \n');
    const result = readDivisionFile(path);
    expect(!result.ok && result.errors[0].code).toBe('EMPTY_FILE');
  });

  it('reports a download cut off half way as corrupt JSON', () => {
    const path = join(dir, 'cut.json');
    writeFileSync(path, readFileSync(BUNDLED_DIVISION_FILE, 'utf8').slice(0, 60_000));
    const result = readDivisionFile(path);
    expect(!result.ok && result.errors[0].code).toBe('CORRUPT_JSON');
  });

  it('reports valid JSON holding a truncated tree', () => {
    const path = join(dir, 'short.json');
    writeFileSync(path, JSON.stringify(realTree().slice(0, 3)));
    const result = readDivisionFile(path);
    expect(!result.ok && codesOf(result.errors)).toContain('TOO_FEW_PROVINCES');
  });

  it('reports an empty JSON object', () => {
    const path = join(dir, 'object.json');
    writeFileSync(path, '{}');
    const result = readDivisionFile(path);
    expect(!result.ok && result.errors[0].code).toBe('NOT_A_LIST');
  });
});
