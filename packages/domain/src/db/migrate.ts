import type { MikroORM } from '@mikro-orm/core';
import type { PostgreSqlConnection } from '@mikro-orm/postgresql';
import pg from 'pg';
import { systemActor } from '../common/actor.ts';
import { ensureReferenceData } from '../settings/reference-data.ts';
import { dialectOfEm } from './sql-writer.ts';

export interface MigrationReport {
  applied: string[];
  referenceData: { created: number };
}

/**
 * The first key of the PostgreSQL advisory lock `migrateDatabase` holds ("kam" in ASCII); the
 * second is the hash of the schema migrated, so that kam databases in other schemas of the
 * same PostgreSQL database do not wait for each other.
 */
const MIGRATION_LOCK = 0x6b616d;

/**
 * Brings a database up to date: applies every pending migration (each in a transaction),
 * then creates the reference data that is missing (settings, service standards, KPI
 * definitions, and the ten service elements when there are none: an administrator's removal
 * stays). Safe to run again; it never changes existing rows. Safe to run from several
 * processes at once: on PostgreSQL one migrates while the others wait, then find nothing to
 * do; on SQLite the database's write lock does the same.
 */
export async function migrateDatabase(orm: MikroORM): Promise<MigrationReport> {
  return withMigrationLock(orm, async () => {
    const applied = await orm.migrator.up();
    const created = await ensureReferenceData(orm.em.fork(), systemActor('migrate'));
    return { applied: applied.map(m => m.name), referenceData: { created } };
  });
}

/** Migrations not yet applied to this database. */
export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.migrator.getPending()).map(m => m.name);
}

/**
 * Runs `work` holding PostgreSQL's session advisory lock for migrations, released after it.
 * Without it, two `kam migrate` at once both found a table missing and both created it: the
 * second failed with `duplicate key value violates unique constraint "pg_type_typname_nsp_index"`.
 * The lock is held by a session of its own, with the pool's connection settings: MikroORM checks
 * its migration table outside the migrations' transaction, on another pooled connection, so a
 * lock taken in that transaction would come too late, and, with a pool of one connection, a
 * pooled connection held for the lock would leave none to migrate with. The lock goes with the
 * session: a process that dies while it migrates releases it.
 */
async function withMigrationLock<T>(orm: MikroORM, work: () => Promise<T>): Promise<T> {
  if (dialectOfEm(orm.em) !== 'postgresql') return work();
  const pool = (await (orm.em.getConnection() as PostgreSqlConnection).getNativeClient()) as pg.Pool;
  const client = new pg.Client(pool.options);
  // A dropped connection is an 'error' event, fatal without a listener; the lock goes with it.
  client.on('error', () => {});
  await client.connect();
  const schema = orm.config.get('schema') ?? null;
  const key = 'hashtext(coalesce($1::text, current_schema()))';
  try {
    await client.query(`select pg_advisory_lock(${MIGRATION_LOCK}, ${key})`, [schema]);
    return await work();
  } finally {
    // Closing the session releases the lock too; unlocking first says so without waiting for it.
    await client
      .query(`select pg_advisory_unlock(${MIGRATION_LOCK}, ${key})`, [schema])
      .catch(() => {})
      .finally(() => client.end().catch(() => {}));
  }
}
