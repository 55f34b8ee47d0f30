import { serverAudits } from 'graphql-http';
import { describe, expect, it } from 'vitest';
import { type ApiHarness, startApi, startApiForFile } from './harness.ts';

let api: ApiHarness;
let token: string;
startApiForFile((started, secret) => {
  api = started;
  token = secret;
});

describe('GraphQL over HTTP compliance (graphql-http server audits)', () => {
  it('passes every MUST and SHOULD audit', async () => {
    const audits = serverAudits({
      url: api.url,
      fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${token}`);
        // GET requests are "simple" requests a browser could forge: the CSRF plugin wants a header.
        headers.set('x-graphql-yoga-csrf', '1');
        return fetch(input, { ...init, headers });
      },
    });
    const failures: string[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      if (result.status === 'error') failures.push(`${audit.name}: ${result.reason}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('authentication', () => {
  it.each([
    ['no header', undefined],
    ['a malformed header', 'Token abc'],
    ['an unknown token', 'Bearer kam_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
  ])('answers 401 with a clear message for %s', async (_label, header) => {
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(header ? { authorization: header } : {}) },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors[0]?.message).toMatch(/token/i);
  });

  it('returns the request id in a header', async () => {
    const res = await fetch(api.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-request-id': 'req-123',
      },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('req-123');
  });
});

describe('GraphiQL', () => {
  const page = (url: string) => fetch(url, { headers: { accept: 'text/html' } });

  it('is served in development with the title and the pre-filled headers', async () => {
    const dev = await startApi({ config: { graphiql: true } });
    try {
      const response = await page(dev.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      const html = await response.text();
      expect(html).toContain('<title>kam GraphQL API</title>');
      expect(html.length).toBeGreaterThan(100_000); // the editor's bundle is inlined: works offline
    } finally {
      await dev.close();
    }
  });

  it('is off when configured off: a browser gets no page', async () => {
    const response = await page(api.url);
    expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
  });
});

describe('requests the API cannot take say what to send instead', () => {
  type ErrorBody = { errors: { message: string; extensions: Record<string, unknown> }[] };
  const send = (init: { method?: string; headers?: Record<string, string>; body?: string }, url = api.url) =>
    fetch(url, {
      method: init.method ?? 'POST',
      headers: { authorization: `Bearer ${token}`, ...init.headers },
      body: init.body,
    });
  const query = JSON.stringify({ query: '{ __typename }' });

  it('refuses a GET without the CSRF header with a code and the header to send', async () => {
    const url = new URL(api.url);
    url.searchParams.set('query', '{ __typename }');
    const res = await send({ method: 'GET' }, url.toString());
    expect(res.status).toBe(403);
    const body = (await res.json()) as ErrorBody;
    expect(body.errors[0]?.extensions.code).toBe('CSRF_HEADER_REQUIRED');
    expect(body.errors[0]?.message).toBe(
      'A GET request must carry the header x-graphql-yoga-csrf (any value), which a browser cannot send from another site without asking first (CSRF prevention). Add the header, or send the query as a POST with content-type: application/json.',
    );
  });

  it('refuses a POST a form could send with a code and the content type to send', async () => {
    const res = await send({ headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: query });
    expect(res.status).toBe(403);
    const body = (await res.json()) as ErrorBody;
    expect(body.errors[0]?.extensions.code).toBe('CSRF_HEADER_REQUIRED');
    expect(body.errors[0]?.message).toBe(
      'A POST sent as text/plain must carry the header x-graphql-yoga-csrf (any value), which a browser cannot send from another site without asking first (CSRF prevention). Send it with content-type: application/json instead.',
    );
  });

  it('answers a content type it does not read with 415 and what it reads', async () => {
    // It answered 415 with an empty body.
    const res = await send({
      headers: { 'content-type': 'application/jsonx', accept: 'application/graphql-response+json' },
      body: query,
    });
    expect(res.status).toBe(415);
    const body = (await res.json()) as ErrorBody;
    expect(body.errors[0]).toMatchObject({
      message:
        'The API does not read a body sent as application/jsonx. Send it with content-type: application/json, as {"query": "…", "variables": {…}}.',
      extensions: { code: 'UNSUPPORTED_MEDIA_TYPE', requestId: res.headers.get('x-request-id') },
    });
  });

  it('answers an Accept it cannot meet with 406 and what it answers in, before running anything', async () => {
    // It answered 406 with an empty body, after running the operation: a mutation was written
    // and its result thrown away.
    const admin = (await api.token('ADMIN')).secret;
    const res = await fetch(api.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${admin}`,
        'content-type': 'application/json',
        accept: 'application/xml',
      },
      body: JSON.stringify({
        query: 'mutation($rows: [AccountRowInput!]!) { upsertAccounts(rows: $rows) { __typename } }',
        variables: { rows: [{ externalRef: 'ACCEPT-406', name: 'Never written' }] },
      }),
    });
    expect(res.status).toBe(406);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as ErrorBody;
    expect(body.errors[0]).toMatchObject({
      message:
        'The API cannot answer in application/xml, the only media type the Accept header names. Accept application/graphql-response+json or application/json, or leave Accept out.',
      extensions: { code: 'NOT_ACCEPTABLE', requestId: res.headers.get('x-request-id') },
    });
    const written = await api.gql('{ accountByRef(externalRef: "ACCEPT-406") { id } }', undefined, admin);
    expect(written.body.data).toEqual({ accountByRef: null });
  });

  it('answers a request without a query with 400 and how to send one', async () => {
    // It answered "Must provide query string." with HTTP 200 to a client accepting application/json.
    for (const accept of ['application/graphql-response+json', 'application/json']) {
      const res = await send({ headers: { 'content-type': 'application/json', accept }, body: '{}' });
      expect(res.status, accept).toBe(400);
      const body = (await res.json()) as ErrorBody;
      expect(body.errors[0], accept).toMatchObject({
        message:
          'The request has no query. Send the GraphQL document as "query": in a POST as {"query": "…", "variables": {…}} with content-type: application/json, or in a GET as ?query=….',
        extensions: { code: 'BAD_REQUEST' },
      });
    }
    // A misspelt parameter is still named.
    const typo = await send({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ qeury: '{ __typename }' }),
    });
    expect(typo.status).toBe(400);
    expect(((await typo.json()) as ErrorBody).errors[0]?.message).toBe(
      'Unexpected parameter "qeury" in the request body.',
    );
  });

  it('gives variables of the wrong type the code BAD_USER_INPUT', async () => {
    const res = await api.gql('query($n: Int) { accounts(first: $n) { totalCount } }', { n: 'many' }, token);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({
      message: 'Variable "$n" got invalid value "many"; Int cannot represent non-integer value: "many"',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});
