/**
 * Stakeholder coverage in a key account's health (domain §6): an account whose decision makers
 * are not mapped has no coverage to show, which counts as none (0), as in relationship strength;
 * its weight is not shared among the other components, so removing an uncovered decision maker
 * from the stakeholder map cannot raise the score.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/settings.schemas.ts';
import type { PlanExecutionFacts } from './account-details.ts';
import { accountHealth, type HealthInputs } from './health.ts';
import { effectiveWeights } from './rounding.ts';

// Relationship strength 50, no plan (freshness 0), no proven value (0), no surveys and no
// revenue history (satisfaction and margin trend drop out).
const inputs = (influential: number, covered: number): HealthInputs => ({
  relationshipStrength: 50,
  influential,
  covered,
  plan: null,
  provenRecognised: 0,
  provenNotRecognised: 0,
  surveySum: 0,
  surveyCount: 0,
  ttmRevenue: 0n,
  ttmGrossProfit: 0n,
  priorRevenue: 0n,
  priorGrossProfit: 0n,
});

const coverageOf = (h: ReturnType<typeof accountHealth>) =>
  h.components.find(c => c.key === 'stakeholderCoverage')!;

describe('stakeholder coverage in health', () => {
  it('counts an uncovered influential contact as coverage 0', () => {
    // Present weights: relationship 20 + coverage 20 + freshness 15 + proven 15 = 70.
    // Relationship 50 × 20/70 = 14.2857…; coverage 0 of 1 → 0; freshness 0; proven 0.
    // Score 14.2857… → 14.3, RED (< 40).
    const h = accountHealth(inputs(1, 0), DEFAULT_SETTINGS, '2026-09-30');
    expect(coverageOf(h)).toMatchObject({
      value: 0,
      contribution: 0,
      explanation:
        '0 of 1 influential contacts have a counterpart; give every influential contact a peer on our side.',
    });
    expect([h.score, h.status]).toEqual([14.3, 'RED']);
  });

  it('counts no influential contacts as coverage 0 too: the score does not rise when they are removed', () => {
    // The same as above with the contact's influence lowered to 3: coverage is still 0 and keeps
    // its weight (present weights still 70), so the score stays 50 × 20/70 = 14.3. (Had coverage
    // dropped out, its weight would be shared: 50 × 20/50 = 20.)
    const h = accountHealth(inputs(0, 0), DEFAULT_SETTINGS, '2026-09-30');
    expect(coverageOf(h)).toMatchObject({
      value: 0,
      weight: 20,
      contribution: 0,
      explanation: 'No influential (4+) contacts on the stakeholder map: map the decision makers.',
    });
    expect([h.score, h.status]).toEqual([14.3, 'RED']);
    expect(h.components.find(c => c.key === 'relationshipStrength')!.contribution).toBe(14.3);
  });
});

// A01 of the analytics fixture with its plan approved: relationship 75; 1 of 2 influential contacts
// covered (50); a plan approved 2025-12-15 and started 2026-01-01, 2 months and 30 days before
// 2026-03-31 with a cadence of 3 (100); a recognised proven value (100); surveys 5 and 4 (4.5 →
// 87.5); no revenue history (no margin trend).
const a01: HealthInputs = {
  relationshipStrength: 75,
  influential: 2,
  covered: 1,
  plan: {
    status: 'APPROVED',
    startsOn: '2026-01-01',
    approvedOn: '2025-12-15',
    closedOn: null,
    lastReviewOn: null,
  },
  provenRecognised: 1,
  provenNotRecognised: 0,
  surveySum: 9,
  surveyCount: 2,
  ttmRevenue: 0n,
  ttmGrossProfit: 0n,
  priorRevenue: 0n,
  priorGrossProfit: 0n,
};

describe('effective weights and contributions as shown', () => {
  it('rounds the effective weights to add up to 100.0, and no contribution exceeds its weight', () => {
    // Present weights 20 + 20 + 15 + 15 + 15 = 85: 23.529, 23.529, 17.647, 17.647, 17.647. Rounded
    // alone 23.5 + 23.5 + 17.6 + 17.6 + 17.6 = 99.8; by largest remainders the two tenths left go to
    // the 17.647s (remainder .47 against .29), the earlier first: 23.5, 23.5, 17.7, 17.7, 17.6 = 100.0.
    const h = accountHealth(a01, DEFAULT_SETTINGS, '2026-03-31');
    const effective = effectiveWeights(h.components);
    expect(effective).toEqual([23.5, 23.5, 17.7, 17.7, 17.6, 0]);
    // Contributions from those weights: 75 × 23.5 % = 17.625; 50 × 23.5 % = 11.75; 100 × 17.7 % = 17.7
    // twice; 87.5 × 17.6 % = 15.4. Score 80.175 → 80.2. Rounded down 17.6 + 11.7 + 17.7 + 17.7 + 15.4
    // = 80.1; the tenth left goes to the largest remainder, 11.75's. The components at 100 contribute
    // exactly their effective weight (not 17.7 against 17.6, as with the unrounded weights).
    expect(h.components.map(c => [c.key, c.value, c.contribution])).toEqual([
      ['relationshipStrength', 75, 17.6],
      ['stakeholderCoverage', 50, 11.8],
      ['planFreshness', 100, 17.7],
      ['provenValue', 100, 17.7],
      ['satisfaction', 87.5, 15.4],
      ['marginTrend', null, 0],
    ]);
    expect([h.score, h.status]).toEqual([80.2, 'GREEN']);
  });

  it('keeps the shown figures consistent whichever components have data', () => {
    const cases: Partial<HealthInputs>[] = [];
    for (const relationshipStrength of [null, 0, 33.3, 68.8, 100])
      for (const [influential, covered] of [
        [0, 0],
        [3, 1],
        [3, 3],
      ] as const)
        for (const provenRecognised of [0, 1])
          for (const [surveySum, surveyCount] of [
            [0, 0],
            [14, 3],
            [10, 2],
          ] as const)
            for (const [ttmGrossProfit, priorRevenue] of [
              [0n, 0n],
              [3016n, 10000n],
              [9000n, 10000n],
            ] as const)
              cases.push({
                relationshipStrength,
                influential,
                covered,
                provenRecognised,
                surveySum,
                surveyCount,
                ttmRevenue: 10000n,
                ttmGrossProfit,
                priorRevenue,
                priorGrossProfit: 2893n,
              });
    expect(cases).toHaveLength(270);
    for (const c of cases) {
      const h = accountHealth({ ...a01, ...c }, DEFAULT_SETTINGS, '2026-03-31');
      const effective = effectiveWeights(h.components);
      const tenths = (values: number[]) => Math.round(values.reduce((sum, v) => sum + v * 10, 0));
      expect(tenths(effective)).toBe(1000);
      expect(tenths(h.components.map(x => x.contribution))).toBe(Math.round(h.score * 10));
      h.components.forEach((component, i) => {
        expect(component.contribution).toBeLessThanOrEqual(effective[i]!);
        if (component.value === 100) expect(component.contribution).toBe(effective[i]);
        if (component.value === null) expect(effective[i]).toBe(0);
      });
    }
  });
});

describe('margin trend', () => {
  const margins = (now: bigint, before: bigint) =>
    accountHealth(
      {
        ...a01,
        ttmRevenue: 10000n,
        ttmGrossProfit: now,
        priorRevenue: 10000n,
        priorGrossProfit: before,
      },
      DEFAULT_SETTINGS,
      '2026-03-31',
    ).components.find(c => c.key === 'marginTrend')!;

  it('gives the change in points as the difference of the margins it shows', () => {
    // 30.16 % against 28.93 %, shown as 30.2 and 28.9: 30.2 − 28.9 = +1.3 points (the exact
    // change, 1.23, read +1.2 beside them). The value keeps the exact change: 50 + 10 × 1.23 = 62.3.
    expect(margins(3016n, 2893n)).toMatchObject({
      value: 62.3,
      explanation: 'Gross margin 30.2 % against 28.9 % a year earlier (+1.3 points).',
    });
    // The other way round: 28.9 − 30.2 = −1.3; 50 − 12.3 = 37.7.
    expect(margins(2893n, 3016n)).toMatchObject({
      value: 37.7,
      explanation: 'Gross margin 28.9 % against 30.2 % a year earlier (−1.3 points).',
    });
  });
});

describe('plan freshness counts only a plan in execution', () => {
  // Only an APPROVED plan takes execution reviews (recordExecutionReview refuses any other), so
  // only an approved plan's review cadence runs (`planExecution`, as for the plan flags).
  const freshness = (plan: Partial<PlanExecutionFacts>, asOf: string) =>
    accountHealth(
      { ...a01, plan: { ...a01.plan!, approvedOn: null, lastReviewOn: null, ...plan } },
      DEFAULT_SETTINGS,
      asOf,
    ).components.find(c => c.key === 'planFreshness')!;

  it('gives a draft or a plan in review 0, and says to get it approved', () => {
    // Started 2026-01-01, 2 months and 30 days before 2026-03-31: approved, that is within the
    // cadence of 3 months (100); not approved, no review is due and none can be taken: 0.
    expect(freshness({ status: 'APPROVED', approvedOn: '2025-12-15' }, '2026-03-31').value).toBe(100);
    expect(freshness({ status: 'DRAFT' }, '2026-03-31')).toMatchObject({
      value: 0,
      contribution: 0,
      explanation:
        'The plan started on 2026-01-01 and is not approved yet (still a draft): it takes no execution reviews. Get it approved to start its reviews.',
    });
    expect(freshness({ status: 'IN_REVIEW' }, '2026-06-30')).toMatchObject({
      value: 0,
      explanation:
        'The plan started on 2026-01-01 and is not approved yet (still in review): it takes no execution reviews. Get it approved to start its reviews.',
    });
  });

  it('gives a plan closed by the day 0, and says when it was closed', () => {
    // Reviewed on 2026-05-01 and closed on 2026-05-15: on 2026-06-30 the review is within the
    // cadence, but a closed plan is executed no more (it read 100, "next by 2026-08-01").
    const closed = {
      status: 'CLOSED',
      approvedOn: '2025-12-15',
      lastReviewOn: '2026-05-01',
    } as const;
    expect(freshness({ ...closed, closedOn: '2026-05-15' }, '2026-06-30')).toMatchObject({
      value: 0,
      explanation:
        'The plan was closed on 2026-05-15: no plan in execution. Write the next key account plan and get it approved.',
    });
    expect(freshness({ ...closed, closedOn: null }, '2026-06-30')).toMatchObject({
      value: 0,
      explanation:
        'The plan in force was closed: no plan in execution. Write the next key account plan and get it approved.',
    });
  });
});
