/**
 * The parts of a closed quarter's account document (`AccountSnapshotPayload` in @kam/domain)
 * as GraphQL types, so that "the account as it was closed" reads as typed as the account does
 * now: TTM figures, quarters, selection, value tier, plan, initiatives, team, stakeholders and
 * signals. Health, whitespace, flags and the group roll-up reuse the live types.
 */
import type { AccountSnapshotPayload } from '@kam/domain';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import { TeamRoleEnum } from './team.ts';
import {
  AccountQuadrantEnum,
  ContactFunctionEnum,
  ContactStanceEnum,
  DesignPhaseEnum,
  InitiativeOutcomeEnum,
  PlanStatusEnum,
  ReviewAssessmentEnum,
  ValueCategoryEnum,
  ValueTierEnum,
} from './vocabulary.ts';

type Doc = AccountSnapshotPayload;

/**
 * The price of a list inside a stored document: its items are already read and parsed with
 * the document (no query each), so a list costs what its fields cost, not ten times that.
 */
export const IN_DOCUMENT = { field: 1, multiplier: 1 };

export const AccountSnapshotDesignationRef = builder
  .objectRef<NonNullable<Doc['designation']>>('AccountSnapshotDesignation')
  .implement({
    description: 'The key-account designation in force at the quarter’s end.',
    fields: t => ({
      designatedOn: t.field({
        type: 'Date',
        description: 'When it was designated.',
        resolve: d => d.designatedOn,
      }),
      reviewDueOn: t.field({
        type: 'Date',
        description: 'When its review is due.',
        resolve: d => d.reviewDueOn,
      }),
    }),
  });

export const AccountSnapshotTtmRef = builder.objectRef<Doc['ttm']>('AccountSnapshotTtm').implement({
  description: 'The account’s trailing-twelve-month figures at the quarter’s end.',
  fields: t => ({
    revenue: t.field({ type: 'Money', description: 'TTM revenue.', resolve: m => m.revenue }),
    grossProfit: t.field({ type: 'Money', description: 'TTM gross profit.', resolve: m => m.grossProfit }),
    costToServe: t.field({ type: 'Money', description: 'TTM cost-to-serve.', resolve: m => m.costToServe }),
    contribution: t.field({
      type: 'Money',
      description: 'TTM contribution (gross profit − cost-to-serve).',
      resolve: m => m.contribution,
    }),
    grossMargin: t.float({
      nullable: true,
      description: 'Gross profit ÷ revenue; null unless revenue is positive.',
      resolve: m => m.grossMargin,
    }),
    contributionMargin: t.float({
      nullable: true,
      description: 'Contribution ÷ revenue; null unless revenue is positive.',
      resolve: m => m.contributionMargin,
    }),
    priorRevenue: t.field({
      type: 'Money',
      description: 'Revenue recorded in the four quarters before.',
      resolve: m => m.priorRevenue,
    }),
    revenueGrowth: t.float({
      nullable: true,
      description:
        'Revenue growth as a ratio (0.1 = +10 %); null without revenue the year before or without that whole year in the data.',
      resolve: m => m.revenueGrowth,
    }),
  }),
});

export const AccountSnapshotQuarterRef = builder
  .objectRef<Doc['financials'][number]>('AccountSnapshotQuarter')
  .implement({
    description: 'The account’s figures in one trend quarter (zero without data).',
    fields: t => ({
      quarter: t.field({ type: 'Quarter', description: 'The quarter.', resolve: q => q.quarter }),
      revenue: t.field({ type: 'Money', description: 'Revenue.', resolve: q => q.revenue }),
      grossProfit: t.field({ type: 'Money', description: 'Gross profit.', resolve: q => q.grossProfit }),
      costToServe: t.field({ type: 'Money', description: 'Cost-to-serve.', resolve: q => q.costToServe }),
      contribution: t.field({ type: 'Money', description: 'Contribution.', resolve: q => q.contribution }),
    }),
  });

export const AccountSnapshotSelectionRef = builder
  .objectRef<Doc['selection']>('AccountSnapshotSelection')
  .implement({
    description: 'The account’s selection scores and quadrant at the quarter’s end (null until assessed).',
    fields: t => ({
      financialScore: t.float({
        nullable: true,
        description: 'Financial score, 0–100; null without revenue.',
        resolve: s => s.financialScore,
      }),
      strategicScore: t.float({
        nullable: true,
        description: 'Strategic score, 0–100.',
        resolve: s => s.strategicScore,
      }),
      attitudeScore: t.float({
        nullable: true,
        description: 'Attitude score, 0–100.',
        resolve: s => s.attitudeScore,
      }),
      attractiveness: t.float({
        nullable: true,
        description: 'Attractiveness, 0–100.',
        resolve: s => s.attractiveness,
      }),
      relationshipStrength: t.float({
        nullable: true,
        description: 'Relationship strength, 0–100.',
        resolve: s => s.relationshipStrength,
      }),
      quadrant: t.field({
        type: AccountQuadrantEnum,
        nullable: true,
        description: 'Its quadrant.',
        resolve: s => s.quadrant,
      }),
      assessedOn: t.field({
        type: 'Date',
        nullable: true,
        description: 'The assessment the scores come from.',
        resolve: s => s.assessedOn,
      }),
    }),
  });

const TierPointRef = builder
  .objectRef<NonNullable<Doc['tier']>['history'][number]>('AccountSnapshotTierPoint')
  .implement({
    description: 'The value tier assessed in one trend quarter.',
    fields: t => ({
      quarter: t.field({ type: 'Quarter', description: 'The quarter.', resolve: p => p.quarter }),
      tier: t.field({
        type: ValueTierEnum,
        nullable: true,
        description: 'The tier; null when not assessed in it.',
        resolve: p => p.tier,
      }),
      evidence: t.string({ nullable: true, description: 'The evidence recorded.', resolve: p => p.evidence }),
    }),
  });

const SuggestedTierRef = builder
  .objectRef<NonNullable<NonNullable<Doc['tier']>['suggested']>>('SuggestedTier')
  .implement({
    description: 'The tier the evidence suggests (the recorded tier is the team’s call).',
    fields: t => ({
      tier: t.field({ type: ValueTierEnum, description: 'The suggested tier.', resolve: s => s.tier }),
      reasons: t.stringList({ description: 'The evidence behind it.', resolve: s => s.reasons }),
    }),
  });

export const AccountSnapshotTierRef = builder
  .objectRef<NonNullable<Doc['tier']>>('AccountSnapshotTier')
  .implement({
    description: 'A key account’s place on the value journey.',
    fields: t => ({
      current: t.field({
        type: ValueTierEnum,
        nullable: true,
        description: 'The tier assessed in the quarter; null when not assessed.',
        resolve: v => v.current,
      }),
      evidence: t.string({ nullable: true, description: 'Its evidence.', resolve: v => v.evidence }),
      history: t.field({
        type: [TierPointRef],
        complexity: IN_DOCUMENT,
        description: 'Per trend quarter, oldest first.',
        resolve: v => v.history,
      }),
      suggested: t.field({
        type: SuggestedTierRef,
        nullable: true,
        description: 'The tier the evidence suggests.',
        resolve: v => v.suggested,
      }),
    }),
  });

export const AccountSnapshotPlanRef = builder
  .objectRef<NonNullable<Doc['plan']>>('AccountSnapshotPlan')
  .implement({
    description:
      'The account’s plan in force in the quarter (the one whose period covers the quarter’s last day, whatever its year), as it stood.',
    fields: t => ({
      planId: t.id({
        description: 'The plan’s global id.',
        resolve: p => encodeGlobalID('AccountPlan', p.id),
      }),
      year: t.exposeInt('year', { description: 'The plan year.' }),
      status: t.field({ type: PlanStatusEnum, description: 'Its status.', resolve: p => p.status }),
      revenueTarget: t.field({
        type: 'Money',
        nullable: true,
        description: 'The revenue target.',
        resolve: p => p.revenueTarget,
      }),
      marginTargetPercent: t.string({
        nullable: true,
        description: 'The gross margin target, in per cent (decimal).',
        resolve: p => p.marginTargetPercent,
      }),
      inYearTarget: t.field({
        type: 'Money',
        nullable: true,
        description: 'The in-year revenue target.',
        resolve: p => p.inYearTarget,
      }),
      revenueYearToDate: t.field({
        type: 'Money',
        description:
          'Revenue booked in the plan’s year so far: from the quarter its period starts in (all of that quarter, when it starts within it) up to this quarter, both included.',
        resolve: p => p.revenueYearToDate,
      }),
      lastReviewOn: t.field({
        type: 'Date',
        nullable: true,
        description: 'The last execution review.',
        resolve: p => p.lastReviewOn,
      }),
      lastReviewAssessment: t.field({
        type: ReviewAssessmentEnum,
        nullable: true,
        description: 'What it concluded.',
        resolve: p => p.lastReviewAssessment,
      }),
      openActions: t.exposeInt('openActions', { description: 'Actions still open.' }),
      doneActions: t.exposeInt('doneActions', { description: 'Actions done.' }),
      overdueActions: t.exposeInt('overdueActions', { description: 'Open actions past their due date.' }),
      missingSignOffs: t.stringList({
        description: 'Business units (codes) whose sign-off is missing.',
        resolve: p => p.missingSignOffs,
      }),
    }),
  });

export const AccountSnapshotInitiativeRef = builder
  .objectRef<Doc['initiatives'][number]>('AccountSnapshotInitiative')
  .implement({
    description: 'A value initiative with the account, as it stood.',
    fields: t => ({
      initiativeId: t.id({
        description: 'The initiative’s global id.',
        resolve: i => encodeGlobalID('ValueInitiative', i.id),
      }),
      name: t.exposeString('name', { description: 'Its name.' }),
      category: t.field({
        type: ValueCategoryEnum,
        description: 'The kind of value.',
        resolve: i => i.category,
      }),
      phase: t.field({ type: DesignPhaseEnum, description: 'Its design phase.', resolve: i => i.phase }),
      outcome: t.field({
        type: InitiativeOutcomeEnum,
        nullable: true,
        description: 'Its outcome; null while in progress.',
        resolve: i => i.outcome,
      }),
      customerGain: t.field({
        type: 'Money',
        nullable: true,
        description: 'The customer’s measured annual gain.',
        resolve: i => i.customerGain,
      }),
      supplierGain: t.field({
        type: 'Money',
        nullable: true,
        description: 'Our measured annual gain.',
        resolve: i => i.supplierGain,
      }),
      customerRecognised: t.exposeBoolean('customerRecognised', {
        description: 'Whether the customer recognises the value.',
      }),
    }),
  });

export const AccountSnapshotTeamMemberRef = builder
  .objectRef<Doc['team'][number]>('AccountSnapshotTeamMember')
  .implement({
    description: 'A member of our account team.',
    fields: t => ({
      personName: t.exposeString('personName', { description: 'Their name.' }),
      role: t.field({ type: TeamRoleEnum, description: 'Their role.', resolve: m => m.role }),
      geography: t.string({
        nullable: true,
        description: 'The geography they cover.',
        resolve: m => m.geography,
      }),
    }),
  });

const FunctionCoverageRef = builder
  .objectRef<NonNullable<Doc['stakeholders']>['byFunction'][number]>('AccountSnapshotFunction')
  .implement({
    description: 'The customer’s contacts in one function.',
    fields: t => ({
      function: t.field({
        type: ContactFunctionEnum,
        description: 'The function.',
        resolve: f => f.function,
      }),
      contacts: t.exposeInt('contacts', { description: 'Contacts in it.' }),
      champions: t.exposeInt('champions', { description: 'Champions among them.' }),
    }),
  });

const StakeholderRef = builder
  .objectRef<NonNullable<Doc['stakeholders']>['map'][number]>('AccountSnapshotContact')
  .implement({
    description: 'A contact on the stakeholder map.',
    fields: t => ({
      name: t.exposeString('name', { description: 'Their name.' }),
      function: t.field({
        type: ContactFunctionEnum,
        description: 'Their function.',
        resolve: c => c.function,
      }),
      influence: t.exposeInt('influence', { description: 'Their influence, 1–5.' }),
      stance: t.field({
        type: ContactStanceEnum,
        description: 'Their stance towards us.',
        resolve: c => c.stance,
      }),
      counterpartName: t.string({
        nullable: true,
        description: 'Their counterpart on our side, while an active person (none once they have left).',
        resolve: c => c.counterpartName,
      }),
    }),
  });

export const AccountSnapshotStakeholdersRef = builder
  .objectRef<NonNullable<Doc['stakeholders']>>('AccountSnapshotStakeholders')
  .implement({
    description: 'How well the account’s stakeholders are covered.',
    fields: t => ({
      contacts: t.exposeInt('contacts', { description: 'Contacts at the customer.' }),
      influential: t.exposeInt('influential', { description: 'Those with influence 4 or 5.' }),
      covered: t.exposeInt('covered', {
        description: 'Influential contacts whose counterpart is an active person.',
      }),
      coverage: t.float({
        nullable: true,
        description: 'Covered ÷ influential, 0–1; null without influential contacts.',
        resolve: s => s.coverage,
      }),
      byFunction: t.field({
        type: [FunctionCoverageRef],
        complexity: IN_DOCUMENT,
        description: 'Contacts and champions per function.',
        resolve: s => s.byFunction,
      }),
      map: t.field({
        type: [StakeholderRef],
        complexity: IN_DOCUMENT,
        description: 'The stakeholder map.',
        resolve: s => s.map,
      }),
    }),
  });

export const AccountSnapshotSignalsRef = builder
  .objectRef<Doc['signals']>('AccountSnapshotSignals')
  .implement({
    description: 'The customer’s signals in the quarter.',
    fields: t => ({
      feedbackPositive: t.exposeInt('feedbackPositive', { description: 'Positive feedback.' }),
      feedbackTotal: t.exposeInt('feedbackTotal', { description: 'All feedback.' }),
      adviceRequests: t.exposeInt('adviceRequests', { description: 'Requests for our advice.' }),
      expansionRequests: t.exposeInt('expansionRequests', {
        description: 'Requests to expand the partnership.',
      }),
      referrals: t.exposeInt('referrals', { description: 'Referrals.' }),
    }),
  });
