import type { EntityManager } from '@mikro-orm/core';
import type { Quarter } from '../common/quarter.ts';
import type {
  ContactFunction,
  ContactStance,
  DesignPhase,
  InitiativeOutcome,
  PlanStatus,
  ReviewAssessment,
  TeamRole,
  ValueCategory,
  ValueTier,
} from '../common/vocabulary.ts';
import { categoryAsOf, copiedAsOf } from './initiative-as-of.ts';
import type { Period } from './period.ts';
import { plansAsOfSql } from './plan-as-of.ts';
import { bool, byteOrder, cents, centsOrNull, dialect, int, query, sqlTrue, sumCents, text } from './sql.ts';

/**
 * The per-account detail that a snapshot freezes besides the account base: quarterly
 * figures, tiers, the plan, initiatives, team, stakeholders, surveys and signals. Each is
 * one set-based query over all accounts, grouped by account id in memory.
 */

export interface QuarterCents {
  quarter: string;
  revenue: bigint;
  grossProfit: bigint;
  costToServe: bigint;
}

export interface TierRow {
  quarter: string;
  tier: ValueTier;
  evidence: string;
}

export interface PlanFacts {
  id: number;
  accountId: number;
  year: number;
  status: PlanStatus;
  startsOn: string;
  /** The day it was approved, if it was by the quarter's end (APPROVED or CLOSED then). */
  approvedOn: string | null;
  /** The day it was closed, if it was CLOSED by the quarter's end (and the day is on record). */
  closedOn: string | null;
  revenueTarget: bigint | null;
  marginTargetPercent: string | null;
  inYearTarget: bigint | null;
  lastReviewOn: string | null;
  lastReviewAssessment: ReviewAssessment | null;
  openActions: number;
  doneActions: number;
  overdueActions: number;
  missingSignOffs: string[];
}

/**
 * The day the review cadence of a plan in execution runs from: its last execution review; before
 * the first one, its approval if that came after its start (a plan takes execution reviews only
 * once approved), else its start (also for an approved plan whose approval day is not on record).
 * Only for an APPROVED plan: see `planExecution`.
 */
export function reviewCadenceFrom(plan: {
  lastReviewOn: string | null;
  startsOn: string;
  approvedOn: string | null;
}): string {
  if (plan.lastReviewOn) return plan.lastReviewOn;
  return plan.approvedOn && plan.approvedOn > plan.startsOn ? plan.approvedOn : plan.startsOn;
}

/** What says whether the plan in force is in execution: its status and dates as of the day read. */
export type PlanExecutionFacts = Pick<
  PlanFacts,
  'status' | 'startsOn' | 'approvedOn' | 'closedOn' | 'lastReviewOn'
>;

/** Where the plan in force on a day stands in its execution (`planExecution`). */
export type PlanExecution =
  /** No plan in force. */
  | { state: 'NO_PLAN' }
  /** A DRAFT or IN_REVIEW plan: it takes no execution reviews until it is approved. */
  | { state: 'NOT_APPROVED'; status: 'DRAFT' | 'IN_REVIEW'; startsOn: string }
  /** Closed by the day (early, or at its end): it takes no reviews any more. */
  | { state: 'CLOSED'; closedOn: string | null }
  /** APPROVED: its review cadence runs from `reviewsFrom` (`reviewCadenceFrom`). */
  | { state: 'IN_EXECUTION'; reviewsFrom: string };

/**
 * Whether the plan in force on a day (`planFacts`: its status as of that day) is in execution
 * (domain §7): only an APPROVED plan takes execution reviews (`recordExecutionReview` refuses any
 * other; `closePlan` ends the execution), so only its review cadence runs. The one rule read by
 * the plan flags (`keyAccountFlags`) and by plan freshness in health (`accountHealth`).
 */
export function planExecution(plan: PlanExecutionFacts | undefined): PlanExecution {
  if (!plan) return { state: 'NO_PLAN' };
  switch (plan.status) {
    case 'DRAFT':
    case 'IN_REVIEW':
      return { state: 'NOT_APPROVED', status: plan.status, startsOn: plan.startsOn };
    case 'CLOSED':
      return { state: 'CLOSED', closedOn: plan.closedOn };
    case 'APPROVED':
      return { state: 'IN_EXECUTION', reviewsFrom: reviewCadenceFrom(plan) };
  }
}

export interface InitiativeFacts {
  id: number;
  accountId: number;
  name: string;
  /** As of the day read: EXPECTED once copied, the category before the copy until then. */
  category: ValueCategory;
  phase: DesignPhase;
  outcome: InitiativeOutcome | null;
  customerGain: bigint | null;
  supplierGain: bigint | null;
  customerRecognised: boolean;
  recognisedOn: string | null;
  /** Copied by a competitor on or before the day read: it earns no premium. */
  copied: boolean;
}

export interface ContactFacts {
  accountId: number;
  name: string;
  function: ContactFunction;
  influence: number;
  stance: ContactStance;
  /** The counterpart while they are an active person; null without one or once they have left. */
  counterpartName: string | null;
  lastContactOn: string | null;
}

export interface SignalCounts {
  feedbackPositive: number;
  feedbackTotal: number;
  adviceRequests: number;
  expansionRequests: number;
  referrals: number;
}

function groupBy<T extends { accountId: number }>(rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const list = out.get(r.accountId);
    if (list) list.push(r);
    else out.set(r.accountId, [r]);
  }
  return out;
}

/** Revenue, gross profit and cost-to-serve per account and quarter, for the given quarters. */
export async function quarterlyFigures(
  em: EntityManager,
  from: Quarter,
  to: Quarter,
): Promise<Map<number, QuarterCents[]>> {
  const d = dialect(em);
  const rows = await query<Record<string, unknown>>(
    em,
    `select account_id, quarter, ${sumCents(d, 'revenue')} as rev, ${sumCents(d, 'gross_profit')} as gp,
       ${sumCents(d, 'cost_to_serve')} as cts
     from quarterly_financial where quarter >= ? and quarter <= ? group by account_id, quarter`,
    [from, to],
  );
  return groupBy(
    rows.map(r => ({
      accountId: int(r.account_id),
      quarter: String(r.quarter),
      revenue: cents(r.rev),
      grossProfit: cents(r.gp),
      costToServe: cents(r.cts),
    })),
  );
}

/**
 * The revenue booked per account in its plan year up to the period's quarter: from the quarter
 * in which the account's plan in force on `asOf` starts (`plan-as-of.ts`: the one whose period
 * covers that day, whatever its year) to the period's quarter, both included. For a calendar-year
 * plan that is Q1 of the quarter's year; for a plan of 2024-04-01 to 2025-03-31 in 2025-Q1 it is
 * 2024-Q2 to 2025-Q1. Nothing before the plan's start quarter counts. Only accounts with a plan
 * in force have a figure (others have none, not zero). One statement over every account.
 */
export async function revenueYearToDate(em: EntityManager, p: Period): Promise<Map<number, bigint>> {
  const asOf = plansAsOfSql(p.asOf);
  // Revenue is booked by quarter, so a plan that starts within a quarter (e.g. on 2024-05-15)
  // counts that whole quarter (2024-Q2): the quarter its start date falls in, written YYYY-Qn
  // like `quarterly_financial.quarter` so that the two compare as text.
  const startsOn = 'cast(ap.starts_on as text)';
  const startQuarter = `substr(${startsOn}, 1, 4) || case
      when substr(${startsOn}, 6, 2) <= '03' then '-Q1'
      when substr(${startsOn}, 6, 2) <= '06' then '-Q2'
      when substr(${startsOn}, 6, 2) <= '09' then '-Q3'
      else '-Q4' end`;
  const rows = await query<Record<string, unknown>>(
    em,
    `select qf.account_id, ${sumCents(dialect(em), 'qf.revenue')} as rev
     from (${asOf.sql}) pa
     join account_plan ap on ap.id = pa.plan_id
     join quarterly_financial qf on qf.account_id = pa.account_id
       and qf.quarter >= ${startQuarter} and qf.quarter <= ?
     group by qf.account_id`,
    [...asOf.params, p.quarter],
  );
  return new Map(rows.map(r => [int(r.account_id), cents(r.rev)]));
}

/** The tier assessments per account in a range of quarters. */
export async function tierAssessments(
  em: EntityManager,
  from: Quarter,
  to: Quarter,
): Promise<Map<number, TierRow[]>> {
  const rows = await query<Record<string, unknown>>(
    em,
    'select account_id, quarter, tier, evidence from tier_assessment where quarter >= ? and quarter <= ?',
    [from, to],
  );
  return groupBy(
    rows.map(r => ({
      accountId: int(r.account_id),
      quarter: String(r.quarter),
      tier: r.tier as ValueTier,
      evidence: String(r.evidence),
    })),
  );
}

/** Every designation interval (they are few: key accounts only), per account. */
export async function designationIntervals(
  em: EntityManager,
): Promise<Map<number, { designatedOn: string; revokedOn: string | null }[]>> {
  const rows = await query<Record<string, unknown>>(
    em,
    'select account_id, cast(designated_on as text) as d, cast(revoked_on as text) as r from key_account_designation',
  );
  return groupBy(
    rows.map(r => ({ accountId: int(r.account_id), designatedOn: String(r.d), revokedOn: text(r.r) })),
  );
}

export function isKeyAt(
  intervals: { designatedOn: string; revokedOn: string | null }[] | undefined,
  date: string,
): boolean {
  return !!intervals?.some(i => i.designatedOn <= date && (i.revokedOn === null || i.revokedOn > date));
}

/**
 * The plan in force on the quarter's last day per account (the one whose period covers it:
 * `plan-as-of.ts`), as it stood that day: its status and the version then under review from the
 * plan's status history (a plan created after that day is left out, one without history reads as
 * it is now), its last review by then, actions (an action done after the quarter's end counts as
 * open) and the involved units that had not signed that version by then.
 */
export async function planFacts(em: EntityManager, p: Period): Promise<Map<number, PlanFacts>> {
  const asOf = plansAsOfSql(p.asOf);
  const plans = await query<Record<string, unknown>>(
    em,
    `select p.id, p.account_id, p.year, pa.status, cast(p.starts_on as text) as starts_on,
       case when pa.status in ('APPROVED', 'CLOSED') then cast(p.approved_on as text) end as approved_on,
       case when pa.status = 'CLOSED' and p.closed_on <= ? then cast(p.closed_on as text) end as closed_on,
       p.revenue_target,
       cast(p.margin_target_percent as text) as margin_target, p.in_year_target
     from account_plan p join (${asOf.sql}) pa on pa.plan_id = p.id`,
    [p.asOf, ...asOf.params],
  );
  const reviews = await query<Record<string, unknown>>(
    em,
    `select plan_id, reviewed_on, assessment from (
       select r.plan_id, cast(r.reviewed_on as text) as reviewed_on, r.assessment,
         row_number() over (partition by r.plan_id order by r.reviewed_on desc, r.id desc) as rn
       from execution_review r join (${asOf.sql}) pa on pa.plan_id = r.plan_id
       where r.reviewed_on <= ?
     ) x where rn = 1`,
    [...asOf.params, p.asOf],
  );
  // An action done after the quarter's end was still open on its last day (and overdue if due by then).
  const open = `(a.status in ('OPEN', 'IN_PROGRESS') or (a.status = 'DONE' and a.completed_on > ?))`;
  const actions = await query<Record<string, unknown>>(
    em,
    `select a.plan_id,
       sum(case when ${open} then 1 else 0 end) as open_actions,
       sum(case when a.status = 'DONE' and (a.completed_on is null or a.completed_on <= ?) then 1 else 0 end) as done_actions,
       sum(case when ${open} and a.due_on < ? then 1 else 0 end) as overdue_actions
     from plan_action a join (${asOf.sql}) pa on pa.plan_id = a.plan_id group by a.plan_id`,
    [p.asOf, p.asOf, p.asOf, p.asOf, ...asOf.params],
  );
  // The version under review on the day, and only the signatures given by then. (The units
  // involved keep no history: they change only while a plan is a draft, and are read as they are.)
  const missing = await query<Record<string, unknown>>(
    em,
    `select pu.plan_id, bu.code from plan_unit pu
     join (${asOf.sql}) pa on pa.plan_id = pu.plan_id
     join business_unit bu on bu.id = pu.business_unit_id
     where not exists (
       select 1 from plan_sign_off so where so.plan_id = pu.plan_id and so.business_unit_id = pu.business_unit_id
         and so.plan_version_number = pa.version_number and pa.version_number > 0 and so.signed_on <= ?)
     order by pu.plan_id, ${byteOrder(dialect(em), 'bu.code')}`,
    [...asOf.params, p.asOf],
  );
  const reviewBy = new Map(reviews.map(r => [int(r.plan_id), r]));
  const actionBy = new Map(actions.map(r => [int(r.plan_id), r]));
  const missingBy = new Map<number, string[]>();
  for (const m of missing) {
    const list = missingBy.get(int(m.plan_id)) ?? [];
    list.push(String(m.code));
    missingBy.set(int(m.plan_id), list);
  }
  const out = new Map<number, PlanFacts>();
  for (const r of plans) {
    const id = int(r.id);
    const review = reviewBy.get(id);
    const action = actionBy.get(id);
    out.set(int(r.account_id), {
      id,
      accountId: int(r.account_id),
      year: int(r.year),
      status: r.status as PlanStatus,
      startsOn: String(r.starts_on),
      approvedOn: r.approved_on == null ? null : String(r.approved_on),
      closedOn: text(r.closed_on),
      revenueTarget: centsOrNull(r.revenue_target),
      marginTargetPercent: r.margin_target == null ? null : Number(r.margin_target).toFixed(2),
      inYearTarget: centsOrNull(r.in_year_target),
      lastReviewOn: review ? String(review.reviewed_on) : null,
      lastReviewAssessment: review ? (review.assessment as ReviewAssessment) : null,
      openActions: int(action?.open_actions),
      doneActions: int(action?.done_actions),
      overdueActions: int(action?.overdue_actions),
      missingSignOffs: missingBy.get(id) ?? [],
    });
  }
  return out;
}

/**
 * Value initiatives started on or before the quarter's end, per account, by id, as they stood
 * that day: an outcome recorded later (ended after `asOf`) reads as none yet, a recognition
 * recorded later as not recognised, a copy by a competitor dated later as not copied (with the
 * category it had before the copy). (Phase keeps no history: it is current.)
 */
export async function initiativeFacts(
  em: EntityManager,
  asOf: string,
): Promise<Map<number, InitiativeFacts[]>> {
  const rows = await query<Record<string, unknown>>(
    em,
    `select id, account_id, name, ${categoryAsOf()} as category, phase,
       case when ended_on > ? then null else outcome end as outcome,
       customer_gain, supplier_gain,
       case when customer_recognised = ${sqlTrue(dialect(em))} and (recognised_on is null or recognised_on <= ?)
         then 1 else 0 end as customer_recognised,
       case when recognised_on <= ? then cast(recognised_on as text) end as recognised_on,
       ${copiedAsOf(dialect(em))} as copied
     from value_initiative where started_on <= ? order by id`,
    [asOf, asOf, asOf, asOf, asOf, asOf],
  );
  return groupBy(
    rows.map(r => ({
      id: int(r.id),
      accountId: int(r.account_id),
      name: String(r.name),
      category: r.category as ValueCategory,
      phase: r.phase as DesignPhase,
      outcome: (r.outcome ?? null) as InitiativeOutcome | null,
      customerGain: centsOrNull(r.customer_gain),
      supplierGain: centsOrNull(r.supplier_gain),
      customerRecognised: bool(r.customer_recognised),
      recognisedOn: text(r.recognised_on),
      copied: bool(r.copied),
    })),
  );
}

/**
 * Proven value (domain §8: PROVEN "measurably makes the customer financially or commercially better
 * off"): category PROVEN (as of the day read), a measured customer gain above 0 (an initiative
 * never tested has none), not REJECTED. Recognised or not: see `isProvenRecognised`.
 */
export function isProven(i: InitiativeFacts): boolean {
  return (
    i.category === 'PROVEN' && i.customerGain !== null && i.customerGain > 0n && i.outcome !== 'REJECTED'
  );
}

/**
 * Value counts only when the customer recognises it (by the quarter's end) and it is proven
 * (`isProven`). The same rule is written in SQL for the VALUE_DEMONSTRATED KPI (`loadKpiFacts` in
 * kpis.ts): change both together.
 */
export function isProvenRecognised(i: InitiativeFacts, asOf: string): boolean {
  return isProven(i) && i.customerRecognised && (i.recognisedOn === null || i.recognisedOn <= asOf);
}

export interface TeamFacts {
  accountId: number;
  personName: string;
  role: TeamRole;
  geography: string | null;
}

/**
 * The team of each account as it stood on the quarter's last day: a member who joined after it
 * (`since` later; no `since` = always on it) is left out, and so is one whose person is no longer
 * active (they count neither as the lead nor as the sponsor).
 */
export async function teamFacts(em: EntityManager, p: Period): Promise<Map<number, TeamFacts[]>> {
  const d = dialect(em);
  const rows = await query<Record<string, unknown>>(
    em,
    `select tm.account_id, p.name, tm.role, tm.geography from team_member tm join person p on p.id = tm.person_id
     where p.active = ${sqlTrue(d)} and (tm.since is null or tm.since <= ?)
     order by tm.account_id, ${byteOrder(d, 'tm.role')}, ${byteOrder(d, 'p.name')}, tm.id`,
    [p.asOf],
  );
  return groupBy(
    rows.map(r => ({
      accountId: int(r.account_id),
      personName: String(r.name),
      role: r.role as TeamRole,
      geography: text(r.geography),
    })),
  );
}

/**
 * The stakeholder map of each account, most influential first. A counterpart who is no longer an
 * active person is left out (as on the team, `teamFacts`): the map then agrees with the coverage
 * counted by `contactCoverage`, where such a contact is not covered.
 */
export async function contactFacts(em: EntityManager): Promise<Map<number, ContactFacts[]>> {
  const d = dialect(em);
  const rows = await query<Record<string, unknown>>(
    em,
    `select c.account_id, c.name, c.function, c.influence, c.stance, p.name as counterpart,
       cast(c.last_contact_on as text) as last_contact_on
     from contact c left join person p on p.id = c.counterpart_id and p.active = ${sqlTrue(d)}
     order by c.account_id, c.influence desc, ${byteOrder(d, 'c.name')}, c.id`,
  );
  return groupBy(
    rows.map(r => ({
      accountId: int(r.account_id),
      name: String(r.name),
      function: r.function as ContactFunction,
      influence: int(r.influence),
      stance: r.stance as ContactStance,
      counterpartName: text(r.counterpart),
      lastContactOn: text(r.last_contact_on),
    })),
  );
}

/** Survey score sum and count per account over a range of quarters. */
export async function surveyFacts(
  em: EntityManager,
  from: Quarter,
  to: Quarter,
): Promise<Map<number, { sum: number; count: number }>> {
  const rows = await query<Record<string, unknown>>(
    em,
    `select account_id, sum(score) as s, count(*) as n from survey_response
     where quarter >= ? and quarter <= ? group by account_id`,
    [from, to],
  );
  return new Map(rows.map(r => [int(r.account_id), { sum: int(r.s), count: int(r.n) }]));
}

/** The customer signals of a quarter per account. */
export async function signalFacts(em: EntityManager, quarter: Quarter): Promise<Map<number, SignalCounts>> {
  const rows = await query<Record<string, unknown>>(
    em,
    `select account_id, kind, sentiment, count(*) as n from customer_signal where quarter = ?
     group by account_id, kind, sentiment`,
    [quarter],
  );
  const out = new Map<number, SignalCounts>();
  for (const r of rows) {
    const id = int(r.account_id);
    const c = out.get(id) ?? emptySignals();
    const n = int(r.n);
    if (r.kind === 'FEEDBACK') {
      c.feedbackTotal += n;
      if (r.sentiment === 'POSITIVE') c.feedbackPositive += n;
    } else if (r.kind === 'ADVICE_REQUEST') c.adviceRequests += n;
    else if (r.kind === 'EXPANSION_REQUEST') c.expansionRequests += n;
    else if (r.kind === 'REFERRAL') c.referrals += n;
    out.set(id, c);
  }
  return out;
}

export function emptySignals(): SignalCounts {
  return { feedbackPositive: 0, feedbackTotal: 0, adviceRequests: 0, expansionRequests: 0, referrals: 0 };
}
