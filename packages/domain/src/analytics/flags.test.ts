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
  closedOn: null,
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

/** The flags of a key account with a lead, a sponsor and this plan, as of `asOf`. */
const flagsOf = (p: PlanFacts, asOf: string, unitName: (code: string) => string = code => code) =>
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
      unitName,
    },
    DEFAULT_SETTINGS,
    asOf,
  );

const kinds = (p: PlanFacts, asOf: string) => flagsOf(p, asOf).map(f => f.kind);

/** The PLAN_NOT_APPROVED_PAST_START message of a key account with this plan on 2026-06-30, if raised. */
const notApprovedMessage = (p: PlanFacts, unitName?: (code: string) => string) =>
  flagsOf(p, '2026-06-30', unitName).find(f => f.kind === 'PLAN_NOT_APPROVED_PAST_START')?.message;

describe('PLAN_REVIEW_OVERDUE', () => {
  it('flags an approved plan without an execution review within the cadence', () => {
    // Started 2026-01-01, cadence 3 months → a review was due by 2026-04-01 < 2026-06-30.
    expect(kinds(plan({}), '2026-06-30')).toEqual(['PLAN_REVIEW_OVERDUE']);
    expect(kinds(plan({ lastReviewOn: '2026-05-10' }), '2026-06-30')).toEqual([]);
  });

  it('says whether a review was ever recorded', () => {
    const message = (p: PlanFacts) =>
      flagsOf(p, '2026-09-30').find(f => f.kind === 'PLAN_REVIEW_OVERDUE')?.message;
    expect(message(plan({}))).toBe(
      'No execution review has been recorded yet; one was due by 2026-04-01. Record a review.',
    );
    expect(message(plan({ lastReviewOn: '2026-03-15' }))).toBe(
      'The last execution review was on 2026-03-15; one was due by 2026-06-15. Record a review.',
    );
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
    // An approved plan whose approval day is not known, or approved before its start: from the start.
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

describe('a plan in force that was closed', () => {
  it('is no plan in execution: no review is overdue, and the plan flag says when it was closed', () => {
    // The 2026 plan (approved 2025-12-15, started 2026-01-01) was closed early on 2026-05-15: on
    // 2026-06-30 it takes no reviews (closePlan ends its execution), so PLAN_REVIEW_OVERDUE would
    // ask for one it cannot take. As without a plan in force, PLAN_NOT_APPROVED_PAST_START.
    const closed = plan({ status: 'CLOSED', closedOn: '2026-05-15' });
    const flags = keyAccountFlags(
      {
        team: [
          { accountId: 1, personName: 'Lena Lead', role: 'KEY_ACCOUNT_MANAGER', geography: null },
          { accountId: 1, personName: 'Sam Sponsor', role: 'SPONSOR', geography: null },
        ],
        plan: closed,
        contacts: [],
        reviewDueOn: '2027-01-01',
        provenRecognised: 1,
        unitName: code => code,
      },
      DEFAULT_SETTINGS,
      '2026-06-30',
    );
    expect(flags).toEqual([
      {
        kind: 'PLAN_NOT_APPROVED_PAST_START',
        message:
          'The 2026 plan was closed on 2026-05-15: no key account plan in execution on 2026-06-30. Write the next one and get it signed.',
      },
    ]);
    // Without a closing day on record, the same flag without the day.
    expect(notApprovedMessage(plan({ status: 'CLOSED', closedOn: null }))).toBe(
      'The 2026 plan in force was closed: no key account plan in execution on 2026-06-30. Write the next one and get it signed.',
    );
  });
});

describe('PLAN_NOT_APPROVED_PAST_START', () => {
  const names: Record<string, string> = {
    BENELUX: 'Benelux',
    DIGITAL: 'Digital Solutions',
    SERVICES: 'Services & Support',
  };
  const message = (p: PlanFacts) => notApprovedMessage(p, code => names[code] ?? code);

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
