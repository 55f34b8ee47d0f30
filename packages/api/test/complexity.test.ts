/**
 * The cost limit is measured once per operation and per values of the variables it depends on
 * (src/complexity.ts): the same document must still be refused or allowed according to the
 * variables of each request, and refused the same way when the measure comes from the cache.
 */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { complexityVariables, measureOperation } from '../src/complexity.ts';
import { schema } from '../src/schema/index.ts';
import { type ApiHarness, startApiForFile } from './harness.ts';

let api: ApiHarness;
let token: string;
startApiForFile((started, secret) => {
  api = started;
  token = secret;
});

// Two levels of child accounts, 50 a page: about 10,000 per account, so a page of 1 or 2 accounts
// is within the limit (25,000) and a page of 100 is not.
const DEEP =
  'children(first: 50) { edges { node { children(first: 50) { edges { node { id name externalRef } } } } } }';

async function attempt(query: string, variables: Record<string, unknown>) {
  const res = await api.gql<{ accounts: unknown }>(query, variables, token);
  return res.body.errors?.map(e => e.message).join(' | ') ?? 'ok';
}

describe('the cost limit, measured once per operation and variable values', () => {
  it('prices a page by the page size of each request, not of the first one measured', async () => {
    const query = `query($n: Int) { accounts(first: $n) { edges { node { ${DEEP} } } } }`;
    const outcomes = [];
    for (const n of [1, 100, 1, 100, 2]) outcomes.push(await attempt(query, { n }));
    expect(outcomes.map(o => (o === 'ok' ? 'ok' : o.match(/maximum complexity/)?.[0]))).toEqual([
      'ok',
      'maximum complexity',
      'ok',
      'maximum complexity',
      'ok',
    ]);
    expect(outcomes[1]).toMatch(/^Query exceeds maximum complexity \(complexity: \d+, max: 25000\)$/);
    const refused = await api.gql(query, { n: 100 }, token);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'complexity',
      max: 25_000,
      actual: expect.any(Number),
    });
  });

  it('prices nodes(ids:) by the number of ids, as a page by its size', async () => {
    // Unknown ids resolve to null, so only the measure decides: 100 ids cost 100 times one.
    const ids = (n: number) =>
      Array.from({ length: n }, (_, i) => Buffer.from(`Account:${i + 1}`).toString('base64'));
    const query = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Account { ${DEEP} } } }`;
    expect(await attempt(query, { ids: ids(1) })).toBe('ok');
    expect(await attempt(query, { ids: ids(100) })).toMatch(/^Query exceeds maximum complexity/);
    expect(await attempt(query, { ids: ids(2) })).toBe('ok');
  });

  it('measures each operation of a document by its own selections', async () => {
    const document = `query Small { accounts(first: 1) { edges { node { ${DEEP} } } } }
      query Large { accounts(first: 100) { edges { node { ${DEEP} } } } }`;
    const run = (operationName: string) =>
      fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: document, operationName }),
      }).then(async res => (await res.json()) as { errors?: { message: string }[] });
    expect((await run('Small')).errors).toBeUndefined();
    expect((await run('Large')).errors?.[0]?.message).toMatch(/maximum complexity/);
    expect((await run('Small')).errors).toBeUndefined();
  });

  it('keys the measure on the variables of priced arguments and of directives only', () => {
    const document = parse(`query($id: ID!, $n: Int, $after: String, $deep: Boolean!, $q: String) {
      node(id: $id) { id }
      accounts(first: $n, after: $after, search: $q) {
        edges { node { ...More } }
      }
    }
    fragment More on Account { children(first: 5) @include(if: $deep) { totalCount } }`);
    const operation = document.definitions[0];
    if (operation?.kind !== 'OperationDefinition') throw new Error('no operation');
    // `accounts` is priced by its page size only (`first`), so a cursor or a search does not
    // split the cache; `node(id:)` has a fixed price, so a new id reuses the measure.
    expect(complexityVariables(schema, operation, document)).toEqual(['deep', 'n']);
  });

  it('measures a bulk call without reading (or coercing) its rows', () => {
    const document = parse(`mutation($rows: [FinancialRowInput!]!, $key: String) {
      importFinancials(rows: $rows, idempotencyKey: $key) { __typename }
    }`);
    // Rows that GraphQL would refuse: the measure does not look at them (execution will).
    const measure = measureOperation(schema, document, undefined, { rows: 'not a list', key: 'k' }, {});
    expect(measure).toEqual({
      complexity: expect.any(Number),
      depth: expect.any(Number),
      breadth: expect.any(Number),
    });
    // A page's cursor is read (Pothos maps all the arguments of a priced field) but not keyed.
    const page = parse(
      'query($after: String) { accounts(first: 5, after: $after) { edges { node { id } } } }',
    );
    const first = measureOperation(schema, page, undefined, { after: 'a' }, {});
    expect(measureOperation(schema, page, undefined, { after: 'b' }, {})).toBe(first);
  });
});
