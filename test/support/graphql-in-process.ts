import { execute, type GraphQLSchema, parse } from 'graphql';
import type { GraphQLContext } from '../../api/src/app/context.js';
import type { StaffRole, Viewer } from '../../api/src/domain/auth/viewer.js';
import { createLogger } from '../../api/src/infra/logging/logger.js';
import type { AuthService } from '../../api/src/modules/auth/auth.service.js';
import type { MigratedDb } from './migrated-db.js';

const logger = createLogger('silent', 'graphql-test');

/** A member of staff with these roles. */
export const staff = (...roles: StaffRole[]): Viewer => ({
  kind: 'STAFF',
  userId: '00000000-0000-4000-8000-000000000001',
  username: `test-${roles.join('-').toLowerCase()}`,
  roles,
});

export interface GqlAnswer<T> {
  data: T;
  errors: { message: string; code: unknown; argument: unknown }[];
}

/**
 * Runs an operation on `schema` in this process as `viewer`, with the context the HTTP server
 * builds (and `extra` fields for services a resolver needs); errors are returned, not thrown.
 */
export async function runGraphql<T>(
  schema: Promise<GraphQLSchema>,
  db: Pick<MigratedDb, 'orm' | 'pool'>,
  viewer: Viewer,
  query: string,
  variables: Record<string, unknown> = {},
  options: { now?: Date; extra?: Record<string, unknown> } = {},
): Promise<GqlAnswer<T>> {
  const context = {
    orm: db.orm,
    pool: db.pool,
    logger,
    platform: { version: 'test', schedulerBackend: 'postgresql' },
    auth: {} as AuthService,
    viewer,
    now: options.now ?? new Date(),
    ...options.extra,
  } as GraphQLContext;
  const result = await execute({
    schema: await schema,
    document: parse(query),
    variableValues: variables,
    contextValue: context,
  });
  return {
    data: result.data as T,
    errors: (result.errors ?? []).map((e) => ({
      message: e.message,
      code: e.extensions?.code,
      argument: e.extensions?.argument,
    })),
  };
}
