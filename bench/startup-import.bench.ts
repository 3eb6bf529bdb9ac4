import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * The part of start-up that compiling removes: a fresh Node process loading the platform's whole
 * module graph (`app/platform`), from dist/ (plain `node`) and from the sources (`node --import
 * tsx`), until the import resolves. The two alternate, run after run, so machine load (this VM is
 * shared) weighs on both alike. The Node that runs the bench runs both.
 *
 * Run: npm run bench:startup-import   (RUNS to vary, default 10 of each)
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 10);
const probe = (specifier: string) =>
  `const t0 = performance.now(); await import(${JSON.stringify(specifier)}); ` +
  'process.stdout.write(String(performance.now() - t0)); process.exit(0);';

const MODES = {
  compiled: ['--input-type=module', '-e', probe('./dist/app/platform.js')],
  ts: ['--import', 'tsx', '--input-type=module', '-e', probe('./api/src/app/platform.ts')],
} as const;

function once(args: readonly string[]): { importMs: number; processMs: number } {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const processMs = performance.now() - t0;
  if (run.status !== 0) throw new Error(`import failed: ${run.stderr}`);
  return { importMs: Number(run.stdout), processMs };
}

const built = spawnSync(process.execPath, ['scripts/ensure-api-build.mjs'], { cwd: ROOT, stdio: 'inherit' });
if (built.status !== 0) throw new Error('scripts/ensure-api-build.mjs failed');
const load = () => Math.round(os.loadavg()[0] * 100) / 100;
const loadAtStart = load();
const samples = { compiled: [] as number[], ts: [] as number[] };
const processes = { compiled: [] as number[], ts: [] as number[] };
once(MODES.compiled);
once(MODES.ts);
for (let i = 0; i < RUNS; i++)
  for (const mode of ['compiled', 'ts'] as const) {
    const { importMs, processMs } = once(MODES[mode]);
    samples[mode].push(importMs / 1000);
    processes[mode].push(processMs / 1000);
  }

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (s: number) => `${s.toFixed(2)} s`;
console.log(`\nLoading the platform's modules in a new process (${RUNS} runs each, alternating)\n`);
console.log('  mode         import median   min      max      whole process median');
for (const mode of ['compiled', 'ts'] as const)
  console.log(
    `  ${mode.padEnd(12)} ${fmt(median(samples[mode])).padStart(13)}   ${fmt(Math.min(...samples[mode]))}   ${fmt(
      Math.max(...samples[mode]),
    )}   ${fmt(median(processes[mode]))}`,
  );
const machine = `${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} cores, node ${process.version}`;
console.log(`\n  ${machine}; load average (1 min) ${loadAtStart} at start, ${load()} at end\n`);
console.log(
  JSON.stringify({
    bench: 'startup-import',
    runs: RUNS,
    compiled: { medianS: median(samples.compiled), processMedianS: median(processes.compiled) },
    ts: { medianS: median(samples.ts), processMedianS: median(processes.ts) },
    node: process.version,
    loadAtStart,
    loadAtEnd: load(),
  }),
);
