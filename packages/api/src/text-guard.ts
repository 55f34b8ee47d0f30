import { createGraphQLError, type Plugin } from 'graphql-yoga';

// Text neither database can take: PostgreSQL refuses NUL in text and unpaired surrogates in
// json, and a NUL cuts the SQL text short (the ORM inlines values). Found by the reliability
// suite: such input reached the database and came back as "Unexpected error.".
// (`isWellFormed` is false exactly when the string holds an unpaired surrogate.)
export const unstorable = (text: string) => text.includes('\u0000') || !text.isWellFormed();
// A NUL written as an escape inside a GraphQL string literal of the document.
const NUL_ESCAPE = /\\u(?:0000|\{0+\})/i;
// Input types are far shallower; deeper JSON is refused by GraphQL's own coercion.
const MAX_DEPTH = 64;

/**
 * The path (keys, innermost first) to the first unstorable string or key in `value`, or
 * undefined. Bulk calls send tens of thousands of values: nothing is allocated on the way
 * unless something is found.
 */
function unstorableAt(value: unknown, depth: number): string[] | undefined {
  if (typeof value === 'string') return unstorable(value) ? [] : undefined;
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableAt(value[i], depth + 1);
      if (found) return [...found, String(i)];
    }
    return undefined;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (unstorable(key)) return [key];
    const found = unstorableAt((value as Record<string, unknown>)[key], depth + 1);
    if (found) return [...found, key];
  }
  return undefined;
}

/**
 * Refuses, with HTTP 400 and a message saying where, a request whose query or variables hold
 * a NUL character or an unpaired UTF-16 surrogate.
 */
export function useTextGuard(): Plugin {
  return {
    onParams({ params }) {
      // A query that is not a string is Yoga's to refuse (400), after this hook.
      const query: unknown = params.query;
      const inVariables = unstorableAt(params.variables, 0);
      const where =
        (typeof query === 'string' && (unstorable(query) || NUL_ESCAPE.test(query)) ? 'query' : undefined) ??
        (inVariables ? ['variables', ...inVariables.reverse()].join('.') : undefined);
      if (!where) return;
      throw createGraphQLError(
        `The request's text at ${where} contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored. Remove it or replace it with U+FFFD.`,
        { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
      );
    },
  };
}
