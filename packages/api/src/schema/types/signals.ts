/** Recorded KPI inputs (domain §10): customer signals, survey responses, organisation measurements. */
import {
  CustomerSignal,
  OrganisationMeasurement,
  recordMeasurement,
  recordSignal,
  recordSurveyResponse,
  SurveyResponse,
} from '@kam/domain';
import { assertCanWriteAccount } from '../../auth/permissions.ts';
import { builder } from '../../builder.ts';
import { connectionComplexity, newestFirstOfAccount } from '../connection.ts';
import { decodeId } from '../ids.ts';
import { AccountRef } from './account.ts';
import { ContactRef } from './contacts.ts';
import { BusinessUnitRef } from './organisation.ts';
import { MeasurementKindEnum, SentimentEnum, SignalKindEnum } from './vocabulary.ts';
import { connectionTypes, described, maybeId } from './workflow.ts';

export const CustomerSignalRef = builder.objectRef<CustomerSignal>('CustomerSignal').implement({
  description: 'A recorded customer signal: feedback, advice request, expansion request or referral.',
  fields: t => ({
    externalRef: t.exposeString('externalRef', { description: 'The source system’s id.' }),
    kind: t.field({ type: SignalKindEnum, description: 'What kind of signal.', resolve: s => s.kind }),
    occurredOn: t.field({ type: 'Date', description: 'When it happened.', resolve: s => s.occurredOn }),
    quarter: t.field({ type: 'Quarter', description: 'The quarter of occurredOn.', resolve: s => s.quarter }),
    sentiment: t.field({
      type: SentimentEnum,
      nullable: true,
      description: 'For feedback: its sentiment.',
      resolve: s => s.sentiment ?? null,
    }),
    topic: t.exposeString('topic', { nullable: true, description: 'What it was about.' }),
    value: t.field({
      type: 'Money',
      nullable: true,
      description: 'For a referral: the value of the business referred.',
      resolve: s => s.value ?? null,
    }),
    note: t.exposeString('note', { nullable: true, description: 'Notes.' }),
  }),
});

export const SurveyResponseRef = builder.objectRef<SurveyResponse>('SurveyResponse').implement({
  description: 'One customer’s answer to a satisfaction survey.',
  fields: t => ({
    externalRef: t.exposeString('externalRef', { description: 'The survey system’s id.' }),
    contact: t.field({
      type: ContactRef,
      nullable: true,
      description: 'Who answered.',
      resolve: r => r.contact?.id ?? null,
    }),
    respondedOn: t.field({ type: 'Date', description: 'When they answered.', resolve: r => r.respondedOn }),
    quarter: t.field({
      type: 'Quarter',
      description: 'The quarter of respondedOn.',
      resolve: r => r.quarter,
    }),
    score: t.exposeInt('score', {
      description: 'Satisfaction, 1 (very dissatisfied) to 5 (very satisfied).',
    }),
    comment: t.exposeString('comment', { nullable: true, description: 'Their comment.' }),
  }),
});

export const MeasurementRef = builder
  .objectRef<OrganisationMeasurement>('OrganisationMeasurement')
  .implement({
    description: 'An organisation-level measurement for a quarter: people satisfaction or market share.',
    fields: t => ({
      kind: t.field({ type: MeasurementKindEnum, description: 'What was measured.', resolve: m => m.kind }),
      quarter: t.field({ type: 'Quarter', description: 'The quarter.', resolve: m => m.quarter }),
      businessUnit: t.field({
        type: BusinessUnitRef,
        nullable: true,
        description: 'For people satisfaction: the business unit measured.',
        resolve: m => m.businessUnit?.id ?? null,
      }),
      market: t.exposeString('market', {
        nullable: true,
        description:
          'For market share: the market measured, named as the market was first recorded (markets compare case- and space-insensitively).',
      }),
      value: t.string({
        description: 'The value, 0–100 with two decimals, e.g. "72.50".',
        // Some drivers return a decimal column without its trailing zeros.
        resolve: m => Number(m.value).toFixed(2),
      }),
      version: t.exposeInt('version', {
        description: 'Optimistic-lock version; send it back to correct the value.',
      }),
    }),
  });

/** An account's signals, newest first (ties by id): a page per account, batched. */
const signalsOf = newestFirstOfAccount(CustomerSignal, 'occurredOn');

/** An account's survey responses, newest first (ties by id). */
const surveyResponsesOf = newestFirstOfAccount(SurveyResponse, 'respondedOn');

builder.objectFields(AccountRef, t => ({
  // Connections, not lists: an account gathers signals and responses without end (bulk calls of
  // 10,000), and one read-only request for 30,000 of them ran the server out of heap.
  signals: t.connection(
    {
      type: CustomerSignalRef,
      description: 'The account’s recorded customer signals, newest first, a page at a time.',
      complexity: connectionComplexity,
      resolve: (a, args, ctx) => signalsOf.page(ctx, a.id, args),
    },
    ...connectionTypes('customer signals', 'How many signals the account has'),
  ),
  surveyResponses: t.connection(
    {
      type: SurveyResponseRef,
      description: 'The account’s survey responses, newest first, a page at a time.',
      complexity: connectionComplexity,
      resolve: (a, args, ctx) => surveyResponsesOf.page(ctx, a.id, args),
    },
    ...connectionTypes('survey responses', 'How many survey responses the account has'),
  ),
}));

builder.queryField('organisationMeasurements', t =>
  t.field({
    type: [MeasurementRef],
    description: 'Organisation measurements, by quarter, optionally of one kind and quarter.',
    args: {
      kind: t.arg({ type: MeasurementKindEnum, description: 'Only this kind.' }),
      quarter: t.arg({ type: 'Quarter', description: 'Only this quarter.' }),
    },
    resolve: (_, args, ctx) => {
      const where: Record<string, unknown> = {};
      if (args.kind) where.kind = args.kind;
      if (args.quarter) where.quarter = args.quarter;
      return ctx.em.find(OrganisationMeasurement, where, { orderBy: { quarter: 'asc', scopeKey: 'asc' } });
    },
  }),
);

const RecordSignalInput = builder.inputType('RecordSignalInput', {
  description: 'A customer signal: FEEDBACK needs a sentiment; only a REFERRAL carries a value.',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The account.' }),
    externalRef: t.string({ description: 'The source system’s id (unique); generated when omitted.' }),
    kind: t.field({ type: SignalKindEnum, required: true, description: 'What kind of signal.' }),
    occurredOn: t.field({ type: 'Date', required: true, description: 'When it happened.' }),
    sentiment: t.field({ type: SentimentEnum, description: 'For FEEDBACK: its sentiment.' }),
    topic: t.string({ description: 'What it was about.' }),
    value: t.field({ type: 'Money', description: 'For a REFERRAL: the value referred (not negative).' }),
    note: t.string({ description: 'Notes.' }),
  }),
});

const RecordSurveyResponseInput = builder.inputType('RecordSurveyResponseInput', {
  description: 'One satisfaction survey response (score 1–5).',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The account.' }),
    contactId: t.globalID({ description: 'The contact who answered (of the same account).' }),
    externalRef: t.string({ description: 'The survey system’s id (unique); generated when omitted.' }),
    respondedOn: t.field({ type: 'Date', required: true, description: 'When they answered.' }),
    score: t.int({ required: true, description: 'Satisfaction, 1–5.' }),
    comment: t.string({ description: 'Their comment.' }),
  }),
});

const RecordMeasurementInput = builder.inputType('RecordOrganisationMeasurementInput', {
  description:
    'People satisfaction (per business unit, required) or market share (per market, required) for a quarter; correcting one needs expectedVersion.',
  fields: t => ({
    kind: t.field({ type: MeasurementKindEnum, required: true, description: 'What was measured.' }),
    quarter: t.field({ type: 'Quarter', required: true, description: 'The quarter.' }),
    businessUnitId: t.globalID({
      description: 'For people satisfaction, required: the business unit. Not for market share.',
    }),
    market: t.string({
      description:
        'For market share, required (blank is none): the market. Case and spacing do not matter ("DACH" and "dach " are one market); it keeps the name it was first recorded with. Not for people satisfaction.',
    }),
    value: t.string({ required: true, description: 'The value, 0–100 with at most two decimals.' }),
    expectedVersion: t.int({
      description:
        'To correct a recorded value: the version you read. Omit it to record a new value (sent for a value not recorded, it is a ConflictError with currentVersion null).',
    }),
  }),
});

builder.mutationFields(t => ({
  recordSignal: t.field({
    type: CustomerSignalRef,
    description: 'Records a customer signal for an account (ADMIN, or an account manager on the team).',
    authScopes: { write: true },
    errors: described('recording a signal'),
    args: { input: t.arg({ type: RecordSignalInput, required: true, description: 'The signal.' }) },
    resolve: async (_, { input }, ctx) => {
      const accountId = decodeId(input.accountId, 'Account', 'accountId');
      await assertCanWriteAccount(ctx, accountId);
      return recordSignal(
        ctx.em,
        { ...input, accountId, externalRef: input.externalRef ?? undefined },
        ctx.actor,
      );
    },
  }),
  recordSurveyResponse: t.field({
    type: SurveyResponseRef,
    description: 'Records one satisfaction survey response for an account.',
    authScopes: { write: true },
    errors: described('recording a survey response'),
    args: { input: t.arg({ type: RecordSurveyResponseInput, required: true, description: 'The response.' }) },
    resolve: async (_, { input }, ctx) => {
      const accountId = decodeId(input.accountId, 'Account', 'accountId');
      await assertCanWriteAccount(ctx, accountId);
      return recordSurveyResponse(
        ctx.em,
        {
          ...input,
          accountId,
          contactId: maybeId(input.contactId, 'Contact', 'contactId'),
          externalRef: input.externalRef ?? undefined,
        },
        ctx.actor,
      );
    },
  }),
  recordOrganisationMeasurement: t.field({
    type: MeasurementRef,
    description: 'Records (or corrects) an organisation measurement for a quarter (ADMIN).',
    authScopes: { admin: true },
    errors: described('recording a measurement'),
    args: { input: t.arg({ type: RecordMeasurementInput, required: true, description: 'The measurement.' }) },
    resolve: (_, { input }, ctx) =>
      recordMeasurement(
        ctx.em,
        {
          kind: input.kind,
          quarter: input.quarter,
          businessUnitId: maybeId(input.businessUnitId, 'BusinessUnit', 'businessUnitId'),
          market: input.market,
          value: input.value,
          expectedVersion: input.expectedVersion ?? undefined,
        },
        ctx.actor,
      ),
  }),
}));
