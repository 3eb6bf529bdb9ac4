import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_DIVISION_FILE, loadDivisions } from '../../../api/src/domain/address/division-data.js';
import { divisionFileSource, divisionRegistry } from '../../../api/src/modules/routing/division-registry.js';
import { rerouteOrders } from '../../../api/src/modules/routing/reroute.service.js';
import { ensureRoutingDefaults } from '../../../api/src/modules/routing/routing-rules.store.js';
import {
  gql,
  logger,
  openRoutingDb,
  parseStats,
  type RoutingDb,
  routingOf,
  staff,
  submit,
} from './routing-kit.js';

const ADMIN = staff('ADMIN');
const NOW = new Date('2026-11-20T08:00:00Z');
const RELOAD = `mutation { reloadDivisionData {
  status { loaded source loadedAt counts { provinces cities districts } lastFailureAt lastFailure { field code } }
  userErrors { field code message } } }`;

type Reload = {
  reloadDivisionData: {
    status: {
      loaded: boolean;
      counts: { provinces: number } | null;
      lastFailure: { field: string; code: string }[];
      lastFailureAt: Date | null;
    };
    userErrors: { field: string; code: string; message: string }[];
  };
};

const bundledTree = () => JSON.parse(readFileSync(BUNDLED_DIVISION_FILE, 'utf8')) as unknown[];

describe('division data', () => {
  let db: RoutingDb;
  let dir: string;

  beforeAll(async () => {
    db = await openRoutingDb('routing_division');
    await ensureRoutingDefaults(db.pool);
    dir = mkdtempSync(join(tmpdir(), 'division-data-'));
    divisionRegistry.useLogger(logger);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    divisionRegistry.useSource(divisionFileSource());
    await db?.close();
  });

  it('holds every new order as ADDRESS_DATA_UNAVAILABLE while no data has ever loaded', async () => {
    divisionRegistry.forget();
    const status = await gql<{ divisionDataStatus: { loaded: boolean } }>(
      db,
      staff('OPS'),
      'query { divisionDataStatus { loaded } }',
    );
    expect(status.data.divisionDataStatus.loaded).toBe(false);
    const results = await submit(db, [{}, { businessType: 'CUSTOM' }], NOW);
    for (const r of results) {
      const s = await routingOf(db, r.orderId);
      expect([s.group_id, s.hold_reason, s.region]).toEqual([null, 'ADDRESS_DATA_UNAVAILABLE', null]);
      expect(s.address_parse).toMatchObject({ ok: false, failure: 'DIVISION_DATA_UNAVAILABLE' });
      expect(s.routing_reason).toContain('行政区划数据不可用');
    }
    expect((await parseStats(db)).map((r) => [r.ok_count, r.failed_count])).toEqual([[0, 2]]);
  });

  it('surfaces a truncated tree as a load error, logged as an error, and keeps running without data', async () => {
    const lines: string[] = [];
    divisionRegistry.useLogger(
      pino({ level: 'info' }, { write: (line: string) => lines.push(line) }) as never,
    );
    divisionRegistry.useSource({ name: 'truncated', load: () => loadDivisions(bundledTree().slice(0, 5)) });
    const answer = await gql<Reload>(db, ADMIN, RELOAD, {}, NOW);
    divisionRegistry.useLogger(logger);
    const logged = lines.map(
      (line) => JSON.parse(line) as { level: number; msg: string; keptPrevious: boolean },
    );
    expect(logged).toMatchObject([
      {
        level: 50,
        keptPrevious: false,
        msg: 'division data failed to load and none is in use: every new order is held as ADDRESS_DATA_UNAVAILABLE',
      },
    ]);
    expect(answer.errors).toEqual([]);
    const { status, userErrors } = answer.data.reloadDivisionData;
    expect(userErrors.map((e) => e.code)).toEqual(
      expect.arrayContaining(['TOO_FEW_PROVINCES', 'TOO_FEW_CITIES', 'TOO_FEW_AREAS']),
    );
    expect(userErrors[0].message).toBe('5 provinces, expected at least 31');
    expect(status.loaded).toBe(false);
    expect(status.lastFailureAt).toEqual(NOW);
    expect(status.lastFailure.map((e) => e.code)).toContain('TOO_FEW_PROVINCES');
    const [order] = await submit(db, [{}], NOW);
    expect((await routingOf(db, order.orderId)).hold_reason).toBe('ADDRESS_DATA_UNAVAILABLE');
  });

  it('loads good data on request and releases the held orders on re-route', async () => {
    divisionRegistry.useSource(divisionFileSource());
    const answer = await gql<Reload>(db, ADMIN, RELOAD, {}, NOW);
    expect(answer.data.reloadDivisionData.userErrors).toEqual([]);
    expect(answer.data.reloadDivisionData.status).toMatchObject({
      loaded: true,
      counts: { provinces: 31, cities: 342, districts: 2974 },
      lastFailure: [],
      lastFailureAt: null,
    });
    expect(await rerouteOrders(db.pool, { holdReason: 'ADDRESS_DATA_UNAVAILABLE' }, NOW)).toEqual({
      evaluated: 3,
      moved: 3,
      stillHeld: 0,
      released: 3,
    });
  });

  it('keeps the data in use when a later update is cut off, empty, truncated or unreadable', async () => {
    const text = readFileSync(BUNDLED_DIVISION_FILE, 'utf8');
    const cutOff = join(dir, 'cut-off.json');
    writeFileSync(cutOff, text.slice(0, Math.floor(text.length / 2)));
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '');
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, JSON.stringify(bundledTree().slice(0, 10)));
    const cases: Array<[string, string]> = [
      [cutOff, 'CORRUPT_JSON'],
      [empty, 'EMPTY_FILE'],
      [truncated, 'TOO_FEW_PROVINCES'],
      [join(dir, 'missing.json'), 'FILE_NOT_FOUND'],
    ];
    for (const [path, code] of cases) {
      divisionRegistry.useSource(divisionFileSource(path));
      const answer = await gql<Reload>(db, ADMIN, RELOAD, {}, NOW);
      expect(answer.data.reloadDivisionData.userErrors.map((e) => e.code)).toContain(code);
      expect(answer.data.reloadDivisionData.status).toMatchObject({
        loaded: true,
        counts: { provinces: 31 },
      });
    }
    divisionRegistry.useSource({
      name: 'throws',
      load: () => {
        throw new Error('disk gone');
      },
    });
    expect(divisionRegistry.reload(NOW)).toMatchObject({ ok: false, errors: [{ code: 'LOAD_FAILED' }] });

    // Intake keeps parsing with the previous data.
    const [order] = await submit(db, [{ province: '广东省', city: '深圳市', district: '南山区' }], NOW);
    const s = await routingOf(db, order.orderId);
    expect([s.group_id, s.hold_reason, s.region?.districtCode]).toEqual(['south-china', null, '440305']);
  });

  it('lets only ADMIN reload', async () => {
    const answer = await gql(db, staff('OPS'), RELOAD);
    expect(answer.errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
  });
});
