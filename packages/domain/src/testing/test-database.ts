import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { migrateDatabase } from '../db/migrate.ts';
import { type Dialect, openOrm } from '../db/orm-config.ts';
import { createScratchSchema, dropScratchSchema } from './pg-schema.ts';

export interface TestDatabase {
  orm: MikroORM;
  dialect: Dialect;
  /** A fresh EntityManager (its own identity map). */
  em(): EntityManager;
  close(): Promise<void>;
}

/** Which database the current test run targets (`KAM_TEST_DIALECT`, default sqlite). */
export function testDialect(): Dialect {
  return process.env.KAM_TEST_DIALECT === 'postgresql' ? 'postgresql' : 'sqlite';
}

/**
 * A fresh, migrated database for one test file: an in-memory SQLite database, or, when
 * the run targets PostgreSQL, a new schema on `KAM_TEST_DATABASE_URL` that `close()` drops.
 */
export async function createTestDatabase(
  options: { onQuery?: (sql: string) => void } = {},
): Promise<TestDatabase> {
  const dialect = testDialect();
  if (dialect === 'sqlite') {
    const orm = await openOrm({ url: ':memory:', onQuery: options.onQuery });
    await migrateDatabase(orm);
    return { orm, dialect, em: () => orm.em.fork(), close: () => orm.close(true) };
  }
  const url = process.env.KAM_TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      'KAM_TEST_DIALECT=postgresql needs KAM_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test).',
    );
  const schema = await createScratchSchema(url);
  const orm = await openOrm({ url, schema, poolSize: 4, onQuery: options.onQuery });
  await migrateDatabase(orm);
  return {
    orm,
    dialect,
    em: () => orm.em.fork(),
    close: async () => {
      await orm.close(true);
      await dropScratchSchema(url, schema);
    },
  };
}
