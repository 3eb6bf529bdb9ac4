import pg from 'pg';
import { ENTITIES } from '../../api/src/app/entities.js';
import { migrate, type Orm, openOrm } from '../../api/src/infra/db/orm.js';
import { createTestDatabase } from './test-database.js';

export interface MigratedDb {
  url: string;
  pool: pg.Pool;
  orm: Orm;
  close(): Promise<void>;
}

/** A database of its own, migrated as the platform migrates it, with a pool and an ORM on it. */
export async function openMigratedDb(prefix: string, poolMax = 10): Promise<MigratedDb> {
  const database = await createTestDatabase(prefix);
  const orm = await openOrm(database.url, ENTITIES, 2);
  await migrate(orm);
  const pool = new pg.Pool({ connectionString: database.url, max: poolMax });
  // A test that terminates backends on purpose must not crash the run through an idle client.
  pool.on('error', () => undefined);
  return {
    url: database.url,
    pool,
    orm,
    async close() {
      await pool.end();
      await orm.close(true);
      await database.drop();
    },
  };
}
