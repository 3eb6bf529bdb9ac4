import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from '../db/pool.js';

export const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE';
const MESSAGE = 'The database is unavailable; try again shortly.';

/** The error a caller sees while the database is down or frozen: coded, HTTP 503, no driver text. */
export function databaseUnavailableError(): GraphQLError {
  return new GraphQLError(MESSAGE, { extensions: { code: DATABASE_UNAVAILABLE, http: { status: 503 } } });
}

/**
 * While the database is away, an operation fails as a whole with HTTP 503 and errors coded
 * `DATABASE_UNAVAILABLE`, instead of HTTP 200 with the driver's message (which names the
 * database host and port). Other errors of the same response are left as they are.
 */
export function databaseUnavailablePlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const lostMessages = new Set<string>();
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors)
            if (isDatabaseUnavailable(error.originalError ?? error)) lostMessages.add(error.message);
        },
        async willSendResponse({ response }) {
          if (lostMessages.size === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.errors = result.errors?.map(
            (error): GraphQLFormattedError =>
              lostMessages.has(error.message)
                ? { message: MESSAGE, path: error.path, extensions: { code: DATABASE_UNAVAILABLE } }
                : error,
          );
          response.http.status = 503;
        },
      };
    },
  };
}
