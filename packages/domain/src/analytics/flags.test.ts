import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/settings.schemas.ts';
import type { PlanFacts } from './account-details.ts';
import { keyAccountFlags } from './flags.ts';

const plan = (over: Partial<PlanFacts>): PlanFacts => ({
  id: 1,
  accountId: 1,
  year: 2026,
  status: 'APPROVED',
  startsOn: '2026-01-01',
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

  it('does not ask for an execution review of a plan that is not approved: it cannot take one', () => {
    // Execution reviews are recorded for an APPROVED plan only (recordExecutionReview refuses a
    // DRAFT or IN_REVIEW one with PLAN_NOT_IN_EXECUTION): what such a plan needs is its approval.
    for (const status of ['DRAFT', 'IN_REVIEW'] as const) {
      expect(kinds(plan({ status }), '2026-06-30')).toEqual(['PLAN_NOT_APPROVED_PAST_START']);
    }
  });
});
