import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { dialectOf, type MikroORM, openOrm, pendingMigrations, sqlitePath } from '@kam/domain';
import type { KamEnv } from '../env.ts';
import { makeFolders } from '../ops/paths.ts';
import { withoutPassword } from '../ops/urls.ts';

/**
 * A SQLite `DATABASE_URL` that names no file, said as such: opening it would create an empty
 * database (and its folder), which the command would then call "behind the code".
 */
export function assertSqliteFileExists(databaseUrl: string): void {
  if (dialectOf(databaseUrl) !== 'sqlite') return;
  const file = sqlitePath(databaseUrl);
  if (file === ':memory:' || existsSync(file)) return;
  throw new Error(
    `There is no database at ${path.resolve(file)}; check DATABASE_URL (kam migrate creates one).`,
  );
}

/**
 * A SQLite `DATABASE_URL` that names a folder, said as such: SQLite says only "unable to open
 * database file".
 */
export function assertNotAFolder(file: string): void {
  if (file === ':memory:' || !existsSync(file) || !statSync(file).isDirectory()) return;
  const folder = path.resolve(file);
  throw new Error(
    `${folder} is a folder; DATABASE_URL must name the SQLite database file (e.g. ${path.join(folder, 'kam.sqlite')}).`,
  );
}

/** SQLite's "file is not a database" (a text file, say), or null for any other error. */
export function notASqliteDatabase(file: string, error: unknown): Error | null {
  if ((error as { code?: unknown } | null)?.code !== 'SQLITE_NOTADB') return null;
  return new Error(
    `${path.resolve(file)} is not a SQLite database (${(error as Error).message}); check DATABASE_URL: it must name kam's SQLite database file.`,
  );
}

/**
 * Opens the configured database. A SQLite file that is not there is refused, unless `create`
 * (`kam migrate`, `kam demo`): then it is created, with its folder.
 */
export async function openDatabase(env: KamEnv, options: { create?: boolean } = {}): Promise<MikroORM> {
  if (dialectOf(env.DATABASE_URL) === 'sqlite') {
    const file = sqlitePath(env.DATABASE_URL);
    assertNotAFolder(file);
    if (!options.create) assertSqliteFileExists(env.DATABASE_URL);
    else if (file !== ':memory:') makeFolders(path.dirname(path.resolve(file)), 'check DATABASE_URL');
  }
  let orm: MikroORM;
  try {
    orm = await openOrm({ url: env.DATABASE_URL, poolSize: env.KAM_DB_POOL });
  } catch (error) {
    throw (
      notASqliteFile(env.DATABASE_URL, error) ??
      new Error(
        `Cannot open the database at ${withoutPassword(env.DATABASE_URL)}: ${(error as Error).message}`,
      )
    );
  }
  // PostgreSQL connects lazily: ask now, so that a wrong address, database or role fails here,
  // said plainly, rather than as a bare "connect ECONNREFUSED" from the first real query.
  try {
    await orm.em.getConnection().execute('select 1');
  } catch (error) {
    await orm.close(true).catch(() => {});
    throw (
      notASqliteFile(env.DATABASE_URL, error) ??
      new Error(
        `Cannot reach the database at ${withoutPassword(env.DATABASE_URL)}: ${(error as Error).message}. Check that the server runs there and accepts connections, and that DATABASE_URL names it.`,
      )
    );
  }
  return orm;
}

function notASqliteFile(databaseUrl: string, error: unknown): Error | null {
  return dialectOf(databaseUrl) === 'sqlite' ? notASqliteDatabase(sqlitePath(databaseUrl), error) : null;
}

/** Fails with a clear instruction when the schema is behind the code. */
export async function assertMigrated(orm: MikroORM): Promise<void> {
  const pending = await pendingMigrations(orm);
  if (pending.length) {
    throw new Error(
      `The database needs ${pending.length} migration(s) (${pending.join(', ')}). Run \`kam migrate\` first.`,
    );
  }
}
