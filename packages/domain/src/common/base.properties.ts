import { DecimalType, p } from '@mikro-orm/core';
import { MoneyType } from './money.ts';
import { canonicalDecimal } from './validation.ts';

/** Integer primary key plus creation and update timestamps, shared by every table. */
export function baseProperties() {
  return {
    id: p.integer().primary().autoincrement(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  };
}

/**
 * The optimistic-lock version of an editable aggregate: MikroORM increments it on every
 * update and adds `WHERE version = ?`, so a stale write fails instead of overwriting.
 */
export function versionProperty() {
  return p.integer().version();
}

/** An exact money column (integer cents in the database, decimal string in JS). */
export function moneyProperty() {
  return p.type(MoneyType);
}

/**
 * MikroORM's decimal type read as kam writes decimals (`canonicalDecimal`): PostgreSQL returns a
 * `numeric(14,4)` as "12.5000" and SQLite, which keeps it as a number, as "12.5"; both now give
 * "12.5", so the API and the snapshots say the same on either database.
 */
class CanonicalDecimalType extends DecimalType<'string'> {
  override convertToJSValue(value: string | number): string {
    return value === null || value === undefined ? value : canonicalDecimal(String(value));
  }
}

/** An exact decimal column (`decimal(precision, scale)`), a canonical decimal string in JS. */
export function decimalProperty(precision: number, scale: number) {
  return p.type(new CanonicalDecimalType('string')).precision(precision).scale(scale);
}

/** A quarter column, `2026-Q3`. */
export function quarterProperty() {
  return p.string().length(7);
}
