import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { OUTBOX_ITEMS } from '../support/outbox-items.js';
import {
  adminAuthorization,
  graphql,
  type PlatformProcess,
  spawnPlatform,
  waitUntilReady,
} from '../support/platform-process.js';
import { waitFor } from '../support/wait-for.js';

const webshopOrder = JSON.parse(readFileSync('test/fixtures/channels/webshop-custom.json', 'utf8'));
const submit = `mutation ($input: SubmitOrdersInput!) { submitOrders(input: $input) { results { orderId outcome } userErrors { code } } }`;

describe('configuration errors', () => {
  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://db:3306/x'],
    ['LOG_LEVEL', 'loud'],
  ])('stops with one clear line naming %s=%s and no stack trace', async (name, value) => {
    const platform = spawnPlatform('start', {
      [name]: value,
      DATA_DIR: join(tmpdir(), 'orderops-never-used'),
    });
    const code = await platform.exited;
    const lines = platform.output().trim().split('\n');
    expect(code).toBe(78);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^configuration error: ${name}: `));
    expect(platform.output()).not.toMatch(/\n\s+at /);
  });
});

describe('embedded PostgreSQL: kill -9, restart, graceful stop', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderops-e2e-data-'));
  let platform: PlatformProcess | undefined;

  afterAll(async () => {
    await platform?.stop('SIGKILL');
    // A postmaster orphaned by a failed assertion must not outlive the test run.
    const pidFile = join(dataDir, 'pg', 'postmaster.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('recovers after kill -9: data kept, leftover server replaced, jobs running again; SIGTERM stops cleanly', async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const env = {
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      EMBEDDED_PG_PORT: String(await freePort()),
      SCHEDULER_POLL_MS: '200',
      WORKER_NAME: 'restart-worker',
    };
    platform = spawnPlatform('start', env);
    await waitUntilReady(baseUrl, platform);
    let authorization = { authorization: await adminAuthorization(baseUrl) };
    const first = await graphql<{ submitOrders: { results: { orderId: string }[] } }>(
      baseUrl,
      submit,
      { input: { channel: 'WEBSHOP', orders: [webshopOrder] } },
      authorization,
    );
    const orderId = first.submitOrders.results[0].orderId;

    platform.proc.kill('SIGKILL');
    await platform.exited;
    const leftover = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);

    platform = spawnPlatform('start', env);
    await waitUntilReady(baseUrl, platform);
    expect(platform.output()).toContain('still holds the data dir');
    expect(isAlive(leftover)).toBe(false);
    authorization = { authorization: await adminAuthorization(baseUrl) };

    const found = await graphql<{ order: { id: string; channelOrderNo: string } | null }>(
      baseUrl,
      'query ($id: ID!) { order(id: $id) { id channelOrderNo } }',
      { id: orderId },
      authorization,
    );
    expect(found.order?.channelOrderNo).toBe(webshopOrder.orderNo);

    const second = await graphql<{ submitOrders: { results: { orderId: string }[] } }>(
      baseUrl,
      submit,
      { input: { channel: 'WEBSHOP', orders: [{ ...webshopOrder, orderNo: 'WS-AFTER-RESTART-1' }] } },
      authorization,
    );
    const credentials = JSON.parse(readFileSync(join(dataDir, 'embedded-pg.json'), 'utf8'));
    const db = new pg.Client({
      host: '127.0.0.1',
      port: Number(env.EMBEDDED_PG_PORT),
      user: credentials.user,
      password: credentials.password,
      database: 'orderops',
    });
    await db.connect();
    try {
      // Delivered well before the 60 s lock lifetime would have freed a job the killed run held.
      await waitFor(
        async () => {
          const { rows } = await db.query(
            `select delivered_by from ${OUTBOX_ITEMS} m where payload->>'orderId' = $1 and delivered_at is not null`,
            [second.submitOrders.results[0].orderId],
          );
          return rows[0]?.delivered_by === 'restart-worker';
        },
        { timeoutMs: 15_000, message: 'delivery of the outbox message after the restart' },
      );
      const locked = await db.query(
        `select count(*)::int as n from agenda_jobs where locked_at < now() - interval '30 seconds'`,
      );
      expect(locked.rows[0].n).toBe(0);
    } finally {
      await db.end();
    }

    const code = await platform.stop('SIGTERM');
    expect(code).toBe(0);
    expect(platform.output()).toContain('"msg":"stopped"');
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
