import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../api/src/infra/db/embedded-postgres.js';
import { createLogger } from '../../api/src/infra/logging/logger.js';
import { freePort } from './free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the maintenance database of the PostgreSQL started for this test run. */
    postgresAdminUrl: string;
  }
}

/**
 * Starts one real PostgreSQL for the whole run on a free port, in a throw-away folder.
 * Each test file then creates its own database in it (see `test-database.ts`).
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'orderops-test-pg-'));
  const port = await freePort();
  const database = await startEmbeddedPostgres({
    dataDir: dir,
    port,
    database: 'postgres',
    logger: createLogger('warn', 'test-postgres'),
  }).catch((error: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  project.provide('postgresAdminUrl', database.url);
  return async () => {
    await database.stop();
    // As root in a folder the postgres user cannot reach, the cluster lives elsewhere.
    rmSync(database.clusterDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  };
}
