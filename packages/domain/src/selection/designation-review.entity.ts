import { defineEntity, p } from '@mikro-orm/core';
import { baseProperties } from '../common/base.properties.ts';
import { KeyAccountDesignation } from './designation.entity.ts';

export const DesignationReviewSchema = defineEntity({
  name: 'KeyAccountDesignationReview',
  tableName: 'designation_review',
  indexes: [{ properties: ['designation', 'reviewedOn'] }],
  properties: {
    ...baseProperties(),
    designation: () => p.manyToOne(KeyAccountDesignation).deleteRule('restrict'),
    /** The day of the review (never after the day it is recorded). */
    reviewedOn: p.date(),
    /** The designation's review due date before this review. */
    previousReviewDueOn: p.date(),
    /** The next review's due date that this review set, from `reviewedOn` on. */
    reviewDueOn: p.date(),
  },
});

/**
 * One review of a key-account designation, written by `reviewDesignation` in the same
 * transaction as the new due date; append-only. A closed quarter reads a designation's review
 * due date as of its last day from it (the due date set by the last review on or before the
 * day, else the due date before the first recorded review).
 */
export class KeyAccountDesignationReview extends DesignationReviewSchema.class {}
DesignationReviewSchema.setClass(KeyAccountDesignationReview);
