import type { EntityManager } from '@mikro-orm/core';
import { monthsBetween } from '../common/lookup.ts';
import { fromCents } from '../common/money.ts';
import { ACCOUNT_QUADRANTS, type AccountQuadrant } from '../common/vocabulary.ts';
import type { KamSettings } from '../settings/settings.schemas.ts';
import { getSettings } from '../settings/settings.service.ts';
import type { AccountSnapshotPayload, SelectionSummary } from '../snapshots/snapshot.types.ts';
import { type AccountBaseRow, loadAccountBase } from './account-base.ts';
import { type Period, periodOf } from './period.ts';
import { score } from './rounding.ts';
import { compareText, dialect, int, query, sqlTrue } from './sql.ts';

export type SelectionSettings = KamSettings['selection'];

export interface AssessmentScores {
  assessedOn: string;
  marketLeadership: number;
  innovationLeadership: number;
  growthFit: number;
  otherUnitsPotential: number;
  loyalty: number;
  informationSharing: number;
  engagementDesire: number;
  buyingBasis: number;
}

export interface Coverage {
  contacts: number;
  /** Contacts with influence 4 or 5. */
  influential: number;
  /** Influential contacts whose counterpart is an active person. */
  covered: number;
}

/** A 1–5 scale mapped onto 0–100: (mean − 1) ÷ 4 × 100. */
function scale(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return ((mean - 1) / 4) * 100;
}

// The unrounded scores: attractiveness and relationship strength are weighted from these and
// rounded once (from the shown 1-decimal scores, an attitude of 56.25 shown as 56.3 lifted a
// relationship strength of 59.946… (59.9) to 59.98… (60.0), across the threshold).
function strategicExact(a: AssessmentScores): number {
  return scale([a.marketLeadership, a.innovationLeadership, a.growthFit, a.otherUnitsPotential]);
}

function attitudeExact(a: AssessmentScores): number {
  return scale([a.loyalty, a.informationSharing, a.engagementDesire, a.buyingBasis]);
}

function financialExact(
  row: Pick<AccountBaseRow, 'revenuePercentile' | 'marginPercentile' | 'headroomPercentile'>,
  weights: SelectionSettings['financialWeights'],
): number | null {
  if (row.revenuePercentile === null) return null;
  return (
    (weights.revenue * row.revenuePercentile +
      weights.margin * (row.marginPercentile ?? 0) +
      weights.growthPotential * (row.headroomPercentile ?? 0)) /
    100
  );
}

/** Strategic compatibility 0–100: the mean of the four strategic items on the 1–5 scale. */
export function strategicScore(a: AssessmentScores): number {
  return score(strategicExact(a));
}

/** Attitude compatibility 0–100: the mean of loyalty, information sharing, engagement and buying basis (1 = price-driven). */
export function attitudeScore(a: AssessmentScores): number {
  return score(attitudeExact(a));
}

/** Financial compatibility 0–100: the weighted revenue, margin and headroom percentiles. */
export function financialScore(
  row: Pick<AccountBaseRow, 'revenuePercentile' | 'marginPercentile' | 'headroomPercentile'>,
  weights: SelectionSettings['financialWeights'],
): number | null {
  const financial = financialExact(row, weights);
  return financial === null ? null : score(financial);
}

/** Years-as-customer score: full marks after `yearsForFullLoyalty` years, linear before. */
export function yearsScore(customerSince: string | null, asOf: string, yearsForFull: number): number {
  if (!customerSince || customerSince > asOf) return 0;
  const years = monthsBetween(customerSince, asOf) / 12;
  return Math.min(100, (years / yearsForFull) * 100);
}

/**
 * Stakeholder coverage 0–100: the share of influence-4+ contacts whose counterpart is an active
 * person; 0 without such contacts (unmapped decision makers are not covered), in relationship
 * strength and in health alike.
 */
export function coverageScore(c: Pick<Coverage, 'influential' | 'covered'> | undefined): number {
  if (!c || c.influential === 0) return 0;
  return (c.covered / c.influential) * 100;
}

export function quadrantOf(
  attractiveness: number,
  relationship: number,
  s: SelectionSettings,
): AccountQuadrant {
  const attractive = attractiveness >= s.attractivenessThreshold;
  const strong = relationship >= s.relationshipThreshold;
  if (attractive && strong) return 'KEY_ACCOUNT';
  if (attractive) return 'DEVELOP';
  if (strong) return 'MAINTAIN';
  return 'OPPORTUNISTIC';
}

export type AccountSelection = AccountSnapshotPayload['selection'];

/**
 * The selection figures of one account (domain §4). Attractiveness = the weighted financial
 * and strategic scores (a missing financial score counts 0); relationship strength = the
 * weighted attitude, years-as-customer and stakeholder-coverage scores (coverage 0 without
 * influential contacts), each weighted unrounded and rounded once. The quadrant compares the
 * rounded figures with the thresholds.
 */
export function accountSelection(
  row: AccountBaseRow,
  assessment: AssessmentScores | undefined,
  coverage: Coverage | undefined,
  s: SelectionSettings,
  asOf: string,
): AccountSelection {
  const financial = financialScore(row, s.financialWeights);
  if (!assessment) {
    return {
      financialScore: financial,
      strategicScore: null,
      attitudeScore: null,
      attractiveness: null,
      relationshipStrength: null,
      quadrant: null,
      assessedOn: null,
    };
  }
  const strategic = strategicExact(assessment);
  const attitude = attitudeExact(assessment);
  const aw = s.attractivenessWeights;
  const rw = s.relationshipWeights;
  const attractiveness = score(
    (aw.financial * (financialExact(row, s.financialWeights) ?? 0) + aw.strategic * strategic) / 100,
  );
  const relationship = score(
    (rw.attitude * attitude +
      rw.yearsAsCustomer * yearsScore(row.customerSince, asOf, s.yearsForFullLoyalty) +
      rw.stakeholderCoverage * coverageScore(coverage)) /
      100,
  );
  return {
    financialScore: financial,
    strategicScore: score(strategic),
    attitudeScore: score(attitude),
    attractiveness,
    relationshipStrength: relationship,
    quadrant: quadrantOf(attractiveness, relationship, s),
    assessedOn: assessment.assessedOn,
  };
}

/** The latest assessment of every account on or before `asOf`, by account id. */
export async function latestAssessments(
  em: EntityManager,
  asOf: string,
): Promise<Map<number, AssessmentScores>> {
  const rows = await query<Record<string, unknown>>(
    em,
    `select * from (
       select account_id, cast(assessed_on as text) as assessed_on, market_leadership, innovation_leadership,
         growth_fit, other_units_potential, loyalty, information_sharing, engagement_desire, buying_basis,
         row_number() over (partition by account_id order by assessed_on desc, id desc) as rn
       from selection_assessment where assessed_on <= ?
     ) x where rn = 1`,
    [asOf],
  );
  return new Map(
    rows.map(r => [
      int(r.account_id),
      {
        assessedOn: String(r.assessed_on),
        marketLeadership: int(r.market_leadership),
        innovationLeadership: int(r.innovation_leadership),
        growthFit: int(r.growth_fit),
        otherUnitsPotential: int(r.other_units_potential),
        loyalty: int(r.loyalty),
        informationSharing: int(r.information_sharing),
        engagementDesire: int(r.engagement_desire),
        buyingBasis: int(r.buying_basis),
      },
    ]),
  );
}

/**
 * Contacts, influence-4+ contacts and those of them covered, per account: the one count of
 * stakeholder coverage, for selection, the account documents and health. A contact is covered
 * when its counterpart is an active person: someone who has left is nobody's peer (the API
 * refuses an inactive person as a counterpart for that reason). People keep no history of being
 * active, so their current state is read for past quarters too, as for the team (`teamFacts`).
 */
export async function contactCoverage(em: EntityManager): Promise<Map<number, Coverage>> {
  const rows = await query<Record<string, unknown>>(
    em,
    `select c.account_id, count(*) as contacts,
       sum(case when c.influence >= 4 then 1 else 0 end) as influential,
       sum(case when c.influence >= 4 and p.active = ${sqlTrue(dialect(em))} then 1 else 0 end) as covered
     from contact c left join person p on p.id = c.counterpart_id
     group by c.account_id`,
  );
  return new Map(
    rows.map(r => [
      int(r.account_id),
      { contacts: int(r.contacts), influential: int(r.influential), covered: int(r.covered) },
    ]),
  );
}

export interface SelectionResult {
  summary: SelectionSummary;
  byAccount: Map<number, AccountSelection>;
  /** The stakeholder coverage the figures were computed from, per account (`contactCoverage`). */
  coverage: Map<number, Coverage>;
}

/** Builds the selection summary from an account base and the per-account selection figures. */
export function summariseSelection(
  base: AccountBaseRow[],
  byAccount: Map<number, AccountSelection>,
  s: SelectionSettings,
  reviewWarningDays: number,
  asOf: string,
): SelectionSummary {
  const quadrantCounts = Object.fromEntries(ACCOUNT_QUADRANTS.map(q => [q, 0])) as Record<
    AccountQuadrant,
    number
  >;
  const matrix: SelectionSummary['matrix'] = [];
  const candidates: SelectionSummary['candidatesWithoutAssessment'] = [];
  const reviewsDue: SelectionSummary['reviewsDue'] = [];
  const warnUntil = addDays(asOf, reviewWarningDays);
  for (const row of base) {
    const sel = byAccount.get(row.id)!;
    if (sel.quadrant) {
      quadrantCounts[sel.quadrant] += 1;
      matrix.push({
        accountId: row.id,
        externalRef: row.externalRef,
        name: row.name,
        isKeyAccount: row.designationId !== null,
        attractiveness: sel.attractiveness!,
        relationshipStrength: sel.relationshipStrength!,
        quadrant: sel.quadrant,
      });
    } else if (sel.financialScore !== null && sel.financialScore >= s.financialScreenThreshold) {
      candidates.push({
        accountId: row.id,
        externalRef: row.externalRef,
        name: row.name,
        financialScore: sel.financialScore,
        ttmRevenue: fromCents(row.ttmRevenue),
      });
    }
    if (row.reviewDueOn !== null && row.reviewDueOn <= warnUntil) {
      reviewsDue.push({
        accountId: row.id,
        externalRef: row.externalRef,
        name: row.name,
        designatedOn: row.designatedOn!,
        reviewDueOn: row.reviewDueOn,
        overdue: row.reviewDueOn < asOf,
      });
    }
  }
  matrix.sort((a, b) => compareText(a.externalRef, b.externalRef));
  candidates.sort((a, b) => b.financialScore - a.financialScore || compareText(a.externalRef, b.externalRef));
  reviewsDue.sort(
    (a, b) => compareText(a.reviewDueOn, b.reviewDueOn) || compareText(a.externalRef, b.externalRef),
  );
  return {
    attractivenessThreshold: s.attractivenessThreshold,
    relationshipThreshold: s.relationshipThreshold,
    financialScreenThreshold: s.financialScreenThreshold,
    quadrantCounts,
    matrix,
    candidatesWithoutAssessment: candidates.slice(0, 50),
    candidatesWithoutAssessmentCount: candidates.length,
    reviewsDue,
  };
}

/** `iso` + `days` days (UTC). */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Key-account selection for a quarter (domain §4): financial compatibility as percentiles
 * over the active base (SQL window functions), strategic and attitude scores from each
 * account's latest assessment, attractiveness, relationship strength and quadrant, the
 * candidates of the financial screen still to be assessed, and the designation reviews due.
 */
export async function computeSelection(
  em: EntityManager,
  quarter: string | Period,
  options: { base?: AccountBaseRow[]; settings?: KamSettings } = {},
): Promise<SelectionResult> {
  const period = typeof quarter === 'string' ? periodOf(quarter) : quarter;
  const settings = options.settings ?? (await getSettings(em));
  const base = options.base ?? (await loadAccountBase(em, period));
  const assessments = await latestAssessments(em, period.asOf);
  const coverage = await contactCoverage(em);
  const byAccount = new Map<number, AccountSelection>();
  for (const row of base) {
    byAccount.set(
      row.id,
      accountSelection(row, assessments.get(row.id), coverage.get(row.id), settings.selection, period.asOf),
    );
  }
  return {
    summary: summariseSelection(
      base,
      byAccount,
      settings.selection,
      settings.designation.reviewDueWarningDays,
      period.asOf,
    ),
    byAccount,
    coverage,
  };
}
