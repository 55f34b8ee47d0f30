import { createHash } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createApiToken, createPerson, revokeApiToken, systemActor } from '@kam/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/limits.ts';
import { type ApiHarness, startApi } from '../harness.ts';
import { machine, sleep } from './processes.ts';

// Bounds: requests, parallel clients, time per request.
const REQUESTS = 5_000;
const PARALLEL = 16;
const REQUEST_TIMEOUT_MS = 10_000;
// The limits of this server, small so that going over them is cheap.
const MAX_BODY = 64 * 1024;
const MAX_BULK = 100;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

type Answer = { status: number; text: string; json: unknown };
interface Kind {
  name: string;
  /** The request: path relative to the server, and fetch options. */
  request(i: number): { path?: string; init: RequestInit };
  /** What a clear answer looks like; returns a reason when the answer is not one. */
  expect: { status: number | number[]; message?: RegExp; data?: (data: unknown) => boolean };
}

let api: ApiHarness;
const secrets: Record<'admin' | 'executive' | 'expired' | 'revoked', string> = {
  admin: '',
  executive: '',
  expired: '',
  revoked: '',
};

beforeAll(async () => {
  api = await startApi({ config: { maxBodyBytes: MAX_BODY, maxBulkRows: MAX_BULK } });
  secrets.admin = (await api.token('ADMIN')).secret;
  secrets.executive = (await api.token('EXECUTIVE')).secret;
  const em = api.db.em();
  const person = await createPerson(
    em,
    { name: 'Soon expired', email: 'expired@example.test', businessUnitId: null },
    systemActor('test'),
  );
  // Tokens cannot be created already expired: this one expires a second from now.
  const expiring = await createApiToken(
    api.db.em(),
    { personId: person.id, role: 'ADMIN', name: 'expiring', expiresAt: new Date(Date.now() + 1000) },
    systemActor('test'),
  );
  secrets.expired = expiring.secret;
  const revoked = await createApiToken(
    api.db.em(),
    { personId: person.id, role: 'ADMIN', name: 'revoked' },
    systemActor('test'),
  );
  await revokeApiToken(api.db.em(), { id: revoked.token.id }, systemActor('test'));
  secrets.revoked = revoked.secret;
  // Some data the flood must leave untouched.
  const seeded = await api.gql(
    'mutation($rows: [AccountRowInput!]!) { upsertAccounts(rows: $rows) { __typename } }',
    {
      rows: Array.from({ length: 50 }, (_, i) => ({
        externalRef: `KEEP-${i}`,
        name: `Keep ${i}`,
        country: 'FR',
      })),
    },
    secrets.admin,
  );
  expect(seeded.body.data).toEqual({ upsertAccounts: { __typename: 'UpsertAccountsSuccess' } });
  await sleep(1100);
}, 120_000);

afterAll(async () => {
  await api?.close();
});

function headers(
  token: string | null = secrets.admin,
  contentType = 'application/json',
): Record<string, string> {
  return {
    'content-type': contentType,
    accept: 'application/graphql-response+json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}
const post = (body: BodyInit, token?: string | null, contentType?: string): RequestInit => ({
  method: 'POST',
  headers: headers(token, contentType),
  body,
});
const gqlBody = (query: string, variables?: unknown) => JSON.stringify({ query, variables });
const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

const ACCOUNT_BY_REF = 'query($r: String!) { accountByRef(externalRef: $r) { id name } }';
const PAGE = 'query($n: Int) { accounts(first: $n) { edges { node { id } } } }';
const UPDATE = `mutation($input: UpdateAccountInput!) { updateAccount(input: $input) { __typename ... on Error { code message } } }`;
const UPSERT = `mutation($rows: [AccountRowInput!]!) { upsertAccounts(rows: $rows) { __typename ... on Error { code message } } }`;
const INJECTIONS = [
  "'; drop table account; --",
  '" or ""="',
  "1' OR '1'='1",
  'Robert"); DELETE FROM person; --',
  '%; select pg_sleep(10); --',
  '$where: 1 == 1',
];

const KINDS: Kind[] = [
  {
    name: 'invalid JSON',
    request: i => ({
      init: post(pick(['{"query": "{ __typename }"', 'not json', '', '{', '{"query":}', '[{]'], i)),
    }),
    expect: { status: 400, message: /invalid JSON/ },
  },
  {
    name: 'wrong content type',
    request: i => ({
      init: post(
        gqlBody('{ __typename }'),
        undefined,
        pick(['application/xml', 'image/png', 'application/x-yaml'], i),
      ),
    }),
    expect: { status: 415, message: /does not read a body sent as .*content-type: application\/json/ },
  },
  {
    // What a cross-site form or a plain fetch can send without a CORS preflight.
    name: 'form-style POST without the CSRF header',
    request: i => ({
      init: post(
        gqlBody('{ __typename }'),
        undefined,
        pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'], i),
      ),
    }),
    expect: { status: 403, message: /CSRF/ },
  },
  {
    name: 'broken multipart',
    request: () => {
      const init = post('--x\r\n\r\n--x--', undefined, 'multipart/form-data; boundary=x');
      return {
        init: {
          ...init,
          headers: { ...(init.headers as Record<string, string>), 'x-graphql-yoga-csrf': '1' },
        },
      };
    },
    expect: { status: 200, message: /multipart/ },
  },
  {
    name: 'wrong variable type',
    request: i => ({ init: post(gqlBody(PAGE, { n: pick(['ten', true, {}, [1], 1.5, 1e30], i) })) }),
    expect: { status: 400, message: /got invalid value/ },
  },
  {
    name: 'missing required field',
    request: i => ({
      init: post(
        pick(
          [
            gqlBody(UPDATE, { input: {} }),
            gqlBody(UPDATE),
            gqlBody(UPSERT, { rows: [{ name: 'no ref' }] }),
            gqlBody(UPDATE, { input: { id: 'QWNjb3VudDox' } }),
          ],
          i,
        ),
      ),
    }),
    expect: { status: 400, message: /was not provided/ },
  },
  {
    name: 'malformed GraphQL parameters',
    request: i => ({
      init: post(
        pick(
          [
            JSON.stringify({ query: '{ __typename }', variables: 'abc' }),
            JSON.stringify({ query: 42 }),
            JSON.stringify({ variables: {} }),
            JSON.stringify([{ query: '{ __typename }' }]),
            JSON.stringify({ query: 'query A { __typename }', operationName: 'B' }),
          ],
          i,
        ),
      ),
    }),
    expect: { status: 400, message: /variables|query|Batching|operation/ },
  },
  {
    name: 'syntax error or unknown field',
    request: i => ({
      init: post(gqlBody(pick(['{ accounts(first: ', '{ nope }', 'mutaton { x }', '{ ...A }'], i))),
    }),
    expect: { status: 400, message: /Syntax Error|Cannot query field|Unknown fragment/ },
  },
  {
    name: 'deep nesting',
    request: i => {
      let selection = 'id';
      for (let d = 0; d < LIMITS.maxDepth + (i % 20); d++) selection = `parent { ${selection} }`;
      return { init: post(gqlBody(`{ accountByRef(externalRef: "x") { ${selection} } }`)) };
    },
    expect: { status: 400, message: /"code":"QUERY_TOO_COMPLEX","limit":"depth"/ },
  },
  {
    name: 'alias flood',
    request: i => ({
      init: post(
        gqlBody(
          `{ ${Array.from({ length: LIMITS.maxAliases + 1 + (i % 50) }, (_, a) => `a${a}: businessUnits { code }`).join(' ')} }`,
        ),
      ),
    }),
    expect: { status: 400, message: /"code":"QUERY_TOO_COMPLEX","limit":"aliases"/ },
  },
  {
    name: 'directive flood',
    request: () => ({
      init: post(gqlBody(`{ __typename ${'@skip(if: false) '.repeat(LIMITS.maxDirectives + 10)} }`)),
    }),
    expect: { status: 400, message: /"code":"QUERY_TOO_COMPLEX","limit":"directives"/ },
  },
  {
    name: 'token flood',
    request: () => ({ init: post(gqlBody(`{ ${'__typename '.repeat(LIMITS.maxTokens)} }`)) }),
    expect: { status: 400, message: /more than \d+ tokens/ },
  },
  {
    name: 'fragment cycle',
    request: () => ({
      init: post(gqlBody('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }')),
    }),
    expect: { status: 400, message: /Cannot spread fragment/ },
  },
  {
    name: 'page over the limit',
    request: i => ({ init: post(gqlBody(PAGE, { n: pick([101, 1000, 100_000, 0, -1], i) })) }),
    expect: { status: [200, 400], message: /first must be between 1 and 100|complexity/ },
  },
  {
    name: 'bulk over the limit',
    request: i => ({
      init: post(
        gqlBody(UPSERT, {
          rows: Array.from({ length: MAX_BULK + 1 + (i % 5) }, (_, r) => ({
            externalRef: `NEW-${r}`,
            name: 'x',
          })),
        }),
      ),
    }),
    expect: { status: 200, message: /at most 100 rows per call/ },
  },
  {
    name: 'oversized body',
    request: i => ({
      init: post(gqlBody('{ __typename }', { big: 'x'.repeat(MAX_BODY + 1 + (i % 1000) * 64) })),
    }),
    expect: { status: 413, message: /too large/ },
  },
  {
    name: 'injection-like text in an id',
    request: i => ({
      init: post(
        i % 2
          ? gqlBody('query($id: ID!) { node(id: $id) { id } }', { id: pick(INJECTIONS, i) })
          : gqlBody(UPDATE, {
              input: { id: pick(INJECTIONS, i), expectedVersion: 1, name: pick(INJECTIONS, i + 1) },
            }),
      ),
    }),
    // A typed INVALID_ID: a top-level error of `node`, the ValidationError result of the mutation.
    expect: { status: 200, message: /"code":"INVALID_ID"/ },
  },
  {
    name: 'operator object instead of a string',
    request: i => ({
      init: post(
        i % 2
          ? gqlBody(ACCOUNT_BY_REF, { r: { $ne: 1 } })
          : gqlBody('query($id: ID!) { node(id: $id) { id } }', { id: { $gt: '' } }),
      ),
    }),
    expect: { status: 400, message: /cannot represent/ },
  },
  {
    name: 'injection-like text as a lookup key',
    // A lookup by a key that does not exist: the clean answer is null, not an error.
    request: i => ({ init: post(gqlBody(ACCOUNT_BY_REF, { r: pick(INJECTIONS, i) })) }),
    expect: { status: 200, data: d => JSON.stringify(d) === '{"accountByRef":null}' },
  },
  {
    name: 'NUL or lone surrogate',
    request: i => ({
      init: post(
        pick(
          [
            '{"query":"query($r: String!) { accountByRef(externalRef: $r) { id } }","variables":{"r":"\\ud800x"}}',
            '{"query":"query($r: String!) { accountByRef(externalRef: $r) { id } }","variables":{"r":"a\\u0000b"}}',
            gqlBody(UPSERT, { rows: [{ externalRef: 'NUL-1', name: 'x\u0000y' }] }),
            gqlBody(UPSERT, { rows: [{ externalRef: 'SUR-1', name: 'x\udc00y' }] }),
            gqlBody('{ accountByRef(externalRef: "a\\u0000b") { id } }'),
          ],
          i,
        ),
      ),
    }),
    expect: { status: 400, message: /NUL character or an unpaired UTF-16 surrogate/ },
  },
  {
    name: 'invalid UTF-8 bytes',
    request: i => ({
      init: post(
        Buffer.concat([
          Buffer.from('{"query":"{ acc'),
          Buffer.from(pick([[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80]], i)),
          Buffer.from('ounts }"}'),
        ]),
      ),
    }),
    expect: { status: 400, message: /Syntax Error/ },
  },
  {
    name: 'no, malformed or unknown token',
    request: i => {
      const variant = i % 4;
      const init = post(gqlBody('{ __typename }'), null);
      const h = init.headers as Record<string, string>;
      if (variant === 1) h.authorization = 'Basic dXNlcjpwYXNz';
      if (variant === 2) h.authorization = 'Bearer not-a-kam-token';
      if (variant === 3) h.authorization = `Bearer kam_${'A'.repeat(43)}`;
      return { init };
    },
    expect: { status: 401, message: /[Tt]oken|Authorization|Authentication required/ },
  },
  {
    name: 'expired token',
    request: () => ({ init: post(gqlBody('{ __typename }'), secrets.expired) }),
    expect: { status: 401, message: /expired/ },
  },
  {
    name: 'revoked token',
    request: () => ({ init: post(gqlBody('{ __typename }'), secrets.revoked) }),
    expect: { status: 401, message: /revoked/ },
  },
  {
    name: 'wrong role',
    request: i => ({
      init: post(
        pick(
          [
            gqlBody(UPSERT, { rows: [{ externalRef: 'ROLE-1', name: 'x' }] }),
            gqlBody(
              'mutation { createPerson(input: { name: "x", email: "x@example.test" }) { __typename ... on Error { message } } }',
            ),
            gqlBody(
              'mutation($rows: [FinancialRowInput!]!) { importFinancials(rows: $rows) { __typename ... on Error { message } } }',
              {
                rows: [
                  {
                    accountRef: 'KEEP-1',
                    quarter: '2026-Q1',
                    revenue: '1',
                    grossProfit: '1',
                    costToServe: '1',
                  },
                ],
              },
            ),
          ],
          i,
        ),
        secrets.executive,
      ),
    }),
    expect: { status: 200, message: /may not use/ },
  },
  {
    name: 'wrong method',
    request: i => {
      const method = pick(['PUT', 'DELETE', 'PATCH', 'GET'], i);
      if (method === 'GET')
        return {
          path: `/graphql?query=${encodeURIComponent('mutation { __typename }')}`,
          init: { method, headers: { ...headers(), 'x-graphql-yoga-csrf': '1' } },
        };
      return { init: { method, headers: headers(), body: gqlBody('{ __typename }') } };
    },
    expect: { status: 405, message: /GET and POST|mutation operation from a POST/ },
  },
];

async function send(kind: Kind, i: number): Promise<Answer> {
  const { path = '/graphql', init } = kind.request(i);
  const response = await fetch(`${api.server.url}${path}`, {
    ...init,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** Why an answer is not the clear answer of its kind, or undefined when it is. */
function problem(kind: Kind, answer: Answer): string | undefined {
  const statuses = [kind.expect.status].flat();
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  if (!statuses.includes(answer.status)) return `HTTP ${answer.status}, expected ${statuses.join(' or ')}`;
  const body = answer.json as {
    data?: unknown;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (JSON.stringify(body ?? {}).includes('INTERNAL_SERVER_ERROR')) return 'masked unexpected error';
  if (kind.expect.message && !kind.expect.message.test(answer.text))
    return `no clear message: ${answer.text.slice(0, 200)}`;
  if (kind.expect.data && !kind.expect.data(body?.data))
    return `unexpected data: ${answer.text.slice(0, 200)}`;
  return undefined;
}

async function tableDigests(): Promise<Record<string, string>> {
  const connection = api.db.em().getConnection();
  const tables = (
    await connection.execute<{ name: string }[]>(
      api.db.dialect === 'sqlite'
        ? `select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`
        : `select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
    )
  ).map((r: { name: string }) => r.name);
  const digests: Record<string, string> = {};
  for (const table of tables) {
    // A token's last use is bookkeeping, not data: compare the rest of the row.
    const columns = table === 'api_token' ? 'id, token_hash, role, person_id, expires_at, revoked_at' : '*';
    const rows = await connection.execute(`select ${columns} from ${table} order by 1`);
    digests[table] =
      `${rows.length} rows ${createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 12)}`;
  }
  return digests;
}

function memory() {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heapMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20 };
}

describe('bad input: thousands of malformed requests over HTTP', () => {
  it('answers every one with a clear 4xx/typed error, keeps running, leaks no memory and changes no data', async () => {
    // Warm up (one of each kind), so that lazily built caches do not count as growth.
    for (const [k, kind] of KINDS.entries()) await send(kind, k);
    const before = await tableDigests();
    const memoryBefore = memory();

    const byKind = new Map<string, { sent: number; statuses: Record<number, number>; problems: string[] }>();
    for (const kind of KINDS) byKind.set(kind.name, { sent: 0, statuses: {}, problems: [] });
    let next = 0;
    const began = performance.now();
    const worker = async () => {
      while (next < REQUESTS) {
        const i = next++;
        const kind = KINDS[i % KINDS.length] as Kind;
        const stats = byKind.get(kind.name) as NonNullable<ReturnType<typeof byKind.get>>;
        stats.sent += 1;
        let answer: Answer;
        try {
          answer = await send(kind, Math.floor(i / KINDS.length));
        } catch (error) {
          stats.problems.push(`no answer: ${(error as Error).message}`);
          continue;
        }
        stats.statuses[answer.status] = (stats.statuses[answer.status] ?? 0) + 1;
        const why = problem(kind, answer);
        if (why && stats.problems.length < 5) stats.problems.push(why);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const elapsedMs = Math.round(performance.now() - began);

    const memoryAfter = memory();
    const after = await tableDigests();
    const health = await fetch(`${api.server.url}/health`);
    const ready = await fetch(`${api.server.url}/ready`);
    const valid = await api.gql<{ accountByRef: { name: string } }>(
      ACCOUNT_BY_REF,
      { r: 'KEEP-7' },
      secrets.admin,
    );

    const lines = [
      `reliability/bad-input (${api.db.dialect}) ${new Date().toISOString()} — ${machine()}`,
      `  ${REQUESTS} requests, ${PARALLEL} in parallel, in ${elapsedMs} ms (${Math.round((REQUESTS / elapsedMs) * 1000)} req/s)`,
      `  heap after GC ${memoryBefore.heapMB.toFixed(1)} → ${memoryAfter.heapMB.toFixed(1)} MB; RSS ${memoryBefore.rssMB.toFixed(0)} → ${memoryAfter.rssMB.toFixed(0)} MB`,
      '  | kind | sent | HTTP statuses | problems |',
      '  |---|---:|---|---|',
      ...[...byKind].map(
        ([name, s]) =>
          `  | ${name} | ${s.sent} | ${Object.entries(s.statuses)
            .map(([status, n]) => `${status}×${n}`)
            .join(', ')} | ${s.problems.length ? s.problems.join('; ') : 'none'} |`,
      ),
    ];
    console.log(lines.join('\n'));

    const problems = [...byKind].flatMap(([name, s]) => s.problems.map(p => `${name}: ${p}`));
    expect(problems).toEqual([]);
    expect([...byKind.values()].reduce((n, s) => n + s.sent, 0)).toBe(REQUESTS);
    // Still up, still correct, nothing changed, memory stable.
    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(valid.body.data?.accountByRef.name).toBe('Keep 7');
    expect(after).toEqual(before);
    expect(memoryAfter.heapMB - memoryBefore.heapMB).toBeLessThan(50);
  }, 180_000);
});
