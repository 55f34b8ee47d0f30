import { type EntityManager, raw } from '@mikro-orm/core';
import { dialectOfEm } from './sql-writer.ts';

/**
 * The SQL function kam's SQLite driver registers on every connection (`sqlite-driver.ts`): the
 * text folded by `foldCase`. SQLite's own `lower()` and LIKE fold only A–Z, so "österreich" would
 * not find "Österreich".
 */
export const SQLITE_LOWER_FUNCTION = 'kam_lower';

/**
 * A text folded for a case-insensitive search, as PostgreSQL folds it (`lower()` under a UTF-8
 * locale, then a final sigma as a sigma): in Unicode's composed form (NFC), every letter
 * lower-cased on its own, by its one-letter lower case. JavaScript's `toLowerCase` of a whole
 * text differs in two places, which the slow path mends: "İ" becomes "i" plus a combining dot
 * (PostgreSQL: "i"), and "Σ" at the end of a word becomes "ς" (PostgreSQL: "σ"); "ς" typed in a
 * search is folded to "σ" too, so "αθηνας" finds "ΑΘΗΝΑΣ" on both databases.
 */
export function foldCase(text: string): string {
  const composed = text.normalize('NFC');
  const lower = composed.toLowerCase();
  // Only "İ" lengthens in lower case, and only sigmas fold by context: anything else is done.
  if (lower.length === composed.length && !lower.includes('ς')) return lower;
  let folded = '';
  for (const letter of composed) {
    const one = letter.toLowerCase();
    folded += one === 'ς' ? 'σ' : String.fromCodePoint(one.codePointAt(0) ?? 0);
  }
  return folded;
}

/** The column of `property`: the same on every entity that has it (`name`, `email`, `externalRef`). */
function columnOf(em: EntityManager, property: string): string {
  const columns = new Set<string>();
  for (const meta of em.getMetadata().getAll().values()) {
    const fieldNames = meta.properties[property as never]?.fieldNames;
    if (fieldNames?.length === 1) columns.add(fieldNames[0]!);
  }
  const [column] = columns;
  if (columns.size !== 1 || !column || !/^[a-z_][a-z0-9_]*$/.test(column)) {
    throw new Error(`containsIgnoringCase: property ${property} has no single column to search.`);
  }
  return column;
}

/**
 * A filter for a search box: any of `properties` contains `text`, ignoring case the same way on
 * both databases, by comparing both sides folded (`foldCase`): PostgreSQL with `lower()` and a
 * final sigma translated; SQLite, whose LIKE ignores only ASCII case, with `kam_lower` (still in
 * SQL: nothing is loaded to be filtered). Both sides are compared in Unicode's composed form (NFC), so "Bergström" typed
 * finds a name stored with "o" and a combining diaeresis (as macOS and some exports write it).
 * `%` and `_` in the text are matched as themselves, not as wildcards: "100%" does not find
 * every record.
 */
export function containsIgnoringCase(
  em: EntityManager,
  properties: readonly string[],
  text: string,
): { $or: Record<string, unknown>[] } {
  const escaped = (t: string) => `%${t.replace(/[\\%_]/g, c => `\\${c}`)}%`;
  const pattern = escaped(foldCase(text));
  if (dialectOfEm(em) === 'postgresql') {
    return {
      $or: properties.map(property => {
        const column = columnOf(em, property);
        return {
          [raw(alias => `translate(lower(normalize(${alias}.${column}, NFC)), 'ς', 'σ')`)]: {
            $like: raw(`? escape '\\'`, [pattern]),
          },
        };
      }),
    };
  }
  return {
    $or: properties.map(property => {
      const column = columnOf(em, property);
      return {
        [raw(alias => `${SQLITE_LOWER_FUNCTION}(${alias}.${column})`)]: {
          $like: raw(`? escape '\\'`, [pattern]),
        },
      };
    }),
  };
}
