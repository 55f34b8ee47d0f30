import { statementLog } from '@kam/domain/testing';
import { describe, expect, it } from 'vitest';
import { type ApiHarness, startApi, startApiForFile } from './harness.ts';

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
    // event loop for seconds, in validation, before the token was even checked. (The token is
    // now checked first: without one, the document is not even parsed.)
    const spaces = ' '.repeat(60_000);
    for (const quarter of [`2026${spaces}x`, `Q3${spaces}x`]) {
      for (const secret of [token, null]) {
        const started = performance.now();
        const res = await api.gql(`{ analytics(quarter: "${quarter}") { __typename } }`, undefined, secret);
        const elapsed = performance.now() - started;
        if (secret) {
          expect(res.status).toBe(400);
          expect(res.body.errors?.[0]?.message).toMatch(
            /^Expected value of type "Quarter!".*must be a quarter written YYYY-Qn/s,
          );
        } else {
          expect(res.status).toBe(401);
        }
        expect(elapsed).toBeLessThan(1000);
      }
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

describe('a caller without a valid token learns nothing of the schema', () => {
  // The token used to be checked when the context was built, after the document had been
  // parsed and validated: without a token, `{ apiTokens { secretHash } }` answered
  // 'Cannot query field "secretHash" on type "ApiToken".' (and `{ apiTokens { id } }` 401),
  // and in development a typo answered 'Did you mean "accounts"?'. Anyone could map the schema.
  const documents = [
    '{ apiTokens { secretHash } }', // a field that does not exist
    '{ acounts(first: 1) { totalCount } }', // a typo that graphql-js answers with a suggestion
    '{ apiTokens { id }', // a syntax error
    'query($n: Int) { accounts(first: $n) { totalCount } }', // a variable of the wrong type (below)
    '{ __schema { types { name } } }', // introspection
  ];
  const post = (url: string, query: string, authorization?: string) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify({ query, variables: { n: 'many' } }),
    });

  for (const env of ['production', 'development'] as const) {
    it(`answers any document with the same 401 as a valid one, in ${env}`, async () => {
      const server = await startApi({ config: { env, introspection: env === 'development' } });
      try {
        const revoked = (await server.token('ADMIN')).secret;
        await server.db
          .em()
          .getConnection()
          .execute('update api_token set revoked_at = ? where id = (select max(id) from api_token)', [
            new Date(),
          ]);
        const expired = (await server.token('ADMIN')).secret;
        await server.db
          .em()
          .getConnection()
          .execute('update api_token set expires_at = ? where id = (select max(id) from api_token)', [
            new Date('2020-01-01T00:00:00Z'),
          ]);
        const callers: [string, string | undefined][] = [
          ['no token', undefined],
          ['a malformed header', 'Token abc'],
          ['a malformed token', 'Bearer abc'],
          ['an unknown token', 'Bearer kam_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
          ['a revoked token', `Bearer ${revoked}`],
          ['an expired token', `Bearer ${expired}`],
        ];
        for (const [caller, authorization] of callers) {
          const valid = await post(server.url, '{ __typename }', authorization);
          const expected = await valid.json();
          expect(valid.status, caller).toBe(401);
          expect(expected.errors[0].extensions.code, caller).toBe('UNAUTHENTICATED');
          for (const query of documents) {
            const res = await post(server.url, query, authorization);
            const body = await res.json();
            expect(res.status, `${caller}: ${query}`).toBe(401);
            expect(res.headers.get('www-authenticate'), `${caller}: ${query}`).toBe('Bearer realm="kam"');
            expect(body.errors, `${caller}: ${query}`).toEqual([
              {
                message: expected.errors[0].message,
                extensions: { code: 'UNAUTHENTICATED', requestId: res.headers.get('x-request-id') },
              },
            ]);
          }
        }
      } finally {
        await server.close();
      }
    });
  }

  it('looks the token up once per request', async () => {
    const log = statementLog();
    const server = await startApi({ onQuery: log.onQuery });
    try {
      const { secret } = await server.token('EXECUTIVE');
      const lookups = (statements: string[]) =>
        statements.filter(sql => /\bselect\b[\s\S]*\bfrom [`"]?api_token\b/i.test(sql)).length;
      const ok = await log.during(() => server.gql('{ businessUnits { code } }', undefined, secret));
      expect(ok.result.body.errors).toBeUndefined();
      expect(lookups(ok.statements)).toBe(1);
      const invalid = await log.during(() => server.gql('{ acounts { id } }', undefined, secret));
      expect(invalid.result.status).toBe(400);
      expect(lookups(invalid.statements)).toBe(1);
    } finally {
      await server.close();
    }
  });
});
