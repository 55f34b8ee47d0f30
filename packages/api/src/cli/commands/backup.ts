import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import path from 'node:path';
import { dialectOf, openOrm, pendingMigrations, sqlitePath } from '@kam/domain';
import type { Command } from 'commander';
import { parseEnv } from '../../env.ts';
import { backupDatabase, restoreDatabase } from '../../ops/backup.ts';
import { userPath } from '../../ops/paths.ts';
import { openDatabase } from '../database.ts';

/** Why a file cannot be created in `folder`, by the error code creating it gave. */
const CANNOT_CREATE: Record<string, (folder: string) => string> = {
  ENOENT: folder => `the folder ${folder} does not take new files`,
  EACCES: folder => `permission denied in ${folder}`,
  EPERM: folder => `permission denied in ${folder}`,
  ENOTDIR: folder => `${folder} is a file, not a folder`,
  EROFS: folder => `the file system of ${folder} is read-only`,
  ENOSPC: () => 'no space left on the device',
};

/**
 * SQLite's bare "unable to open database file" when the backup file cannot be created, said with
 * the file and the reason: its folder takes no new files (/proc, where even root's permission
 * check passes), refuses us, or is read-only. SQLite gives no reason: creating the file once
 * finds it (and a file that could be created is removed again, the error left as it was).
 */
function backupNotCreated(out: string, error: unknown): Error | null {
  if ((error as { code?: unknown } | null)?.code !== 'SQLITE_CANTOPEN') return null;
  try {
    closeSync(openSync(out, 'wx'));
    rmSync(out, { force: true });
    return null;
  } catch (probe) {
    const reason = CANNOT_CREATE[String((probe as NodeJS.ErrnoException).code)];
    if (!reason) return null;
    return new Error(
      `Cannot create the backup file ${out}: ${reason(path.dirname(out))}; choose a folder you can write to for --out.`,
    );
  }
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description(
      'Make a consistent copy of the SQLite database while the server runs (SQLite online backup).',
    )
    .requiredOption('--out <file>', 'the backup file to create')
    .action(async (options: { out: string }) => {
      const out = userPath(options.out, '--out', 'the path of the backup file to create');
      const env = parseEnv(process.env);
      if (dialectOf(env.DATABASE_URL) !== 'sqlite') {
        throw new Error(
          'kam backup copies the embedded SQLite database; for PostgreSQL use pg_dump -Fc (see docs/operations.md).',
        );
      }
      // Opening a file that is not there would create it, empty, and back that up.
      const database = path.resolve(sqlitePath(env.DATABASE_URL));
      if (!existsSync(database)) {
        throw new Error(`There is no database at ${database}; check DATABASE_URL (kam migrate creates one).`);
      }
      const orm = await openDatabase(env);
      try {
        const report = await backupDatabase(orm, env.DATABASE_URL, out).catch(error => {
          throw backupNotCreated(out, error) ?? error;
        });
        console.log(
          `Backup written to ${report.file}: ${report.pages} pages, ${report.bytes} bytes, integrity ok.`,
        );
      } finally {
        await orm.close(true);
      }
    });
  program
    .command('restore')
    .description('Replace the SQLite database with a backup (stop the server first).')
    .argument('<file>', 'a backup made by kam backup')
    .option('--force', 'overwrite a database that already holds data')
    .action(async (given: string, options: { force?: boolean }) => {
      const file = userPath(given, 'The backup file', 'the path of a file made by kam backup');
      const env = parseEnv(process.env);
      const target = sqlitePath(env.DATABASE_URL);
      const result = await restoreDatabase(env.DATABASE_URL, file, { force: options.force });
      const orm = await openOrm({ url: env.DATABASE_URL });
      try {
        const pending = await pendingMigrations(orm);
        console.log(`Restored ${result.pages} pages from ${file} into ${target}.`);
        if (pending.length)
          console.log(
            `The backup is older than this version: run \`kam migrate\` (${pending.length} pending).`,
          );
      } finally {
        await orm.close(true);
      }
    });
}
