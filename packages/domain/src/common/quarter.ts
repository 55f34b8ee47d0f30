import { DomainError } from './domain-error.ts';

/** A reporting quarter, written `2026-Q3`. */
export type Quarter = `${number}-Q${1 | 2 | 3 | 4}`;

/** The form of a quarter: a four-digit year, `-Q` and the quarter's number. */
const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;

/**
 * The years a quarter given to kam may be in. A year like 0000 or 0999 is a typing slip, and
 * quarter arithmetic (the TTM and prior-year windows go seven quarters back) must stay within
 * the four-digit years that `quarterIndex` reads.
 */
export const FIRST_QUARTER_YEAR = 1900;
export const LAST_QUARTER_YEAR = 2999;

/** A quarter written YYYY-Qn, of a year from 1900 to 2999. */
export function isQuarter(value: unknown): value is Quarter {
  if (typeof value !== 'string') return false;
  const match = QUARTER_PATTERN.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  return year >= FIRST_QUARTER_YEAR && year <= LAST_QUARTER_YEAR;
}

export const INVALID_QUARTER_MESSAGE = 'must be a quarter written YYYY-Qn, e.g. 2026-Q3';

/**
 * Why a quarter was refused: blanks around it, a year out of range, a fifth quarter, or the right
 * quarter written another way.
 */
export function quarterProblem(value: unknown): string {
  const text = String(value).trim();
  if (typeof value === 'string' && text !== value && isQuarter(text))
    return `must be written without the blanks around it: ${text}`;
  if (QUARTER_PATTERN.test(text)) {
    return `must be a quarter of the years ${FIRST_QUARTER_YEAR} to ${LAST_QUARTER_YEAR}, written YYYY-Qn; there is no ${text} in kam`;
  }
  // Spaces, then at most one hyphen or slash with spaces after it. Not `\s*[-/ ]?\s*`, which
  // matches the same texts but backtracks quadratically on a long run of spaces (a quarter
  // literal of 60,000 spaces held the server for seconds, in validation, before the token check).
  const loose =
    /^(\d{4})\s*(?:[-/]\s*)?Q\s*(\d)$/i.exec(text) ?? /^Q\s*(\d)\s*(?:[-/]\s*)?(\d{4})$/i.exec(text);
  if (!loose) return INVALID_QUARTER_MESSAGE;
  const [year, number] = /^\d{4}$/.test(loose[1]!) ? [loose[1], loose[2]] : [loose[2], loose[1]];
  if (!/^[1-4]$/.test(number!))
    return `must be one of the year's four quarters, Q1 to Q4 (YYYY-Qn); there is no Q${number}`;
  return `must be written ${year}-Q${number} (year, hyphen, capital Q and the quarter's number)`;
}

/** Parses a quarter or throws `INVALID_QUARTER` with a message that shows the expected format. */
export function parseQuarter(value: string, field = 'quarter'): Quarter {
  if (!isQuarter(value)) {
    const problem = quarterProblem(value);
    throw new DomainError('INVALID_QUARTER', `${field} ${problem}; got ${JSON.stringify(value)}.`, {
      issues: [{ path: [field], message: problem, code: 'INVALID_QUARTER' }],
    });
  }
  return value;
}

/**
 * A quarter as a consecutive integer (year × 4 + quarter − 1), so that ranges are arithmetic.
 * Reads any four-digit year: quarter arithmetic from 1900-Q1 reaches back into 1898.
 */
export function quarterIndex(quarter: Quarter): number {
  const match = QUARTER_PATTERN.exec(quarter);
  if (!match) throw new DomainError('INVALID_QUARTER', `Not a quarter: ${quarter}`);
  return Number(match[1]) * 4 + Number(match[2]) - 1;
}

/** The quarter of a `quarterIndex`, its year written with four digits (0000-Q1 … 9999-Q4). */
export function quarterFromIndex(index: number): Quarter {
  if (!Number.isInteger(index) || index < 0 || index > 9999 * 4 + 3) {
    // Unreachable from a quarter of 1900–2999 and a window of a few years: a bug, not an input.
    throw new RangeError(`Quarter index ${index} is outside the years 0000 to 9999.`);
  }
  const year = Math.floor(index / 4);
  return `${String(year).padStart(4, '0')}-Q${(index % 4) + 1}` as Quarter;
}

export function addQuarters(quarter: Quarter, n: number): Quarter {
  return quarterFromIndex(quarterIndex(quarter) + n);
}

/** The `count` quarters ending with `quarter`, oldest first (the TTM window is `trailingQuarters(q, 4)`). */
export function trailingQuarters(quarter: Quarter, count: number): Quarter[] {
  const end = quarterIndex(quarter);
  return Array.from({ length: count }, (_, i) => quarterFromIndex(end - count + 1 + i));
}

/** Every quarter from `from` to `to`, both included, oldest first. */
export function quarterRange(from: Quarter, to: Quarter): Quarter[] {
  const a = quarterIndex(from);
  const b = quarterIndex(to);
  return Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => quarterFromIndex(a + i));
}

/** The quarter a calendar date falls in (UTC). */
export function quarterOf(date: Date | string): Quarter {
  const d = typeof date === 'string' ? new Date(`${date.slice(0, 10)}T00:00:00Z`) : date;
  return quarterFromIndex(d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3));
}

/** First day of a quarter, ISO date. */
export function quarterStart(quarter: Quarter): string {
  const month = (quarterIndex(quarter) % 4) * 3 + 1;
  return `${quarter.slice(0, 4)}-${String(month).padStart(2, '0')}-01`;
}

/** Last day of a quarter, ISO date. */
export function quarterEnd(quarter: Quarter): string {
  const next = quarterStart(addQuarters(quarter, 1));
  const d = new Date(`${next}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The last quarter that has ended by `now` (UTC): the one before the current quarter. */
export function lastEndedQuarter(now: Date = new Date()): Quarter {
  return addQuarters(quarterOf(now), -1);
}

/**
 * Why a quarter that has not started by `now` (UTC) is refused, or null when it has started (the
 * running quarter has: its figures so far). It has no figures (the analytics of it would read
 * every customer as lapsed, and its financials would become the account's latest) and nothing
 * to assess (a tier of it would become the account's latest). `field` is the input that named
 * it, for the error's path.
 */
export function quarterNotStarted(
  quarter: string,
  field = 'quarter',
  now: Date = new Date(),
): DomainError | null {
  const startsOn = quarterStart(parseQuarter(quarter, field));
  if (startsOn <= now.toISOString().slice(0, 10)) return null;
  return new DomainError(
    'VALIDATION_FAILED',
    `${quarter} has not started yet (it starts on ${startsOn}): nothing of it can be recorded, computed or assessed yet. Use ${quarterOf(now)}, the running quarter, or an earlier one.`,
    {
      details: { quarter, startsOn },
      issues: [{ path: [field], message: `starts on ${startsOn}`, code: 'QUARTER_NOT_STARTED' }],
    },
  );
}

/** Throws `quarterNotStarted`'s error for a quarter that has not started by `now` (UTC). */
export function assertQuarterStarted(quarter: string, field = 'quarter', now: Date = new Date()): void {
  const refused = quarterNotStarted(quarter, field, now);
  if (refused) throw refused;
}
