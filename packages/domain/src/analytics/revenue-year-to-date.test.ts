/**
 * A snapshot's plan carries the revenue booked so far in its plan year (`revenueYearToDate`),
 * which the journey report sets against the in-year target. The plan of a quarter is the one in
 * force (whose period covers the quarter's last day, whatever its year: docs/analytics.md), so
 * its year to date runs from the quarter its period starts in, not from Q1 of the quarter's
 * calendar year: an April-to-March plan of 2024-04-01 to 2025-03-31 counts 2024-Q2 to 2025-Q1 in
 * 2025-Q1. A plan that starts within a quarter counts that whole quarter (revenue is booked by
 * quarter).
 *
 * Five key accounts on one unit, with revenue each quarter from 2024-Q1 to 2025-Q3:
 * - Y01 plans April to March: its 2025 plan runs 2024-04-01 to 2025-03-31.
 * - Y02 plans by calendar year: its 2025 plan runs 2025-01-01 to 2025-12-31.
 * - Y03's 2025 plan starts mid-quarter: 2024-05-15 to 2025-05-14.
 * - Y04 moved its plan year: its 2024 plan runs 2024-01-01 to 2024-09-30, its 2025 plan
 *   2024-10-01 to 2025-09-30.
 * - Y05 has no plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFinancials } from '../bulk/financials.bulk.ts';
import { createPlan } from '../plans/plan.service.ts';
import { designateKeyAccount } from '../selection/selection.service.ts';
import {
  createTestDatabase,
  makeAccount,
  makeBusinessUnit,
  statementLog,
  type TestDatabase,
  testActor,
} from '../testing/index.ts';
import { revenueYearToDate } from './account-details.ts';
import { periodOf } from './period.ts';
import { buildQuarterDocuments } from './snapshot-documents.ts';

const log = statementLog();
let db: TestDatabase;
const ids: Record<string, number> = {};

/** Each account's revenue per quarter: Y0n books n × the figure below (Y01 1×, Y02 2× …). */
const REVENUE: Record<string, number> = {
  '2024-Q1': 1_000,
  '2024-Q2': 100_000,
  '2024-Q3': 200_000,
  '2024-Q4': 300_000,
  '2025-Q1': 150_000,
  '2025-Q2': 50_000,
  '2025-Q3': 70_000,
};

beforeAll(async () => {
  db = await createTestDatabase({ onQuery: log.onQuery });
  await makeBusinessUnit(db.em(), { code: 'YTD' });
  const refs = ['Y01', 'Y02', 'Y03', 'Y04', 'Y05'];
  for (const ref of refs) {
    const account = await makeAccount(db.em(), { externalRef: ref });
    ids[ref] = account.id;
    await designateKeyAccount(db.em(), { accountId: account.id, designatedOn: '2024-01-01' }, testActor);
  }
  const result = await importFinancials(
    db.em(),
    refs.flatMap((ref, i) =>
      Object.entries(REVENUE).map(([quarter, revenue]) => ({
        accountRef: ref,
        quarter,
        businessUnitCode: 'YTD',
        revenue: String(revenue * (i + 1)),
        grossProfit: '0',
        costToServe: '0',
      })),
    ),
    { mode: 'ATOMIC' },
    testActor,
  );
  expect(result.rejected).toBe(0);
  const plan = (ref: string, year: number, startsOn?: string, endsOn?: string) =>
    createPlan(
      db.em(),
      {
        accountId: ids[ref]!,
        year,
        ...(startsOn ? { startsOn, endsOn } : {}),
        on: '2024-01-15',
        targets: { inYearTarget: '1000000' },
      },
      testActor,
    );
  await plan('Y01', 2025, '2024-04-01', '2025-03-31');
  await plan('Y02', 2025);
  await plan('Y03', 2025, '2024-05-15', '2025-05-14');
  await plan('Y04', 2024, '2024-01-01', '2024-09-30');
  await plan('Y04', 2025, '2024-10-01', '2025-09-30');
});
afterAll(async () => db?.close());

async function planIn(quarter: string, ref: string) {
  const docs = await buildQuarterDocuments(db.em(), quarter);
  return docs.accounts.find(a => a.externalRef === ref)!.plan;
}

describe('the revenue year to date of a plan that is not the calendar year', () => {
  it('runs from the quarter the plan starts in, across the calendar year', async () => {
    // 2025-Q1 (as of 2025-03-31), Y01's 2024-04-01 plan: 2024-Q2 to 2025-Q1,
    // 100,000 + 200,000 + 300,000 + 150,000 = 750,000 (not 2025-Q1's 150,000 alone), 75 % of the
    // in-year target of 1,000,000.
    expect(await planIn('2025-Q1', 'Y01')).toMatchObject({
      year: 2025,
      inYearTarget: '1000000.00',
      revenueYearToDate: '750000.00',
    });
  });

  it('never counts a quarter before the plan started', async () => {
    // 2024-Q3 (as of 2024-09-30), the same plan: 2024-Q2 + 2024-Q3 = 100,000 + 200,000 = 300,000;
    // 2024-Q1's 1,000 came before it.
    expect(await planIn('2024-Q3', 'Y01')).toMatchObject({ year: 2025, revenueYearToDate: '300000.00' });
  });

  it('counts the whole quarter a plan starts in, when it starts within it', async () => {
    // Y03 books 3× the figures; its plan starts on 2024-05-15, in 2024-Q2. In 2025-Q1:
    // 3 × (100,000 + 200,000 + 300,000 + 150,000) = 2,250,000.
    expect(await planIn('2025-Q1', 'Y03')).toMatchObject({ year: 2025, revenueYearToDate: '2250000.00' });
  });

  it('runs from the start of the plan in force, not of the one before it', async () => {
    // Y04 books 4× the figures. On 2024-12-31 its 2025 plan (from 2024-10-01) is in force:
    // 2024-Q4 alone, 4 × 300,000 = 1,200,000 (not 2024-Q1 to Q4, 4 × 601,000 = 2,404,000).
    expect(await planIn('2024-Q4', 'Y04')).toMatchObject({ year: 2025, revenueYearToDate: '1200000.00' });
    // On 2024-09-30 its 2024 plan was: 4 × (1,000 + 100,000 + 200,000) = 1,204,000.
    expect(await planIn('2024-Q3', 'Y04')).toMatchObject({ year: 2024, revenueYearToDate: '1204000.00' });
  });
});

describe('the revenue year to date of a calendar-year plan', () => {
  it('runs from Q1 of the year, as before', async () => {
    // Y02 books 2× the figures. 2025-Q1: 2 × 150,000 = 300,000; 2025-Q3: 2 × (150,000 + 50,000 +
    // 70,000) = 540,000.
    expect(await planIn('2025-Q1', 'Y02')).toMatchObject({ year: 2025, revenueYearToDate: '300000.00' });
    expect(await planIn('2025-Q3', 'Y02')).toMatchObject({ year: 2025, revenueYearToDate: '540000.00' });
  });

  it('leaves an account without a plan without one', async () => {
    expect(await planIn('2025-Q1', 'Y05')).toBeNull();
  });
});

describe('reading the revenue year to date', () => {
  it('reads every account in one statement, each from its own plan’s start', async () => {
    // 2025-Q1: Y01 750,000; Y02 2 × 150,000 = 300,000; Y03 2,250,000; Y04 (plan from 2024-Q4)
    // 4 × (300,000 + 150,000) = 1,800,000; Y05 has no plan in force, so no figure.
    const { result, statements } = await log.during(() => revenueYearToDate(db.em(), periodOf('2025-Q1')));
    expect(statements).toHaveLength(1);
    expect(
      Object.fromEntries(Object.entries(ids).map(([ref, id]) => [ref, result.get(id)?.toString() ?? null])),
    ).toEqual({
      Y01: '75000000',
      Y02: '30000000',
      Y03: '225000000',
      Y04: '180000000',
      Y05: null,
    });
  });
});
