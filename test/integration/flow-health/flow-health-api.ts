import { readFileSync } from 'node:fs';
import { createPubSub } from '@graphql-yoga/subscription';
import { GraphQLError } from 'graphql';
import pg from 'pg';
import { authChecker } from '../../../api/src/app/auth-checker.js';
import type { GraphQLContext } from '../../../api/src/app/context.js';
import { ENTITIES } from '../../../api/src/app/entities.js';
import { RESOLVERS } from '../../../api/src/app/resolvers.js';
import { migrate, openOrm } from '../../../api/src/infra/db/orm.js';
import { buildGraphQLSchema } from '../../../api/src/infra/graphql/build-schema.js';
import { startHttpServer } from '../../../api/src/infra/http/http-server.js';
import { AuthService } from '../../../api/src/modules/auth/auth.service.js';
import { FlowHealthService } from '../../../api/src/modules/flow-health/flow-health.service.js';
import type { FlowHealthSettings } from '../../../api/src/modules/flow-health/flow-health-settings.js';
import { rerouteHeldOrders } from '../../../api/src/modules/flow-health/reroute-held.js';
import { freePort } from '../../support/free-port.js';
import { createTestDatabase, openTestPool } from '../../support/test-database.js';
import { silentLogger } from './flow-health-kit.js';

export interface FlowHealthApi {
  pool: pg.Pool;
  service: FlowHealthService;
  /** `Authorization` header of an OPS member of staff. */
  ops: Record<string, string>;
  /** Posts one operation as `ops`; throws on GraphQL errors, answers `data`. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The GraphQL API over HTTP on a migrated database of its own, built as `platform.ts` builds it
 * (all resolvers, real sign-in, the flow-health service with real re-routing in the context).
 */
export async function startFlowHealthApi(
  prefix: string,
  settings: FlowHealthSettings,
): Promise<FlowHealthApi> {
  const database = await createTestDatabase(prefix);
  const orm = await openOrm(database.url, ENTITIES, 4);
  await migrate(orm);
  const pool = openTestPool(database.url, 10);
  const auth = await AuthService.open(orm, 'flow-health-api-secret-flow-health-api-0123');
  const service = new FlowHealthService({
    pool,
    settings,
    logger: silentLogger,
    rerouteHeld: rerouteHeldOrders(pool),
  });
  const http = await startHttpServer<GraphQLContext>({
    host: '127.0.0.1',
    port: await freePort(),
    schema: await buildGraphQLSchema(RESOLVERS, createPubSub(), authChecker),
    context: async (credentials) => {
      const now = new Date();
      const authenticated = await auth.authenticate(credentials, now);
      if (!authenticated.ok)
        throw new GraphQLError(authenticated.reason, { extensions: { code: authenticated.code } });
      const platform = { version: 'test', schedulerBackend: 'postgresql' };
      return {
        orm,
        pool,
        logger: silentLogger,
        platform,
        auth,
        viewer: authenticated.viewer,
        now,
        flowHealth: service,
      } as GraphQLContext;
    },
    acceptSubscriber: () => true,
    unready: async () => [],
    staticDir: '/nonexistent-site',
    logger: silentLogger,
  });
  await auth.createStaffUser(orm.em.fork(), {
    username: 'ops-zhao',
    displayName: 'Ops',
    password: 'test-password-123',
    roles: ['OPS'],
  });
  const login = await auth.login('ops-zhao', 'test-password-123', new Date());
  if (!login) throw new Error('test sign-in failed');
  const ops = { authorization: `Bearer ${login.token}` };

  return {
    pool,
    service,
    ops,
    async gql<T>(query: string, variables: Record<string, unknown> = {}) {
      const response = await fetch(`${http.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...ops },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
      if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data as T;
    },
    async close() {
      await http.close();
      await pool.end();
      await orm.close(true);
      await database.drop();
    },
  };
}

let tradeNo = 0;

/** A paid Taobao order (the README example) under a new number, with the receiver's address changed. */
export function taobaoTrade(address: Record<string, string> = {}): Record<string, unknown> {
  const payload = JSON.parse(readFileSync('test/fixtures/channels/taobao-normal.json', 'utf8'));
  tradeNo += 1;
  const trade = payload.trade_fullinfo_get_response.trade;
  trade.tid = `98${process.pid}${String(tradeNo).padStart(5, '0')}`;
  Object.assign(trade, address);
  return payload;
}

/** A paid JD order (the README example, 广东深圳) under a new number. */
export function jdOrder(): Record<string, unknown> {
  const payload = JSON.parse(readFileSync('test/fixtures/channels/jd-normal.json', 'utf8'));
  tradeNo += 1;
  payload.orderId = Number(`97${String(tradeNo).padStart(6, '0')}`);
  return payload;
}
