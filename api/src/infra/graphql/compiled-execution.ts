import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import {
  type DocumentNode,
  type ExecutionResult,
  execute,
  GraphQLError,
  type GraphQLSchema,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  visit,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/**
 * How many (document, operation name) pairs keep their compiled form; the least recently used
 * goes first. @default 500
 */
export const DEFAULT_COMPILED_OPERATIONS = 500;

/**
 * Runs the queries Apollo Server has parsed and validated as functions compiled once per
 * document (graphql-jit) instead of walking the document for every request: a list page of
 * several hundred fields then costs no per-field argument coercion, resolve-info or path objects.
 *
 * Plugged in as Apollo's "gateway", the only executor hook Apollo Server has; parsing, validation
 * (with the document cache), plugins, error formatting and HTTP stay Apollo's. What does not take
 * the compiled path runs graphql-js `execute` exactly as Apollo would: mutations (their order of
 * side effects and `userErrors` stay graphql-js's), introspection, operations whose variables do
 * not coerce (so their errors, codes and HTTP 400 are graphql-js's word for word) and documents
 * the compiler refuses. Errors of a compiled run are rebuilt as graphql-js errors (message, path,
 * locations, extensions, original error), which is what Apollo's formatting reads.
 * Subscriptions do not come here: graphql-ws runs them with graphql-js `subscribe`.
 */
export function compiledExecution(
  schema: GraphQLSchema,
  maxOperations = DEFAULT_COMPILED_OPERATIONS,
): GatewayInterface & { readonly compiledOperations: number } {
  const compiled = new CompiledOperations(schema, maxOperations);
  const listeners = new Set<Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0]>();
  return {
    /** How many operations are held compiled now. */
    get compiledOperations() {
      return compiled.compiledCount;
    },
    onSchemaLoadOrUpdate(callback) {
      listeners.add(callback);
      return () => listeners.delete(callback);
    },
    async load() {
      // Apollo takes the schema from this callback, not from what `load` returns.
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl: '' });
      return {
        schema,
        executor: async (request) =>
          compiled.run(
            request.document,
            request.operation as OperationDefinitionNode | undefined,
            // As the client sent it (null when it named none), which is what Apollo passes to graphql-js.
            request.request.operationName ?? null,
            request.request.variables,
            request.context,
          ),
      };
    },
    async stop() {
      listeners.clear();
      compiled.clear();
    },
  };
}

/** A bounded map from (document, operation name) to its compiled query, or to "not compiled". */
class CompiledOperations {
  private readonly cache = new Map<DocumentNode, Map<string, CompiledQuery | null>>();
  private size = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly maxOperations: number,
  ) {}

  async run(
    document: DocumentNode,
    operation: OperationDefinitionNode | undefined,
    operationName: string | null,
    variables: Record<string, unknown> | undefined,
    contextValue: unknown,
  ): Promise<ExecutionResult> {
    const plain = () =>
      execute({
        schema: this.schema,
        document,
        contextValue,
        variableValues: variables,
        operationName,
      });
    if (operation?.operation !== 'query') return plain();
    const query = this.compiled(document, operationName);
    if (!query) return plain();
    // graphql-js decides whether the variables coerce (about 1 % of a list request): its refusals
    // are the ones clients and Apollo's HTTP 400 know, word for word.
    if (operation.variableDefinitions?.length) {
      const coerced = getVariableValues(this.schema, operation.variableDefinitions, variables ?? {});
      if (coerced.errors) return plain();
    }
    const result = await query.query(undefined, contextValue, variables ?? {});
    // No `data` at all: the compiled query refused the variables itself; graphql-js answers instead.
    if (!('data' in result)) return plain();
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  }

  get compiledCount(): number {
    let count = 0;
    for (const byName of this.cache.values()) for (const query of byName.values()) if (query) count++;
    return count;
  }

  clear(): void {
    this.cache.clear();
    this.size = 0;
  }

  private compiled(document: DocumentNode, operationName: string | null): CompiledQuery | null {
    const key = operationName ?? '';
    let byName = this.cache.get(document);
    const known = byName?.get(key);
    if (byName && known !== undefined) {
      // Most recently used last: Map keeps insertion order.
      this.cache.delete(document);
      this.cache.set(document, byName);
      return known;
    }
    const query = asksForSchema(document) ? null : this.compile(document, operationName);
    if (!byName) {
      byName = new Map();
      this.cache.set(document, byName);
    }
    byName.set(key, query);
    this.size++;
    while (this.size > this.maxOperations) {
      const [oldest, names] = this.cache.entries().next().value as [DocumentNode, Map<string, unknown>];
      this.cache.delete(oldest);
      this.size -= names.size;
    }
    return query;
  }

  private compile(document: DocumentNode, operationName: string | null): CompiledQuery | null {
    try {
      const query = compileQuery(this.schema, document, operationName ?? undefined, {
        // Stack traces come from the resolver's own error, or not at all (as in graphql-js).
        disablingCapturingStackErrors: true,
      });
      return isCompiledQuery(query) ? query : null;
    } catch {
      return null;
    }
  }
}

/** Introspection stays with graphql-js (its answers are what tools are tested against). */
function asksForSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}

/**
 * The compiler's error as graphql-js builds it for a failing field: same message, path, locations
 * and extensions, the resolver's error as `originalError` (Apollo reads `extensions.code` and the
 * platform's plugins read `originalError`).
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  // graphql-js takes the extensions and the stack from the original error itself.
  const rebuilt = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
  });
  if (error.locations) (rebuilt as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return rebuilt;
}
