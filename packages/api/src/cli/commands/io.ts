import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import {
  BULK_MODES,
  type BulkMode,
  DEFAULT_MAX_BULK_ROWS,
  dialectOf,
  sqlitePath,
  systemActor,
} from '@kam/domain';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { parseEnv } from '../../env.ts';
import { CSV_FORMATS, CSV_KINDS, type CsvKind } from '../../io/csv-formats.ts';
import { exportCsvToFile } from '../../io/export.ts';
import { importCsv, readableFileSize } from '../../io/import.ts';
import { resolvedPath, userPath } from '../../ops/paths.ts';
import { assertMigrated, openDatabase } from '../database.ts';
import { wholeNumber } from '../options.ts';

/** Whether two paths name one existing file (also through a link or another spelling of the path). */
function sameFile(a: string, b: string): boolean {
  const first = statSync(a, { throwIfNoEntry: false });
  const second = statSync(b, { throwIfNoEntry: false });
  return !!first && !!second && first.dev === second.dev && first.ino === second.ino;
}

/**
 * What `file` is to the SQLite database of `databaseUrl` ("the database (DATABASE_URL)", or one
 * of its journal files), else null. Writing any of them destroys the database: a journal file
 * exists only while the database is open, so the paths are compared, not only existing files.
 */
function databaseFileRole(file: string, databaseUrl: string): string | null {
  if (dialectOf(databaseUrl) !== 'sqlite') return null;
  const database = sqlitePath(databaseUrl);
  if (database === ':memory:') return null;
  const target = resolvedPath(file);
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const companion = `${database}${suffix}`;
    if (sameFile(file, companion) || target === resolvedPath(companion))
      return suffix ? 'a journal file of the database (DATABASE_URL)' : 'the database (DATABASE_URL)';
  }
  return null;
}

/**
 * The --errors file, absolute. It is opened for writing (emptied) before anything is read: it
 * must not be the CSV file being imported, nor the SQLite database (or its journal), which it
 * would destroy.
 */
function errorsFileFor(given: string, input: string, databaseUrl: string): string {
  const errors = userPath(
    given,
    '--errors',
    'the file to write the rejected rows to, or leave the option out',
  );
  const refuse = (what: string) =>
    new Error(`--errors ${given} is ${what}; give another file for the rejections. Nothing was imported.`);
  if (sameFile(errors, input)) throw refuse('the CSV file being imported');
  const role = databaseFileRole(errors, databaseUrl);
  if (role !== null) throw refuse(role);
  return errors;
}

function kindOf(value: string): CsvKind {
  if (!CSV_KINDS.includes(value as CsvKind))
    throw new Error(`Unknown kind ${value}; use one of ${CSV_KINDS.join(', ')}.`);
  return value as CsvKind;
}

export function registerImportExport(program: Command): void {
  program
    .command('import')
    .description(
      `Import a CSV file (${CSV_KINDS.join('|')}) through the same validation, per-row errors, modes and audit as the bulk mutations; streams any size.`,
    )
    .argument('<kind>', CSV_KINDS.join('|'))
    .argument('<file>', 'the CSV file (header line with the column names; see docs/api.md)')
    .option('--mode <mode>', 'ATOMIC (all rows or none) or PARTIAL (good rows written)', 'ATOMIC')
    .option('--batch <rows>', 'rows per bulk call', String(DEFAULT_MAX_BULK_ROWS))
    .option('--errors <file>', 'write every rejected row (line, field, code, message) to this CSV file')
    .action(
      async (kindArg: string, file: string, options: { mode: string; batch: string; errors?: string }) => {
        const kind = kindOf(kindArg);
        if (!BULK_MODES.includes(options.mode as BulkMode))
          throw new Error(`--mode must be ATOMIC or PARTIAL; got ${options.mode}.`);
        const batchSize = wholeNumber(options.batch, '--batch', 1, DEFAULT_MAX_BULK_ROWS);
        const input = userPath(file, "The CSV file's path", 'the CSV file to import');
        // A missing, unreadable or wrong kind of file is said before the database is opened,
        // and so is an --errors file that cannot be written (not once the rows are committed).
        readableFileSize(input);
        const env = parseEnv(process.env);
        const errorsFile =
          options.errors === undefined
            ? null
            : openSync(errorsFileFor(options.errors, input, env.DATABASE_URL), 'w');
        const writeErrors = (rows: unknown[][]) => {
          if (errorsFile !== null) writeSync(errorsFile, stringify(rows));
        };
        writeErrors([['line', 'field', 'code', 'message']]);
        let rejections = 0;
        try {
          const orm = await openDatabase(env);
          const bar = process.stderr.isTTY
            ? new SingleBar({
                format: 'importing {bar} {percentage}% | {rows} rows | eta {eta_formatted}',
                stream: process.stderr,
              })
            : null;
          try {
            await assertMigrated(orm);
            bar?.start(100, 0, { rows: 0 });
            const report = await importCsv(
              orm.em.fork(),
              kind,
              input,
              {
                mode: options.mode as BulkMode,
                batchSize,
                onProgress: p =>
                  bar?.update(Math.floor((p.bytes / Math.max(1, p.totalBytes)) * 100), { rows: p.rows }),
                // Every rejection, as it comes: the report keeps only the first 10,000.
                onRejection: r => {
                  rejections += 1;
                  writeErrors([[r.line, r.path.join('.'), r.code, r.message]]);
                },
              },
              systemActor(`cli import ${kind}`),
            );
            bar?.update(100, { rows: report.rows });
            bar?.stop();
            console.log(
              `${report.rows} row(s): ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected${report.written ? '' : ' — nothing written'}.`,
            );
            for (const r of report.rejections.slice(0, 20)) {
              console.error(
                `  line ${r.line}${r.path.length ? ` ${r.path.join('.')}` : ''}: ${r.code} — ${r.message}`,
              );
            }
            // A row can be rejected for several fields: count what is listed, not rows.
            if (rejections > 20)
              console.error(
                `  … and ${rejections - 20} more${options.errors ? '' : ' (use --errors FILE for all of them)'}`,
              );
            if (report.rejected > 0) process.exitCode = 2;
          } finally {
            bar?.stop();
            await orm.close(true);
          }
        } finally {
          if (errorsFile !== null) closeSync(errorsFile);
        }
      },
    );

  program
    .command('export')
    .description(
      `Export ${CSV_KINDS.join('|')} as CSV in the format kam import reads (a round trip gives identical files).`,
    )
    .argument('<kind>', CSV_KINDS.join('|'))
    .option('--out <file>', 'output file, or - for standard output', '-')
    .action(async (kindArg: string, options: { out: string }) => {
      const kind = kindOf(kindArg);
      const out =
        options.out === '-'
          ? '-'
          : userPath(options.out, '--out', 'the file to write, or leave the option out for standard output');
      const env = parseEnv(process.env);
      // The export replaces its --out file: never with the database it reads, nor its journal.
      const role = out === '-' ? null : databaseFileRole(out, env.DATABASE_URL);
      if (role !== null)
        throw new Error(`--out ${options.out} is ${role}; the export would replace it. Give another file.`);
      const orm = await openDatabase(env);
      try {
        await assertMigrated(orm);
        const rows = await exportCsvToFile(orm.em.fork(), kind, out);
        if (out !== '-')
          console.error(
            `Exported ${rows} ${kind} row(s) to ${out} (columns: ${CSV_FORMATS[kind].columns.map(c => c.name).join(',')}).`,
          );
      } finally {
        await orm.close(true);
      }
    });
}
