/**
 * The accounts filters over a portfolio of 70,000 accounts, where a filter matches more accounts
 * than a statement can have bound parameters (SQLite 32,766; PostgreSQL 65,535). The matching
 * accounts are never sent to the database as a list of ids: each filter is a subquery or one
 * parameter, so no statement of a request grows with the portfolio, and the pages, cursors and
 * totals are those of the records. The portfolio is written set-based, in a few statements.
 */
import { longestStatement, makeBusinessUnit, statementLog } from '@kam/domain/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApiForFile } from './harness.ts';

/**
 * Account i (1 … 70,000) has external ref `L${100000 + i}` (refs sort as the numbers do) and:
 * - a current key-account designation unless i % 20 = 0 (66,500 key accounts, 3,500 not), and
 *   a revoked one when i % 40 = 0, which leaves it without a current designation;
 * - a TIER_4 assessment in 2026-Q1, and a TIER_3 one in 2026-Q2 unless i % 7 = 0 (latest tier:
 *   60,000 TIER_3, 10,000 TIER_4);
 * - with unit U: a financial line in 2026-Q2 when i is odd (35,000), an opportunity when
 *   i % 4 = 2 (17,500): 52,500 accounts do business with U.
 * Pyramid in 2026-Q3: the 66,500 designated accounts are KEY; the 3,500 others (i % 20 = 0, so
 * even: no financial line, no qualified bid) are SUSPECT.
 */
const ACCOUNTS = 70_000;
const ref = (i: number) => `L${100_000 + i}`;
/** Account a's i, in SQL. */
const I = `(cast(substr(a.external_ref, 2) as integer) - 100000)`;

/**
 * Longer than any statement of these requests (about 3,000 characters at most), shorter than a
 * list of the ids of the smallest set here (3,500 × "?, " = 10,500 characters).
 */
const MAX_STATEMENT_LENGTH = 8_000;

let api: ApiHarness;
let executive: string;
let unitId: string;
const log = statementLog();

startApiForFile(
  (started, token) => {
    api = started;
    executive = token;
  },
  'EXECUTIVE',
  { onQuery: log.onQuery },
);
beforeAll(async () => {
  const connection = api.db.orm.em.getConnection();
  const now = new Date('2026-10-01T00:00:00Z');
  const run = (sql: string, params: unknown[] = []) => connection.execute(sql, params, 'run');
  await run(
    `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${ACCOUNTS})
     insert into account (created_at, updated_at, version, external_ref, name)
     select ?, ?, 1, 'L' || (100000 + i), 'Large ' || i from n`,
    [now, now],
  );
  const designations = `insert into key_account_designation
    (created_at, updated_at, version, account_id, designated_on, review_due_on, revoked_on)`;
  await run(
    `${designations} select ?, ?, 1, a.id, '2026-01-01', '2028-01-01', null from account a where ${I} % 20 <> 0`,
    [now, now],
  );
  await run(
    `${designations} select ?, ?, 1, a.id, '2025-01-01', '2027-01-01', '2025-06-01' from account a where ${I} % 40 = 0`,
    [now, now],
  );
  const tiers = `insert into tier_assessment (created_at, updated_at, version, account_id, quarter, tier, evidence)`;
  await run(`${tiers} select ?, ?, 1, a.id, '2026-Q1', 'TIER_4', 'e' from account a`, [now, now]);
  await run(`${tiers} select ?, ?, 1, a.id, '2026-Q2', 'TIER_3', 'e' from account a where ${I} % 7 <> 0`, [
    now,
    now,
  ]);
  const unit = await makeBusinessUnit(api.db.em(), { code: 'U' });
  unitId = Buffer.from(`BusinessUnit:${unit.id}`).toString('base64');
  await run(
    `insert into quarterly_financial
       (created_at, updated_at, version, account_id, quarter, business_unit_id, revenue, gross_profit, cost_to_serve)
     select ?, ?, 1, a.id, '2026-Q2', ?, 100000, 40000, 10000 from account a where ${I} % 2 = 1`,
    [now, now, unit.id],
  );
  await run(
    `insert into opportunity (created_at, updated_at, version, external_ref, account_id, business_unit_id, name, value)
     select ?, ?, 1, 'O' || a.external_ref, a.id, ?, 'Bid', 500000 from account a where ${I} % 4 = 2`,
    [now, now, unit.id],
  );
});

interface AccountsPage {
  totalCount: number;
  edges: { node: { externalRef: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

const PAGE = 'totalCount edges { node { externalRef } } pageInfo { hasNextPage hasPreviousPage endCursor }';

/** A query's data, and the length of the longest SQL statement it ran. */
async function measured<T>(query: string, variables: Record<string, unknown> = {}) {
  const { result: res, statements } = await log.during(() => api.gql<T>(query, variables, executive));
  expect(res.body.errors).toBeUndefined();
  if (!res.body.data) throw new Error('no data');
  return { data: res.body.data, longest: longestStatement(statements) };
}

/** One page of `accounts` with these filters (asOf 2026-Q3), and the longest statement. */
async function accounts(
  variables: Record<string, unknown>,
): Promise<{ page: AccountsPage; longest: number }> {
  const { data, longest } = await measured<{ accounts: AccountsPage }>(
    `query($keyAccount: Boolean, $tier: ValueTier, $pyramidLevel: PyramidLevel, $businessUnitId: ID,
        $first: Int, $after: String, $last: Int) {
      accounts(keyAccount: $keyAccount, tier: $tier, pyramidLevel: $pyramidLevel, asOf: "2026-Q3",
          businessUnitId: $businessUnitId, first: $first, after: $after, last: $last) { ${PAGE} } }`,
    variables,
  );
  return { page: data.accounts, longest };
}

const refs = (page: AccountsPage) => page.edges.map(edge => edge.node.externalRef);

describe('accounts filters matching more accounts than a statement can bind', () => {
  it('keyAccount: true pages through the 66,500 designated accounts, cursors and total intact', async () => {
    const first = await accounts({ keyAccount: true, first: 3 });
    expect(first.page.totalCount).toBe(66_500);
    expect(refs(first.page)).toEqual([ref(1), ref(2), ref(3)]);
    expect(first.page.pageInfo.hasNextPage).toBe(true);
    // After i = 19 comes 21: 20 has no current designation.
    const next = await accounts({
      keyAccount: true,
      first: 17,
      after: first.page.pageInfo.endCursor,
    });
    expect(refs(next.page).slice(-2)).toEqual([ref(19), ref(21)]);
    expect(next.page.pageInfo.hasPreviousPage).toBe(true);
    // The last ones: 70,000 is not key.
    const last = await accounts({ keyAccount: true, last: 2 });
    expect(refs(last.page)).toEqual([ref(69_998), ref(69_999)]);
    expect(Math.max(first.longest, next.longest, last.longest)).toBeLessThan(MAX_STATEMENT_LENGTH);
  });

  it('keyAccount: false gives the 3,500 accounts without a current designation (a revoked one does not count)', async () => {
    const { page, longest } = await accounts({ keyAccount: false, first: 3 });
    expect(page.totalCount).toBe(3_500);
    expect(refs(page)).toEqual([ref(20), ref(40), ref(60)]);
    expect(longest).toBeLessThan(MAX_STATEMENT_LENGTH);
  });

  it('pyramidLevel gives the 66,500 KEY and the 3,500 SUSPECT accounts of 2026-Q3', async () => {
    // One request: both lists share its one computation of every account's level.
    const { data, longest } = await measured<Record<'key' | 'suspect', AccountsPage>>(
      `{ key: accounts(pyramidLevel: KEY, asOf: "2026-Q3", first: 2) { ${PAGE} }
         suspect: accounts(pyramidLevel: SUSPECT, asOf: "2026-Q3", last: 2) { ${PAGE} } }`,
    );
    const { key, suspect } = data;
    expect(key.totalCount).toBe(66_500);
    expect(refs(key)).toEqual([ref(1), ref(2)]);
    expect(suspect.totalCount).toBe(3_500);
    expect(refs(suspect)).toEqual([ref(69_980), ref(70_000)]);
    expect(longest).toBeLessThan(MAX_STATEMENT_LENGTH);
  });

  it('tier goes by the latest assessment: 60,000 TIER_3, 10,000 TIER_4, 500 of them not key', async () => {
    const three = await accounts({ tier: 'TIER_3', first: 6 });
    expect(three.page.totalCount).toBe(60_000);
    expect(refs(three.page)).toEqual([1, 2, 3, 4, 5, 6].map(ref));
    const four = await accounts({ tier: 'TIER_4', first: 2 });
    expect(four.page.totalCount).toBe(10_000);
    expect(refs(four.page)).toEqual([ref(7), ref(14)]);
    // i % 7 = 0 and i % 20 = 0: i % 140 = 0.
    const both = await accounts({ tier: 'TIER_4', keyAccount: false, first: 2 });
    expect(both.page.totalCount).toBe(500);
    expect(refs(both.page)).toEqual([ref(140), ref(280)]);
    expect(Math.max(three.longest, four.longest, both.longest)).toBeLessThan(MAX_STATEMENT_LENGTH);
  });

  it('businessUnitId gives the 52,500 accounts with a line or a bid booked to the unit', async () => {
    const first = await accounts({ businessUnitId: unitId, first: 3 });
    expect(first.page.totalCount).toBe(52_500);
    // 1 and 3 have a financial line, 2 a bid; 4 has neither.
    expect(refs(first.page)).toEqual([ref(1), ref(2), ref(3)]);
    const next = await accounts({ businessUnitId: unitId, first: 1, after: first.page.pageInfo.endCursor });
    expect(refs(next.page)).toEqual([ref(5)]);
    expect(Math.max(first.longest, next.longest)).toBeLessThan(MAX_STATEMENT_LENGTH);
  });
});
