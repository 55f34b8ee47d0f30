/** Sales opportunities (domain §2, §10 WIN_RATE): create, qualify, win, lose. */
import {
  createOpportunity,
  loseOpportunity,
  Opportunity,
  qualifyOpportunity,
  updateOpportunity,
  winOpportunity,
} from '@kam/domain';
import { assertCanWriteAccount } from '../../auth/permissions.ts';
import { builder } from '../../builder.ts';
import { connectionComplexity, ownedConnection, pageOf, rangeCondition } from '../connection.ts';
import { decodeId } from '../ids.ts';
import { entityNode, entityOrRow } from '../node.ts';
import { connectionOrder } from '../order.ts';
import { AccountRef } from './account.ts';
import { BusinessUnitRef } from './organisation.ts';
import { OpportunityOutcomeEnum } from './vocabulary.ts';
import { assertCanWriteRecord, connectionTypes, described, notCleared } from './workflow.ts';

export const OpportunityRef = entityNode(Opportunity, 'Opportunity');
OpportunityRef.implement({
  description: 'A sales opportunity with an account, for one business unit.',
  isTypeOf: entityOrRow(Opportunity),
  fields: t => ({
    externalRef: t.exposeString('externalRef', { description: 'The CRM id; scripts upsert by it.' }),
    account: t.field({ type: AccountRef, description: 'The account.', resolve: o => o.account.id }),
    businessUnit: t.field({
      type: BusinessUnitRef,
      description: 'The business unit selling.',
      resolve: o => o.businessUnit.id,
    }),
    name: t.exposeString('name', { description: 'What is being sold.' }),
    value: t.field({ type: 'Money', description: 'The opportunity’s value.', resolve: o => o.value }),
    qualified: t.exposeBoolean('qualified', {
      description: 'A qualified bid (real need, budget, a chance to win); only these count in the win rate.',
    }),
    qualifiedOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When it was qualified.',
      resolve: o => o.qualifiedOn ?? null,
    }),
    expectedCloseOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When it is expected to be decided.',
      resolve: o => o.expectedCloseOn ?? null,
    }),
    outcome: t.field({
      type: OpportunityOutcomeEnum,
      description: 'OPEN, WON or LOST.',
      resolve: o => o.outcome,
    }),
    decidedOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When it was won or lost.',
      resolve: o => o.decidedOn ?? null,
    }),
    lostReason: t.exposeString('lostReason', { nullable: true, description: 'Why it was lost.' }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
  }),
});

/**
 * An account's opportunities: open ones first, then by expected decision date (undated last),
 * then oldest first. A connection: an account's pipeline grows with every bid (bulk calls of
 * 10,000), and as a plain list one request read all of them.
 */
const accountOpportunities = ownedConnection({
  entity: Opportunity,
  owner: 'account',
  order: [
    {
      property: 'outcome',
      direction: 'asc',
      rank: {
        sql: outcome => `case when ${outcome} = 'OPEN' then 0 else 1 end`,
        of: o => (o === 'OPEN' ? 0 : 1),
      },
    },
    { property: 'expectedCloseOn', direction: 'asc', nullsLast: true },
    { property: 'id', direction: 'asc' },
  ],
});

builder.objectField(AccountRef, 'opportunities', t =>
  t.connection(
    {
      type: OpportunityRef,
      description:
        'The account’s opportunities: open ones first, then by expected decision date (undated ones last), a page at a time.',
      complexity: connectionComplexity,
      resolve: (a, args, ctx) => accountOpportunities.page(ctx, a.id, args),
    },
    ...connectionTypes('opportunities', 'How many opportunities the account has'),
  ),
);

const opportunityOrder = connectionOrder(
  'OpportunityOrder',
  'opportunities',
  {
    EXPECTED_CLOSE_ON: {
      property: 'expectedCloseOn',
      description: 'When it is expected to be decided (undated ones last either way).',
      nullable: true,
    },
    DECIDED_ON: {
      property: 'decidedOn',
      description: 'When it was won or lost (open ones last either way).',
      nullable: true,
    },
    VALUE: { property: 'value', description: 'Its value.' },
    NAME: { property: 'name', description: 'What is being sold.' },
    UPDATED_AT: { property: 'updatedAt', description: 'When it last changed.' },
  },
  {
    description: 'soonest expected decision first, undated ones last',
    order: { expectedCloseOn: 'asc nulls last', id: 'asc' },
  },
);

builder.queryField('opportunities', t =>
  t.connection(
    {
      type: OpportunityRef,
      description:
        'Opportunities across accounts (the pipeline), soonest expected decision first, filtered by outcome, qualification, account, business unit and expected decision date.',
      args: {
        outcome: t.arg({
          type: OpportunityOutcomeEnum,
          description: 'Only opportunities with this outcome.',
        }),
        qualified: t.arg.boolean({ description: 'true: only qualified bids; false: only unqualified ones.' }),
        accountId: t.arg.globalID({ description: 'Only this account’s opportunities.' }),
        businessUnitId: t.arg.globalID({ description: 'Only those sold by this business unit.' }),
        closingFrom: t.arg({
          type: 'Date',
          description: 'Only those expected to be decided on or after this day.',
        }),
        closingTo: t.arg({
          type: 'Date',
          description: 'Only those expected to be decided on or before this day.',
        }),
        orderBy: t.arg(opportunityOrder.arg),
      },
      complexity: connectionComplexity,
      resolve: (_, args, ctx) => {
        const where: Record<string, unknown> = {};
        if (args.outcome) where.outcome = args.outcome;
        if (args.qualified != null) where.qualified = args.qualified;
        if (args.accountId) where.account = decodeId(args.accountId, 'Account', 'accountId');
        if (args.businessUnitId) {
          where.businessUnit = decodeId(args.businessUnitId, 'BusinessUnit', 'businessUnitId');
        }
        const closing = rangeCondition(
          { arg: 'closingFrom', value: args.closingFrom },
          { arg: 'closingTo', value: args.closingTo, inclusive: true },
        );
        if (closing) where.expectedCloseOn = closing;
        return pageOf(ctx.em, Opportunity, where, opportunityOrder.orderOf(args.orderBy), args);
      },
    },
    ...connectionTypes('opportunities'),
  ),
);

const CreateOpportunityInput = builder.inputType('CreateOpportunityInput', {
  description: 'A new open opportunity.',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The account.' }),
    businessUnitId: t.globalID({ required: true, description: 'The business unit selling.' }),
    externalRef: t.string({ description: 'The CRM id (unique); generated when omitted.' }),
    name: t.string({ required: true, description: 'What is being sold.' }),
    value: t.field({ type: 'Money', required: true, description: 'Its value (not negative).' }),
    expectedCloseOn: t.field({ type: 'Date', description: 'When it is expected to be decided.' }),
  }),
});

const UpdateOpportunityInput = builder.inputType('UpdateOpportunityInput', {
  description:
    'Changes to an open opportunity; omitted fields keep their value; name and value cannot be cleared (null is refused), the expected close date can.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The opportunity.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    name: t.string({ description: 'What is being sold.' }),
    value: t.field({ type: 'Money', description: 'Its value.' }),
    expectedCloseOn: t.field({ type: 'Date', description: 'Expected decision date (null clears).' }),
  }),
});

const OpportunityStepInput = builder.inputType('OpportunityStepInput', {
  description: 'Qualifies, wins or loses an open opportunity.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The opportunity.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    on: t.field({
      type: 'Date',
      description: 'The date of the step (today when omitted): not after today (DATE_IN_FUTURE).',
    }),
    reason: t.string({
      description:
        'Why it was lost: loseOpportunity only (qualifyOpportunity and winOpportunity refuse it with OPPORTUNITY_LOST_REASON_NOT_ALLOWED).',
    }),
  }),
});

type Step = typeof winOpportunity;
function step(name: string, what: string, description: string, run: Step) {
  builder.mutationField(name, t =>
    t.field({
      type: OpportunityRef,
      description,
      authScopes: { write: true },
      errors: described(what),
      args: { input: t.arg({ type: OpportunityStepInput, required: true, description: 'The opportunity.' }) },
      resolve: async (_, { input }, ctx) => {
        const id = decodeId(input.id, 'Opportunity');
        await assertCanWriteRecord(ctx, Opportunity, id);
        return run(
          ctx.em,
          { id, expectedVersion: input.expectedVersion, on: input.on ?? undefined, reason: input.reason },
          ctx.actor,
        );
      },
    }),
  );
}

step(
  'qualifyOpportunity',
  'qualifying an opportunity',
  'Marks an open opportunity as a qualified bid (it then counts in the win rate once decided), on `on` (today when omitted). Qualifying a qualified bid again keeps its day unless `on` corrects it.',
  qualifyOpportunity,
);
step('winOpportunity', 'winning an opportunity', 'OPEN → WON (final).', winOpportunity);
step('loseOpportunity', 'losing an opportunity', 'OPEN → LOST (final), with the reason.', loseOpportunity);

builder.mutationFields(t => ({
  createOpportunity: t.field({
    type: OpportunityRef,
    description: 'Records an open opportunity with an account for one business unit.',
    authScopes: { write: true },
    errors: described('creating an opportunity'),
    args: { input: t.arg({ type: CreateOpportunityInput, required: true, description: 'The opportunity.' }) },
    resolve: async (_, { input }, ctx) => {
      const accountId = decodeId(input.accountId, 'Account', 'accountId');
      await assertCanWriteAccount(ctx, accountId);
      return createOpportunity(
        ctx.em,
        {
          accountId,
          businessUnitId: decodeId(input.businessUnitId, 'BusinessUnit', 'businessUnitId'),
          externalRef: input.externalRef ?? undefined,
          name: input.name,
          value: input.value,
          expectedCloseOn: input.expectedCloseOn,
        },
        ctx.actor,
      );
    },
  }),
  updateOpportunity: t.field({
    type: OpportunityRef,
    description: 'Changes an open opportunity (a decided one cannot change).',
    authScopes: { write: true },
    errors: described('updating an opportunity'),
    args: { input: t.arg({ type: UpdateOpportunityInput, required: true, description: 'The change.' }) },
    resolve: async (_, { input }, ctx) => {
      const id = decodeId(input.id, 'Opportunity');
      await assertCanWriteRecord(ctx, Opportunity, id);
      return updateOpportunity(
        ctx.em,
        {
          id,
          expectedVersion: input.expectedVersion,
          name: notCleared(input.name, 'name', 'opportunity'),
          value: notCleared(input.value, 'value', 'opportunity'),
          expectedCloseOn: input.expectedCloseOn,
        },
        ctx.actor,
      );
    },
  }),
}));
