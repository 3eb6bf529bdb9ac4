import type { GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray, type PubSub } from 'type-graphql';

/** Builds the executable schema from the resolver classes (the code is the source of truth). */
export function buildGraphQLSchema(
  // biome-ignore lint/complexity/noBannedTypes: type-graphql takes resolver classes as constructors.
  resolvers: NonEmptyArray<Function>,
  pubSub: PubSub,
): Promise<GraphQLSchema> {
  return buildSchema({ resolvers, pubSub, validate: false, emitSchemaFile: false });
}
