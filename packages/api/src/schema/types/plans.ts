/** The key account plan (domain §7): sections, sign-off, versions, reviews and actions. */
import {
  AccountPlan,
  addPlanAction,
  approvePlan,
  closePlan,
  comparePlanVersions,
  copyPlanToNextYear,
  createPlan,
  type EntityManager,
  ExecutionReview,
  PLAN_SECTION_TITLES,
  PLAN_SECTIONS,
  PlanAction,
  PlanSignOff,
  PlanStatusChange,
  PlanUnit,
  PlanVersion,
  placeholders,
  recordExecutionReview,
  returnPlanToDraft,
  type SectionDifference,
  selectRows,
  signPlan,
  submitPlan,
  updatePlan,
  updatePlanAction,
} from '@kam/domain';
import { assertCanWriteAccount } from '../../auth/permissions.ts';
import { builder } from '../../builder.ts';
import { ForbiddenError } from '../../errors.ts';
import { connectionComplexity, pageOf } from '../connection.ts';
import { decodeId } from '../ids.ts';
import { ACCOUNT_FIELD_LOADERS, firstBy, groupedBy, requestLoader } from '../loaders.ts';
import { entityNode, entityOrRow } from '../node.ts';
import { connectionOrder } from '../order.ts';
import { AccountRef } from './account.ts';
import { BusinessUnitRef, PersonRef } from './organisation.ts';
import { ActionStatusEnum, PlanStatusEnum, PlanStepEnum, ReviewAssessmentEnum } from './vocabulary.ts';
import { assertCanWriteRecord, connectionTypes, described, maybeId, optionalId } from './workflow.ts';

const byPlan = <T extends { plan: { id: number } }>(ids: number[], rows: T[]) =>
  groupedBy(ids, rows, r => r.plan.id);

export const PlanSectionRef = builder
  .objectRef<{ key: string; title: string; text: string }>('PlanSection')
  .implement({
    description: 'One of the seven sections of a key account plan.',
    fields: t => ({
      key: t.exposeString('key', { description: 'The section’s key, e.g. growthOpportunities.' }),
      title: t.exposeString('title', { description: 'The section’s title, numbered 1–7.' }),
      text: t.exposeString('text', { description: 'The section’s text.' }),
    }),
  });

export const PlanSignOffRef = builder.objectRef<PlanSignOff>('PlanSignOff').implement({
  description: 'A business unit’s signature on a submitted version of a plan.',
  fields: t => ({
    businessUnit: t.field({
      type: BusinessUnitRef,
      description: 'The unit that signed.',
      resolve: s => s.businessUnit.id,
    }),
    signedBy: t.field({
      type: PersonRef,
      description: 'Who signed for the unit.',
      resolve: s => s.signedBy.id,
    }),
    signedOn: t.field({ type: 'Date', description: 'When.', resolve: s => s.signedOn }),
    planVersionNumber: t.exposeInt('planVersionNumber', {
      description: 'The frozen version that was signed.',
    }),
    comment: t.exposeString('comment', { nullable: true, description: 'The signer’s comment.' }),
  }),
});

export const PlanStatusChangeRef = builder.objectRef<PlanStatusChange>('PlanStatusChange').implement({
  description:
    'One dated step of a plan’s status history; closed quarters read a plan’s status as of their last day from it.',
  fields: t => ({
    step: t.field({ type: PlanStepEnum, description: 'The workflow step.', resolve: c => c.step }),
    fromStatus: t.field({
      type: PlanStatusEnum,
      nullable: true,
      description: 'The status before the step; null when the step drafted the plan.',
      resolve: c => c.fromStatus ?? null,
    }),
    status: t.field({
      type: PlanStatusEnum,
      description: 'The status from that day on.',
      resolve: c => c.status,
    }),
    changedOn: t.field({
      type: 'Date',
      description: 'The day the step took effect.',
      resolve: c => c.changedOn,
    }),
    versionNumber: t.exposeInt('versionNumber', {
      description: 'The plan’s latest frozen version after the step (0 before the first submission).',
    }),
  }),
});

export const PlanVersionRef = builder.objectRef<PlanVersion>('PlanVersion').implement({
  description: 'A version of a plan frozen when it was submitted; immutable.',
  fields: t => ({
    number: t.exposeInt('number', { description: 'The version number, from 1.' }),
    frozenAt: t.field({ type: 'DateTime', description: 'When it was frozen.', resolve: v => v.frozenAt }),
    submittedBy: t.field({
      type: PersonRef,
      nullable: true,
      description: 'Who submitted it.',
      resolve: v => v.submittedBy?.id ?? null,
    }),
    sections: t.field({
      type: [PlanSectionRef],
      description: 'The seven sections as frozen.',
      resolve: v =>
        PLAN_SECTIONS.map(key => ({
          key,
          title: PLAN_SECTION_TITLES[key],
          text: v.content.sections[key] ?? '',
        })),
    }),
    businessUnitCodes: t.stringList({
      description: 'The codes of the business units involved at submission.',
      resolve: v => v.content.businessUnits,
    }),
  }),
});

export const ExecutionReviewRef = builder.objectRef<ExecutionReview>('ExecutionReview').implement({
  description: 'A regular execution review of an approved plan (default cadence: quarterly).',
  fields: t => ({
    id: t.exposeInt('id', { description: 'The review’s id.' }),
    reviewedOn: t.field({ type: 'Date', description: 'When.', resolve: r => r.reviewedOn }),
    reviewer: t.field({
      type: PersonRef,
      nullable: true,
      description: 'Who reviewed.',
      resolve: r => r.reviewer?.id ?? null,
    }),
    assessment: t.field({
      type: ReviewAssessmentEnum,
      description: 'The verdict.',
      resolve: r => r.assessment,
    }),
    progress: t.exposeString('progress', { description: 'Progress against the plan’s targets.' }),
    blockers: t.exposeString('blockers', { description: 'What is blocking.' }),
    helpNeeded: t.exposeString('helpNeeded', {
      description: 'What can be done to help the account manager.',
    }),
    revenueToDate: t.field({
      type: 'Money',
      nullable: true,
      description: 'Revenue so far in the plan year.',
      resolve: r => r.revenueToDate ?? null,
    }),
  }),
});

export const PlanActionRef = entityNode(PlanAction, 'PlanAction');
PlanActionRef.implement({
  description: 'One action of a plan’s action plan (section 7): owner, due date, status.',
  isTypeOf: v => v instanceof PlanAction,
  fields: t => ({
    description: t.exposeString('description', { description: 'What is to be done.' }),
    owner: t.field({
      type: PersonRef,
      nullable: true,
      description: 'Who owns it.',
      resolve: a => a.owner?.id ?? null,
    }),
    dueOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When it is due.',
      resolve: a => a.dueOn ?? null,
    }),
    status: t.field({ type: ActionStatusEnum, description: 'Its status.', resolve: a => a.status }),
    completedOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When it was done.',
      resolve: a => a.completedOn ?? null,
    }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
  }),
});

export const SectionDifferenceRef = builder.objectRef<SectionDifference>('PlanSectionDifference').implement({
  description: 'One section (or target) of a plan compared between two versions.',
  fields: t => ({
    key: t.exposeString('key', { description: 'The section or target key.' }),
    title: t.exposeString('title', { description: 'Its title.' }),
    before: t.exposeString('before', { nullable: true, description: 'The earlier text or value.' }),
    after: t.exposeString('after', { nullable: true, description: 'The later text or value.' }),
    changed: t.exposeBoolean('changed', { description: 'Whether it changed.' }),
  }),
});

export const AccountPlanRef = entityNode(AccountPlan, 'AccountPlan', { readRows: true });
AccountPlanRef.implement({
  description:
    'The annual key account plan: seven sections, quantified targets, owned by every business unit involved (domain §7).',
  isTypeOf: entityOrRow(AccountPlan),
  fields: t => ({
    account: t.field({ type: AccountRef, description: 'The key account.', resolve: p => p.account.id }),
    year: t.exposeInt('year', { description: 'The planning year.' }),
    status: t.field({
      type: PlanStatusEnum,
      description: 'Where the plan is in its life.',
      resolve: p => p.status,
    }),
    startsOn: t.field({ type: 'Date', description: 'First day of the plan.', resolve: p => p.startsOn }),
    endsOn: t.field({ type: 'Date', description: 'Last day of the plan.', resolve: p => p.endsOn }),
    owner: t.field({
      type: PersonRef,
      nullable: true,
      description: 'The plan’s owner.',
      resolve: p => p.owner?.id ?? null,
    }),
    sections: t.field({
      type: [PlanSectionRef],
      description: 'The seven sections, in order.',
      resolve: p =>
        PLAN_SECTIONS.map(key => ({
          key,
          title: PLAN_SECTION_TITLES[key],
          text: String((p as unknown as Record<string, unknown>)[key] ?? ''),
        })),
    }),
    revenueTarget: t.field({
      type: 'Money',
      nullable: true,
      description: 'Revenue target.',
      resolve: p => p.revenueTarget ?? null,
    }),
    marginTargetPercent: t.string({
      nullable: true,
      description: 'Target gross margin in percent with two decimals, e.g. "31.50".',
      // Some drivers return a decimal column without its trailing zeros.
      resolve: p => (p.marginTargetPercent == null ? null : Number(p.marginTargetPercent).toFixed(2)),
    }),
    inYearTarget: t.field({
      type: 'Money',
      nullable: true,
      description: 'The in-year target.',
      resolve: p => p.inYearTarget ?? null,
    }),
    estimatedCustomerValue: t.field({
      type: 'Money',
      nullable: true,
      description: 'Estimated value of the solution for the customer.',
      resolve: p => p.estimatedCustomerValue ?? null,
    }),
    estimatedInvestment: t.field({
      type: 'Money',
      nullable: true,
      description: 'Estimated investment.',
      resolve: p => p.estimatedInvestment ?? null,
    }),
    estimatedCostToServe: t.field({
      type: 'Money',
      nullable: true,
      description: 'Estimated cost-to-serve.',
      resolve: p => p.estimatedCostToServe ?? null,
    }),
    latestVersionNumber: t.exposeInt('latestVersionNumber', {
      description: 'The number of the last frozen version (0 while never submitted).',
    }),
    submittedOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When last submitted.',
      resolve: p => p.submittedOn ?? null,
    }),
    approvedOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When approved.',
      resolve: p => p.approvedOn ?? null,
    }),
    closedOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When closed.',
      resolve: p => p.closedOn ?? null,
    }),
    copiedFrom: t.field({
      type: AccountPlanRef,
      nullable: true,
      description: 'The previous year’s plan this one was copied from.',
      resolve: p => p.copiedFrom?.id ?? null,
    }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
    businessUnits: t.loadableList({
      type: BusinessUnitRef,
      description: 'The business units involved; each must sign before the plan is approved.',
      load: async (ids: number[], ctx) => {
        const rows = await ctx.em.find(PlanUnit, { plan: { $in: ids } }, { orderBy: { id: 'asc' } });
        return ids.map(id => rows.filter(r => r.plan.id === id).map(r => r.businessUnit.id));
      },
      resolve: p => p.id,
    }),
    signOffs: t.loadableList({
      type: PlanSignOffRef,
      description: 'Every signature, on every submitted version, oldest first.',
      load: async (ids: number[], ctx) =>
        byPlan(ids, await ctx.em.find(PlanSignOff, { plan: { $in: ids } }, { orderBy: { id: 'asc' } })),
      resolve: p => p.id,
    }),
    statusHistory: t.loadableList({
      type: PlanStatusChangeRef,
      description:
        'Every status step, oldest first (empty for a plan last moved before kam kept the history).',
      load: async (ids: number[], ctx) =>
        byPlan(
          ids,
          await ctx.em.find(
            PlanStatusChange,
            { plan: { $in: ids } },
            { orderBy: [{ changedOn: 'asc' }, { id: 'asc' }] },
          ),
        ),
      resolve: p => p.id,
    }),
    versions: t.loadableList({
      type: PlanVersionRef,
      description: 'The frozen versions, oldest first.',
      load: async (ids: number[], ctx) =>
        byPlan(ids, await ctx.em.find(PlanVersion, { plan: { $in: ids } }, { orderBy: { number: 'asc' } })),
      resolve: p => p.id,
    }),
    reviews: t.loadableList({
      type: ExecutionReviewRef,
      description: 'Execution reviews, newest first.',
      load: async (ids: number[], ctx) =>
        byPlan(
          ids,
          await ctx.em.find(
            ExecutionReview,
            { plan: { $in: ids } },
            { orderBy: { reviewedOn: 'desc', id: 'desc' } },
          ),
        ),
      resolve: p => p.id,
    }),
    actions: t.loadableList({
      type: PlanActionRef,
      description: 'The action plan, by due date.',
      load: async (ids: number[], ctx) =>
        byPlan(
          ids,
          await ctx.em.find(PlanAction, { plan: { $in: ids } }, { orderBy: { dueOn: 'asc', id: 'asc' } }),
        ),
      resolve: p => p.id,
    }),
  }),
});

/** The plans of these accounts as read rows, newest year first (for `latestPlan` and `plans`). */
function plansOf(em: EntityManager, accountIds: number[]) {
  return selectRows(
    em,
    AccountPlan,
    `where account_id in (${placeholders(accountIds)}) order by year desc, id desc`,
    accountIds,
  );
}

/** Each account's plan for its latest planning year, or null. */
const latestPlanOf = requestLoader(async (ids: number[], ctx) => {
  const rows = await plansOf(ctx.em, ids);
  return firstBy(ids, rows, r => r.account.id);
});
ACCOUNT_FIELD_LOADERS.set('latestPlan', latestPlanOf);

builder.objectFields(AccountRef, t => ({
  latestPlan: t.field({
    type: AccountPlanRef,
    nullable: true,
    description: 'The account’s plan for its latest planning year, if any.',
    resolve: (a, _args, ctx) => latestPlanOf.resolve(ctx, a.id),
  }),
  plans: t.loadableList({
    type: AccountPlanRef,
    description: 'Every plan of the account, newest year first.',
    load: async (ids: number[], ctx) => {
      const rows = await plansOf(ctx.em, ids);
      return groupedBy(ids, rows, r => r.account.id);
    },
    resolve: a => a.id,
  }),
}));

const planOrder = connectionOrder(
  'PlanOrder',
  'account plans',
  {
    YEAR: { property: 'year', description: 'The planning year.' },
    CREATED_AT: { property: 'createdAt', description: 'When the plan was created.' },
    UPDATED_AT: { property: 'updatedAt', description: 'When the plan last changed.' },
  },
  // Exactly YEAR DESC (ties by id in the same direction), so that the two read the same pages and
  // take each other's cursors.
  { description: 'newest year first', order: { year: 'desc', id: 'desc' } },
);

builder.queryFields(t => ({
  plans: t.connection(
    {
      type: AccountPlanRef,
      description: 'Account plans, newest year first, filtered by status and year.',
      args: {
        status: t.arg({ type: PlanStatusEnum, description: 'Only plans with this status.' }),
        year: t.arg.int({ description: 'Only plans for this planning year.' }),
        orderBy: t.arg(planOrder.arg),
      },
      complexity: connectionComplexity,
      resolve: (_, args, ctx) => {
        const where: Record<string, unknown> = {};
        if (args.status) where.status = args.status;
        if (args.year != null) where.year = args.year;
        return pageOf(ctx.em, AccountPlan, where, planOrder.orderOf(args.orderBy), args, { readRows: true });
      },
    },
    ...connectionTypes('account plans'),
  ),
  planComparison: t.field({
    type: [SectionDifferenceRef],
    description:
      'Compares two frozen versions of a plan section by section (and target by target); without `to`, against the current working content.',
    errors: described(
      'comparing plan versions',
      'The seven sections, then each target and the business units involved, earlier and later.',
    ),
    args: {
      planId: t.arg.globalID({ required: true, description: 'The plan.' }),
      from: t.arg.int({ required: true, description: 'The earlier version number.' }),
      to: t.arg.int({ description: 'The later version number; omit for the current working content.' }),
    },
    resolve: (_, args, ctx) =>
      comparePlanVersions(ctx.em, {
        planId: decodeId(args.planId, 'AccountPlan', 'planId'),
        from: args.from,
        to: args.to,
      }),
  }),
}));

const PlanSectionsInput = builder.inputType('PlanSectionsInput', {
  description:
    'Texts of the seven plan sections, trimmed. In an update an omitted section keeps its text, and one sent blank (empty or only whitespace) or null is cleared to the empty text "" (a section is never null).',
  fields: t => ({
    baselines: t.string({ description: PLAN_SECTION_TITLES.baselines }),
    currentRelationship: t.string({ description: PLAN_SECTION_TITLES.currentRelationship }),
    growthOpportunities: t.string({ description: PLAN_SECTION_TITLES.growthOpportunities }),
    requiredActions: t.string({ description: PLAN_SECTION_TITLES.requiredActions }),
    customerValue: t.string({ description: PLAN_SECTION_TITLES.customerValue }),
    investmentAndCostToServe: t.string({ description: PLAN_SECTION_TITLES.investmentAndCostToServe }),
    actionPlanAndDeal: t.string({ description: PLAN_SECTION_TITLES.actionPlanAndDeal }),
  }),
});

const PlanTargetsInput = builder.inputType('PlanTargetsInput', {
  description: 'Quantified targets and estimates; omitted ones keep their value, null clears.',
  fields: t => ({
    revenueTarget: t.field({ type: 'Money', description: 'Revenue target.' }),
    marginTargetPercent: t.string({ description: 'Target gross margin in percent, e.g. "31.5".' }),
    inYearTarget: t.field({ type: 'Money', description: 'The in-year target.' }),
    estimatedCustomerValue: t.field({ type: 'Money', description: 'Estimated value for the customer.' }),
    estimatedInvestment: t.field({ type: 'Money', description: 'Estimated investment (not negative).' }),
    estimatedCostToServe: t.field({ type: 'Money', description: 'Estimated cost-to-serve (not negative).' }),
  }),
});

const CreatePlanInput = builder.inputType('CreatePlanInput', {
  description: 'A new DRAFT plan for an account and year.',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The key account.' }),
    year: t.int({ required: true, description: 'The planning year (one plan per account and year).' }),
    businessUnitIds: t.globalIDList({ description: 'The business units involved.' }),
    ownerId: t.globalID({ description: 'The plan’s owner.' }),
    startsOn: t.field({ type: 'Date', description: 'First day (1 January when omitted).' }),
    endsOn: t.field({ type: 'Date', description: 'Last day (31 December when omitted).' }),
    on: t.field({
      type: 'Date',
      description:
        'The day the plan was drafted (today when omitted); its status history starts then, and later steps cannot be dated before it.',
    }),
    sections: t.field({ type: PlanSectionsInput, description: 'Section texts.' }),
    targets: t.field({ type: PlanTargetsInput, description: 'Targets and estimates.' }),
  }),
});

const UpdatePlanInput = builder.inputType('UpdatePlanInput', {
  description: 'Edits a DRAFT plan; omitted fields keep their value.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The plan.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    sections: t.field({ type: PlanSectionsInput, description: 'Section texts to change.' }),
    targets: t.field({ type: PlanTargetsInput, description: 'Targets to change.' }),
    ownerId: t.globalID({ description: 'The owner (null clears).' }),
    businessUnitIds: t.globalIDList({ description: 'The full new list of business units involved.' }),
    startsOn: t.field({
      type: 'Date',
      description:
        'The period’s new first day (it keeps days of the plan’s year and overlaps no other plan).',
    }),
    endsOn: t.field({ type: 'Date', description: 'The period’s new last day (on or after its first).' }),
  }),
});

const PlanStepInput = builder.inputType('PlanStepInput', {
  description: 'Moves a plan one step in its life.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The plan.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    on: t.field({ type: 'Date', description: 'The date of the step (today when omitted).' }),
  }),
});

const SignPlanInput = builder.inputType('SignPlanInput', {
  description: 'A business unit’s signature on the submitted version of a plan.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The plan.' }),
    businessUnitId: t.globalID({ required: true, description: 'The unit signing.' }),
    signedById: t.globalID({
      description:
        'The person signing for the unit (one of its own people); you when omitted. Only an ADMIN names someone else.',
    }),
    versionNumber: t.int({
      description:
        'The submitted version the signer read (PlanVersion.number). When given, the signature is refused with a ConflictError if the plan was returned and submitted again since, and with a NotFoundError (PLAN_VERSION_NOT_FOUND) if the plan has no such version; when omitted, the version in review is signed.',
    }),
    on: t.field({ type: 'Date', description: 'When (today when omitted).' }),
    comment: t.string({ description: 'A comment.' }),
  }),
});

const CopyPlanInput = builder.inputType('CopyPlanInput', {
  description: 'A plan to copy into next year.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'This year’s plan.' }),
    on: t.field({
      type: 'Date',
      description:
        'The day next year’s plan was drafted (today when omitted); its status history starts then.',
    }),
  }),
});

const RecordExecutionReviewInput = builder.inputType('RecordExecutionReviewInput', {
  description: 'An execution review of an approved plan.',
  fields: t => ({
    planId: t.globalID({ required: true, description: 'The plan.' }),
    reviewedOn: t.field({ type: 'Date', description: 'When (today when omitted).' }),
    assessment: t.field({ type: ReviewAssessmentEnum, required: true, description: 'The verdict.' }),
    progress: t.string({ required: true, description: 'Progress against the targets.' }),
    blockers: t.string({
      description: 'What is blocking; trimmed, and the empty text "" when omitted, null or blank.',
    }),
    helpNeeded: t.string({
      description:
        'What can be done to help the account manager; trimmed, and the empty text "" when omitted, null or blank.',
    }),
    revenueToDate: t.field({ type: 'Money', description: 'Revenue so far in the plan year.' }),
  }),
});

const AddPlanActionInput = builder.inputType('AddPlanActionInput', {
  description: 'A new action in a plan’s action plan.',
  fields: t => ({
    planId: t.globalID({ required: true, description: 'The plan.' }),
    description: t.string({ required: true, description: 'What is to be done.' }),
    ownerId: t.globalID({ description: 'Who owns it.' }),
    dueOn: t.field({ type: 'Date', description: 'When it is due.' }),
  }),
});

const UpdatePlanActionInput = builder.inputType('UpdatePlanActionInput', {
  description: 'Changes to an action; DONE and CANCELLED are final.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The action.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    status: t.field({ type: ActionStatusEnum, description: 'The new status.' }),
    description: t.string({ description: 'What is to be done.' }),
    ownerId: t.globalID({ description: 'Who owns it (null clears).' }),
    dueOn: t.field({ type: 'Date', description: 'When it is due (null clears).' }),
    completedOn: t.field({
      type: 'Date',
      description: 'When it was done (with status DONE; today when omitted).',
    }),
  }),
});

const unitIds = (ids: readonly { typename: string; id: string | number }[] | null | undefined) =>
  ids?.map((id, i) => decodeId(id, 'BusinessUnit', ['businessUnitIds', i]));

function targets(input: Record<string, unknown> | null | undefined) {
  if (!input) return undefined;
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Record<
    string,
    string | null
  >;
}

/** The sections sent: null is kept, as a blank text, to clear a section ("" in the domain). */
function sections(input: Record<string, string | null | undefined> | null | undefined) {
  if (!input) return undefined;
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Record<
    string,
    string | null
  >;
}

type StepRunner = typeof submitPlan;
function planStep(name: string, what: string, description: string, run: StepRunner) {
  return builder.mutationField(name, t =>
    t.field({
      type: AccountPlanRef,
      description,
      authScopes: { write: true },
      errors: described(what),
      args: {
        input: t.arg({ type: PlanStepInput, required: true, description: 'The plan and its version.' }),
      },
      resolve: async (_, { input }, ctx) => {
        const id = decodeId(input.id, 'AccountPlan');
        await assertCanWriteRecord(ctx, AccountPlan, id);
        return run(
          ctx.em,
          {
            id,
            expectedVersion: input.expectedVersion,
            on: input.on ?? undefined,
            personId: ctx.viewer.personId,
          },
          ctx.actor,
        );
      },
    }),
  );
}

planStep(
  'submitPlan',
  'submitting a plan',
  'Submits a DRAFT plan for review: freezes its content as a new version that every involved business unit must sign.',
  submitPlan,
);
planStep(
  'approvePlan',
  'approving a plan',
  'Approves a plan IN_REVIEW — only when every involved business unit has signed its submitted version.',
  approvePlan,
);
planStep(
  'returnPlanToDraft',
  'returning a plan to draft',
  'Sends a plan IN_REVIEW back to DRAFT for changes; its signatures stay with the old version.',
  returnPlanToDraft,
);
planStep(
  'closePlan',
  'closing a plan',
  'Closes an APPROVED plan on the day given (today when omitted): usually at the end of its period, but it may close early, e.g. when the account stops being a key account. Not dated before its last step or execution review; its actions then no longer change.',
  closePlan,
);

builder.mutationFields(t => ({
  createPlan: t.field({
    type: AccountPlanRef,
    description: 'Creates a DRAFT plan for an account and year (one plan per account and year).',
    authScopes: { write: true },
    errors: described('creating a plan'),
    args: { input: t.arg({ type: CreatePlanInput, required: true, description: 'The plan.' }) },
    resolve: async (_, { input }, ctx) => {
      const accountId = decodeId(input.accountId, 'Account', 'accountId');
      await assertCanWriteAccount(ctx, accountId);
      return createPlan(
        ctx.em,
        {
          accountId,
          year: input.year,
          businessUnitIds: unitIds(input.businessUnitIds) ?? [],
          ownerId: maybeId(input.ownerId, 'Person', 'ownerId'),
          startsOn: input.startsOn ?? undefined,
          endsOn: input.endsOn ?? undefined,
          on: input.on ?? undefined,
          sections: sections(input.sections) ?? {},
          targets: targets(input.targets) ?? {},
        },
        ctx.actor,
      );
    },
  }),
  updatePlan: t.field({
    type: AccountPlanRef,
    description:
      'Edits a DRAFT plan: section texts, targets, owner, the business units involved and its period.',
    authScopes: { write: true },
    errors: described('updating a plan'),
    args: { input: t.arg({ type: UpdatePlanInput, required: true, description: 'The change.' }) },
    resolve: async (_, { input }, ctx) => {
      const id = decodeId(input.id, 'AccountPlan');
      await assertCanWriteRecord(ctx, AccountPlan, id);
      return updatePlan(
        ctx.em,
        {
          id,
          expectedVersion: input.expectedVersion,
          sections: sections(input.sections),
          targets: targets(input.targets),
          ownerId: optionalId(input.ownerId, 'Person', 'ownerId'),
          businessUnitIds: unitIds(input.businessUnitIds),
          startsOn: input.startsOn ?? undefined,
          endsOn: input.endsOn ?? undefined,
        },
        ctx.actor,
      );
    },
  }),
  signPlan: t.field({
    type: PlanSignOffRef,
    description:
      'A business unit signs the submitted version of a plan, through one of its own people (you, unless signedById names another).',
    authScopes: { write: true },
    errors: described('signing a plan'),
    args: { input: t.arg({ type: SignPlanInput, required: true, description: 'The signature.' }) },
    resolve: async (_, { input }, ctx) => {
      const id = decodeId(input.id, 'AccountPlan');
      await assertCanWriteRecord(ctx, AccountPlan, id);
      const signedById = input.signedById
        ? decodeId(input.signedById, 'Person', 'signedById')
        : ctx.viewer.personId;
      // A signature is personal: only an administrator records one on someone else's behalf.
      if (signedById !== ctx.viewer.personId && ctx.viewer.role !== 'ADMIN') {
        throw new ForbiddenError(
          'Sign a plan yourself; only an administrator records a signature for someone else.',
        );
      }
      return signPlan(
        ctx.em,
        {
          id,
          businessUnitId: decodeId(input.businessUnitId, 'BusinessUnit', 'businessUnitId'),
          signedById,
          versionNumber: input.versionNumber ?? undefined,
          on: input.on ?? undefined,
          comment: input.comment,
        },
        ctx.actor,
      );
    },
  }),
  copyPlanToNextYear: t.field({
    type: AccountPlanRef,
    description:
      'Starts next year’s plan as a DRAFT copy of this one (sections, targets, units, and the owner while still active), over the same period a year later.',
    authScopes: { write: true },
    errors: described('copying a plan'),
    args: { input: t.arg({ type: CopyPlanInput, required: true, description: 'The plan to copy.' }) },
    resolve: async (_, { input }, ctx) => {
      const id = decodeId(input.id, 'AccountPlan');
      await assertCanWriteRecord(ctx, AccountPlan, id);
      return copyPlanToNextYear(ctx.em, { id, on: input.on ?? undefined }, ctx.actor);
    },
  }),
  recordExecutionReview: t.field({
    type: ExecutionReviewRef,
    description: 'Records an execution review of an APPROVED plan: progress, blockers and the help needed.',
    authScopes: { write: true },
    errors: described('recording an execution review'),
    args: { input: t.arg({ type: RecordExecutionReviewInput, required: true, description: 'The review.' }) },
    resolve: async (_, { input }, ctx) => {
      const planId = decodeId(input.planId, 'AccountPlan', 'planId');
      await assertCanWriteRecord(ctx, AccountPlan, planId);
      return recordExecutionReview(
        ctx.em,
        {
          planId,
          reviewedOn: input.reviewedOn ?? undefined,
          reviewerId: ctx.viewer.personId,
          assessment: input.assessment,
          progress: input.progress,
          blockers: input.blockers ?? undefined,
          helpNeeded: input.helpNeeded ?? undefined,
          revenueToDate: input.revenueToDate,
        },
        ctx.actor,
      );
    },
  }),
  addPlanAction: t.field({
    type: PlanActionRef,
    description: 'Adds an action to a plan’s action plan (not to a CLOSED plan).',
    authScopes: { write: true },
    errors: described('adding an action'),
    args: { input: t.arg({ type: AddPlanActionInput, required: true, description: 'The action.' }) },
    resolve: async (_, { input }, ctx) => {
      const planId = decodeId(input.planId, 'AccountPlan', 'planId');
      await assertCanWriteRecord(ctx, AccountPlan, planId);
      return addPlanAction(
        ctx.em,
        {
          planId,
          description: input.description,
          ownerId: maybeId(input.ownerId, 'Person', 'ownerId'),
          dueOn: input.dueOn,
        },
        ctx.actor,
      );
    },
  }),
  updatePlanAction: t.field({
    type: PlanActionRef,
    description:
      'Updates an action of a plan. DONE and CANCELLED actions are final (nothing of them changes any more), and so are the actions of a CLOSED plan; completedOn comes with status DONE.',
    authScopes: { write: true },
    errors: described('updating an action'),
    args: { input: t.arg({ type: UpdatePlanActionInput, required: true, description: 'The change.' }) },
    resolve: async (_, { input }, ctx) => {
      const id = decodeId(input.id, 'PlanAction');
      await assertCanWriteRecord(ctx, PlanAction, id, ['plan', 'account']);
      return updatePlanAction(
        ctx.em,
        {
          id,
          expectedVersion: input.expectedVersion,
          status: input.status ?? undefined,
          description: input.description ?? undefined,
          ownerId: optionalId(input.ownerId, 'Person', 'ownerId'),
          dueOn: input.dueOn,
          completedOn: input.completedOn ?? undefined,
        },
        ctx.actor,
      );
    },
  }),
}));
