import { createPubSub } from '@graphql-yoga/subscription';
import { execute, type GraphQLSchema, parse } from 'graphql';
import { authChecker } from '../../../api/src/app/auth-checker.js';
import type { GraphQLContext } from '../../../api/src/app/context.js';
import type { StaffRole, Viewer } from '../../../api/src/domain/auth/viewer.js';
import { buildGraphQLSchema } from '../../../api/src/infra/graphql/build-schema.js';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import type { AuthService } from '../../../api/src/modules/auth/auth.service.js';
import { SlaPolicyResolver } from '../../../api/src/modules/sla/sla-policy.resolver.js';
import { TicketResolver } from '../../../api/src/modules/tickets/ticket.resolver.js';
import type { SlaDb } from './sla-kit.js';

const logger = createLogger('silent', 'sla-graphql-test');

let schema: Promise<GraphQLSchema> | null = null;

export const staff = (...roles: StaffRole[]): Viewer => ({
  kind: 'STAFF',
  userId: '00000000-0000-4000-8000-000000000001',
  username: `test-${roles.join('-').toLowerCase()}`,
  roles,
});

export interface GqlAnswer<T> {
  data: T;
  errors: { message: string; code: unknown }[];
}

/** Runs an operation against the SLA and ticket part of the API as `viewer`; errors are returned. */
export async function gql<T = Record<string, unknown>>(
  db: SlaDb,
  viewer: Viewer,
  query: string,
  variables: Record<string, unknown> = {},
  now: Date = new Date(),
): Promise<GqlAnswer<T>> {
  schema ??= buildGraphQLSchema([SlaPolicyResolver, TicketResolver], createPubSub(), authChecker);
  const context = {
    orm: db.orm,
    pool: db.pool,
    logger,
    platform: { version: 'test', schedulerBackend: 'postgres' },
    auth: {} as AuthService,
    viewer,
    now,
  } as GraphQLContext;
  const result = await execute({
    schema: await schema,
    document: parse(query),
    variableValues: variables,
    contextValue: context,
  });
  return {
    data: result.data as T,
    errors: (result.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code })),
  };
}
