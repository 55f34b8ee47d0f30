/**
 * The portfolio summaries the analytics compute (domain §2–9), as GraphQL types: the pyramid,
 * the Pareto view, selection, the value journey, value and profitability, and a group's
 * roll-up. Their shapes are the snapshot contract's (`PyramidSummary`, … in @kam/domain), so a
 * live figure and a closed quarter's read the same; maps keyed by an enum value (quadrant,
 * tier, category, phase, outcome) become lists of { value, count } in the enum's order.
 */
import {
  ACCOUNT_QUADRANTS,
  type AccountFlag,
  type BusinessUnitSummary,
  DESIGN_PHASES,
  FLAG_KINDS,
  type FlagSummary,
  type GroupRollup,
  type GrowthComparison,
  INITIATIVE_OUTCOMES,
  type JourneySummary,
  type ParetoSummary,
  type PortfolioTotals,
  type ProfitabilitySummary,
  type PyramidSummary,
  type SelectionSummary,
  VALUE_CATEGORIES,
  VALUE_TIERS,
  type ValueSummary,
  type WinRateSummary,
} from '@kam/domain';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import {
  AccountQuadrantEnum,
  DesignPhaseEnum,
  FlagKindEnum,
  InitiativeOutcomeEnum,
  PyramidLevelEnum,
  ValueCategoryEnum,
  ValueTierEnum,
} from './vocabulary.ts';

export const ParetoBasisEnum = builder.enumType('ParetoBasis', {
  description: 'What the Pareto view ranks accounts by.',
  values: {
    REVENUE: { description: 'Trailing-twelve-month revenue.' },
    GROSS_PROFIT: { description: 'Trailing-twelve-month gross profit.' },
  } as const,
});

/** The fields that name an account in a summary row: its global id, external ref and name. */
function accountFields<Row extends { accountId: number; externalRef: string; name: string }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<KamTypes, Row>,
) {
  return {
    accountId: t.id({
      description: 'The account’s global id (for `node(id:)`).',
      resolve: row => encodeGlobalID('Account', row.accountId),
    }),
    externalRef: t.string({ description: 'The account’s external ref.', resolve: row => row.externalRef }),
    name: t.string({ description: 'The account’s name.', resolve: row => row.name }),
  };
}
type KamTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer Types> ? Types : never;

// The pyramid (domain §2).

const PyramidLevelFiguresRef = builder
  .objectRef<PyramidSummary['levels'][number]>('PyramidLevelFigures')
  .implement({
    description: 'One level of the customer pyramid: its accounts, revenue and service standard.',
    fields: t => ({
      level: t.field({ type: PyramidLevelEnum, description: 'The level.', resolve: l => l.level }),
      accounts: t.exposeInt('accounts', { description: 'Accounts at this level.' }),
      ttmRevenue: t.field({ type: 'Money', description: 'Their TTM revenue.', resolve: l => l.ttmRevenue }),
      revenueShare: t.float({
        nullable: true,
        description: 'Their share of the portfolio’s TTM revenue, 0–1; null when the portfolio has none.',
        resolve: l => l.revenueShare,
      }),
      serviceStandard: t.exposeString('serviceStandard', {
        description: 'How accounts at this level are served (edited, or the default).',
      }),
    }),
  });

const PyramidMovementRef = builder
  .objectRef<PyramidSummary['movements'][number]>('PyramidMovement')
  .implement({
    description: 'Accounts that moved from one pyramid level to another since the previous quarter.',
    fields: t => ({
      from: t.field({ type: PyramidLevelEnum, description: 'The level they left.', resolve: m => m.from }),
      to: t.field({ type: PyramidLevelEnum, description: 'The level they reached.', resolve: m => m.to }),
      accounts: t.exposeInt('accounts', { description: 'How many accounts.' }),
    }),
  });

const PyramidBandsRef = builder.objectRef<PyramidSummary['bands']>('PyramidBands').implement({
  description: 'How active accounts are banded by TTM revenue rank (settings).',
  fields: t => ({
    largeShare: t.exposeFloat('largeShare', {
      description: 'The top share of active accounts that is large.',
    }),
    mediumShare: t.exposeFloat('mediumShare', { description: 'The next share that is medium.' }),
  }),
});

export const PyramidSummaryRef = builder.objectRef<PyramidSummary>('PyramidSummary').implement({
  description: 'The customer pyramid of a quarter (domain §2).',
  fields: t => ({
    levels: t.field({
      type: [PyramidLevelFiguresRef],
      description: 'Every level, bottom (SUSPECT) to top (KEY), with 0 for an empty one.',
      resolve: p => p.levels,
    }),
    movements: t.field({
      type: [PyramidMovementRef],
      description:
        'Moves since the previous quarter, by from then to; none in the first quarter with financial data.',
      resolve: p => p.movements,
    }),
    bands: t.field({ type: PyramidBandsRef, description: 'The revenue bands used.', resolve: p => p.bands }),
  }),
});

// Pareto (domain §2).

const ParetoPointRef = builder.objectRef<ParetoSummary['curve'][number]>('ParetoPoint').implement({
  description: 'A point of the Pareto curve.',
  fields: t => ({
    accountShare: t.exposeFloat('accountShare', {
      description: 'Share of the ranked accounts (largest first) up to this point, 0–1.',
    }),
    cumulativeShare: t.exposeFloat('cumulativeShare', {
      description: 'Their cumulative share of the total, 0–1.',
    }),
  }),
});

export const ParetoSummaryRef = builder.objectRef<ParetoSummary>('ParetoSummary').implement({
  description: 'The Pareto view of a quarter: how few accounts make most of the total (domain §2).',
  fields: t => ({
    basis: t.field({
      type: ParetoBasisEnum,
      description: 'What accounts are ranked by.',
      resolve: p => p.basis,
    }),
    total: t.field({ type: 'Money', description: 'The total over all accounts.', resolve: p => p.total }),
    rankedAccounts: t.exposeInt('rankedAccounts', { description: 'Accounts with a positive value, ranked.' }),
    accountsFor80Percent: t.exposeInt('accountsFor80Percent', {
      description: 'The fewest accounts that make 80 % of the total.',
    }),
    accountShareFor80Percent: t.float({
      nullable: true,
      description: 'That number as a share of the ranked accounts, 0–1; null without any.',
      resolve: p => p.accountShareFor80Percent,
    }),
    top20PercentShare: t.float({
      nullable: true,
      description: 'The share of the total made by the top 20 % of accounts, 0–1; null without any.',
      resolve: p => p.top20PercentShare,
    }),
    curve: t.field({
      type: [ParetoPointRef],
      description: 'The curve, at most 101 points (every 1 % of accounts), ending at (1, 1).',
      resolve: p => p.curve,
    }),
  }),
});

// Selection (domain §4).

const QuadrantCountRef = builder
  .objectRef<{ quadrant: SelectionSummary['matrix'][number]['quadrant']; accounts: number }>('QuadrantCount')
  .implement({
    description: 'Assessed accounts in one quadrant of the attractiveness × relationship matrix.',
    fields: t => ({
      quadrant: t.field({
        type: AccountQuadrantEnum,
        description: 'The quadrant.',
        resolve: q => q.quadrant,
      }),
      accounts: t.exposeInt('accounts', { description: 'How many accounts.' }),
    }),
  });

const MatrixPointRef = builder.objectRef<SelectionSummary['matrix'][number]>('MatrixPoint').implement({
  description: 'An assessed account in the attractiveness × relationship matrix.',
  fields: t => ({
    ...accountFields(t),
    isKeyAccount: t.exposeBoolean('isKeyAccount', { description: 'Whether it is a key account.' }),
    attractiveness: t.exposeFloat('attractiveness', { description: 'Attractiveness, 0–100.' }),
    relationshipStrength: t.exposeFloat('relationshipStrength', {
      description: 'Relationship strength, 0–100.',
    }),
    quadrant: t.field({ type: AccountQuadrantEnum, description: 'Its quadrant.', resolve: p => p.quadrant }),
  }),
});

const SelectionCandidateRef = builder
  .objectRef<SelectionSummary['candidatesWithoutAssessment'][number]>('SelectionCandidate')
  .implement({
    description: 'An account that passes the financial screen but has no assessment yet.',
    fields: t => ({
      ...accountFields(t),
      financialScore: t.exposeFloat('financialScore', { description: 'Its financial score, 0–100.' }),
      ttmRevenue: t.field({ type: 'Money', description: 'Its TTM revenue.', resolve: c => c.ttmRevenue }),
    }),
  });

const DesignationReviewRef = builder
  .objectRef<SelectionSummary['reviewsDue'][number]>('DesignationReview')
  .implement({
    description: 'A key-account designation whose review is due soon or overdue.',
    fields: t => ({
      ...accountFields(t),
      designatedOn: t.field({
        type: 'Date',
        description: 'When it was designated.',
        resolve: r => r.designatedOn,
      }),
      reviewDueOn: t.field({
        type: 'Date',
        description: 'When the review is due.',
        resolve: r => r.reviewDueOn,
      }),
      overdue: t.exposeBoolean('overdue', { description: 'Whether the due date has passed.' }),
    }),
  });

export const SelectionSummaryRef = builder.objectRef<SelectionSummary>('SelectionSummary').implement({
  description:
    'Key-account selection in a quarter: the matrix, its quadrants, candidates and reviews (domain §4).',
  fields: t => ({
    attractivenessThreshold: t.exposeFloat('attractivenessThreshold', {
      description: 'Attractiveness from which an account is in the upper half, 0–100.',
    }),
    relationshipThreshold: t.exposeFloat('relationshipThreshold', {
      description: 'Relationship strength from which an account is in the right half, 0–100.',
    }),
    financialScreenThreshold: t.exposeFloat('financialScreenThreshold', {
      description: 'The financial score that makes an account a candidate, 0–100.',
    }),
    quadrantCounts: t.field({
      type: [QuadrantCountRef],
      description: 'Assessed accounts per quadrant, every quadrant listed.',
      resolve: s =>
        ACCOUNT_QUADRANTS.map(quadrant => ({ quadrant, accounts: s.quadrantCounts[quadrant] ?? 0 })),
    }),
    matrix: t.field({
      type: [MatrixPointRef],
      description: 'Every assessed account, by external ref.',
      resolve: s => s.matrix,
    }),
    candidatesWithoutAssessment: t.field({
      type: [SelectionCandidateRef],
      description: 'The top 50 candidates without an assessment, by financial score then external ref.',
      resolve: s => s.candidatesWithoutAssessment,
    }),
    candidatesWithoutAssessmentCount: t.exposeInt('candidatesWithoutAssessmentCount', {
      description: 'How many candidates have no assessment, in all.',
    }),
    reviewsDue: t.field({
      type: [DesignationReviewRef],
      description: 'Designations due for review or overdue, by due date then external ref.',
      resolve: s => s.reviewsDue,
    }),
  }),
});

// The value journey (domain §8).

const TierCountRef = builder
  .objectRef<{ tier: (typeof VALUE_TIERS)[number]; accounts: number }>('TierCount')
  .implement({
    description: 'Key accounts at one value tier.',
    fields: t => ({
      tier: t.field({ type: ValueTierEnum, description: 'The tier.', resolve: c => c.tier }),
      accounts: t.exposeInt('accounts', { description: 'How many key accounts.' }),
    }),
  });

const TierDistributionRef = builder
  .objectRef<JourneySummary['distribution'][number]>('TierDistribution')
  .implement({
    description: 'The key accounts of one quarter by the value tier assessed in it.',
    fields: t => ({
      quarter: t.field({ type: 'Quarter', description: 'The quarter.', resolve: d => d.quarter }),
      tiers: t.field({
        type: [TierCountRef],
        description: 'Key accounts per tier, TIER_4 to TIER_1, every tier listed.',
        resolve: d => VALUE_TIERS.map(tier => ({ tier, accounts: d[tier] })),
      }),
      unassessed: t.exposeInt('unassessed', { description: 'Key accounts without a tier assessment in it.' }),
    }),
  });

const TierTransitionRef = builder
  .objectRef<JourneySummary['transitions'][number]>('TierTransition')
  .implement({
    description: 'Key accounts that moved from one value tier to another since the previous quarter.',
    fields: t => ({
      from: t.field({ type: ValueTierEnum, description: 'The tier they left.', resolve: m => m.from }),
      to: t.field({ type: ValueTierEnum, description: 'The tier they reached.', resolve: m => m.to }),
      accounts: t.exposeInt('accounts', { description: 'How many key accounts.' }),
    }),
  });

export const JourneySummaryRef = builder.objectRef<JourneySummary>('JourneySummary').implement({
  description: 'The value journey of the key accounts: tiers over time and this quarter’s moves (domain §8).',
  fields: t => ({
    distribution: t.field({
      type: [TierDistributionRef],
      description: 'The tier distribution per trend quarter, oldest first.',
      resolve: j => j.distribution,
    }),
    transitions: t.field({
      type: [TierTransitionRef],
      description: 'Moves between the previous quarter and this one, by from then to.',
      resolve: j => j.transitions,
    }),
    progressed: t.exposeInt('progressed', {
      description: 'Key accounts that moved towards TIER_1 this quarter.',
    }),
    regressed: t.exposeInt('regressed', {
      description: 'Key accounts that moved away from TIER_1 this quarter.',
    }),
  }),
});

// Value (domain §8).

const ValueCategoryCountRef = builder
  .objectRef<{ category: (typeof VALUE_CATEGORIES)[number]; initiatives: number }>('ValueCategoryCount')
  .implement({
    description: 'Value initiatives of one kind of value.',
    fields: t => ({
      category: t.field({
        type: ValueCategoryEnum,
        description: 'The kind of value.',
        resolve: c => c.category,
      }),
      initiatives: t.exposeInt('initiatives', { description: 'How many initiatives.' }),
    }),
  });

const DesignPhaseCountRef = builder
  .objectRef<{ phase: (typeof DESIGN_PHASES)[number]; initiatives: number }>('DesignPhaseCount')
  .implement({
    description: 'Value initiatives in one design phase.',
    fields: t => ({
      phase: t.field({ type: DesignPhaseEnum, description: 'The phase.', resolve: c => c.phase }),
      initiatives: t.exposeInt('initiatives', { description: 'How many initiatives.' }),
    }),
  });

const InitiativeOutcomeCountRef = builder
  .objectRef<{ outcome: (typeof INITIATIVE_OUTCOMES)[number] | null; initiatives: number }>(
    'InitiativeOutcomeCount',
  )
  .implement({
    description: 'Value initiatives with one outcome, or still in progress.',
    fields: t => ({
      outcome: t.field({
        type: InitiativeOutcomeEnum,
        nullable: true,
        description: 'The outcome; null for the initiatives still in progress.',
        resolve: c => c.outcome,
      }),
      initiatives: t.exposeInt('initiatives', { description: 'How many initiatives.' }),
    }),
  });

export const ValueSummaryRef = builder.objectRef<ValueSummary>('ValueSummary').implement({
  description: 'Value initiatives by kind, phase and outcome, and what both sides gained (domain §8).',
  fields: t => ({
    initiatives: t.exposeInt('initiatives', {
      description: 'Initiatives started by the end of the quarter.',
    }),
    byCategory: t.field({
      type: [ValueCategoryCountRef],
      description: 'Per kind of value, every kind listed.',
      resolve: v =>
        VALUE_CATEGORIES.map(category => ({ category, initiatives: v.byCategory[category] ?? 0 })),
    }),
    byPhase: t.field({
      type: [DesignPhaseCountRef],
      description: 'Per design phase, in the phases’ order, every phase listed.',
      resolve: v => DESIGN_PHASES.map(phase => ({ phase, initiatives: v.byPhase[phase] ?? 0 })),
    }),
    byOutcome: t.field({
      type: [InitiativeOutcomeCountRef],
      description: 'In progress first (outcome null), then per outcome, every outcome listed.',
      resolve: v => [
        { outcome: null, initiatives: v.byOutcome.IN_PROGRESS ?? 0 },
        ...INITIATIVE_OUTCOMES.map(outcome => ({ outcome, initiatives: v.byOutcome[outcome] ?? 0 })),
      ],
    }),
    customerGains: t.field({
      type: 'Money',
      description: 'Measured annual gains of adopted, customer-recognised initiatives, for the customers.',
      resolve: v => v.customerGains,
    }),
    supplierGains: t.field({
      type: 'Money',
      description: 'The same initiatives’ measured annual gains for us.',
      resolve: v => v.supplierGains,
    }),
    keyAccountsWithProvenRecognisedValue: t.exposeInt('keyAccountsWithProvenRecognisedValue', {
      description: 'Key accounts with at least one proven value the customer recognises.',
    }),
    shareOfKeyAccountsWithProvenRecognisedValue: t.float({
      nullable: true,
      description: 'Their share of the key accounts, 0–1; null without key accounts.',
      resolve: v => v.shareOfKeyAccountsWithProvenRecognisedValue,
    }),
  }),
});

// Profitability (domain §9).

const SizeBandRef = builder.objectRef<ProfitabilitySummary['bySize'][number]>('SizeBand').implement({
  description: 'A tenth of the active accounts by TTM revenue, with its margins.',
  fields: t => ({
    decile: t.exposeInt('decile', {
      description: '1 = the largest 10 % of active accounts, 10 = the smallest.',
    }),
    accounts: t.exposeInt('accounts', { description: 'Accounts in the band.' }),
    ttmRevenue: t.field({ type: 'Money', description: 'Their TTM revenue.', resolve: b => b.ttmRevenue }),
    ttmGrossProfit: t.field({
      type: 'Money',
      description: 'Their TTM gross profit.',
      resolve: b => b.ttmGrossProfit,
    }),
    ttmContribution: t.field({
      type: 'Money',
      description: 'Their TTM contribution (gross profit − cost-to-serve).',
      resolve: b => b.ttmContribution,
    }),
    grossMargin: t.float({
      nullable: true,
      description: 'Gross profit ÷ revenue; null unless revenue is positive.',
      resolve: b => b.grossMargin,
    }),
    contributionMargin: t.float({
      nullable: true,
      description: 'Contribution ÷ revenue; null unless revenue is positive.',
      resolve: b => b.contributionMargin,
    }),
  }),
});

const KeyAccountProfitabilityRef = builder
  .objectRef<ProfitabilitySummary['keyAccounts'][number]>('KeyAccountProfitability')
  .implement({
    description: 'A key account’s size against its contribution margin.',
    fields: t => ({
      ...accountFields(t),
      ttmRevenue: t.field({ type: 'Money', description: 'Its TTM revenue.', resolve: k => k.ttmRevenue }),
      contributionMargin: t.float({
        nullable: true,
        description: 'Contribution ÷ revenue; null unless revenue is positive.',
        resolve: k => k.contributionMargin,
      }),
    }),
  });

export const ProfitabilitySummaryRef = builder
  .objectRef<ProfitabilitySummary>('ProfitabilitySummary')
  .implement({
    description: 'Margin against size, and each key account’s contribution margin (domain §9).',
    fields: t => ({
      bySize: t.field({
        type: [SizeBandRef],
        description: 'The active accounts in ten size bands, largest first.',
        resolve: p => p.bySize,
      }),
      keyAccounts: t.field({
        type: [KeyAccountProfitabilityRef],
        description: 'Every key account, by external ref.',
        resolve: p => p.keyAccounts,
      }),
    }),
  });

// A group's roll-up (domain §1).

export const GroupRollupRef = builder.objectRef<GroupRollup>('GroupRollup').implement({
  description: 'A group account’s figures with all its descendants included.',
  fields: t => ({
    descendants: t.exposeInt('descendants', { description: 'Accounts below it, at every depth.' }),
    ttmRevenue: t.field({
      type: 'Money',
      description: 'TTM revenue of the group.',
      resolve: g => g.ttmRevenue,
    }),
    ttmGrossProfit: t.field({
      type: 'Money',
      description: 'TTM gross profit of the group.',
      resolve: g => g.ttmGrossProfit,
    }),
    ttmCostToServe: t.field({
      type: 'Money',
      description: 'TTM cost-to-serve of the group.',
      resolve: g => g.ttmCostToServe,
    }),
    openQualifiedPipeline: t.field({
      type: 'Money',
      description: 'Open qualified opportunities of the group.',
      resolve: g => g.openQualifiedPipeline,
    }),
    plans: t.exposeInt('plans', {
      description:
        'Account plans across the group in force on the quarter’s last day (those that existed then).',
    }),
  }),
});

// Flags (domain §7).

/** A closed quarter's flags with the quarter they were found in (what `AccountFlag` shows). */
export function flagsOfQuarter(
  flags: readonly AccountFlag[],
  quarter: string,
): (AccountFlag & { quarter: string })[] {
  return flags.map(flag => ({ ...flag, quarter }));
}

export const FlagRef = builder.objectRef<AccountFlag & { quarter: string }>('AccountFlag').implement({
  description: 'Why a key account needs attention, as of a closed quarter.',
  fields: t => ({
    kind: t.field({ type: FlagKindEnum, description: 'What kind of attention.', resolve: f => f.kind }),
    message: t.exposeString('message', { description: 'What is wrong and what would clear it.' }),
    quarter: t.field({
      type: 'Quarter',
      description: 'The closed quarter it was found in.',
      resolve: f => f.quarter,
    }),
  }),
});

const FlagCountRef = builder
  .objectRef<{ kind: (typeof FLAG_KINDS)[number]; accounts: number }>('FlagCount')
  .implement({
    description: 'Key accounts carrying one kind of flag.',
    fields: t => ({
      kind: t.field({ type: FlagKindEnum, description: 'The kind of flag.', resolve: c => c.kind }),
      accounts: t.exposeInt('accounts', { description: 'How many key accounts carry it.' }),
    }),
  });

type FlaggedAccountRow = FlagSummary['accounts'][number] & { quarter: string };

const FlaggedAccountRef = builder.objectRef<FlaggedAccountRow>('FlaggedAccount').implement({
  description: 'A key account with at least one flag, and each flag.',
  fields: t => ({
    ...accountFields(t),
    flags: t.field({
      type: [FlagRef],
      description: 'Its flags, each saying what would clear it.',
      resolve: a => flagsOfQuarter(a.flags, a.quarter),
    }),
  }),
});

export const FlagSummaryRef = builder.objectRef<FlagSummary & { quarter: string }>('FlagSummary').implement({
  description: 'The key accounts needing attention in a closed quarter.',
  fields: t => ({
    counts: t.field({
      type: [FlagCountRef],
      description: 'Key accounts per kind of flag, every kind listed.',
      resolve: f => FLAG_KINDS.map(kind => ({ kind, accounts: f.counts[kind] ?? 0 })),
    }),
    accounts: t.field({
      type: [FlaggedAccountRef],
      description: 'The flagged key accounts, most flags first, then by external ref.',
      resolve: f => f.accounts.map(account => ({ ...account, quarter: f.quarter })),
    }),
  }),
});

// The portfolio of a closed quarter (domain §12).

export const PortfolioTotalsRef = builder.objectRef<PortfolioTotals>('PortfolioTotals').implement({
  description: 'The portfolio’s size and trailing-twelve-month figures.',
  fields: t => ({
    accounts: t.exposeInt('accounts', { description: 'All accounts.' }),
    activeAccounts: t.exposeInt('activeAccounts', { description: 'Accounts with TTM revenue.' }),
    keyAccounts: t.exposeInt('keyAccounts', { description: 'Key accounts at the quarter’s end.' }),
    ttmRevenue: t.field({ type: 'Money', description: 'TTM revenue.', resolve: p => p.ttmRevenue }),
    ttmGrossProfit: t.field({
      type: 'Money',
      description: 'TTM gross profit.',
      resolve: p => p.ttmGrossProfit,
    }),
    ttmCostToServe: t.field({
      type: 'Money',
      description: 'TTM cost-to-serve.',
      resolve: p => p.ttmCostToServe,
    }),
    ttmContribution: t.field({
      type: 'Money',
      description: 'TTM contribution (gross profit − cost-to-serve).',
      resolve: p => p.ttmContribution,
    }),
    keyAccountTtmRevenue: t.field({
      type: 'Money',
      description: 'The key accounts’ TTM revenue.',
      resolve: p => p.keyAccountTtmRevenue,
    }),
    keyAccountRevenueShare: t.float({
      nullable: true,
      description: 'The key accounts’ share of TTM revenue, 0–1; null without revenue.',
      resolve: p => p.keyAccountRevenueShare,
    }),
  }),
});

const GrowthGroupRef = builder.objectRef<GrowthComparison['keyAccounts']>('GrowthGroup').implement({
  description: 'A group of accounts’ trailing year against the year before.',
  fields: t => ({
    accounts: t.exposeInt('accounts', { description: 'Accounts in the group.' }),
    ttmRevenue: t.field({ type: 'Money', description: 'TTM revenue.', resolve: g => g.ttmRevenue }),
    priorTtmRevenue: t.field({
      type: 'Money',
      description: 'Revenue recorded in the four quarters before.',
      resolve: g => g.priorTtmRevenue,
    }),
    revenueGrowth: t.float({
      nullable: true,
      description: 'Revenue growth as a ratio (0.1 = +10 %); null without the whole year before in the data.',
      resolve: g => g.revenueGrowth,
    }),
    ttmGrossProfit: t.field({
      type: 'Money',
      description: 'TTM gross profit.',
      resolve: g => g.ttmGrossProfit,
    }),
    priorTtmGrossProfit: t.field({
      type: 'Money',
      description: 'Gross profit recorded in the four quarters before.',
      resolve: g => g.priorTtmGrossProfit,
    }),
    grossProfitGrowth: t.float({
      nullable: true,
      description: 'Gross profit growth as a ratio; null without the whole year before in the data.',
      resolve: g => g.grossProfitGrowth,
    }),
  }),
});

const GrowthPointRef = builder.objectRef<GrowthComparison['trend'][number]>('GrowthPoint').implement({
  description: 'Year-on-year revenue growth of both groups in one quarter.',
  fields: t => ({
    quarter: t.field({ type: 'Quarter', description: 'The quarter.', resolve: p => p.quarter }),
    keyAccountGrowth: t.float({
      nullable: true,
      description: 'The key accounts’.',
      resolve: p => p.keyAccountGrowth,
    }),
    controlGroupGrowth: t.float({
      nullable: true,
      description: 'The control group’s.',
      resolve: p => p.controlGroupGrowth,
    }),
  }),
});

export const GrowthComparisonRef = builder.objectRef<GrowthComparison>('GrowthComparison').implement({
  description: 'Key accounts against the rest of the base, the control group (domain §8).',
  fields: t => ({
    keyAccounts: t.field({
      type: GrowthGroupRef,
      description: 'The key accounts.',
      resolve: g => g.keyAccounts,
    }),
    controlGroup: t.field({
      type: GrowthGroupRef,
      description: 'Every other account.',
      resolve: g => g.controlGroup,
    }),
    ratio: t.float({
      nullable: true,
      description: 'Key-account revenue growth ÷ the control group’s; null when either is undefined.',
      resolve: g => g.ratio,
    }),
    trend: t.field({
      type: [GrowthPointRef],
      description: 'Per trend quarter, oldest first.',
      resolve: g => g.trend,
    }),
  }),
});

const WinRatePointRef = builder.objectRef<WinRateSummary['trend'][number]>('WinRatePoint').implement({
  description: 'Qualified bids decided in one quarter.',
  fields: t => ({
    quarter: t.field({ type: 'Quarter', description: 'The quarter.', resolve: p => p.quarter }),
    won: t.exposeInt('won', { description: 'Bids won.' }),
    lost: t.exposeInt('lost', { description: 'Bids lost.' }),
    rate: t.float({
      nullable: true,
      description: 'Won ÷ decided, 0–1; null without any.',
      resolve: p => p.rate,
    }),
  }),
});

export const WinRateSummaryRef = builder.objectRef<WinRateSummary>('WinRateSummary').implement({
  description: 'Qualified bids won against the target (domain §10: 80 %).',
  fields: t => ({
    won: t.exposeInt('won', { description: 'Bids won in the trailing four quarters.' }),
    lost: t.exposeInt('lost', { description: 'Bids lost in them.' }),
    rate: t.float({
      nullable: true,
      description: 'Won ÷ decided, 0–1; null without any.',
      resolve: w => w.rate,
    }),
    target: t.exposeFloat('target', {
      nullable: true,
      description:
        "The WIN_RATE KPI's target as a rate, 0–1 (80 % by default); null when its target was cleared.",
    }),
    wonValue: t.field({ type: 'Money', description: 'The value of the bids won.', resolve: w => w.wonValue }),
    trend: t.field({
      type: [WinRatePointRef],
      description: 'Per trend quarter, oldest first.',
      resolve: w => w.trend,
    }),
  }),
});

export const BusinessUnitFiguresRef = builder
  .objectRef<BusinessUnitSummary>('BusinessUnitFigures')
  .implement({
    description: 'One business unit’s figures in a closed quarter.',
    fields: t => ({
      code: t.exposeString('code', { description: 'The unit’s code.' }),
      name: t.exposeString('name', { description: 'The unit’s name.' }),
      ttmRevenue: t.field({
        type: 'Money',
        description: 'TTM revenue booked to it.',
        resolve: u => u.ttmRevenue,
      }),
      ttmGrossProfit: t.field({
        type: 'Money',
        description: 'TTM gross profit.',
        resolve: u => u.ttmGrossProfit,
      }),
      activeAccounts: t.exposeInt('activeAccounts', {
        description: 'Accounts buying from it in the TTM window.',
      }),
      keyAccounts: t.exposeInt('keyAccounts', { description: 'Key accounts among them.' }),
      openQualifiedPipeline: t.field({
        type: 'Money',
        description: 'Open qualified opportunities.',
        resolve: u => u.openQualifiedPipeline,
      }),
      wonValueTtm: t.field({
        type: 'Money',
        description: 'Value of qualified bids won in the TTM window.',
        resolve: u => u.wonValueTtm,
      }),
      winRate: t.float({
        nullable: true,
        description: 'Its win rate, 0–1; null without bids.',
        resolve: u => u.winRate,
      }),
      peopleSatisfaction: t.float({
        nullable: true,
        description: 'Its people satisfaction index; null when not measured.',
        resolve: u => u.peopleSatisfaction,
      }),
      whiteSpaceAccounts: t.exposeInt('whiteSpaceAccounts', {
        description: 'Key accounts with potential for it and no revenue from it.',
      }),
      whiteSpacePotential: t.field({
        type: 'Money',
        description: 'Their potential.',
        resolve: u => u.whiteSpacePotential,
      }),
    }),
  });
