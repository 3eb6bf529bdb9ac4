import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../../api/src/app/entities.js';
import { migrate, type Orm, openOrm } from '../../../api/src/infra/db/orm.js';
import { createTestDatabase } from '../../support/test-database.js';

/**
 * Migrations are generated from the entities (`npm run db:migration -- <name>`). On a database
 * with every migration applied, the entities and the schema must agree: otherwise the next
 * generated migration would carry changes nobody asked for.
 */
describe('migrations', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let orm: Orm;

  beforeAll(async () => {
    database = await createTestDatabase('migrations');
    orm = await openOrm(database.url, ENTITIES, 2);
    await migrate(orm);
  });

  afterAll(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  it('leave nothing pending and nothing for the generator to add', async () => {
    expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
    expect(await orm.getMigrator().checkMigrationNeeded()).toBe(false);
  });

  it('apply again as a no-op', async () => {
    await migrate(orm);
    expect(await orm.getMigrator().checkMigrationNeeded()).toBe(false);
  });
});
