import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ENTITIES } from '../../api/src/app/entities.js';
import { startEmbeddedPostgres } from '../../api/src/infra/db/embedded-postgres.js';
import { migrate, openOrm } from '../../api/src/infra/db/orm.js';
import { createLogger } from '../../api/src/infra/logging/logger.js';
import { onCleanup } from './cleanup.js';

export interface BenchPostgres {
  url: string;
  /** The folder holding the data directory; removed by the clean-up. */
  dir: string;
  /** PostgreSQL's server version, e.g. "18.1". */
  version: string;
  /** A pool on the benchmark database. */
  pool: pg.Pool;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no free port'));
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * Starts a throw-away PostgreSQL from the embedded binaries (the same server and settings
 * `npm start` uses) in a new temp folder on a free port of 127.0.0.1, and applies the platform's
 * migrations. Stopping it and removing the folder is registered with `onCleanup`.
 */
export async function startBenchPostgres(name: string, poolMax = 10): Promise<BenchPostgres> {
  const dir = mkdtempSync(join(tmpdir(), `orderops-bench-${name}-`));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const database = await startEmbeddedPostgres({
    dataDir: dir,
    port,
    database: 'orderops_bench',
    logger: createLogger('warn', `bench-${name}-postgres`),
  });
  onCleanup(() => database.stop());

  const orm = await openOrm(database.url, ENTITIES, 2);
  try {
    await migrate(orm);
  } finally {
    await orm.close(true);
  }
  const pool = new pg.Pool({ connectionString: database.url, max: poolMax });
  pool.on('error', () => undefined);
  onCleanup(() => pool.end());
  const { rows } = await pool.query<{ server_version: string }>('show server_version');
  return { url: database.url, dir, version: rows[0].server_version, pool };
}
