import { z } from 'zod';
import { DomainError, type DomainErrorCode, type FieldIssue } from './domain-error.ts';
import { fromCents, MAX_MONEY_CENTS, type Money, toCents } from './money.ts';
import {
  FIRST_QUARTER_YEAR,
  INVALID_QUARTER_MESSAGE,
  isQuarter,
  LAST_QUARTER_YEAR,
  type Quarter,
  quarterProblem,
} from './quarter.ts';
import { counted } from './words.ts';

// A missing required field says so, instead of zod's "expected string, received undefined", and
// a choice from a list (an enum) names its values in kam's words.
z.config({
  customError: issue => {
    if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
    if (issue.code === 'invalid_value') return choiceProblem(issue.input, issue.values);
    return undefined;
  },
});

/**
 * Why a value is not one of `values`: "is required" when it is blank (an empty CSV cell, as any
 * other required field), the value in capitals when only its case is wrong, else the list.
 */
function choiceProblem(input: unknown, values: readonly unknown[]): string {
  if (input === null || (typeof input === 'string' && input.trim() === '')) return 'is required';
  const written = typeof input === 'string' ? values.find(v => v === input.trim().toUpperCase()) : undefined;
  if (written !== undefined) return `must be written ${String(written)}, in capitals`;
  const got = JSON.stringify(input) ?? String(input);
  return `must be one of ${values.map(String).join(', ')}; got ${got.length > 60 ? `${got.slice(0, 57)}…` : got}`;
}

/**
 * Input schemas are written once, here in the domain, and reused by the API and the
 * importers. A refinement that stands for a domain rule carries the rule's code in
 * `params.code`, so a caller sees `SCORE_OUT_OF_RANGE` rather than a generic `too_big`.
 */
export function ruled<T extends z.ZodType>(
  schema: T,
  check: (v: z.output<T>) => boolean,
  code: DomainErrorCode,
  message: string,
) {
  return schema.refine(check, { message, params: { code } });
}

/**
 * The issue a `superRefine` adds for a domain rule, with the rule's code in `params.code`:
 * `ctx.addIssue(ruleIssue('SIGNAL_SENTIMENT_REQUIRED', ['sentiment'], 'feedback needs a sentiment'))`.
 */
export function ruleIssue(code: DomainErrorCode, path: (string | number)[], message: string) {
  return { code: 'custom' as const, path, message, params: { code } };
}

/**
 * A schema's message for a value of the wrong type, but "is required" (code REQUIRED) when there
 * is no value: a schema's own `error` replaces the global one above, and "must be a text
 * identifier" for an empty CSV cell or a field left out does not say that it is missing.
 */
export function unlessMissing(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message);
}

/** An assessed score: a whole number 1–5. */
export const scoreSchema = ruled(
  z.number({ error: unlessMissing('must be a whole number from 1 to 5') }),
  v => Number.isInteger(v) && v >= 1 && v <= 5,
  'SCORE_OUT_OF_RANGE',
  'must be a whole number from 1 to 5',
);

/** A contact's influence: a whole number 1–5. */
export const influenceSchema = scoreSchema;

/** A quarter, `2026-Q3`; spaces around it are dropped, as they are around amounts and numbers. */
export const quarterSchema = z
  .string({ error: unlessMissing(INVALID_QUARTER_MESSAGE) })
  .trim()
  .refine(isQuarter, {
    error: issue => quarterProblem(issue.input),
    params: { code: 'INVALID_QUARTER' },
  })
  .transform(v => v as Quarter);

const INVALID_MONEY_MESSAGE = 'must be a decimal amount with at most two decimals, like 1250.50';

/**
 * The hint for a number written as a spreadsheet shows it (thousands separators, a decimal
 * comma, both at once, exponent notation), or null when it is none of these; `example` is a
 * number written right.
 */
function spreadsheetSlip(text: string, example: string): string | null {
  // A European spreadsheet's "1.234,50" or "1 234,50": both slips at once, so the number is shown.
  const european = /^(-?)(\d{1,3}(?:[.'\s]\d{3})+),(\d{1,2})$/.exec(text);
  if (european) {
    return `must be written ${european[1]}${european[2]!.replace(/\D/g, '')}.${european[3]}: without thousands separators, and with a point for the decimals`;
  }
  if (/^-?\d{1,3}([,' ]\d{3})+(\.\d+)?$/.test(text)) {
    return `must be written without thousands separators, like ${example}`;
  }
  if (/^-?\d+,\d{1,2}$/.test(text)) return `must use a point for the decimals, like ${example}`;
  if (/^-?\d+(\.\d+)?e[+-]?\d+$/i.test(text)) {
    return `must be written out, not in exponent notation, like ${example}`;
  }
  return null;
}

/**
 * Why an amount was refused, in words that say how to write it: the usual slips of a
 * spreadsheet export (thousands separators, a decimal comma, a currency sign, a third decimal,
 * exponent notation) each get their own hint; anything else the general rule.
 */
export function moneyProblem(value: unknown): string {
  const text = String(value).trim();
  if (/^-?\d+(\.\d{1,2})?$/.test(text)) {
    return `must be at most ${fromCents(MAX_MONEY_CENTS)} either way (kam stores amounts in cents exactly)`;
  }
  if (/^-?\d+\.\d{3,}$/.test(text)) return 'must have at most two decimals (whole cents), like 1250.50';
  const slip = spreadsheetSlip(text, '1250.50');
  if (slip) return slip;
  if (/\d/.test(text) && /[^\d.,\s+-]/.test(text)) {
    return 'must be a plain number without a currency sign or code, like 1250.50 (amounts are in the reporting currency)';
  }
  return INVALID_MONEY_MESSAGE;
}

/** A decimal number written plainly: its sign, the digits before the point and those after it. */
const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Why `value` is not a decimal number with at most `integerDigits` digits before the point and
 * `decimals` after it (a `decimal(integerDigits + decimals, decimals)` column), in words that say
 * how to write it, or null when it is one. Leading zeros count for nothing ("007" is 7); the
 * slips of a spreadsheet get their own hints, as amounts do, and so does a percent sign.
 */
export function decimalProblem(value: unknown, integerDigits: number, decimals: number): string | null {
  const text = String(value).trim();
  const example = '12.5';
  const number = DECIMAL_PATTERN.exec(text);
  if (number) {
    if ((number[3] ?? '').length > decimals) {
      return `must have at most ${counted(decimals, 'decimal')}, like ${example}`;
    }
    if (number[2]!.replace(/^0+/, '').length > integerDigits) {
      const largest = `${'9'.repeat(integerDigits)}${decimals > 0 ? `.${'9'.repeat(decimals)}` : ''}`;
      return `must have at most ${counted(integerDigits, 'digit')} before the point (at most ${largest} either way)`;
    }
    return null;
  }
  const percent = /^(-?\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (percent)
    return `must be written ${percent[1]}, without the percent sign (${percent[1]} means ${percent[1]} %)`;
  const slip = spreadsheetSlip(text, example);
  if (slip) return slip;
  if (/\d/.test(text) && /[^\d.,\s+-]/.test(text)) {
    return `must be a plain number without a unit, a currency sign or a code, like ${example}`;
  }
  return `must be a number with at most ${counted(decimals, 'decimal')}, like ${example}`;
}

/**
 * The canonical text of a decimal number that `decimalProblem` accepts, as kam writes its own
 * (the default KPI targets "80", "4.2") and SQLite reads a `decimal` column back: no leading
 * zeros, no trailing zeros after the point, no point without decimals, and no "-0" ("007" → "7",
 * "-0.0" → "0", "12.5000" → "12.5"). Exact: text in, text out, no float in between.
 */
export function canonicalDecimal(text: string): string {
  const [, sign, whole, fraction] = DECIMAL_PATTERN.exec(text.trim()) ?? [];
  if (whole === undefined) throw new RangeError(`Not a decimal number: ${JSON.stringify(text)}`);
  const units = whole.replace(/^0+(?=\d)/, '');
  const decimalsWritten = (fraction ?? '').replace(/0+$/, '');
  const body = decimalsWritten ? `${units}.${decimalsWritten}` : units;
  return sign && body !== '0' ? `-${body}` : body;
}

/**
 * A decimal number for a `decimal(integerDigits + decimals, decimals)` column, given as a string
 * ("12.5") or a number, parsed into its canonical text (`canonicalDecimal`). A malformed one is
 * INVALID_DECIMAL, saying how to write it (`decimalProblem`), and it aborts: a rule of the
 * object over the number (a range) does not run on a text that is not one.
 */
export function decimalSchema(integerDigits: number, decimals: number) {
  return z
    .union([z.string(), z.number()], {
      error: unlessMissing(`must be a number with at most ${counted(decimals, 'decimal')}, like 12.5`),
    })
    .transform((v, ctx): string => {
      const problem = decimalProblem(v, integerDigits, decimals);
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          message: problem,
          params: { code: 'INVALID_DECIMAL' },
          continue: false,
        });
        return z.NEVER;
      }
      return canonicalDecimal(String(v));
    });
}

/** Cents of a money input within the range kam stores, or undefined. */
function centsOfInput(v: string | number): bigint | undefined {
  try {
    const cents = toCents(v);
    return cents <= MAX_MONEY_CENTS && cents >= -MAX_MONEY_CENTS ? cents : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A decimal amount with at most two decimals, given as a string ("1250.50") or a number;
 * parsed once (bulk calls check hundreds of thousands of amounts) into its canonical form.
 */
export const moneySchema = z
  .union([z.string(), z.number()], { error: unlessMissing('must be a decimal amount like 1250.50') })
  .transform((v, ctx): Money => {
    const cents = centsOfInput(v);
    if (cents === undefined) {
      ctx.addIssue({ code: 'custom', message: moneyProblem(v), params: { code: 'INVALID_MONEY' } });
      return z.NEVER;
    }
    return fromCents(cents);
  });

export const nonNegativeMoneySchema = moneySchema.refine(v => toCents(v) >= 0n, {
  message: 'must not be negative',
  params: { code: 'INVALID_MONEY' },
});

/** An ISO calendar date, `YYYY-MM-DD`. */
const INVALID_DATE_MESSAGE = 'must be a date written YYYY-MM-DD';

/** Whether YYYY-MM-DD names a day of the calendar (not 2026-02-30). */
function isCalendarDay(written: string): boolean {
  const date = new Date(`${written}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === written;
}

/**
 * Whether YYYY-MM-DD names a date kam takes: a day of the calendar (not 2026-02-30) in the years
 * of its quarters, 1900 to 2999. A year like 0000 is a typing slip that PostgreSQL, which has no
 * year 0, would refuse with its own error, while SQLite stored it.
 */
export function isKamDate(written: string): boolean {
  return isCalendarDay(written) && inKamYears(written);
}

/** Whether a date written YYYY-MM-DD is of the years of kam's quarters, 1900 to 2999. */
function inKamYears(written: string): boolean {
  const year = Number(written.slice(0, 4));
  return year >= FIRST_QUARTER_YEAR && year <= LAST_QUARTER_YEAR;
}

/** Why a day of the calendar is not a date kam takes (`isKamDate`). */
function yearProblem(written: string): string {
  return `must be a date of the years ${FIRST_QUARTER_YEAR} to ${LAST_QUARTER_YEAR}; ${written} is not`;
}

/** Why YYYY-MM-DD (not a calendar day) is not one: "2026-02 has 28 days", "there is no month 13". */
function notACalendarDay(written: string): string {
  const [year, month, day] = written.split('-').map(Number) as [number, number, number];
  if (month < 1 || month > 12) return `there is no month ${month}`;
  if (day < 1) return 'days start at 01';
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${written.slice(0, 7)} has ${days} days`;
}

/**
 * Why a date was refused: a day the calendar does not have, the right date without its
 * leading zeros, or a day/month order that kam cannot guess.
 */
export function dateProblem(value: unknown): string {
  const text = String(value).trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) {
    const written = `${iso[1]}-${iso[2]!.padStart(2, '0')}-${iso[3]!.padStart(2, '0')}`;
    if (!isCalendarDay(written)) return `must be a day of the calendar: ${notACalendarDay(written)}`;
    if (!isKamDate(written)) return yearProblem(written);
    return `must be written ${written} (YYYY-MM-DD, with leading zeros)`;
  }
  const local = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(text);
  if (local) {
    // Day first (most of the world) or month first (the United States): the calendar days either reads as.
    const [first, second, year] = [local[1]!.padStart(2, '0'), local[2]!.padStart(2, '0'), local[3]!];
    const readings = [...new Set([`${year}-${second}-${first}`, `${year}-${first}-${second}`])].filter(
      isCalendarDay,
    );
    if (readings.length === 0) return 'must be a day of the calendar, read day first or month first';
    if (readings.length === 1) return `must be written ${readings[0]} (YYYY-MM-DD)`;
    return `must be written YYYY-MM-DD: ${text} could be ${readings.join(' or ')}`;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) return `must be a date alone, ${text.slice(0, 10)}, without a time`;
  return INVALID_DATE_MESSAGE;
}

/**
 * An ISO calendar date, `YYYY-MM-DD`; spaces around it are dropped first (a string format checks
 * before a `.trim()` after it would run, so the trimmed text goes through a pipe).
 */
export const isoDateSchema = z
  .string({ error: unlessMissing(INVALID_DATE_MESSAGE) })
  .trim()
  .pipe(
    z.iso
      .date({
        abort: true,
        error: issue => (issue.code === 'invalid_format' ? dateProblem(issue.input) : INVALID_DATE_MESSAGE),
      })
      // A day of the calendar by now (the format check above aborts otherwise): its year is left.
      .refine(inKamYears, { error: issue => dateProblem(issue.input), params: { code: 'INVALID_FORMAT' } }),
  );

export const externalRefSchema = z
  .string({ error: unlessMissing('must be a text identifier') })
  .trim()
  .min(1, 'must not be empty')
  .max(120, 'must be at most 120 characters');

export const nameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');
const EMAIL_MESSAGE = 'must be an e-mail address like name@example.com';
const emailAddress = z
  .email({ error: issue => `${EMAIL_MESSAGE}; got ${JSON.stringify(issue.input)}` })
  .max(254, 'must be at most 254 characters');

/** An e-mail address, without the blanks around it (a spreadsheet export's trailing space). */
export const emailSchema = z
  .string({ error: unlessMissing(EMAIL_MESSAGE) })
  .trim()
  .min(1, 'is required')
  .pipe(emailAddress);

/**
 * An optional e-mail address: trimmed, and blank read as no address, `null`, as an optional text
 * is (`optionalText`); left out it stays `undefined`.
 */
export const optionalEmail = z
  .string({ error: unlessMissing(EMAIL_MESSAGE) })
  .trim()
  .transform(v => (v === '' ? null : v))
  .pipe(emailAddress.nullable())
  .nullish();

/**
 * An optional free text (an industry, a title, a note): trimmed, at most `max` characters, and
 * blank (empty or only whitespace) read as no value, `null`, so that a report or filter sees one
 * kind of empty. Left out it stays `undefined`: an update keeps the stored value, while `null`
 * or a blank text clears it.
 */
export function optionalText(
  max: number,
  message = `must be at most ${max.toLocaleString('en-US')} characters`,
) {
  return z
    .string()
    .trim()
    .max(max, message)
    .transform(v => (v === '' ? null : v))
    .nullish();
}

/**
 * A free text stored in a NOT NULL column (a value initiative's desired gains, a programme's
 * objectives): trimmed like an optional text (`optionalText`), and blank (empty or only
 * whitespace) stored as "", the column's no value. Give it `.default('')` where it may be left out.
 */
export const requiredColumnText = z.string().trim().max(20_000, 'must be at most 20,000 characters');

export const idSchema = z.number().int().positive();
export const versionSchema = z
  .number({ error: unlessMissing('must be the version you last read') })
  .int()
  .min(1);

/**
 * Converts zod issues to field issues, keeping a rule's own code when it has one. A refinement
 * without one would surface as zod's generic `CUSTOM`; it reads VALIDATION_FAILED instead
 * (give it a code with `ruled` or `ruleIssue`).
 */
export function toFieldIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: (string | number)[] = [],
): FieldIssue[] {
  return issues.map(issue => {
    const params = 'params' in issue ? (issue.params as { code?: string } | undefined) : undefined;
    return {
      path: [...prefix, ...issue.path.map(p => (typeof p === 'symbol' ? String(p) : p))],
      message: issue.message,
      code:
        params?.code ??
        ((issue.code === 'invalid_type' ||
          issue.code === 'invalid_union' ||
          issue.code === 'invalid_value' ||
          issue.code === 'too_small') &&
        issue.message === 'is required'
          ? 'REQUIRED'
          : issue.code === 'custom'
            ? 'VALIDATION_FAILED'
            : issue.code.toUpperCase()),
    };
  });
}

/** The single top-level code for a set of issues: the rule's own code when all issues share it. */
export function codeForIssues(issues: FieldIssue[]): DomainErrorCode {
  const codes = new Set(issues.map(i => i.code));
  const [only] = codes;
  if (
    codes.size === 1 &&
    (only === 'SCORE_OUT_OF_RANGE' || only === 'INVALID_QUARTER' || only === 'INVALID_MONEY')
  ) {
    return only;
  }
  return 'VALIDATION_FAILED';
}

export function describeIssues(issues: FieldIssue[], limit = 5): string {
  const parts = issues
    .slice(0, limit)
    .map(i => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`);
  const more = issues.length > limit ? `; and ${issues.length - limit} more` : '';
  return parts.join('; ') + more;
}

/** Parses input with a domain schema; on failure throws a `DomainError` that lists every bad field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, what = 'input'): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error.issues);
  throw new DomainError(codeForIssues(issues), `Invalid ${what}: ${describeIssues(issues)}.`, { issues });
}
