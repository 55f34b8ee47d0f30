import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/settings.schemas.ts';
import { planFreshness } from '../testing/health.ts';
import type { PlanFacts } from './account-details.ts';
import { keyAccountFlags } from './flags.ts';

const plan = (over: Partial<PlanFacts>): PlanFacts => ({
  id: 1,
  accountId: 1,
  year: 2026,
  status: 'APPROVED',
  startsOn: '2026-01-01',
  approvedOn: '2025-12-15',
  revenueTarget: null,
  marginTargetPercent: null,
  inYearTarget: null,
  lastReviewOn: null,
  lastReviewAssessment: null,
  openActions: 0,
  doneActions: 0,
  overdueActions: 0,
  missingSignOffs: [],
  ...over,
});

const kinds = (p: PlanFacts, asOf: string) =>
  keyAccountFlags(
    {
      team: [
        { accountId: 1, personName: 'Lena Lead', role: 'KEY_ACCOUNT_MANAGER', geography: null },
        { accountId: 1, personName: 'Sam Sponsor', role: 'SPONSOR', geography: null },
      ],
      plan: p,
      contacts: [],
      reviewDueOn: '2027-01-01',
      provenRecognised: 1,
      unitName: code => code,
    },
    DEFAULT_SETTINGS,
    asOf,
  ).map(f => f.kind);

describe('PLAN_REVIEW_OVERDUE', () => {
  it('flags an approved plan without an execution review within the cadence', () => {
    // Started 2026-01-01, cadence 3 months → a review was due by 2026-04-01 < 2026-06-30.
    expect(kinds(plan({}), '2026-06-30')).toEqual(['PLAN_REVIEW_OVERDUE']);
    expect(kinds(plan({ lastReviewOn: '2026-05-10' }), '2026-06-30')).toEqual([]);
  });

  it('counts the cadence from the approval when the plan was approved after its start', () => {
    // Started 2026-01-01 but approved only on 2026-04-20: it could take no review before then,
    // so the first is due by 2026-07-20, not 2026-04-01.
    expect(kinds(plan({ approvedOn: '2026-04-20' }), '2026-06-30')).toEqual([]);
    expect(kinds(plan({ approvedOn: '2026-04-20' }), '2026-09-30')).toEqual(['PLAN_REVIEW_OVERDUE']);
    // Approved on 2026-02-01: due by 2026-05-01, overdue at the end of June.
    expect(kinds(plan({ approvedOn: '2026-02-01' }), '2026-06-30')).toEqual(['PLAN_REVIEW_OVERDUE']);
  });

  it('gives health the same reference: a plan approved late is fresh until the cadence has run', () => {
    const freshness = (approvedOn: string | null) =>
      planFreshness(
        { lastReviewOn: null, planStartsOn: '2026-01-01', planApprovedOn: approvedOn },
        '2026-06-30',
      );
    expect(freshness('2026-04-20')).toMatchObject({
      value: 100,
      explanation:
        'Plan approved 2026-04-20, 2 months and 10 days before 2026-06-30; reviews are due every 3 months (next by 2026-07-20).',
    });
    // Not yet approved (a draft past its start) or approved before its start: from the start.
    for (const approvedOn of [null, '2025-12-15']) {
      // 5 months and 29 days (of the 30 to 2026-07-01, twice the cadence): (6 − 5.967) ÷ 3 → 1.1.
      expect(freshness(approvedOn)).toMatchObject({
        value: 1.1,
        explanation:
          'Plan started 2026-01-01, 5 months and 29 days before 2026-06-30; reviews are due every 3 months (next by 2026-04-01).',
      });
    }
  });

  it('lowers plan freshness from the day the review is overdue, not from the next whole month', () => {
    // Approved 2026-03-20, cadence 3: due by 2026-06-20. On 2026-06-30 the flag is up, and
    // freshness counts 3 months and 10 days (10 of the 30 days to 2026-07-20): 88.9, not 100.
    expect(kinds(plan({ approvedOn: '2026-03-20' }), '2026-06-30')).toEqual(['PLAN_REVIEW_OVERDUE']);
    const dates = { lastReviewOn: null, planStartsOn: '2026-01-01', planApprovedOn: '2026-03-20' };
    expect(planFreshness(dates, '2026-06-30')).toMatchObject({
      value: 88.9,
      explanation:
        'Plan approved 2026-03-20, 3 months and 10 days before 2026-06-30; reviews are due every 3 months (next by 2026-06-20).',
    });
    // On the due date itself: not overdue, still 100; the day after, both change.
    expect(kinds(plan({ approvedOn: '2026-03-20' }), '2026-06-20')).toEqual([]);
    expect(planFreshness(dates, '2026-06-20').value).toBe(100);
    expect(kinds(plan({ approvedOn: '2026-03-20' }), '2026-06-21')).toEqual(['PLAN_REVIEW_OVERDUE']);
    expect(planFreshness(dates, '2026-06-21').value).toBeLessThan(100);
    // Twice the cadence (2026-09-20) and later: 0.
    expect(planFreshness(dates, '2026-09-20').value).toBe(0);
  });

  it('does not ask for an execution review of a plan that is not approved: it cannot take one', () => {
    // Execution reviews are recorded for an APPROVED plan only (recordExecutionReview refuses a
    // DRAFT or IN_REVIEW one with PLAN_NOT_IN_EXECUTION): what such a plan needs is its approval.
    for (const status of ['DRAFT', 'IN_REVIEW'] as const) {
      expect(kinds(plan({ status }), '2026-06-30')).toEqual(['PLAN_NOT_APPROVED_PAST_START']);
    }
  });
});

describe('PLAN_NOT_APPROVED_PAST_START', () => {
  const names: Record<string, string> = {
    BENELUX: 'Benelux',
    DIGITAL: 'Digital Solutions',
    SERVICES: 'Services & Support',
  };
  const message = (p: PlanFacts) =>
    keyAccountFlags(
      {
        team: [
          { accountId: 1, personName: 'Lena Lead', role: 'KEY_ACCOUNT_MANAGER', geography: null },
          { accountId: 1, personName: 'Sam Sponsor', role: 'SPONSOR', geography: null },
        ],
        plan: p,
        contacts: [],
        reviewDueOn: '2027-01-01',
        provenRecognised: 1,
        unitName: code => names[code] ?? code,
      },
      DEFAULT_SETTINGS,
      '2026-06-30',
    ).find(f => f.kind === 'PLAN_NOT_APPROVED_PAST_START')?.message;

  it('asks for a draft to be submitted for sign-off: no unit can sign it yet', () => {
    const missingSignOffs = ['BENELUX', 'DIGITAL', 'SERVICES'];
    expect(message(plan({ status: 'DRAFT', approvedOn: null, missingSignOffs }))).toBe(
      'The 2026 plan started on 2026-01-01 and is still a draft: submit it for sign-off by Benelux, Digital Solutions and Services & Support, then get it approved.',
    );
    // A draft that involves no business unit cannot be submitted (PLAN_HAS_NO_BUSINESS_UNITS).
    expect(message(plan({ status: 'DRAFT', approvedOn: null }))).toBe(
      'The 2026 plan started on 2026-01-01 and is still a draft: add the business units involved, submit it for their sign-off, then get it approved.',
    );
  });

  it('waits for the missing sign-offs of a plan in review', () => {
    expect(
      message(plan({ status: 'IN_REVIEW', approvedOn: null, missingSignOffs: ['BENELUX', 'DIGITAL'] })),
    ).toBe(
      'The 2026 plan started on 2026-01-01 and is still in review; waiting for sign-off by Benelux, Digital Solutions. Get it approved.',
    );
  });
});
