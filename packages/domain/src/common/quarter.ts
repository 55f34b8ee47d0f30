import { DomainError } from './domain-error.ts';

/** A reporting quarter, written `2026-Q3`. */
export type Quarter = `${number}-Q${1 | 2 | 3 | 4}`;

const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;

export function isQuarter(value: unknown): value is Quarter {
  return typeof value === 'string' && QUARTER_PATTERN.test(value);
}

export const INVALID_QUARTER_MESSAGE = 'must be a quarter written YYYY-Qn, e.g. 2026-Q3';

/** Why a quarter was refused: a fifth quarter, or the right quarter written another way. */
export function quarterProblem(value: unknown): string {
  const text = String(value).trim();
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

/** A quarter as a consecutive integer (year × 4 + quarter − 1), so that ranges are arithmetic. */
export function quarterIndex(quarter: Quarter): number {
  const match = QUARTER_PATTERN.exec(quarter);
  if (!match) throw new DomainError('INVALID_QUARTER', `Not a quarter: ${quarter}`);
  return Number(match[1]) * 4 + Number(match[2]) - 1;
}

export function quarterFromIndex(index: number): Quarter {
  const year = Math.floor(index / 4);
  const q = (index % 4) + 1;
  return `${year}-Q${q}` as Quarter;
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
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}` as Quarter;
}

/** First day of a quarter, ISO date. */
export function quarterStart(quarter: Quarter): string {
  const i = quarterIndex(quarter);
  const month = (i % 4) * 3 + 1;
  return `${Math.floor(i / 4)}-${String(month).padStart(2, '0')}-01`;
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
 * Refuses a quarter that has not started by `now` (UTC): it has no figures (the analytics of it
 * would read every customer as lapsed) and nothing to assess (a tier of it would become the
 * account's latest). The running quarter passes (its figures so far).
 * `field` is the input that named it, for the error's path.
 */
export function assertQuarterStarted(quarter: string, field = 'quarter', now: Date = new Date()): void {
  const startsOn = quarterStart(parseQuarter(quarter));
  if (startsOn <= now.toISOString().slice(0, 10)) return;
  throw new DomainError(
    'VALIDATION_FAILED',
    `${quarter} has not started yet (it starts on ${startsOn}): nothing of it can be computed or assessed yet. Use ${quarterOf(now)}, the running quarter, or an earlier one.`,
    {
      details: { quarter, startsOn },
      issues: [{ path: [field], message: `starts on ${startsOn}`, code: 'QUARTER_NOT_STARTED' }],
    },
  );
}
