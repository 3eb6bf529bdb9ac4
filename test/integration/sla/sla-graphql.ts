import { createPubSub } from '@graphql-yoga/subscription';
import type { GraphQLSchema } from 'graphql';
import { authChecker } from '../../../api/src/app/auth-checker.js';
import type { Viewer } from '../../../api/src/domain/auth/viewer.js';
import { buildGraphQLSchema } from '../../../api/src/infra/graphql/build-schema.js';
import { SlaPolicyResolver } from '../../../api/src/modules/sla/sla-policy.resolver.js';
import { TicketResolver } from '../../../api/src/modules/tickets/ticket.resolver.js';
import { type GqlAnswer, runGraphql, staff } from '../../support/graphql-in-process.js';
import type { SlaDb } from './sla-kit.js';

let schema: Promise<GraphQLSchema> | null = null;

export { type GqlAnswer, staff };

/** Runs an operation against the SLA and ticket part of the API as `viewer`; errors are returned. */
export function gql<T = Record<string, unknown>>(
  db: SlaDb,
  viewer: Viewer,
  query: string,
  variables: Record<string, unknown> = {},
  now: Date = new Date(),
): Promise<GqlAnswer<T>> {
  schema ??= buildGraphQLSchema([SlaPolicyResolver, TicketResolver], createPubSub(), authChecker);
  return runGraphql<T>(schema, db, viewer, query, variables, { now });
}
