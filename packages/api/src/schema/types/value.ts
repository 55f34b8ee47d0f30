/** Value initiatives (domain §8): the ten-phase design process, gains, recognition, outcome. */
import {
  advanceInitiativePhase,
  createValueInitiative,
  markCopiedByCompetitor,
  recordCustomerRecognition,
  recordInitiativeGains,
  recordInitiativeOutcome,
  updateValueInitiative,
  ValueInitiative,
} from '@kam/domain';
import { assertCanWriteAccount } from '../../auth/permissions.ts';
import { builder } from '../../builder.ts';
import type { KamContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { connectionComplexity, ownedConnection, pageOf } from '../connection.ts';
import { decodeId, type GlobalId } from '../ids.ts';
import { entityNode, entityOrRow } from '../node.ts';
import { connectionOrder } from '../order.ts';
import { AccountRef } from './account.ts';
import { PersonRef } from './organisation.ts';
import { DesignPhaseEnum, InitiativeOutcomeEnum, ValueCategoryEnum } from './vocabulary.ts';
import {
  assertCanWriteRecord,
  connectionTypes,
  described,
  maybeId,
  notCleared,
  optionalId,
} from './workflow.ts';

export const ValueInitiativeRef = entityNode(ValueInitiative, 'ValueInitiative');
ValueInitiativeRef.implement({
  description: 'A value initiative moving through the ten-phase value design process with a pilot account.',
  isTypeOf: entityOrRow(ValueInitiative),
  fields: t => ({
    name: t.exposeString('name', { description: 'Name.' }),
    account: t.field({ type: AccountRef, description: 'The pilot account.', resolve: i => i.account.id }),
    owner: t.field({
      type: PersonRef,
      nullable: true,
      description: 'Who owns it.',
      resolve: i => i.owner?.id ?? null,
    }),
    category: t.field({
      type: ValueCategoryEnum,
      description: 'The kind of value.',
      resolve: i => i.category,
    }),
    phase: t.field({
      type: DesignPhaseEnum,
      description: 'The current design phase.',
      resolve: i => i.phase,
    }),
    outcome: t.field({
      type: InitiativeOutcomeEnum,
      nullable: true,
      description: 'How it ended (REVISED: back in testing); null while in progress.',
      resolve: i => i.outcome ?? null,
    }),
    combinedInto: t.field({
      type: ValueInitiativeRef,
      nullable: true,
      description: 'The initiative it was combined into.',
      resolve: i => i.combinedInto?.id ?? null,
    }),
    desiredGains: t.exposeString('desiredGains', {
      description: 'The desired commercial gains of the test plan.',
    }),
    customerGain: t.field({
      type: 'Money',
      nullable: true,
      description: 'Measured annual gain for the customer.',
      resolve: i => i.customerGain ?? null,
    }),
    supplierGain: t.field({
      type: 'Money',
      nullable: true,
      description: 'Measured annual gain for us.',
      resolve: i => i.supplierGain ?? null,
    }),
    customerRecognised: t.exposeBoolean('customerRecognised', {
      description: 'Whether the customer recognises the value (value counts only then).',
    }),
    recognisedOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When recognised.',
      resolve: i => i.recognisedOn ?? null,
    }),
    recognitionNote: t.exposeString('recognitionNote', {
      nullable: true,
      description: 'How the customer recognised it.',
    }),
    copiedByCompetitor: t.exposeBoolean('copiedByCompetitor', {
      description: 'A competitor copied it: it is EXPECTED value now and earns no premium.',
    }),
    copiedOn: t.field({
      type: 'Date',
      nullable: true,
      description:
        'When a competitor copied it: the quarters ending before read it with categoryBeforeCopy and its premium. Null while not copied; its start day for one copied before the day was kept.',
      resolve: i => i.copiedOn ?? null,
    }),
    categoryBeforeCopy: t.field({
      type: ValueCategoryEnum,
      nullable: true,
      description:
        'Its category until a competitor copied it; null while not copied, or when copied before this was kept.',
      resolve: i => i.categoryBeforeCopy ?? null,
    }),
    revisionCount: t.exposeInt('revisionCount', { description: 'How often it was sent back to testing.' }),
    startedOn: t.field({ type: 'Date', description: 'When it started.', resolve: i => i.startedOn }),
    endedOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When it ended.',
      resolve: i => i.endedOn ?? null,
    }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
  }),
});

/** An account's value initiatives, oldest first (ties by id). */
const initiativesOf = ownedConnection({
  entity: ValueInitiative,
  owner: 'account',
  order: [
    { property: 'startedOn', direction: 'asc' },
    { property: 'id', direction: 'asc' },
  ],
});

builder.objectField(AccountRef, 'initiatives', t =>
  t.connection(
    {
      type: ValueInitiativeRef,
      description: 'The value initiatives piloted with the account, oldest first, a page at a time.',
      complexity: connectionComplexity,
      resolve: (a, args, ctx) => initiativesOf.page(ctx, a.id, args),
    },
    ...connectionTypes('value initiatives', 'How many value initiatives the account has'),
  ),
);

const initiativeOrder = connectionOrder(
  'ValueInitiativeOrder',
  'value initiatives',
  {
    STARTED_ON: { property: 'startedOn', description: 'When the initiative started.' },
    NAME: { property: 'name', description: 'The initiative’s name.' },
    UPDATED_AT: { property: 'updatedAt', description: 'When the initiative last changed.' },
  },
  { description: 'oldest first (by start)', order: { startedOn: 'asc', id: 'asc' } },
);

builder.queryField('valueInitiatives', t =>
  t.connection(
    {
      type: ValueInitiativeRef,
      description: 'Value initiatives, oldest first, filtered by phase and outcome.',
      args: {
        phase: t.arg({ type: DesignPhaseEnum, description: 'Only initiatives at this phase.' }),
        outcome: t.arg({ type: InitiativeOutcomeEnum, description: 'Only initiatives with this outcome.' }),
        inProgress: t.arg.boolean({
          description:
            'true: only initiatives without an outcome (or REVISED); false: only those with another outcome.',
        }),
        orderBy: t.arg(initiativeOrder.arg),
      },
      complexity: connectionComplexity,
      resolve: (_, args, ctx) => {
        // In progress is no outcome or REVISED: an outcome on the other side of inProgress asks
        // for initiatives that cannot exist, refused as accounts refuses keyAccount's opposite.
        if (args.inProgress != null && args.outcome && (args.outcome === 'REVISED') !== args.inProgress) {
          throw ValidationError.at(
            ['inProgress'],
            args.inProgress
              ? `inProgress: true and outcome: ${args.outcome} contradict each other: an initiative in progress has no outcome or REVISED. Give outcome alone, or inProgress: false for every ended one.`
              : 'inProgress: false and outcome: REVISED contradict each other: a REVISED initiative is still in progress. Give outcome alone, or inProgress: true for every one in progress.',
            `contradicts outcome: ${args.outcome}`,
          );
        }
        const where: Record<string, unknown> = {};
        if (args.phase) where.phase = args.phase;
        if (args.outcome) where.outcome = args.outcome;
        if (args.inProgress === true) where.$or = [{ outcome: null }, { outcome: 'REVISED' }];
        // Not ignored: a script asking for the ended ones got every initiative.
        if (args.inProgress === false)
          where.$and = [{ outcome: { $ne: null } }, { outcome: { $ne: 'REVISED' } }];
        return pageOf(ctx.em, ValueInitiative, where, initiativeOrder.orderOf(args.orderBy), args);
      },
    },
    ...connectionTypes('value initiatives'),
  ),
);

const CreateInitiativeInput = builder.inputType('CreateValueInitiativeInput', {
  description: 'A new value initiative with a pilot account, starting at the first design phase.',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The pilot account.' }),
    name: t.string({ required: true, description: 'Name.' }),
    category: t.field({ type: ValueCategoryEnum, required: true, description: 'The kind of value.' }),
    ownerId: t.globalID({ description: 'Who owns it.' }),
    desiredGains: t.string({ description: 'The desired commercial gains.' }),
    startedOn: t.field({ type: 'Date', description: 'When it starts (today when omitted).' }),
  }),
});

const UpdateInitiativeInput = builder.inputType('UpdateValueInitiativeInput', {
  description:
    'Corrections to a value initiative that has not ended; omitted fields keep their value. Its category, phase, gains, recognition and outcome change only by their own steps.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The initiative.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    name: t.string({ description: 'Name, at most 200 characters. Cannot be cleared.' }),
    desiredGains: t.string({
      description: 'The desired commercial gains (trimmed; blank or null is stored as "").',
    }),
    ownerId: t.globalID({ description: 'Who owns it: an active person (null clears).' }),
  }),
});

const InitiativeStepInput = builder.inputType('InitiativeStepInput', {
  description: 'An initiative copied by a competitor, the version you last read and the day of the copy.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The initiative.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    on: t.field({
      type: 'Date',
      description:
        'When the competitor copied it (today when omitted; not before it started). Marking it again corrects the day.',
    }),
  }),
});

const AdvancePhaseInput = builder.inputType('AdvanceInitiativePhaseInput', {
  description: 'Moves an initiative to its next design phase.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The initiative.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    toPhase: t.field({
      type: DesignPhaseEnum,
      description: 'The phase you expect to move to; refused unless it is the next one.',
    }),
  }),
});

const RecordGainsInput = builder.inputType('RecordInitiativeGainsInput', {
  description: 'The measured annual gains; omitted ones keep their value, null clears.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The initiative.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    customerGain: t.field({ type: 'Money', description: 'Measured annual gain for the customer.' }),
    supplierGain: t.field({ type: 'Money', description: 'Measured annual gain for us.' }),
  }),
});

const RecordRecognitionInput = builder.inputType('RecordCustomerRecognitionInput', {
  description: 'Whether the customer recognises the initiative’s value.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The initiative.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    recognised: t.boolean({ required: true, description: 'Whether the customer recognises it.' }),
    on: t.field({
      type: 'Date',
      description: 'When it was recognised (today when omitted); only with recognised: true.',
    }),
    note: t.string({ description: 'How the customer recognised it.' }),
  }),
});

const SetOutcomeInput = builder.inputType('SetInitiativeOutcomeInput', {
  description: 'Ends an initiative (ADOPTED, REJECTED, COMBINED) or sends it back to testing (REVISED).',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The initiative.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    outcome: t.field({ type: InitiativeOutcomeEnum, required: true, description: 'The outcome.' }),
    on: t.field({ type: 'Date', description: 'When (today when omitted; not for REVISED).' }),
    combinedIntoId: t.globalID({ description: 'For COMBINED: the running initiative it joins.' }),
  }),
});

const initiativeId = async (ctx: KamContext, id: GlobalId) => {
  const decoded = decodeId(id, 'ValueInitiative');
  await assertCanWriteRecord(ctx, ValueInitiative, decoded);
  return decoded;
};

builder.mutationFields(t => ({
  updateValueInitiative: t.field({
    type: ValueInitiativeRef,
    description:
      'Corrects an initiative’s name, desired gains and owner until it has ended; an update that changes nothing keeps its version.',
    authScopes: { write: true },
    errors: described('updating a value initiative'),
    args: { input: t.arg({ type: UpdateInitiativeInput, required: true, description: 'The change.' }) },
    resolve: async (_, { input }, ctx) =>
      updateValueInitiative(
        ctx.em,
        {
          id: await initiativeId(ctx, input.id),
          expectedVersion: input.expectedVersion,
          name: notCleared(input.name, 'name', 'value initiative'),
          desiredGains: input.desiredGains === null ? '' : input.desiredGains,
          ownerId: optionalId(input.ownerId, 'Person', 'ownerId'),
        },
        ctx.actor,
      ),
  }),
  advanceInitiativePhase: t.field({
    type: ValueInitiativeRef,
    description: 'Moves an initiative to its next design phase; phases are never skipped or reversed.',
    authScopes: { write: true },
    errors: described('advancing a phase'),
    args: { input: t.arg({ type: AdvancePhaseInput, required: true, description: 'The initiative.' }) },
    resolve: async (_, { input }, ctx) =>
      advanceInitiativePhase(
        ctx.em,
        {
          id: await initiativeId(ctx, input.id),
          expectedVersion: input.expectedVersion,
          toPhase: input.toPhase ?? undefined,
        },
        ctx.actor,
      ),
  }),
  recordInitiativeGains: t.field({
    type: ValueInitiativeRef,
    description: 'Records the measured annual gains, for the customer and for us.',
    authScopes: { write: true },
    errors: described('recording gains'),
    args: { input: t.arg({ type: RecordGainsInput, required: true, description: 'The gains.' }) },
    resolve: async (_, { input }, ctx) =>
      recordInitiativeGains(
        ctx.em,
        {
          id: await initiativeId(ctx, input.id),
          expectedVersion: input.expectedVersion,
          customerGain: input.customerGain,
          supplierGain: input.supplierGain,
        },
        ctx.actor,
      ),
  }),
  recordCustomerRecognition: t.field({
    type: ValueInitiativeRef,
    description: 'Records whether the customer recognises the value (value counts only when it does).',
    authScopes: { write: true },
    errors: described('recording recognition'),
    args: { input: t.arg({ type: RecordRecognitionInput, required: true, description: 'The recognition.' }) },
    resolve: async (_, { input }, ctx) =>
      recordCustomerRecognition(
        ctx.em,
        {
          id: await initiativeId(ctx, input.id),
          expectedVersion: input.expectedVersion,
          recognised: input.recognised,
          on: input.on ?? undefined,
          note: input.note,
        },
        ctx.actor,
      ),
  }),
  markInitiativeCopiedByCompetitor: t.field({
    type: ValueInitiativeRef,
    description:
      'A competitor copied the initiative on `on`: from that day it is EXPECTED value and earns no premium; the quarters before read it as it was.',
    authScopes: { write: true },
    errors: described('marking an initiative copied'),
    args: { input: t.arg({ type: InitiativeStepInput, required: true, description: 'The initiative.' }) },
    resolve: async (_, { input }, ctx) =>
      markCopiedByCompetitor(
        ctx.em,
        {
          id: await initiativeId(ctx, input.id),
          expectedVersion: input.expectedVersion,
          on: input.on ?? undefined,
        },
        ctx.actor,
      ),
  }),
  setInitiativeOutcome: t.field({
    type: ValueInitiativeRef,
    description:
      'Ends an initiative or sends it back to testing. ADOPTED needs a tested initiative whose gains are positive for both sides and that the customer recognises.',
    authScopes: { write: true },
    errors: described('setting an outcome'),
    args: { input: t.arg({ type: SetOutcomeInput, required: true, description: 'The outcome.' }) },
    resolve: async (_, { input }, ctx) => {
      const base = { id: await initiativeId(ctx, input.id), expectedVersion: input.expectedVersion };
      const on = input.on ?? undefined;
      // Passed on whatever the outcome, so that the domain refuses one that does not apply (a
      // REVISED's date, a combinedIntoId without COMBINED) instead of it being dropped here.
      const target =
        input.combinedIntoId == null
          ? undefined
          : decodeId(input.combinedIntoId, 'ValueInitiative', 'combinedIntoId');
      switch (input.outcome) {
        case 'REVISED':
          return recordInitiativeOutcome(
            ctx.em,
            { ...base, outcome: 'REVISED', on, combinedIntoId: target },
            ctx.actor,
          );
        case 'COMBINED': {
          if (target === undefined) {
            throw ValidationError.at(
              ['combinedIntoId'],
              'COMBINED needs combinedIntoId: the initiative it joins.',
              'is required for COMBINED',
              'VALIDATION_FAILED',
              'REQUIRED',
            );
          }
          return recordInitiativeOutcome(
            ctx.em,
            { ...base, outcome: 'COMBINED', combinedIntoId: target, on },
            ctx.actor,
          );
        }
        default:
          return recordInitiativeOutcome(
            ctx.em,
            { ...base, outcome: input.outcome, on, combinedIntoId: target },
            ctx.actor,
          );
      }
    },
  }),
}));

builder.mutationField('createValueInitiative', t =>
  t.field({
    type: ValueInitiativeRef,
    description: 'Starts a value initiative with a pilot account, at the first design phase.',
    authScopes: { write: true },
    errors: described('creating a value initiative'),
    args: { input: t.arg({ type: CreateInitiativeInput, required: true, description: 'The initiative.' }) },
    resolve: async (_, { input }, ctx) => {
      const accountId = decodeId(input.accountId, 'Account', 'accountId');
      await assertCanWriteAccount(ctx, accountId);
      return createValueInitiative(
        ctx.em,
        {
          accountId,
          name: input.name,
          category: input.category,
          ownerId: maybeId(input.ownerId, 'Person', 'ownerId'),
          desiredGains: input.desiredGains ?? undefined,
          startedOn: input.startedOn ?? undefined,
        },
        ctx.actor,
      );
    },
  }),
);
