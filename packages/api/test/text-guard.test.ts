import { describe, expect, it } from 'vitest';
import { useTextGuard } from '../src/text-guard.ts';

/** Runs the guard's onParams hook on a request's params; the error message, or undefined. */
function refusal(params: { query?: unknown; variables?: unknown }): string | undefined {
  const { onParams } = useTextGuard() as { onParams: (payload: { params: unknown }) => void };
  try {
    onParams({ params });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('text guard', () => {
  it('names where a NUL or an unpaired surrogate is, in the query or deep in the variables', () => {
    const rows = [
      { externalRef: 'A-1', name: 'Fine' },
      { externalRef: 'A-2', name: 'x\u0000y' },
    ];
    expect(refusal({ query: '{ a }', variables: { rows } })).toMatch(
      /at variables\.rows\.1\.name contains a NUL/,
    );
    expect(refusal({ variables: { rows: [{ tags: ['ok', 'lone \ud800 high'] }] } })).toMatch(
      /at variables\.rows\.0\.tags\.1 /,
    );
    expect(refusal({ variables: { rows: [{ 'key\udc00': 'x' }] } })).toMatch(/at variables\.rows\.0\.key/);
    expect(refusal({ query: '{ accountByRef(externalRef: "a\\u0000b") { id } }' })).toMatch(/at query /);
  });

  it('lets well-formed text through, surrogate pairs (emoji) included', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      externalRef: `R-${i}`,
      name: `Café 🚀 ${i}`,
      n: i,
    }));
    expect(refusal({ query: '{ a }', variables: { rows, nothing: null } })).toBeUndefined();
  });
});
