import type { MikroORM } from '@mikro-orm/core';
import { systemActor } from '../common/actor.ts';
import { ensureReferenceData } from '../settings/reference-data.ts';

export interface MigrationReport {
  applied: string[];
  referenceData: { created: number };
}

/**
 * Brings a database up to date: applies every pending migration (each in a transaction),
 * then creates the reference data that is missing (settings, service standards, KPI
 * definitions, and the ten service elements when there are none: an administrator's removal
 * stays). Safe to run again; it never changes existing rows.
 */
export async function migrateDatabase(orm: MikroORM): Promise<MigrationReport> {
  const applied = await orm.migrator.up();
  const created = await ensureReferenceData(orm.em.fork(), systemActor('migrate'));
  return { applied: applied.map(m => m.name), referenceData: { created } };
}

/** Migrations not yet applied to this database. */
export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.migrator.getPending()).map(m => m.name);
}
