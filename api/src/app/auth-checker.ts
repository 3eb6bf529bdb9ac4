import { GraphQLError } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import { decideAccess, type Requirement } from '../domain/auth/viewer.js';
import type { GraphQLContext } from './context.js';

/**
 * `@Authorized('OPS', 'orders:read')` on an operation: the caller must be staff with one of the
 * roles (ADMIN always passes) or a partner with one of the scopes. Refusals carry a code.
 */
export const authChecker: AuthChecker<GraphQLContext, Requirement> = ({ context }, required) => {
  const decision = decideAccess(context.viewer, required);
  if (!decision.ok) throw new GraphQLError(decision.reason, { extensions: { code: decision.code } });
  return true;
};
