import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Account } from '../accounts/account.entity.ts';
import type { Actor } from '../common/actor.ts';
import { assertNotAfterToday } from '../common/dated.ts';
import { DomainError } from '../common/domain-error.ts';
import { addMonths, findOrFail, lockRow, missingRecordMessage, today } from '../common/lookup.ts';
import { assertVersion, writeAs } from '../common/unit-of-work.ts';
import {
  isoDateSchema,
  moneySchema,
  nonNegativeMoneySchema,
  optionalText,
  parseInput,
  requiredColumnText,
  ruled,
  toFieldIssues,
  versionSchema,
} from '../common/validation.ts';
import {
  ACTION_STATUSES,
  type ActionStatus,
  PLAN_SECTION_TITLES,
  PLAN_SECTIONS,
  PLAN_TARGET_FIELDS,
  type PlanSection,
  type PlanStatus,
  type PlanStep,
  REVIEW_ASSESSMENTS,
} from '../common/vocabulary.ts';
import { quoted } from '../common/words.ts';
import { BusinessUnit } from '../organisation/business-unit.entity.ts';
import { Person } from '../organisation/person.entity.ts';
import { KeyAccountDesignation } from '../selection/designation.entity.ts';
import { designationOn } from '../selection/selection.service.ts';
import { activePerson, personInactive } from '../team/team.errors.ts';
import {
  AccountPlan,
  ExecutionReview,
  PlanAction,
  type PlanContent,
  PlanSignOff,
  PlanStatusChange,
  PlanUnit,
  PlanVersion,
} from './account-plan.entity.ts';

/**
 * A plan's free text (a section, an execution review's blockers or help needed): trimmed, at
 * most 20,000 characters. Its columns are NOT NULL, their empty value "": blank (empty or only
 * whitespace) and `null` are both that empty text, so an update that sends either clears the
 * stored text (as `optionalText` clears a nullable one). Left out it stays `undefined`.
 */
const planTextSchema = requiredColumnText.nullable().transform(v => v ?? '');

const sectionsSchema = z
  .object(
    Object.fromEntries(PLAN_SECTIONS.map(s => [s, planTextSchema.optional()])) as Record<
      PlanSection,
      z.ZodOptional<typeof planTextSchema>
    >,
  )
  .strict();

const percentSchema = ruled(
  z.union([z.string(), z.number()]).transform(v => String(v).trim()),
  v => /^-?\d{1,3}(\.\d{1,2})?$/.test(v) && Math.abs(Number(v)) <= 100,
  'INVALID_PERCENTAGE',
  'must be a percentage from -100 to 100 with at most two decimals, like 31.5',
).transform(v => Number(v).toFixed(2));

const targetsSchema = z
  .object({
    revenueTarget: moneySchema.nullish(),
    marginTargetPercent: percentSchema.nullish(),
    inYearTarget: moneySchema.nullish(),
    estimatedCustomerValue: moneySchema.nullish(),
    // An investment or a cost is never negative; revenue (net of credits) and value may be.
    estimatedInvestment: nonNegativeMoneySchema.nullish(),
    estimatedCostToServe: nonNegativeMoneySchema.nullish(),
  })
  .strict();
const TARGET_FIELDS = PLAN_TARGET_FIELDS;

/** How a plan's targets are titled where versions are compared. */
export const PLAN_TARGET_TITLES: Record<(typeof TARGET_FIELDS)[number], string> = {
  revenueTarget: 'Revenue target',
  marginTargetPercent: 'Margin target (%)',
  inYearTarget: 'In-year target',
  estimatedCustomerValue: 'Estimated value for the customer',
  estimatedInvestment: 'Estimated investment',
  estimatedCostToServe: 'Estimated cost-to-serve',
};

/** The years a plan can be for: createPlan's `year`, and the year a copy to next year would be for. */
const planYearSchema = z
  .number()
  .int()
  .min(2000, 'must be 2000 or later')
  .max(2100, 'must be 2100 or earlier');

export const createPlanSchema = z.object({
  accountId: z.number().int().positive(),
  year: planYearSchema,
  businessUnitIds: z.array(z.number().int().positive()).max(50).default([]),
  ownerId: z.number().int().positive().nullish(),
  startsOn: isoDateSchema.optional(),
  endsOn: isoDateSchema.optional(),
  /** The day the plan was drafted (its status history starts then); default today. */
  on: isoDateSchema.optional(),
  sections: sectionsSchema.default({}),
  targets: targetsSchema.default({}),
});
export type CreatePlanInput = z.input<typeof createPlanSchema>;

/**
 * Loads a plan with its account: messages name a plan by its year and account ("the 2026 plan
 * of CRM-100003"), as its users know it, not by its database id. With `lock`, its row is
 * locked first (`lockRow`).
 */
async function findPlan(em: EntityManager, id: number, { lock = false } = {}): Promise<AccountPlan> {
  const plan = await findOrFail(em, AccountPlan, id, 'Plan', { lock });
  await em.populate(plan, ['account']);
  return plan;
}

/** "The 2026 plan of CRM-100003" (a loaded plan, see `findPlan`); lower-case "the" inside a sentence. */
function planName(plan: AccountPlan, { inSentence = false } = {}): string {
  return `${inSentence ? 'the' : 'The'} ${plan.year} plan of ${plan.account.externalRef}`;
}

/** `assertVersion` for a plan, naming it as its users know it. */
function assertPlanVersion(plan: AccountPlan, expectedVersion: number | undefined): void {
  assertVersion('AccountPlan', plan, expectedVersion, planName(plan));
}

function notEditable(plan: AccountPlan): DomainError {
  return new DomainError(
    'PLAN_NOT_EDITABLE',
    plan.status === 'IN_REVIEW'
      ? `${planName(plan)} is IN_REVIEW; only a DRAFT plan can be edited. Return it to draft first (its sign-offs stay with the submitted version).`
      : `${planName(plan)} is ${plan.status}; only a DRAFT plan can be edited: an approved or closed plan stays as it was signed. Copy it to next year to plan again.`,
  );
}

function invalidTransition(plan: AccountPlan, to: PlanStatus, allowedFrom: PlanStatus[]): DomainError {
  return new DomainError(
    'PLAN_INVALID_TRANSITION',
    `${planName(plan)} is ${plan.status} and cannot become ${to}; that step is only possible from ${allowedFrom.join(' or ')}.`,
    { details: { from: plan.status, to } },
  );
}

/** Why a plan's status step or a sign-off is not dated after today (`assertNotAfterToday`). */
const STEP_HAPPENED = "a plan's step or signature is recorded once it has happened";

/**
 * The day a plan's first step (CREATED or COPIED) takes effect: `on`, else today; not after today
 * (`DATE_IN_FUTURE` at `on`): a plan drafted in the future would refuse every later step until then.
 */
function firstStepDate(on: string | undefined): string {
  const date = on ?? today();
  assertNotAfterToday('on', date, STEP_HAPPENED);
  return date;
}

/**
 * The day a status step takes effect: the step's `on`, else today. Not after today
 * (`DATE_IN_FUTURE`): the status history records what has happened, and a step dated later
 * would say the plan was in its old status until then (and refuse every step before that day).
 * A step cannot be dated before the plan's last recorded step (`PLAN_STEP_BEFORE_LAST_STEP`):
 * the status history would then say the plan was, on some days, in a status it had already left.
 * Both at `on`.
 */
async function stepDate(tx: EntityManager, plan: AccountPlan, on: string | undefined): Promise<string> {
  const date = on ?? today();
  assertNotAfterToday('on', date, STEP_HAPPENED);
  const last = await tx.findOne(
    PlanStatusChange,
    { plan },
    { orderBy: [{ changedOn: 'desc' }, { id: 'desc' }], fields: ['changedOn', 'status'] },
  );
  if (last && date < last.changedOn) {
    throw new DomainError(
      'PLAN_STEP_BEFORE_LAST_STEP',
      `${planName(plan)} became ${last.status} on ${last.changedOn}; a later step cannot be dated ${date}. Date it on or after ${last.changedOn}.`,
      {
        details: { lastChangedOn: last.changedOn, on: date },
        issues: [{ path: ['on'], message: `before ${last.changedOn}`, code: 'PLAN_STEP_BEFORE_LAST_STEP' }],
      },
    );
  }
  return date;
}

/** Appends the step that brought the plan to its current status to its status history. */
function recordStatusChange(
  tx: EntityManager,
  plan: AccountPlan,
  step: PlanStep,
  fromStatus: PlanStatus | null,
  changedOn: string,
): void {
  tx.create(PlanStatusChange, {
    plan,
    step,
    fromStatus,
    status: plan.status,
    changedOn,
    versionNumber: plan.latestVersionNumber,
  });
}

/** The day a plan was drafted: its first status step (CREATED or COPIED); null for none. */
async function draftedOn(tx: EntityManager, plan: AccountPlan): Promise<string | null> {
  const first = await tx.findOne(
    PlanStatusChange,
    { plan },
    { orderBy: [{ changedOn: 'asc' }, { id: 'asc' }], fields: ['changedOn'] },
  );
  return first?.changedOn ?? null;
}

async function loadUnits(em: EntityManager, ids: number[]): Promise<BusinessUnit[]> {
  const unique = [...new Set(ids)];
  const units = await em.find(BusinessUnit, { id: { $in: unique } });
  const known = new Set(units.map(u => u.id));
  const missing = ids.findIndex(id => !known.has(id));
  if (missing >= 0) {
    // The first unknown unit, as `findOrFail` reports one: with its class and id in the details,
    // the API names it by the global id its client sent, not by the database id.
    const id = ids[missing] as number;
    throw new DomainError('NOT_FOUND', missingRecordMessage('Business unit', id), {
      details: { entity: 'Business unit', type: 'BusinessUnit', id },
      issues: [{ path: ['businessUnitIds', missing], message: 'unknown business unit', code: 'NOT_FOUND' }],
    });
  }
  return units;
}

/**
 * A plan is drawn up for a key account (domain §7): the account is key on `on`, the day the plan
 * (or its copy, `noun`) is drafted, else ACCOUNT_NOT_KEY. An account's designations never
 * overlap, so the last one it had by then decides: key from its designation to the day before
 * its revocation.
 */
async function assertKeyWhenDrafted(
  tx: EntityManager,
  account: Account,
  on: string,
  noun: 'plan' | 'copy',
): Promise<void> {
  if (await designationOn(tx, account, on)) return;
  // Why not: the designation that ended before `on`, or one that starts after it.
  const last = await tx.findOne(
    KeyAccountDesignation,
    { account, designatedOn: { $lte: on } },
    { orderBy: [{ designatedOn: 'desc' }, { id: 'desc' }] },
  );
  const later = await tx.findOne(
    KeyAccountDesignation,
    { account, designatedOn: { $gt: on } },
    { orderBy: { designatedOn: 'asc' } },
  );
  const isToday = on === today();
  const fix = later
    ? `It became one on ${later.designatedOn}: date the ${noun} on or after ${later.designatedOn}.`
    : isToday
      ? 'Designate it first.'
      : `Date the ${noun} on a day it was key, or designate it first, dated on or before ${on}.`;
  throw new DomainError(
    'ACCOUNT_NOT_KEY',
    `${account.externalRef} ${isToday ? `is not a key account today (${on})` : `was not a key account on ${on}`}${last?.revokedOn ? `: its designation ended on ${last.revokedOn}` : ''}, and an account plan is drawn up for a key account only. ${fix}`,
  );
}

/** A plan's period: its first and last day. */
type Period = Pick<AccountPlan, 'startsOn' | 'endsOn'>;

/**
 * A plan's period includes at least one day of its year (a fiscal year 2025-04-01 to 2026-03-31
 * may be the 2025 or the 2026 plan), and ends on or after its start: VALIDATION_FAILED otherwise.
 */
function assertPeriodOfYear({ startsOn, endsOn }: Period, year: number): void {
  if (endsOn < startsOn) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `The period would end on ${endsOn}, before it starts on ${startsOn}. Give an endsOn on or after startsOn.`,
      { issues: [{ path: ['endsOn'], message: `before startsOn (${startsOn})`, code: 'VALIDATION_FAILED' }] },
    );
  }
  if (endsOn < `${year}-01-01` || startsOn > `${year}-12-31`) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `The period ${startsOn} to ${endsOn} has no day in ${year}, the year the plan is for. Give a period that includes days of ${year} (a fiscal year ${year - 1}-04-01 to ${year}-03-31 may be the ${year - 1} or the ${year} plan), or create the plan for the year its period is in.`,
      {
        issues: [
          { path: ['startsOn'], message: `the period has no day in ${year}`, code: 'VALIDATION_FAILED' },
        ],
      },
    );
  }
}

/**
 * The plan of `account` other than `except` whose period overlaps `period`, if any (the
 * earliest, when several do): a key account has one plan for a time (domain §7: one plan per
 * planning year), so its plans' periods do not overlap.
 */
function overlappingPlan(tx: EntityManager, account: Account, { startsOn, endsOn }: Period, except?: number) {
  return tx.findOne(
    AccountPlan,
    {
      account,
      startsOn: { $lte: endsOn },
      endsOn: { $gte: startsOn },
      ...(except === undefined ? {} : { id: { $ne: except } }),
    },
    { orderBy: { startsOn: 'asc' }, fields: ['year', 'startsOn', 'endsOn'] },
  );
}

/** PLAN_PERIOD_OVERLAP's details: the other plan's year and period. */
const otherPlan = (other: Period & Pick<AccountPlan, 'year'>) => ({
  details: { year: other.year, startsOn: other.startsOn, endsOn: other.endsOn },
});

/**
 * PLAN_PERIOD_OVERLAP when another plan of `account` than `except` overlaps `period` (a plan
 * created, or a draft's period changed), saying which end to move.
 */
async function assertNoOverlap(tx: EntityManager, account: Account, period: Period, except?: number) {
  const other = await overlappingPlan(tx, account, period, except);
  if (!other) return;
  const fix =
    other.startsOn <= period.startsOn
      ? `Start the period after ${other.endsOn}.`
      : `End the period before ${other.startsOn}.`;
  throw new DomainError(
    'PLAN_PERIOD_OVERLAP',
    `The period ${period.startsOn} to ${period.endsOn} overlaps that of the ${other.year} plan of ${account.externalRef} (${other.startsOn} to ${other.endsOn}): a key account has one plan for a time. ${fix}`,
    otherPlan(other),
  );
}

/**
 * Creates a DRAFT plan for an account and year, drafted on `on` (today when omitted, not after
 * today), a day the account is key (ACCOUNT_NOT_KEY). One plan per account and year; its period
 * includes days of its year and does not overlap another plan of the account (PLAN_PERIOD_OVERLAP).
 */
export async function createPlan(
  em: EntityManager,
  input: CreatePlanInput,
  actor: Actor,
): Promise<AccountPlan> {
  const data = parseInput(createPlanSchema, input, 'plan');
  const draftedOn = firstStepDate(data.on);
  const period = {
    startsOn: data.startsOn ?? `${data.year}-01-01`,
    endsOn: data.endsOn ?? `${data.year}-12-31`,
  };
  assertPeriodOfYear(period, data.year);
  return writeAs(em, actor, async tx => {
    // Locked: a plan for the same account and year created at the same time waits for this one
    // and then sees it, so it is refused as PLAN_ALREADY_EXISTS, not on the unique key (and a
    // plan for another year over the same days sees this one's period).
    const account = await findOrFail(tx, Account, data.accountId, 'Account', { lock: true });
    await assertKeyWhenDrafted(tx, account, draftedOn, 'plan');
    if (await tx.count(AccountPlan, { account, year: data.year })) {
      throw new DomainError(
        'PLAN_ALREADY_EXISTS',
        `Account ${account.externalRef} already has a plan for ${data.year}; edit that plan instead.`,
      );
    }
    await assertNoOverlap(tx, account, period);
    const owner = await activePerson(
      tx,
      data.ownerId,
      'ownerId',
      `the owner of the ${data.year} plan of ${account.externalRef}`,
    );
    const plan = tx.create(AccountPlan, {
      account,
      year: data.year,
      status: 'DRAFT',
      ...period,
      owner,
      ...Object.fromEntries(PLAN_SECTIONS.map(s => [s, data.sections[s] ?? ''])),
      ...Object.fromEntries(TARGET_FIELDS.map(t => [t, data.targets[t] ?? null])),
      latestVersionNumber: 0,
    } as never) as AccountPlan;
    for (const unit of await loadUnits(tx, data.businessUnitIds))
      tx.create(PlanUnit, { plan, businessUnit: unit });
    recordStatusChange(tx, plan, 'CREATED', null, draftedOn);
    return plan;
  });
}

export const updatePlanSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  sections: sectionsSchema.optional(),
  targets: targetsSchema.optional(),
  ownerId: z.number().int().positive().nullish(),
  businessUnitIds: z.array(z.number().int().positive()).max(50).optional(),
  startsOn: isoDateSchema.optional(),
  endsOn: isoDateSchema.optional(),
});
export type UpdatePlanInput = z.input<typeof updatePlanSchema>;

/**
 * Edits a DRAFT plan: sections, targets, owner, the business units involved and its period (an
 * end omitted keeps the stored one; checked as at creation: days of its year, no overlap).
 */
export async function updatePlan(
  em: EntityManager,
  input: UpdatePlanInput,
  actor: Actor,
): Promise<AccountPlan> {
  const data = parseInput(updatePlanSchema, input, 'plan');
  return writeAs(em, actor, async tx => {
    const plan = await findPlan(tx, data.id);
    assertPlanVersion(plan, data.expectedVersion);
    if (plan.status !== 'DRAFT') throw notEditable(plan);
    const period = { startsOn: data.startsOn ?? plan.startsOn, endsOn: data.endsOn ?? plan.endsOn };
    if (period.startsOn !== plan.startsOn || period.endsOn !== plan.endsOn) {
      assertPeriodOfYear(period, plan.year);
      // Locked as in createPlan: a plan created over the same days at the same time waits.
      await lockRow(tx, Account, plan.account.id);
      await assertNoOverlap(tx, plan.account, period, plan.id);
      Object.assign(plan, period);
    }
    // Only what differs from what is stored is written: an update that changes nothing keeps
    // the plan's version (and updatedAt), so nobody else's edit of it conflicts for nothing.
    const record = plan as unknown as Record<string, unknown>;
    for (const [section, text] of Object.entries(data.sections ?? {}))
      if (text !== undefined && text !== record[section]) record[section] = text;
    for (const [field, value] of Object.entries(data.targets ?? {})) {
      const target = field as (typeof TARGET_FIELDS)[number];
      // Compared as frozen: SQLite reads a margin of 31.50 back as "31.5".
      if (value !== undefined && targetText(target, value) !== targetText(target, record[field]))
        record[field] = value;
    }
    if (data.ownerId !== undefined && (data.ownerId ?? null) !== (plan.owner?.id ?? null))
      plan.owner = await activePerson(
        tx,
        data.ownerId,
        'ownerId',
        `the owner of ${planName(plan, { inSentence: true })}`,
      );
    if (data.businessUnitIds) {
      const wanted = await loadUnits(tx, data.businessUnitIds);
      const current = await tx.find(PlanUnit, { plan });
      let unitsChanged = false;
      for (const pu of current) {
        if (!wanted.some(u => u.id === pu.businessUnit.id)) {
          tx.remove(pu);
          unitsChanged = true;
        }
      }
      for (const unit of wanted) {
        if (!current.some(pu => pu.businessUnit.id === unit.id)) {
          tx.create(PlanUnit, { plan, businessUnit: unit });
          unitsChanged = true;
        }
      }
      // The units are rows of their own: a change of them alone is still a change of the plan,
      // so its version moves on (and an editor who read the old units gets VERSION_CONFLICT).
      if (unitsChanged) plan.updatedAt = new Date();
    }
    return plan;
  });
}

/**
 * A target as frozen and compared: money as stored, the margin always with its two decimals
 * (SQLite reads a decimal column back without trailing zeros: "31.5" for 31.50).
 */
function targetText(field: (typeof TARGET_FIELDS)[number], value: unknown): string | null {
  if (value == null) return null;
  return field === 'marginTargetPercent' ? Number(value).toFixed(2) : String(value);
}

/** The content of a plan as it would be frozen now. */
export async function planContent(em: EntityManager, plan: AccountPlan): Promise<PlanContent> {
  const units = await em.find(PlanUnit, { plan }, { populate: ['businessUnit'] });
  const record = plan as unknown as Record<string, unknown>;
  return {
    sections: Object.fromEntries(PLAN_SECTIONS.map(s => [s, String(record[s] ?? '')])),
    targets: Object.fromEntries(TARGET_FIELDS.map(t => [t, targetText(t, record[t])])),
    businessUnits: units.map(u => u.businessUnit.code).sort(),
  };
}

const planStepSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  personId: z.number().int().positive().nullish(),
  on: isoDateSchema.optional(),
});
export type PlanStepInput = z.input<typeof planStepSchema>;

/**
 * Submits a DRAFT plan for review: freezes its content as version n+1. Every business
 * unit involved must then sign that version before the plan can be approved.
 */
export async function submitPlan(em: EntityManager, input: PlanStepInput, actor: Actor) {
  const data = parseInput(planStepSchema, input, 'plan submission');
  return writeAs(em, actor, async tx => {
    const plan = await findPlan(tx, data.id);
    assertPlanVersion(plan, data.expectedVersion);
    if (plan.status !== 'DRAFT') throw invalidTransition(plan, 'IN_REVIEW', ['DRAFT']);
    const content = await planContent(tx, plan);
    if (content.businessUnits.length === 0) {
      throw new DomainError(
        'PLAN_HAS_NO_BUSINESS_UNITS',
        `${planName(plan)} involves no business unit. A plan is owned by every unit involved: add at least one before submitting.`,
      );
    }
    const submittedBy = await activePerson(
      tx,
      data.personId,
      'personId',
      `the submitter of ${planName(plan, { inSentence: true })}`,
    );
    const on = await stepDate(tx, plan, data.on);
    plan.latestVersionNumber += 1;
    plan.status = 'IN_REVIEW';
    plan.submittedOn = on;
    recordStatusChange(tx, plan, 'SUBMITTED', 'DRAFT', on);
    tx.create(PlanVersion, {
      plan,
      number: plan.latestVersionNumber,
      frozenAt: new Date(),
      submittedBy,
      content,
    });
    return plan;
  });
}

export const signPlanSchema = z.object({
  id: z.number().int().positive(),
  businessUnitId: z.number().int().positive(),
  signedById: z.number().int().positive(),
  /** The submitted version the signer read; refused once the plan was submitted again. */
  versionNumber: z.number().int().positive().optional(),
  on: isoDateSchema.optional(),
  comment: optionalText(20_000),
});
export type SignPlanInput = z.input<typeof signPlanSchema>;

/**
 * A business unit signs the submitted version of a plan, through one of its active people, on
 * `on` (today when omitted, not after today). A unit signs a version once: the same signature
 * again (same signer and comment, and the same day when one is given) answers with the stored
 * one; a different one is `PLAN_UNIT_ALREADY_SIGNED`.
 */
export async function signPlan(em: EntityManager, input: SignPlanInput, actor: Actor): Promise<PlanSignOff> {
  const data = parseInput(signPlanSchema, input, 'sign-off');
  return writeAs(em, actor, async tx => {
    // Locked: a second signature of the same unit at the same time waits for this one and then
    // finds it (and returns it, or refuses a different one), as it does one after the other.
    const plan = await findPlan(tx, data.id, { lock: true });
    if (plan.status !== 'IN_REVIEW') {
      throw new DomainError(
        'PLAN_INVALID_TRANSITION',
        `${planName(plan)} is ${plan.status}; only a plan IN_REVIEW can be signed.${plan.status === 'DRAFT' ? ' Submit it first.' : ''}`,
      );
    }
    if (data.versionNumber !== undefined && data.versionNumber > plan.latestVersionNumber) {
      // Not a version submitted since it was read: one that was never submitted.
      throw versionNotFound(plan, data.versionNumber);
    }
    if (data.versionNumber !== undefined && data.versionNumber !== plan.latestVersionNumber) {
      // A signature is for what the signer read: the plan was returned and submitted again since.
      throw new DomainError(
        'VERSION_CONFLICT',
        `${planName(plan)} is in review as version ${plan.latestVersionNumber}, not version ${data.versionNumber}: it was submitted again since. Read version ${plan.latestVersionNumber} (compare it with ${data.versionNumber}) and sign that one.`,
        {
          details: {
            entity: 'PlanVersion',
            id: plan.id,
            expectedVersion: data.versionNumber,
            currentVersion: plan.latestVersionNumber,
          },
        },
      );
    }
    const unit = await findOrFail(tx, BusinessUnit, data.businessUnitId, 'Business unit');
    if (!(await tx.count(PlanUnit, { plan, businessUnit: unit }))) {
      const involved = await tx.find(PlanUnit, { plan }, { populate: ['businessUnit'] });
      const codes = involved.map(u => u.businessUnit.code).sort();
      throw new DomainError(
        'PLAN_UNIT_NOT_INVOLVED',
        `Business unit ${unit.code} is not involved in ${planName(plan, { inSentence: true })}; only involved units sign it (${codes.length ? codes.join(', ') : 'none yet'}).`,
      );
    }
    const signer = await findOrFail(tx, Person, data.signedById, 'Person');
    if (signer.businessUnit?.id !== unit.id) {
      throw new DomainError(
        'PLAN_SIGNER_NOT_IN_UNIT',
        `${signer.name} is not a member of ${unit.code}; a plan is signed for a business unit by one of its own people${signer.businessUnit ? '' : ` (${signer.name} belongs to no business unit)`}.`,
      );
    }
    // A signature counts towards approval: as for a team role, not by someone who has left.
    if (!signer.active)
      throw personInactive(signer.name, 'signedById', `the signer of a plan for ${unit.code}`);
    const existing = await tx.findOne(PlanSignOff, {
      plan,
      businessUnit: unit,
      planVersionNumber: plan.latestVersionNumber,
    });
    if (existing) {
      const same =
        existing.signedBy.id === signer.id &&
        existing.comment === (data.comment ?? null) &&
        (data.on === undefined || data.on === existing.signedOn);
      if (same) return existing;
      throw await alreadySigned(tx, plan, unit, existing);
    }
    // Not before the submission being signed (the plan's last step).
    const signedOn = await stepDate(tx, plan, data.on);
    return tx.create(PlanSignOff, {
      plan,
      businessUnit: unit,
      signedBy: signer,
      signedOn,
      planVersionNumber: plan.latestVersionNumber,
      comment: data.comment ?? null,
    });
  });
}

/**
 * `PLAN_UNIT_ALREADY_SIGNED` for a signature of a unit that has signed the plan's submitted
 * version already, differently (another signer, another comment or another day): saying who
 * signed it, when, and how to sign again.
 */
async function alreadySigned(
  tx: EntityManager,
  plan: AccountPlan,
  unit: BusinessUnit,
  existing: PlanSignOff,
): Promise<DomainError> {
  await tx.populate(existing, ['signedBy']);
  const { signedBy, signedOn, planVersionNumber, comment } = existing;
  return new DomainError(
    'PLAN_UNIT_ALREADY_SIGNED',
    `${unit.name} (${unit.code}) has already signed version ${planVersionNumber} of ${planName(plan, { inSentence: true })}: ${signedBy.name} signed it on ${signedOn} ${comment ? `with the comment ${quoted(comment)}` : 'without a comment'}. A unit signs a version once; to sign again, return the plan to draft and submit it again.`,
    {
      details: {
        businessUnit: unit.code,
        versionNumber: planVersionNumber,
        signedBy: signedBy.name,
        signedOn,
      },
    },
  );
}

/** The involved units that have not signed the plan's submitted version. */
export async function missingSignOffs(em: EntityManager, plan: AccountPlan): Promise<BusinessUnit[]> {
  const units = await em.find(PlanUnit, { plan }, { populate: ['businessUnit'] });
  const signed = await em.find(PlanSignOff, { plan, planVersionNumber: plan.latestVersionNumber });
  const signedIds = new Set(signed.map(s => s.businessUnit.id));
  return units.map(u => u.businessUnit).filter(u => !signedIds.has(u.id));
}

/** Approves a plan IN_REVIEW. Only when every involved business unit has signed its submitted version. */
export async function approvePlan(em: EntityManager, input: PlanStepInput, actor: Actor) {
  const data = parseInput(planStepSchema, input, 'plan approval');
  return writeAs(em, actor, async tx => {
    const plan = await findPlan(tx, data.id);
    assertPlanVersion(plan, data.expectedVersion);
    if (plan.status !== 'IN_REVIEW') throw invalidTransition(plan, 'APPROVED', ['IN_REVIEW']);
    const missing = await missingSignOffs(tx, plan);
    if (missing.length) {
      const units = [...missing].sort((a, b) => (a.code < b.code ? -1 : 1));
      const codes = units.map(u => u.code);
      throw new DomainError(
        'PLAN_NOT_SIGNED_BY_ALL_UNITS',
        `${planName(plan)} cannot be approved: ${units.map(u => `${u.name} (${u.code})`).join(', ')} ${codes.length === 1 ? 'has' : 'have'} not signed version ${plan.latestVersionNumber}. Every business unit involved must sign first.`,
        { details: { missingBusinessUnits: codes } },
      );
    }
    const on = await stepDate(tx, plan, data.on);
    // Dated history: on the day of the approval every unit must already have signed (a closed
    // quarter reads a plan approved then with a signature still missing otherwise).
    const late = await tx.find(
      PlanSignOff,
      { plan, planVersionNumber: plan.latestVersionNumber, signedOn: { $gt: on } },
      { populate: ['businessUnit'], orderBy: [{ signedOn: 'desc' }, { id: 'desc' }] },
    );
    const last = late[0];
    if (last) {
      const units = late.map(s => `${s.businessUnit.name} (${s.businessUnit.code})`).join(', ');
      throw new DomainError(
        'PLAN_NOT_SIGNED_BY_ALL_UNITS',
        `${planName(plan)} cannot be approved on ${on}: ${units} signed version ${plan.latestVersionNumber} only on ${last.signedOn}. Date the approval on or after ${last.signedOn}.`,
        {
          details: {
            missingBusinessUnits: late.map(s => s.businessUnit.code).sort(),
            on,
            signedOn: last.signedOn,
          },
        },
      );
    }
    plan.status = 'APPROVED';
    plan.approvedOn = on;
    recordStatusChange(tx, plan, 'APPROVED', 'IN_REVIEW', on);
    return plan;
  });
}

/** Sends a plan IN_REVIEW back to DRAFT for changes; its signatures stay with the old version. */
export async function returnPlanToDraft(em: EntityManager, input: PlanStepInput, actor: Actor) {
  const data = parseInput(planStepSchema, input, 'plan');
  return writeAs(em, actor, async tx => {
    const plan = await findPlan(tx, data.id);
    assertPlanVersion(plan, data.expectedVersion);
    if (plan.status !== 'IN_REVIEW') throw invalidTransition(plan, 'DRAFT', ['IN_REVIEW']);
    const on = await stepDate(tx, plan, data.on);
    plan.status = 'DRAFT';
    recordStatusChange(tx, plan, 'RETURNED_TO_DRAFT', 'IN_REVIEW', on);
    return plan;
  });
}

/**
 * Closes an APPROVED plan: its year's execution ends, and its actions no longer change. Usually
 * at the end of its period, but on any day (`on`, today when omitted) not before its last step
 * or execution review: a plan may end early, e.g. when the account stops being a key account.
 */
export async function closePlan(em: EntityManager, input: PlanStepInput, actor: Actor) {
  const data = parseInput(planStepSchema, input, 'plan');
  return writeAs(em, actor, async tx => {
    const plan = await findPlan(tx, data.id);
    assertPlanVersion(plan, data.expectedVersion);
    if (plan.status !== 'APPROVED') throw invalidTransition(plan, 'CLOSED', ['APPROVED']);
    const on = await stepDate(tx, plan, data.on);
    // Dated history: an execution review is of a plan in execution, so the plan was not yet
    // CLOSED on the day of its last review (as a review is not dated before the approval).
    const lastReview = await tx.findOne(
      ExecutionReview,
      { plan, reviewedOn: { $gt: on } },
      { orderBy: [{ reviewedOn: 'desc' }, { id: 'desc' }], fields: ['reviewedOn'] },
    );
    if (lastReview) {
      const reviewedOn = lastReview.reviewedOn;
      throw new DomainError(
        'PLAN_NOT_IN_EXECUTION',
        `${planName(plan)} was reviewed in execution on ${reviewedOn}; it cannot be closed on ${on}, before that review. Date the closing on or after ${reviewedOn}.`,
        {
          details: { lastReviewedOn: reviewedOn, on },
          issues: [
            {
              path: ['on'],
              message: `before the last execution review (${reviewedOn})`,
              code: 'PLAN_NOT_IN_EXECUTION',
            },
          ],
        },
      );
    }
    plan.status = 'CLOSED';
    plan.closedOn = on;
    recordStatusChange(tx, plan, 'CLOSED', 'APPROVED', on);
    return plan;
  });
}

const copyPlanSchema = z.object({
  id: z.number().int().positive(),
  /** The day next year's plan was drafted; default today. */
  on: isoDateSchema.optional(),
});

/**
 * The same day a year later, for a plan's period: the last day of a month stays the last day
 * (a plan ending 2028-02-29 is followed by one ending 2029-02-28, and the other way round).
 */
function aYearLater(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const isLastDay = day === new Date(Date.UTC(year, month, 0)).getUTCDate();
  return isLastDay
    ? new Date(Date.UTC(year + 1, month, 0)).toISOString().slice(0, 10)
    : addMonths(isoDate, 12);
}

/**
 * The year after a plan's, checked as createPlan checks a year: a copy is refused where
 * createPlan would refuse that year, with the same issue, at the plan's `id`.
 */
function nextPlanYear(source: AccountPlan): number {
  const year = source.year + 1;
  const result = planYearSchema.safeParse(year);
  if (result.success) return result.data;
  const issues = toFieldIssues(result.error.issues, ['id']);
  throw new DomainError(
    'VALIDATION_FAILED',
    `${planName(source)} cannot be copied to next year: the copy would be for ${year}, and a plan's year ${issues[0]?.message}.`,
    { issues },
  );
}

/**
 * Starts next year's plan as a DRAFT copy of this one (sections, targets, units, and the owner
 * while still active), over the same period a year later, whatever this plan's status
 * (domain.md: next year's plan starts as a copy of this year's). Next year must be one createPlan takes. The copy is drafted on `on`
 * (today when omitted): not after today, not before this plan was drafted, and a day the account
 * is key (ACCOUNT_NOT_KEY); its period overlaps no other plan of the account (PLAN_PERIOD_OVERLAP).
 */
export async function copyPlanToNextYear(
  em: EntityManager,
  input: z.input<typeof copyPlanSchema>,
  actor: Actor,
) {
  const data = parseInput(copyPlanSchema, input, 'plan');
  const copiedOn = firstStepDate(data.on);
  return writeAs(em, actor, async tx => {
    const source = await findPlan(tx, data.id);
    const year = nextPlanYear(source);
    const sourceDraftedOn = await draftedOn(tx, source);
    if (sourceDraftedOn && copiedOn < sourceDraftedOn) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `${planName(source)} was drafted on ${sourceDraftedOn}; its copy to next year cannot be drafted on ${copiedOn}, before it. Date the copy on or after ${sourceDraftedOn}.`,
        {
          details: { draftedOn: sourceDraftedOn, on: copiedOn },
          issues: [{ path: ['on'], message: `before ${sourceDraftedOn}`, code: 'VALIDATION_FAILED' }],
        },
      );
    }
    // As createPlan: one plan per account and year, also when both are made at the same time.
    await lockRow(tx, Account, source.account.id);
    await assertKeyWhenDrafted(tx, source.account, copiedOn, 'copy');
    if (await tx.count(AccountPlan, { account: source.account, year })) {
      throw new DomainError(
        'PLAN_ALREADY_EXISTS',
        `Account ${source.account.externalRef} already has a plan for ${year}; edit that plan instead.`,
      );
    }
    // The period a year later still includes days of next year; it may meet a later plan's.
    const period = { startsOn: aYearLater(source.startsOn), endsOn: aYearLater(source.endsOn) };
    const other = await overlappingPlan(tx, source.account, period);
    if (other) {
      throw new DomainError(
        'PLAN_PERIOD_OVERLAP',
        `${planName(source)} cannot be copied to next year: the copy's period ${period.startsOn} to ${period.endsOn} would overlap that of the ${other.year} plan (${other.startsOn} to ${other.endsOn}), and a key account has one plan for a time. Create the ${year} plan with a period of its own instead.`,
        otherPlan(other),
      );
    }
    // An owner who has left is not carried over (createPlan would refuse them): the copy starts
    // without one, to be set with updatePlan.
    const owner = source.owner ? await tx.findOneOrFail(Person, source.owner.id) : null;
    const record = source as unknown as Record<string, unknown>;
    const plan = tx.create(AccountPlan, {
      account: source.account,
      year,
      status: 'DRAFT',
      ...period,
      owner: owner?.active ? owner : null,
      ...Object.fromEntries(PLAN_SECTIONS.map(s => [s, record[s]])),
      ...Object.fromEntries(TARGET_FIELDS.map(t => [t, record[t]])),
      latestVersionNumber: 0,
      copiedFrom: source,
    } as never) as AccountPlan;
    for (const unit of await tx.find(PlanUnit, { plan: source })) {
      tx.create(PlanUnit, { plan, businessUnit: unit.businessUnit });
    }
    recordStatusChange(tx, plan, 'COPIED', null, copiedOn);
    return plan;
  });
}

/** `PLAN_VERSION_NOT_FOUND` for a version number a (loaded) plan does not have, saying which it has. */
function versionNotFound(plan: AccountPlan, n: number): DomainError {
  const latest = plan.latestVersionNumber;
  return new DomainError(
    'PLAN_VERSION_NOT_FOUND',
    `${planName(plan)} has no version ${n}: ${
      latest === 0
        ? 'it has not been submitted yet (submitting a plan freezes its content as a version)'
        : latest === 1
          ? 'its only version is 1'
          : `its versions are 1 to ${latest}`
    }.`,
  );
}

export interface SectionDifference {
  key: string;
  title: string;
  before: string | null;
  after: string | null;
  changed: boolean;
}

/**
 * Compares two frozen versions of a plan section by section (and target by target).
 * `to` may be omitted to compare against the plan's current working content.
 */
export async function comparePlanVersions(
  em: EntityManager,
  input: { planId: number; from: number; to?: number | null },
): Promise<SectionDifference[]> {
  const plan = await findPlan(em, input.planId);
  const load = async (n: number) => {
    const v = await em.findOne(PlanVersion, { plan, number: n });
    if (!v) throw versionNotFound(plan, n);
    return v.content;
  };
  const before = await load(input.from);
  const after = input.to == null ? await planContent(em, plan) : await load(input.to);
  const rows: SectionDifference[] = PLAN_SECTIONS.map(s => ({
    key: s,
    title: PLAN_SECTION_TITLES[s],
    before: before.sections[s] ?? '',
    after: after.sections[s] ?? '',
    changed: (before.sections[s] ?? '') !== (after.sections[s] ?? ''),
  }));
  for (const t of TARGET_FIELDS) {
    // A version frozen on SQLite before targets were written out this way may hold "31.5".
    const [b, a] = [targetText(t, before.targets[t]), targetText(t, after.targets[t])];
    rows.push({ key: t, title: PLAN_TARGET_TITLES[t], before: b, after: a, changed: a !== b });
  }
  const b = before.businessUnits.join(', ');
  const a = after.businessUnits.join(', ');
  rows.push({
    key: 'businessUnits',
    title: 'Business units involved',
    before: b,
    after: a,
    changed: a !== b,
  });
  return rows;
}

export const recordReviewSchema = z.object({
  planId: z.number().int().positive(),
  reviewedOn: isoDateSchema.optional(),
  reviewerId: z.number().int().positive().nullish(),
  assessment: z.enum(REVIEW_ASSESSMENTS),
  progress: z.string().trim().min(1, 'say how the plan is progressing against its targets').max(20_000),
  blockers: planTextSchema.default(''),
  helpNeeded: planTextSchema.default(''),
  revenueToDate: moneySchema.nullish(),
});
export type RecordReviewInput = z.input<typeof recordReviewSchema>;

/**
 * Records an execution review of an APPROVED plan: progress, blockers, and the help needed, on
 * `reviewedOn` (today when omitted): not after today, not before the approval.
 */
export async function recordExecutionReview(em: EntityManager, input: RecordReviewInput, actor: Actor) {
  const data = parseInput(recordReviewSchema, input, 'execution review');
  return writeAs(em, actor, async tx => {
    const plan = await findPlan(tx, data.planId);
    if (plan.status !== 'APPROVED') {
      throw new DomainError(
        'PLAN_NOT_IN_EXECUTION',
        `${planName(plan)} is ${plan.status}; execution reviews are recorded for an APPROVED plan.`,
      );
    }
    const reviewedOn = data.reviewedOn ?? today();
    // A review dated later would keep the plan from being closed until then.
    assertNotAfterToday('reviewedOn', reviewedOn, 'an execution review is recorded once it has taken place');
    if (plan.approvedOn && reviewedOn < plan.approvedOn) {
      throw new DomainError(
        'PLAN_NOT_IN_EXECUTION',
        `${planName(plan)} was approved on ${plan.approvedOn}; an execution review cannot be dated ${reviewedOn}, before the plan was in execution. Date it on or after ${plan.approvedOn}.`,
        {
          issues: [
            { path: ['reviewedOn'], message: `before ${plan.approvedOn}`, code: 'PLAN_NOT_IN_EXECUTION' },
          ],
        },
      );
    }
    const reviewer = await activePerson(
      tx,
      data.reviewerId,
      'reviewerId',
      `the reviewer of ${planName(plan, { inSentence: true })}`,
    );
    return tx.create(ExecutionReview, {
      plan,
      reviewedOn,
      reviewer,
      assessment: data.assessment,
      progress: data.progress,
      blockers: data.blockers,
      helpNeeded: data.helpNeeded,
      revenueToDate: data.revenueToDate ?? null,
    });
  });
}

/** What an action is: trimmed, not empty, at most 4,000 characters. */
const actionDescriptionSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(4000, 'must be at most 4,000 characters');

export const addActionSchema = z.object({
  planId: z.number().int().positive(),
  description: actionDescriptionSchema,
  ownerId: z.number().int().positive().nullish(),
  dueOn: isoDateSchema.nullish(),
});
export type AddActionInput = z.input<typeof addActionSchema>;

/** Adds an action to a plan's action plan (not to a CLOSED plan). */
export async function addPlanAction(
  em: EntityManager,
  input: AddActionInput,
  actor: Actor,
): Promise<PlanAction> {
  const data = parseInput(addActionSchema, input, 'action');
  return writeAs(em, actor, async tx => {
    const plan = await findPlan(tx, data.planId);
    if (plan.status === 'CLOSED') {
      throw new DomainError(
        'PLAN_NOT_EDITABLE',
        `${planName(plan)} is CLOSED; actions are added to a plan that is still open (DRAFT, IN_REVIEW or APPROVED).`,
      );
    }
    const owner = await activePerson(
      tx,
      data.ownerId,
      'ownerId',
      `the owner of an action of ${planName(plan, { inSentence: true })}`,
    );
    return tx.create(PlanAction, {
      plan,
      description: data.description,
      owner,
      dueOn: data.dueOn ?? null,
      status: 'OPEN',
    });
  });
}

const ACTION_TRANSITIONS: Record<ActionStatus, ActionStatus[]> = {
  OPEN: ['IN_PROGRESS', 'DONE', 'CANCELLED'],
  IN_PROGRESS: ['OPEN', 'DONE', 'CANCELLED'],
  DONE: [],
  CANCELLED: [],
};

/**
 * An action of a plan is done by today (`DATE_IN_FUTURE` at `completedOn`): DONE is final, and an
 * action done in 2099 would read as open in every quarter until then. It is not done before the
 * plan was drafted (`draftedOn`): the plan's action plan did not exist then. `VALIDATION_FAILED`,
 * with the issue `ACTION_COMPLETED_BEFORE_PLAN_DRAFTED` at `completedOn` (as a decision dated
 * before the qualification is refused).
 */
async function assertCompletedAfterDraft(tx: EntityManager, action: PlanAction, completedOn: string) {
  assertNotAfterToday('completedOn', completedOn, 'an action is recorded done once it has been done');
  const drafted = await draftedOn(tx, action.plan);
  if (drafted && completedOn < drafted) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${planName(action.plan)} was drafted on ${drafted}; its action ${quoted(action.description)} cannot have been done on ${completedOn}, before that. Date completedOn on or after ${drafted}.`,
      {
        details: { draftedOn: drafted, completedOn },
        issues: [
          {
            path: ['completedOn'],
            message: `before ${drafted}`,
            code: 'ACTION_COMPLETED_BEFORE_PLAN_DRAFTED',
          },
        ],
      },
    );
  }
}

export const updateActionSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  status: z.enum(ACTION_STATUSES).optional(),
  description: actionDescriptionSchema.optional(),
  ownerId: z.number().int().positive().nullish(),
  dueOn: isoDateSchema.nullish(),
  completedOn: isoDateSchema.optional(),
});
export type UpdateActionInput = z.input<typeof updateActionSchema>;

/**
 * Updates an action. DONE and CANCELLED are final, with what the action said when it ended;
 * the actions of a CLOSED plan no longer change; `completedOn` comes with status DONE.
 */
export async function updatePlanAction(em: EntityManager, input: UpdateActionInput, actor: Actor) {
  const data = parseInput(updateActionSchema, input, 'action');
  return writeAs(em, actor, async tx => {
    const action = await findOrFail(tx, PlanAction, data.id, 'Action');
    await tx.populate(action, ['plan.account']); // for the plan's status and the messages
    assertVersion(
      'PlanAction',
      action,
      data.expectedVersion,
      `Action ${quoted(action.description)} of ${planName(action.plan, { inSentence: true })}`,
    );
    if (action.plan.status === 'CLOSED') {
      throw new DomainError(
        'PLAN_NOT_EDITABLE',
        `${planName(action.plan)} is CLOSED; its actions are the record of that year and no longer change.`,
      );
    }
    const current = action.status as ActionStatus;
    const final = current === 'DONE' || current === 'CANCELLED';
    const edits = [data.description, data.ownerId, data.dueOn, data.completedOn].some(v => v !== undefined);
    if (final && edits) {
      throw new DomainError(
        'ACTION_INVALID_TRANSITION',
        `Action ${quoted(action.description)} is ${current}: DONE and CANCELLED actions are final, with what they said when they ended. Add a new action instead.`,
      );
    }
    if (data.completedOn !== undefined && data.status !== 'DONE') {
      throw new DomainError(
        'VALIDATION_FAILED',
        `completedOn is given with status DONE (the day the action was done); send both, or neither.`,
        { issues: [{ path: ['completedOn'], message: 'only with status DONE', code: 'VALIDATION_FAILED' }] },
      );
    }
    if (data.status && data.status !== current) {
      if (!ACTION_TRANSITIONS[current].includes(data.status)) {
        throw new DomainError(
          'ACTION_INVALID_TRANSITION',
          `Action ${quoted(action.description)} is ${current} and cannot become ${data.status}${ACTION_TRANSITIONS[current].length ? `; it can become ${ACTION_TRANSITIONS[current].join(', ')}` : ': DONE and CANCELLED are final'}.`,
        );
      }
      const completedOn = data.status === 'DONE' ? (data.completedOn ?? today()) : null;
      if (completedOn !== null) await assertCompletedAfterDraft(tx, action, completedOn);
      action.status = data.status;
      action.completedOn = completedOn;
    }
    if (data.description !== undefined) action.description = data.description;
    // Only a new owner is checked: an owner who has left since stays on an action not given another.
    if (data.ownerId !== undefined && (data.ownerId ?? null) !== (action.owner?.id ?? null)) {
      action.owner = await activePerson(
        tx,
        data.ownerId,
        'ownerId',
        `the owner of an action of ${planName(action.plan, { inSentence: true })}`,
      );
    }
    if (data.dueOn !== undefined) action.dueOn = data.dueOn ?? null;
    return action;
  });
}
