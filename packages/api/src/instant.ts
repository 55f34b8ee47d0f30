import { dateProblem, isKamDate } from '@kam/domain';

/** YYYY-MM-DD, then optionally a time of day with its time zone (Z or an offset). */
const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:([Tt ])(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An ISO 8601 instant (with Z or an offset; a date alone is its midnight in UTC), or why the
 * value is not one ("must say its time zone …"), to follow the name of the field. Not
 * `new Date(text)` alone: V8 reads 06/12/2026 as 12 June, "1" as 2001, 2026-02-30 as 2 March,
 * and a time without a zone in the server's time zone.
 */
export function parseInstant(value: unknown): Date | { problem: string } {
  const match = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (!match) return { problem: 'must be an ISO 8601 instant such as 2026-11-23T10:00:00Z' };
  const [, day, separator, time, zone] = match as unknown as [string, string, string?, string?, string?];
  if (!isKamDate(day)) return { problem: dateProblem(day) };
  if (time !== undefined && zone === undefined) {
    return {
      problem: `must say its time zone: add Z for UTC or an offset, as in ${day}T${time}Z or ${day}T${time}+01:00`,
    };
  }
  const date = new Date(time === undefined ? day : `${day}${separator}${time}${zone}`);
  if (Number.isNaN(date.getTime())) return { problem: 'must have a time of day from 00:00:00 to 23:59:59' };
  return date;
}
