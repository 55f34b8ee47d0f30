import { accountHealth, type HealthInputs } from '../analytics/health.ts';
import { DEFAULT_SETTINGS } from '../settings/settings.schemas.ts';

/**
 * The plan freshness component of a key account's health with the default settings, for an
 * APPROVED plan with these dates and nothing else on record (no contacts, value, surveys or
 * revenue).
 */
export function planFreshness(
  plan: { lastReviewOn: string | null; planStartsOn: string; planApprovedOn: string | null },
  asOf: string,
) {
  const input: HealthInputs = {
    relationshipStrength: 50,
    influential: 0,
    covered: 0,
    plan: {
      status: 'APPROVED',
      startsOn: plan.planStartsOn,
      approvedOn: plan.planApprovedOn,
      closedOn: null,
      lastReviewOn: plan.lastReviewOn,
    },
    provenRecognised: 0,
    provenNotRecognised: 0,
    surveySum: 0,
    surveyCount: 0,
    ttmRevenue: 0n,
    ttmGrossProfit: 0n,
    priorRevenue: 0n,
    priorGrossProfit: 0n,
  };
  const component = accountHealth(input, DEFAULT_SETTINGS, asOf).components.find(
    c => c.key === 'planFreshness',
  );
  if (!component) throw new Error('accountHealth gave no planFreshness component');
  return component;
}
