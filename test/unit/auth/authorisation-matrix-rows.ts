import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { RESOLVERS } from '../../../api/src/app/resolvers.js';
import { PARTNER_SCOPES, STAFF_ROLES } from '../../../api/src/domain/auth/viewer.js';

export type OperationKind = 'query' | 'mutation' | 'subscription';

export interface MatrixRow {
  operation: string;
  kind: OperationKind;
  /** Staff roles named on the operation; `any` for every signed-in member of staff; `—` for none. */
  staff: string;
  /** Partner scopes; `any` for every partner key; `—` for none. */
  partner: string;
  anonymous: 'yes' | 'no';
}

/** Every root operation of the emitted schema (schema/schema.graphql). */
export function emittedOperations(): Array<{ operation: string; kind: OperationKind }> {
  const schema: GraphQLSchema = buildSchema(readFileSync('schema/schema.graphql', 'utf8'));
  const out: Array<{ operation: string; kind: OperationKind }> = [];
  const add = (kind: OperationKind, type: ReturnType<GraphQLSchema['getQueryType']>) => {
    for (const name of Object.keys(type?.getFields() ?? {}).sort()) out.push({ operation: name, kind });
  };
  add('query', schema.getQueryType());
  add('mutation', schema.getMutationType());
  add('subscription', schema.getSubscriptionType());
  return out;
}

/** What the code declares (`@Authorized(...)` on each resolver method), as matrix rows. */
export function declaredRows(): MatrixRow[] {
  void RESOLVERS;
  const storage = getMetadataStorage();
  const handlers = [
    ...storage.queries.map((h) => ({ h, kind: 'query' as const })),
    ...storage.mutations.map((h) => ({ h, kind: 'mutation' as const })),
    ...storage.subscriptions.map((h) => ({ h, kind: 'subscription' as const })),
  ];
  return handlers
    .map(({ h, kind }) => {
      const authorized = storage.authorizedFields.find(
        (a) => a.target === h.target && a.fieldName === h.methodName,
      );
      const roles = (authorized?.roles ?? []) as string[];
      const staff = roles.filter((r) => (STAFF_ROLES as readonly string[]).includes(r));
      const partner = roles.filter((r) => (PARTNER_SCOPES as readonly string[]).includes(r));
      const any = authorized !== undefined && roles.length === 0;
      return {
        operation: h.schemaName,
        kind,
        staff: any ? 'any' : staff.length > 0 ? staff.join(', ') : authorized ? 'ADMIN' : 'any',
        partner: any ? 'any' : partner.length > 0 ? partner.join(', ') : authorized ? '—' : 'any',
        anonymous: authorized ? ('no' as const) : ('yes' as const),
      };
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.operation.localeCompare(b.operation));
}

/** The rows of the README's authorisation matrix (between its markers). */
export function readmeRows(): MatrixRow[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('<!-- authorisation-matrix:start -->');
  const end = readme.indexOf('<!-- authorisation-matrix:end -->');
  if (start < 0 || end < 0) return [];
  return readme
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [operation, kind, staff, partner, anonymous] = line
        .split('|')
        .slice(1, 6)
        .map((cell) => cell.trim().replace(/`/g, ''));
      return { operation, kind: kind as OperationKind, staff, partner, anonymous: anonymous as 'yes' | 'no' };
    });
}

/** The matrix as README table lines. */
export function matrixLines(rows: MatrixRow[]): string[] {
  return rows.map((r) => `| \`${r.operation}\` | ${r.kind} | ${r.staff} | ${r.partner} | ${r.anonymous} |`);
}
