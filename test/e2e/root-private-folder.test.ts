import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_BASE } from '../../api/src/infra/db/postgres-user-runtime.js';
import { freePort } from '../support/free-port.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The README's two commands as root, in a checkout inside a private (0700) folder, as after
 * `git clone` into root's home or a `mktemp -d` folder: PostgreSQL runs as the `postgres` user,
 * which cannot enter that folder. The checkout is the tracked and new files of this one, with
 * node_modules hard-linked (no install); scripts/check-fresh-clone.sh does the same from a real
 * `git clone` and `npm install`.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const isRoot = userInfo().uid === 0;
if (!isRoot) console.log('root-private-folder: skipped, it needs root (PostgreSQL then runs as `postgres`)');

function run(proc: ChildProcess): { output(): string; exited: Promise<number | string> } {
  let text = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  proc.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { output: () => text, exited };
}

function clusters(): string[] {
  const dir = join(RUNTIME_BASE, 'clusters');
  return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
}

function postgresProcessesFor(clusterDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(clusterDir)) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

describe.skipIf(!isRoot)('as root, a checkout in a 0700 folder', () => {
  let privateDir = '';
  let app = '';
  const env = { ...process.env, LOG_LEVEL: 'info', DEMO_SEED: 'false', DEMO_SIMULATOR: 'false' } as Record<
    string,
    string | undefined
  >;
  delete env.DATABASE_URL;
  delete env.MONGODB_URL;
  delete env.DATA_DIR;

  beforeAll(() => {
    privateDir = mkdtempSync(join(tmpdir(), 'orderops-private-'));
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    app = join(privateDir, 'app');
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((file) => file && existsSync(join(ROOT, file)));
    for (const file of files) {
      mkdirSync(dirname(join(app, file)), { recursive: true });
      copyFileSync(join(ROOT, file), join(app, file));
    }
    // Hard links when the temp folder is on the same file system, a full copy otherwise.
    try {
      execFileSync('cp', ['-al', join(ROOT, 'node_modules'), join(app, 'node_modules')], { stdio: 'ignore' });
    } catch {
      rmSync(join(app, 'node_modules'), { recursive: true, force: true });
      execFileSync('cp', ['-a', join(ROOT, 'node_modules'), join(app, 'node_modules')]);
    }
    if (existsSync(join(ROOT, 'tracking-site/dist')))
      cpSync(join(ROOT, 'tracking-site/dist'), join(app, 'tracking-site/dist'), { recursive: true });
    chmodSync(privateDir, 0o700);
  }, 120_000);

  afterAll(() => {
    const link = app && existsSync(join(app, '.data')) ? readlinkSync(join(app, '.data', 'pg')) : null;
    if (link?.startsWith(RUNTIME_BASE)) rmSync(link, { recursive: true, force: true });
    if (privateDir) rmSync(privateDir, { recursive: true, force: true });
  });

  it('npm start becomes ready, keeps its cluster where postgres can reach it, and stops it', async () => {
    const port = await freePort();
    const pgPort = await freePort();
    const proc = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts', 'start'], {
      cwd: app,
      env: {
        ...env,
        PORT: String(port),
        EMBEDDED_PG_PORT: String(pgPort),
        ADMIN_PASSWORD: 'root-folder-admin-pass',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const platform = run(proc);
    try {
      await waitFor(
        async () => {
          if (proc.exitCode !== null) throw new Error(`exited ${proc.exitCode}\n${platform.output()}`);
          return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200;
        },
        { timeoutMs: 120_000, intervalMs: 200, message: 'readyz' },
      );
    } finally {
      proc.kill('SIGTERM');
    }
    expect(await platform.exited).toBe(0);
    const clusterDir = readlinkSync(join(app, '.data', 'pg'));
    expect(clusterDir.startsWith(join(RUNTIME_BASE, 'clusters'))).toBe(true);
    expect(existsSync(join(clusterDir, 'PG_VERSION'))).toBe(true);
    expect(platform.output()).toContain('the postgres user cannot reach');
    expect(postgresProcessesFor(clusterDir)).toEqual([]);
  }, 240_000);

  it('npm test (its PostgreSQL set-up, with TMPDIR private too) prints its summary and leaves nothing behind', async () => {
    const before = clusters();
    const proc = spawn(
      process.execPath,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        '--project',
        'integration',
        'test/integration/db/migrations.test.ts',
      ],
      {
        cwd: app,
        env: { ...env, TMPDIR: privateDir, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const vitest = run(proc);
    const code = await vitest.exited;
    expect(vitest.output()).toMatch(/Test Files\s+1 passed/);
    expect(code).toBe(0);
    const leftovers = readdirSync(privateDir).filter((name) => name !== 'app');
    expect(leftovers).toEqual([]);
    expect(clusters().sort()).toEqual(before.sort());
  }, 240_000);
});
