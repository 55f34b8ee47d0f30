import { type EntityManager, raw } from '@mikro-orm/core';
import { dialectOfEm } from './sql-writer.ts';

/**
 * A filter for a search box: any of `properties` contains `text`, ignoring case the same way on
 * both databases (SQLite's LIKE already ignores ASCII case; PostgreSQL needs ILIKE). `%` and `_`
 * in the text are matched as themselves, not as wildcards: "100%" does not find every record.
 */
export function containsIgnoringCase(
  em: EntityManager,
  properties: readonly string[],
  text: string,
): { $or: Record<string, unknown>[] } {
  const like = dialectOfEm(em) === 'postgresql' ? '$ilike' : '$like';
  const pattern = `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`;
  return {
    $or: properties.map(property => ({ [property]: { [like]: raw(`? escape '\\'`, [pattern]) } })),
  };
}
