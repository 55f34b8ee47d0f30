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
