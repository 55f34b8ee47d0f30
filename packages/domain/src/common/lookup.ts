import type { EntityClass, EntityManager, FilterQuery } from '@mikro-orm/core';
import { dialectOfEm } from '../db/sql-writer.ts';
import { DomainError } from './domain-error.ts';

/** "Team member 12 does not exist.": a record missing by its id (the API gives its global id). */
export function missingRecordMessage(label: string, id: number | string): string {
  return `${label} ${id} does not exist.`;
}

/**
 * Loads an entity by id or throws `NOT_FOUND` naming the entity and the id ("Team member 12
 * does not exist."); the details carry the label, the entity's class and the id, so the API
 * can name the record by the global id its client sent.
 *
 * With `lock`, the row is locked first (`lockRow`).
 */
export async function findOrFail<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  id: number,
  label: string = entity.name,
  { lock = false }: { lock?: boolean } = {},
): Promise<T> {
  if (lock) await lockRow(em, entity, id);
  const found = await em.findOne(entity, { id } as FilterQuery<NoInfer<T>>);
  if (!found) {
    throw new DomainError('NOT_FOUND', missingRecordMessage(label, id), {
      details: { entity: label, type: entity.name, id },
    });
  }
  return found;
}

/**
 * Runs a locking statement on the caller's transaction, on PostgreSQL only: SQLite runs one
 * write transaction at a time, so there two use cases never overlap. The lock lasts until the
 * transaction ends.
 */
export async function lockOnPostgreSql(
  em: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<void> {
  if (dialectOfEm(em) !== 'postgresql') return;
  await em.getConnection().execute(sql, params, 'all', em.getTransactionContext());
}

/**
 * Locks a row until the end of the caller's transaction, on PostgreSQL (SQLite runs one write
 * transaction at a time anyway): another transaction locking it waits until this one ends, and
 * its next statements read what this one committed. A use case that checks a rule over several
 * rows (one active designation per account, one lead per geography) before it inserts one
 * locks the row they belong to first, or two requests at once would both pass the check.
 * `for no key update`: inserts referring to the row (their foreign key check takes a key-share
 * lock) neither wait for it nor deadlock with it.
 */
export async function lockRow(em: EntityManager, entity: EntityClass<object>, id: number): Promise<void> {
  await lockRows(em, entity, [id]);
}

/**
 * `lockRow` for many rows at once (a bulk write). They are locked in id order, so that two
 * calls locking overlapping sets wait for each other instead of deadlocking.
 */
export async function lockRows(
  em: EntityManager,
  entity: EntityClass<object>,
  ids: readonly number[],
): Promise<void> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  if (sorted.length === 0) return;
  const table = em.getMetadata().get(entity).tableName;
  await lockOnPostgreSql(
    em,
    `select 1 from "${table}" where "id" in (${sorted.map(() => '?').join(', ')}) order by "id" for no key update`,
    sorted,
  );
}

/** Loads an entity by a unique key or throws `NOT_FOUND` naming the key. */
export async function findByKeyOrFail<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: FilterQuery<T>,
  label: string,
  keyDescription: string,
): Promise<T> {
  const found = await em.findOne(entity, where as FilterQuery<NoInfer<T>>);
  if (!found) {
    throw new DomainError('NOT_FOUND', `${label} with ${keyDescription} does not exist.`, {
      details: { entity: label, key: keyDescription },
    });
  }
  return found;
}

/** Today's date in UTC, `YYYY-MM-DD`. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Adds whole months to an ISO date, clamping to the end of the month (2026-01-31 + 1 → 2026-02-28). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * Whole months from `from` to `to` (ISO dates), counting a month only once its day is reached,
 * or the last day of a month that has no such day (the inverse of `addMonths`' clamping: from
 * 2025-03-31 to 2025-09-30 is six months, as 2025-03-31 + 6 months = 2025-09-30).
 */
export function monthsBetween(from: string, to: string): number {
  const [y1, m1, d1] = from.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = to.split('-').map(Number) as [number, number, number];
  let months = (y2 - y1) * 12 + (m2 - m1);
  const lastDayOfToMonth = new Date(Date.UTC(y2, m2, 0)).getUTCDate();
  if (d2 < d1 && d2 < lastDayOfToMonth) months -= 1;
  return months;
}

const DAY_MS = 86_400_000;
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/**
 * `monthsBetween` and the days past the last whole month, with those days as a fraction of the
 * month they fall in (2026-03-20 to 2026-06-30: 3 months and 10 days, 3 + 10/30): the measure
 * that passes a whole number n exactly when `addMonths(from, n)` is passed.
 */
export function elapsedMonths(
  from: string,
  to: string,
): { months: number; days: number; fractional: number } {
  const months = monthsBetween(from, to);
  const anchor = addMonths(from, months);
  const days = daysBetween(anchor, to);
  const fractional = days === 0 ? months : months + days / daysBetween(anchor, addMonths(from, months + 1));
  return { months, days, fractional };
}
