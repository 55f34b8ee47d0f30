import {
  ACCOUNT_QUADRANTS,
  type AccountSnapshotPayload,
  closeQuarter,
  computeGroupRollups,
  computeJourney,
  computePareto,
  computeProfitability,
  computePyramid,
  computeSelection,
  computeValue,
  DESIGN_PHASES,
  FLAG_KINDS,
  INITIATIVE_OUTCOMES,
  type PortfolioSnapshot,
  seedDemoPortfolio,
  systemActor,
  VALUE_CATEGORIES,
  VALUE_TIERS,
} from '@kam/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';

const globalId = (id: number) => Buffer.from(`Account:${id}`).toString('base64');

/** The summaries' fields, every one, as a frontend would ask for them. */
const SUMMARY_FIELDS = `
  pyramid { levels { level accounts ttmRevenue revenueShare serviceStandard } movements { from to accounts }
            bands { largeShare mediumShare } }
  pareto { basis total rankedAccounts accountsFor80Percent accountShareFor80Percent top20PercentShare
           curve { accountShare cumulativeShare } }
  selection { attractivenessThreshold relationshipThreshold financialScreenThreshold
              quadrantCounts { quadrant accounts }
              matrix { accountId externalRef name isKeyAccount attractiveness relationshipStrength quadrant }
              candidatesWithoutAssessment { accountId externalRef name financialScore ttmRevenue }
              candidatesWithoutAssessmentCount
              reviewsDue { accountId externalRef name designatedOn reviewDueOn overdue } }
  journey { distribution { quarter tiers { tier accounts } unassessed } transitions { from to accounts }
            progressed regressed }
  value { initiatives byCategory { category initiatives } byPhase { phase initiatives }
          byOutcome { outcome initiatives } customerGains supplierGains
          keyAccountsWithProvenRecognisedValue shareOfKeyAccountsWithProvenRecognisedValue }
  profitability { bySize { decile accounts ttmRevenue ttmGrossProfit ttmContribution grossMargin contributionMargin }
                  keyAccounts { accountId externalRef name ttmRevenue contributionMargin } }`;

const GROWTH_GROUP =
  'accounts ttmRevenue priorTtmRevenue revenueGrowth ttmGrossProfit priorTtmGrossProfit grossProfitGrowth';

/** The domain's summaries in the API's typed shape: enum-keyed maps as lists, accounts by global id. */
function typedSummaries(
  s: Pick<PortfolioSnapshot, 'pyramid' | 'pareto' | 'selection' | 'journey' | 'value' | 'profitability'>,
) {
  const withGlobalId = <T extends { accountId: number }>({ accountId, ...row }: T) => ({
    ...row,
    accountId: globalId(accountId),
  });
  return {
    pyramid: s.pyramid,
    pareto: s.pareto,
    selection: {
      ...s.selection,
      quadrantCounts: ACCOUNT_QUADRANTS.map(quadrant => ({
        quadrant,
        accounts: s.selection.quadrantCounts[quadrant],
      })),
      matrix: s.selection.matrix.map(withGlobalId),
      candidatesWithoutAssessment: s.selection.candidatesWithoutAssessment.map(withGlobalId),
      reviewsDue: s.selection.reviewsDue.map(withGlobalId),
    },
    journey: {
      ...s.journey,
      distribution: s.journey.distribution.map(({ quarter, unassessed, ...tiers }) => ({
        quarter,
        tiers: VALUE_TIERS.map(tier => ({ tier, accounts: tiers[tier] })),
        unassessed,
      })),
    },
    value: {
      ...s.value,
      byCategory: VALUE_CATEGORIES.map(category => ({ category, initiatives: s.value.byCategory[category] })),
      byPhase: DESIGN_PHASES.map(phase => ({ phase, initiatives: s.value.byPhase[phase] })),
      byOutcome: [
        { outcome: null, initiatives: s.value.byOutcome.IN_PROGRESS },
        ...INITIATIVE_OUTCOMES.map(outcome => ({ outcome, initiatives: s.value.byOutcome[outcome] })),
      ],
    },
    profitability: { ...s.profitability, keyAccounts: s.profitability.keyAccounts.map(withGlobalId) },
  };
}

let api: ApiHarness;
let executive: string;
beforeAll(async () => {
  api = await startApi();
  const actor = systemActor('test');
  await seedDemoPortfolio(api.db.em(), { accounts: 120, quarters: 4, seed: 5, endQuarter: '2026-Q3' }, actor);
  await closeQuarter(api.db.em(), '2026-Q3', actor);
  executive = (await api.token('EXECUTIVE')).secret;
});
afterAll(() => api.close());

describe('live analytics through the API', () => {
  it('serves all thirteen KPIs and the portfolio summaries for a quarter, typed', async () => {
    const res = await api.gql<{
      analytics: {
        kpis: { code: string; unit: string; value: number | null; trend: { quarter: string }[] }[];
        pyramid: { levels: { level: string; accounts: number }[] };
        pareto: { basis: string; top20PercentShare: number };
      };
    }>(
      `{ analytics(quarter: "2026-Q3") {
          kpis { code unit direction value baseline delta improving onTarget trend { quarter value } byBusinessUnit { businessUnitCode value } }
          pyramid { levels { level accounts } }
          pareto(basis: GROSS_PROFIT) { basis top20PercentShare } } }`,
      {},
      executive,
    );
    expect(res.body.errors).toBeUndefined();
    const analytics = res.body.data?.analytics;
    expect(analytics?.kpis).toHaveLength(13);
    expect(analytics?.kpis.find(k => k.code === 'KEY_VS_CONTROL_GROWTH')?.trend.at(-1)?.quarter).toBe(
      '2026-Q3',
    );
    expect(analytics?.pyramid.levels.reduce((sum, level) => sum + level.accounts, 0)).toBe(120);
    expect(analytics?.pareto.basis).toBe('GROSS_PROFIT');
    expect(analytics?.pareto.top20PercentShare).toBeGreaterThan(0.2);
  });

  it('types every summary field as the domain computes it', async () => {
    const res = await api.gql<{ analytics: Record<string, unknown> }>(
      `{ analytics(quarter: "2026-Q3") { ${SUMMARY_FIELDS} } }`,
      {},
      executive,
    );
    expect(res.body.errors).toBeUndefined();
    const live = res.body.data!.analytics;
    const em = api.db.em();
    const { accountLevels: _levels, ...pyramid } = await computePyramid(em, '2026-Q3');
    expect(live).toEqual(
      typedSummaries({
        pyramid,
        pareto: await computePareto(em, '2026-Q3', 'REVENUE'),
        selection: (await computeSelection(em, '2026-Q3')).summary,
        journey: await computeJourney(em, '2026-Q3'),
        value: await computeValue(em, '2026-Q3'),
        profitability: await computeProfitability(em, '2026-Q3'),
      }),
    );
    // An account's global id opens the account.
    const point = (live.selection as { matrix: { accountId: string; externalRef: string }[] }).matrix[0]!;
    const node = await api.gql<{ node: { externalRef: string } }>(
      'query ($id: ID!) { node(id: $id) { ... on Account { externalRef } } }',
      { id: point.accountId },
      executive,
    );
    expect(node.body.data?.node.externalRef).toBe(point.externalRef);
    expect((live.selection as { matrix: unknown[] }).matrix.length).toBeGreaterThan(0);
    expect((live.journey as { transitions: unknown[] }).transitions.length).toBeGreaterThan(0);
  });

  it('types every part of a closed quarter’s portfolio document as stored', async () => {
    const res = await api.gql<{ snapshot: Record<string, unknown> & { portfolio: PortfolioSnapshot } }>(
      `{ snapshot(quarter: "2026-Q3") {
          portfolio currency trendQuarters
          totals { accounts activeAccounts keyAccounts ttmRevenue ttmGrossProfit ttmCostToServe ttmContribution
                   keyAccountTtmRevenue keyAccountRevenueShare }
          kpis { code name description unit direction target baselineQuarter baseline value delta improving onTarget
                 trend { quarter value } byBusinessUnit { businessUnitCode value } detail }
          ${SUMMARY_FIELDS}
          growth { keyAccounts { ${GROWTH_GROUP} } controlGroup { ${GROWTH_GROUP} } ratio
                   trend { quarter keyAccountGrowth controlGroupGrowth } }
          winRate { won lost rate target wonValue trend { quarter won lost rate } }
          flags { counts { kind accounts } accounts { accountId externalRef name flags { kind message quarter } } }
          businessUnits { code name ttmRevenue ttmGrossProfit activeAccounts keyAccounts openQualifiedPipeline
                          wonValueTtm winRate peopleSatisfaction whiteSpaceAccounts whiteSpacePotential } } }`,
      {},
      executive,
    );
    expect(res.body.errors).toBeUndefined();
    const { portfolio, ...typed } = res.body.data!.snapshot;
    const stored = portfolio;
    expect(typed).toEqual({
      currency: stored.currency,
      trendQuarters: stored.trendQuarters,
      totals: stored.totals,
      kpis: stored.kpis,
      ...typedSummaries(stored),
      growth: stored.growth,
      winRate: stored.winRate,
      flags: {
        counts: FLAG_KINDS.map(kind => ({ kind, accounts: stored.flags.counts[kind] })),
        accounts: stored.flags.accounts.map(({ accountId: _id, ...a }) => ({
          ...a,
          accountId: globalId(_id),
          flags: a.flags.map(flag => ({ ...flag, quarter: '2026-Q3' })),
        })),
      },
      businessUnits: stored.businessUnits,
    });
    expect(stored.flags.accounts.length).toBeGreaterThan(0);
  });

  it('types every part of a closed quarter’s account documents as stored', async () => {
    const res = await api.gql<{
      snapshot: {
        accounts: { edges: { node: Record<string, unknown> & { payload: AccountSnapshotPayload } }[] };
      };
    }>(
      `{ snapshot(quarter: "2026-Q3") { accounts(first: 100, keyAccountsOnly: true) { edges { node {
          payload name parentExternalRef parentName segmentCode segmentName industry country
          designation { designatedOn reviewDueOn } pyramidLevel previousPyramidLevel
          ttm { revenue grossProfit costToServe contribution grossMargin contributionMargin priorRevenue revenueGrowth }
          financials { quarter revenue grossProfit costToServe contribution }
          groupRollup { descendants ttmRevenue ttmGrossProfit ttmCostToServe openQualifiedPipeline plans }
          selection { financialScore strategicScore attitudeScore attractiveness relationshipStrength quadrant assessedOn }
          tier { current evidence history { quarter tier evidence } suggested { tier reasons } }
          plan { planId year status revenueTarget marginTargetPercent inYearTarget revenueYearToDate lastReviewOn
                 lastReviewAssessment openActions doneActions overdueActions missingSignOffs }
          initiatives { initiativeId name category phase outcome customerGain supplierGain customerRecognised }
          team { personName role geography }
          stakeholders { contacts influential covered coverage byFunction { function contacts champions }
                         map { name function influence stance counterpartName } }
          health { quarter score status components { key label value weight contribution explanation } }
          whitespace { businessUnitCode businessUnitName ttmRevenue potential openQualifiedPipeline wonValueTtm whiteSpace }
          flags { kind message quarter }
          signals { feedbackPositive feedbackTotal adviceRequests expansionRequests referrals } } } } } }`,
      {},
      executive,
    );
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data!.snapshot.accounts.edges.map(edge => edge.node);
    expect(nodes.length).toBeGreaterThan(5);
    const global = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
    for (const { payload: doc, ...typed } of nodes) {
      const {
        schemaVersion: _v,
        quarter: _q,
        accountId: _a,
        externalRef: _r,
        isKeyAccount: _k,
        plan,
        initiatives,
        health,
        flags,
        ...rest
      } = doc;
      expect(typed).toEqual({
        ...rest,
        segmentName: doc.segmentName ?? null,
        plan: plan && (({ id, ...p }) => ({ ...p, planId: global('AccountPlan', id) }))(plan),
        initiatives: initiatives.map(({ id, ...i }) => ({
          ...i,
          initiativeId: global('ValueInitiative', id),
        })),
        health: health && { ...health, quarter: '2026-Q3' },
        flags: flags.map(flag => ({ ...flag, quarter: '2026-Q3' })),
      });
    }
    expect(nodes.some(node => node.plan !== null && (node.initiatives as unknown[]).length > 0)).toBe(true);
  });

  it('rolls a group account up with its descendants, and gives a leaf none', async () => {
    const groups = await api.db
      .em()
      .getConnection()
      .execute<{ id: number }[]>(
        'select distinct parent_id as id from account where parent_id is not null order by parent_id limit 1',
      );
    const group = groups[0]!.id;
    const leaf = (
      await api.db
        .em()
        .getConnection()
        .execute<{ id: number }[]>(
          'select id from account a where not exists (select 1 from account c where c.parent_id = a.id) order by id limit 1',
        )
    )[0]!.id;
    const rollup = async (id: number) =>
      (
        await api.gql<{ node: { groupRollup: Record<string, unknown> | null } }>(
          `query ($id: ID!) { node(id: $id) { ... on Account { groupRollup(quarter: "2026-Q3") {
              descendants ttmRevenue ttmGrossProfit ttmCostToServe openQualifiedPipeline plans } } } }`,
          { id: globalId(id) },
          executive,
        )
      ).body.data?.node.groupRollup;
    const expected = (await computeGroupRollups(api.db.em(), '2026-Q3', [group])).get(group);
    expect(expected?.descendants).toBeGreaterThan(0);
    expect(await rollup(group)).toEqual(expected);
    expect(await rollup(leaf)).toBeNull();
  });

  it('gives a page of accounts their health from the latest close and their whitespace', async () => {
    const res = await api.gql<{
      accounts: {
        edges: {
          node: {
            externalRef: string;
            health: { quarter: string; score: number; components: { weight: number }[] } | null;
            whitespace: { businessUnitCode: string; whiteSpace: boolean }[];
          };
        }[];
      };
    }>(
      `{ accounts(first: 50, keyAccount: true) { edges { node {
          externalRef
          health { quarter score status components { key value weight contribution explanation } }
          whitespace(quarter: "2026-Q3") { businessUnitCode ttmRevenue potential whiteSpace }
        } } } }`,
      {},
      executive,
    );
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data?.accounts.edges.map(e => e.node) ?? [];
    expect(nodes.length).toBeGreaterThan(5);
    for (const node of nodes) {
      expect(node.health?.quarter).toBe('2026-Q3');
      expect(node.health?.score).toBeGreaterThanOrEqual(0);
      expect(node.health?.score).toBeLessThanOrEqual(100);
      expect(node.whitespace.length).toBeGreaterThan(0);
    }
  });

  it('filters accounts by pyramid level and quadrant with the counts the analytics give', async () => {
    const res = await api.gql<{
      analytics: {
        pyramid: { levels: { level: string; accounts: number }[] };
        selection: { quadrantCounts: { quadrant: string; accounts: number }[] };
      };
    }>(
      '{ analytics(quarter: "2026-Q3") { pyramid { levels { level accounts } } selection { quadrantCounts { quadrant accounts } } } }',
      {},
      executive,
    );
    const { pyramid, selection } = res.body.data!.analytics;
    const count = async (filter: string) => {
      const page = await api.gql<{ accounts: { totalCount: number } }>(
        `{ accounts(first: 1, asOf: "2026-Q3", ${filter}) { totalCount } }`,
        {},
        executive,
      );
      expect(page.body.errors).toBeUndefined();
      return page.body.data?.accounts.totalCount;
    };
    for (const { level, accounts } of pyramid.levels) {
      expect([level, await count(`pyramidLevel: ${level}`)]).toEqual([level, accounts]);
    }
    for (const { quadrant, accounts } of selection.quadrantCounts) {
      expect([quadrant, await count(`quadrant: ${quadrant}`)]).toEqual([quadrant, accounts]);
    }
    expect(selection.quadrantCounts.some(q => q.accounts > 0)).toBe(true);
  });

  it('gives each account the flags of its latest closed quarter, as its snapshot document has them', async () => {
    type Flag = { kind: string; message: string };
    const snapshot = await api.gql<{
      snapshot: { accounts: { edges: { node: { externalRef: string; payload: { flags: Flag[] } } }[] } };
    }>(
      '{ snapshot(quarter: "2026-Q3") { accounts(first: 100) { edges { node { externalRef payload } } } } }',
      {},
      executive,
    );
    const live = await api.gql<{
      accounts: { edges: { node: { externalRef: string; flags: (Flag & { quarter: string })[] } }[] };
    }>(
      '{ accounts(first: 100) { edges { node { externalRef flags { kind message quarter } } } } }',
      {},
      executive,
    );
    expect(live.body.errors).toBeUndefined();
    const stored = new Map(
      snapshot.body.data?.snapshot.accounts.edges.map(e => [e.node.externalRef, e.node.payload.flags]),
    );
    const accounts = live.body.data?.accounts.edges.map(e => e.node) ?? [];
    expect(accounts).toHaveLength(100);
    for (const account of accounts) {
      expect([account.externalRef, account.flags]).toEqual([
        account.externalRef,
        (stored.get(account.externalRef) ?? []).map(flag => ({ ...flag, quarter: '2026-Q3' })),
      ]);
    }
    expect(accounts.some(account => account.flags.length > 0)).toBe(true);
  });

  it('refuses a quarter that has not started, and answers the running one', async () => {
    const now = new Date();
    const running = now.getUTCFullYear() * 4 + Math.floor(now.getUTCMonth() / 3);
    const quarterAt = (index: number) => `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
    const next = quarterAt(running + 1);
    const id = globalId(1);
    for (const [query, field] of [
      [`{ analytics(quarter: "${next}") { quarter pyramid { levels { level accounts } } } }`, 'quarter'],
      [`{ node(id: "${id}") { ... on Account { pyramidLevel(quarter: "${next}") } } }`, 'quarter'],
      [`{ node(id: "${id}") { ... on Account { quadrant(quarter: "${next}") } } }`, 'quarter'],
      [`{ node(id: "${id}") { ... on Account { groupRollup(quarter: "${next}") { plans } } } }`, 'quarter'],
      [
        `{ node(id: "${id}") { ... on Account { whitespace(quarter: "${next}") { whiteSpace } } } }`,
        'quarter',
      ],
      [`{ accounts(first: 1, asOf: "${next}", pyramidLevel: LAPSED) { totalCount } }`, 'asOf'],
      // asOf alone (no pyramidLevel or quadrant to compute for it) was ignored: every account.
      [`{ accounts(first: 1, asOf: "${next}") { totalCount } }`, 'asOf'],
    ] as const) {
      const res = await api.gql(query, {}, executive);
      const [error] = (res.body.errors ?? []) as { message: string; extensions?: Record<string, unknown> }[];
      expect(error?.message, query).toMatch(
        new RegExp(`^${next} has not started yet \\(it starts on \\d{4}-\\d{2}-01\\)`),
      );
      expect(error?.extensions, query).toMatchObject({
        code: 'VALIDATION_FAILED',
        fieldErrors: [{ path: [field], code: 'QUARTER_NOT_STARTED' }],
      });
    }
    const current = await api.gql<{ analytics: { quarter: string } }>(
      `{ analytics(quarter: "${quarterAt(running)}") { quarter pyramid { levels { level } } } }`,
      {},
      executive,
    );
    expect(current.body.errors).toBeUndefined();
    expect(current.body.data?.analytics.quarter).toBe(quarterAt(running));
  });

  it('refuses a malformed quarter with the expected form', async () => {
    const res = await api.gql(`{ analytics(quarter: "2026-3") { quarter } }`, {}, executive);
    expect(JSON.stringify(res.body.errors)).toMatch(/YYYY-Qn/);
  });
});
