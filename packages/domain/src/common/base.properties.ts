import { p } from '@mikro-orm/core';
import { MoneyType } from './money.ts';

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

/** A quarter column, `2026-Q3`. */
export function quarterProperty() {
  return p.string().length(7);
}
