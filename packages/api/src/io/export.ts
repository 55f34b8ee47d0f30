import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync, statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { dialectOfEm, type EntityManager } from '@kam/domain';
import { stringify } from 'csv-stringify/sync';
import { CSV_FORMATS, type CsvKind, toSpreadsheetCell } from './csv-formats.ts';

const PAGE = 5_000;

/**
 * Writes one kind of data as CSV, in the exact format `importCsv` reads, keyset-paged so
 * memory stays bounded. Rows are in a stable order (accounts: parents before children),
 * so export → import → export gives identical files. The export reads one snapshot (one
 * transaction), so rows written meanwhile never make it inconsistent. Returns the number of
 * rows.
 */
export async function exportCsv(
  em: EntityManager,
  kind: CsvKind,
  out: Writable,
  options: { pageSize?: number } = {},
): Promise<number> {
  const format = CSV_FORMATS[kind];
  const pageSize = options.pageSize ?? PAGE;
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write(stringify([format.columns.map(c => c.name)]));
  const { select, keyColumns, orderBy, tree, treeIndex } = format.page;
  const keyAliases = keyColumns.map((_, i) => `k${i}`);
  const keySelect = keyColumns.map((c, i) => `${c} as ${keyAliases[i]}`).join(', ');
  return em.transactional(
    async tx => {
      const connection = tx.getConnection();
      const ctx = tx.getTransactionContext();
      const run = (sql: string, params: unknown[] = []) =>
        connection.execute<Record<string, unknown>[]>(sql, params, 'all', ctx);
      if (tree) {
        // Temporary: private to this connection, gone with it (and dropped below).
        await run('drop table if exists kam_export_tree');
        await run(`create temporary table kam_export_tree as ${tree}`);
        await run(`create index kam_export_tree_order on kam_export_tree (${treeIndex ?? 'id'})`);
      }
      try {
        let after: unknown[] | null = null;
        let rows = 0;
        for (;;) {
          const where = after
            ? ` where (${keyColumns.join(', ')}) > (${keyColumns.map(() => '?').join(', ')})`
            : '';
          const sql = `select * from (${select.replace(/^\s*select /, `select ${keySelect}, `)}${where} order by ${orderBy} limit ${pageSize}) page`;
          const page = await run(sql, after ?? []);
          if (!page.length) break;
          await write(
            stringify(page.map((r: Record<string, unknown>) => format.toCells(r).map(toSpreadsheetCell))),
          );
          rows += page.length;
          const last = page[page.length - 1] as Record<string, unknown>;
          after = keyAliases.map(a => last[a]);
          if (page.length < pageSize) break;
        }
        return rows;
      } finally {
        if (tree) await run('drop table if exists kam_export_tree');
      }
      // Read-only on SQLite, so that it begins deferred and reads its snapshot without holding the
      // write lock other processes wait for (kam's SQLite driver begins other transactions
      // immediate). Not on PostgreSQL, whose read-only transactions may not create the temporary
      // table; its snapshot blocks no writer anyway.
    },
    { readOnly: dialectOfEm(em) === 'sqlite' },
  );
}

/**
 * Exports to a file path (or stdout when `file` is `-`). A regular file is written beside its
 * place and renamed into it once whole: an export that fails half-way leaves the file that was
 * there (a pipe or device, e.g. /dev/stdout, is written directly).
 */
export async function exportCsvToFile(em: EntityManager, kind: CsvKind, file: string): Promise<number> {
  if (file === '-') return exportCsv(em, kind, process.stdout);
  const special = statSync(file, { throwIfNoEntry: false })?.isFile() === false;
  const part = special ? file : `${file}.part-${process.pid}`;
  const out = createWriteStream(part);
  try {
    const rows = await exportCsv(em, kind, out);
    out.end();
    await once(out, 'finish');
    if (!special) renameSync(part, file);
    return rows;
  } catch (error) {
    out.destroy();
    if (!special) rmSync(part, { force: true });
    // A file error names the path given, not the one written meanwhile.
    const failed = error as { path?: unknown };
    if (failed?.path === part) failed.path = file;
    throw error;
  }
}
