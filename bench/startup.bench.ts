import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Start-up benchmark: seconds from spawning `npm start` (exactly as a person would run it) until
 * `GET /readyz` answers 200, polled every 50 ms, with the embedded PostgreSQL. START_MODE=compiled
 * (default) runs `npm start` (compiled dist/, built before the first run), START_MODE=ts runs
 * `npm run start:ts` (TypeScript through tsx). The Node that runs the bench runs the platform
 * (put another Node first in PATH to measure it).
 *
 *   cold                   empty DATA_DIR: initdb, first start, migrations           ×3, new folder each
 *   warm                   same DATA_DIR again after a graceful SIGTERM stop          ×5
 *   restart after kill -9  same DATA_DIR after `kill -9` of the platform process; its
 *                          PostgreSQL is left running and the platform must shut it down ×1
 *
 * Run: npm run bench:startup   (START_MODE, COLD_RUNS, WARM_RUNS, READY_TIMEOUT_S to vary)
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COLD_RUNS = Number(process.env.COLD_RUNS ?? 3);
const WARM_RUNS = Number(process.env.WARM_RUNS ?? 5);
const READY_TIMEOUT_MS = Number(process.env.READY_TIMEOUT_S ?? 120) * 1000;
const STOP_TIMEOUT_MS = 45_000;
const POLL_MS = 50;
const GOALS = { warm: 3, cold: 10 } as const;
const MODE = process.env.START_MODE === 'ts' ? 'ts' : 'compiled';
const NPM_ARGS = MODE === 'ts' ? ['run', 'start:ts'] : ['start'];
const ENTRY = MODE === 'ts' ? 'api/src/main.ts' : 'dist/main.js';

interface Run {
  proc: ChildProcess;
  /** Process group of `npm start` and everything it spawned (postmaster included). */
  pgid: number;
  port: number;
  pgPort: number;
  dataDir: string;
  output(): string;
  exited: Promise<number | string>;
}

const groups = new Set<number>();
const tempDirs = new Set<string>();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const secs = (ms: number) => Math.round(ms) / 1000;
const fmt = (s: number) => `${s.toFixed(2)} s`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function newDataDir(): string {
  const dir = mkdtempSync(join(os.tmpdir(), 'orderops-bench-startup-'));
  tempDirs.add(dir);
  return dir;
}

/** Processes of a group that have not exited yet (zombies count as gone). */
function liveMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

function isLive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The `node … <entry> start` process under `npm start` (npm and sh do not forward SIGTERM). */
function platformPid(pgid: number): number | null {
  for (const pid of liveMembers(pgid)) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmdline.includes(ENTRY) && !cmdline.includes('-c')) return pid;
    } catch {
      // exited while we looked
    }
  }
  return null;
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function waitGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (liveMembers(pgid).length === 0) {
      groups.delete(pgid);
      return true;
    }
    await sleep(POLL_MS);
  }
  return false;
}

function startNpm(dataDir: string, port: number, pgPort: number): Run {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    EMBEDDED_PG_PORT: String(pgPort),
    DATA_DIR: dataDir,
  };
  // The figures are for the embedded PostgreSQL that `npm start` uses out of the box.
  delete env.DATABASE_URL;
  delete env.MONGODB_URL;
  const proc = spawn('npm', NPM_ARGS, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (proc.pid === undefined) throw new Error('could not spawn npm start');
  groups.add(proc.pid);
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-20_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) =>
    proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { proc, pgid: proc.pid, port, pgPort, dataDir, output: () => text, exited };
}

function readyStatus(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/** Spawns `npm start` and returns it with the seconds until /readyz answered 200. */
async function timedStart(dataDir: string): Promise<{ run: Run; seconds: number }> {
  const [port, pgPort] = [await freePort(), await freePort()];
  const t0 = performance.now();
  const run = startNpm(dataDir, port, pgPort);
  let exitedWith: number | string | null = null;
  void run.exited.then((code) => {
    exitedWith = code;
  });
  for (let tick = 1; ; tick++) {
    if ((await readyStatus(port)) === 200) return { run, seconds: secs(performance.now() - t0) };
    if (exitedWith !== null)
      throw new Error(`npm start exited (${exitedWith}) before it was ready\n${run.output()}`);
    if (performance.now() - t0 > READY_TIMEOUT_MS)
      throw new Error(`/readyz not 200 within ${READY_TIMEOUT_MS / 1000} s\n${run.output()}`);
    await sleep(Math.max(0, t0 + tick * POLL_MS - performance.now()));
  }
}

/**
 * SIGTERM to the platform process, then waits until npm, node and PostgreSQL have all exited.
 * Returns the seconds that took and npm's exit code (non-zero when the platform had to force its exit).
 */
async function gracefulStop(run: Run): Promise<{ seconds: number; code: number | string }> {
  const t0 = performance.now();
  const pid = platformPid(run.pgid);
  if (pid === null) console.log(`  platform process not found; SIGTERM to process group ${run.pgid}`);
  process.kill(pid ?? -run.pgid, 'SIGTERM');
  const code = await Promise.race([run.exited, sleep(STOP_TIMEOUT_MS).then(() => 'timeout')]);
  if (!(await waitGroupGone(run.pgid, Math.max(1000, STOP_TIMEOUT_MS - (performance.now() - t0)))))
    throw new Error(
      `still running ${STOP_TIMEOUT_MS / 1000} s after SIGTERM (npm: ${code})\n${run.output()}`,
    );
  return { seconds: secs(performance.now() - t0), code };
}

const load = () => Math.round(os.loadavg()[0] * 100) / 100;

function postmasterPid(dataDir: string): number | null {
  const file = join(dataDir, 'pg', 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { runs: values, min: sorted[0], median: Math.round(median * 1000) / 1000, max: sorted.at(-1)! };
}

function cleanup(): void {
  for (const pgid of groups) killGroup(pgid);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}

process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
  node: process.version,
  os: `${os.type()} ${os.release()}`,
  loadAverage1mAtStart: load(),
  loadAverage1mAtEnd: 0,
};

async function main() {
  console.log(
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.os}`,
  );
  console.log(`load average (1 min) at start: ${machine.loadAverage1mAtStart}`);
  // Build the tracking site now if it is stale, so no measured run includes an Astro build.
  for (const script of ['scripts/ensure-site.mjs', 'scripts/ensure-api-build.mjs']) {
    const built = spawnSync(process.execPath, [script], { cwd: ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error(`${script} failed`);
  }
  console.log(`mode: ${MODE} (npm ${NPM_ARGS.join(' ')}, ${ENTRY})`);

  const cold: number[] = [];
  const stops: number[] = [];
  const stopCodes: Array<number | string> = [];
  const stopped = (stop: { seconds: number; code: number | string }) => {
    stops.push(stop.seconds);
    stopCodes.push(stop.code);
    return `graceful stop ${fmt(stop.seconds)}, exit ${stop.code}`;
  };
  let dataDir = '';
  for (let i = 1; i <= COLD_RUNS; i++) {
    if (dataDir) {
      rmSync(dataDir, { recursive: true, force: true });
      tempDirs.delete(dataDir);
    }
    dataDir = newDataDir();
    const { run, seconds } = await timedStart(dataDir);
    cold.push(seconds);
    console.log(`cold ${i}/${COLD_RUNS}: ready in ${fmt(seconds)} (load ${load()}); stopping…`);
    console.log(`  ${stopped(await gracefulStop(run))}`);
  }

  const warm: number[] = [];
  let last: Run | null = null;
  for (let i = 1; i <= WARM_RUNS; i++) {
    const { run, seconds } = await timedStart(dataDir);
    warm.push(seconds);
    if (i < WARM_RUNS) {
      console.log(`warm ${i}/${WARM_RUNS}: ready in ${fmt(seconds)} (load ${load()}); stopping…`);
      console.log(`  ${stopped(await gracefulStop(run))}`);
    } else {
      console.log(`warm ${i}/${WARM_RUNS}: ready in ${fmt(seconds)} (load ${load()}); stopping with kill -9`);
      last = run;
    }
  }

  // kill -9 of the platform process only: its PostgreSQL survives, holding the data dir.
  const killed = last!;
  const pid = platformPid(killed.pgid);
  if (pid === null) throw new Error('platform process not found under npm start');
  process.kill(pid, 'SIGKILL');
  await killed.exited;
  const orphan = postmasterPid(dataDir);
  const orphanLeft = orphan !== null && isLive(orphan);
  console.log(
    orphanLeft
      ? `killed the platform (pid ${pid}) with -9; its PostgreSQL (pid ${orphan}) is still running`
      : `killed the platform (pid ${pid}) with -9; no PostgreSQL was left running`,
  );
  const { run: restarted, seconds: afterKill } = await timedStart(dataDir);
  const orphanStopped = orphan !== null && !isLive(orphan);
  const warned = restarted.output().includes('left by a previous run');
  console.log(
    `restart after kill -9: ready in ${fmt(afterKill)}  (leftover PostgreSQL shut down by the platform: ${
      orphanLeft ? (orphanStopped && warned ? 'yes' : 'NO') : 'none left'
    })`,
  );
  if (orphanLeft && !orphanStopped)
    throw new Error(`PostgreSQL pid ${orphan} from the killed run is still running`);
  console.log(`  ${stopped(await gracefulStop(restarted))}`);
  killGroup(killed.pgid);
  groups.delete(killed.pgid);

  machine.loadAverage1mAtEnd = load();
  const coldStats = { ...stats(cold), goalSeconds: GOALS.cold, met: Math.max(...cold) <= GOALS.cold };
  const warmStats = { ...stats(warm), goalSeconds: GOALS.warm, met: Math.max(...warm) <= GOALS.warm };
  const stopStats = { ...stats(stops), exitCodes: stopCodes };
  const row = (name: string, s: { runs: number[]; min: number; median: number; max: number }, goal: string) =>
    `  ${name.padEnd(24)}${String(s.runs.length).padStart(4)}  ${fmt(s.min).padStart(8)}  ${fmt(s.median).padStart(8)}  ${fmt(s.max).padStart(8)}  ${goal}`;
  const goal = (g: number, met: boolean) => `≤ ${g} s  ${met ? 'met' : 'NOT met'}`;
  console.log(
    `\nStart-up (${MODE}): \`npm ${NPM_ARGS.join(' ')}\` until GET /readyz answers 200 (polled every 50 ms)\n`,
  );
  console.log(`  ${'run'.padEnd(24)}runs       min    median       max  goal (every run)`);
  console.log(row('cold (empty DATA_DIR)', coldStats, goal(GOALS.cold, coldStats.met)));
  console.log(row('warm (same DATA_DIR)', warmStats, goal(GOALS.warm, warmStats.met)));
  console.log(row('restart after kill -9', stats([afterKill]), goal(GOALS.warm, afterKill <= GOALS.warm)));
  const codes = [...new Set(stopCodes)].join(', ');
  console.log(row('graceful stop (SIGTERM)', stopStats, `npm exit code ${codes}`));
  console.log(
    `\n  ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.os}` +
      `; load average (1 min) ${machine.loadAverage1mAtStart} at start, ${machine.loadAverage1mAtEnd} at end\n`,
  );
  console.log(
    JSON.stringify({
      bench: 'startup',
      command: `npm ${NPM_ARGS.join(' ')}`,
      mode: MODE,
      pollMs: POLL_MS,
      date: new Date().toISOString(),
      cold: coldStats,
      warm: warmStats,
      restartAfterKill9: {
        seconds: afterKill,
        leftoverPostmaster: orphanLeft,
        leftoverStoppedByPlatform: orphanLeft && orphanStopped && warned,
        goalSeconds: GOALS.warm,
        met: afterKill <= GOALS.warm,
      },
      gracefulStop: stopStats,
      machine,
    }),
  );
}

try {
  await main();
  cleanup();
} catch (error) {
  cleanup();
  console.error(`startup bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
