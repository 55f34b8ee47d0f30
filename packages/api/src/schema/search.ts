import { containsIgnoringCase } from '@kam/domain';
import type { KamContext } from '../context.ts';
import { ValidationError } from '../errors.ts';
import { LIMITS } from '../limits.ts';

/**
 * The filter of a list's `search` argument: any of `properties` contains the text, ignoring
 * case (nothing when there is no text). A text longer than LIMITS.maxSearchLength is refused
 * (TOO_BIG) before it reaches the database: it can match nothing, and the database would
 * compare it with every row (or, past SQLite's LIKE pattern limit, fail as "Unexpected error.").
 */
export function searchFilter(
  ctx: KamContext,
  properties: readonly string[],
  search: string | null | undefined,
): Record<string, unknown> {
  if (!search) return {};
  if (search.length > LIMITS.maxSearchLength) {
    throw ValidationError.at(
      ['search'],
      `search must be at most ${LIMITS.maxSearchLength} characters; you sent ${search.length}.`,
      `at most ${LIMITS.maxSearchLength} characters`,
      'TOO_BIG',
    );
  }
  return containsIgnoringCase(ctx.em, properties, search);
}
