import { createGraphQLError, type Plugin } from 'graphql-yoga';

// Text neither database can take: PostgreSQL refuses NUL in text and unpaired surrogates in
// json, and a NUL cuts the SQL text short (the ORM inlines values). Found by the reliability
// suite: such input reached the database and came back as "Unexpected error.".
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);
// A NUL written as an escape inside a GraphQL string literal of the document.
const NUL_ESCAPE = /\\u(?:0000|\{0+\})/i;
// Input types are far shallower; deeper JSON is refused by GraphQL's own coercion.
const MAX_DEPTH = 64;

function unstorableAt(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === 'string') return unstorable(value) ? path : undefined;
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (unstorable(key)) return `${path}.${key}`;
    const found = unstorableAt(item, `${path}.${key}`, depth + 1);
    if (found) return found;
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
      const where =
        (typeof query === 'string' && (unstorable(query) || NUL_ESCAPE.test(query)) ? 'query' : undefined) ??
        unstorableAt(params.variables, 'variables', 0);
      if (!where) return;
      throw createGraphQLError(
        `The request's text at ${where} contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored. Remove it or replace it with U+FFFD.`,
        { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
      );
    },
  };
}
