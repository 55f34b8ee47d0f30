import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { dialectOf, type MikroORM, sqlitePath } from '@kam/domain';
import type Database from 'better-sqlite3';
import { assertNotAFolder, notASqliteDatabase } from '../cli/database.ts';
import { makeFolders, resolvedPath } from './paths.ts';

/** Copies every remaining page in one step: one read transaction, so the copy is consistent. */
const ALL_PAGES = 0x7fffffff;

const MIGRATION_TABLE = 'mikro_orm_migrations';
/** The tables `kam migrate` fills with reference data (ensureReferenceData), audited as by `migrate`. */
const REFERENCE_TABLES = new Set(['settings', 'service_standard', 'service_element', 'kpi_definition']);
const MIGRATE_ACTOR = 'migrate';

type NativeSqlite = Database.Database;

async function nativeClient(orm: MikroORM): Promise<NativeSqlite> {
  const connection = orm.em.getConnection() as unknown as { getNativeClient(): Promise<NativeSqlite> };
  return connection.getNativeClient();
}

function assertSqlite(url: string, what: string): void {
  if (dialectOf(url) !== 'sqlite') {
    throw new Error(
      `${what} works on the embedded SQLite database. For PostgreSQL use pg_dump -Fc and pg_restore (see docs/operations.md).`,
    );
  }
}

export interface BackupReport {
  file: string;
  bytes: number;
  pages: number;
}

/**
 * Makes a consistent copy of the SQLite database with SQLite's online backup API, while
 * the server keeps running (WAL lets it keep writing). The copy is then checked with
 * `pragma integrity_check`.
 */
export async function backupDatabase(orm: MikroORM, databaseUrl: string, out: string): Promise<BackupReport> {
  assertSqlite(databaseUrl, 'kam backup');
  // The empty path is the working folder, which would be said to "already exist".
  if (out.trim() === '') throw new Error('--out is empty; give the path of the backup file to create.');
  const target = path.resolve(out);
  assertNotTheDatabase(databaseUrl, target, 'choose a new file name for the backup');
  if (existsSync(target)) throw new Error(`${target} already exists; choose a new file name for the backup.`);
  if (!existsSync(path.dirname(target))) {
    throw new Error(
      `${path.dirname(target)} does not exist: create the folder, or choose another place for --out.`,
    );
  }
  const db = await nativeClient(orm);
  // A copy of a database that is not kam's (an empty one a mistyped DATABASE_URL opened) would
  // only be refused afterwards, and left behind to block the next attempt.
  if (!hasMigrationTable(db)) {
    throw new Error(
      `${sqlitePath(databaseUrl)} is not a kam database (it has no migration table); check DATABASE_URL, or run kam migrate first.`,
    );
  }
  const result = await db.backup(target, { progress: () => ALL_PAGES });
  try {
    await checkIntegrity(target);
  } catch (error) {
    rmSync(target, { force: true });
    throw error;
  }
  return { file: target, bytes: statSync(target).size, pages: result.totalPages };
}

function hasMigrationTable(db: NativeSqlite): boolean {
  const { n } = db
    .prepare("select count(*) as n from sqlite_master where type = 'table' and name = ?")
    .get(MIGRATION_TABLE) as { n: number };
  return n > 0;
}

/** A backup made onto the database, or restored from it, would copy the database onto itself. */
function assertNotTheDatabase(databaseUrl: string, file: string, advice: string): void {
  if (resolvedPath(sqlitePath(databaseUrl)) === resolvedPath(file))
    throw new Error(`The backup file cannot be the database itself: ${advice}.`);
}

/**
 * The first table in which a SQLite file holds data, or null. Data is any row, except, in a kam
 * database, the migration table, the reference data `kam migrate` writes and the audit entries
 * it writes for them: a database just made by `kam migrate` holds none. A change to the
 * reference data is audited under whoever made it, and so is data.
 */
async function tableWithData(file: string): Promise<string | null> {
  const { db, close } = await openReadOnly(file);
  try {
    const tables = db
      .prepare(
        // The audit trail last: the message names the table of the data itself when there is one.
        "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name = 'audit_entry', name",
      )
      .pluck()
      .all() as string[];
    const kam = tables.includes(MIGRATION_TABLE);
    for (const table of tables) {
      if (kam && (table === MIGRATION_TABLE || REFERENCE_TABLES.has(table))) continue;
      const row =
        kam && table === 'audit_entry'
          ? db.prepare('select 1 from audit_entry where actor_label <> ? limit 1').get(MIGRATE_ACTOR)
          : db.prepare(`select 1 from "${table.replaceAll('"', '""')}" limit 1`).get();
      if (row) return table;
    }
    return null;
  } catch (error) {
    throw notASqliteDatabase(file, error) ?? error;
  } finally {
    close();
  }
}

/**
 * Opens a SQLite file read-only. A copy made by the backup API is in WAL mode, and a read-only
 * connection to it creates `<file>-wal` (empty) and `<file>-shm` that it does not remove when it
 * closes; the returned `close` removes them, but only those this connection created.
 */
async function openReadOnly(file: string): Promise<{ db: NativeSqlite; close(): void }> {
  const { default: Sqlite } = await import('better-sqlite3');
  const wal = `${file}-wal`;
  const shm = `${file}-shm`;
  const hadWal = existsSync(wal);
  const hadShm = existsSync(shm);
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  return {
    db,
    close() {
      db.close();
      // A read-only connection writes nothing to the -wal: one it created is empty.
      if (!hadWal && existsSync(wal) && statSync(wal).size === 0) rmSync(wal, { force: true });
      if (!hadShm && existsSync(shm)) rmSync(shm, { force: true });
    },
  };
}

/** `pragma integrity_check` on a SQLite file; throws when it is not `ok`. */
export async function checkIntegrity(file: string): Promise<void> {
  const { db, close } = await openReadOnly(file);
  try {
    let rows: { integrity_check: string }[];
    try {
      rows = db.pragma('integrity_check') as { integrity_check: string }[];
    } catch (error) {
      // "file is not a database": SQLite says no more.
      throw new Error(
        `${file} is not a SQLite database (${(error as Error).message}); give a file made by kam backup.`,
      );
    }
    const verdict = rows.map(r => r.integrity_check).join('; ');
    if (verdict !== 'ok') throw new Error(`${file} failed its integrity check: ${verdict}`);
    if (!hasMigrationTable(db)) throw new Error(`${file} is not a kam database (it has no migration table).`);
  } finally {
    close();
  }
}

/**
 * Restores a backup into the configured SQLite database with the online backup API (the
 * reverse direction), after checking the backup's integrity; a database that holds data (see
 * `tableWithData`) is replaced only with `force`, and a file that is not a SQLite database
 * never. Stop the server first.
 */
export async function restoreDatabase(
  databaseUrl: string,
  backupFile: string,
  options: { force?: boolean } = {},
): Promise<{ pages: number }> {
  assertSqlite(databaseUrl, 'kam restore');
  if (backupFile.trim() === '')
    throw new Error('The backup file is empty; give the path of a file made by kam backup.');
  const source = path.resolve(backupFile);
  if (!existsSync(source))
    throw new Error(`${source} does not exist: give the path of a file made by kam backup.`);
  if (!statSync(source).isFile())
    throw new Error(`${source} is not a file: give the path of a file made by kam backup.`);
  assertNotTheDatabase(databaseUrl, source, 'give a file made by kam backup');
  // The backup is checked before anything else is said about the database it would replace.
  await checkIntegrity(source);
  if (sqlitePath(databaseUrl) === ':memory:') {
    throw new Error(
      'kam restore needs DATABASE_URL to name a SQLite file; :memory: is a database that lives only as long as the process.',
    );
  }
  const target = path.resolve(sqlitePath(databaseUrl));
  assertNotAFolder(target);
  // Asked with --force too: a file that is not a database is refused, not overwritten.
  const table = existsSync(target) ? await tableWithData(target) : null;
  if (table && !options.force) {
    throw new Error(
      `${target} already holds data (rows in ${table}); pass --force to replace it with ${source} (stop the server first).`,
    );
  }
  // As `kam migrate` does: a new machine's data folder may not be there yet.
  makeFolders(path.dirname(target), 'check DATABASE_URL');
  const { db, close } = await openReadOnly(source);
  try {
    const result = await db.backup(target, { progress: () => ALL_PAGES });
    return { pages: result.totalPages };
  } finally {
    close();
  }
}
