import { describe, expect, it } from 'vitest';
import { type ApiHarness, startApiForFile } from './harness.ts';

let api: ApiHarness;
let token: string;
startApiForFile((started, secret) => {
  api = started;
  token = secret;
});

describe('input that costs the server more than it should', () => {
  it('answers a malformed quarter at once, however long, even without a token', async () => {
    // The hint for a loosely written quarter ("2026 Q3", "Q3 2026") used a pattern that
    // backtracked quadratically on runs of spaces: a quarter literal of 60,000 spaces held the
    // event loop for seconds, in validation, before the token was even checked.
    const spaces = ' '.repeat(60_000);
    for (const quarter of [`2026${spaces}x`, `Q3${spaces}x`]) {
      const started = performance.now();
      const res = await api.gql(`{ analytics(quarter: "${quarter}") { __typename } }`, undefined, null);
      const elapsed = performance.now() - started;
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.message).toMatch(
        /^Expected value of type "Quarter!".*must be a quarter written YYYY-Qn/s,
      );
      expect(elapsed).toBeLessThan(1000);
    }
  }, 120_000);

  it('refuses a search text too long to be one, with a typed error instead of "Unexpected error."', async () => {
    // 60,000 characters passed SQLite's LIKE pattern limit (50,000 bytes): the database failed
    // and the client got "Unexpected error."; PostgreSQL compared every row with the whole text.
    // No stored name, ref or e-mail is longer than 254 characters, so a longer text matches nothing.
    const search = 'a'.repeat(60_000);
    for (const query of [
      'query($s: String) { accounts(search: $s) { totalCount } }',
      'query($s: String) { people(search: $s) { totalCount } }',
    ]) {
      const res = await api.gql(query, { s: search }, token);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors?.[0]).toMatchObject({
        message: 'search must be at most 254 characters; you sent 60000.',
        extensions: {
          code: 'TOO_BIG',
          fieldErrors: [{ path: ['search'], code: 'TOO_BIG' }],
        },
      });
    }
    // A search of the longest allowed length still runs.
    const res = await api.gql(
      'query($s: String) { accounts(search: $s) { totalCount } }',
      { s: 'a'.repeat(254) },
      token,
    );
    expect(res.body).toEqual({ data: { accounts: { totalCount: 0 } } });
  });
});
