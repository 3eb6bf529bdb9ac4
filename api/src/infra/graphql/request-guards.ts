import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  visit,
} from 'graphql';
import { findLongString, stringTooLong } from '../http/edge-limits.js';
import type { Logger } from '../logging/logger.js';
import { checkQueryLimits, type QueryLimits } from './query-limits.js';

/**
 * Checks that need the variables or the caller, run once an operation is known and before it
 * executes (validation, cached per document, sees neither):
 * - the cost again, with the page sizes the variables really ask for;
 * - every string in the variables against the length limit;
 * - introspection only for callers `mayIntrospect` allows.
 * Over HTTP they run as an Apollo plugin, over graphql-ws from `onSubscribe`.
 */
export interface RequestGuards<C> {
  schema: GraphQLSchema;
  queryLimits: QueryLimits | null;
  maxStringChars: number;
  mayIntrospect: (context: C) => boolean;
}

/** The first refusal for this operation, or null when it may run. */
export function guardOperation<C>(
  guards: RequestGuards<C>,
  operation: {
    document: DocumentNode;
    operationName?: string | null;
    variables?: Record<string, unknown> | null;
  },
  context: C,
): GraphQLError | null {
  const long = findLongString(operation.variables ?? {}, guards.maxStringChars);
  if (long) return stringTooLong(long, guards.maxStringChars);
  if (!guards.mayIntrospect(context) && asksForSchema(operation.document, operation.operationName))
    return new GraphQLError('introspection needs a signed-in caller', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  if (guards.queryLimits)
    return checkQueryLimits(
      guards.schema,
      operation.document,
      operation.operationName,
      operation.variables,
      guards.queryLimits,
    );
  return null;
}

/** Whether the document selects `__schema` or `__type` anywhere (fragments included). */
function asksForSchema(document: DocumentNode, _operationName?: string | null): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}

/** The guards and the log of unexpected failures, as an Apollo plugin. */
export function requestGuardsPlugin<C extends BaseContext>(
  guards: RequestGuards<C>,
  logger: Logger,
  debug: boolean,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request) {
          const refusal = guardOperation(
            guards,
            {
              document: request.document,
              operationName: request.operationName,
              variables: request.request.variables,
            },
            request.contextValue,
          );
          if (refusal) throw refusal;
        },
        async didEncounterErrors(request) {
          const requestId = request.request.http?.headers.get('x-request-id') ?? null;
          for (const error of request.errors) {
            if (!isUnexpected(error)) continue;
            // The message of a failure may quote input (names, phones); it is logged only on request.
            logger.error(
              {
                requestId,
                operation: request.operationName ?? operationKind(request.operation),
                path: error.path?.join('.'),
                errorName: error.originalError?.name ?? error.name,
                errorCode: (error.originalError as { code?: unknown } | undefined)?.code,
                ...(debug ? { err: error.message } : {}),
              },
              'GraphQL operation failed unexpectedly',
            );
          }
        },
      };
    },
  };
}

/** An error no resolver or rule meant to answer with: thrown by code, not a coded refusal. */
function isUnexpected(error: GraphQLError): boolean {
  if (typeof error.extensions?.code === 'string' && error.extensions.code !== 'INTERNAL_SERVER_ERROR')
    return false;
  const original = error.originalError;
  if (!original) return error.extensions?.code === 'INTERNAL_SERVER_ERROR';
  if (original instanceof GraphQLError) return typeof original.extensions?.code !== 'string';
  return true;
}

const operationKind = (operation: OperationDefinitionNode | undefined) => operation?.operation ?? null;
