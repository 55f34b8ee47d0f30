import { addMonths } from '../common/lookup.ts';
import { listed } from '../common/words.ts';
import type { KamSettings } from '../settings/settings.schemas.ts';
import type { AccountFlag, FlagKind } from '../snapshots/snapshot.types.ts';
import { type ContactFacts, type PlanFacts, planExecution, type TeamFacts } from './account-details.ts';

export interface FlagInputs {
  team: TeamFacts[];
  plan: PlanFacts | undefined;
  contacts: ContactFacts[];
  reviewDueOn: string | null;
  provenRecognised: number;
  /** The name of a business unit by its code, for messages ("SERVICES" → "Services & Support"). */
  unitName: (code: string) => string;
}

/**
 * The flags of a key account (domain §6–8), in FLAG_KINDS order:
 * - NO_LEAD_MANAGER / NO_SPONSOR: no team member with that role;
 * - PLAN_REVIEW_OVERDUE: the plan in force (its period covers the day) is in execution
 *   (`planExecution`: APPROVED) and has had no execution review within the cadence (from the last
 *   review, else the later of the plan's start and its approval).
 *   A DRAFT or IN_REVIEW plan cannot take an execution review (`recordExecutionReview` refuses
 *   it), nor can a CLOSED one: they get PLAN_NOT_APPROVED_PAST_START instead;
 * - PLAN_NOT_APPROVED_PAST_START: no plan in execution: none in force, one CLOSED by the day
 *   (closed early; the message says when), or a DRAFT / IN_REVIEW plan whose start has passed (a
 *   draft is to be submitted for sign-off by its units, one in review waits for the units that
 *   have not signed);
 * - PROCUREMENT_ONLY: every engaged contact (last contact within 12 months) is in procurement;
 * - DESIGNATION_REVIEW_OVERDUE: the designation's review date has passed;
 * - VALUE_NOT_RECOGNISED: no proven value the customer recognises.
 */
export function keyAccountFlags(input: FlagInputs, settings: KamSettings, asOf: string): AccountFlag[] {
  const flags: AccountFlag[] = [];
  const add = (kind: FlagKind, message: string) => flags.push({ kind, message });
  const roles = new Set(input.team.map(t => t.role));
  if (!roles.has('KEY_ACCOUNT_MANAGER'))
    add('NO_LEAD_MANAGER', 'No key account manager on the team: appoint a lead.');
  if (!roles.has('SPONSOR')) add('NO_SPONSOR', 'No sponsor on the team: ask a director to back the account.');
  const plan = input.plan;
  const execution = planExecution(plan);
  const cadence = settings.plans.reviewCadenceMonths;
  if (plan && execution.state === 'IN_EXECUTION' && plan.startsOn <= asOf) {
    const due = addMonths(execution.reviewsFrom, cadence);
    if (due < asOf) {
      add(
        'PLAN_REVIEW_OVERDUE',
        `${plan.lastReviewOn ? `The last execution review was on ${plan.lastReviewOn}` : 'No execution review has been recorded yet'}; one was due by ${due}. Record a review.`,
      );
    }
  }
  if (!plan) {
    add(
      'PLAN_NOT_APPROVED_PAST_START',
      `No key account plan in force on ${asOf}: write one and get it signed.`,
    );
  } else if (execution.state === 'CLOSED') {
    // Closed early: its period still covers the day, but it is executed no more.
    add(
      'PLAN_NOT_APPROVED_PAST_START',
      `The ${plan.year} plan ${execution.closedOn ? `was closed on ${execution.closedOn}` : 'in force was closed'}: no key account plan in execution on ${asOf}. Write the next one and get it signed.`,
    );
  } else if (plan.status === 'DRAFT' && plan.startsOn < asOf) {
    // A draft has not been submitted: no unit can sign it yet (signPlan refuses), so it waits
    // for no one. Without a business unit it cannot be submitted (PLAN_HAS_NO_BUSINESS_UNITS).
    const units = plan.missingSignOffs.map(input.unitName);
    add(
      'PLAN_NOT_APPROVED_PAST_START',
      `The ${plan.year} plan started on ${plan.startsOn} and is still a draft: ${units.length ? `submit it for sign-off by ${listed(units)}` : 'add the business units involved, submit it for their sign-off'}, then get it approved.`,
    );
  } else if (plan.status === 'IN_REVIEW' && plan.startsOn < asOf) {
    add(
      'PLAN_NOT_APPROVED_PAST_START',
      `The ${plan.year} plan started on ${plan.startsOn} and is still in review${plan.missingSignOffs.length ? `; waiting for sign-off by ${plan.missingSignOffs.map(input.unitName).join(', ')}` : ''}. Get it approved.`,
    );
  }
  const since = addMonths(asOf, -12);
  const engaged = input.contacts.filter(
    c => c.lastContactOn !== null && c.lastContactOn > since && c.lastContactOn <= asOf,
  );
  if (engaged.length > 0 && engaged.every(c => c.function === 'PROCUREMENT')) {
    add(
      'PROCUREMENT_ONLY',
      'Every engaged contact is in procurement: the conversation is about price. Engage other functions.',
    );
  }
  if (input.reviewDueOn !== null && input.reviewDueOn < asOf) {
    add(
      'DESIGNATION_REVIEW_OVERDUE',
      `The key-account designation was due for review on ${input.reviewDueOn}: review or revoke it.`,
    );
  }
  if (input.provenRecognised === 0) {
    add(
      'VALUE_NOT_RECOGNISED',
      'No proven value that the customer recognises: get recognition for delivered value or design a new initiative.',
    );
  }
  return flags;
}
