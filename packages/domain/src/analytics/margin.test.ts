/**
 * A margin needs revenue: over a negative TTM revenue (credits larger than sales) gross profit
 * and contribution ÷ revenue would cancel their signs, and a loss would read as a healthy margin.
 * Over the fixture portfolio, whose key account A02 has 800 revenue, 200 gross profit and 80
 * cost-to-serve a quarter on unit ALPHA (TTM 3,200 / 800 / 320); the close quarter is 2026-Q1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFinancials } from '../bulk/financials.bulk.ts';
import { createTestDatabase, type TestDatabase, testActor } from '../testing/index.ts';
import { buildFixturePortfolio, FIXTURE_QUARTER } from './fixtures/portfolio.fixture.ts';
import { computeProfitability } from './profitability.ts';
import { buildQuarterDocuments } from './snapshot-documents.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await buildFixturePortfolio(db.em());
  // A credit on unit BETA: TTM revenue 3,200 − 4,000 = −800, gross profit 800 − 1,000 = −200,
  // contribution −200 − 320 = −520 (÷ −800 would be a "margin" of 65 %).
  const result = await importFinancials(
    db.em(),
    [
      {
        accountRef: 'A02',
        quarter: FIXTURE_QUARTER,
        businessUnitCode: 'BETA',
        revenue: '-4000',
        grossProfit: '-1000',
        costToServe: '0',
      },
    ],
    { mode: 'ATOMIC' },
    testActor,
  );
  expect(result.rejected).toBe(0);
});
afterAll(async () => db?.close());

describe('a margin over no positive revenue', () => {
  it('is null for a key account in the live profitability', async () => {
    const { keyAccounts } = await computeProfitability(db.em(), FIXTURE_QUARTER);
    expect(keyAccounts.find(k => k.externalRef === 'A02')).toMatchObject({
      ttmRevenue: '-800.00',
      contributionMargin: null,
    });
  });

  it('is null in the account document, beside the loss it would have hidden', async () => {
    const docs = await buildQuarterDocuments(db.em(), FIXTURE_QUARTER);
    const a02 = docs.accounts.find(a => a.externalRef === 'A02')!;
    expect(a02.ttm).toMatchObject({
      revenue: '-800.00',
      grossProfit: '-200.00',
      contribution: '-520.00',
      grossMargin: null,
      contributionMargin: null,
    });
    expect(
      docs.portfolio.profitability.keyAccounts.find(k => k.externalRef === 'A02')?.contributionMargin,
    ).toBeNull();
  });
});
