import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { PgPubSub, PUBSUB_CHANNEL } from '../../../api/src/infra/pubsub/pg-pubsub.js';
import {
  REVOCATION_CHANNEL,
  type Revocation,
  RevocationListener,
} from '../../../api/src/modules/auth/revocation-listener.js';
import { createTestDatabase } from '../../support/test-database.js';
import { waitFor } from '../../support/wait-for.js';

/**
 * Every LISTEN connection of the platform (outbox wake-ups, subscription fan-out, access
 * revocations) is the same reconnecting listener: a frozen database cannot stall its start, and a
 * dropped connection is opened again, with the owner told so it can catch up.
 */
describe('LISTEN connections', () => {
  const logger = createLogger('silent', 'test');
  let db: { url: string; drop(): Promise<void> };
  let admin: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase('listen');
    admin = new pg.Pool({ connectionString: db.url, max: 1 });
    admin.on('error', () => undefined);
  });

  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });

  const terminateListeners = (channel: string) =>
    admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and query = $1`,
      [`LISTEN ${channel}`],
    );

  it('revocations: gives up on a database that accepts the connection but never answers, and closes the socket', async () => {
    const sockets = new Set<net.Socket>();
    const frozen = net.createServer((socket) => {
      sockets.add(socket);
      socket.resume(); // read (and ignore) the start-up message, so the client's close is seen
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', resolve));
    const { port } = frozen.address() as net.AddressInfo;
    try {
      // The revocation listener, as the platform builds it (the default 5 s limit on connecting).
      const listener = new RevocationListener(`postgres://nobody:x@127.0.0.1:${port}/none`, logger, () => {
        throw new Error('nothing can be revoked through a frozen database');
      });
      await expect(listener.start()).rejects.toThrow(/timeout/i);
      await waitFor(() => sockets.size === 0, { timeoutMs: 2000 });
      await listener.stop();
    } finally {
      for (const socket of sockets) socket.destroy();
      frozen.close();
    }
  }, 15_000);

  it('revocations: a dropped connection is re-opened and the cache told to forget everything', async () => {
    const seen: Revocation[] = [];
    const listener = new RevocationListener(db.url, logger, (revocation) => seen.push(revocation));
    await listener.start();
    try {
      expect(seen).toEqual([{ kind: 'ALL' }]);
      await admin.query(`select pg_notify($1, $2)`, [REVOCATION_CHANNEL, '{"kind":"STAFF","id":"u-1"}']);
      await admin.query(`select pg_notify($1, 'not json')`, [REVOCATION_CHANNEL]);
      await waitFor(() => seen.length === 2);
      expect(seen[1]).toEqual({ kind: 'STAFF', id: 'u-1' });

      await terminateListeners(REVOCATION_CHANNEL);
      await waitFor(() => seen.length === 3, { timeoutMs: 5000 });
      expect(seen[2]).toEqual({ kind: 'ALL' });
      await admin.query(`select pg_notify($1, $2)`, [REVOCATION_CHANNEL, '{"kind":"API_CLIENT","id":"k-1"}']);
      await waitFor(() => seen.length === 4);
      expect(seen[3]).toEqual({ kind: 'API_CLIENT', id: 'k-1' });
    } finally {
      await listener.stop();
    }
  });

  it('subscription fan-out: listening again after a drop, and reporting when it is not', async () => {
    const pubsub = new PgPubSub(db.url, logger);
    await pubsub.start();
    try {
      expect(pubsub.isListening).toBe(true);
      await terminateListeners(PUBSUB_CHANNEL);
      await waitFor(() => !pubsub.isListening, { timeoutMs: 2000 });
      await waitFor(() => pubsub.isListening, { timeoutMs: 5000 });
    } finally {
      await pubsub.stop();
    }
    expect(pubsub.isListening).toBe(false);
  });
});
