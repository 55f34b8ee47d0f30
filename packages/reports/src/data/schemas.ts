/**
 * zod schemas of the snapshot contract (`@kam/domain/snapshot-contract`): everything the
 * report build pulls is validated here before a page sees it, so a page can trust its data
 * and a broken snapshot fails the build with the field that is wrong. Objects drop fields
 * they do not know (the snapshot owner may add fields; the sites show what they know).
 */
import { FLAG_KINDS } from '@kam/domain/snapshot-contract';
import {
  ACCOUNT_QUADRANTS,
  CONTACT_FUNCTIONS,
  CONTACT_STANCES,
  DESIGN_PHASES,
  INITIATIVE_OUTCOMES,
  KPI_CODES,
  KPI_DIRECTIONS,
  KPI_UNITS,
  PLAN_STATUSES,
  PYRAMID_LEVELS,
  REVIEW_ASSESSMENTS,
  TEAM_ROLES,
  VALUE_CATEGORIES,
  VALUE_TIERS,
} from '@kam/domain/vocabulary';
import * as z from 'zod';

export const quarter = z
  .string()
  .regex(/^\d{4}-Q[1-4]$/, { error: 'must be a quarter written YYYY-Qn, e.g. 2026-Q3' });

/** Money: an exact decimal string with two fraction digits ("1234.50"), never a float. */
const money = z
  .string()
  .regex(/^-?\d+\.\d{2}$/, { error: 'must be money as a decimal string like "1234.50"' });
/** A share or rate between 0 and 1. */
const share = z.number().min(0).max(1);
/** A score 0–100. */
const score = z.number().min(0).max(100);
/** A ratio that may be negative or above 1 (margins, growth). */
const ratio = z.number();
const date = z.iso.date();
const count = z.number().int().min(0);

const pyramidLevel = z.enum(PYRAMID_LEVELS);
const valueTier = z.enum(VALUE_TIERS);
const quadrant = z.enum(ACCOUNT_QUADRANTS);
const flagKind = z.enum(FLAG_KINDS);

function countsOf<const T extends readonly string[]>(keys: T) {
  return z.object(Object.fromEntries(keys.map(key => [key, count])) as { [K in T[number]]: typeof count });
}

export const snapshotInfoSchema = z.object({
  quarter,
  revision: z.number().int().min(1),
  closedAt: z.iso.datetime(),
  checksum: z.string().min(1),
  accountCount: count,
});
export type SnapshotInfo = z.infer<typeof snapshotInfoSchema>;

const flag = z.object({ kind: flagKind, message: z.string() });

const kpiSchema = z.object({
  code: z.enum(KPI_CODES),
  name: z.string(),
  description: z.string(),
  unit: z.enum(KPI_UNITS),
  direction: z.enum(KPI_DIRECTIONS),
  target: z.number().nullable(),
  baselineQuarter: quarter.nullable(),
  baseline: z.number().nullable(),
  value: z.number().nullable(),
  delta: z.number().nullable(),
  improving: z.boolean().nullable(),
  onTarget: z.boolean().nullable(),
  trend: z.array(z.object({ quarter, value: z.number().nullable() })),
  byBusinessUnit: z.array(z.object({ businessUnitCode: z.string(), value: z.number().nullable() })),
  detail: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
});
export type KpiData = z.infer<typeof kpiSchema>;

const growthGroup = z.object({
  accounts: count,
  ttmRevenue: money,
  priorTtmRevenue: money,
  revenueGrowth: ratio.nullable(),
  ttmGrossProfit: money,
  priorTtmGrossProfit: money,
  grossProfitGrowth: ratio.nullable(),
});

export const portfolioSnapshotSchema = z.object({
  schemaVersion: z.number().int(),
  quarter,
  revision: z.number().int().min(1),
  closedAt: z.iso.datetime(),
  closedBy: z.string(),
  currency: z.string().min(3).max(3),
  trendQuarters: z.array(quarter).min(1),
  totals: z.object({
    accounts: count,
    activeAccounts: count,
    keyAccounts: count,
    ttmRevenue: money,
    ttmGrossProfit: money,
    ttmCostToServe: money,
    ttmContribution: money,
    keyAccountTtmRevenue: money,
    keyAccountRevenueShare: share.nullable(),
  }),
  pyramid: z.object({
    levels: z.array(
      z.object({
        level: pyramidLevel,
        accounts: count,
        ttmRevenue: money,
        revenueShare: share.nullable(),
        serviceStandard: z.string(),
      }),
    ),
    movements: z.array(z.object({ from: pyramidLevel, to: pyramidLevel, accounts: count })),
    bands: z.object({ largeShare: share, mediumShare: share }),
  }),
  pareto: z.object({
    basis: z.enum(['REVENUE', 'GROSS_PROFIT']),
    total: money,
    rankedAccounts: count,
    accountsFor80Percent: count,
    accountShareFor80Percent: share.nullable(),
    top20PercentShare: share.nullable(),
    curve: z.array(z.object({ accountShare: share, cumulativeShare: share })),
  }),
  selection: z.object({
    attractivenessThreshold: score,
    relationshipThreshold: score,
    financialScreenThreshold: score,
    quadrantCounts: countsOf(ACCOUNT_QUADRANTS),
    matrix: z.array(
      z.object({
        accountId: z.number().int(),
        externalRef: z.string(),
        name: z.string(),
        isKeyAccount: z.boolean(),
        attractiveness: score,
        relationshipStrength: score,
        quadrant,
      }),
    ),
    candidatesWithoutAssessment: z.array(
      z.object({
        accountId: z.number().int(),
        externalRef: z.string(),
        name: z.string(),
        financialScore: score,
        ttmRevenue: money,
      }),
    ),
    candidatesWithoutAssessmentCount: count,
    reviewsDue: z.array(
      z.object({
        accountId: z.number().int(),
        externalRef: z.string(),
        name: z.string(),
        designatedOn: date,
        reviewDueOn: date,
        overdue: z.boolean(),
      }),
    ),
  }),
  journey: z.object({
    distribution: z.array(
      z.object({ quarter, TIER_4: count, TIER_3: count, TIER_2: count, TIER_1: count, unassessed: count }),
    ),
    transitions: z.array(z.object({ from: valueTier, to: valueTier, accounts: count })),
    progressed: count,
    regressed: count,
  }),
  value: z.object({
    initiatives: count,
    byCategory: countsOf(VALUE_CATEGORIES),
    byPhase: countsOf(DESIGN_PHASES),
    byOutcome: countsOf([...INITIATIVE_OUTCOMES, 'IN_PROGRESS'] as const),
    customerGains: money,
    supplierGains: money,
    keyAccountsWithProvenRecognisedValue: count,
    shareOfKeyAccountsWithProvenRecognisedValue: share.nullable(),
  }),
  profitability: z.object({
    bySize: z.array(
      z.object({
        decile: z.number().int().min(1).max(10),
        accounts: count,
        ttmRevenue: money,
        ttmGrossProfit: money,
        ttmContribution: money,
        grossMargin: ratio.nullable(),
        contributionMargin: ratio.nullable(),
      }),
    ),
    keyAccounts: z.array(
      z.object({
        accountId: z.number().int(),
        externalRef: z.string(),
        name: z.string(),
        ttmRevenue: money,
        contributionMargin: ratio.nullable(),
      }),
    ),
  }),
  growth: z.object({
    keyAccounts: growthGroup,
    controlGroup: growthGroup,
    ratio: ratio.nullable(),
    trend: z.array(
      z.object({ quarter, keyAccountGrowth: ratio.nullable(), controlGroupGrowth: ratio.nullable() }),
    ),
  }),
  winRate: z.object({
    won: count,
    lost: count,
    rate: share.nullable(),
    target: share.nullable(),
    wonValue: money,
    trend: z.array(z.object({ quarter, won: count, lost: count, rate: share.nullable() })),
  }),
  kpis: z.array(kpiSchema),
  flags: z.object({
    counts: countsOf(FLAG_KINDS),
    accounts: z.array(
      z.object({
        accountId: z.number().int(),
        externalRef: z.string(),
        name: z.string(),
        flags: z.array(flag),
      }),
    ),
  }),
  businessUnits: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      ttmRevenue: money,
      ttmGrossProfit: money,
      activeAccounts: count,
      keyAccounts: count,
      openQualifiedPipeline: money,
      wonValueTtm: money,
      winRate: share.nullable(),
      peopleSatisfaction: score.nullable(),
      whiteSpaceAccounts: count,
      whiteSpacePotential: money,
    }),
  ),
});
export type PortfolioData = z.infer<typeof portfolioSnapshotSchema>;

const healthComponent = z.object({
  key: z.enum([
    'relationshipStrength',
    'stakeholderCoverage',
    'planFreshness',
    'provenValue',
    'satisfaction',
    'marginTrend',
  ]),
  label: z.string(),
  value: score.nullable(),
  weight: score,
  contribution: z.number(),
  explanation: z.string(),
});

export const accountSnapshotPayloadSchema = z.object({
  schemaVersion: z.number().int(),
  quarter,
  accountId: z.number().int(),
  externalRef: z.string(),
  name: z.string(),
  parentExternalRef: z.string().nullable(),
  /** Absent from documents closed before it was added: the pages then show the ref. */
  parentName: z.string().nullable().optional(),
  segmentCode: z.string().nullable(),
  /** Absent from documents closed before it was added: the pages then show the code. */
  segmentName: z.string().nullable().optional(),
  industry: z.string().nullable(),
  country: z.string().nullable(),
  isKeyAccount: z.boolean(),
  designation: z.object({ designatedOn: date, reviewDueOn: date }).nullable(),
  pyramidLevel,
  previousPyramidLevel: pyramidLevel.nullable(),
  ttm: z.object({
    revenue: money,
    grossProfit: money,
    costToServe: money,
    contribution: money,
    grossMargin: ratio.nullable(),
    contributionMargin: ratio.nullable(),
    priorRevenue: money,
    revenueGrowth: ratio.nullable(),
  }),
  financials: z.array(
    z.object({ quarter, revenue: money, grossProfit: money, costToServe: money, contribution: money }),
  ),
  groupRollup: z
    .object({
      descendants: count,
      ttmRevenue: money,
      ttmGrossProfit: money,
      ttmCostToServe: money,
      openQualifiedPipeline: money,
      plans: count,
    })
    .nullable(),
  selection: z.object({
    financialScore: score.nullable(),
    strategicScore: score.nullable(),
    attitudeScore: score.nullable(),
    attractiveness: score.nullable(),
    relationshipStrength: score.nullable(),
    quadrant: quadrant.nullable(),
    assessedOn: date.nullable(),
  }),
  tier: z
    .object({
      current: valueTier.nullable(),
      evidence: z.string().nullable(),
      history: z.array(z.object({ quarter, tier: valueTier.nullable(), evidence: z.string().nullable() })),
      suggested: z.object({ tier: valueTier, reasons: z.array(z.string()) }).nullable(),
    })
    .nullable(),
  plan: z
    .object({
      id: z.number().int(),
      year: z.number().int(),
      status: z.enum(PLAN_STATUSES),
      revenueTarget: money.nullable(),
      marginTargetPercent: z.string().nullable(),
      inYearTarget: money.nullable(),
      revenueYearToDate: money,
      lastReviewOn: date.nullable(),
      lastReviewAssessment: z.enum(REVIEW_ASSESSMENTS).nullable(),
      openActions: count,
      doneActions: count,
      overdueActions: count,
      missingSignOffs: z.array(z.string()),
    })
    .nullable(),
  initiatives: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      category: z.enum(VALUE_CATEGORIES),
      phase: z.enum(DESIGN_PHASES),
      outcome: z.enum(INITIATIVE_OUTCOMES).nullable(),
      customerGain: money.nullable(),
      supplierGain: money.nullable(),
      customerRecognised: z.boolean(),
    }),
  ),
  team: z.array(
    z.object({ personName: z.string(), role: z.enum(TEAM_ROLES), geography: z.string().nullable() }),
  ),
  stakeholders: z
    .object({
      contacts: count,
      influential: count,
      covered: count,
      coverage: share.nullable(),
      byFunction: z.array(
        z.object({ function: z.enum(CONTACT_FUNCTIONS), contacts: count, champions: count }),
      ),
      map: z.array(
        z.object({
          name: z.string(),
          function: z.enum(CONTACT_FUNCTIONS),
          influence: z.number().int().min(1).max(5),
          stance: z.enum(CONTACT_STANCES),
          counterpartName: z.string().nullable(),
        }),
      ),
    })
    .nullable(),
  health: z
    .object({ score, status: z.enum(['RED', 'AMBER', 'GREEN']), components: z.array(healthComponent) })
    .nullable(),
  whitespace: z.array(
    z.object({
      businessUnitCode: z.string(),
      businessUnitName: z.string(),
      ttmRevenue: money,
      potential: money,
      openQualifiedPipeline: money,
      wonValueTtm: money,
      whiteSpace: z.boolean(),
    }),
  ),
  flags: z.array(flag),
  signals: z.object({
    feedbackPositive: count,
    feedbackTotal: count,
    adviceRequests: count,
    expansionRequests: count,
    referrals: count,
  }),
});
export type AccountData = z.infer<typeof accountSnapshotPayloadSchema>;
