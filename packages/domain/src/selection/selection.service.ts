import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Account } from '../accounts/account.entity.ts';
import type { Actor } from '../common/actor.ts';
import { assertNotAfterToday } from '../common/dated.ts';
import { DomainError } from '../common/domain-error.ts';
import { addMonths, findOrFail, today } from '../common/lookup.ts';
import { assertVersionNamed, writeAs } from '../common/unit-of-work.ts';
import {
  isoDateSchema,
  optionalText,
  parseInput,
  requiredColumnText,
  scoreSchema,
  versionSchema,
} from '../common/validation.ts';
import { Person } from '../organisation/person.entity.ts';
import { getSettings } from '../settings/settings.service.ts';
import { SelectionAssessment } from './assessment.entity.ts';
import { KeyAccountDesignation } from './designation.entity.ts';
import { KeyAccountDesignationReview } from './designation-review.entity.ts';

export const recordAssessmentSchema = z.object({
  accountId: z.number().int().positive(),
  assessedOn: isoDateSchema.optional(),
  assessedById: z.number().int().positive().nullish(),
  marketLeadership: scoreSchema,
  innovationLeadership: scoreSchema,
  growthFit: scoreSchema,
  otherUnitsPotential: scoreSchema,
  loyalty: scoreSchema,
  informationSharing: scoreSchema,
  engagementDesire: scoreSchema,
  buyingBasis: scoreSchema,
  sustainableRevenue: z.boolean(),
  defectionInfluencesOthers: z.boolean(),
  winningImprovesOthers: z.boolean().nullish(),
  notes: optionalText(20_000),
});
export type RecordAssessmentInput = z.input<typeof recordAssessmentSchema>;

/**
 * Records a strategic and attitude assessment (every score 1–5), dated today or earlier (a later
 * one would become the latest assessment from that day on). Earlier assessments stay as history.
 */
export async function recordAssessment(em: EntityManager, input: RecordAssessmentInput, actor: Actor) {
  const data = parseInput(recordAssessmentSchema, input, 'assessment');
  if (data.assessedOn)
    assertNotAfterToday('assessedOn', data.assessedOn, 'an assessment is recorded once it has been made');
  return writeAs(em, actor, async tx => {
    const account = await findOrFail(tx, Account, data.accountId, 'Account');
    const assessedBy = data.assessedById ? await findOrFail(tx, Person, data.assessedById, 'Person') : null;
    const { accountId: _a, assessedById: _b, assessedOn, ...scores } = data;
    return tx.create(SelectionAssessment, {
      ...scores,
      winningImprovesOthers: data.winningImprovesOthers ?? null,
      notes: data.notes ?? null,
      account,
      assessedBy,
      assessedOn: assessedOn ?? today(),
    });
  });
}

export const designateSchema = z.object({
  accountId: z.number().int().positive(),
  designatedOn: isoDateSchema.optional(),
  /** Defaults to the configured review period after `designatedOn` (at least 24 months). */
  reviewDueOn: isoDateSchema.optional(),
  designatedById: z.number().int().positive().nullish(),
  reason: optionalText(20_000),
});
export type DesignateInput = z.input<typeof designateSchema>;

/** The active designation of an account, if any. */
export async function activeDesignation(em: EntityManager, accountId: number) {
  return em.findOne(
    KeyAccountDesignation,
    { account: accountId, revokedOn: null },
    { orderBy: { id: 'desc' } },
  );
}

/**
 * The account's designation in force on `day` (designated on or before it, not revoked by then),
 * if any: whether the account was key that day (an account's designations never overlap).
 */
export async function designationOn(em: EntityManager, account: number | Account, day: string) {
  return em.findOne(KeyAccountDesignation, {
    account,
    designatedOn: { $lte: day },
    $or: [{ revokedOn: null }, { revokedOn: { $gt: day } }],
  });
}

/**
 * A review due date at least `minimumMonths` after `from` (the designation or the review), else
 * DESIGNATION_REVIEW_TOO_SOON at `field`: the input field of the due date in the caller's
 * input (`reviewDueOn` of a designation, `nextReviewDueOn` of a review).
 */
function assertReviewFarEnough(
  from: string,
  reviewDueOn: string,
  minimumMonths: number,
  field: 'reviewDueOn' | 'nextReviewDueOn',
  rule: string,
): void {
  const earliest = addMonths(from, minimumMonths);
  if (reviewDueOn < earliest) {
    throw new DomainError(
      'DESIGNATION_REVIEW_TOO_SOON',
      `${rule} at least ${minimumMonths} months after ${from}: ${field} must be ${earliest} or later (got ${reviewDueOn}).`,
      {
        issues: [
          { path: [field], message: `must be on or after ${earliest}`, code: 'DESIGNATION_REVIEW_TOO_SOON' },
        ],
        details: { earliest },
      },
    );
  }
}

/**
 * Makes an account a key account. An account holds at most one active designation, and
 * its review is due at least 24 months (the configured period) after the designation.
 */
export async function designateKeyAccount(em: EntityManager, input: DesignateInput, actor: Actor) {
  const data = parseInput(designateSchema, input, 'designation');
  return writeAs(em, actor, async tx => {
    // Locked: two designations at once would both find no active one and both insert.
    const account = await findOrFail(tx, Account, data.accountId, 'Account', { lock: true });
    if (await activeDesignation(tx, account.id)) {
      throw new DomainError(
        'ACCOUNT_ALREADY_KEY',
        `Account ${account.externalRef} is already a key account. Revoke or review its current designation instead of designating it again.`,
      );
    }
    const designatedOn = data.designatedOn ?? today();
    assertNotAfterToday('designatedOn', designatedOn, 'a designation is recorded once it has been made');
    const settings = await getSettings(tx);
    const previous = await tx.findOne(
      KeyAccountDesignation,
      { account, revokedOn: { $gt: designatedOn } },
      { orderBy: { revokedOn: 'desc' } },
    );
    if (previous?.revokedOn) {
      // A designation runs to the day before its revocation; a new one starting earlier would
      // make the history say the account was designated twice at once.
      throw new DomainError(
        'VALIDATION_FAILED',
        `Account ${account.externalRef} was a key account until ${previous.revokedOn}; a new designation cannot start before that (got ${designatedOn}). Date it on or after ${previous.revokedOn}.`,
        {
          issues: [
            { path: ['designatedOn'], message: `before ${previous.revokedOn}`, code: 'VALIDATION_FAILED' },
          ],
        },
      );
    }
    const reviewDueOn = data.reviewDueOn ?? addMonths(designatedOn, settings.designation.reviewMonths);
    assertReviewFarEnough(
      designatedOn,
      reviewDueOn,
      24,
      'reviewDueOn',
      'The first review of a key-account designation is due',
    );
    const designatedBy = data.designatedById
      ? await findOrFail(tx, Person, data.designatedById, 'Person')
      : null;
    return tx.create(KeyAccountDesignation, {
      account,
      designatedOn,
      reviewDueOn,
      designatedBy,
      reason: data.reason ?? null,
      revokedOn: null,
      revokedBy: null,
      revocationReason: null,
    });
  });
}

export const reviewDesignationSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  reviewedOn: isoDateSchema.optional(),
  /** The next review, at least 24 months after this review. */
  nextReviewDueOn: isoDateSchema.optional(),
});
export type ReviewDesignationInput = z.input<typeof reviewDesignationSchema>;

/**
 * Records that a designation was reviewed and confirmed and sets the next review (≥ 24 months
 * after the review). Each review is kept (`KeyAccountDesignationReview`, append-only) with the due
 * date it set, so a past quarter still reads the due date it had. A review is dated on or after
 * the designation and its last review, and not after today.
 */
export async function reviewDesignation(em: EntityManager, input: ReviewDesignationInput, actor: Actor) {
  const data = parseInput(reviewDesignationSchema, input, 'designation review');
  return writeAs(em, actor, async tx => {
    const designation = await findOrFail(tx, KeyAccountDesignation, data.id, 'Designation');
    await assertDesignationVersion(tx, designation, data.expectedVersion);
    if (designation.revokedOn) throw await alreadyRevoked(tx, designation);
    const reviewedOn = data.reviewedOn ?? today();
    assertNotAfterToday('reviewedOn', reviewedOn, 'a review is recorded once it has taken place');
    const settings = await getSettings(tx);
    if (reviewedOn < designation.designatedOn) {
      // The next review would then come sooner than 24 months after the designation.
      await tx.populate(designation, ['account']);
      throw new DomainError(
        'VALIDATION_FAILED',
        `reviewedOn (${reviewedOn}) is before the designation of ${designation.account.externalRef} (${designation.designatedOn}); date the review on or after ${designation.designatedOn}.`,
        {
          issues: [
            { path: ['reviewedOn'], message: 'before the designation date', code: 'VALIDATION_FAILED' },
          ],
        },
      );
    }
    await assertNotBeforeLastReview(tx, designation, 'reviewedOn', reviewedOn, 'review');
    const next = data.nextReviewDueOn ?? addMonths(reviewedOn, settings.designation.reviewMonths);
    assertReviewFarEnough(reviewedOn, next, 24, 'nextReviewDueOn', 'The next review is due');
    tx.create(KeyAccountDesignationReview, {
      designation,
      reviewedOn,
      previousReviewDueOn: designation.reviewDueOn,
      reviewDueOn: next,
    });
    designation.reviewDueOn = next;
    return designation;
  });
}

export const revokeDesignationSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  revokedOn: isoDateSchema.optional(),
  revokedById: z.number().int().positive().nullish(),
  reason: requiredColumnText.min(1, 'say why the account is no longer key'),
});
export type RevokeDesignationInput = z.input<typeof revokeDesignationSchema>;

/**
 * Ends a designation, dated on or after the designation and its last review, and not after
 * today. The record stays: designations are never deleted.
 */
export async function revokeDesignation(em: EntityManager, input: RevokeDesignationInput, actor: Actor) {
  const data = parseInput(revokeDesignationSchema, input, 'revocation');
  return writeAs(em, actor, async tx => {
    const designation = await findOrFail(tx, KeyAccountDesignation, data.id, 'Designation');
    await assertDesignationVersion(tx, designation, data.expectedVersion);
    if (designation.revokedOn) throw await alreadyRevoked(tx, designation);
    const revokedOn = data.revokedOn ?? today();
    assertNotAfterToday('revokedOn', revokedOn, 'a revocation is recorded once the designation has ended');
    if (revokedOn < designation.designatedOn) {
      throw new DomainError(
        'VALIDATION_FAILED',
        `revokedOn (${revokedOn}) is before the designation (${designation.designatedOn}).`,
        {
          issues: [
            { path: ['revokedOn'], message: 'before the designation date', code: 'VALIDATION_FAILED' },
          ],
        },
      );
    }
    await assertNotBeforeLastReview(tx, designation, 'revokedOn', revokedOn, 'revocation');
    designation.revokedOn = revokedOn;
    designation.revokedBy = data.revokedById
      ? await findOrFail(tx, Person, data.revokedById, 'Person')
      : null;
    designation.revocationReason = data.reason;
    return designation;
  });
}

/** The latest review of a designation (by its day; the later recorded on the same day), if any. */
function lastReview(em: EntityManager, designation: KeyAccountDesignation) {
  return em.findOne(
    KeyAccountDesignationReview,
    { designation },
    { orderBy: { reviewedOn: 'desc', id: 'desc' } },
  );
}

/**
 * A review or a revocation is not dated before the designation's last review
 * (VALIDATION_FAILED at `field`): the history is read by date, so an earlier review recorded
 * later would move the due date back and rewrite the quarters between the two reviews, and an
 * earlier end would leave a review of a designation that had already ended.
 */
async function assertNotBeforeLastReview(
  tx: EntityManager,
  designation: KeyAccountDesignation,
  field: 'reviewedOn' | 'revokedOn',
  day: string,
  step: string,
): Promise<void> {
  const last = await lastReview(tx, designation);
  if (!last || day >= last.reviewedOn) return;
  await tx.populate(designation, ['account']);
  throw new DomainError(
    'VALIDATION_FAILED',
    `${field} (${day}) is before the last review of the key-account designation of ${designation.account.externalRef} (${last.reviewedOn}); date the ${step} on or after ${last.reviewedOn}.`,
    {
      issues: [
        { path: [field], message: `before the last review (${last.reviewedOn})`, code: 'VALIDATION_FAILED' },
      ],
    },
  );
}

/** "The key-account designation of CRM-100003 from 2025-01-15", loading its account. */
async function designationName(em: EntityManager, designation: KeyAccountDesignation): Promise<string> {
  await em.populate(designation, ['account']);
  return `The key-account designation of ${designation.account.externalRef} from ${designation.designatedOn}`;
}

function assertDesignationVersion(
  em: EntityManager,
  designation: KeyAccountDesignation,
  expectedVersion: number | undefined,
): Promise<void> {
  return assertVersionNamed('KeyAccountDesignation', designation, expectedVersion, () =>
    designationName(em, designation),
  );
}

async function alreadyRevoked(em: EntityManager, designation: KeyAccountDesignation): Promise<DomainError> {
  return new DomainError(
    'DESIGNATION_ALREADY_REVOKED',
    `${await designationName(em, designation)} was revoked on ${designation.revokedOn}; designate the account again to make it key.`,
  );
}
