import type { EntityManager } from '@mikro-orm/core';
import { centsFromDb } from '../common/money.ts';
import type { Dialect } from '../db/orm-config.ts';
import { dialectOfEm } from '../db/sql-writer.ts';

/**
 * Small helpers for the analytics queries: they run raw, set-based SQL on the caller's
 * transaction and read the rows as plain values, never as entities.
 */

export type Row = Record<string, unknown>;

/** Runs a read query on the EntityManager's current transaction (if any). */
export async function query<T extends object = Row>(
  em: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}

/** SQL that turns an integer expression into a binary float (the same IEEE double on both databases). */
export function float(dialect: Dialect, expr: string): string {
  return dialect === 'postgresql' ? `cast(${expr} as double precision)` : `cast(${expr} as real)`;
}

/**
 * SQL that reads an integer expression of cents exactly. Each amount is within MAX_MONEY_CENTS,
 * but a sum of them may pass 2^53, and better-sqlite3 would hand such an integer over as a
 * rounded JS number: on SQLite a value beyond the safe range comes as its decimal text instead
 * (only then, as text is slower to read). PostgreSQL returns sum(bigint) as numeric text already.
 * `expr` is written three times on SQLite (an aggregate is still computed once), so it must
 * hold no `?` placeholder.
 */
export function exactCents(dialect: Dialect, expr: string): string {
  if (dialect === 'postgresql') return expr;
  if (expr.includes('?'))
    throw new Error(`exactCents repeats its expression; bind no parameter in it: ${expr}`);
  const safe = Number.MAX_SAFE_INTEGER;
  return `case when ${expr} between -${safe} and ${safe} then ${expr} else cast(${expr} as text) end`;
}

/** `sum(expr)` of cents, read exactly on both databases (see `exactCents`). */
export function sumCents(dialect: Dialect, expr: string): string {
  return exactCents(dialect, `sum(${expr})`);
}

/** An ORDER BY term on a text column in byte order on both databases (PostgreSQL's default collation is locale-aware). */
export function byteOrder(dialect: Dialect, column: string): string {
  return dialect === 'postgresql' ? `${column} collate "C"` : column;
}

/** The literal for `true` in a comparison with a boolean column. */
export function sqlTrue(dialect: Dialect): string {
  return dialect === 'postgresql' ? 'true' : '1';
}

export function dialect(em: EntityManager): Dialect {
  return dialectOfEm(em);
}

export function int(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

export function intOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function cents(value: unknown): bigint {
  return centsFromDb(value);
}

export function centsOrNull(value: unknown): bigint | null {
  return value === null || value === undefined ? null : centsFromDb(value);
}

export function bool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

export function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** Compares two strings by UTF-16 code units (the same order as `byteOrder` for the ASCII refs in use). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
