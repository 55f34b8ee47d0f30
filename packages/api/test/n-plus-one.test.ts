/**
 * N+1 is solved centrally (per-request batch loaders; the accounts page prefetches the ones it selects): a page of 100
 * accounts with their team, latest financials, plan status and health issues exactly as many SQL
 * statements as a page of 10. Statements are counted with the ORM's query logger.
 */
import {
  Account,
  addTeamMember,
  BusinessUnit,
  closeQuarter,
  createPlan,
  designateKeyAccount,
  type EntityManager,
  revokeDesignation,
  systemActor,
  TeamMember,
} from '@kam/domain';
import { makeBusinessUnit, makePerson, statementLog } from '@kam/domain/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';

let api: ApiHarness;
let admin: string;
const log = statementLog();

const ACCOUNTS = 110;
const actor = systemActor('n-plus-one test');

beforeAll(async () => {
  api = await startApi({
    onQuery: log.onQuery,
  });
  admin = (await api.token('ADMIN')).secret;
  const rows = Array.from({ length: ACCOUNTS }, (_, i) => ({
    externalRef: `NP-${String(i).padStart(3, '0')}`,
    name: `Account ${i}`,
  }));
  const upsert = await api.gql<{ upsertAccounts: { __typename: string } }>(
    'mutation($rows: [AccountRowInput!]!) { upsertAccounts(rows: $rows) { __typename } }',
    { rows },
    admin,
  );
  expect(upsert.body.data?.upsertAccounts.__typename).toBe('UpsertAccountsSuccess');
  const financials = rows.flatMap(r =>
    ['2026-Q1', '2026-Q2'].map(quarter => ({
      accountRef: r.externalRef,
      quarter,
      revenue: '1000.00',
      grossProfit: '400.00',
      costToServe: '100.00',
    })),
  );
  const imported = await api.gql<{ importFinancials: { __typename: string } }>(
    'mutation($rows: [FinancialRowInput!]!) { importFinancials(rows: $rows) { __typename } }',
    { rows: financials },
    admin,
  );
  expect(imported.body.data?.importFinancials.__typename).toBe('ImportFinancialsSuccess');
  const em = api.db.em();
  const unit = await makeBusinessUnit(em);
  const people = [await makePerson(em), await makePerson(em)];
  const accounts = await em.find(Account, {}, { orderBy: { id: 'asc' } });
  for (const [i, account] of accounts.entries()) {
    const person = people[i % 2];
    if (!person) continue;
    await addTeamMember(
      em,
      { accountId: account.id, personId: person.id, role: 'KEY_ACCOUNT_MANAGER' },
      actor,
    );
    // A plan is drawn up for a key account; the designation (after the closed 2026-Q2, so no
    // health there) is then revoked, so that the tests below start from accounts that are not key
    // (and designate the ones they need).
    const designation = await designateKeyAccount(
      em,
      { accountId: account.id, designatedOn: '2026-07-01' },
      actor,
    );
    await createPlan(em, { accountId: account.id, year: 2026, businessUnitIds: [unit.id] }, actor);
    await revokeDesignation(
      em,
      { id: designation.id, expectedVersion: designation.version, reason: 'test: plan drafted' },
      actor,
    );
  }
  // Health comes from the latest closed quarter.
  await closeQuarter(api.db.em(), '2026-Q2', actor);
});
afterAll(async () => {
  await api.close();
});

const PAGE = `query($first: Int!) {
  accounts(first: $first) {
    edges { node {
      externalRef
      team { role person { name businessUnit { code } } }
      latestFinancials { quarter revenue businessUnit { code } }
      latestPlan { status year businessUnits { code } }
      health { quarter score status components { key value weight contribution } }
    } }
  }
}`;

async function countStatements(first: number) {
  const { result: res, statements } = await log.during(() =>
    api.gql<{
      accounts: {
        edges: {
          node: {
            team: unknown[];
            latestFinancials: { quarter: string }[];
            latestPlan: { status: string } | null;
            health: { quarter: string; components: unknown[] } | null;
          };
        }[];
      };
    }>(PAGE, { first }, admin),
  );
  expect(res.body.errors).toBeUndefined();
  const edges = res.body.data?.accounts.edges ?? [];
  expect(edges).toHaveLength(first);
  for (const { node } of edges) {
    expect(node.team).toHaveLength(1);
    expect(node.latestFinancials.map(f => f.quarter)).toEqual(['2026-Q2']);
    expect(node.latestPlan?.status).toBe('DRAFT');
    // Health is computed for key accounts only (none here); its loader still runs, batched.
    expect(node.health).toBeNull();
  }
  return statements.filter(s => /^\[query\] (select|insert|update|delete|with)\b/i.test(s));
}

/** The reading statements of one accounts page query of `first` accounts, each node checked. */
async function readsOfPage<N>(query: string, first: number, check: (node: N) => void): Promise<string[]> {
  const { result: res, statements } = await log.during(() =>
    api.gql<{ accounts: { edges: { node: N }[] } }>(query, { first }, admin),
  );
  expect(res.body.errors).toBeUndefined();
  const edges = res.body.data?.accounts.edges ?? [];
  expect(edges).toHaveLength(first);
  for (const { node } of edges) check(node);
  return statements.filter(s => /^\[query\] (select|with)\b/i.test(s));
}

describe('N+1', () => {
  it('a 100-account page issues as many SQL statements as a 10-account page', async () => {
    await countStatements(10); // warm-up: the token's first use is recorded once a minute
    const ten = await countStatements(10);
    const hundred = await countStatements(100);
    expect(ten.length).toBeGreaterThan(0);
    expect(hundred.length, hundred.join('\n')).toBe(ten.length);
    // One statement per batched loader (+ the token, the page and its count), never per account.
    expect(hundred.length).toBeLessThan(15);
  });

  it('group roll-ups of a 100-account page, in two quarters, issue as many statements as of 10', async () => {
    const rollups = (first: number) =>
      readsOfPage<{ q1: unknown; q2: unknown; again: unknown }>(
        `query($first: Int!) { accounts(first: $first) { edges { node {
          q1: groupRollup(quarter: "2026-Q1") { descendants ttmRevenue }
          q2: groupRollup(quarter: "2026-Q2") { descendants ttmRevenue }
          again: groupRollup(quarter: "2026-Q2") { plans }
        } } } }`,
        first,
        // No account of this portfolio has children: every roll-up is null.
        node => expect(node).toEqual({ q1: null, q2: null, again: null }),
      );
    await rollups(10); // warm-up
    const ten = await rollups(10);
    const hundred = await rollups(100);
    expect(hundred.length, hundred.join('\n')).toBe(ten.length);
    // The page, and one roll-up statement per quarter asked for.
    expect(hundred.filter(s => /with recursive/i.test(s))).toHaveLength(2);
  });

  it('the whitespace of a 100-account page, alone and with its group, issues as many statements as of 10', async () => {
    const whitespace = (first: number) =>
      readsOfPage<{ own: unknown[]; group: unknown[]; again: unknown[] }>(
        `query($first: Int!) { accounts(first: $first) { edges { node {
          own: whitespace(quarter: "2026-Q2") { businessUnitCode ttmRevenue whiteSpace }
          group: whitespace(quarter: "2026-Q2", group: true) { businessUnitCode ttmRevenue whiteSpace }
          again: whitespace(quarter: "2026-Q2") { potential }
        } } } }`,
        first,
        // No account of this portfolio has children: an account's group whitespace is its own.
        node => {
          expect(node.own.length).toBeGreaterThan(0);
          expect(node.group).toEqual(node.own);
        },
      );
    await whitespace(10); // warm-up
    const ten = await whitespace(10);
    const hundred = await whitespace(100);
    expect(hundred.length, hundred.join('\n')).toBe(ten.length);
    // The group's members once, for the page (not per account).
    expect(hundred.filter(s => /with recursive/i.test(s))).toHaveLength(1);
  });
});

describe('the accounts page loads the batched fields it selects before the nodes resolve', () => {
  const select = async (query: string) => {
    const { result: res, statements } = await log.during(() =>
      api.gql<{ accounts: { edges: { node: Record<string, unknown> }[] } }>(query, {}, admin),
    );
    expect(res.body.errors).toBeUndefined();
    return {
      nodes: res.body.data?.accounts.edges.map(edge => edge.node) ?? [],
      sql: statements.filter(s => /^\[query\] select\b/i.test(s)),
    };
  };

  it('through fragments, inline fragments and aliases, with the same answers and statements', async () => {
    await select('{ accounts(first: 5) { edges { node { externalRef } } } }'); // token warm-up
    const plain = await select(`{ accounts(first: 20) { edges { node {
      externalRef isKeyAccount team { role } latestFinancials { quarter } latestPlan { status } health { score }
    } } } }`);
    const fragments = await select(`
      query { accounts(first: 20) { edges { ...Edge } } }
      fragment Edge on QueryAccountsConnectionEdge { node { externalRef ... on Account { crew: team { role } } ...Money } }
      fragment Money on Account { isKeyAccount latestFinancials { quarter } latestPlan { status } health { score } }`);
    expect(fragments.nodes.map(({ crew, ...rest }) => ({ ...rest, team: crew }))).toEqual(plain.nodes);
    expect(fragments.sql).toHaveLength(plain.sql.length);
    expect(plain.nodes[0]).toMatchObject({
      team: [{ role: 'KEY_ACCOUNT_MANAGER' }],
      latestPlan: { status: 'DRAFT' },
    });
  });

  it('and only those: a page without them runs none of their statements', async () => {
    const bare = await select('{ accounts(first: 20) { edges { node { externalRef } } } }');
    const team = await select('{ accounts(first: 20) { edges { node { externalRef team { role } } } } }');
    expect(
      bare.sql.some(s =>
        /team_member|quarterly_financial|account_plan|account_snapshot|key_account_designation/.test(s),
      ),
    ).toBe(false);
    expect(team.sql.filter(s => /team_member/.test(s))).toHaveLength(1);
    expect(team.sql.length).toBe(bare.sql.length + 1);
  });
});

describe('edge cursors', () => {
  it('are encoded on demand and continue the page after their edge', async () => {
    type Page = { accounts: { edges: { cursor: string; node: { externalRef: string } }[] } };
    const first = await api.gql<Page>(
      '{ accounts(first: 3) { edges { cursor node { externalRef } } } }',
      {},
      admin,
    );
    const edges = first.body.data?.accounts.edges ?? [];
    expect(edges.map(e => e.node.externalRef)).toEqual(['NP-000', 'NP-001', 'NP-002']);
    expect(new Set(edges.map(e => e.cursor)).size).toBe(3);
    const next = await api.gql<Page>(
      'query($after: String) { accounts(first: 2, after: $after) { edges { node { externalRef } } } }',
      { after: edges[1]?.cursor },
      admin,
    );
    expect(next.body.data?.accounts.edges.map(e => e.node.externalRef)).toEqual(['NP-002', 'NP-003']);
  });

  it('belong to their order and their list: sent back with another, they are refused, not misread', async () => {
    type Refusal = { body: { errors?: { message: string; extensions?: Record<string, unknown> }[] } };
    const byName = await api.gql<{ accounts: { pageInfo: { endCursor: string } } }>(
      '{ accounts(first: 2, orderBy: { field: NAME, direction: DESC }) { pageInfo { endCursor } } }',
      {},
      admin,
    );
    const cursor = byName.body.data?.accounts.pageInfo.endCursor ?? '';
    const refused = (res: Refusal, message: RegExp) => {
      expect(res.body.errors?.[0]?.extensions?.code).toBe('INVALID_CURSOR');
      expect(res.body.errors?.[0]?.message).toMatch(message);
    };
    // The same order continues; the other direction, another field or another list is refused.
    const same = await api.gql<{ accounts: { edges: unknown[] } }>(
      'query($after: String) { accounts(first: 2, after: $after, orderBy: { field: NAME, direction: DESC }) { edges { cursor } } }',
      { after: cursor },
      admin,
    );
    expect(same.body.errors).toBeUndefined();
    expect(same.body.data?.accounts.edges).toHaveLength(2);
    for (const order of ['{ field: NAME, direction: ASC }', '{ field: EXTERNAL_REF, direction: DESC }']) {
      refused(
        await api.gql<unknown>(
          `query($after: String) { accounts(first: 2, after: $after, orderBy: ${order}) { edges { cursor } } }`,
          { after: cursor },
          admin,
        ),
        /read in another order or from another list: send the orderBy it was read with/,
      );
    }
    refused(
      await api.gql<unknown>(
        'query($after: String) { people(first: 2, after: $after) { edges { cursor } } }',
        { after: cursor },
        admin,
      ),
      /another order or from another list/,
    );
    // Not a cursor of this API at all.
    refused(
      await api.gql<unknown>(
        'query($after: String) { accounts(first: 2, after: $after) { edges { cursor } } }',
        { after: 'WyJ4Il0' },
        admin,
      ),
      /The cursor is not valid; use a cursor returned by this connection/,
    );
  });

  it('refuses a cursor whose values were edited, on both databases, rather than misreading it', async () => {
    // A cursor is the order's tag and the keyset values as base64url JSON: not signed, so a
    // client can edit the values. They reached the database as such: `id > 'x'` was an
    // unexpected error on PostgreSQL, and a silently wrong page on SQLite.
    const pages = {
      EXTERNAL_REF: 'query($after: String) { accounts(first: 2, after: $after) { edges { cursor } } }',
      CREATED_AT:
        'query($after: String) { accounts(first: 2, after: $after, orderBy: { field: CREATED_AT }) { edges { cursor } } }',
    };
    const edited: [keyof typeof pages, unknown][] = [
      ['EXTERNAL_REF', ['NP-001', 'x']],
      ['EXTERNAL_REF', ['NP-001']],
      ['EXTERNAL_REF', [1, 2]],
      ['EXTERNAL_REF', 'NP-001'],
      ['EXTERNAL_REF', [['NP-001'], {}]],
      ['EXTERNAL_REF', [null, 2]],
      ['EXTERNAL_REF', ['NP-001', 2.5]],
      ['CREATED_AT', ['yesterday', 2]],
      ['CREATED_AT', [1_700_000_000_000, 2]],
    ];
    for (const [order, values] of edited) {
      const genuine = await api.gql<{ accounts: { edges: { cursor: string }[] } }>(pages[order], {}, admin);
      const tag = genuine.body.data?.accounts.edges[0]?.cursor.split('.')[0];
      const after = `${tag}.${Buffer.from(JSON.stringify(values)).toString('base64url')}`;
      const res = await api.gql<unknown>(pages[order], { after }, admin);
      const what = `${order} ${JSON.stringify(values)}: ${JSON.stringify(res.body)}`;
      expect(res.body.errors?.[0]?.extensions?.code, what).toBe('INVALID_CURSOR');
      expect(res.body.errors?.[0]?.message, what).toBe(
        'The cursor is not valid; use a cursor returned by this connection.',
      );
    }
  });
});

describe('the end of a request', () => {
  it('leaves its EntityManager empty: entities loaded by a query are not kept once it has run', async () => {
    const [unit] = await api.db.em().find(BusinessUnit, {}, { limit: 1 });
    if (!unit) throw new Error('fixture business unit missing');
    const id = Buffer.from(`BusinessUnit:${unit.id}`).toString('base64');
    const forks: EntityManager[] = [];
    const fork = api.db.orm.em.fork.bind(api.db.orm.em);
    const spy = vi.spyOn(api.db.orm.em, 'fork').mockImplementation(options => {
      const em = fork(options);
      forks.push(em);
      return em;
    });
    try {
      // A business unit is loaded as an entity (into the identity map), the accounts as read rows.
      const res = await api.gql<{ node: { name: string } | null }>(
        `query($id: ID!) { node(id: $id) { ... on BusinessUnit { name } } accounts(first: 5) { edges { node { name team { role } } } } }`,
        { id },
        admin,
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.node?.name).toEqual(expect.any(String));
    } finally {
      spy.mockRestore();
    }
    expect(forks).toHaveLength(1);
    expect(forks[0]?.getUnitOfWork().getIdentityMap().values()).toEqual([]);
  });
});

describe('one account by id', () => {
  it('reads the account with its key status, and the team with its people, in one statement each', async () => {
    const em = api.db.em();
    const [plain, key, revoked] = await em.find(Account, {}, { orderBy: { id: 'asc' }, limit: 3 });
    if (!plain || !key || !revoked) throw new Error('fixture accounts missing');
    await designateKeyAccount(em, { accountId: key.id }, actor);
    const ended = await designateKeyAccount(em, { accountId: revoked.id }, actor);
    await revokeDesignation(
      em,
      { id: ended.id, expectedVersion: ended.version, reason: 'test: no longer key' },
      actor,
    );
    const QUERY = `query($id: ID!) { node(id: $id) { ... on Account {
      externalRef isKeyAccount
      team { role person { name } }
      latestFinancials { quarter revenue }
      latestPlan { status }
    } } }`;
    const answers = [];
    for (const account of [plain, key, revoked]) {
      const id = Buffer.from(`Account:${account.id}`).toString('base64');
      await api.gql(QUERY, { id }, admin); // the token's use is recorded once a minute
      const { result: res, statements } = await log.during(() =>
        api.gql<{ node: Record<string, unknown> }>(QUERY, { id }, admin),
      );
      expect(res.body.errors).toBeUndefined();
      answers.push(res.body.data?.node);
      const sql = statements.filter(s => /^\[query\] select\b/i.test(s));
      // The token, the account (with its key status), the team with its people, financials, plan.
      expect(sql, sql.join('\n')).toHaveLength(5);
      expect(sql.some(s => /from [`"]?person[`"]? where/i.test(s))).toBe(false);
      expect(sql.some(s => /^\[query\] select account_id from key_account_designation/i.test(s))).toBe(false);
    }
    expect(answers.map(a => a?.isKeyAccount)).toEqual([false, true, false]);
    for (const [i, account] of [plain, key, revoked].entries()) {
      const [member] = await em.fork().find(TeamMember, { account: account.id }, { populate: ['person'] });
      expect(answers[i]).toMatchObject({
        externalRef: account.externalRef,
        team: [{ role: 'KEY_ACCOUNT_MANAGER', person: { name: member?.person.name } }],
        latestFinancials: [{ quarter: '2026-Q2', revenue: '1000.00' }],
        latestPlan: { status: 'DRAFT' },
      });
    }
  });
});
