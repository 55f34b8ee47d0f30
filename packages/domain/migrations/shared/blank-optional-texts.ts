import type { Migration } from '@mikro-orm/migrations';

/**
 * Optional free texts store a blank value (empty, or only whitespace) as null since the inputs
 * read it as no value (`optionalText` in src/common/validation.ts): before, "" and "  " were
 * stored as text, a second kind of empty beside null for filters, reports and CSV exports. This
 * sets those stored blanks to null, in the columns the inputs now normalise. Whitespace is
 * what JavaScript's trim removes. Versions are not bumped: what a client read meant the same.
 */
const COLUMNS: [table: string, column: string][] = [
  ['account', 'industry'],
  ['contact', 'title'],
  ['contact', 'what_they_value'],
  ['customer_signal', 'note'],
  ['customer_signal', 'topic'],
  ['key_account_designation', 'reason'],
  ['opportunity', 'lost_reason'],
  ['person', 'title'],
  ['plan_sign_off', 'comment'],
  ['segment', 'channel'],
  ['segment', 'description'],
  ['selection_assessment', 'notes'],
  ['service_package', 'description'],
  ['survey_response', 'comment'],
  ['value_initiative', 'recognition_note'],
];

/** The code points of the whitespace String.prototype.trim removes. */
export const WHITESPACE = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
];

/**
 * The statements of the migration on one database: `trimmed(column, whitespace)` is its SQL for
 * the column with the given characters trimmed off both ends.
 */
export function clearBlankTexts(
  migration: Migration,
  trimmed: (column: string, whitespace: number[]) => string,
): void {
  for (const [table, column] of COLUMNS) {
    migration.addSql(
      `update "${table}" set "${column}" = null where ${trimmed(`"${column}"`, WHITESPACE)} = '';`,
    );
  }
}
