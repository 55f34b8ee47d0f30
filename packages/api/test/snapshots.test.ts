import {
  AccountSnapshot,
  importFinancials,
  QuarterSnapshot,
  systemActor,
  upsertAccounts,
  writeAs,
} from '@kam/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInProcessApi } from '../src/in-process.ts';
import { type ApiHarness, startApi } from './harness.ts';

const SNAPSHOTS = `{ snapshots { quarter revision closedAt closedBy checksum accountCount } }`;
const SNAPSHOT = `query ($quarter: Quarter!, $revision: Int, $first: Int, $after: String, $key: Boolean) {
  snapshot(quarter: $quarter, revision: $revision) {
    quarter revision accountCount
    portfolio
    accounts(first: $first, after: $after, keyAccountsOnly: $key) {
      edges { cursor node { accountId externalRef isKeyAccount payload } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

interface SnapshotData {
  snapshot: {
    quarter: string;
    revision: number;
    accountCount: number;
    portfolio: { quarter: string; revision: number; totals: { ttmRevenue: string } };
    accounts: {
      edges: {
        cursor: string;
        node: { externalRef: string; isKeyAccount: boolean; payload: { n: number } };
      }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  } | null;
}

let api: ApiHarness;
let executive: string;

/** Stores two revisions of 2026-Q3 the way closeQuarter does: one portfolio row, one row per account. */
async function storeSnapshot(revision: number, accounts: number): Promise<void> {
  await writeAs(api.db.em(), systemActor('test'), async em => {
    const snapshot = em.create(QuarterSnapshot, {
      quarter: '2026-Q3',
      revision,
      closedAt: new Date(`2026-10-0${revision}T09:00:00.000Z`),
      closedBy: 'Test Closer',
      accountCount: accounts,
      checksum: String(revision).repeat(64),
      payload: JSON.stringify({ quarter: '2026-Q3', revision, totals: { ttmRevenue: '1000.10' } }),
    });
    for (let i = 0; i < accounts; i++) {
      em.create(AccountSnapshot, {
        snapshot,
        accountId: i + 1,
        externalRef: `A-${String(i).padStart(4, '0')}`,
        position: i,
        isKeyAccount: i % 2 === 0,
        payload: JSON.stringify({ n: i, revision }),
      });
    }
  });
}

beforeAll(async () => {
  api = await startApi();
  executive = (await api.token('EXECUTIVE')).secret;
  await storeSnapshot(1, 5);
  await storeSnapshot(2, 250);
});
afterAll(() => api.close());

describe('closed quarters through the API', () => {
  it('lists every revision, newest first', async () => {
    const res = await api.gql<{ snapshots: { revision: number; checksum: string; closedBy: string }[] }>(
      SNAPSHOTS,
      {},
      executive,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.snapshots.map(s => s.revision)).toEqual([2, 1]);
    expect(res.body.data?.snapshots[0]?.checksum).toBe(`sha256:${'2'.repeat(64)}`);
  });

  it('serves the latest revision, its portfolio, and pages the key accounts 100 at a time', async () => {
    const refs: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: { body: { data?: SnapshotData; errors?: unknown } } = await api.gql<SnapshotData>(
        SNAPSHOT,
        { quarter: '2026-Q3', first: 100, after, key: true },
        executive,
      );
      expect(res.body.errors).toBeUndefined();
      const snapshot = res.body.data?.snapshot;
      expect(snapshot?.revision).toBe(2);
      expect(snapshot?.portfolio.totals.ttmRevenue).toBe('1000.10');
      for (const edge of snapshot?.accounts.edges ?? []) {
        expect(edge.node.isKeyAccount).toBe(true);
        expect(edge.node.payload.n).toBe(Number(edge.node.externalRef.slice(2)));
        refs.push(edge.node.externalRef);
      }
      after = snapshot?.accounts.pageInfo.hasNextPage ? snapshot.accounts.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    // 250 accounts, every second one key: 125 key accounts in two pages.
    expect(pages).toBe(2);
    expect(refs).toHaveLength(125);
    expect(refs[0]).toBe('A-0000');
    expect(refs.at(-1)).toBe('A-0248');
    expect([...refs].sort()).toEqual(refs);
  });

  it('reads an earlier revision, and answers null for a quarter never closed', async () => {
    const old = await api.gql<SnapshotData>(
      SNAPSHOT,
      { quarter: '2026-Q3', revision: 1, first: 10 },
      executive,
    );
    expect(old.body.data?.snapshot?.accountCount).toBe(5);
    expect(old.body.data?.snapshot?.accounts.edges).toHaveLength(5);
    expect(old.body.data?.snapshot?.portfolio.revision).toBe(1);
    const none = await api.gql<SnapshotData>(SNAPSHOT, { quarter: '2025-Q1' }, executive);
    expect(none.body.errors).toBeUndefined();
    expect(none.body.data?.snapshot).toBeNull();
  });

  it('refuses a page over 100, a made-up cursor, a malformed quarter, and a missing token', async () => {
    const big = await api.gql(SNAPSHOT, { quarter: '2026-Q3', first: 101 }, executive);
    expect(JSON.stringify(big.body.errors)).toMatch(/first must be between 1 and 100/);
    const cursor = await api.gql(SNAPSHOT, { quarter: '2026-Q3', after: 'bm9wZQ' }, executive);
    expect(JSON.stringify(cursor.body.errors)).toMatch(/cursor is not valid/);
    // Only the form endCursor is written in: "", no position, or a position written another way
    // (exponent, space, sign, leading zero) used to be read as the first page or some position.
    const encoded = (text: string) => Buffer.from(text).toString('base64url');
    for (const after of [
      '',
      encoded('snapshot-account:'),
      encoded('snapshot-account:1e3'),
      encoded('snapshot-account: 5'),
      encoded('snapshot-account:+5'),
      encoded('snapshot-account:05'),
      encoded('snapshot-account:5.0'),
      `${encoded('snapshot-account:5')}!`,
    ]) {
      const res = await api.gql(SNAPSHOT, { quarter: '2026-Q3', first: 1, after }, executive);
      expect(res.body.data?.snapshot, after).toBeNull();
      expect(res.body.errors?.[0]?.message, after).toBe(
        'The cursor is not valid; use an endCursor returned by this connection.',
      );
      expect(res.body.errors?.[0]?.extensions, after).toMatchObject({
        code: 'INVALID_CURSOR',
        fieldErrors: [{ path: ['after'] }],
      });
    }
    // The canonical form pages on after the position it names.
    const fifth = await api.gql<SnapshotData>(
      SNAPSHOT,
      { quarter: '2026-Q3', first: 1, after: encoded('snapshot-account:5') },
      executive,
    );
    expect(fifth.body.errors).toBeUndefined();
    expect(fifth.body.data?.snapshot?.accounts.edges.map(e => e.node.externalRef)).toEqual(['A-0006']);
    const quarter = await api.gql(SNAPSHOT, { quarter: '2026Q3' }, executive);
    expect(quarter.body.errors?.[0]?.message).toContain(
      `Quarter must be written 2026-Q3 (year, hyphen, capital Q and the quarter's number); got "2026Q3".`,
    );
    const anonymous = await api.gql(SNAPSHOTS, {}, null);
    expect(anonymous.status).toBe(401);
  });

  it('serves the same documents in process, without a network server', async () => {
    const local = await openInProcessApi({ databaseUrl: 'unused', orm: api.db.orm });
    try {
      const res = await local.query<SnapshotData>(SNAPSHOT, { quarter: '2026-Q3', first: 3 });
      expect(res.errors).toBeUndefined();
      expect(res.data?.snapshot?.accounts.edges.map(e => e.node.externalRef)).toEqual([
        'A-0000',
        'A-0001',
        'A-0002',
      ]);
    } finally {
      await local.close();
    }
  });
});

describe('closeQuarter through the API', () => {
  const CLOSE = `mutation ($quarter: Quarter!) { closeQuarter(quarter: $quarter) {
    __typename
    ... on CloseQuarterSuccess { data { ms snapshot { quarter revision checksum accountCount } } }
    ... on Error { code message }
  } }`;
  type CloseAnswer = {
    closeQuarter: {
      __typename: string;
      code?: string;
      message?: string;
      data?: { snapshot: { quarter: string; revision: number; checksum: string; accountCount: number } };
    };
  };

  it('lets an ADMIN close a quarter, again as revision 2 with the same checksum, and refuses other roles', async () => {
    const actor = systemActor('test');
    await upsertAccounts(
      api.db.em(),
      [
        { externalRef: 'CQ-1', name: 'Close One' },
        { externalRef: 'CQ-2', name: 'Close Two' },
      ],
      { mode: 'ATOMIC' },
      actor,
    );
    await importFinancials(
      api.db.em(),
      [
        {
          accountRef: 'CQ-1',
          quarter: '2026-Q2',
          revenue: '1000.00',
          grossProfit: '300.00',
          costToServe: '20.00',
        },
        {
          accountRef: 'CQ-2',
          quarter: '2026-Q2',
          revenue: '250.50',
          grossProfit: '80.25',
          costToServe: '5.00',
        },
      ],
      { mode: 'ATOMIC' },
      actor,
    );
    const admin = (await api.token('ADMIN')).secret;
    const first = await api.gql<CloseAnswer>(CLOSE, { quarter: '2026-Q2' }, admin);
    expect(first.body.errors).toBeUndefined();
    const one = first.body.data?.closeQuarter.data?.snapshot;
    expect(one?.revision).toBe(1);
    expect(one?.accountCount).toBe(2);
    const second = await api.gql<CloseAnswer>(CLOSE, { quarter: '2026-Q2' }, admin);
    const two = second.body.data?.closeQuarter.data?.snapshot;
    expect(two?.revision).toBe(2);
    expect(two?.checksum).toBe(one?.checksum);

    const read = await api.gql<SnapshotData>(SNAPSHOT, { quarter: '2026-Q2', first: 10 }, executive);
    expect(read.body.data?.snapshot?.portfolio.totals.ttmRevenue).toBe('1250.50');

    const refused = await api.gql<CloseAnswer>(CLOSE, { quarter: '2026-Q2' }, executive);
    expect(refused.body.data?.closeQuarter).toMatchObject({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
    });
    expect(refused.body.data?.closeQuarter.message).toMatch(/EXECUTIVE may not use Mutation.closeQuarter/);
    const count = await api.db.em().count(QuarterSnapshot, { quarter: '2026-Q2' });
    expect(count).toBe(2);

    // A quarter still running is refused as a domain rule, and nothing is written.
    const running = await api.gql<CloseAnswer>(CLOSE, { quarter: '2999-Q1' }, admin);
    expect(running.body.data?.closeQuarter).toMatchObject({
      __typename: 'DomainRuleError',
      code: 'QUARTER_NOT_ENDED',
      message: expect.stringMatching(/^2999-Q1 has not ended yet \(its last day is 2999-03-31\)/),
    });
    expect(await api.db.em().count(QuarterSnapshot, { quarter: '2999-Q1' })).toBe(0);
  });
});
