/**
 * Connection filters over the demo portfolio, checked against the records themselves: a
 * boolean filter answers both of its values.
 */
import { AccountPlan, seedDemoPortfolio, systemActor, ValueInitiative } from '@kam/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';
import { globalId } from './workflow-client.ts';

let api: ApiHarness;
let executive: string;
beforeAll(async () => {
  api = await startApi();
  await seedDemoPortfolio(
    api.db.em(),
    { accounts: 60, quarters: 4, seed: 7, endQuarter: '2026-Q3' },
    systemActor('test'),
  );
  executive = (await api.token('EXECUTIVE')).secret;
});
afterAll(() => api.close());

describe('value initiatives', () => {
  it('inProgress: false gives the initiatives that have ended, as inProgress: true those that have not', async () => {
    const all = await api.db.em().find(ValueInitiative, {});
    const running = all.filter(i => i.outcome == null || i.outcome === 'REVISED').length;
    // The demo has both kinds, or the test would prove nothing.
    expect(running).toBeGreaterThan(0);
    expect(all.length - running).toBeGreaterThan(0);
    const res = await api.gql<Record<'all' | 'running' | 'ended', { totalCount: number }>>(
      `{ all: valueInitiatives { totalCount }
         running: valueInitiatives(inProgress: true) { totalCount }
         ended: valueInitiatives(inProgress: false) { totalCount } }`,
      {},
      executive,
    );
    expect(res.body.errors).toBeUndefined();
    // inProgress: false used to be ignored, and answered every initiative.
    expect(res.body.data).toEqual({
      all: { totalCount: all.length },
      running: { totalCount: running },
      ended: { totalCount: all.length - running },
    });
  });

  it('refuses inProgress with an outcome it excludes, rather than answering nothing', async () => {
    const query = `query($inProgress: Boolean, $outcome: InitiativeOutcome) {
      valueInitiatives(inProgress: $inProgress, outcome: $outcome) { totalCount } }`;
    const ask = (inProgress: boolean, outcome: string) =>
      api.gql<{ valueInitiatives: { totalCount: number } }>(query, { inProgress, outcome }, executive);
    // In progress is no outcome or REVISED: every other outcome has ended, and REVISED has not.
    for (const [inProgress, outcome, message] of [
      [
        true,
        'ADOPTED',
        'inProgress: true and outcome: ADOPTED contradict each other: an initiative in progress has no outcome or REVISED. Give outcome alone, or inProgress: false for every ended one.',
      ],
      [
        true,
        'REJECTED',
        'inProgress: true and outcome: REJECTED contradict each other: an initiative in progress has no outcome or REVISED. Give outcome alone, or inProgress: false for every ended one.',
      ],
      [
        true,
        'COMBINED',
        'inProgress: true and outcome: COMBINED contradict each other: an initiative in progress has no outcome or REVISED. Give outcome alone, or inProgress: false for every ended one.',
      ],
      [
        false,
        'REVISED',
        'inProgress: false and outcome: REVISED contradict each other: a REVISED initiative is still in progress. Give outcome alone, or inProgress: true for every one in progress.',
      ],
    ] as const) {
      const res = await ask(inProgress, outcome);
      expect(res.body.data, outcome).toBeNull();
      expect(res.body.errors?.[0]?.message, outcome).toBe(message);
      expect(res.body.errors?.[0]?.extensions, outcome).toMatchObject({
        code: 'VALIDATION_FAILED',
        fieldErrors: [{ path: ['inProgress'] }],
      });
    }
    // The combinations that agree narrow the list as before.
    const all = await api.db.em().find(ValueInitiative, {});
    for (const [inProgress, outcome] of [
      [true, 'REVISED'],
      [false, 'ADOPTED'],
      [false, 'REJECTED'],
      [false, 'COMBINED'],
    ] as const) {
      const res = await ask(inProgress, outcome);
      expect(res.body.errors, outcome).toBeUndefined();
      expect(res.body.data?.valueInitiatives.totalCount, outcome).toBe(
        all.filter(i => i.outcome === outcome).length,
      );
    }
  });
});

describe('plans', () => {
  it('are newest year first by default, exactly as YEAR DESC: the same pages, and each other’s cursors', async () => {
    type Page = { plans: { edges: { node: { id: string } }[]; pageInfo: { endCursor: string | null } } };
    const read = async (orderBy: unknown, after: string | null) => {
      const res = await api.gql<Page>(
        `query($orderBy: PlanOrder, $after: String) {
           plans(first: 3, after: $after, orderBy: $orderBy) { edges { node { id } } pageInfo { endCursor } } }`,
        { orderBy, after },
        executive,
      );
      expect(res.body.errors).toBeUndefined();
      return res.body.data?.plans;
    };
    const desc = { field: 'YEAR', direction: 'DESC' };
    // YEAR DESC breaks ties by id in its direction: the newest year's highest ids first.
    const plans = await api.db.em().find(AccountPlan, {}, { orderBy: { year: 'desc', id: 'desc' } });
    const newest = plans.filter(p => p.year === plans[0]?.year);
    // The newest year has several plans, or the ties would prove nothing.
    expect(newest.length).toBeGreaterThan(3);
    const ids = (page: Page['plans'] | undefined) => page?.edges.map(e => e.node.id);
    const byDefault = await read(undefined, null);
    const explicit = await read(desc, null);
    expect(ids(byDefault)).toEqual(plans.slice(0, 3).map(p => globalId('AccountPlan', p.id)));
    expect(ids(explicit)).toEqual(ids(byDefault));
    // A cursor read in one is taken by the other, and pages on to the same plans.
    const next = plans.slice(3, 6).map(p => globalId('AccountPlan', p.id));
    expect(ids(await read(desc, byDefault?.pageInfo.endCursor ?? null))).toEqual(next);
    expect(ids(await read(undefined, explicit?.pageInfo.endCursor ?? null))).toEqual(next);
  });
});
