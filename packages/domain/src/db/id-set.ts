import { type EntityManager, raw } from '@mikro-orm/core';
import type { Dialect } from './orm-config.ts';
import { dialectOfEm } from './sql-writer.ts';

/**
 * Sets of ids whose size depends on the data (every account at a pyramid level, every member
 * of a large group) as ONE SQL parameter. An `in (?, ?, …)` list takes a parameter per id:
 * past SQLite's 32,766 bound parameters kam's SQLite driver (`sqlite-driver.ts`) leaves the
 * statement to MikroORM, which formats every id into the text, so it is prepared anew on every
 * run (and better-sqlite3 keeps each prepared statement until the database closes); on either
 * database the statement, its parsing and the query log grow with the set (200 KB of SQL text for
 * 66,500 ids). Here the set is one value: a JSON array read with `json_each` on SQLite (bound,
 * so the statement's text is the same for every set), an `int[]` on PostgreSQL (one array
 * literal, which MikroORM writes into the text as it writes every value there). An empty set
 * matches nothing. Where the set is itself a query on stored data, a subquery is better still
 * (`accounts/account.filters.ts`).
 */

function conditionOf(dialect: Dialect, column: string): string {
  return dialect === 'postgresql'
    ? `${column} = any(?::int[])`
    : `${column} in (select value from json_each(?))`;
}

function parameterOf(dialect: Dialect, ids: readonly number[]): string {
  for (const id of ids) {
    if (!Number.isSafeInteger(id)) throw new Error(`An id set holds ${id}, which is not an integer id.`);
  }
  return dialect === 'postgresql' ? `{${ids.join(',')}}` : JSON.stringify(ids);
}

/** SQL true when `column` is one of `ids`, with its one parameter (for hand-written statements). */
export function idSetCondition(
  dialect: Dialect,
  column: string,
  ids: readonly number[],
): { sql: string; params: [string] } {
  return { sql: conditionOf(dialect, column), params: [parameterOf(dialect, ids)] };
}

/** A MikroORM filter: the entity's `id` is one of `ids`, as one parameter (see above). */
export function idInSet(em: EntityManager, ids: readonly number[]): Record<string, unknown> {
  const dialect = dialectOfEm(em);
  return { [raw(alias => conditionOf(dialect, `${alias}.id`), [parameterOf(dialect, ids)])]: [] };
}
