import {
  BULK_MODES,
  type BulkMode,
  type BulkResult,
  importFinancials,
  recordSignals,
  recordSurveyResponses,
  runIdempotent,
  upsertAccounts,
  upsertContacts,
  upsertOpportunities,
} from '@kam/domain';
import { builder } from '../../builder.ts';
import type { KamContext } from '../../context.ts';

export const BulkModeEnum = builder.enumType('BulkMode', {
  description: 'ATOMIC writes all rows or none; PARTIAL writes the good rows and reports the bad ones.',
  values: BULK_MODES,
});

export const RowRejectionRef = builder.objectRef<BulkResult['rejections'][number]>('RowRejection').implement({
  description: 'One rejected row of a bulk call.',
  fields: t => ({
    index: t.exposeInt('index', { description: 'The row’s position in `rows`, from 0.' }),
    path: t.stringList({
      description: 'The field inside the row, e.g. ["revenue"].',
      resolve: r => r.path.map(String),
    }),
    code: t.exposeString('code', {
      description: 'Stable code, e.g. NOT_FOUND, INVALID_MONEY, DUPLICATE_ROW.',
    }),
    message: t.exposeString('message', { description: 'What is wrong and how to fix it.' }),
  }),
});

export const BulkResultRef = builder.objectRef<BulkResult>('BulkResult').implement({
  description: 'What a bulk call did: counts and every rejected row.',
  fields: t => ({
    operation: t.exposeString('operation', { description: 'The bulk operation.' }),
    mode: t.field({ type: BulkModeEnum, description: 'ATOMIC or PARTIAL.', resolve: r => r.mode }),
    received: t.exposeInt('received', { description: 'Rows received.' }),
    created: t.exposeInt('created', { description: 'Rows created.' }),
    updated: t.exposeInt('updated', { description: 'Rows that existed and changed.' }),
    unchanged: t.exposeInt('unchanged', {
      description: 'Rows identical to what is stored (nothing written).',
    }),
    rejected: t.exposeInt('rejected', { description: 'Rows rejected.' }),
    written: t.exposeBoolean('written', {
      description: 'False when nothing was written (ATOMIC with a rejected row).',
    }),
    replayed: t.exposeBoolean('replayed', {
      description:
        'True when this is the stored result of an earlier call with the same idempotency key; nothing was written.',
    }),
    rejections: t.field({
      type: [RowRejectionRef],
      description: 'Every rejected row, by index.',
      resolve: r => r.rejections,
    }),
  }),
});

type BulkRunner = (
  em: KamContext['em'],
  rows: readonly unknown[],
  options: { mode: BulkMode; maxRows?: number },
  actor: KamContext['actor'],
) => Promise<BulkResult>;

// Row fields are typed loosely (String, Int) on purpose: each row is validated by the domain,
// so one bad value rejects its row with a path and a code instead of failing the whole call.
function run(operation: string, runner: BulkRunner) {
  return (
    _: unknown,
    args: { rows: readonly unknown[]; mode?: BulkMode | null; idempotencyKey?: string | null },
    ctx: KamContext,
  ): Promise<BulkResult> => {
    const mode = args.mode ?? 'ATOMIC';
    return runIdempotent(
      ctx.em,
      // An empty key is refused (1–255 characters), not taken for no key: the call would run unprotected.
      args.idempotencyKey != null
        ? {
            principal: `token:${ctx.viewer.tokenId}`,
            key: args.idempotencyKey,
            operation,
            payload: { rows: args.rows, mode },
          }
        : null,
      tx => runner(tx, args.rows, { mode, maxRows: ctx.config.maxBulkRows }, ctx.actor),
    );
  };
}

function bulkArgs<Row extends object>(
  t: PothosSchemaTypes.MutationFieldBuilder<
    typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never,
    object
  >,
  rowInput: PothosSchemaTypes.InputObjectRef<
    typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never,
    Row
  >,
) {
  return {
    rows: t.arg({
      type: [rowInput],
      required: true,
      description:
        'The rows (at most the configured maximum, 10,000 by default). Each row is the whole record: optional fields left out are stored empty (or at their default), replacing what was stored.',
    }),
    mode: t.arg({ type: BulkModeEnum, defaultValue: 'ATOMIC', description: 'ATOMIC (default) or PARTIAL.' }),
    idempotencyKey: t.arg.string({
      description:
        '1 to 255 characters (an empty key is refused), kept at least 24 hours: a replay returns the first result and writes nothing.',
    }),
  };
}

const AccountRowInput = builder.inputType('AccountRowInput', {
  description: 'One account of upsertAccounts, keyed by externalRef.',
  fields: t => ({
    externalRef: t.string({ required: true, description: 'The CRM/ERP id: the key.' }),
    name: t.string({ required: true, description: 'Account name.' }),
    parentRef: t.string({ description: 'External ref of the parent account (stored or in the same call).' }),
    segmentCode: t.string({ description: 'Code of the account’s segment.' }),
    industry: t.string({ description: 'Industry.' }),
    country: t.string({ description: 'ISO 3166 alpha-2 country code.' }),
    customerSince: t.string({ description: 'First sale, YYYY-MM-DD.' }),
  }),
});

const FinancialRowInput = builder.inputType('FinancialRowInput', {
  description: 'One quarterly line of importFinancials, keyed by account, quarter and business unit.',
  fields: t => ({
    accountRef: t.string({ required: true, description: 'The account’s external ref.' }),
    quarter: t.string({ required: true, description: 'YYYY-Qn.' }),
    businessUnitCode: t.string({ description: 'The business unit; omit for an account-level line.' }),
    revenue: t.string({ required: true, description: 'Decimal amount, e.g. "1250.50".' }),
    grossProfit: t.string({ required: true, description: 'Decimal amount.' }),
    costToServe: t.string({ required: true, description: 'Decimal amount, not negative.' }),
    potential: t.string({ description: 'Estimated potential wallet, not negative.' }),
    pricePremium: t.string({ description: 'Price premium, where known.' }),
  }),
});

const ContactRowInput = builder.inputType('ContactRowInput', {
  description: 'One contact of upsertContacts, keyed by externalRef.',
  fields: t => ({
    externalRef: t.string({ required: true, description: 'The contact’s CRM id: the key.' }),
    accountRef: t.string({ required: true, description: 'The account’s external ref.' }),
    name: t.string({ required: true, description: 'Name.' }),
    title: t.string({ description: 'Job title.' }),
    email: t.string({ description: 'E-mail.' }),
    function: t.string({
      required: true,
      description:
        'PROCUREMENT, SUPPLY_CHAIN, MARKETING, OPERATIONS, FINANCE, TECHNICAL, EXECUTIVE or OTHER.',
    }),
    influence: t.int({ required: true, description: 'Influence 1–5.' }),
    stance: t.string({ description: 'CHAMPION, SUPPORTER, NEUTRAL, DETRACTOR or UNKNOWN (default).' }),
    whatTheyValue: t.string({ description: 'What this person values.' }),
    lastContactOn: t.string({ description: 'Last contact, YYYY-MM-DD.' }),
    counterpartEmail: t.string({ description: 'E-mail of our counterpart.' }),
  }),
});

const OpportunityRowInput = builder.inputType('OpportunityRowInput', {
  description: 'One opportunity of upsertOpportunities, keyed by externalRef. Decided ones are final.',
  fields: t => ({
    externalRef: t.string({ required: true, description: 'The CRM id: the key.' }),
    accountRef: t.string({ required: true, description: 'The account’s external ref.' }),
    businessUnitCode: t.string({ required: true, description: 'The business unit bidding.' }),
    name: t.string({ required: true, description: 'Name.' }),
    value: t.string({ required: true, description: 'Decimal amount.' }),
    qualified: t.boolean({ description: 'A qualified bid (counts in the win rate).' }),
    qualifiedOn: t.string({ description: 'YYYY-MM-DD; required when qualified, not after today.' }),
    expectedCloseOn: t.string({ description: 'YYYY-MM-DD.' }),
    outcome: t.string({ description: 'OPEN (default), WON or LOST.' }),
    decidedOn: t.string({ description: 'YYYY-MM-DD; required when WON or LOST, not after today.' }),
    lostReason: t.string({ description: 'Why it was lost.' }),
  }),
});

const SignalRowInput = builder.inputType('SignalRowInput', {
  description: 'One customer signal of recordSignals, keyed by externalRef.',
  fields: t => ({
    externalRef: t.string({ required: true, description: 'The signal’s id in its source: the key.' }),
    accountRef: t.string({ required: true, description: 'The account’s external ref.' }),
    kind: t.string({
      required: true,
      description: 'FEEDBACK, ADVICE_REQUEST, EXPANSION_REQUEST or REFERRAL.',
    }),
    occurredOn: t.string({ required: true, description: 'YYYY-MM-DD.' }),
    sentiment: t.string({ description: 'For FEEDBACK: POSITIVE, NEUTRAL or NEGATIVE.' }),
    topic: t.string({ description: 'Topic.' }),
    value: t.string({ description: 'For REFERRAL: the value of the referred business.' }),
    note: t.string({ description: 'Note.' }),
  }),
});

const SurveyRowInput = builder.inputType('SurveyRowInput', {
  description: 'One survey response of recordSurveyResponses, keyed by externalRef.',
  fields: t => ({
    externalRef: t.string({ required: true, description: 'The response’s id in the survey tool: the key.' }),
    accountRef: t.string({ required: true, description: 'The account’s external ref.' }),
    contactRef: t.string({ description: 'The responding contact’s external ref.' }),
    respondedOn: t.string({ required: true, description: 'YYYY-MM-DD.' }),
    score: t.int({ required: true, description: 'Satisfaction 1–5.' }),
    comment: t.string({ description: 'Comment.' }),
  }),
});

const bulkField = {
  type: BulkResultRef,
  authScopes: { bulk: true },
  errors: {},
} as const;

builder.mutationFields(t => ({
  upsertAccounts: t.field({
    ...bulkField,
    description: 'Creates or updates accounts by externalRef, with their hierarchy (ADMIN, INTEGRATION).',
    args: bulkArgs(t, AccountRowInput),
    resolve: run('upsertAccounts', upsertAccounts),
  }),
  importFinancials: t.field({
    ...bulkField,
    description: 'Imports quarterly financials by account, quarter and business unit (ADMIN, INTEGRATION).',
    args: bulkArgs(t, FinancialRowInput),
    resolve: run('importFinancials', importFinancials),
  }),
  upsertContacts: t.field({
    ...bulkField,
    description: 'Creates or updates stakeholder-map contacts by externalRef (ADMIN, INTEGRATION).',
    args: bulkArgs(t, ContactRowInput),
    resolve: run('upsertContacts', upsertContacts),
  }),
  upsertOpportunities: t.field({
    ...bulkField,
    description: 'Creates or updates opportunities by externalRef (ADMIN, INTEGRATION).',
    args: bulkArgs(t, OpportunityRowInput),
    resolve: run('upsertOpportunities', upsertOpportunities),
  }),
  recordSignals: t.field({
    ...bulkField,
    description: 'Records customer signals by externalRef (ADMIN, INTEGRATION).',
    args: bulkArgs(t, SignalRowInput),
    resolve: run('recordSignals', recordSignals),
  }),
  recordSurveyResponses: t.field({
    ...bulkField,
    description: 'Records satisfaction survey responses by externalRef (ADMIN, INTEGRATION).',
    args: bulkArgs(t, SurveyRowInput),
    resolve: run('recordSurveyResponses', recordSurveyResponses),
  }),
}));
