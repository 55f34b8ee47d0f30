/** The value journey (domain §5): the team's tier call per account and quarter. */
import { assessTier, TierAssessment, VALUE_TIER_NAMES } from '@kam/domain';
import { assertCanWriteAccount } from '../../auth/permissions.ts';
import { builder } from '../../builder.ts';
import { decodeId } from '../ids.ts';
import { groupedBy } from '../loaders.ts';
import { AccountRef } from './account.ts';
import { PersonRef } from './organisation.ts';
import { ValueTierEnum } from './vocabulary.ts';
import { described } from './workflow.ts';

export const TierAssessmentRef = builder.objectRef<TierAssessment>('TierAssessment').implement({
  description: 'The account team’s call on a key account’s value tier for a quarter, with its evidence.',
  fields: t => ({
    quarter: t.field({ type: 'Quarter', description: 'The quarter.', resolve: a => a.quarter }),
    tier: t.field({ type: ValueTierEnum, description: 'The tier.', resolve: a => a.tier }),
    tierName: t.string({
      description: 'The tier’s name (Price, Differentiator, Value add, Mutual benefit).',
      resolve: a => VALUE_TIER_NAMES[a.tier],
    }),
    evidence: t.exposeString('evidence', {
      description: 'What the team saw that puts the account at this tier.',
    }),
    assessedBy: t.field({
      type: PersonRef,
      nullable: true,
      description: 'Who made the call.',
      resolve: a => a.assessedBy?.id ?? null,
    }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back to change the call.',
    }),
  }),
});

builder.objectFields(AccountRef, t => ({
  tierHistory: t.loadableList({
    type: TierAssessmentRef,
    description: 'The value journey: the account’s tier by quarter, oldest first.',
    load: async (ids: number[], ctx) => {
      const rows = await ctx.em.find(
        TierAssessment,
        { account: { $in: ids } },
        { orderBy: { quarter: 'asc' } },
      );
      return groupedBy(ids, rows, r => r.account.id);
    },
    resolve: a => a.id,
  }),
}));

const AssessTierInput = builder.inputType('AssessTierInput', {
  description: 'The team’s tier call for an account and quarter.',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The account.' }),
    quarter: t.field({
      type: 'Quarter',
      required: true,
      description:
        'The quarter: one that has started (the running quarter or an earlier one; else QUARTER_NOT_STARTED).',
    }),
    tier: t.field({ type: ValueTierEnum, required: true, description: 'The tier.' }),
    evidence: t.string({
      required: true,
      description: 'A short evidence note (required: TIER_EVIDENCE_REQUIRED).',
    }),
    expectedVersion: t.int({
      description:
        'Required to change the quarter’s existing call: the version you read. Omit it to record a first call (sent for a quarter not assessed, it is a ConflictError with currentVersion null).',
    }),
  }),
});

builder.mutationFields(t => ({
  assessTier: t.field({
    type: TierAssessmentRef,
    description:
      'Records (or, with expectedVersion, changes) the team’s value-tier call for a quarter, with evidence.',
    authScopes: { write: true },
    errors: described('assessing a tier'),
    args: { input: t.arg({ type: AssessTierInput, required: true, description: 'The tier call.' }) },
    resolve: async (_, { input }, ctx) => {
      const accountId = decodeId(input.accountId, 'Account', 'accountId');
      await assertCanWriteAccount(ctx, accountId);
      return assessTier(
        ctx.em,
        {
          accountId,
          quarter: input.quarter,
          tier: input.tier,
          evidence: input.evidence,
          expectedVersion: input.expectedVersion ?? undefined,
          assessedById: ctx.viewer.personId,
        },
        ctx.actor,
      );
    },
  }),
}));
