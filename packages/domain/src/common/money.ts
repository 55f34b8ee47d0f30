import { Type } from '@mikro-orm/core';
import { centsOfText } from './cents.ts';
import { DomainError } from './domain-error.ts';

/**
 * Money is exact. In memory it is a decimal string with exactly two fraction digits
 * (`"1234.50"`); in the database it is an integer number of minor units (cents) in a
 * `bigint` column. SQLite has no exact decimal column (a `numeric` value with a fraction
 * is stored as a binary float), so integer minor units are the only representation that
 * stores and sums exactly on both databases; `SUM()` over them is exact everywhere.
 * All arithmetic happens on `bigint` cents.
 */
export type Money = string;

/**
 * Largest amount we accept, in cents: 2^53 − 1 (90,071,992,547,409.91). Cents travel to and
 * from the drivers as JS numbers (better-sqlite3 reads integers as numbers), which are exact
 * only up to 2^53; a larger amount would be stored rounded. Sums stay inside a signed 64-bit
 * integer; one beyond 2^53 is read from SQLite as text (`exactCents` in analytics/sql.ts), and an
 * inexact number fails loudly (`centsFromDb`) instead of rounding.
 */
export const MAX_MONEY_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

/** Parses a decimal amount ("1234.5", "-3", 12.25) into cents; throws `INVALID_MONEY` otherwise. */
export function toCents(value: string | number | bigint, field = 'amount'): bigint {
  if (typeof value === 'bigint') return value * 100n;
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const cents = text === null ? null : centsOfText(text);
  if (cents === null) {
    throw new DomainError(
      'INVALID_MONEY',
      `${field} must be a decimal amount with at most two decimals, like 1250.50; got ${JSON.stringify(value)}.`,
      {
        issues: [
          {
            path: [field],
            message: 'expected a decimal amount with at most 2 decimals',
            code: 'INVALID_MONEY',
          },
        ],
      },
    );
  }
  return cents;
}

function numberToPlainString(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  const text = String(value);
  return /e/i.test(text) ? null : text;
}

/** Formats cents as a decimal string with two fraction digits. */
export function fromCents(cents: bigint): Money {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const units = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${units}.${fraction}`;
}

/** Normalises a money input to its canonical string ("12.5" → "12.50"). */
export function money(value: string | number | bigint, field?: string): Money {
  return fromCents(toCents(value, field));
}

export function sumMoney(values: Iterable<Money | null | undefined>): Money {
  let total = 0n;
  for (const v of values) if (v != null) total += toCents(v);
  return fromCents(total);
}

export function subtractMoney(a: Money, b: Money): Money {
  return fromCents(toCents(a) - toCents(b));
}

export function isPositiveMoney(value: Money | null | undefined): boolean {
  return value != null && toCents(value) > 0n;
}

/** Converts a database aggregate of cents (number, bigint or numeric string) to cents. */
export function centsFromDb(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value))
      throw new Error(`Unexpected non-integer cents from the database: ${value}`);
    return BigInt(value);
  }
  const text = String(value);
  // PostgreSQL returns SUM(bigint) as numeric, sometimes with a ".0" scale.
  return BigInt(text.replace(/\.0+$/, ''));
}

/**
 * Ratio of two cent amounts as a JS number, for shares and margins (not money).
 * Returns null when the denominator is zero.
 */
export function ratio(numerator: bigint, denominator: bigint): number | null {
  if (denominator === 0n) return null;
  return Number(numerator) / Number(denominator);
}

/** MikroORM type: a `Money` string in JS, integer cents in a `bigint` column. */
export class MoneyType extends Type<Money | null, number | null> {
  override convertToDatabaseValue(value: Money | null): number | null {
    if (value === null || value === undefined) return null;
    const cents = toCents(value);
    if (cents > MAX_MONEY_CENTS || cents < -MAX_MONEY_CENTS) {
      throw new DomainError(
        'INVALID_MONEY',
        `Amount ${value} is out of range (at most ±${fromCents(MAX_MONEY_CENTS)}).`,
      );
    }
    return Number(cents);
  }

  override convertToJSValue(value: number | string | bigint | null): Money | null {
    if (value === null || value === undefined) return null;
    return fromCents(centsFromDb(value));
  }

  /**
   * Restores an amount from a pagination cursor (which carries the Money string). Without it
   * MikroORM would pass the cursor's "900.00" to convertToJSValue, which reads database cents.
   */
  override fromJSON(value: unknown): Money {
    if (typeof value !== 'string') throw new Error('A cursor amount must be a decimal string.');
    return fromCents(toCents(value));
  }

  override compareAsType(): string {
    return 'string';
  }

  override getColumnType(): string {
    return 'bigint';
  }
}
