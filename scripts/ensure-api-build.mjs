// Compiles the API (api/src → dist/) when dist/ is missing or older than its sources, so
// `npm start`, `npm run api` and `npm run worker` run compiled JavaScript: loading TypeScript
// through tsx at every start costs seconds. `npm install` builds it once (the `prepare` script);
// later builds are incremental. A source deleted since the last build leaves its old .js behind,
// unused; `npm run build` (--force) after removing dist/ leaves none.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const stamp = join('dist', '.built');
const inputs = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const sources = Math.max(newestMtime(join('api', 'src')), ...inputs.map((file) => statSync(file).mtimeMs));
const force = process.argv.includes('--force');
if (!force && existsSync(stamp) && existsSync(join('dist', 'main.js')) && statSync(stamp).mtimeMs >= sources)
  process.exit(0);
console.log('compiling the API to dist/…');
const result = spawnSync(
  process.execPath,
  [
    'node_modules/typescript/bin/tsc',
    '-p',
    'tsconfig.build.json',
    '--incremental',
    '--tsBuildInfoFile',
    'dist/.tsbuildinfo',
  ],
  { stdio: 'inherit' },
);
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, `${new Date().toISOString()}\n`);
