import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  canonicalDecimal,
  decimalSchema,
  emailSchema,
  externalRefSchema,
  influenceSchema,
  isoDateSchema,
  moneyProblem,
  moneySchema,
  optionalEmail,
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

describe('a date outside the years of kam’s quarters', () => {
  it('is refused as a date, on every database alike', () => {
    // 0000-01-01 was stored on SQLite (quarter "0000-Q1") and failed PostgreSQL, which has no
    // year 0, with a masked "Unexpected error." that lost a PARTIAL call's good rows.
    for (const date of ['0000-01-01', '1899-12-31', '3000-01-01']) {
      expect(issues(isoDateSchema, date)).toEqual([
        ['INVALID_FORMAT', `must be a date of the years 1900 to 2999; ${date} is not`],
      ]);
    }
    expect(isoDateSchema.parse('1900-01-01')).toBe('1900-01-01');
    expect(isoDateSchema.parse('2999-12-31')).toBe('2999-12-31');
  });
});

describe('a choice from a list (an enum)', () => {
  const kind = z.enum(['ADVICE_REQUEST', 'REFERRAL']);
  it('left empty is REQUIRED, as any other required field', () => {
    // Was INVALID_VALUE 'Invalid option: expected one of "ADVICE_REQUEST"|"REFERRAL"'.
    expect(issues(kind, '')).toEqual([['REQUIRED', 'is required']]);
    expect(issues(kind, '  ')).toEqual([['REQUIRED', 'is required']]);
    expect(issues(kind, null)).toEqual([['REQUIRED', 'is required']]);
  });

  it('with another value names the values it takes, in kam’s words', () => {
    expect(issues(kind, 'PRAISE')).toEqual([
      ['INVALID_VALUE', 'must be one of ADVICE_REQUEST, REFERRAL; got "PRAISE"'],
    ]);
    expect(issues(kind, 'referral')).toEqual([['INVALID_VALUE', 'must be written REFERRAL, in capitals']]);
  });
});

describe('an e-mail address', () => {
  it('is read without the blanks around it (a spreadsheet export’s trailing space)', () => {
    expect(emailSchema.parse(' ada@example.com ')).toBe('ada@example.com');
    expect(optionalEmail.parse('ada@example.com\t')).toBe('ada@example.com');
  });

  it('optional, left blank, is no address (null), as other optional texts are', () => {
    expect(optionalEmail.parse('')).toBeNull();
    expect(optionalEmail.parse('   ')).toBeNull();
    expect(optionalEmail.parse(undefined)).toBeUndefined();
    expect(issues(emailSchema, ' ')).toEqual([['REQUIRED', 'is required']]);
  });

  it('that is not one says what one looks like', () => {
    expect(issues(emailSchema, 'ada at example.com')).toEqual([
      ['INVALID_FORMAT', 'must be an e-mail address like name@example.com; got "ada at example.com"'],
    ]);
    expect(issues(optionalEmail, 'ada@')).toEqual([
      ['INVALID_FORMAT', 'must be an e-mail address like name@example.com; got "ada@"'],
    ]);
    expect(issues(emailSchema, `${'a'.repeat(250)}@example.com`)).toEqual([
      ['TOO_BIG', 'must be at most 254 characters'],
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

describe('a decimal number (decimalSchema)', () => {
  const target = decimalSchema(10, 4);

  it('is kept in its canonical text, as a decimal column reads it back', () => {
    expect(
      ['007', '-0', '-0.000', ' 095.50 ', '-00.2500', '0.0001', '9999999999.9999'].map(canonicalDecimal),
    ).toEqual(['7', '0', '0', '95.5', '-0.25', '0.0001', '9999999999.9999']);
    expect(target.parse('007')).toBe('7');
    expect(target.parse(-0)).toBe('0');
    expect(target.parse(12.5)).toBe('12.5');
    // Leading zeros are not digits of the number: eleven written, seven that count.
    expect(target.parse('00001234567')).toBe('1234567');
  });

  it('says how to write one that is wrong, naming the slip', () => {
    expect(issues(target, '80%')).toEqual([
      ['INVALID_DECIMAL', 'must be written 80, without the percent sign (80 means 80 %)'],
    ]);
    expect(issues(target, '12.5 %')).toEqual([
      ['INVALID_DECIMAL', 'must be written 12.5, without the percent sign (12.5 means 12.5 %)'],
    ]);
    expect(issues(target, '1.234,50')).toEqual([
      [
        'INVALID_DECIMAL',
        'must be written 1234.50: without thousands separators, and with a point for the decimals',
      ],
    ]);
    expect(issues(target, '1,000.50')).toEqual([
      ['INVALID_DECIMAL', 'must be written without thousands separators, like 12.5'],
    ]);
    expect(issues(target, '4,2')).toEqual([
      ['INVALID_DECIMAL', 'must use a point for the decimals, like 12.5'],
    ]);
    expect(issues(target, 1e21)).toEqual([
      ['INVALID_DECIMAL', 'must be written out, not in exponent notation, like 12.5'],
    ]);
    expect(issues(target, '€50')).toEqual([
      ['INVALID_DECIMAL', 'must be a plain number without a unit, a currency sign or a code, like 12.5'],
    ]);
    expect(issues(target, '1.23456')).toEqual([
      ['INVALID_DECIMAL', 'must have at most 4 decimals, like 12.5'],
    ]);
    expect(issues(target, '-12345678901')).toEqual([
      [
        'INVALID_DECIMAL',
        'must have at most 10 digits before the point (at most 9999999999.9999 either way)',
      ],
    ]);
    expect(issues(target, undefined)).toEqual([['REQUIRED', 'is required']]);
  });

  it('is not read by a rule of its object when it is malformed', () => {
    let ruleRan = false;
    const schema = z.object({ target }).superRefine(() => {
      ruleRan = true;
    });
    expect(schema.safeParse({ target: '80%' }).success).toBe(false);
    expect(ruleRan).toBe(false);
    expect(schema.safeParse({ target: '80' }).success).toBe(true);
    expect(ruleRan).toBe(true);
  });
});
