/**
 * Hand-worked expectations over the fixture portfolio (fixtures/portfolio.fixture.ts).
 * Every expected number is computed by hand in the comments, never by the code under test.
 * The close quarter is 2026-Q1: TTM = 2025-Q2 … 2026-Q1 (four quarters), the prior TTM
 * window 2024-Q2 … 2025-Q1 holds only 2025-Q1 (so the year-on-year figures are null, and a
 * variant with the whole prior year in the data checks them), and "as of" is 2026-03-31.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAccounts } from '../bulk/accounts.bulk.ts';
import { importFinancials } from '../bulk/financials.bulk.ts';
import { updateKpiDefinition } from '../kpis/kpi.service.ts';
import { KpiDefinition } from '../kpis/kpi-definition.entity.ts';
import { createSegment } from '../segments/segment.service.ts';
import { DEFAULT_SETTINGS } from '../settings/settings.schemas.ts';
import type { AccountSnapshotPayload, KpiResult } from '../snapshots/snapshot.types.ts';
import { createTestDatabase, type TestDatabase, testActor } from '../testing/index.ts';
import { buildFixturePortfolio, FIXTURE_QUARTER } from './fixtures/portfolio.fixture.ts';
import { computeKpis } from './kpis.ts';
import { computePareto } from './pareto.ts';
import { computePyramid } from './pyramid.ts';
import { computeGroupRollups, computeWhitespace, computeWhitespaces } from './rollup.ts';
import { accountSelection, computeSelection } from './selection.ts';
import { buildQuarterDocuments, type QuarterDocuments } from './snapshot-documents.ts';
import { accountStandings } from './standing.ts';

let db: TestDatabase;
let ids: Record<string, number>;
let docs: QuarterDocuments;
let kpis: Map<string, KpiResult>;
const account = (ref: string): AccountSnapshotPayload => docs.accounts.find(a => a.externalRef === ref)!;

beforeAll(async () => {
  db = await createTestDatabase();
  ids = (await buildFixturePortfolio(db.em())).ids;
  docs = await buildQuarterDocuments(db.em(), FIXTURE_QUARTER);
  kpis = new Map((await computeKpis(db.em(), FIXTURE_QUARTER)).map(k => [k.code, k]));
});
afterAll(async () => db?.close());

describe('totals', () => {
  it('sums the TTM figures', () => {
    // TTM revenue = 4 × (1000 + 800 + 600 + 500 + 400 + 300 + 200 + 100 + 50) = 4 × 3950 = 15800.
    // TTM gross profit per quarter: 200 + 200 + 240 + 175 + 120 + 135 + 20 + 50 + 15 = 1155 → × 4 = 4620.
    // Cost-to-serve 10 %: 1580; contribution 4620 − 1580 = 3040.
    // Key accounts A01 + A02: 4 × 1800 = 7200; share 7200 / 15800 = 0.455696… → 0.4557.
    expect(docs.portfolio.totals).toEqual({
      accounts: 12,
      activeAccounts: 9,
      keyAccounts: 2,
      ttmRevenue: '15800.00',
      ttmGrossProfit: '4620.00',
      ttmCostToServe: '1580.00',
      ttmContribution: '3040.00',
      keyAccountTtmRevenue: '7200.00',
      keyAccountRevenueShare: 0.4557,
    });
  });
});

describe('pyramid', () => {
  it('classifies every account and shows the service standards', async () => {
    // Active non-key accounts A03…A09 = 7, ranked by TTM revenue: large = ⌈7 × 0.1⌉ = 1 (A03),
    // large or medium = ⌈7 × 0.4⌉ = ⌈2.8⌉ = 3 → A04, A05 medium; A06…A09 small.
    // A10 sold only in 2025-Q1 → LAPSED; A11 has a qualified opportunity → PROSPECT; A12 → SUSPECT.
    // Revenue: small 4 × (300+200+100+50) = 2600 → 2600/15800 = 0.16456 → 0.1646;
    // medium 4 × 900 = 3600 → 0.22785 → 0.2278; large 2400 → 0.15190 → 0.1519; key 7200 → 0.4557.
    const p = await computePyramid(db.em(), FIXTURE_QUARTER);
    expect(p.levels.map(l => [l.level, l.accounts, l.ttmRevenue, l.revenueShare])).toEqual([
      ['SUSPECT', 1, '0.00', 0],
      ['PROSPECT', 1, '0.00', 0],
      ['LAPSED', 1, '0.00', 0],
      ['ACTIVE_SMALL', 4, '2600.00', 0.1646],
      ['ACTIVE_MEDIUM', 2, '3600.00', 0.2278],
      ['ACTIVE_LARGE', 1, '2400.00', 0.1519],
      ['KEY', 2, '7200.00', 0.4557],
    ]);
    expect(p.levels.find(l => l.level === 'KEY')!.serviceStandard).toBe(
      'Special treatment: key account management, proactive',
    );
    // 2025-Q4: TTM = 2025-Q1…Q4, so A10 (100) is still active: 8 ranked, large ⌈0.8⌉ = 1 (A03),
    // large or medium ⌈3.2⌉ = 4 → A04, A05, A06 medium; A07…A10 small.
    // Moves: A06 ACTIVE_MEDIUM → ACTIVE_SMALL, A10 ACTIVE_SMALL → LAPSED (sorted by from: ACTIVE_SMALL first).
    expect(p.movements).toEqual([
      { from: 'ACTIVE_SMALL', to: 'LAPSED', accounts: 1 },
      { from: 'ACTIVE_MEDIUM', to: 'ACTIVE_SMALL', accounts: 1 },
    ]);
    expect(account('A06')).toMatchObject({
      pyramidLevel: 'ACTIVE_SMALL',
      previousPyramidLevel: 'ACTIVE_MEDIUM',
    });
    expect(account('A11').pyramidLevel).toBe('PROSPECT');
    expect(account('A12').pyramidLevel).toBe('SUSPECT');
  });

  it('does not call an account that sold in the TTM window a prospect when a credit nets it to zero', async () => {
    // A11 (a qualified opportunity) sells 500 in 2025-Q3 and is credited 500 in 2026-Q1: TTM
    // revenue 0, so not active, and nothing before the window, so not LAPSED; but it has sold,
    // so it is no PROSPECT ("never had revenue") either: everything else is SUSPECT.
    const own = await createTestDatabase();
    try {
      const em = own.em();
      await buildFixturePortfolio(em);
      const line = (quarter: string, revenue: string) => ({
        accountRef: 'A11',
        quarter,
        businessUnitCode: 'ALPHA',
        revenue,
        grossProfit: '0',
        costToServe: '0',
      });
      await importFinancials(
        em,
        [line('2025-Q3', '500'), line('2026-Q1', '-500')],
        { mode: 'ATOMIC' },
        testActor,
      );
      const levels = (await computePyramid(em, FIXTURE_QUARTER)).levels;
      expect(
        levels.filter(l => l.accounts > 0 && l.ttmRevenue === '0.00').map(l => [l.level, l.accounts]),
      ).toEqual([
        ['SUSPECT', 2],
        ['LAPSED', 1],
      ]);
    } finally {
      await own.close();
    }
  });

  it('does not call an account lapsed whose only earlier quarter nets to zero over its units', async () => {
    // A11 (a qualified opportunity, never sold) books 1,000 on ALPHA and a credit of 1,000 on BETA
    // in 2025-Q1, before the TTM window: no revenue in that quarter, so not LAPSED ("revenue in an
    // earlier quarter"), and it never sold, so it stays a PROSPECT, as with no lines at all.
    const own = await createTestDatabase();
    try {
      const em = own.em();
      await buildFixturePortfolio(em);
      const before = (await computePyramid(em, FIXTURE_QUARTER)).levels;
      const line = (businessUnitCode: string, revenue: string) => ({
        accountRef: 'A11',
        quarter: '2025-Q1',
        businessUnitCode,
        revenue,
        grossProfit: '0',
        costToServe: '0',
      });
      const result = await importFinancials(
        em,
        [line('ALPHA', '1000'), line('BETA', '-1000')],
        { mode: 'ATOMIC' },
        testActor,
      );
      expect(result.rejected).toBe(0);
      const after = (await computePyramid(em, FIXTURE_QUARTER)).levels;
      expect(after.map(l => [l.level, l.accounts])).toEqual(before.map(l => [l.level, l.accounts]));
    } finally {
      await own.close();
    }
  });

  it('shows no moves in the first quarter on record: there is no quarter before to move from', async () => {
    // 2025-Q1 is the first quarter with financial data: A01…A10 active, A11 PROSPECT, A12 SUSPECT.
    // Against the empty 2024-Q4 the ten active accounts would each have "risen" from SUSPECT.
    const first = await computePyramid(db.em(), '2025-Q1');
    expect(first.levels.filter(l => l.accounts > 0).map(l => [l.level, l.accounts])).toEqual([
      ['SUSPECT', 1],
      ['PROSPECT', 1],
      ['ACTIVE_SMALL', 4],
      ['ACTIVE_MEDIUM', 3],
      ['ACTIVE_LARGE', 1],
      ['KEY', 2],
    ]);
    expect(first.movements).toEqual([]);
    const documents = await buildQuarterDocuments(db.em(), '2025-Q1');
    expect(documents.portfolio.pyramid.movements).toEqual([]);
    expect(documents.accounts.filter(a => a.previousPyramidLevel !== null)).toEqual([]);
  });

  it('gives each account its level and quadrant as the snapshot documents do (accountStandings)', async () => {
    const standings = await accountStandings(db.em(), FIXTURE_QUARTER);
    expect(standings.size).toBe(docs.accounts.length);
    for (const doc of docs.accounts) {
      expect([doc.externalRef, standings.get(doc.accountId)]).toEqual([
        doc.externalRef,
        { pyramidLevel: doc.pyramidLevel, quadrant: doc.selection.quadrant },
      ]);
    }
    // The levels worked out above, and every level of the pyramid present in the fixture.
    const level = (ref: string) => standings.get(ids[ref]!)!.pyramidLevel;
    expect(['A01', 'A03', 'A04', 'A06', 'A10', 'A11', 'A12'].map(level)).toEqual([
      'KEY',
      'ACTIVE_LARGE',
      'ACTIVE_MEDIUM',
      'ACTIVE_SMALL',
      'LAPSED',
      'PROSPECT',
      'SUSPECT',
    ]);
    expect([...standings.values()].some(s => s.quadrant !== null)).toBe(true);
  });
});

describe('Pareto', () => {
  it('finds the 80 % set and the top-20 % share', async () => {
    // Ranked TTM revenue: 4000, 3200, 2400, 2000, 1600, 1200, 800, 400, 200 (n = 9, total 15800).
    // 80 % of 15800 = 12640; cumulative 4000, 7200, 9600, 11600, 13200 → 5 accounts; 5/9 = 0.5556.
    // Top 20 %: ⌈9/5⌉ = 2 accounts → 7200/15800 = 0.4557.
    const p = await computePareto(db.em(), FIXTURE_QUARTER);
    expect(p).toMatchObject({
      basis: 'REVENUE',
      total: '15800.00',
      rankedAccounts: 9,
      accountsFor80Percent: 5,
      accountShareFor80Percent: 0.5556,
      top20PercentShare: 0.4557,
    });
    // n < 100, so the curve has a point after every account: (0,0), (1/9, 4000/15800 = 0.2532) … (1, 1).
    expect(p.curve).toHaveLength(10);
    expect(p.curve[0]).toEqual({ accountShare: 0, cumulativeShare: 0 });
    expect(p.curve[1]).toEqual({ accountShare: 0.1111, cumulativeShare: 0.2532 });
    expect(p.curve[9]).toEqual({ accountShare: 1, cumulativeShare: 1 });
    // By gross profit: 960, 800, 800, 700, 540, 480, 200, 80, 60 (total 4620); 80 % = 3696:
    // 960, 1760, 2560, 3260, 3800 → 5; top 2: 1760/4620 = 0.38095 → 0.381.
    const gp = await computePareto(db.em(), FIXTURE_QUARTER, 'GROSS_PROFIT');
    expect(gp).toMatchObject({ total: '4620.00', accountsFor80Percent: 5, top20PercentShare: 0.381 });
  });
});

describe('selection', () => {
  it('computes percentiles, scores, quadrants, candidates and reviews', async () => {
    const s = await computeSelection(db.em(), FIXTURE_QUARTER);
    // percent_rank among the 9 active accounts = (rank − 1) / 8.
    // Revenue ascending A09…A01 → A01 = 100, A02 = 87.5, A03 = 75, A04 = 62.5, A05 = 50 …
    // Margin ascending: A07 10 % (0), A01 20 % (12.5), A02 25 % (25), A05 = A09 30 % (37.5, tied),
    //   A04 35 % (62.5), A03 40 % (75), A06 45 % (87.5), A08 50 % (100).
    // Headroom = potential − revenue: A01 4 × 2000 − 4000 = 4000 (100), A03 4000 − 2400 = 1600 (87.5),
    //   A05 2400 − 1600 = 800 (75); the six others 0 (0).
    // Financial = 0.4 rev + 0.3 margin + 0.3 headroom:
    //   A01 40 + 3.75 + 30 = 73.75 → 73.8; A02 35 + 7.5 + 0 = 42.5; A03 30 + 22.5 + 26.25 = 78.75 → 78.8;
    //   A04 25 + 18.75 = 43.75 → 43.8; A05 20 + 11.25 + 22.5 = 53.75 → 53.8; A06 15 + 26.25 = 41.25 → 41.3;
    //   A07 10; A08 5 + 30 = 35; A09 0 + 11.25 = 11.25 → 11.3.
    const fin = (ref: string) => s.byAccount.get(ids[ref]!)!.financialScore;
    expect(['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07', 'A08', 'A09', 'A10'].map(fin)).toEqual([
      73.8,
      42.5,
      78.8,
      43.8,
      53.8,
      41.3,
      10,
      35,
      11.3,
      null,
    ]);
    // A01: strategic (5+4+4+3)/4 = 4 → (4−1)/4 × 100 = 75; attitude (4+4+5+3)/4 = 4 → 75.
    //   attractiveness 0.5 × 73.8 + 0.5 × 75 = 74.4; relationship 0.7 × 75 + 0.15 × 100 (10+ years)
    //   + 0.15 × 50 (1 of 2 influential contacts covered) = 52.5 + 15 + 7.5 = 75 → KEY_ACCOUNT.
    expect(s.byAccount.get(ids.A01!)).toEqual({
      financialScore: 73.8,
      strategicScore: 75,
      attitudeScore: 75,
      attractiveness: 74.4,
      relationshipStrength: 75,
      quadrant: 'KEY_ACCOUNT',
      assessedOn: '2025-12-01',
    });
    // A02: strategic (3+3+2+2)/4 = 2.5 → 37.5; attitude (5+5+4+4)/4 = 4.5 → 87.5;
    //   attractiveness (42.5 + 37.5)/2 = 40; relationship 0.7 × 87.5 + 0.15 × 50 (5 years of 10) + 0
    //   = 61.25 + 7.5 = 68.75 → 68.8 → MAINTAIN (40 < 60 ≤ 68.8).
    expect(s.byAccount.get(ids.A02!)).toMatchObject({
      strategicScore: 37.5,
      attitudeScore: 87.5,
      attractiveness: 40,
      relationshipStrength: 68.8,
      quadrant: 'MAINTAIN',
    });
    expect(s.summary.quadrantCounts).toEqual({ KEY_ACCOUNT: 1, DEVELOP: 0, MAINTAIN: 1, OPPORTUNISTIC: 0 });
    expect(s.summary.matrix.map(m => m.externalRef)).toEqual(['A01', 'A02']);
    // Financial screen ≥ 60 without an assessment: only A03 (78.8); A01 (73.8) is assessed.
    expect(s.summary.candidatesWithoutAssessment).toEqual([
      {
        accountId: ids.A03,
        externalRef: 'A03',
        name: 'Account A03',
        financialScore: 78.8,
        ttmRevenue: '2400.00',
      },
    ]);
    // A02's review was due 2026-01-10 (< 2026-03-31: overdue); A01's on 2027-01-15 is beyond the 90-day window.
    expect(s.summary.reviewsDue).toEqual([
      {
        accountId: ids.A02,
        externalRef: 'A02',
        name: 'Account A02',
        designatedOn: '2024-01-10',
        reviewDueOn: '2026-01-10',
        overdue: true,
      },
    ]);
  });
  it('rounds attractiveness and relationship strength once, from the unrounded scores', () => {
    // Attitude (4+3+3+3)/4 = 3.25 → 56.25 (shown 56.3); 8 years of 10 → 80; 4 of 7 influential
    // contacts covered → 57.142857…. Relationship = 0.7 × 56.25 + 0.15 × 80 + 0.15 × 57.142857…
    // = 39.375 + 12 + 8.571428… = 59.946… → 59.9: below the threshold of 60, so not strong.
    // (From the shown 56.3 it read 39.41 + 12 + 8.571… = 59.98… → 60.0, and MAINTAIN.)
    // Strategic (3+3+3+4)/4 = 3.25 → 56.25; financial 0.4 × 70 + 0.3 × 60 + 0.3 × 50.5 = 61.15
    // (shown 61.2); attractiveness 0.5 × 61.15 + 0.5 × 56.25 = 58.7 (from the shown 61.2 and 56.3
    // it read 58.75 → 58.8).
    const row = {
      customerSince: '2018-09-30',
      revenuePercentile: 70,
      marginPercentile: 60,
      headroomPercentile: 50.5,
    } as Parameters<typeof accountSelection>[0];
    const selection = accountSelection(
      row,
      {
        assessedOn: '2026-03-01',
        marketLeadership: 3,
        innovationLeadership: 3,
        growthFit: 3,
        otherUnitsPotential: 4,
        loyalty: 4,
        informationSharing: 3,
        engagementDesire: 3,
        buyingBasis: 3,
      },
      { contacts: 7, influential: 7, covered: 4 },
      DEFAULT_SETTINGS.selection,
      '2026-09-30',
    );
    expect(selection).toEqual({
      financialScore: 61.2,
      strategicScore: 56.3,
      attitudeScore: 56.3,
      attractiveness: 58.7,
      relationshipStrength: 59.9,
      quadrant: 'OPPORTUNISTIC',
      assessedOn: '2026-03-01',
    });
  });
});

describe('group roll-ups and whitespace', () => {
  it('rolls a parent up with all its descendants', async () => {
    const r = await computeGroupRollups(db.em(), FIXTURE_QUARTER);
    // A01 + A03 + A04 + A12: revenue 4000 + 2400 + 2000 = 8400; gross profit 800 + 960 + 700 = 2460;
    // cost-to-serve 400 + 240 + 200 = 840; open qualified pipeline: A04's 700; plans: A01's 2026 plan.
    expect(r.get(ids.A01!)).toEqual({
      descendants: 3,
      ttmRevenue: '8400.00',
      ttmGrossProfit: '2460.00',
      ttmCostToServe: '840.00',
      openQualifiedPipeline: '700.00',
      plans: 1,
    });
    // A03 + A04: 4400, 960 + 700 = 1660, 440, 700, no plan.
    expect(r.get(ids.A03!)).toEqual({
      descendants: 1,
      ttmRevenue: '4400.00',
      ttmGrossProfit: '1660.00',
      ttmCostToServe: '440.00',
      openQualifiedPipeline: '700.00',
      plans: 0,
    });
    expect(r.has(ids.A04!)).toBe(false);
    expect(account('A01').groupRollup).toEqual(r.get(ids.A01!));
  });

  it('names a member’s group account in its document, by ref and name', async () => {
    // The report page said only "part of A01" where the group is no key account of the site.
    const a03 = account('A03');
    const a01 = account('A01');
    expect([a03.parentExternalRef, a03.parentName]).toEqual(['A01', a01.name]);
    expect([a01.parentExternalRef, a01.parentName]).toEqual([null, null]);
  });

  it('builds the account × business unit matrix', async () => {
    // A01: ALPHA revenue 4000 with potential 4 × 1500 = 6000; BETA no revenue, potential 4 × 500 = 2000 → white space.
    expect(account('A01').whitespace).toEqual([
      {
        businessUnitCode: 'ALPHA',
        businessUnitName: 'Alpha',
        ttmRevenue: '4000.00',
        potential: '6000.00',
        openQualifiedPipeline: '0.00',
        wonValueTtm: '0.00',
        whiteSpace: false,
      },
      {
        businessUnitCode: 'BETA',
        businessUnitName: 'Beta',
        ttmRevenue: '0.00',
        potential: '2000.00',
        openQualifiedPipeline: '0.00',
        wonValueTtm: '0.00',
        whiteSpace: true,
      },
    ]);
    // The A01 group: ALPHA 4000 + 2400 + 2000 = 8400, potential 6000 + 4000 = 10000, won 3000 (A03);
    // BETA: potential 2000, A04's open 700.
    const group = await computeWhitespace(db.em(), FIXTURE_QUARTER, ids.A01!, { group: true });
    expect(
      group.map(c => [c.businessUnitCode, c.ttmRevenue, c.potential, c.openQualifiedPipeline, c.wonValueTtm]),
    ).toEqual([
      ['ALPHA', '8400.00', '10000.00', '0.00', '3000.00'],
      ['BETA', '0.00', '2000.00', '700.00', '0.00'],
    ]);
    // A page of accounts at once (the API's batch), groups and members among them: each the
    // same as on its own.
    const page = [ids.A01!, ids.A03!, ids.A04!, ids.A12!];
    for (const options of [{ group: true }, { group: false }]) {
      const batch = await computeWhitespaces(db.em(), FIXTURE_QUARTER, page, options);
      expect([...batch.keys()]).toEqual(page);
      for (const id of page) {
        expect(batch.get(id)).toEqual(await computeWhitespace(db.em(), FIXTURE_QUARTER, id, options));
      }
    }
    expect((await computeWhitespaces(db.em(), FIXTURE_QUARTER, page, { group: true })).get(ids.A01!)).toEqual(
      group,
    );
    const beta = docs.portfolio.businessUnits.find(b => b.code === 'BETA')!;
    // BETA: no revenue; A04's 700 open; A05's 1000 won; 1 of 1 decided bids won; people 80;
    // one key account (A01) with BETA potential 2000 and no BETA revenue.
    expect(beta).toMatchObject({
      ttmRevenue: '0.00',
      activeAccounts: 0,
      openQualifiedPipeline: '1600.00',
      wonValueTtm: '1000.00',
      winRate: 1,
      peopleSatisfaction: 80,
      whiteSpaceAccounts: 1,
      whiteSpacePotential: '2000.00',
    });
  });
});

describe('value journey', () => {
  it('shows the tier distribution, transitions and a suggestion', () => {
    const j = docs.portfolio.journey;
    // Key at each quarter end: A01 (from 2025-01-15) and A02 (from 2024-01-10).
    expect(j.distribution).toEqual([
      { quarter: '2025-Q1', TIER_4: 0, TIER_3: 0, TIER_2: 0, TIER_1: 0, unassessed: 2 },
      { quarter: '2025-Q2', TIER_4: 0, TIER_3: 0, TIER_2: 0, TIER_1: 0, unassessed: 2 },
      { quarter: '2025-Q3', TIER_4: 1, TIER_3: 0, TIER_2: 0, TIER_1: 0, unassessed: 1 },
      { quarter: '2025-Q4', TIER_4: 0, TIER_3: 1, TIER_2: 1, TIER_1: 0, unassessed: 0 },
      { quarter: '2026-Q1', TIER_4: 0, TIER_3: 1, TIER_2: 1, TIER_1: 0, unassessed: 0 },
    ]);
    // A01 TIER_3 → TIER_2 (progress), A02 TIER_2 → TIER_3 (regress); sorted by from (TIER_3 before TIER_2).
    expect(j.transitions).toEqual([
      { from: 'TIER_3', to: 'TIER_2', accounts: 1 },
      { from: 'TIER_2', to: 'TIER_3', accounts: 1 },
    ]);
    expect([j.progressed, j.regressed]).toEqual([1, 1]);
    const tier = account('A01').tier!;
    expect(tier.current).toBe('TIER_2');
    expect(tier.history.map(h => h.tier)).toEqual([null, null, 'TIER_4', 'TIER_3', 'TIER_2']);
    // One proven, recognised value → TIER_2 (A01's one initiative, PROVEN, is also beyond the expected);
    // no margin trend, as the data does not hold the year before.
    expect(tier.suggested).toEqual({
      tier: 'TIER_2',
      reasons: [
        '1 proven, customer-recognised value',
        'no margin trend yet',
        '1 value initiative beyond the expected',
      ],
    });
    // A02: no proven value, a PERCEIVED initiative in progress → TIER_3.
    expect(account('A02').tier!.suggested!.tier).toBe('TIER_3');
    expect(account('A03').tier).toBeNull();
  });
});

describe('value, profitability, health and flags', () => {
  it('summarises the value programme', () => {
    expect(docs.portfolio.value).toMatchObject({
      initiatives: 2,
      byCategory: { EXPECTED: 0, PERCEIVED: 1, PROVEN: 1, UNTAPPED: 0 },
      byOutcome: { ADOPTED: 1, REJECTED: 0, REVISED: 0, COMBINED: 0, IN_PROGRESS: 1 },
      customerGains: '5000.00',
      supplierGains: '2000.00',
      keyAccountsWithProvenRecognisedValue: 1,
      shareOfKeyAccountsWithProvenRecognisedValue: 0.5,
    });
    expect(docs.portfolio.value.byPhase.REVIEW_AND_REFINE).toBe(1);
    expect(docs.portfolio.value.byPhase.ASSESS_CURRENT_SITUATION).toBe(1);
  });

  it('puts margin against size', () => {
    const bands = docs.portfolio.profitability.bySize;
    // ntile(10) over 9 active accounts: one per band, deciles 1…9, largest first.
    expect(bands.map(b => [b.decile, b.ttmRevenue])).toEqual([
      [1, '4000.00'],
      [2, '3200.00'],
      [3, '2400.00'],
      [4, '2000.00'],
      [5, '1600.00'],
      [6, '1200.00'],
      [7, '800.00'],
      [8, '400.00'],
      [9, '200.00'],
    ]);
    // A07: gross 10 %, contribution 10 % − 10 % = 0.
    expect(bands[6]).toMatchObject({ grossMargin: 0.1, contributionMargin: 0, ttmContribution: '0.00' });
    // A01: (800 − 400) / 4000 = 0.1; A02: (800 − 320) / 3200 = 0.15.
    expect(docs.portfolio.profitability.keyAccounts.map(k => k.contributionMargin)).toEqual([0.1, 0.15]);
  });

  it('explains the health of a key account', () => {
    const h = account('A01').health!;
    // The data does not hold the whole year before (see "year-on-year figures"), so the margin trend
    // has no value and its weight is shared by the other five: each weight × 100 / 85 = 23.529 (20) and
    // 17.647 (15), shown as 23.5, 23.5, 17.7, 17.7, 17.6 to add up to 100.0 (largest remainders).
    // relationship 75 × 23.5 % = 17.625; coverage 50 × 23.5 % = 11.75; the plan started 2026-01-01 but is
    // still a draft: no plan in execution → freshness 0; proven 100 × 17.7 % = 17.7; satisfaction
    // (5 + 4)/2 = 4.5 → 87.5 × 17.6 % = 15.4. Score 62.475 → 62.5, AMBER (40 ≤ 62.5 < 70). The contributions
    // shown add up to the score: rounded down they read 17.6 + 11.7 + 0 + 17.7 + 15.4 = 62.4; the unit left
    // goes to the largest remainder, 11.75's. A component at 100 contributes exactly its effective weight.
    expect(h.components.map(c => [c.key, c.value, c.weight, c.contribution])).toEqual([
      ['relationshipStrength', 75, 20, 17.6],
      ['stakeholderCoverage', 50, 20, 11.8],
      ['planFreshness', 0, 15, 0],
      ['provenValue', 100, 15, 17.7],
      ['satisfaction', 87.5, 15, 15.4],
      ['marginTrend', null, 15, 0],
    ]);
    expect([h.score, h.status]).toEqual([62.5, 'AMBER']);
    expect(Math.round(h.components.reduce((sum, c) => sum + c.contribution * 10, 0))).toBe(625);
    // Each component says why, in words: counts with their noun in the right number.
    expect(Object.fromEntries(h.components.map(c => [c.key, c.explanation]))).toMatchObject({
      planFreshness:
        'The plan started on 2026-01-01 and is not approved yet (still a draft): it takes no execution reviews. Get it approved to start its reviews.',
      provenValue: '1 proven value recognised by the customer.',
      satisfaction: 'Mean survey score 4.5 of 5 from 2 responses in the last four quarters.',
      marginTrend: 'Not enough revenue history to see a margin trend.',
    });
    expect(account('A03').health).toBeNull();
  });

  it('counts a key account without influential contacts as coverage 0, not as missing', () => {
    const h = account('A02').health!;
    // A02's only contact has influence 2: coverage 0 keeps its weight (no sharing), so unmapped
    // decision makers lower the score. The margin trend has no value (as for A01): effective weights
    // 23.5, 23.5, 17.7, 17.7, 17.6. relationship 68.8 × 23.5 % = 16.168; coverage 0; no plan in force →
    // freshness 0; only a perceived value → proven 0; satisfaction one response of 4 → 75 × 17.6 % = 13.2.
    // Score 29.368 → 29.4, RED (< 40). (With coverage dropped out, the weights × 100/65 gave 21.169 +
    // 17.308 = 38.5.)
    expect(h.components.map(c => [c.key, c.value, c.weight, c.contribution])).toEqual([
      ['relationshipStrength', 68.8, 20, 16.2],
      ['stakeholderCoverage', 0, 20, 0],
      ['planFreshness', 0, 15, 0],
      ['provenValue', 0, 15, 0],
      ['satisfaction', 75, 15, 13.2],
      ['marginTrend', null, 15, 0],
    ]);
    expect([h.score, h.status]).toEqual([29.4, 'RED']);
    expect(h.components.find(c => c.key === 'stakeholderCoverage')!.explanation).toBe(
      'No influential (4+) contacts on the stakeholder map: map the decision makers.',
    );
  });

  it('flags what needs attention', () => {
    expect(account('A01').flags.map(f => f.kind)).toEqual(['PLAN_NOT_APPROVED_PAST_START']);
    // Said in words an executive reads, not as the status code.
    expect(account('A01').flags[0]!.message).toBe(
      'The 2026 plan started on 2026-01-01 and is still a draft: submit it for sign-off by Alpha and Beta, then get it approved.',
    );
    expect(account('A02').flags.map(f => f.kind)).toEqual([
      'NO_SPONSOR',
      'PLAN_NOT_APPROVED_PAST_START',
      'PROCUREMENT_ONLY',
      'DESIGNATION_REVIEW_OVERDUE',
      'VALUE_NOT_RECOGNISED',
    ]);
    expect(docs.portfolio.flags.counts).toEqual({
      NO_LEAD_MANAGER: 0,
      NO_SPONSOR: 1,
      PLAN_REVIEW_OVERDUE: 0,
      PLAN_NOT_APPROVED_PAST_START: 2,
      PROCUREMENT_ONLY: 1,
      DESIGNATION_REVIEW_OVERDUE: 1,
      VALUE_NOT_RECOGNISED: 1,
    });
    expect(docs.portfolio.flags.accounts.map(a => a.externalRef)).toEqual(['A02', 'A01']);
  });
});

describe('the thirteen KPIs', () => {
  const value = (code: string) => kpis.get(code)!.value;

  it('computes every KPI for the quarter', () => {
    // Surveys in 2026-Q1: 5, 4, 3 → 4.
    expect(value('CUSTOMER_SATISFACTION')).toBe(4);
    // Feedback in 2026-Q1: 3 positive of 4 → 75 %; regularity: of 4 accounts with feedback in the TTM window,
    // only A01 gave it in ≥ 3 quarters (2025-Q2, Q3, 2026-Q1) → 0.25.
    expect(value('POSITIVE_FEEDBACK')).toBe(75);
    expect(kpis.get('POSITIVE_FEEDBACK')!.detail).toMatchObject({ positive: 3, total: 4, regularity: 0.25 });
    // People: (72.50 + 80.00) / 2 = 76.25; per unit ALPHA 72.5, BETA 80.
    expect(value('PEOPLE_SATISFACTION')).toBe(76.25);
    expect(kpis.get('PEOPLE_SATISFACTION')!.byBusinessUnit).toEqual([
      { businessUnitCode: 'ALPHA', value: 72.5 },
      { businessUnitCode: 'BETA', value: 80 },
    ]);
    // Market share: (12.50 + 7.25) / 2 = 9.875 → 9.88.
    expect(value('MARKET_SHARE')).toBe(9.88);
    // Qualified bids decided 2025-04-01 … 2026-03-31: won A03 and A05, lost A04 → 2/3 = 66.67 %;
    // ALPHA 1/2 = 50, BETA 1/1 = 100. The unqualified A06 bid does not count.
    expect(value('WIN_RATE')).toBe(66.67);
    expect(kpis.get('WIN_RATE')!.byBusinessUnit).toEqual([
      { businessUnitCode: 'ALPHA', value: 50 },
      { businessUnitCode: 'BETA', value: 100 },
    ]);
    expect(kpis.get('WIN_RATE')!.detail).toEqual({ won: 2, lost: 1, wonValue: '4000.00' });
    expect(value('ADVICE_REQUESTS')).toBe(3);
    expect(value('EXPANSION_REQUESTS')).toBe(1);
    expect(value('REFERRALS')).toBe(1);
    expect(kpis.get('REFERRALS')!.detail).toEqual({ count: 1, value: '2500.00' });
    // One of the two key accounts has proven, recognised value → 50 %.
    expect(value('VALUE_DEMONSTRATED')).toBe(50);
  });

  it('gives the win rate by quarter against its 80 % line', () => {
    // Win rate per trend quarter (bids decided in the quarter): 2025-Q4 A03 won → 100 %; 2026-Q1 1 of 2.
    expect(docs.portfolio.winRate.trend.map(t => t.rate)).toEqual([null, null, null, 1, 0.5]);
    expect(docs.portfolio.winRate).toMatchObject({ won: 2, lost: 1, rate: 0.6667, target: 0.8 });
    expect(kpis.get('WIN_RATE')!.onTarget).toBe(false);
  });

  it('gives no target line when the WIN_RATE target was cleared (not an 80 % nobody set)', async () => {
    const definition = await db.em().fork().findOneOrFail(KpiDefinition, { code: 'WIN_RATE' });
    await updateKpiDefinition(
      db.em(),
      { code: 'WIN_RATE', expectedVersion: definition.version, target: null },
      testActor,
    );
    try {
      const cleared = await buildQuarterDocuments(db.em(), FIXTURE_QUARTER);
      expect(cleared.portfolio.winRate).toMatchObject({ rate: 0.6667, target: null });
    } finally {
      const changed = await db.em().fork().findOneOrFail(KpiDefinition, { code: 'WIN_RATE' });
      await updateKpiDefinition(
        db.em(),
        { code: 'WIN_RATE', expectedVersion: changed.version, target: '80' },
        testActor,
      );
    }
  });
});

const YEAR_ON_YEAR = [
  'CUSTOMER_RETENTION',
  'CUSTOMER_LIFETIME_VALUE',
  'KEY_ACCOUNT_GROWTH',
  'KEY_VS_CONTROL_GROWTH',
];

describe('year-on-year figures', () => {
  it('are null while the data does not hold the whole prior year', () => {
    // The data starts in 2025-Q1, and the prior TTM window of 2026-Q1 is 2024-Q2 … 2025-Q1: only its last
    // quarter is recorded. Against it the key accounts would "grow" by 7200 / 1800 − 1 = +300 %.
    for (const code of YEAR_ON_YEAR) {
      const kpi = kpis.get(code)!;
      expect({ code, value: kpi.value, baseline: kpi.baseline, delta: kpi.delta }).toEqual({
        code,
        value: null,
        baseline: null,
        delta: null,
      });
      expect(kpi.trend.map(t => t.value)).toEqual([null, null, null, null, null]);
    }
    expect(kpis.get('KEY_ACCOUNT_GROWTH')!.byBusinessUnit).toEqual([
      { businessUnitCode: 'ALPHA', value: null },
      { businessUnitCode: 'BETA', value: null },
    ]);
    expect(kpis.get('KEY_ACCOUNT_GROWTH')!.detail).toEqual({
      revenue: '7200.00',
      priorRevenue: null,
      grossProfitGrowth: null,
    });
    expect(kpis.get('CUSTOMER_RETENTION')!.detail).toEqual({ activeYearEarlier: null, retained: null });
    expect(kpis.get('KEY_VS_CONTROL_GROWTH')!.detail).toEqual({
      keyAccountGrowth: null,
      controlGroupGrowth: null,
    });
    // The recorded sums stay as they are; only the rates are withheld.
    expect(docs.portfolio.growth).toMatchObject({
      ratio: null,
      keyAccounts: {
        ttmRevenue: '7200.00',
        priorTtmRevenue: '1800.00',
        revenueGrowth: null,
        grossProfitGrowth: null,
      },
      controlGroup: {
        ttmRevenue: '8600.00',
        priorTtmRevenue: '2250.00',
        revenueGrowth: null,
        grossProfitGrowth: null,
      },
    });
    expect(
      docs.portfolio.growth.trend.filter(t => t.keyAccountGrowth !== null || t.controlGroupGrowth !== null),
    ).toEqual([]);
    expect(account('A01').ttm).toMatchObject({
      revenue: '4000.00',
      priorRevenue: '1000.00',
      revenueGrowth: null,
    });
    expect(docs.accounts.filter(a => a.ttm.revenueGrowth !== null)).toEqual([]);
  });

  describe('with the whole prior year in the data', () => {
    let full: TestDatabase;
    let fullDocs: QuarterDocuments;
    let fullKpis: Map<string, KpiResult>;

    beforeAll(async () => {
      full = await createTestDatabase();
      await buildFixturePortfolio(full.em());
      // One zero-revenue line in 2024-Q2 starts the data there without changing any sum: the prior
      // window 2024-Q2 … 2025-Q1 is now recorded whole (its three earlier quarters as no revenue).
      await importFinancials(
        full.em(),
        [
          {
            accountRef: 'A11',
            quarter: '2024-Q2',
            businessUnitCode: 'ALPHA',
            revenue: '0',
            grossProfit: '0',
            costToServe: '0',
            potential: null,
          },
        ],
        { mode: 'ATOMIC' },
        testActor,
      );
      // A09 in a segment, for its document's segment code and name.
      await createSegment(
        full.em(),
        { code: 'LOYAL', name: 'Loyal partners', buyerOrientation: 'LOYALTY' },
        testActor,
      );
      await upsertAccounts(
        full.em(),
        [{ externalRef: 'A09', name: 'Account A09', segmentCode: 'LOYAL' }],
        { mode: 'ATOMIC' },
        testActor,
      );
      fullDocs = await buildQuarterDocuments(full.em(), FIXTURE_QUARTER);
      fullKpis = new Map((await computeKpis(full.em(), FIXTURE_QUARTER)).map(k => [k.code, k]));
    });
    afterAll(async () => full?.close());

    const value = (code: string) => fullKpis.get(code)!.value;

    it('names each account’s segment by code and name', () => {
      const doc = (ref: string) => fullDocs.accounts.find(a => a.externalRef === ref)!;
      expect([doc('A09').segmentCode, doc('A09').segmentName]).toEqual(['LOYAL', 'Loyal partners']);
      expect([doc('A08').segmentCode, doc('A08').segmentName]).toEqual([null, null]);
    });

    it('computes retention, lifetime value and growth', () => {
      // Retention: active a year earlier (prior window: 2025-Q1's revenue) A01…A10 = 10; still active A01…A09 = 9 → 90 %.
      expect(value('CUSTOMER_RETENTION')).toBe(90);
      expect(fullKpis.get('CUSTOMER_RETENTION')!.detail).toEqual({ activeYearEarlier: 10, retained: 9 });
      // CLV: mean TTM gross profit 4620 / 9 = 513.33… × lifetime 1 / (1 − 0.9) = 10 → 5133.33.
      expect(value('CUSTOMER_LIFETIME_VALUE')).toBe(5133.33);
      // Key accounts A01 + A02: TTM 4 × 1800 = 7200 against 1800 → +300 %; gross profit 4 × 400 = 1600 against 400 → +300 %.
      expect(value('KEY_ACCOUNT_GROWTH')).toBe(300);
      expect(fullKpis.get('KEY_ACCOUNT_GROWTH')!.detail).toEqual({
        revenue: '7200.00',
        priorRevenue: '1800.00',
        grossProfitGrowth: 300,
      });
      // Per unit: ALPHA the same +300 %; BETA holds A01's zero-revenue potential lines, prior 0 → null.
      expect(fullKpis.get('KEY_ACCOUNT_GROWTH')!.byBusinessUnit).toEqual([
        { businessUnitCode: 'ALPHA', value: 300 },
        { businessUnitCode: 'BETA', value: null },
      ]);
      // Control group: TTM 4 × 2150 = 8600 against 2250 (A03…A10 in 2025-Q1) → 6350/2250 = 2.8222;
      // key 5400/1800 = 3 → ratio 3 / 2.8222… = (5400 × 2250) / (6350 × 1800) = 1.062992… → 1.063.
      expect(value('KEY_VS_CONTROL_GROWTH')).toBe(1.063);
      expect(fullDocs.portfolio.growth.ratio).toBe(1.063);
      expect(fullDocs.portfolio.growth.controlGroup).toMatchObject({
        ttmRevenue: '8600.00',
        priorTtmRevenue: '2250.00',
        revenueGrowth: 2.8222,
      });
      expect(fullDocs.portfolio.growth.keyAccounts).toMatchObject({ revenueGrowth: 3, grossProfitGrowth: 3 });
      // Per account: A01 4000 against 1000 → 3; A10 0 against 100 → −1; A11 nothing either side → null.
      const ttm = (ref: string) => fullDocs.accounts.find(a => a.externalRef === ref)!.ttm.revenueGrowth;
      expect([ttm('A01'), ttm('A10'), ttm('A11')]).toEqual([3, -1, null]);
    });

    it('weighs the margin trend into the health', () => {
      const h = fullDocs.accounts.find(a => a.externalRef === 'A01')!.health!;
      // As above, with margin 20 % both years → 50: all six weights as set.
      // relationship 75 × 20 % = 15; coverage 50 × 20 % = 10; freshness 0 (a draft plan); proven 100 × 15 % = 15;
      // satisfaction 87.5 × 15 % = 13.125; margin 50 × 15 % = 7.5. Score 60.625 → 60.6, AMBER.
      expect(h.components.map(c => [c.key, c.value, c.weight, c.contribution])).toEqual([
        ['relationshipStrength', 75, 20, 15],
        ['stakeholderCoverage', 50, 20, 10],
        ['planFreshness', 0, 15, 0],
        ['provenValue', 100, 15, 15],
        ['satisfaction', 87.5, 15, 13.1],
        ['marginTrend', 50, 15, 7.5],
      ]);
      expect([h.score, h.status]).toEqual([60.6, 'AMBER']);
      expect(h.components.find(c => c.key === 'marginTrend')!.explanation).toBe(
        'Gross margin 20 % against 20 % a year earlier (0 points).',
      );
      // The suggested tier sees the flat margin too.
      expect(fullDocs.accounts.find(a => a.externalRef === 'A01')!.tier!.suggested!.reasons).toContain(
        'gross margin flat against a year earlier',
      );
    });

    it('gives baseline, delta, direction, target and trend', () => {
      const retention = fullKpis.get('CUSTOMER_RETENTION')!;
      // Trend quarters 2024-Q2 … 2026-Q1; each quarter before 2026-Q1 has a prior window that starts before
      // 2024-Q2 → null. The baseline is the first quarter with a value: 2026-Q1 itself.
      expect(retention.trend.map(t => t.quarter)).toEqual([
        '2024-Q2',
        '2024-Q3',
        '2024-Q4',
        '2025-Q1',
        '2025-Q2',
        '2025-Q3',
        '2025-Q4',
        '2026-Q1',
      ]);
      expect(retention.trend.map(t => t.value)).toEqual([null, null, null, null, null, null, null, 90]);
      expect(retention).toMatchObject({
        baselineQuarter: '2026-Q1',
        baseline: 90,
        delta: 0,
        improving: false,
        target: 95,
        onTarget: false,
      });
      expect(fullDocs.portfolio.growth.trend.map(t => t.keyAccountGrowth)).toEqual([
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        3,
      ]);
    });
  });
});
