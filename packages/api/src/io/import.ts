import { isUtf8 } from 'node:buffer';
import { accessSync, constants, createReadStream, statSync } from 'node:fs';
import {
  type Actor,
  type BulkMode,
  type BulkResult,
  duplicateRowMessage,
  type EntityManager,
  type RowRejection,
} from '@kam/domain';
import { type CsvError, parse } from 'csv-parse';
import { unstorable } from '../text-guard.ts';
import { CSV_FORMATS, type CsvKind, recordToRow } from './csv-formats.ts';
import { CsvRecordGuard } from './csv-records.ts';
import { SeenKeys } from './seen-keys.ts';

export interface ImportOptions {
  mode: BulkMode;
  /** Rows per bulk call (the bulk mutations' limit applies: at most 10,000 by default). */
  batchSize: number;
  /** Called after every batch with the bytes read so far and the file size. */
  onProgress?: (progress: { bytes: number; totalBytes: number; rows: number }) => void;
  /**
   * Called with every rejection, in file order, as soon as it is final: all of them, where the
   * report keeps the first 10,000 (`kam import --errors FILE` writes them as they come).
   */
  onRejection?: (rejection: ImportRejection) => void;
}

/**
 * A rejected row, with its line in the file (1 = the header). A record the CSV parser could
 * not read (wrong number of fields, a stray or unclosed quote) is rejected with the parser's
 * code (`CSV_RECORD_INCONSISTENT_COLUMNS`, `CSV_QUOTE_NOT_CLOSED`, …), no path, and `index` -1;
 * so is a field holding a NUL character (`UNSTORABLE_TEXT`, with the column as its path).
 */
export interface ImportRejection extends RowRejection {
  line: number;
}

export interface ImportReport {
  kind: CsvKind;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** False when nothing was written (ATOMIC with a rejected row). */
  written: boolean;
  rejections: ImportRejection[];
}

/** Rejections kept in memory; beyond this only the count grows (bounded memory on huge files). */
const MAX_KEPT_REJECTIONS = 10_000;

class AtomicRollback extends Error {}

/**
 * Streams a CSV file into the same bulk operation as the GraphQL mutation, batch by batch,
 * so that a million-row file imports in bounded memory. ATOMIC: one transaction for the
 * whole file, and nothing is written if any row is rejected; inside it every row is judged as
 * in PARTIAL, so the report is the same whatever the batch size. PARTIAL: the good rows of
 * each batch are committed as the file is read.
 */
/**
 * The size of a file that can be read, else an error that says what is wrong with the path
 * (Node's ENOENT / EACCES errors, which `kam` words plainly, or "not a file").
 */
export function readableFileSize(file: string): number {
  const stats = statSync(file);
  if (!stats.isFile()) throw new Error(`${file} is not a file; give the CSV file's path.`);
  accessSync(file, constants.R_OK);
  return stats.size;
}

export async function importCsv(
  em: EntityManager,
  kind: CsvKind,
  file: string,
  options: ImportOptions,
  actor: Actor,
): Promise<ImportReport> {
  const format = CSV_FORMATS[kind];
  const totalBytes = readableFileSize(file);
  await assertUtf8(file);
  const report: ImportReport = {
    kind,
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    written: false,
    rejections: [],
  };
  let sawHeader = false;
  const header = checkHeader(format, file);
  // Accounts: the line of every row rejected so far, by its external ref, so that a child in a
  // later batch is told its parent's row was rejected, not that it should come first.
  const rejectedRows = kind === 'accounts' ? new SeenKeys() : undefined;
  // Records rejected before csv-parse read the header (CsvRecordGuard reads ahead of it), with
  // the fields read from them: keyed once the header names their columns.
  let unkeyed: { line: number; fields: readonly unknown[] }[] | undefined = [];
  const keyRejected = (line: number, fields: readonly unknown[]) => {
    if (unkeyed) unkeyed.push({ line, fields });
    else {
      const key = keyOfFields(format, headerNames, fields);
      if (key) rejectedRows?.add([[key, line]]);
    }
  };
  let headerNames: string[] = [];
  const columns = (line: string[]) => {
    sawHeader = true;
    headerNames = header(line);
    const waiting = unkeyed ?? [];
    unkeyed = undefined;
    for (const record of waiting) keyRejected(record.line, record.fields);
    return headerNames;
  };
  const input = createReadStream(file);
  // Rejections wait here until every line before theirs has been judged (a malformed record is
  // found ahead of the batch holding the rows read before it), then leave in file order.
  let pending: ImportRejection[] = [];
  const reject = (rejection: ImportRejection) => {
    pending.push(rejection);
  };
  const release = (upToLine: number) => {
    pending.sort((a, b) => a.line - b.line);
    const ready = pending.filter(r => r.line <= upToLine);
    pending = pending.filter(r => r.line > upToLine);
    for (const rejection of ready) {
      if (report.rejections.length < MAX_KEPT_REJECTIONS) report.rejections.push(rejection);
      options.onRejection?.(rejection);
    }
  };
  /** `fields`: the record's fields as the parser read them, when it read any (for its key). */
  const malformed = (line: number, code: string, message: string, fields?: readonly unknown[]) => {
    report.rows += 1;
    report.rejected += 1;
    if (rejectedRows && fields) keyRejected(line, fields);
    reject({
      index: -1,
      line,
      path: [],
      code,
      message: `${message}. Check this line's quotes and commas against the header.`,
    });
  };
  // A record with a stray or unclosed quote never reaches csv-parse (see CsvRecordGuard): each
  // is rejected once, by the line it starts on, and the lines after it are read as they are.
  // A record's first field, where the guard reports it (`firstField`, read whole before the fault),
  // names its row for the rows under it.
  const guard = new CsvRecordGuard(record =>
    malformed(
      record.line,
      record.code,
      record.message,
      'firstField' in record ? [record.firstField] : undefined,
    ),
  );
  const parser = input.pipe(guard).pipe(
    parse({
      columns,
      bom: true,
      skip_empty_lines: true,
      trim: false,
      info: true,
      relax_column_count: false,
      // A record of the wrong number of fields is rejected with its line, like a row that fails
      // validation, instead of ending the import (and, in PARTIAL mode, leaving the batches
      // before it written without a report).
      skip_records_with_error: true,
    }),
  );
  // A read error (the file removed or made unreadable while it is read) ends the import with
  // that error, through the parser the batches are reading, instead of going unhandled.
  input.on('error', error => parser.destroy(error));
  guard.on('error', error => parser.destroy(error));
  // The parser stopped early (a failed batch): stop reading the file too.
  parser.on('close', () => input.destroy());
  // The parser can fail before the batches start reading it: it checks the header as soon as the
  // file's first chunk arrives, while ATOMIC is still waiting for its transaction to begin (a
  // round trip on PostgreSQL). Unheard, that error crashed the process ("Unhandled 'error'
  // event"); heard here, it stays on the parser, and the `for await` below throws it.
  parser.on('error', () => {});
  // The line of the first copy of every key sent in an earlier batch and not rejected there.
  const seen = new SeenKeys();
  parser.on('skip', (error: CsvError & { lines?: number }) => {
    const line = guard.startOf(error.lines ?? 0);
    malformed(
      line,
      error.code,
      error.message.replace(/ on line \d+$/, ` on line ${line}`),
      // A record of the wrong number of fields comes with the fields csv-parse read.
      Array.isArray(error.record) ? error.record : undefined,
    );
  });

  const runBatches = async (tx: EntityManager) => {
    let batch: Record<string, unknown>[] = [];
    let lines: number[] = [];
    let keys: string[] = [];
    let lastLine = 1;
    const flush = async () => {
      if (!batch.length) return release(lastLine);
      // Every batch is PARTIAL, also in an ATOMIC import: there the file's one transaction is
      // rolled back at the end when any row was rejected. An ATOMIC batch wrote none of its rows
      // for one bad one, and the next batches were told its good parents did not exist.
      const result: BulkResult = await format.run(
        tx,
        batch,
        { mode: 'PARTIAL', maxRows: options.batchSize },
        actor,
      );
      report.created += result.created;
      report.updated += result.updated;
      report.unchanged += result.unchanged;
      report.rejected += result.rejected;
      const rejected = new Set(result.rejections.map(r => r.index));
      rejectedRows?.add([...rejected].map(index => [keys[index] ?? '', lines[index] ?? 0]));
      for (const { duplicate, ...r } of result.rejections) {
        const parent = rejectedRows && parentInFileTerms(r, batch, rejectedRows);
        const message =
          parent?.message ?? cellInFileTerms(format, r, batch) ?? inFileTerms(r, duplicate, lines);
        reject({ ...r, ...parent, message, line: lines[r.index] ?? 0 });
      }
      seen.add(keys.flatMap((key, index) => (rejected.has(index) ? [] : [[key, lines[index] ?? 0]])));
      release(lastLine);
      batch = [];
      lines = [];
      keys = [];
      options.onProgress?.({ bytes: input.bytesRead, totalBytes, rows: report.rows });
    };
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      report.rows += 1;
      // csv-parse counts a record's line where it ends; a user looks for it where it starts.
      // Its count runs ahead of the file's after a \r\n inside quotes: rejections wait by the file's.
      const line = guard.startOf(info.lines);
      lastLine = line;
      // The API's text guard, per field: neither database stores these faithfully.
      const bad = Object.keys(record).find(column => unstorable(record[column] ?? ''));
      if (bad !== undefined) {
        report.rejected += 1;
        rejectedRows?.add([[format.key.of(record), line]]);
        reject({
          index: -1,
          line,
          path: [bad],
          code: 'UNSTORABLE_TEXT',
          message:
            'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored; remove it or replace it with U+FFFD.',
        });
        continue;
      }
      // A row repeated within one batch is the bulk operation's to reject; across batches, ours.
      const key = format.key.of(record);
      const first = seen.lineOf(key);
      if (first !== undefined) {
        report.rejected += 1;
        reject({
          index: -1,
          line,
          path: format.key.path,
          code: 'DUPLICATE_ROW',
          message: duplicateRowMessage(format.key.what, key, `in this file (first on line ${first})`),
        });
        continue;
      }
      batch.push(recordToRow(format, record));
      lines.push(line);
      keys.push(key);
      if (batch.length >= options.batchSize) await flush();
    }
    if (!sawHeader) {
      throw new Error(
        `${file} has no header line: its first line must name the columns (${format.columns.map(c => c.name).join(',')}), then one row per line. Nothing was imported.`,
      );
    }
    await flush();
    release(Number.POSITIVE_INFINITY);
  };

  try {
    if (options.mode === 'ATOMIC') {
      try {
        await em.transactional(async tx => {
          await runBatches(tx);
          if (report.rejected > 0) throw new AtomicRollback();
        });
        report.written = report.created + report.updated > 0;
      } catch (error) {
        if (!(error instanceof AtomicRollback)) throw error;
        report.created = 0;
        report.updated = 0;
        report.unchanged = 0;
        report.written = false;
      }
    } else {
      await runBatches(em);
      report.written = report.created + report.updated > 0;
    }
  } finally {
    seen.close();
    rejectedRows?.close();
  }
  return report;
}

/**
 * Refuses a file that is not UTF-8 text before anything is read into the database: Node would
 * decode its bytes to U+FFFD, and "Müller" from a Windows-1252 file would be stored as "M�ller".
 * Reads the file once more, checking whole lines a chunk at a time (a UTF-8 character never
 * holds a newline byte), and names the first line that is not UTF-8.
 */
async function assertUtf8(file: string): Promise<void> {
  const problem = (line: number) =>
    new Error(
      `${file} is not UTF-8 text: line ${line} holds bytes that are not UTF-8 (a file saved as Windows-1252 or Latin-1, say). Save it as "CSV UTF-8" and import it again. Nothing was imported.`,
    );
  let line = 1; // the line `pending` starts on
  let pending: Buffer[] = []; // the start of a line that runs on into the next chunk
  let first = true;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    if (
      first &&
      chunk.length >= 2 &&
      ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
    ) {
      throw new Error(
        `${file} is UTF-16 text ("Unicode text"), but kam reads UTF-8: save it as "CSV UTF-8" and import it again. Nothing was imported.`,
      );
    }
    first = false;
    const end = chunk.lastIndexOf(0x0a) + 1;
    if (end === 0) {
      pending.push(chunk);
      continue;
    }
    const lines = pending.length
      ? Buffer.concat([...pending, chunk.subarray(0, end)])
      : chunk.subarray(0, end);
    if (!isUtf8(lines)) throw problem(line + firstLineNotUtf8(lines));
    for (let at = lines.indexOf(0x0a); at !== -1; at = lines.indexOf(0x0a, at + 1)) line += 1;
    pending = end < chunk.length ? [chunk.subarray(end)] : [];
  }
  if (pending.length && !isUtf8(Buffer.concat(pending))) throw problem(line);
}

/** How many lines of `lines` come before the first one that is not UTF-8. */
function firstLineNotUtf8(lines: Buffer): number {
  let offset = 0;
  for (let from = 0; from < lines.length; offset++) {
    const end = lines.indexOf(0x0a, from);
    const stop = end === -1 ? lines.length : end;
    if (!isUtf8(lines.subarray(from, stop))) return offset;
    from = stop + 1;
  }
  return offset;
}

/**
 * The key of a record the parser could not read whole, from the fields it did read (named by the
 * header, in order), or undefined when they do not hold every column of the key.
 */
function keyOfFields(
  format: (typeof CSV_FORMATS)[CsvKind],
  header: readonly string[],
  fields: readonly unknown[],
): string | undefined {
  const record: Record<string, string> = {};
  header.forEach((name, index) => {
    const value = fields[index];
    if (typeof value === 'string') record[name] = value;
  });
  if (!format.key.path.every(column => column in record)) return undefined;
  return format.key.of(record) || undefined;
}

/**
 * A rejection's message as a CSV user reads it: a duplicate's first copy by its line in the
 * file, not by its index in the bulk call ("first at row 0").
 */
function inFileTerms(rejection: RowRejection, duplicate: RowRejection['duplicate'], lines: number[]): string {
  const line = duplicate && lines[duplicate.firstIndex];
  if (!duplicate || line === undefined) return rejection.message;
  return duplicateRowMessage(duplicate.what, duplicate.key, `in this file (first on line ${line})`);
}

/**
 * A yes/no cell that is not true or false ("yes", "1", "x"), which `recordToRow` leaves as text:
 * zod's "expected boolean, received string" does not say what to write.
 */
function cellInFileTerms(
  format: (typeof CSV_FORMATS)[CsvKind],
  rejection: RowRejection,
  batch: Record<string, unknown>[],
): string | undefined {
  const [column, ...rest] = rejection.path;
  if (rest.length || rejection.code !== 'INVALID_TYPE') return undefined;
  if (!format.columns.some(c => c.name === column && c.type === 'bool')) return undefined;
  const cell = batch[rejection.index]?.[String(column)];
  if (typeof cell !== 'string') return undefined;
  return `must be true or false, not ${JSON.stringify(cell)}; write true or false`;
}

/**
 * An account rejected because its parent's row was rejected, in file terms: the bulk call names
 * the parent's row by its index in the call ("fix row 0"), and, when the parent's row was in an
 * earlier batch, only sees that no such account exists ("list parents before their children",
 * wrong advice when the parent came first). Both name the parent's line instead.
 */
function parentInFileTerms(
  rejection: RowRejection,
  batch: Record<string, unknown>[],
  /** Every row rejected so far, this batch's included, by its key. */
  rejectedRows: SeenKeys,
): Pick<RowRejection, 'code' | 'message'> | undefined {
  if (rejection.path.join('.') !== 'parentRef') return undefined;
  if (rejection.code !== 'ACCOUNT_PARENT_ROW_REJECTED' && rejection.code !== 'NOT_FOUND') return undefined;
  const refOf = (row: Record<string, unknown> | undefined, field: string) =>
    typeof row?.[field] === 'string' ? row[field].trim() : undefined;
  const row = batch[rejection.index];
  const ref = refOf(row, 'externalRef');
  const parentRef = refOf(row, 'parentRef');
  if (ref === undefined || parentRef === undefined) return undefined;
  const line = rejectedRows.lineOf(parentRef);
  if (line === undefined) return undefined;
  return {
    code: 'ACCOUNT_PARENT_ROW_REJECTED',
    message: `The row of parent ${parentRef} (line ${line}) was rejected, so ${ref} cannot be placed under it; fix line ${line} and import both rows again.`,
  };
}

/** Validates the header line against the format: every required column present, no unknown one. */
function checkHeader(format: (typeof CSV_FORMATS)[CsvKind], file: string) {
  return (header: string[]): string[] => {
    const known = new Set(format.columns.map(c => c.name));
    // A repeated column would be read with its last value, silently; an unnamed one not at all.
    const twice = [...new Set(header.filter((h, i) => h !== '' && header.indexOf(h) !== i))];
    const unnamed = header.flatMap((h, i) => (h.trim() === '' ? [i + 1] : []));
    const unknown = header.filter(h => h.trim() !== '' && !known.has(h));
    const missing = format.columns.filter(c => c.required && !header.includes(c.name)).map(c => c.name);
    if (unknown.length || missing.length || twice.length || unnamed.length) {
      // Column names are case-sensitive: name the one meant where only the case differs.
      const byLowerCase = new Map(format.columns.map(c => [c.name.toLowerCase(), c.name]));
      const named = unknown.map(h => {
        const meant = byLowerCase.get(h.trim().toLowerCase());
        // Spaces around a name ("accountRef, quarter") are invisible unless the name is quoted.
        if (h.trim() !== h) {
          return `${JSON.stringify(h)}${meant ? ` (did you mean ${meant}? remove the spaces around it)` : ''}`;
        }
        return meant ? `${h} (did you mean ${meant}?)` : h;
      });
      // A file saved with another separator reads as one long column.
      const separator = [';', '\t', '|'].find(
        // Names in quotes ("externalRef";"name") reach here as one field, externalRef";"name.
        sep =>
          header.length === 1 &&
          header[0]!.split(sep).filter(h => known.has(h.replace(/^"|"$/g, ''))).length > 1,
      );
      const parts = separator
        ? [
            `the header is separated by ${separator === '\t' ? 'tabs' : `"${separator}"`}, but kam reads comma-separated files: save it as CSV with commas`,
          ]
        : [
            unknown.length ? `unknown column(s) ${named.join(', ')}` : '',
            missing.length ? `missing column(s) ${missing.join(', ')}` : '',
            twice.length
              ? `column${twice.length > 1 ? 's' : ''} ${twice.join(', ')} appear${twice.length > 1 ? '' : 's'} more than once; give each column once`
              : '',
            unnamed.length
              ? `column${unnamed.length > 1 ? 's' : ''} ${unnamed.join(', ')} ${unnamed.length > 1 ? 'have' : 'has'} no name${unnamed.at(-1) === header.length ? ' (a comma too many at the end of the header?)' : ''}`
              : '',
          ].filter(Boolean);
      throw new Error(
        `${file}: ${parts.join('; ')}. Expected the header ${format.columns.map(c => c.name).join(',')} (required: ${format.columns
          .filter(c => c.required)
          .map(c => c.name)
          .join(', ')}). Nothing was imported.`,
      );
    }
    return header;
  };
}
