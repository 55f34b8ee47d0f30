import { closeQuarter, seedDemoPortfolio, systemActor } from '@kam/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';

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
  it('serves all thirteen KPIs and the portfolio summaries for a quarter', async () => {
    const res = await api.gql<{
      analytics: {
        kpis: { code: string; unit: string; value: number | null; trend: { quarter: string }[] }[];
        pyramid: { levels: { level: string; accounts: number }[] };
        pareto: { basis: string; top20PercentShare: number };
        selection: { quadrantCounts: Record<string, number> };
        journey: { distribution: unknown[] };
      };
    }>(
      `{ analytics(quarter: "2026-Q3") {
          kpis { code unit direction value baseline delta improving onTarget trend { quarter value } byBusinessUnit { businessUnitCode value } }
          pyramid pareto(basis: GROSS_PROFIT) selection journey value profitability } }`,
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
      `{ accounts(first: 50, keyAccountsOnly: true) { edges { node {
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
        selection: { quadrantCounts: Record<string, number> };
      };
    }>('{ analytics(quarter: "2026-Q3") { pyramid selection } }', {}, executive);
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
    for (const [quadrant, accounts] of Object.entries(selection.quadrantCounts)) {
      expect([quadrant, await count(`quadrant: ${quadrant}`)]).toEqual([quadrant, accounts]);
    }
    expect(Object.values(selection.quadrantCounts).some(n => n > 0)).toBe(true);
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

  it('refuses a malformed quarter with the expected form', async () => {
    const res = await api.gql(`{ analytics(quarter: "2026-3") { quarter } }`, {}, executive);
    expect(JSON.stringify(res.body.errors)).toMatch(/YYYY-Qn/);
  });
});
