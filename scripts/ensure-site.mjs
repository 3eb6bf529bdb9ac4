// Builds the tracking site when its build is missing or older than its sources, so `npm start`
// always serves the current pages. A fresh `npm install` already built it (the `prepare` script).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = 'tracking-site';
const built = join(root, 'dist', 'index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const sources = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'astro.config.mjs')).mtimeMs);
if (existsSync(built) && statSync(built).mtimeMs >= sources) process.exit(0);
console.log('building the tracking site…');
const result = spawnSync('npx', ['astro', 'build', '--root', root], {
  stdio: 'inherit',
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
});
process.exit(result.status ?? 1);
