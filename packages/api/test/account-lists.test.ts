/**
 * An account's lists that grow with use (signals, survey responses, opportunities, contacts,
 * value initiatives, assessments, designations, child accounts) are cursor connections: 30,000
 * signals read as one plain list answered 15.6 MB, and a few such requests ran the server out of
 * heap. Each page is at most 100, priced by its size, read for a whole page of accounts in one
 * statement, and a cursor holding a NUL character is refused on both databases.
 */
import { makeBusinessUnit, statementLog } from '@kam/domain/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, type GraphQLResponse, startApi } from './harness.ts';

let api: ApiHarness;
let admin: string;
let executive: string;
let accountId: string;
const log = statementLog();

const SIGNALS = 250;
/** Signal i occurred on day i % 28 + 1 of a month of 2026: ties on the day, broken by id. */
const signalRows = Array.from({ length: SIGNALS }, (_, i) => ({
  externalRef: `SIG-${String(i).padStart(3, '0')}`,
  accountRef: 'AL-1',
  kind: 'ADVICE_REQUEST',
  occurredOn: `2026-${String((i % 3) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
  topic: `Topic ${i}`,
}));

async function bulk(mutation: string, type: string, rows: unknown[]) {
  const success = `${mutation.charAt(0).toUpperCase()}${mutation.slice(1)}Success`;
  const res = await api.gql<Record<string, { __typename: string; data?: { rejected: number } }>>(
    `mutation($rows: [${type}!]!) { ${mutation}(rows: $rows) { __typename ... on ${success} { data { rejected } } } }`,
    { rows },
    admin,
  );
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.[mutation]).toEqual({ __typename: success, data: { rejected: 0 } });
}

beforeAll(async () => {
  api = await startApi({ onQuery: log.onQuery });
  admin = (await api.token('ADMIN')).secret;
  executive = (await api.token('EXECUTIVE')).secret;
  await bulk('upsertAccounts', 'AccountRowInput', [
    { externalRef: 'AL-1', name: 'Signals' },
    ...Array.from({ length: 12 }, (_, i) => ({
      externalRef: `AL-2-${String(i).padStart(2, '0')}`,
      name: `Child ${i}`,
      parentRef: 'AL-1',
    })),
  ]);
  // In three calls, as the tester did (30,000 in three calls of 10,000).
  for (let i = 0; i < SIGNALS; i += 100)
    await bulk('recordSignals', 'SignalRowInput', signalRows.slice(i, i + 100));
  const found = await api.gql<{ accountByRef: { id: string } }>(
    '{ accountByRef(externalRef: "AL-1") { id } }',
    {},
    executive,
  );
  accountId = found.body.data?.accountByRef.id ?? '';
  // Five signals for each child, to read them for a page of accounts.
  await bulk(
    'recordSignals',
    'SignalRowInput',
    Array.from({ length: 12 * 6 }, (_, i) => ({
      externalRef: `CSIG-${i}`,
      accountRef: `AL-2-${String(i % 12).padStart(2, '0')}`,
      kind: 'REFERRAL',
      occurredOn: `2026-01-${String((i % 27) + 1).padStart(2, '0')}`,
      value: '10.00',
    })),
  );
});

const SIGNAL_PAGE = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  node(id: $id) { ... on Account {
    signals(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { externalRef occurredOn } }
    }
  } }
}`;

interface SignalPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
  edges: { cursor: string; node: { externalRef: string; occurredOn: string } }[];
}

async function signalPage(variables: Record<string, unknown>) {
  return api.gql<{ node: { signals: SignalPage } }>(SIGNAL_PAGE, { id: accountId, ...variables }, executive);
}

/** Newest first; on the same day, the later recorded first (by id, descending). */
const newestFirst = signalRows
  .map((row, index) => ({ ...row, index }))
  .sort((a, b) => (a.occurredOn === b.occurredOn ? b.index - a.index : a.occurredOn < b.occurredOn ? 1 : -1))
  .map(row => row.externalRef);

describe('Account.signals, a connection', () => {
  it('pages all 250 signals 100 at a time, newest first, each once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    const sizes: number[] = [];
    for (;;) {
      const res = await signalPage({ first: 100, after });
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data?.node.signals as SignalPage;
      expect(page.totalCount).toBe(SIGNALS);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      sizes.push(page.edges.length);
      seen.push(...page.edges.map(edge => edge.node.externalRef));
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(sizes).toEqual([100, 100, 50]);
    expect(seen).toEqual(newestFirst);
  });

  it('pages backwards with last and before to the same signals', async () => {
    const seen: string[] = [];
    let before: string | null = null;
    for (;;) {
      const res = await signalPage({ last: 100, before });
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data?.node.signals as SignalPage;
      seen.unshift(...page.edges.map(edge => edge.node.externalRef));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(seen).toEqual(newestFirst);
  });

  it('answers 20 when first is omitted and refuses a page of 101', async () => {
    const omitted = await signalPage({});
    expect(omitted.body.data?.node.signals.edges).toHaveLength(20);
    const refused = await signalPage({ first: 101 });
    expect(refused.body.errors?.[0]).toMatchObject({
      message: 'first must be between 1 and 100; got 101.',
      extensions: { fieldErrors: [{ path: ['first'], code: 'PAGE_SIZE_OUT_OF_RANGE' }] },
    });
  });

  it('refuses a cursor of another list, and an edited one, as INVALID_CURSOR', async () => {
    const accounts = await api.gql<{ accounts: { pageInfo: { endCursor: string } } }>(
      '{ accounts(first: 1) { pageInfo { endCursor } } }',
      {},
      executive,
    );
    const own = (await signalPage({ first: 1 })).body.data?.node.signals.pageInfo.endCursor ?? '';
    const tag = own.slice(0, own.indexOf('.'));
    const edited = (values: unknown) => `${tag}.${Buffer.from(JSON.stringify(values)).toString('base64url')}`;
    for (const after of [
      accounts.body.data?.accounts.pageInfo.endCursor,
      edited(['2026-01-01']),
      edited([1, 2]),
      edited(['2026-02-30', 1]),
      edited(['\u0000', 1]),
      'no-dot',
    ]) {
      const res = await signalPage({ first: 2, after });
      expect(res.body.errors?.[0]?.extensions, String(after)).toMatchObject({
        fieldErrors: [{ path: ['after'], code: 'INVALID_CURSOR' }],
      });
    }
  });

  it('reads the signals of a whole page of accounts in one statement, at most first + 1 each', async () => {
    const query = `query($n: Int!) { accounts(first: $n, parentId: "${accountId}") {
      edges { node { externalRef signals(first: 5) { pageInfo { hasNextPage } edges { node { externalRef } } } } }
    } }`;
    const read = async (n: number) => {
      const { result, statements } = await log.during(() =>
        api.gql<{
          accounts: {
            edges: { node: { signals: { pageInfo: { hasNextPage: boolean }; edges: unknown[] } } }[];
          };
        }>(query, { n }, executive),
      );
      expect(result.body.errors).toBeUndefined();
      const edges = result.body.data?.accounts.edges ?? [];
      expect(edges).toHaveLength(n);
      for (const { node } of edges) {
        expect(node.signals.edges).toHaveLength(5);
        expect(node.signals.pageInfo.hasNextPage).toBe(true);
      }
      return statements.filter(s => /^\[query\] (select|with)\b/i.test(s) && /customer_signal/.test(s));
    };
    const two = await read(2);
    const twelve = await read(12);
    expect(two).toHaveLength(1);
    expect(twelve).toHaveLength(1);
    expect(twelve[0]).toMatch(/row_number\(\) over \(partition by/i);
  });
});

describe('pricing by page size', () => {
  /** The tester's document: one account's signals, aliased five times. */
  const aliased = (first: number) => `query($id: ID!) { node(id: $id) { ... on Account {
    ${[1, 2, 3, 4, 5].map(i => `s${i}: signals(first: ${first}) { edges { node { externalRef note topic kind occurredOn quarter } } }`).join('\n')}
  } } }`;
  /** The same five aliases for a page of 100 accounts: refused, with its cost, when over the limit. */
  const ofPage = (first: number) => `{ accounts(first: 100) { edges { node {
    ${[1, 2, 3, 4, 5].map(i => `s${i}: signals(first: ${first}) { edges { node { externalRef note topic kind occurredOn quarter } } }`).join('\n')}
  } } } }`;

  it('answers at most a page per alias', async () => {
    const res = await api.gql<{ node: Record<string, { edges: unknown[] }> }>(
      aliased(100),
      { id: accountId },
      executive,
    );
    expect(res.body.errors).toBeUndefined();
    for (const alias of ['s1', 's2', 's3', 's4', 's5'])
      expect(res.body.data?.node[alias]?.edges).toHaveLength(100);
  });

  it('prices the aliased field by its page size: the cost rises with first', async () => {
    const cost = async (first: number) => {
      const res = await api.gql(ofPage(first), {}, executive);
      const error = res.body.errors?.[0];
      expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'complexity' });
      return error?.extensions?.actual as number;
    };
    const [ten, fifty, hundred] = [await cost(10), await cost(50), await cost(100)];
    expect(fifty).toBeGreaterThan(4 * ten);
    expect(hundred).toBeGreaterThan(1.9 * fifty);
    // A page of 100 accounts with one signal each is within the limit.
    expect((await api.gql(ofPage(1), {}, executive)).body.errors).toBeUndefined();
  });
});

describe('a cursor holding a NUL character', () => {
  it('is refused as INVALID_CURSOR by the accounts connection, on both databases', async () => {
    const first = await api.gql<{ accounts: { pageInfo: { endCursor: string } } }>(
      '{ accounts(first: 1) { pageInfo { endCursor } } }',
      {},
      executive,
    );
    const cursor = first.body.data?.accounts.pageInfo.endCursor ?? '';
    const prefix = cursor.slice(0, cursor.indexOf('.'));
    const after = `${prefix}.${Buffer.from(JSON.stringify(['\u0000', 1])).toString('base64url')}`;
    const res = await api.gql(
      'query($after: String) { accounts(first: 2, after: $after) { edges { node { id } } } }',
      { after },
      executive,
    );
    expect(res.body.errors?.[0]).toMatchObject({
      message: 'The cursor is not valid; use a cursor returned by this connection.',
      extensions: { fieldErrors: [{ path: ['after'], code: 'INVALID_CURSOR' }] },
    });
  });
});

describe('the other lists of an account that grow with use', () => {
  it('children: by external ref, paged with cursors', async () => {
    const read = async (after: string | null) =>
      (
        await api.gql<{
          node: {
            children: {
              totalCount: number;
              pageInfo: { hasNextPage: boolean; endCursor: string };
              edges: { node: { externalRef: string } }[];
            };
          };
        }>(
          `query($id: ID!, $after: String) { node(id: $id) { ... on Account {
            children(first: 5, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { externalRef } } }
          } } }`,
          { id: accountId, after },
          executive,
        )
      ).body.data?.node.children;
    const refs: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await read(after);
      expect(page?.totalCount).toBe(12);
      refs.push(...(page?.edges.map(e => e.node.externalRef) ?? []));
      if (!page?.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(refs).toEqual(Array.from({ length: 12 }, (_, i) => `AL-2-${String(i).padStart(2, '0')}`));
  });

  it('opportunities: open ones first, then by expected decision date, undated last, page by page', async () => {
    await makeBusinessUnit(api.db.em(), { code: 'ALU' });
    const row = (ref: string, extra: Record<string, unknown>) => ({
      externalRef: ref,
      accountRef: 'AL-1',
      businessUnitCode: 'ALU',
      name: ref,
      value: '100.00',
      ...extra,
    });
    await bulk('upsertOpportunities', 'OpportunityRowInput', [
      row('O-WON', { outcome: 'WON', decidedOn: '2026-01-10', expectedCloseOn: '2026-01-01' }),
      row('O-UNDATED-1', {}),
      row('O-LATE', { expectedCloseOn: '2026-12-01' }),
      row('O-LOST-UNDATED', { outcome: 'LOST', decidedOn: '2026-01-11' }),
      row('O-EARLY', { expectedCloseOn: '2026-03-01' }),
      row('O-UNDATED-2', {}),
    ]);
    const expected = ['O-EARLY', 'O-LATE', 'O-UNDATED-1', 'O-UNDATED-2', 'O-WON', 'O-LOST-UNDATED'];
    const query = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      node(id: $id) { ... on Account {
        opportunities(first: $first, after: $after, last: $last, before: $before) {
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { externalRef } }
        }
      } }
    }`;
    type Page = {
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
      edges: { node: { externalRef: string } }[];
    };
    const read = async (variables: Record<string, unknown>): Promise<Page> => {
      const res: GraphQLResponse<{ node: { opportunities: Page } }> = await api.gql(
        query,
        { id: accountId, ...variables },
        executive,
      );
      expect(res.body.errors).toBeUndefined();
      return res.body.data?.node.opportunities as Page;
    };
    const forward: string[] = [];
    for (let after: string | null = null; ; ) {
      const page = await read({ first: 1, after });
      forward.push(...page.edges.map(e => e.node.externalRef));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(forward).toEqual(expected);
    // Backwards one at a time: the undated ones and the decided ones in the same order.
    const backward: string[] = [];
    for (let before: string | null = null; ; ) {
      const page = await read({ last: 1, before });
      backward.unshift(...page.edges.map(e => e.node.externalRef));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(backward).toEqual(expected);
  });
});
