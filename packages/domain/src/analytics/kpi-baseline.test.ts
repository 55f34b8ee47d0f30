/**
 * The baseline of a KPI without a configured baseline quarter is its value in the first quarter
 * with a value, counted from the first quarter with financial data (here 2025-Q1): it must not
 * move with the trend window. Over the fixture portfolio (fixtures/portfolio.fixture.ts), each
 * report computed with a two-quarter trend window that does not reach back to that quarter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateKpiDefinition } from '../kpis/kpi.service.ts';
import { KpiDefinition } from '../kpis/kpi-definition.entity.ts';
import type { KpiResult } from '../snapshots/snapshot.types.ts';
import { createTestDatabase, type TestDatabase, testActor } from '../testing/index.ts';
import { buildFixturePortfolio } from './fixtures/portfolio.fixture.ts';
import { computeKpis, type KpiFacts } from './kpis.ts';

let db: TestDatabase;
let q4: Map<string, KpiResult>;
let q1: Map<string, KpiResult>;
let q1Facts: string[];

const baselineOf = (k: KpiResult | undefined) => ({
  baselineQuarter: k?.baselineQuarter,
  baseline: k?.baseline,
});

beforeAll(async () => {
  db = await createTestDatabase();
  await buildFixturePortfolio(db.em());
  const facts = new Map<string, KpiFacts>();
  q4 = new Map(
    (await computeKpis(db.em(), '2025-Q4', { trendQuarters: ['2025-Q3', '2025-Q4'] })).map(k => [k.code, k]),
  );
  // Sharing the facts cache between the two reports must not change anything either.
  q1 = new Map(
    (await computeKpis(db.em(), '2026-Q1', { trendQuarters: ['2025-Q4', '2026-Q1'], facts })).map(k => [
      k.code,
      k,
    ]),
  );
  q1Facts = [...facts.keys()].sort();
});
afterAll(async () => db?.close());

describe('the baseline without a configured baseline quarter', () => {
  it('is the first quarter with a value since the financial data starts, not the first trend quarter', () => {
    // Feedback: S5 (positive) on 2025-05-10 is the first, in 2025-Q2 → 1 of 1 positive = 100 %.
    expect(baselineOf(q1.get('POSITIVE_FEEDBACK'))).toEqual({ baselineQuarter: '2025-Q2', baseline: 100 });
    // Surveys: R4 (score 4) on 2025-11-01 is the first, in 2025-Q4.
    expect(baselineOf(q1.get('CUSTOMER_SATISFACTION'))).toEqual({ baselineQuarter: '2025-Q4', baseline: 4 });
    // Counts have a value (0) from the first quarter with financial data, 2025-Q1.
    for (const code of ['ADVICE_REQUESTS', 'EXPANSION_REQUESTS', 'REFERRALS'])
      expect(baselineOf(q1.get(code))).toEqual({ baselineQuarter: '2025-Q1', baseline: 0 });
    // Key accounts A01 (from 2025-01-15) and A02 (from 2024-01-10), none with proven value in 2025-Q1 → 0 %.
    expect(baselineOf(q1.get('VALUE_DEMONSTRATED'))).toEqual({ baselineQuarter: '2025-Q1', baseline: 0 });
    // The first qualified decision: won on 2025-11-10 → 1 of 1 = 100 % in 2025-Q4.
    expect(baselineOf(q1.get('WIN_RATE'))).toEqual({ baselineQuarter: '2025-Q4', baseline: 100 });
    // The referral in 2026-Q1 counts against the baseline 0: delta 1.
    expect(q1.get('REFERRALS')).toMatchObject({ value: 1, delta: 1, improving: true });
  });

  it('is the same in two consecutive reports', () => {
    for (const code of [
      'POSITIVE_FEEDBACK',
      'CUSTOMER_SATISFACTION',
      'ADVICE_REQUESTS',
      'EXPANSION_REQUESTS',
      'REFERRALS',
      'VALUE_DEMONSTRATED',
      'WIN_RATE',
    ]) {
      expect({ code, ...baselineOf(q4.get(code)) }).toEqual({ code, ...baselineOf(q1.get(code)) });
    }
  });

  it('stays null for a KPI without any value, and is the report quarter for one first measured in it', () => {
    // Retention needs the whole prior year in the data (from 2026-Q4 on): null throughout.
    for (const k of [q4, q1])
      expect(k.get('CUSTOMER_RETENTION')).toMatchObject({
        baselineQuarter: null,
        baseline: null,
        delta: null,
      });
    // Market share is first measured in 2026-Q1: none in 2025-Q4, itself in 2026-Q1 ((12.5 + 7.25) ÷ 2).
    expect(baselineOf(q4.get('MARKET_SHARE'))).toEqual({ baselineQuarter: null, baseline: null });
    expect(baselineOf(q1.get('MARKET_SHARE'))).toEqual({ baselineQuarter: '2026-Q1', baseline: 9.88 });
  });

  it('reads the facts only of the quarters a baseline is found in', () => {
    // The trend (2025-Q4, 2026-Q1), the counts and value demonstrated (2025-Q1) and feedback
    // (2025-Q2); not 2025-Q3, nor any quarter for retention (no value possible before 2026-Q4).
    expect(q1Facts).toEqual(['2025-Q1', '2025-Q2', '2025-Q4', '2026-Q1']);
  });

  it('is the same as over a trend window of the whole history (the default, 2025-Q1 … 2026-Q1)', async () => {
    const whole = await computeKpis(db.em(), '2026-Q1');
    expect(whole[0]!.trend.map(t => t.quarter)).toEqual([
      '2025-Q1',
      '2025-Q2',
      '2025-Q3',
      '2025-Q4',
      '2026-Q1',
    ]);
    expect(whole.map(k => ({ code: k.code, ...baselineOf(k) }))).toEqual(
      whole.map(k => ({ code: k.code, ...baselineOf(q1.get(k.code)) })),
    );
  });
});

describe('a configured baseline quarter', () => {
  it('before the first quarter with financial data has no value, not a count of 0', async () => {
    // The fixture's data starts in 2025-Q1; nothing was recorded in 2024-Q4, so a count read there
    // (0) would show all of today's advice requests as improvement.
    const own = await createTestDatabase();
    try {
      const em = own.em();
      await buildFixturePortfolio(em);
      const kpi = await em.findOneOrFail(KpiDefinition, { code: 'ADVICE_REQUESTS' });
      await updateKpiDefinition(
        em,
        { code: 'ADVICE_REQUESTS', expectedVersion: kpi.version, baselineQuarter: '2024-Q4' },
        testActor,
      );
      const advice = (await computeKpis(em, '2026-Q1')).find(k => k.code === 'ADVICE_REQUESTS')!;
      expect({ ...baselineOf(advice), delta: advice.delta, improving: advice.improving }).toEqual({
        baselineQuarter: '2024-Q4',
        baseline: null,
        delta: null,
        improving: null,
      });
      // From the first quarter with data on, the configured quarter's value is the baseline.
      await updateKpiDefinition(
        em,
        {
          code: 'ADVICE_REQUESTS',
          expectedVersion: (await em.fork().findOneOrFail(KpiDefinition, { code: 'ADVICE_REQUESTS' }))
            .version,
          baselineQuarter: '2025-Q1',
        },
        testActor,
      );
      const fromData = (await computeKpis(em, '2026-Q1')).find(k => k.code === 'ADVICE_REQUESTS')!;
      expect(baselineOf(fromData)).toEqual({ baselineQuarter: '2025-Q1', baseline: 0 });
    } finally {
      await own.close();
    }
  });
});
