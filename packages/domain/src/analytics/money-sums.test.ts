/**
 * Sums of cents beyond 2^53 (9,007,199,254,740,992 cents, 90,071,992,547,409.92): every line is
 * within MAX_MONEY_CENTS, but an account's TTM, a group's or the portfolio's sum passes it. They
 * read exactly on both databases (better-sqlite3 would hand such a sum over as a rounded double).
 *
 * Quarter 2026-Q3 (TTM 2025-Q4 … 2026-Q3); every line booked to unit BIG:
 * - BIG-A, key account: 2026-Q2 revenue 80000000000000.07, gross profit 60000000000000.01;
 *   2026-Q3 revenue 80000000000000.06, gross profit 60000000000000.00; cost-to-serve 1000.00 and
 *   potential 90071992547409.91 in each.
 * - BIG-B: 2026-Q3 revenue 60000000000000.00, gross profit 1.00; qualified bids with BIG: WON
 *   90071992547409.91 and 90071992547409.90 (decided 2026-08-01), OPEN 90071992547409.91 and
 *   90071992547409.88.
 * - BIG-C, child of BIG-B: 2026-Q3 revenue 60000000000000.01, gross profit 1.00.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFinancials } from '../accounts/account.service.ts';
import { upsertOpportunities } from '../bulk/opportunities.bulk.ts';
import { designateKeyAccount } from '../selection/selection.service.ts';
import { ensureReferenceData } from '../settings/reference-data.ts';
import { closeQuarter } from '../snapshots/close-quarter.ts';
import type { AccountSnapshotPayload } from '../snapshots/snapshot.types.ts';
import {
  createTestDatabase,
  makeAccount,
  makeBusinessUnit,
  type TestDatabase,
  testActor,
} from '../testing/index.ts';
import { computeKpis, loadKpiFacts } from './kpis.ts';
import { computePareto } from './pareto.ts';
import { computeProfitability } from './profitability.ts';
import { computePyramid } from './pyramid.ts';
import { computeGroupRollups, computeWhitespace } from './rollup.ts';
import { query } from './sql.ts';
import { accountStandings } from './standing.ts';
import { computeValue } from './value.ts';

const Q = '2026-Q3';
let db: TestDatabase;
const ids = { a: 0, b: 0, c: 0 };

beforeAll(async () => {
  db = await createTestDatabase();
  const em = db.em();
  await ensureReferenceData(em, testActor);
  const unit = await makeBusinessUnit(em, { code: 'BIG' });
  ids.a = (await makeAccount(em, { externalRef: 'BIG-A' })).id;
  ids.b = (await makeAccount(em, { externalRef: 'BIG-B' })).id;
  ids.c = (await makeAccount(em, { externalRef: 'BIG-C', parentId: ids.b })).id;
  const line = (
    accountId: number,
    quarter: string,
    revenue: string,
    grossProfit: string,
    costToServe: string,
  ) => ({ accountId, businessUnitId: unit.id, quarter, revenue, grossProfit, costToServe });
  const potential = '90071992547409.91';
  await recordFinancials(
    em,
    { ...line(ids.a, '2026-Q2', '80000000000000.07', '60000000000000.01', '1000'), potential },
    testActor,
  );
  await recordFinancials(
    em,
    { ...line(ids.a, Q, '80000000000000.06', '60000000000000.00', '1000'), potential },
    testActor,
  );
  await recordFinancials(em, line(ids.b, Q, '60000000000000.00', '1.00', '0'), testActor);
  await recordFinancials(em, line(ids.c, Q, '60000000000000.01', '1.00', '0'), testActor);
  await designateKeyAccount(em, { accountId: ids.a, designatedOn: '2025-01-01' }, testActor);
  const bid = (externalRef: string, value: string, outcome: 'WON' | 'OPEN') => ({
    externalRef,
    accountRef: 'BIG-B',
    businessUnitCode: 'BIG',
    name: externalRef,
    value,
    qualified: true,
    qualifiedOn: '2026-07-01',
    outcome,
    decidedOn: outcome === 'WON' ? '2026-08-01' : null,
  });
  const bids = await upsertOpportunities(
    em,
    [
      bid('WON-1', '90071992547409.91', 'WON'),
      bid('WON-2', '90071992547409.90', 'WON'),
      bid('OPEN-1', '90071992547409.91', 'OPEN'),
      bid('OPEN-2', '90071992547409.88', 'OPEN'),
    ],
    { mode: 'ATOMIC' },
    testActor,
  );
  expect(bids.rejected).toBe(0);
});
afterAll(async () => db?.close());

describe('sums of cents beyond 2^53', () => {
  it('give the exact TTM figures of profitability and Pareto', async () => {
    const { bySize, keyAccounts } = await computeProfitability(db.em(), Q);
    // BIG-A: revenue 80000000000000.07 + 80000000000000.06; gross profit 60000000000000.01 +
    // 60000000000000.00; contribution 120000000000000.01 − 2000.00.
    expect(keyAccounts).toEqual([
      expect.objectContaining({ externalRef: 'BIG-A', ttmRevenue: '160000000000000.13' }),
    ]);
    expect(bySize[0]).toMatchObject({
      decile: 1,
      ttmRevenue: '160000000000000.13',
      ttmGrossProfit: '120000000000000.01',
      ttmContribution: '119999999998000.01',
    });
    // 160000000000000.13 + 60000000000000.01 + 60000000000000.00.
    expect((await computePareto(db.em(), Q)).total).toBe('280000000000000.14');
  });

  it('give the pyramid, the standings and the value summary', async () => {
    const pyramid = await computePyramid(db.em(), Q);
    expect(pyramid.levels.find(l => l.level === 'KEY')).toMatchObject({
      accounts: 1,
      ttmRevenue: '160000000000000.13',
    });
    expect((await accountStandings(db.em(), Q)).get(ids.a)?.pyramidLevel).toBe('KEY');
    expect((await computeValue(db.em(), Q)).keyAccountsWithProvenRecognisedValue).toBe(0);
  });

  it('give the exact KPI facts', async () => {
    const facts = await loadKpiFacts(db.em(), Q);
    expect(facts.key.revenue).toBe(16_000_000_000_000_013n);
    // BIG-B + BIG-C: 60000000000000.00 + 60000000000000.01.
    expect(facts.control.revenue).toBe(12_000_000_000_000_001n);
    expect(facts.keyByUnit.get('BIG')?.revenue).toBe(16_000_000_000_000_013n);
    // 120000000000000.01 (BIG-A) + 1.00 + 1.00.
    expect(facts.activeGrossProfit).toBe(12_000_000_000_000_201n);
    // 90071992547409.91 + 90071992547409.90.
    expect(facts.wonValue).toBe(18_014_398_509_481_981n);
    expect(await computeKpis(db.em(), Q)).toHaveLength(13);
  });

  it('give the exact whitespace and group roll-up', async () => {
    expect(await computeWhitespace(db.em(), Q, ids.a)).toEqual([
      expect.objectContaining({ ttmRevenue: '160000000000000.13', potential: '180143985094819.82' }),
    ]);
    // Open: 90071992547409.91 + 90071992547409.88; won: 90071992547409.91 + 90071992547409.90.
    expect(await computeWhitespace(db.em(), Q, ids.b, { group: true })).toEqual([
      expect.objectContaining({
        ttmRevenue: '120000000000000.01',
        openQualifiedPipeline: '180143985094819.79',
        wonValueTtm: '180143985094819.81',
      }),
    ]);
    expect((await computeGroupRollups(db.em(), Q, [ids.b])).get(ids.b)).toEqual({
      descendants: 1,
      ttmRevenue: '120000000000000.01',
      ttmGrossProfit: '2.00',
      ttmCostToServe: '0.00',
      openQualifiedPipeline: '180143985094819.79',
      plans: 0,
    });
  });

  it('close the quarter with the exact figures', async () => {
    const closed = await closeQuarter(db.em(), Q, testActor);
    expect(closed.accounts).toBe(3);
    const payloads = await query<{ external_ref: string; payload: string }>(
      db.em(),
      'select external_ref, payload from account_snapshot where snapshot_id = ?',
      [closed.snapshotId],
    );
    const doc = (ref: string) =>
      JSON.parse(payloads.find(p => p.external_ref === ref)!.payload) as AccountSnapshotPayload;
    expect(doc('BIG-A').ttm).toMatchObject({
      revenue: '160000000000000.13',
      grossProfit: '120000000000000.01',
      contribution: '119999999998000.01',
    });
    expect(doc('BIG-B').groupRollup).toMatchObject({
      ttmRevenue: '120000000000000.01',
      openQualifiedPipeline: '180143985094819.79',
    });
  });
});
