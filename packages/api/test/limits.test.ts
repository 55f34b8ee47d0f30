import { describe, expect, it } from 'vitest';
import { LIMITS } from '../src/limits.ts';
import { type ApiHarness, startApi, startApiForFile } from './harness.ts';

let api: ApiHarness;
let token: string;
startApiForFile(
  (started, secret) => {
    api = started;
    token = secret;
  },
  'EXECUTIVE',
  { config: { maxBodyBytes: 64 * 1024 } },
);

function errorOf(res: { body: { errors?: { message: string }[] } }): string {
  return res.body.errors?.map(e => e.message).join(' | ') ?? '';
}

describe('request limits', () => {
  it('refuses a page larger than 100', async () => {
    const res = await api.gql(
      'query($n: Int) { accounts(first: $n) { edges { node { id } } } }',
      { n: 101 },
      token,
    );
    expect(errorOf(res)).toMatch(/first must be between 1 and 100/);
  });

  it('refuses first and last together instead of answering with the last page', async () => {
    // `first: 2, last: 2` used to answer the last two records of all, a page the script did not ask for.
    const res = await api.gql(
      '{ accounts(first: 2, last: 2) { edges { node { id } } } people(first: 1, last: 1) { totalCount } }',
      {},
      token,
    );
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]).toMatchObject({
      message: 'Give first or last, not both: first pages forward from after, last backward from before.',
      extensions: { code: 'VALIDATION_FAILED', fieldErrors: [{ path: ['last'], code: 'VALIDATION_FAILED' }] },
    });
  });

  it('refuses documents nested deeper than the limit, with HTTP 400 and the figures', async () => {
    // It answered HTTP 200 "Syntax Error: Query depth limit of 12 exceeded, found 13." with no
    // code, though the document is well written.
    let selection = 'id';
    for (let i = 0; i < LIMITS.maxDepth; i++) selection = `parent { ${selection} }`;
    const res = await api.gql(`{ accountByRef(externalRef: "x") { ${selection} } }`, undefined, token);
    // accountByRef (1), twelve parents (2–13), id (14).
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]).toMatchObject({
      message: `The query nests fields 14 deep; at most ${LIMITS.maxDepth} are allowed. Select fewer levels, and fetch what lies deeper with a second query.`,
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: LIMITS.maxDepth, actual: 14 },
    });
  });

  it('refuses more aliases than allowed, with HTTP 400 and the figures', async () => {
    const aliases = Array.from(
      { length: LIMITS.maxAliases + 1 },
      (_, i) => `a${i}: businessUnits { code }`,
    ).join(' ');
    const res = await api.gql(`{ ${aliases} }`, undefined, token);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({
      message: `The query has 16 aliases; at most ${LIMITS.maxAliases} are allowed. Send fewer aliased fields per request, or split it into several requests.`,
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: LIMITS.maxAliases, actual: 16 },
    });
    expect(errorOf(res)).not.toMatch(/syntax/i);
  });

  it('refuses more directives than allowed, with HTTP 400 and the figures', async () => {
    const directives = Array.from({ length: LIMITS.maxDirectives + 1 }, () => '@include(if: true)').join(' ');
    const res = await api.gql(`{ __typename ${directives} }`, undefined, token);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({
      message: `The query has 51 directives; at most ${LIMITS.maxDirectives} are allowed. Use fewer @include and @skip directives (one on a fragment covers all its fields), or split the query.`,
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'directives', max: LIMITS.maxDirectives, actual: 51 },
    });
  });

  it('refuses documents with too many tokens, and says to send data in variables', async () => {
    const fields = Array.from({ length: LIMITS.maxTokens }, () => '__typename').join(' ');
    const res = await api.gql(`{ ${fields} }`, undefined, token);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({
      message: `The document has more than ${LIMITS.maxTokens} tokens (names, punctuation and values). Send data in variables rather than in the query text, or split the query.`,
      extensions: { code: 'GRAPHQL_PARSE_FAILED', limit: 'tokens', max: LIMITS.maxTokens },
    });
  });

  it('refuses a deeply nested list literal as a parse failure, every time, at any depth', async () => {
    // 2,500 levels overflowed the parser's stack before the token limit was reached: the client
    // got a masked "Unexpected error.", and the parse cache kept it for the same text.
    for (const levels of [1_500, 2_500, 5_000, 20_000]) {
      const query = `{ accounts(first: 1, search: ${'['.repeat(levels)}"c"${']'.repeat(levels)}) { totalCount } }`;
      for (const attempt of [1, 2]) {
        const res = await api.gql(query, undefined, token);
        const label = `${levels} levels, attempt ${attempt}`;
        expect(res.status, label).toBe(400);
        expect(res.body.errors, label).toHaveLength(1);
        expect(res.body.errors?.[0]?.extensions?.code, label).toBe('GRAPHQL_PARSE_FAILED');
        expect(errorOf(res), label).toMatch(
          /^(The document is nested too deeply to be read\.|The document has more than 2000 tokens)/,
        );
      }
    }
  });

  it('prices lists by their page size', async () => {
    const res = await api.gql(
      // Each account's children (a connection, 20 a page when first is omitted) and theirs.
      `query { accounts(first: 100) { edges { node { children { edges { node { children { edges { node { id name externalRef } } } } } } } } } }`,
      undefined,
      token,
    );
    expect(errorOf(res)).toMatch(/complexity/i);
  });

  it('refuses an oversized body with 413 and writes nothing', async () => {
    const big = 'x'.repeat(70 * 1024);
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __typename }', variables: { big } }),
    });
    expect(res.status).toBe(413);
  });

  it('counts a body sent without Content-Length (chunked) and refuses it past the limit', async () => {
    const chunked = (text: string) =>
      fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: new ReadableStream({
          start(controller) {
            // In pieces, so the server sees a streamed body with no declared length.
            for (let i = 0; i < text.length; i += 4096) {
              controller.enqueue(new TextEncoder().encode(text.slice(i, i + 4096)));
            }
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
    const small = await chunked(JSON.stringify({ query: '{ __typename }' }));
    expect(small.status).toBe(200);
    expect(await small.json()).toEqual({ data: { __typename: 'Query' } });
    const big = await chunked(
      JSON.stringify({ query: '{ __typename }', variables: { big: 'x'.repeat(70 * 1024) } }),
    );
    expect(big.status).toBe(413);
    expect(JSON.stringify(await big.json())).toMatch(/too large/);
  });

  it('does not run mutations sent with GET', async () => {
    const url = new URL(api.url);
    url.searchParams.set('query', 'mutation { __typename }');
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, 'x-graphql-yoga-csrf': '1' },
    });
    expect(res.status).toBe(405);
  });

  it('requires the CSRF header on requests a browser would send without a preflight', async () => {
    const url = new URL(api.url);
    url.searchParams.set('query', '{ __typename }');
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    const ok = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, 'x-graphql-yoga-csrf': '1' },
    });
    expect(ok.status).toBe(200);
  });

  it('requires the CSRF header on a POST a form could send (text/plain, form-urlencoded, multipart)', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    for (const contentType of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await fetch(api.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
        body,
      });
      expect(res.status, contentType).toBe(403);
      expect(JSON.stringify(await res.json())).toMatch(/CSRF/);
    }
    // JSON cannot be sent cross-site without a preflight: no header needed.
    const json = await fetch(api.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    expect(json.status).toBe(200);
  });
});

describe('introspection', () => {
  it('is configurable off for production', async () => {
    const prod = await startApi({ config: { introspection: false, env: 'production' } });
    try {
      const t = (await prod.token('ADMIN')).secret;
      const res = await prod.gql('{ __schema { queryType { name } } }', undefined, t);
      expect(errorOf(res)).toMatch(/introspection/i);
    } finally {
      await prod.close();
    }
  });

  it('gives no field or argument suggestions when it is off, so a typo does not reveal the schema', async () => {
    const prod = await startApi({ config: { introspection: false, env: 'production' } });
    try {
      const t = (await prod.token('ADMIN')).secret;
      const typo = await prod.gql('{ acounts(first: 1) { edges { node { nam } } } }', undefined, t);
      expect(typo.status).toBe(400);
      expect(errorOf(typo)).toBe('Cannot query field "acounts" on type "Query".');
      const argument = await prod.gql('{ accounts(frist: 1) { totalCount } }', undefined, t);
      expect(errorOf(argument)).toContain('Unknown argument "frist" on field "Query.accounts".');
      expect(errorOf(argument)).not.toMatch(/did you mean/i);
      const enumValue = await prod.gql('{ accounts(first: 1, tier: TIER1) { totalCount } }', undefined, t);
      expect(errorOf(enumValue)).toMatch(/TIER1/);
      expect(errorOf(enumValue)).not.toMatch(/did you mean|TIER_1/i);
      const variable = await prod.gql(
        'query($tier: ValueTier) { accounts(first: 1, tier: $tier) { totalCount } }',
        { tier: 'TIER1' },
        t,
      );
      expect(errorOf(variable)).toMatch(/got invalid value "TIER1"/);
      expect(errorOf(variable)).not.toMatch(/did you mean|TIER_1/i);
      const type = await prod.gql(
        'query($t: ValueTeir) { accounts(first: 1, tier: $t) { totalCount } }',
        {},
        t,
      );
      expect(errorOf(type)).toMatch(/Unknown type "ValueTeir"/);
      expect(errorOf(type)).not.toMatch(/did you mean|ValueTier/i);
    } finally {
      await prod.close();
    }
  });

  it('keeps the suggestions in development, where introspection is on', async () => {
    const res = await api.gql('{ acounts(first: 1) { totalCount } }', undefined, token);
    expect(errorOf(res)).toBe('Cannot query field "acounts" on type "Query". Did you mean "accounts"?');
  });
});
