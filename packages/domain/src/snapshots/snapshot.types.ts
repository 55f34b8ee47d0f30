/**
 * The contract of a quarter snapshot (domain.md §12): everything the report sites show
 * for a quarter, per account and for the portfolio, so that a report build needs nothing
 * else. A snapshot is written once, as canonical JSON (keys sorted, numbers rounded as
 * documented below), and never changes; closing the quarter again writes a new revision.
 *
 * Conventions for every field:
 * - Money is a decimal string with two fraction digits ("1234.50"), never a float.
 * - A share or rate is a number between 0 and 1 rounded to 4 decimals (0.8123 = 81.23 %).
 * - A score is a number 0–100 rounded to 1 decimal.
 * - A growth rate is a ratio rounded to 4 decimals (0.125 = +12.5 %); null when the base is 0.
 * - Dates are ISO `YYYY-MM-DD`; instants are ISO 8601 UTC.
 * - Lists have a defined order (stated per list), so equal data gives equal bytes.
 *
 * `SNAPSHOT_SCHEMA_VERSION` changes whenever a field is renamed or removed; adding a field
 * keeps the version.
 */
import type { Money } from '../common/money.ts';
import type {
  AccountQuadrant,
  ContactFunction,
  ContactStance,
  DesignPhase,
  InitiativeOutcome,
  KpiCode,
  KpiDirection,
  KpiUnit,
  PlanStatus,
  PyramidLevel,
  ReviewAssessment,
  TeamRole,
  ValueCategory,
  ValueTier,
} from '../common/vocabulary.ts';

export const SNAPSHOT_SCHEMA_VERSION = 1;

/** The portfolio document of a snapshot (stored in `quarter_snapshot.payload`). */
export interface PortfolioSnapshot {
  schemaVersion: number;
  quarter: string;
  revision: number;
  /** When the quarter was closed (ISO instant). */
  closedAt: string;
  closedBy: string;
  currency: string;
  /** The quarters included in trends, oldest first (up to 8, ending with `quarter`). */
  trendQuarters: string[];
  totals: PortfolioTotals;
  pyramid: PyramidSummary;
  pareto: ParetoSummary;
  selection: SelectionSummary;
  journey: JourneySummary;
  value: ValueSummary;
  profitability: ProfitabilitySummary;
  growth: GrowthComparison;
  winRate: WinRateSummary;
  kpis: KpiResult[];
  flags: FlagSummary;
  businessUnits: BusinessUnitSummary[];
}

export interface PortfolioTotals {
  accounts: number;
  activeAccounts: number;
  keyAccounts: number;
  ttmRevenue: Money;
  ttmGrossProfit: Money;
  ttmCostToServe: Money;
  /** Gross profit − cost-to-serve, TTM. */
  ttmContribution: Money;
  keyAccountTtmRevenue: Money;
  /** Key accounts' share of TTM revenue. */
  keyAccountRevenueShare: number | null;
}

export interface PyramidLevelRow {
  level: PyramidLevel;
  accounts: number;
  ttmRevenue: Money;
  /** Share of the portfolio's TTM revenue. */
  revenueShare: number | null;
  serviceStandard: string;
}

export interface PyramidMovement {
  from: PyramidLevel;
  to: PyramidLevel;
  accounts: number;
}

export interface PyramidSummary {
  /** Bottom to top, in PYRAMID_LEVELS order; every level present (0 when empty). */
  levels: PyramidLevelRow[];
  /** Moves since the previous quarter, sorted by from, then to; only from ≠ to. */
  movements: PyramidMovement[];
  bands: { largeShare: number; mediumShare: number };
}

export interface ParetoPoint {
  /** Share of accounts (ranked by TTM revenue, largest first) up to this point. */
  accountShare: number;
  /** Cumulative share of the total up to this point. */
  cumulativeShare: number;
}

export interface ParetoSummary {
  basis: 'REVENUE' | 'GROSS_PROFIT';
  total: Money;
  /** Accounts with a positive value, ranked. */
  rankedAccounts: number;
  /** The smallest number of accounts making 80 % of the total. */
  accountsFor80Percent: number;
  /** That number as a share of the ranked accounts. */
  accountShareFor80Percent: number | null;
  /** The share of the total made by the top 20 % of accounts. */
  top20PercentShare: number | null;
  /** The curve, at most 101 points (every 1 % of accounts), ending at (1, 1). */
  curve: ParetoPoint[];
}

export interface MatrixPoint {
  accountId: number;
  externalRef: string;
  name: string;
  isKeyAccount: boolean;
  attractiveness: number;
  relationshipStrength: number;
  quadrant: AccountQuadrant;
}

export interface SelectionCandidate {
  accountId: number;
  externalRef: string;
  name: string;
  financialScore: number;
  ttmRevenue: Money;
}

export interface DesignationReview {
  accountId: number;
  externalRef: string;
  name: string;
  designatedOn: string;
  reviewDueOn: string;
  overdue: boolean;
}

export interface SelectionSummary {
  attractivenessThreshold: number;
  relationshipThreshold: number;
  financialScreenThreshold: number;
  quadrantCounts: Record<AccountQuadrant, number>;
  /** Every assessed account, sorted by externalRef. */
  matrix: MatrixPoint[];
  /** Accounts passing the financial screen without an assessment yet; the top 50 by financial score, then externalRef. */
  candidatesWithoutAssessment: SelectionCandidate[];
  candidatesWithoutAssessmentCount: number;
  /** Designations whose review is due (within the warning window) or overdue, sorted by reviewDueOn, then externalRef. */
  reviewsDue: DesignationReview[];
}

export interface TierCount {
  quarter: string;
  TIER_4: number;
  TIER_3: number;
  TIER_2: number;
  TIER_1: number;
  /** Key accounts without a tier assessment in that quarter. */
  unassessed: number;
}

export interface TierTransition {
  from: ValueTier;
  to: ValueTier;
  accounts: number;
}

export interface JourneySummary {
  /** Tier distribution of the key accounts per trend quarter, oldest first. */
  distribution: TierCount[];
  /** Moves between the previous quarter and this one, sorted by from, then to; only from ≠ to. */
  transitions: TierTransition[];
  /** Accounts that moved towards TIER_1 / away from it this quarter. */
  progressed: number;
  regressed: number;
}

export interface ValueSummary {
  initiatives: number;
  byCategory: Record<ValueCategory, number>;
  byPhase: Record<DesignPhase, number>;
  /** Outcome counts as of the quarter's end; `IN_PROGRESS` counts initiatives without an outcome by then. */
  byOutcome: Record<InitiativeOutcome | 'IN_PROGRESS', number>;
  /** Sum of measured annual gains of initiatives ADOPTED and customer-recognised by the quarter's end. */
  customerGains: Money;
  supplierGains: Money;
  keyAccountsWithProvenRecognisedValue: number;
  shareOfKeyAccountsWithProvenRecognisedValue: number | null;
}

export interface SizeBand {
  /** 1 = the largest 10 % of active accounts by TTM revenue, 10 = the smallest. */
  decile: number;
  accounts: number;
  ttmRevenue: Money;
  ttmGrossProfit: Money;
  ttmContribution: Money;
  /** Gross profit ÷ revenue. */
  grossMargin: number | null;
  /** Contribution ÷ revenue. */
  contributionMargin: number | null;
}

export interface ProfitabilitySummary {
  /** Margin against size: the active accounts in ten size bands, largest first. */
  bySize: SizeBand[];
  /** Key accounts: revenue against contribution margin, sorted by externalRef. */
  keyAccounts: {
    accountId: number;
    externalRef: string;
    name: string;
    ttmRevenue: Money;
    contributionMargin: number | null;
  }[];
}

export interface GrowthGroup {
  accounts: number;
  ttmRevenue: Money;
  priorTtmRevenue: Money;
  revenueGrowth: number | null;
  ttmGrossProfit: Money;
  priorTtmGrossProfit: Money;
  grossProfitGrowth: number | null;
}

/** Key accounts against the rest of the base, the control group (003). */
export interface GrowthComparison {
  keyAccounts: GrowthGroup;
  controlGroup: GrowthGroup;
  /** keyAccounts.revenueGrowth ÷ controlGroup.revenueGrowth; null when undefined. */
  ratio: number | null;
  /** Per trend quarter, oldest first. */
  trend: { quarter: string; keyAccountGrowth: number | null; controlGroupGrowth: number | null }[];
}

export interface WinRateSummary {
  /** Qualified bids decided in the trailing four quarters. */
  won: number;
  lost: number;
  rate: number | null;
  /** The WIN_RATE KPI's target as a rate, 0–1 (domain §10: 0.8); null when its target was cleared. */
  target: number | null;
  wonValue: Money;
  /** Per trend quarter, oldest first (bids decided in that quarter). */
  trend: { quarter: string; won: number; lost: number; rate: number | null }[];
}

export interface KpiPoint {
  quarter: string;
  value: number | null;
}

export interface KpiResult {
  code: KpiCode;
  name: string;
  description: string;
  unit: KpiUnit;
  direction: KpiDirection;
  /** In the KPI's unit; null when not set. */
  target: number | null;
  baselineQuarter: string | null;
  baseline: number | null;
  /** "Today": the value in the snapshot's quarter. */
  value: number | null;
  /** value − baseline. */
  delta: number | null;
  /** Whether the change since the baseline goes the right way; null when unknown. */
  improving: boolean | null;
  /** Whether the target is met; null without a target or value. */
  onTarget: boolean | null;
  /** Per trend quarter, oldest first. */
  trend: KpiPoint[];
  /** Per business unit where it applies (PEOPLE_SATISFACTION, WIN_RATE, KEY_ACCOUNT_GROWTH …), sorted by code. */
  byBusinessUnit: { businessUnitCode: string; value: number | null }[];
  /** KPI-specific detail, e.g. `{ count: 12, value: "1000.00" }` for REFERRALS. Values are numbers or strings. */
  detail: Record<string, number | string | null>;
}

export const FLAG_KINDS = [
  'NO_LEAD_MANAGER',
  'NO_SPONSOR',
  'PLAN_REVIEW_OVERDUE',
  'PLAN_NOT_APPROVED_PAST_START',
  'PROCUREMENT_ONLY',
  'DESIGNATION_REVIEW_OVERDUE',
  'VALUE_NOT_RECOGNISED',
] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export interface AccountFlag {
  kind: FlagKind;
  /** What is wrong and what would clear it. */
  message: string;
}

export interface FlaggedAccount {
  accountId: number;
  externalRef: string;
  name: string;
  flags: AccountFlag[];
}

export interface FlagSummary {
  counts: Record<FlagKind, number>;
  /** Key accounts with at least one flag, sorted by number of flags (desc), then externalRef. */
  accounts: FlaggedAccount[];
}

export interface BusinessUnitSummary {
  code: string;
  name: string;
  ttmRevenue: Money;
  ttmGrossProfit: Money;
  /** Accounts buying from the unit in the TTM window. */
  activeAccounts: number;
  keyAccounts: number;
  openQualifiedPipeline: Money;
  wonValueTtm: Money;
  winRate: number | null;
  peopleSatisfaction: number | null;
  /** Key accounts with potential for this unit and no revenue from it (white space). */
  whiteSpaceAccounts: number;
  whiteSpacePotential: Money;
}

// ---------------------------------------------------------------------------------------
// Per account (stored in `account_snapshot.payload`)
// ---------------------------------------------------------------------------------------

export interface QuarterFigures {
  quarter: string;
  revenue: Money;
  grossProfit: Money;
  costToServe: Money;
  contribution: Money;
}

export interface HealthComponent {
  key:
    | 'relationshipStrength'
    | 'stakeholderCoverage'
    | 'planFreshness'
    | 'provenValue'
    | 'satisfaction'
    | 'marginTrend';
  label: string;
  /** The component's own score, 0–100; null when there is no data (its weight is then redistributed). */
  value: number | null;
  /** Configured weight, 0–100. */
  weight: number;
  /** value × effective weight ÷ 100: what it adds to the health score. */
  contribution: number;
  /** Why the value is what it is, and what would raise it. */
  explanation: string;
}

export interface AccountHealth {
  score: number;
  status: 'RED' | 'AMBER' | 'GREEN';
  components: HealthComponent[];
}

export interface WhitespaceCell {
  businessUnitCode: string;
  businessUnitName: string;
  ttmRevenue: Money;
  potential: Money;
  openQualifiedPipeline: Money;
  wonValueTtm: Money;
  /** Potential and no revenue: a cross-sell opportunity. */
  whiteSpace: boolean;
}

export interface AccountSnapshotPayload {
  schemaVersion: number;
  quarter: string;
  accountId: number;
  externalRef: string;
  name: string;
  parentExternalRef: string | null;
  /** Its group account's name (documents closed before it was added have none: use the ref). */
  parentName?: string | null;
  segmentCode: string | null;
  /** The segment's name (documents closed before it was added have none: use the code). */
  segmentName?: string | null;
  industry: string | null;
  country: string | null;
  isKeyAccount: boolean;
  designation: { designatedOn: string; reviewDueOn: string } | null;
  pyramidLevel: PyramidLevel;
  previousPyramidLevel: PyramidLevel | null;
  ttm: {
    revenue: Money;
    grossProfit: Money;
    costToServe: Money;
    contribution: Money;
    grossMargin: number | null;
    contributionMargin: number | null;
    priorRevenue: Money;
    revenueGrowth: number | null;
  };
  /** The trend quarters, oldest first (quarters without data are zero). */
  financials: QuarterFigures[];
  /** Only for an account with children: itself plus all descendants. */
  groupRollup: {
    descendants: number;
    ttmRevenue: Money;
    ttmGrossProfit: Money;
    ttmCostToServe: Money;
    openQualifiedPipeline: Money;
    plans: number;
  } | null;
  selection: {
    financialScore: number | null;
    strategicScore: number | null;
    attitudeScore: number | null;
    attractiveness: number | null;
    relationshipStrength: number | null;
    quadrant: AccountQuadrant | null;
    assessedOn: string | null;
  };
  /** Key accounts only below (null or empty otherwise). */
  tier: {
    current: ValueTier | null;
    evidence: string | null;
    /** Per trend quarter, oldest first. */
    history: { quarter: string; tier: ValueTier | null; evidence: string | null }[];
    suggested: { tier: ValueTier; reasons: string[] } | null;
  } | null;
  /** The plan in force on the quarter's last day, whatever its year (`planFacts`), as it stood. */
  plan: {
    id: number;
    year: number;
    status: PlanStatus;
    revenueTarget: Money | null;
    marginTargetPercent: string | null;
    inYearTarget: Money | null;
    /**
     * Revenue booked in the plan's year so far: from the quarter its period starts in (all of
     * that quarter, when it starts within it) up to this quarter (`revenueYearToDate`).
     */
    revenueYearToDate: Money;
    lastReviewOn: string | null;
    lastReviewAssessment: ReviewAssessment | null;
    openActions: number;
    doneActions: number;
    overdueActions: number;
    missingSignOffs: string[];
  } | null;
  initiatives: {
    id: number;
    name: string;
    category: ValueCategory;
    phase: DesignPhase;
    outcome: InitiativeOutcome | null;
    customerGain: Money | null;
    supplierGain: Money | null;
    customerRecognised: boolean;
  }[];
  team: { personName: string; role: TeamRole; geography: string | null }[];
  stakeholders: {
    contacts: number;
    influential: number;
    covered: number;
    coverage: number | null;
    byFunction: { function: ContactFunction; contacts: number; champions: number }[];
    map: {
      name: string;
      function: ContactFunction;
      influence: number;
      stance: ContactStance;
      counterpartName: string | null;
    }[];
  } | null;
  health: AccountHealth | null;
  whitespace: WhitespaceCell[];
  flags: AccountFlag[];
  signals: {
    feedbackPositive: number;
    feedbackTotal: number;
    adviceRequests: number;
    expansionRequests: number;
    referrals: number;
  };
}
