/** Selecting key accounts (domain §4): assessments, designations, their review and revocation. */
import {
  Account,
  activeDesignation,
  designateKeyAccount,
  KeyAccountDesignation,
  missingRecordMessage,
  recordAssessment,
  reviewDesignation,
  revokeDesignation,
  SelectionAssessment,
} from '@kam/domain';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { assertCanWriteAccount } from '../../auth/permissions.ts';
import { builder } from '../../builder.ts';
import type { KamContext } from '../../context.ts';
import { NotFoundError } from '../../errors.ts';
import { connectionComplexity, newestFirstOfAccount } from '../connection.ts';
import { decodeId } from '../ids.ts';
import { AccountRef, DesignationRef } from './account.ts';
import { PersonRef } from './organisation.ts';
import { connectionTypes, described } from './workflow.ts';

export const SelectionAssessmentRef = builder
  .objectRef<SelectionAssessment>('SelectionAssessment')
  .implement({
    description:
      'The manual strategic and attitude assessment of a key-account candidate; every score 1–5. A new assessment supersedes the previous one, which stays as history.',
    fields: t => ({
      assessedOn: t.field({ type: 'Date', description: 'When it was assessed.', resolve: a => a.assessedOn }),
      assessedBy: t.field({
        type: PersonRef,
        nullable: true,
        description: 'Who assessed it.',
        resolve: a => a.assessedBy?.id ?? null,
      }),
      marketLeadership: t.exposeInt('marketLeadership', {
        description: 'Strategic: market leadership, 1–5.',
      }),
      innovationLeadership: t.exposeInt('innovationLeadership', {
        description: 'Strategic: innovation leadership, 1–5.',
      }),
      growthFit: t.exposeInt('growthFit', {
        description: 'Strategic: fit of the customer’s growth direction with our capabilities, 1–5.',
      }),
      otherUnitsPotential: t.exposeInt('otherUnitsPotential', {
        description: 'Strategic: potential with our other business units, 1–5.',
      }),
      loyalty: t.exposeInt('loyalty', { description: 'Attitude: loyalty, 1–5.' }),
      informationSharing: t.exposeInt('informationSharing', {
        description: 'Attitude: willingness to share information, 1–5.',
      }),
      engagementDesire: t.exposeInt('engagementDesire', {
        description: 'Attitude: desire to engage in a working relationship, 1–5.',
      }),
      buyingBasis: t.exposeInt('buyingBasis', {
        description: 'Attitude: buying basis, 1 = buys on price alone, 5 = buys on value.',
      }),
      sustainableRevenue: t.exposeBoolean('sustainableRevenue', {
        description: 'Is the revenue stream sustainable?',
      }),
      defectionInfluencesOthers: t.exposeBoolean('defectionInfluencesOthers', {
        description: 'Would its defection influence other key customers?',
      }),
      winningImprovesOthers: t.exposeBoolean('winningImprovesOthers', {
        nullable: true,
        description: 'For a non-customer: would winning it improve our business with other key accounts?',
      }),
      notes: t.exposeString('notes', { nullable: true, description: 'Notes.' }),
    }),
  });

/** An account's selection assessments, newest first (ties by id). */
const assessmentsOf = newestFirstOfAccount(SelectionAssessment, 'assessedOn');

/** An account's key-account designations, newest first (ties by id). */
const designationsOf = newestFirstOfAccount(KeyAccountDesignation, 'designatedOn');

// Connections: nothing bounds how often an account is assessed, or designated and revoked.
builder.objectFields(AccountRef, t => ({
  assessments: t.connection(
    {
      type: SelectionAssessmentRef,
      description: 'The account’s selection assessments, newest first, a page at a time.',
      complexity: connectionComplexity,
      resolve: (a, args, ctx) => assessmentsOf.page(ctx, a.id, args),
    },
    ...connectionTypes('selection assessments', 'How many selection assessments the account has'),
  ),
  designations: t.connection(
    {
      type: DesignationRef,
      description:
        'Every key-account designation of the account, newest first (designations are never deleted), a page at a time.',
      complexity: connectionComplexity,
      resolve: (a, args, ctx) => designationsOf.page(ctx, a.id, args),
    },
    ...connectionTypes('key-account designations', 'How many designations the account has had'),
  ),
}));

const RecordSelectionAssessmentInput = builder.inputType('RecordSelectionAssessmentInput', {
  description: 'A strategic and attitude assessment of a candidate; every score is a whole number 1–5.',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The account assessed.' }),
    assessedOn: t.field({ type: 'Date', description: 'When (today when omitted).' }),
    marketLeadership: t.int({ required: true, description: 'Market leadership, 1–5.' }),
    innovationLeadership: t.int({ required: true, description: 'Innovation leadership, 1–5.' }),
    growthFit: t.int({
      required: true,
      description: 'Fit of their growth direction with our capabilities, 1–5.',
    }),
    otherUnitsPotential: t.int({
      required: true,
      description: 'Potential with our other business units, 1–5.',
    }),
    loyalty: t.int({ required: true, description: 'Loyalty, 1–5.' }),
    informationSharing: t.int({ required: true, description: 'Willingness to share information, 1–5.' }),
    engagementDesire: t.int({
      required: true,
      description: 'Desire to engage in a working relationship, 1–5.',
    }),
    buyingBasis: t.int({ required: true, description: 'Buying basis: 1 price alone … 5 value.' }),
    sustainableRevenue: t.boolean({ required: true, description: 'Is the revenue stream sustainable?' }),
    defectionInfluencesOthers: t.boolean({
      required: true,
      description: 'Would its defection influence other key customers?',
    }),
    winningImprovesOthers: t.boolean({
      description: 'For a non-customer: would winning it improve our business with other key accounts?',
    }),
    notes: t.string({ description: 'Notes.' }),
  }),
});

const DesignateKeyAccountInput = builder.inputType('DesignateKeyAccountInput', {
  description: 'Makes an account a key account.',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The account.' }),
    designatedOn: t.field({
      type: 'Date',
      description: 'From when (today when omitted; not after today: DATE_IN_FUTURE).',
    }),
    reviewDueOn: t.field({
      type: 'Date',
      description: 'When to review it: at least 24 months later (the configured period when omitted).',
    }),
    reason: t.string({ description: 'Why the account is made key.' }),
  }),
});

const ReviewDesignationInput = builder.inputType('ReviewKeyAccountDesignationInput', {
  description: 'Confirms an account’s current designation after its review.',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The key account.' }),
    expectedVersion: t.int({ required: true, description: 'The designation’s version you last read.' }),
    reviewedOn: t.field({
      type: 'Date',
      description:
        'When it was reviewed (today when omitted): on or after the designation and its last review, not after today.',
    }),
    nextReviewDueOn: t.field({ type: 'Date', description: 'The next review, at least 24 months out.' }),
  }),
});

const RevokeDesignationInput = builder.inputType('RevokeKeyAccountInput', {
  description: 'Ends an account’s current designation; the record stays.',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The key account.' }),
    expectedVersion: t.int({ required: true, description: 'The designation’s version you last read.' }),
    revokedOn: t.field({
      type: 'Date',
      description: 'When it ends (today when omitted; not after today: DATE_IN_FUTURE).',
    }),
    reason: t.string({ required: true, description: 'Why the account is no longer key.' }),
  }),
});

/** The account's current designation; the account is named as its users know it when it has none. */
async function currentDesignation(ctx: KamContext, accountId: number): Promise<KeyAccountDesignation> {
  const em = ctx.em.fork();
  const designation = await activeDesignation(em, accountId);
  if (!designation) {
    const account = await em.findOne(Account, accountId, { fields: ['externalRef', 'name'] });
    throw new NotFoundError(
      account
        ? `Account ${account.externalRef} (${account.name}) has no current key-account designation to review or revoke; designate it first.`
        : missingRecordMessage('Account', encodeGlobalID('Account', accountId)),
      'NOT_FOUND',
    );
  }
  return designation;
}

builder.mutationFields(t => ({
  recordSelectionAssessment: t.field({
    type: SelectionAssessmentRef,
    description:
      'Records the strategic and attitude assessment of a key-account candidate (ADMIN, or an account manager on the team).',
    authScopes: { write: true },
    errors: described('recording a selection assessment'),
    args: {
      input: t.arg({ type: RecordSelectionAssessmentInput, required: true, description: 'The assessment.' }),
    },
    resolve: async (_, { input }, ctx) => {
      const accountId = decodeId(input.accountId, 'Account', 'accountId');
      await assertCanWriteAccount(ctx, accountId);
      return recordAssessment(
        ctx.em,
        { ...input, accountId, assessedOn: input.assessedOn ?? undefined, assessedById: ctx.viewer.personId },
        ctx.actor,
      );
    },
  }),
  designateKeyAccount: t.field({
    type: DesignationRef,
    description:
      'Makes an account a key account, with a review at least 24 months out (ADMIN: selecting key accounts is a portfolio decision, not the account team’s).',
    authScopes: { admin: true },
    errors: described('designating a key account'),
    args: {
      input: t.arg({ type: DesignateKeyAccountInput, required: true, description: 'The designation.' }),
    },
    resolve: (_, { input }, ctx) =>
      designateKeyAccount(
        ctx.em,
        {
          accountId: decodeId(input.accountId, 'Account', 'accountId'),
          designatedOn: input.designatedOn ?? undefined,
          reviewDueOn: input.reviewDueOn ?? undefined,
          designatedById: ctx.viewer.personId,
          reason: input.reason,
        },
        ctx.actor,
      ),
  }),
  reviewKeyAccountDesignation: t.field({
    type: DesignationRef,
    description: 'Confirms a key-account designation after its review and sets the next review (ADMIN).',
    authScopes: { admin: true },
    errors: described('reviewing a designation'),
    args: { input: t.arg({ type: ReviewDesignationInput, required: true, description: 'The review.' }) },
    resolve: async (_, { input }, ctx) => {
      const designation = await currentDesignation(ctx, decodeId(input.accountId, 'Account', 'accountId'));
      return reviewDesignation(
        ctx.em,
        {
          id: designation.id,
          expectedVersion: input.expectedVersion,
          reviewedOn: input.reviewedOn ?? undefined,
          nextReviewDueOn: input.nextReviewDueOn ?? undefined,
        },
        ctx.actor,
      );
    },
  }),
  revokeKeyAccount: t.field({
    type: DesignationRef,
    description: 'Ends an account’s key-account designation (ADMIN). The designation stays as history.',
    authScopes: { admin: true },
    errors: described('revoking a key account'),
    args: { input: t.arg({ type: RevokeDesignationInput, required: true, description: 'The revocation.' }) },
    resolve: async (_, { input }, ctx) => {
      const designation = await currentDesignation(ctx, decodeId(input.accountId, 'Account', 'accountId'));
      return revokeDesignation(
        ctx.em,
        {
          id: designation.id,
          expectedVersion: input.expectedVersion,
          revokedOn: input.revokedOn ?? undefined,
          revokedById: ctx.viewer.personId,
          reason: input.reason,
        },
        ctx.actor,
      );
    },
  }),
}));
