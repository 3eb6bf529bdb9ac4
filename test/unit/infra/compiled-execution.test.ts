import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compiledExecution } from '../../../api/src/infra/graphql/compiled-execution.js';
import { makeExecutableSchemaLike } from './compiled-execution-schema.js';

/**
 * The same operations through Apollo Server twice: once with graphql-js executing (the schema
 * given to Apollo), once with the compiled executor. Data, errors (message, path, locations,
 * extensions.code) and HTTP status must be the same, and the queries must really run compiled.
 */
const schema: GraphQLSchema = makeExecutableSchemaLike();

async function both(query: string, variables?: Record<string, unknown>) {
  const gateway = compiledExecution(schema, 10);
  const plain = new ApolloServer({ schema, plugins: [ApolloServerPluginLandingPageDisabled()] });
  const compiled = new ApolloServer({ gateway, plugins: [ApolloServerPluginLandingPageDisabled()] });
  await Promise.all([plain.start(), compiled.start()]);
  try {
    const answer = async (server: ApolloServer) => {
      const response = await server.executeOperation(
        { query, variables },
        { contextValue: { viewer: 'ops' } },
      );
      return { status: response.http.status ?? 200, body: response.body };
    };
    return { plain: await answer(plain), compiled: await answer(compiled), gateway };
  } finally {
    await Promise.all([plain.stop(), compiled.stop()]);
  }
}

describe('compiled execution', () => {
  it('answers a list page as graphql-js does, from a compiled query', async () => {
    const query = `query Page($first: Int = 2, $state: State) {
      orders(first: $first, state: $state) { id state totalCents buyer { name } items { title quantity } }
    }`;
    const { plain, compiled, gateway } = await both(query, { first: 3, state: 'PAID' });
    expect(compiled).toEqual(plain);
    expect(plain.body).toMatchObject({
      kind: 'single',
      singleResult: { data: { orders: expect.any(Array) } },
    });
    expect(gateway.compiledOperations).toBe(0); // stopped: the cache is emptied
  });

  it('keeps a compiled query per document and uses it again', async () => {
    const gateway = compiledExecution(schema, 10);
    const server = new ApolloServer({ gateway });
    await server.start();
    try {
      for (let i = 0; i < 3; i++)
        await server.executeOperation({ query: '{ orders(first: 1) { id } }' }, { contextValue: {} });
      expect(gateway.compiledOperations).toBe(1);
      await server.executeOperation({ query: 'mutation { touch }' }, { contextValue: {} });
      await server.executeOperation({ query: '{ __schema { queryType { name } } }' }, { contextValue: {} });
      // Neither a mutation nor introspection is compiled.
      expect(gateway.compiledOperations).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it('forgets the least recently used document beyond its bound', async () => {
    const gateway = compiledExecution(schema, 2);
    const server = new ApolloServer({ gateway });
    await server.start();
    try {
      for (const n of [1, 2, 3, 4])
        await server.executeOperation({ query: `{ orders(first: ${n}) { id } }` }, { contextValue: {} });
      expect(gateway.compiledOperations).toBe(2);
    } finally {
      await server.stop();
    }
  });

  it.each([
    ['a coded refusal from a resolver', '{ forbidden }', undefined],
    ['an unexpected failure in a resolver', '{ broken }', undefined],
    ['null for a non-null field, inside a list', '{ orders(first: 2) { id missing } }', undefined],
    ['a failing field beside good ones', '{ orders(first: 1) { id } forbidden }', undefined],
    ['a variable that does not coerce', 'query Q($n: Int) { orders(first: $n) { id } }', { n: 'two' }],
    ['a missing required variable', 'query Q($s: State!) { orders(state: $s) { id } }', {}],
    ['an unknown enum value', 'query Q($s: State) { orders(state: $s) { id } }', { s: 'LOST' }],
    ['a mutation', 'mutation { touch }', undefined],
    ['introspection', '{ __type(name: "Order") { name fields { name } } }', undefined],
  ])('answers %s exactly as graphql-js does', async (_name, query, variables) => {
    const { plain, compiled } = await both(query, variables);
    expect(compiled).toEqual(plain);
  });

  it('keeps the coded error a resolver throws, its path and its location', async () => {
    const { compiled } = await both('{ orders(first: 1) { id } forbidden }');
    expect(compiled.body).toMatchObject({
      kind: 'single',
      singleResult: {
        data: { orders: [{ id: 'o1' }], forbidden: null },
        errors: [
          {
            message: 'not for you',
            path: ['forbidden'],
            locations: [{ line: 1, column: 27 }],
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      },
    });
  });

  it('gives the resolver error to formatError as originalError', async () => {
    const seen: unknown[] = [];
    const server = new ApolloServer({
      gateway: compiledExecution(schema),
      formatError: (formatted, error) => {
        seen.push(error instanceof GraphQLError ? error.originalError : error);
        return formatted;
      },
    });
    await server.start();
    try {
      await server.executeOperation({ query: '{ broken }' }, { contextValue: {} });
    } finally {
      await server.stop();
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(Error);
    expect((seen[0] as Error).message).toBe('disk on fire');
  });
});
