import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { markdownMessage } from '../../api/src/domain/wecom/wecom-message.js';
import { enqueueOutbox } from '../../api/src/infra/outbox/outbox.js';
import { wecomOutboxEntry } from '../../api/src/modules/wecom/wecom-outbox.js';
import { freePort } from '../support/free-port.js';
import {
  type PlatformProcess,
  spawnPlatform,
  TEST_ADMIN_PASSWORD,
  waitUntilReady,
} from '../support/platform-process.js';
import { startRecordingServer } from '../support/recording-server.js';
import { waitFor } from '../support/wait-for.js';

/**
 * `npm start` in a terminal, and the README's two-process layout, both on the embedded PostgreSQL
 * (no DATABASE_URL) in one data folder.
 */
describe('Ctrl-C and the shared embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderops-ctrl-c-'));
  const pidFile = join(dataDir, 'pg', 'postmaster.pid');
  let pgPort = 0;
  const started: PlatformProcess[] = [];

  afterAll(async () => {
    for (const p of started) await p.stop('SIGKILL');
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT');
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops `npm start` with exit 0 and nothing left running when Ctrl-C reaches the whole process group', async () => {
    const port = await freePort();
    pgPort = await freePort();
    // Its own process group, as a terminal gives a foreground job: the SIGINT reaches npm, node and PostgreSQL.
    const npm = spawn('npm', ['start'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        EMBEDDED_PG_PORT: String(pgPort),
        DEMO_SEED: 'false',
        DEMO_SIMULATOR: 'false',
        ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      },
    });
    let output = '';
    npm.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    npm.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const exited = new Promise<number | string>((resolve) =>
      npm.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
    );
    const group = npm.pid!;
    try {
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200,
        { timeoutMs: 150_000, intervalMs: 200, message: `npm start ready\n${output}` },
      );
      process.kill(-group, 'SIGINT');
      expect(await exited).toBe(0);
      await waitFor(() => inGroup(group).length === 0, {
        timeoutMs: 10_000,
        message: 'the process group to be empty',
      });
      expect(output).toContain('"msg":"stopped"');
      expect(output).not.toMatch(/Unhandled|\n\s+at /);
      expect(existsSync(pidFile)).toBe(false);
    } finally {
      if (inGroup(group).length > 0) process.kill(-group, 'SIGKILL');
    }
  }, 200_000);

  it('keeps the worker database up while `npm run api` stops and starts; whichever stops last stops it', async () => {
    const port = await freePort();
    const env = {
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      SCHEDULER_POLL_MS: '200',
      OUTBOX_SWEEP_MS: '1000',
    };
    const robot = await startRecordingServer();
    try {
      const startApi = async () => {
        const api = spawnPlatform('api', { ...env, PORT: String(port), HOST: '127.0.0.1' });
        started.push(api);
        await waitUntilReady(`http://127.0.0.1:${port}`, api, 120_000);
        return api;
      };
      let api = await startApi();
      const worker = spawnPlatform('worker', { ...env, WORKER_NAME: 'shared-worker' });
      started.push(worker);
      await waitFor(() => worker.output().includes('worker ready'), {
        timeoutMs: 90_000,
        message: 'worker ready',
      });
      expect(worker.output()).toContain('using the embedded PostgreSQL started by another platform process');

      expect(await api.stop('SIGTERM')).toBe(0);
      expect(api.output()).toContain('another platform process uses it');
      // The worker still has its database: an alert enqueued now reaches the robot.
      const credentials = JSON.parse(readFileSync(join(dataDir, 'embedded-pg.json'), 'utf8'));
      const db = new pg.Client({ host: '127.0.0.1', port: pgPort, database: 'orderops', ...credentials });
      db.on('error', () => undefined);
      await db.connect();
      await enqueueOutbox(db, [
        wecomOutboxEntry({
          webhookUrl: `${robot.url}/cgi-bin/webhook/send?key=shared`,
          message: markdownMessage('## 共享数据库'),
          dedupeKey: 'shared:1',
          purpose: 'flow-health',
        }),
      ]);
      await db.end();
      await robot.waitForRequests(1, 20_000);
      expect(worker.proc.exitCode).toBeNull();

      api = await startApi();
      expect(await worker.stop('SIGTERM')).toBe(0);
      expect(existsSync(pidFile)).toBe(true);
      expect(await api.stop('SIGTERM')).toBe(0);
      await waitFor(() => !existsSync(pidFile), {
        timeoutMs: 10_000,
        message: 'PostgreSQL stopped by the last process',
      });
    } finally {
      await robot.close();
    }
  }, 300_000);
});

/** Live processes whose process group is `group`, from /proc. */
function inGroup(group: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === group && fields[0] !== 'Z') members.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return members;
}
