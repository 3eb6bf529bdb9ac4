import type { Orm } from './orm.js';
import { migrate } from './orm.js';

/** Arbitrary constant naming the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK_ID = 727_001;

/** Applies pending migrations while holding an advisory lock, so an api and a worker starting together do not race. */
export async function migrateWithLock(orm: Orm): Promise<string[]> {
  const knex = orm.em.getConnection().getKnex();
  const connection = await knex.client.acquireConnection();
  try {
    await connection.query(`select pg_advisory_lock(${MIGRATION_LOCK_ID})`);
    return await migrate(orm);
  } finally {
    await connection.query(`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`).catch(() => undefined);
    await knex.client.releaseConnection(connection);
  }
}
