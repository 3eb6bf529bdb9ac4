import { type EntityClass, MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { MIGRATIONS } from './migrations/index.js';
import { connectionLimits, type DatabaseLimits, DEFAULT_DATABASE_LIMITS } from './pool.js';

export type Orm = MikroORM<PostgreSqlDriver>;

/**
 * Opens the ORM on a PostgreSQL URL. Entities are listed explicitly and migrations come from a
 * static list, so the same code runs from TypeScript sources and from compiled JavaScript.
 */
export async function openOrm(
  url: string,
  entities: EntityClass<unknown>[],
  poolMax = 20,
  limits: DatabaseLimits = DEFAULT_DATABASE_LIMITS,
): Promise<Orm> {
  return MikroORM.init<PostgreSqlDriver>({
    driver: PostgreSqlDriver,
    clientUrl: url,
    entities,
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    extensions: [Migrator],
    migrations: {
      tableName: 'schema_migrations',
      migrationsList: MIGRATIONS,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    // knex listens for connection errors itself and discards a broken connection; the limits keep
    // a frozen database from hanging a request.
    pool: { min: 0, max: poolMax },
    driverOptions: {
      connection: connectionLimits(limits),
      acquireConnectionTimeout: limits.connectTimeoutMs,
    },
    forceUtcTimezone: true,
    debug: false,
    allowGlobalContext: false,
  });
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
