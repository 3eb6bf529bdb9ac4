import { createPubSub } from '@graphql-yoga/subscription';
import { GraphQLError } from 'graphql';
import pg from 'pg';
import { authChecker } from '../../../api/src/app/auth-checker.js';
import type { GraphQLContext } from '../../../api/src/app/context.js';
import { ENTITIES } from '../../../api/src/app/entities.js';
import { RESOLVERS } from '../../../api/src/app/resolvers.js';
import type { PartnerScope, StaffRole } from '../../../api/src/domain/auth/viewer.js';
import type { Channel } from '../../../api/src/domain/order/order-types.js';
import { migrate, type Orm, openOrm } from '../../../api/src/infra/db/orm.js';
import { buildGraphQLSchema } from '../../../api/src/infra/graphql/build-schema.js';
import {
  createQueryLimitRules,
  DEFAULT_MAX_COST,
  DEFAULT_MAX_DEPTH,
  type QueryLimits,
} from '../../../api/src/infra/graphql/query-limits.js';
import { type RunningHttpServer, startHttpServer } from '../../../api/src/infra/http/http-server.js';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { AuthService } from '../../../api/src/modules/auth/auth.service.js';
import { freePort } from '../../support/free-port.js';
import { createTestDatabase, openTestPool } from '../../support/test-database.js';

export interface GraphQLBody<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface OrdersPlatform {
  url: string;
  orm: Orm;
  pool: pg.Pool;
  auth: AuthService;
  /** Posts one operation with the given headers and returns the whole body (data and errors). */
  post<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLBody<T>>;
  /** `Authorization` header of a new staff account holding `roles`. */
  staff(...roles: StaffRole[]): Promise<Record<string, string>>;
  /** `x-api-key` header of a new partner key. */
  partner(channels: Channel[], scopes?: PartnerScope[]): Promise<Record<string, string>>;
  close(): Promise<void>;
}

const logger = createLogger('silent', 'orders-test');
let accounts = 0;

/**
 * A migrated database of its own and the GraphQL API over HTTP on it, built as `platform.ts`
 * builds it: real sign-in and API keys, the resolver context, and the query limit rules.
 */
export async function startOrdersPlatform(
  prefix: string,
  limits: QueryLimits = { maxDepth: DEFAULT_MAX_DEPTH, maxCost: DEFAULT_MAX_COST },
): Promise<OrdersPlatform> {
  const database = await createTestDatabase(prefix);
  const orm = await openOrm(database.url, ENTITIES, 4);
  await migrate(orm);
  const pool = openTestPool(database.url, 10);
  const auth = await AuthService.open(orm, 'orders-test-secret-orders-test-secret-0123');
  const schema = await buildGraphQLSchema(RESOLVERS, createPubSub(), authChecker);
  const http: RunningHttpServer = await startHttpServer<GraphQLContext>({
    host: '127.0.0.1',
    port: await freePort(),
    schema,
    context: async (credentials) => {
      const now = new Date();
      const authenticated = await auth.authenticate(credentials, now);
      if (!authenticated.ok)
        throw new GraphQLError(authenticated.reason, {
          extensions: { code: authenticated.code, http: { status: 401 } },
        });
      const platform = { version: 'test', schedulerBackend: 'postgresql' };
      return { orm, pool, logger, platform, auth, viewer: authenticated.viewer, now } as GraphQLContext;
    },
    acceptSubscriber: () => true,
    unready: async () => [],
    validationRules: createQueryLimitRules(limits),
    staticDir: '/nonexistent-site',
    logger,
  });

  const post = async <T>(
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<GraphQLBody<T>> => {
    const response = await fetch(`${http.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLBody<T>;
  };

  return {
    url: http.url,
    orm,
    pool,
    auth,
    post,
    async staff(...roles) {
      accounts += 1;
      const username = `staff_${accounts}_${roles.join('_').toLowerCase()}`;
      await auth.createStaffUser(orm.em.fork(), {
        username,
        displayName: 'Test staff',
        password: 'test-password-123',
        roles,
      });
      const login = await auth.login(username, 'test-password-123', new Date());
      if (!login) throw new Error('test sign-in failed');
      return { authorization: `Bearer ${login.token}` };
    },
    async partner(channels, scopes = ['orders:read']) {
      const { key } = await auth.createApiClient(orm.em.fork(), {
        name: `partner ${channels.join('+')}`,
        channels,
        scopes,
        createdBy: null,
      });
      return { 'x-api-key': key };
    },
    async close() {
      await http.close();
      await pool.end();
      await orm.close(true);
      await database.drop();
    },
  };
}
