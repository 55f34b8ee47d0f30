import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { startServer } from '../src/server.ts';
import { startApi } from './harness.ts';

describe('server operations', () => {
  it('reports health, readiness, and not-ready while shutting down', async () => {
    const api = await startApi();
    const base = api.server.url;
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/ready`)).json()).toEqual({ status: 'ready' });
    await api.close();
  });

  it('gives /health and /ready a request id, as every response has', async () => {
    // Both answered without an x-request-id header.
    const api = await startApi();
    try {
      for (const path of ['/health', '/ready']) {
        const mine = await fetch(`${api.server.url}${path}`, { headers: { 'x-request-id': 'probe-7' } });
        expect(mine.headers.get('x-request-id'), path).toBe('probe-7');
        const none = await fetch(`${api.server.url}${path}`);
        expect(none.headers.get('x-request-id'), path).toMatch(/^[0-9a-f-]{36}$/);
        const insane = await fetch(`${api.server.url}${path}`, { headers: { 'x-request-id': 'a b' } });
        expect(insane.headers.get('x-request-id'), path).toMatch(/^[0-9a-f-]{36}$/);
      }
    } finally {
      await api.close();
    }
  });

  it('masks unexpected errors and gives the client a request id and an error id', async () => {
    const api = await startApi();
    try {
      const token = (await api.token('ADMIN')).secret;
      await api.db.em().getConnection().execute('alter table business_unit rename to business_unit_gone');
      const res = await api.gql('{ businessUnits { code } }', undefined, token);
      const error = res.body.errors?.[0];
      expect(error?.message).toBe('Unexpected error.');
      expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error?.extensions?.requestId).toBe(res.headers.get('x-request-id'));
      expect(error?.extensions?.errorId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(res.body)).not.toMatch(/business_unit_gone|no such table|relation/);
      await api.db.em().getConnection().execute('alter table business_unit_gone rename to business_unit');
    } finally {
      await api.close();
    }
  });

  it('gives the request id with errors that end a request before execution (401, syntax, 400, 413)', async () => {
    const api = await startApi({ config: { maxBodyBytes: 4096 } });
    try {
      const { secret } = await api.token('EXECUTIVE');
      const post = (body: string, headers: Record<string, string> = {}) =>
        fetch(api.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}`, ...headers },
          body,
        });
      const cases = [
        await post('{"query":"{ __typename }"}', { authorization: 'Bearer kam_not-a-real-token-at-all' }),
        await post('{"query":"{ __typename"}'),
        await post('{ not json'),
        await post(JSON.stringify({ query: '{ __typename }', variables: { big: 'x'.repeat(5000) } })),
      ];
      // A syntax error answers 200 to a client that accepts application/json (GraphQL over HTTP).
      expect(cases.map(res => res.status)).toEqual([401, 200, 400, 413]);
      for (const res of cases) {
        const body = (await res.json()) as { errors: { extensions: { requestId?: string } }[] };
        expect(body.errors[0]?.extensions.requestId, String(res.status)).toBe(
          res.headers.get('x-request-id'),
        );
      }
      // A request id the caller sends is the one used.
      const mine = await post('{ nope', { 'x-request-id': 'client-42' });
      expect(
        ((await mine.json()) as { errors: { extensions: { requestId: string } }[] }).errors[0]?.extensions
          .requestId,
      ).toBe('client-42');
    } finally {
      await api.close();
    }
  });

  it('logs one JSON line per request: id, method, path, status, duration and who called', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const api = await startApi({ logger: createLogger('info', sink) });
    try {
      const { secret, personId } = await api.token('EXECUTIVE');
      const ok = await api.gql('{ businessUnits { code } }', undefined, secret);
      const refused = await api.gql('{ businessUnits { code } }', undefined, 'kam_not-a-real-token');
      expect([ok.status, refused.status]).toEqual([200, 401]);
      const logged = lines.map(line => JSON.parse(line)).filter(entry => entry.msg === 'request');
      const byId = (response: { headers: Headers }) =>
        logged.find(entry => entry.requestId === response.headers.get('x-request-id'));
      expect(byId(ok)).toMatchObject({
        level: 30,
        service: 'kam-api',
        method: 'POST',
        path: '/graphql',
        status: 200,
        personId,
        role: 'EXECUTIVE',
        tokenId: expect.any(Number),
        durationMs: expect.any(Number),
      });
      expect(byId(ok)?.time).toMatch(/^\d{4}-\d\d-\d\dT/);
      // A refused token names nobody.
      expect(byId(refused)).toMatchObject({ status: 401, path: '/graphql' });
      expect(byId(refused)).not.toHaveProperty('personId');
      // No secret reaches the log.
      expect(lines.join('\n')).not.toContain(secret);
      expect(lines.join('\n')).not.toContain('kam_not-a-real-token');
    } finally {
      await api.close();
    }
  });

  it('says which address it cannot listen on and what to do, when the port is taken', async () => {
    const api = await startApi();
    try {
      const port = Number(new URL(api.server.url).port);
      // It used to end with Node's bare "listen EADDRINUSE: address already in use 127.0.0.1:N".
      await expect(
        startServer({
          host: '127.0.0.1',
          port,
          orm: api.db.orm,
          yoga: (() => undefined) as never,
          logger: createLogger('silent'),
          graceSeconds: 0,
        }),
      ).rejects.toThrow(
        `Cannot listen on 127.0.0.1:${port}: another process already uses this port. Stop it, or choose another port (--port).`,
      );
    } finally {
      await api.close();
    }
  });

  it('lets an in-flight request finish during graceful shutdown', async () => {
    const api = await startApi();
    const token = (await api.token('ADMIN')).secret;
    const rows = Array.from({ length: 5000 }, (_, i) => ({ externalRef: `SLOW-${i}`, name: `Slow ${i}` }));
    // Close as soon as the server has the request. (Polling inFlight() with timers could miss
    // it: the whole request can complete between two timer ticks.)
    const received = new Promise<void>(resolve => api.server.server.once('request', () => resolve()));
    const inFlight = api.gql(
      'mutation($rows: [AccountRowInput!]!) { upsertAccounts(rows: $rows) { __typename ... on UpsertAccountsSuccess { data { created } } } }',
      { rows },
      token,
    );
    await received;
    expect(api.server.inFlight()).toBe(1);
    const closing = api.server.close();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      upsertAccounts: { __typename: 'UpsertAccountsSuccess', data: { created: 5000 } },
    });
    await closing;
    await expect(fetch(`${api.server.url}/health`)).rejects.toThrow();
    await api.db.close().catch(() => undefined);
  });
});
