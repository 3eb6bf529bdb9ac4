import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../api/src/domain/order/order-types.js';
import { CHANNEL_FIXTURES } from '../properties/arbitraries.js';
import {
  adapterProperty,
  GRAPHQL_EDGES,
  graphqlProperty,
  webhookProperty,
} from '../properties/edge-properties.js';
import { type EdgeServer, startEdgeServer } from '../properties/edge-server.js';
import { createTestDatabase } from '../support/test-database.js';

/** A few generated cases per edge on every run; `npm run fuzz` runs 10,000 per edge. */
const RUNS = 30;

describe('every public edge holds on generated input (fast-check)', () => {
  let database: { url: string; drop(): Promise<void> };
  let server: EdgeServer;

  beforeAll(async () => {
    database = await createTestDatabase('edge_props');
    server = await startEdgeServer(database.url);
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  for (const channel of Object.keys(CHANNEL_FIXTURES) as Channel[])
    it(`the ${channel} adapter`, async () => {
      expect((await adapterProperty(channel, RUNS * 10)).failure).toBeNull();
    });

  it('the signed orders webhook', async () => {
    expect((await webhookProperty(server, 'orders', RUNS)).failure).toBeNull();
  });

  it('the signed events webhook', async () => {
    expect((await webhookProperty(server, 'events', RUNS)).failure).toBeNull();
  });

  for (const edge of GRAPHQL_EDGES)
    it(`GraphQL ${edge}`, async () => {
      expect((await graphqlProperty(server, edge, RUNS)).failure).toBeNull();
    });
});
