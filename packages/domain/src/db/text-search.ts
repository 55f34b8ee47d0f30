import { type EntityManager, raw } from '@mikro-orm/core';
import { dialectOfEm } from './sql-writer.ts';

/**
 * The SQL function kam's SQLite driver registers on every connection (`sqlite-driver.ts`): the
 * text in Unicode's composed form (NFC) lower-cased by JavaScript's `toLowerCase`. SQLite's own
 * `lower()` and LIKE fold only A–Z, so "österreich" would not find "Österreich".
 */
export const SQLITE_LOWER_FUNCTION = 'kam_lower';

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
 * both databases: PostgreSQL with ILIKE; SQLite, whose LIKE ignores only ASCII case, by
 * comparing both sides lower-cased with `kam_lower` (still in SQL: nothing is loaded to be
 * filtered). Both sides are compared in Unicode's composed form (NFC), so "Bergström" typed
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
  if (dialectOfEm(em) === 'postgresql') {
    const pattern = escaped(text.normalize('NFC'));
    return {
      $or: properties.map(property => {
        const column = columnOf(em, property);
        return {
          [raw(alias => `normalize(${alias}.${column}, NFC)`)]: { $ilike: raw(`? escape '\\'`, [pattern]) },
        };
      }),
    };
  }
  const pattern = escaped(text.normalize('NFC').toLowerCase());
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
