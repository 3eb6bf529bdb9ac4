import type { GraphQLSchema } from 'graphql';
import { type AuthChecker, buildSchema, type NonEmptyArray, type PubSub } from 'type-graphql';

/** Builds the executable schema from the resolver classes (the code is the source of truth). */
export function buildGraphQLSchema(
  // biome-ignore lint/complexity/noBannedTypes: type-graphql takes resolver classes as constructors.
  resolvers: NonEmptyArray<Function>,
  pubSub: PubSub,
  // biome-ignore lint/suspicious/noExplicitAny: the checker's context type belongs to the application.
  authChecker: AuthChecker<any, any>,
): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, pubSub, authChecker, validate: false, emitSchemaFile: false });
}
