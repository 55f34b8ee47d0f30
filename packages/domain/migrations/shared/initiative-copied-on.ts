import type { Migration } from '@mikro-orm/migrations';
import { WHITESPACE } from './blank-optional-texts.ts';

/**
 * The data part of `Migration20261207170000_initiative_copied_on`, the same on both databases.
 *
 * - An initiative marked copied before the copy day was recorded gets its start day as the day it
 *   was copied: the category it had before was overwritten with EXPECTED and is unknown, so it
 *   reads as EXPECTED, without premium, in every quarter, as it read before (no invented
 *   category, no figure of a quarter turned PROVEN again). `category_before_copy` stays null.
 * - Desired gains stored blank (only whitespace) become "" (the column is not nullable), as the
 *   input now stores them. `trimmed(column, whitespace)` is the database's SQL for the column
 *   with those characters (JavaScript's trim, as in `blank-optional-texts.ts`) trimmed off both ends. Versions are not bumped: what a client read
 *   meant the same.
 */
export function fillCopiedOn(
  migration: Migration,
  trimmed: (column: string, whitespace: number[]) => string,
) {
  migration.addSql(
    `update "value_initiative" set "copied_on" = "started_on" where "copied_by_competitor" = true and "copied_on" is null;`,
  );
  migration.addSql(
    `update "value_initiative" set "desired_gains" = '' where "desired_gains" <> '' and ${trimmed('"desired_gains"', WHITESPACE)} = '';`,
  );
}
