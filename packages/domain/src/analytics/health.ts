import { addMonths, elapsedMonths } from '../common/lookup.ts';
import { counted, signed } from '../common/words.ts';
import type { KamSettings } from '../settings/settings.schemas.ts';
import type { AccountHealth, HealthComponent } from '../snapshots/snapshot.types.ts';
import { type PlanExecutionFacts, planExecution } from './account-details.ts';
import { effectiveWeights, round, roundToTotal } from './rounding.ts';
import { coverageScore } from './selection.ts';

/** What the health of a key account is computed from (all as of the quarter's end). */
export interface HealthInputs {
  /** Relationship strength 0–100 from selection; null when never assessed. */
  relationshipStrength: number | null;
  /** Influence-4+ contacts and how many of them have an active counterpart (`contactCoverage`). */
  influential: number;
  covered: number;
  /**
   * The plan in force, as of the day (`planFacts`), or null: only a plan in execution gives
   * freshness (`planExecution`, the rule of the plan flags too).
   */
  plan: PlanExecutionFacts | null;
  provenRecognised: number;
  provenNotRecognised: number;
  /** Survey scores of the TTM window. */
  surveySum: number;
  surveyCount: number;
  /** TTM and prior TTM revenue and gross profit, in cents. */
  ttmRevenue: bigint;
  ttmGrossProfit: bigint;
  priorRevenue: bigint;
  priorGrossProfit: bigint;
}

const LABELS: Record<HealthComponent['key'], string> = {
  relationshipStrength: 'Relationship strength',
  stakeholderCoverage: 'Stakeholder coverage',
  planFreshness: 'Plan freshness',
  provenValue: 'Proven value',
  satisfaction: 'Customer satisfaction',
  marginTrend: 'Margin trend',
};

/**
 * Account health (domain §6): six components, each with its own 0–100 value, its configured
 * weight and its contribution = value × effective weight ÷ 100, where a component without
 * data drops out and its weight is shared among the others in proportion to their weights
 * (`effectiveWeights`: 1 decimal, adding up to 100.0).
 * - relationship strength: the selection figure;
 * - stakeholder coverage: influence-4+ contacts whose counterpart is an active person ÷
 *   influence-4+ contacts × 100; 0 without influence-4+ contacts (it never drops out: unmapped
 *   decision makers are not covered, so removing an uncovered one cannot raise the score);
 * - plan freshness: 100 while the last review (before the first: the later of the plan's start
 *   and its approval) is within the review cadence, falling linearly to 0 at twice the cadence,
 *   counted in months and the days past the last whole month;
 *   0 without a plan in execution (`planExecution`): none in force, a DRAFT or IN_REVIEW plan (it
 *   takes no execution reviews until it is approved), or one CLOSED by the day;
 * - proven value: 100 with a proven, customer-recognised value, 50 with a proven value not
 *   yet recognised (and not rejected), 0 otherwise;
 * - satisfaction: the mean TTM survey score on 1–5 mapped to 0–100;
 * - margin trend: 50 + 10 × the change of the TTM gross margin in percentage points against
 *   the prior TTM, clamped to 0–100 (±5 points reach the ends).
 * Score = the sum of the contributions, 1 decimal; RED below `redBelow`, GREEN from `greenFrom`.
 * The contributions are computed from the effective weights as shown and shown with 1 decimal
 * that add up to the score (largest remainders): none exceeds its effective weight, and one at
 * 100 adds exactly its effective weight. (From the unrounded weights, a component at 100 of
 * 17.647 could show 17.7 beside a weight of 17.6, and the score one the weights shown cannot reach.)
 */
export function accountHealth(input: HealthInputs, settings: KamSettings, asOf: string): AccountHealth {
  const w = settings.health.weights;
  const cadence = settings.plans.reviewCadenceMonths;
  const raw: { key: HealthComponent['key']; value: number | null; explanation: string }[] = [];

  raw.push({
    key: 'relationshipStrength',
    value: input.relationshipStrength,
    explanation:
      input.relationshipStrength === null
        ? 'No selection assessment yet: assess strategic and attitude compatibility.'
        : `Relationship strength from the latest assessment; raise it through loyalty, information sharing, engagement and stakeholder coverage.`,
  });

  raw.push({
    key: 'stakeholderCoverage',
    value: coverageScore(input),
    explanation:
      input.influential === 0
        ? 'No influential (4+) contacts on the stakeholder map: map the decision makers.'
        : `${input.covered} of ${input.influential} influential contacts have a counterpart; give every influential contact a peer on our side.`,
  });

  const execution = planExecution(input.plan ?? undefined);
  let freshness = 0;
  let freshnessText = 'No plan in force: write and approve the key account plan.';
  if (execution.state === 'NOT_APPROVED') {
    const { startsOn, status } = execution;
    freshnessText = `The plan ${startsOn <= asOf ? 'started' : 'starts'} on ${startsOn} and is not approved yet (still ${status === 'DRAFT' ? 'a draft' : 'in review'}): it takes no execution reviews. Get it approved to start its reviews.`;
  } else if (execution.state === 'CLOSED') {
    freshnessText = `The plan ${execution.closedOn ? `was closed on ${execution.closedOn}` : 'in force was closed'}: no plan in execution. Write the next key account plan and get it approved.`;
  } else if (execution.state === 'IN_EXECUTION') {
    const since = execution.reviewsFrom;
    if (since > asOf) {
      freshness = 100;
      freshnessText = 'The plan has not started yet.';
    } else {
      // In months and days, so that the value leaves 100 on the day after the review fell due,
      // the day the PLAN_REVIEW_OVERDUE flag appears (flags.ts).
      const { months, days, fractional } = elapsedMonths(since, asOf);
      freshness =
        fractional <= cadence
          ? 100
          : fractional >= 2 * cadence
            ? 0
            : ((2 * cadence - fractional) / cadence) * 100;
      const from = input.plan?.lastReviewOn
        ? 'Last execution review'
        : since === input.plan?.startsOn
          ? 'Plan started'
          : 'Plan approved';
      freshnessText = `${from} ${since}, ${counted(months, 'month')}${days ? ` and ${counted(days, 'day')}` : ''} before ${asOf}; reviews are due every ${counted(cadence, 'month')} (next by ${addMonths(since, cadence)}).`;
    }
  }
  raw.push({ key: 'planFreshness', value: freshness, explanation: freshnessText });

  raw.push({
    key: 'provenValue',
    value: input.provenRecognised > 0 ? 100 : input.provenNotRecognised > 0 ? 50 : 0,
    explanation:
      input.provenRecognised > 0
        ? `${counted(input.provenRecognised, 'proven value')} recognised by the customer.`
        : input.provenNotRecognised > 0
          ? 'Proven value delivered but not yet recognised by the customer: get it recognised.'
          : 'No proven value: design and test a value initiative with the customer.',
  });

  raw.push({
    key: 'satisfaction',
    value: input.surveyCount === 0 ? null : ((input.surveySum / input.surveyCount - 1) / 4) * 100,
    explanation:
      input.surveyCount === 0
        ? 'No survey responses in the last four quarters: ask for feedback.'
        : `Mean survey score ${round(input.surveySum / input.surveyCount, 2)} of 5 from ${counted(input.surveyCount, 'response')} in the last four quarters.`,
  });

  let marginValue: number | null = null;
  let marginText = 'Not enough revenue history to see a margin trend.';
  if (input.ttmRevenue > 0n && input.priorRevenue > 0n) {
    const now = (Number(input.ttmGrossProfit) / Number(input.ttmRevenue)) * 100;
    const before = (Number(input.priorGrossProfit) / Number(input.priorRevenue)) * 100;
    const change = now - before;
    marginValue = Math.min(100, Math.max(0, 50 + 10 * change));
    // The change read beside the margins is their difference as shown, as on the KPI cards (30.16
    // against 28.93 reads 30.2 against 28.9, +1.3 points, not the exact change's +1.2).
    const [nowShown, beforeShown] = [round(now, 1), round(before, 1)];
    marginText = `Gross margin ${nowShown} % against ${beforeShown} % a year earlier (${signed(round(nowShown - beforeShown, 1))} points).`;
  }
  raw.push({ key: 'marginTrend', value: marginValue, explanation: marginText });

  const effective = effectiveWeights(raw.map(c => ({ value: c.value, weight: w[c.key] })));
  // From the effective weights as shown: a contribution rounded from the exact weights could
  // read above its weight (17.7 of 17.6), and their score could not be shown within them.
  const contributions = raw.map((c, i) => (c.value === null ? 0 : (c.value * effective[i]!) / 100));
  const total = contributions.reduce((sum, c) => sum + c, 0);
  // Shown beside the score, the contributions add up to it.
  const shown = roundToTotal(contributions, 1);
  const components: HealthComponent[] = raw.map((c, i) => ({
    key: c.key,
    label: LABELS[c.key],
    value: c.value === null ? null : round(c.value, 1),
    weight: w[c.key],
    contribution: shown[i]!,
    explanation: c.explanation,
  }));
  const scoreValue = round(total, 1);
  const status =
    scoreValue < settings.health.redBelow
      ? 'RED'
      : scoreValue >= settings.health.greenFrom
        ? 'GREEN'
        : 'AMBER';
  return { score: scoreValue, status, components };
}
