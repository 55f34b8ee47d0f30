/**
 * Connection filters over the demo portfolio, checked against the records themselves: a
 * boolean filter answers both of its values.
 */
import { seedDemoPortfolio, systemActor, ValueInitiative } from '@kam/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';

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
});
