import type { EntityManager, Transaction } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { Dialect } from './orm-config.ts';

/**
 * Set-based writes for the bulk paths (imports, bulk mutations, the demo generator):
 * multi-row INSERTs and INSERT … ON CONFLICT upserts, chunked well under the bind-parameter
 * limit of both databases (SQLite 32,766; PostgreSQL 65,535). They run on the caller's
 * transaction and bypass the unit of work, so callers write their own audit records.
 */

/**
 * Values per INSERT statement, well under the bind-parameter limit of both databases. SQLite
 * keeps each statement shape compiled (the SQLite driver caches them), and a compiled
 * multi-row INSERT grows with its rows: for one 9-column table, all shapes up to 512 rows
 * (what 5,000 values allow) take about 1.8 MB, up to 2,048 rows 6.3 MB. The larger statements
 * were no faster: 10,000 rows in 9.5–10.3 ms either way (better-sqlite3, one transaction).
 */
const MAX_PARAMS = 5_000;
/** Keys per `in (…)` list of selectIn (padded to 1,024 by the SQLite driver): same reason. */
const MAX_IN_KEYS = 1_000;

/** Multi-row INSERT texts by shape (table, columns, rows, conflict clause, returning). */
const INSERT_TEXTS = new Map<string, string>();
const MAX_INSERT_TEXTS = 256;

export type SqlValue =
  | string
  | number
  | bigint
  | boolean
  | Date
  | null
  | undefined
  | Record<string, unknown>
  | unknown[];

/** The dialect an EntityManager talks to. */
export function dialectOfEm(em: EntityManager): Dialect {
  return em.getDriver() instanceof PostgreSqlDriver ? 'postgresql' : 'sqlite';
}

/** Converts a JS value to what the driver binds for this dialect (dates, booleans, JSON). */
export function toDbValue(dialect: Dialect, value: SqlValue): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return dialect === 'sqlite' ? value.getTime() : value;
  if (typeof value === 'boolean') return dialect === 'sqlite' ? (value ? 1 : 0) : value;
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

/** The largest power of two ≤ n (n ≥ 1). */
function floorPowerOfTwo(n: number): number {
  return 2 ** Math.floor(Math.log2(n));
}

function quote(dialect: Dialect, identifier: string): string {
  return dialect === 'postgresql' ? `"${identifier}"` : `\`${identifier}\``;
}

export interface UpsertOptions {
  /** The unique key the rows conflict on. */
  conflictColumns: string[];
  /** The predicate of a partial unique index, e.g. `business_unit_id is null`. */
  conflictWhere?: string;
  /** Columns overwritten on conflict. */
  updateColumns: string[];
  /**
   * When set, the row's value for this column is the version the caller read; a conflicting
   * row is only updated if its stored version still equals it, and the version is bumped.
   */
  versionColumn?: string;
  /** Columns set to the inserted value on conflict as well (e.g. `updated_at`). */
  touchColumns?: string[];
}

export interface WriteOptions {
  upsert?: UpsertOptions;
  /** The transaction to write in (default: the EntityManager's current one). */
  ctx?: Transaction;
  /** Columns to return for every inserted or updated row (`RETURNING`). */
  returning?: string[];
}

/**
 * Inserts rows (arrays in `columns` order); with `upsert`, conflicting rows are updated
 * instead. Returns the number of rows inserted or updated.
 */
export async function writeRows(
  em: EntityManager,
  table: string,
  columns: string[],
  rows: SqlValue[][],
  upsert?: UpsertOptions,
): Promise<number> {
  return (await writeRowsReturning(em, table, columns, rows, { upsert })).affected;
}

/** Like `writeRows`, returning the `returning` columns of every row written. */
export async function writeRowsReturning<R extends object = Record<string, unknown>>(
  em: EntityManager,
  table: string,
  columns: string[],
  rows: SqlValue[][],
  options: WriteOptions = {},
): Promise<{ affected: number; rows: R[] }> {
  const { upsert, returning } = options;
  const returned: R[] = [];
  if (rows.length === 0) return { affected: 0, rows: returned };
  const dialect = dialectOfEm(em);
  const q = (c: string) => quote(dialect, c);
  // Rows go in chunks of a power of two, so a table's inserts use a few SQL texts whatever
  // the row count (the SQLite driver caches one prepared statement per text).
  const perStatement = floorPowerOfTwo(Math.max(1, Math.floor(MAX_PARAMS / columns.length)));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  let suffix = '';
  if (upsert) {
    const target = `(${upsert.conflictColumns.map(q).join(', ')})${upsert.conflictWhere ? ` where ${upsert.conflictWhere}` : ''}`;
    const sets = [...upsert.updateColumns, ...(upsert.touchColumns ?? [])].map(
      c => `${q(c)} = excluded.${q(c)}`,
    );
    if (upsert.versionColumn)
      sets.push(`${q(upsert.versionColumn)} = ${q(table)}.${q(upsert.versionColumn)} + 1`);
    const guard = upsert.versionColumn
      ? ` where ${q(table)}.${q(upsert.versionColumn)} = excluded.${q(upsert.versionColumn)}`
      : '';
    suffix = ` on conflict ${target} do update set ${sets.join(', ')}${guard}`;
  }
  const connection = em.getConnection();
  const ctx = options.ctx ?? em.getTransactionContext();
  let affected = 0;
  const ret = returning?.length ? ` returning ${returning.map(q).join(', ')}` : '';
  const head = `insert into ${q(table)} (${columns.map(q).join(', ')}) values `;
  for (let start = 0, size = 0; start < rows.length; start += size) {
    size = Math.min(perStatement, floorPowerOfTwo(rows.length - start));
    const chunk = rows.slice(start, start + size);
    // The same text object for the same shape: a chunk of 512 rows is ~15 KB of SQL.
    const shape = `${dialect}\n${head}\n${size}\n${suffix}\n${ret}`;
    let sql = INSERT_TEXTS.get(shape);
    if (sql === undefined) {
      sql = `${head}${new Array(size).fill(tuple).join(', ')}${suffix}${ret}`;
      if (INSERT_TEXTS.size >= MAX_INSERT_TEXTS) INSERT_TEXTS.clear();
      INSERT_TEXTS.set(shape, sql);
    }
    const params: unknown[] = [];
    for (const row of chunk) for (const v of row) params.push(toDbValue(dialect, v));
    if (ret) {
      const out = await connection.execute<R[]>(sql, params, 'all', ctx);
      affected += out.length;
      returned.push(...out);
    } else {
      const result = await connection.execute<{ affectedRows?: number }>(sql, params, 'run', ctx);
      affected += Number(result.affectedRows ?? 0);
    }
  }
  return { affected, rows: returned };
}

/** Runs `select … where column in (…)` over a long list of keys, in chunks. */
export async function selectIn<T extends object>(
  em: EntityManager,
  sqlBeforeIn: string,
  keys: readonly unknown[],
  sqlAfterIn = '',
  extraParams: unknown[] = [],
): Promise<T[]> {
  const out: T[] = [];
  const chunkSize = MAX_IN_KEYS;
  const connection = em.getConnection();
  const ctx = em.getTransactionContext();
  for (let i = 0; i < keys.length; i += chunkSize) {
    const chunk = keys.slice(i, i + chunkSize);
    const sql = `${sqlBeforeIn} (${chunk.map(() => '?').join(', ')})${sqlAfterIn}`;
    out.push(...(await connection.execute<T[]>(sql, [...chunk, ...extraParams], 'all', ctx)));
  }
  return out;
}
