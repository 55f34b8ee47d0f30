import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  externalRefSchema,
  influenceSchema,
  isoDateSchema,
  moneyProblem,
  moneySchema,
  quarterSchema,
  scoreSchema,
  toFieldIssues,
  versionSchema,
} from './validation.ts';

/** The field issues (code and message) a schema gives for `value` as field `field`. */
function issues(schema: z.ZodType, value: unknown, field = 'field') {
  const result = z.object({ [field]: schema }).safeParse(value === undefined ? {} : { [field]: value });
  return result.success ? [] : toFieldIssues(result.error.issues).map(i => [i.code, i.message]);
}

describe('a missing value', () => {
  it('is REQUIRED, "is required", whatever the schema says of a value of the wrong type', () => {
    // Was INVALID_TYPE "must be a text identifier" / "must be a whole number from 1 to 5": the
    // schema's own message hid that nothing was given (an empty CSV cell, a field left out).
    for (const schema of [
      externalRefSchema,
      scoreSchema,
      influenceSchema,
      quarterSchema,
      isoDateSchema,
      moneySchema,
      versionSchema,
    ]) {
      expect(issues(schema, undefined)).toEqual([['REQUIRED', 'is required']]);
    }
  });

  it("keeps the schema's own message for a value of the wrong type", () => {
    expect(issues(externalRefSchema, 42)).toEqual([['INVALID_TYPE', 'must be a text identifier']]);
    expect(issues(scoreSchema, 'high')).toEqual([['INVALID_TYPE', 'must be a whole number from 1 to 5']]);
    expect(issues(moneySchema, true)).toEqual([['INVALID_UNION', 'must be a decimal amount like 1250.50']]);
    expect(issues(externalRefSchema, '  ')).toEqual([['TOO_SMALL', 'must not be empty']]);
  });
});

describe('dates and quarters', () => {
  it('are read without the spaces around them, as amounts and whole numbers are', () => {
    // Was INVALID_QUARTER "must be written 2026-Q4 …", telling the user to write what they wrote.
    expect(quarterSchema.parse(' 2026-Q4')).toBe('2026-Q4');
    expect(quarterSchema.parse('2026-Q4 \t')).toBe('2026-Q4');
    expect(isoDateSchema.parse(' 2026-01-05')).toBe('2026-01-05');
    expect(isoDateSchema.parse('2026-01-05 ')).toBe('2026-01-05');
  });

  it('still say how to write one that is wrong', () => {
    expect(issues(quarterSchema, ' 2026 q4')).toEqual([
      ['INVALID_QUARTER', "must be written 2026-Q4 (year, hyphen, capital Q and the quarter's number)"],
    ]);
    expect(issues(isoDateSchema, ' 2026-1-5')).toEqual([
      ['INVALID_FORMAT', 'must be written 2026-01-05 (YYYY-MM-DD, with leading zeros)'],
    ]);
    expect(issues(isoDateSchema, '2026-02-30')).toEqual([
      ['INVALID_FORMAT', 'must be a day of the calendar: 2026-02 has 28 days'],
    ]);
  });
});

describe('an amount written the European way', () => {
  it('is told to drop the thousands separators and use a decimal point', () => {
    // Was only the generic "must be a decimal amount with at most two decimals, like 1250.50".
    const hint = 'must be written 1234.50: without thousands separators, and with a point for the decimals';
    expect(moneyProblem('1.234,50')).toBe(hint);
    expect(moneyProblem('1 234,50')).toBe(hint);
    expect(moneyProblem('1\u202f234,50')).toBe(hint);
    expect(moneyProblem('-12.345.678,5')).toBe(
      'must be written -12345678.5: without thousands separators, and with a point for the decimals',
    );
    // The hints that fired before still do.
    expect(moneyProblem('1,234.50')).toBe('must be written without thousands separators, like 1250.50');
    expect(moneyProblem('1234,50')).toBe('must use a point for the decimals, like 1250.50');
  });
});
