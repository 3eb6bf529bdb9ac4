import { describe, expect, it } from 'vitest';
import {
  decideAccess,
  PARTNER_SCOPES,
  type Requirement,
  STAFF_ROLES,
  type Viewer,
} from '../../../api/src/domain/auth/viewer.js';
import { declaredRows, emittedOperations, type MatrixRow, readmeRows } from './authorisation-matrix-rows.js';

const key = (r: { operation: string; kind: string }) => `${r.kind} ${r.operation}`;

/** What a matrix row promises a viewer: may it call the operation? */
function promised(row: MatrixRow, viewer: Viewer): boolean {
  if (viewer.kind === 'ANONYMOUS') return row.anonymous === 'yes';
  if (viewer.kind === 'STAFF')
    return (
      row.staff === 'any' || viewer.roles.includes('ADMIN') || row.staff.split(', ').includes(viewer.roles[0])
    );
  return row.partner === 'any' || row.partner.split(', ').includes(viewer.scopes[0]);
}

const VIEWERS: Viewer[] = [
  { kind: 'ANONYMOUS' },
  ...STAFF_ROLES.map((role): Viewer => ({ kind: 'STAFF', userId: 'u', username: 'u', roles: [role] })),
  ...PARTNER_SCOPES.map(
    (scope): Viewer => ({ kind: 'PARTNER', clientId: 'c', name: 'p', channels: ['TAOBAO'], scopes: [scope] }),
  ),
];

describe('the authorisation matrix in the README', () => {
  const emitted = emittedOperations();
  const declared = declaredRows();
  const documented = readmeRows();

  it('has exactly one row for every query, mutation and subscription of the emitted schema', () => {
    expect(documented.length).toBeGreaterThan(0);
    const missing = emitted.filter((op) => !documented.some((row) => key(row) === key(op)));
    expect(missing.map(key), 'operations without a row in the README matrix').toEqual([]);
    const extra = documented.filter((row) => !emitted.some((op) => key(op) === key(row)));
    expect(extra.map(key), 'README rows for operations the schema does not have').toEqual([]);
    expect(new Set(documented.map(key)).size).toBe(documented.length);
  });

  it('matches what each resolver declares', () => {
    expect(declared.map(key).sort()).toEqual(emitted.map(key).sort());
    expect(documented).toHaveLength(declared.length);
    const byKey = new Map(declared.map((row) => [key(row), row]));
    for (const row of documented) expect(row, key(row)).toEqual(byKey.get(key(row)));
  });

  it('is what the access rule decides, for every operation × role × partner scope × anonymous', () => {
    const storageRoles = new Map(declared.map((row) => [key(row), row]));
    for (const row of documented) {
      const declaredRow = storageRoles.get(key(row))!;
      const required = requirementsOf(declaredRow);
      for (const viewer of VIEWERS) {
        const decided = required === null ? true : decideAccess(viewer, required).ok;
        expect(decided, `${key(row)} for ${JSON.stringify(viewer)}`).toBe(promised(row, viewer));
      }
    }
  });
});

/** The `@Authorized` requirements behind a row; null when the operation has none (anyone). */
function requirementsOf(row: MatrixRow): Requirement[] | null {
  if (row.anonymous === 'yes') return null;
  if (row.staff === 'any' && row.partner === 'any') return [];
  const staff = row.staff === 'ADMIN' && row.partner === '—' ? ['ADMIN'] : row.staff.split(', ');
  const partner = row.partner === '—' ? [] : row.partner.split(', ');
  return [...staff, ...partner].filter((r) => r !== '—') as Requirement[];
}
