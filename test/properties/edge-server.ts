import 'reflect-metadata';
import { createPubSub } from '@graphql-yoga/subscription';
import { GraphQLError } from 'graphql';
import pg from 'pg';
import { authChecker } from '../../api/src/app/auth-checker.js';
import type { GraphQLContext } from '../../api/src/app/context.js';
import { ENTITIES } from '../../api/src/app/entities.js';
import { RESOLVERS } from '../../api/src/app/resolvers.js';
import { WEBHOOK_NAMES } from '../../api/src/config/config.js';
import { migrate, type Orm, openOrm } from '../../api/src/infra/db/orm.js';
import { buildGraphQLSchema } from '../../api/src/infra/graphql/build-schema.js';
import { DEFAULT_MAX_COST, DEFAULT_MAX_DEPTH } from '../../api/src/infra/graphql/query-limits.js';
import { startHttpServer } from '../../api/src/infra/http/http-server.js';
import { createLogger } from '../../api/src/infra/logging/logger.js';
import { AuthService } from '../../api/src/modules/auth/auth.service.js';
import { mountWebhooks } from '../../api/src/modules/webhooks/webhook-routes.js';
import { freePort } from '../support/free-port.js';

export interface EdgeServer {
  url: string;
  pool: pg.Pool;
  orm: Orm;
  /** `Authorization` of an OPS member of staff. */
  ops: string;
  /** Webhook secret of every endpoint name (`TAOBAO`, `WMS`…). */
  secrets: Record<string, string>;
  close(): Promise<void>;
}

/**
 * The public edges as `platform.ts` wires them (GraphQL with its limits and guards, the signed
 * webhooks), on a migrated database at `databaseUrl`, without the scheduler. For property runs.
 */
export async function startEdgeServer(databaseUrl: string): Promise<EdgeServer> {
  const orm = await openOrm(databaseUrl, ENTITIES, 4);
  await migrate(orm);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on('error', () => undefined);
  const logger = createLogger(process.env.EDGE_LOG_LEVEL ?? 'silent', 'edge-properties');
  const auth = await AuthService.open(orm, 'edge-properties-secret-0123456789-abcdef');
  const secrets = Object.fromEntries(
    WEBHOOK_NAMES.map((name) => [name, `${name.toLowerCase()}-secret-0123456789`]),
  );
  const http = await startHttpServer<GraphQLContext>({
    host: '127.0.0.1',
    port: await freePort(),
    schema: await buildGraphQLSchema(RESOLVERS, createPubSub(), authChecker),
    context: async (credentials) => {
      const now = new Date();
      const authenticated = await auth.authenticate(credentials, now);
      if (!authenticated.ok)
        throw new GraphQLError(authenticated.reason, {
          extensions: { code: authenticated.code, http: { status: 401 } },
        });
      return {
        orm,
        pool,
        logger,
        platform: { version: 'test', schedulerBackend: 'postgresql' },
        auth,
        viewer: authenticated.viewer,
        now,
        clientAddress: credentials.address ?? null,
      } as GraphQLContext;
    },
    acceptSubscriber: (context) => context.viewer.kind !== 'ANONYMOUS',
    unready: async () => [],
    queryLimits: { maxDepth: DEFAULT_MAX_DEPTH, maxCost: DEFAULT_MAX_COST },
    mayIntrospect: (context) => context.viewer.kind !== 'ANONYMOUS',
    routes: (app) => mountWebhooks(app, { pool, secrets, logger }),
    staticDir: '/nonexistent-site',
    logger,
  });
  await auth.createStaffUser(orm.em.fork(), {
    username: 'fuzz_ops',
    displayName: 'Fuzz',
    password: 'fuzz-password-123',
    roles: ['OPS'],
  });
  const login = await auth.login('fuzz_ops', 'fuzz-password-123', new Date());
  return {
    url: http.url,
    pool,
    orm,
    ops: `Bearer ${login!.token}`,
    secrets,
    async close() {
      await http.close();
      await pool.end();
      await orm.close(true);
    },
  };
}
