import type pg from 'pg';
import type { ExplorerDefaults } from '../../infra/http/graphql-explorer.js';
import type { AuthService } from '../auth/auth.service.js';
import { DEMO_MARKER, DEMO_STAFF } from './demo-seed.js';

const DEMO_QUERY = `# Signed in as the demo's ops account (see Headers). Run with ▶, or try:
#   subscription { orderUpdated { orderId state previousState occurredAt } }
query RecentOrders {
  orders(first: 10) {
    edges { node { channel channelOrderNo state totalCents buyer { name phone } } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

const SIGN_IN_QUERY = `# Sign in, then put the token under Headers: { "authorization": "Bearer <token>" }
mutation SignIn {
  login(username: "admin", password: "…") { token userErrors { field code message } }
}
`;

/**
 * What the explorer opens with: on a demo database whose ops account still has its published
 * demo password, a fresh token of that account and a query that shows demo orders; anywhere
 * else, the sign-in mutation and an empty token. Real accounts are never signed in for anyone.
 */
export function explorerDefaults(deps: {
  pool: pg.Pool;
  auth: AuthService;
}): () => Promise<ExplorerDefaults> {
  const ops = DEMO_STAFF.find((account) => account.role === 'OPS')!;
  return async () => {
    const marker = await deps.pool.query('select 1 from platform_secret where name = $1', [DEMO_MARKER]);
    const signedIn = marker.rowCount ? await deps.auth.login(ops.username, ops.password, new Date()) : null;
    return signedIn
      ? { headers: { authorization: `Bearer ${signedIn.token}` }, query: DEMO_QUERY }
      : { headers: { authorization: 'Bearer <token from the login mutation>' }, query: SIGN_IN_QUERY };
  };
}
