import { defineEntity, p } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';
import {
  baseProperties,
  decimalProperty,
  moneyProperty,
  versionProperty,
} from '../common/base.properties.ts';
import { ACTION_STATUSES, PLAN_STATUSES, PLAN_STEPS, REVIEW_ASSESSMENTS } from '../common/vocabulary.ts';
import { BusinessUnit } from '../organisation/business-unit.entity.ts';
import { Person } from '../organisation/person.entity.ts';

export const AccountPlanSchema = defineEntity({
  name: 'AccountPlan',
  uniques: [{ properties: ['account', 'year'] }],
  indexes: [{ properties: ['status', 'year'] }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    /** The planning year. One plan per key account per year. */
    year: p.integer(),
    status: p.enum(PLAN_STATUSES).default('DRAFT'),
    startsOn: p.date(),
    endsOn: p.date(),
    owner: () => p.manyToOne(Person).nullable(),
    // The seven sections (004 step 3).
    baselines: p.text().default(''),
    currentRelationship: p.text().default(''),
    growthOpportunities: p.text().default(''),
    requiredActions: p.text().default(''),
    customerValue: p.text().default(''),
    investmentAndCostToServe: p.text().default(''),
    actionPlanAndDeal: p.text().default(''),
    // Quantified targets and estimates.
    revenueTarget: moneyProperty().nullable(),
    /** Target gross margin, percent with up to two decimals (read as "31.5" on every database). */
    marginTargetPercent: decimalProperty(7, 2).nullable(),
    inYearTarget: moneyProperty().nullable(),
    estimatedCustomerValue: moneyProperty().nullable(),
    estimatedInvestment: moneyProperty().nullable(),
    estimatedCostToServe: moneyProperty().nullable(),
    /** The number of the last frozen version (0 while never submitted). */
    latestVersionNumber: p.integer().default(0),
    submittedOn: p.date().nullable(),
    approvedOn: p.date().nullable(),
    closedOn: p.date().nullable(),
    copiedFrom: () => p.manyToOne(AccountPlan).nullable().deleteRule('set null'),
  },
});

/** The annual key account plan (domain §7), owned by every business unit involved. */
export class AccountPlan extends AccountPlanSchema.class {}
AccountPlanSchema.setClass(AccountPlan);

export const PlanUnitSchema = defineEntity({
  name: 'PlanUnit',
  uniques: [{ properties: ['plan', 'businessUnit'] }],
  properties: {
    ...baseProperties(),
    plan: () => p.manyToOne(AccountPlan).deleteRule('cascade'),
    businessUnit: () => p.manyToOne(BusinessUnit),
  },
});
/** A business unit involved in a plan: it must sign before the plan can be approved. */
export class PlanUnit extends PlanUnitSchema.class {}
PlanUnitSchema.setClass(PlanUnit);

export const PlanSignOffSchema = defineEntity({
  name: 'PlanSignOff',
  uniques: [{ properties: ['plan', 'businessUnit', 'planVersionNumber'] }],
  properties: {
    ...baseProperties(),
    plan: () => p.manyToOne(AccountPlan).deleteRule('cascade'),
    businessUnit: () => p.manyToOne(BusinessUnit),
    signedBy: () => p.manyToOne(Person),
    signedOn: p.date(),
    /** The frozen version that was signed; a resubmission needs new signatures. */
    planVersionNumber: p.integer(),
    comment: p.text().nullable(),
  },
});
/** A business unit's signature on a submitted version of a plan. */
export class PlanSignOff extends PlanSignOffSchema.class {}
PlanSignOffSchema.setClass(PlanSignOff);

export const PlanStatusChangeSchema = defineEntity({
  name: 'PlanStatusChange',
  indexes: [{ properties: ['plan', 'changedOn'] }],
  properties: {
    ...baseProperties(),
    plan: () => p.manyToOne(AccountPlan).deleteRule('cascade'),
    step: p.enum(PLAN_STEPS),
    /** The status before the step; null when the step created the plan. */
    fromStatus: p.enum(PLAN_STATUSES).nullable(),
    /** The status from `changedOn` on. */
    status: p.enum(PLAN_STATUSES),
    /** The day the step took effect (the step's `on`, else the day it was recorded). */
    changedOn: p.date(),
    /** The plan's latest frozen version after the step (the version under review, signed, approved). */
    versionNumber: p.integer(),
  },
});
/**
 * One dated step of a plan's status history, written by the plan workflows in the same
 * transaction as the step itself; append-only. A closed quarter reads a plan's status, its
 * version under review and so its missing sign-offs from it as of the quarter's last day.
 */
export class PlanStatusChange extends PlanStatusChangeSchema.class {}
PlanStatusChangeSchema.setClass(PlanStatusChange);

/** The frozen content of a plan version, section by section. */
export interface PlanContent {
  sections: Record<string, string>;
  targets: Record<string, string | null>;
  businessUnits: string[];
}

export const PlanVersionSchema = defineEntity({
  name: 'PlanVersion',
  uniques: [{ properties: ['plan', 'number'] }],
  properties: {
    ...baseProperties(),
    plan: () => p.manyToOne(AccountPlan).deleteRule('cascade'),
    number: p.integer(),
    frozenAt: p.datetime(),
    submittedBy: () => p.manyToOne(Person).nullable(),
    content: p.json<PlanContent>(),
  },
});
/** A version of a plan frozen at submission; immutable. */
export class PlanVersion extends PlanVersionSchema.class {}
PlanVersionSchema.setClass(PlanVersion);

export const ExecutionReviewSchema = defineEntity({
  name: 'ExecutionReview',
  indexes: [{ properties: ['plan', 'reviewedOn'] }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    plan: () => p.manyToOne(AccountPlan).deleteRule('cascade'),
    reviewedOn: p.date(),
    reviewer: () => p.manyToOne(Person).nullable(),
    assessment: p.enum(REVIEW_ASSESSMENTS),
    /** Progress against the plan's targets. */
    progress: p.text(),
    /** What is blocking. */
    blockers: p.text().default(''),
    /** What can be done to help the account manager. */
    helpNeeded: p.text().default(''),
    revenueToDate: moneyProperty().nullable(),
  },
});
/** A regular execution review of a plan (default cadence: quarterly). */
export class ExecutionReview extends ExecutionReviewSchema.class {}
ExecutionReviewSchema.setClass(ExecutionReview);

export const PlanActionSchema = defineEntity({
  name: 'PlanAction',
  indexes: [{ properties: ['plan', 'status'] }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    plan: () => p.manyToOne(AccountPlan).deleteRule('cascade'),
    description: p.text(),
    owner: () => p.manyToOne(Person).nullable(),
    dueOn: p.date().nullable(),
    status: p.enum(ACTION_STATUSES).default('OPEN'),
    completedOn: p.date().nullable(),
  },
});
/** One action of a plan's action plan (section 7): owner, due date, status. */
export class PlanAction extends PlanActionSchema.class {}
PlanActionSchema.setClass(PlanAction);
