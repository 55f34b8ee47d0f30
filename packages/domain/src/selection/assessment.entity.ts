import { defineEntity, p } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';
import { baseProperties } from '../common/base.properties.ts';
import { Person } from '../organisation/person.entity.ts';

const SCORES = [
  'marketLeadership',
  'innovationLeadership',
  'growthFit',
  'otherUnitsPotential',
  'loyalty',
  'informationSharing',
  'engagementDesire',
  'buyingBasis',
] as const;

export const SelectionAssessmentSchema = defineEntity({
  name: 'SelectionAssessment',
  indexes: [{ properties: ['account', 'assessedOn'] }],
  checks: SCORES.map(s => ({
    name: `selection_assessment_${s}_range`,
    expression: `${snake(s)} >= 1 AND ${snake(s)} <= 5`,
  })),
  properties: {
    ...baseProperties(),
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    assessedOn: p.date(),
    assessedBy: () => p.manyToOne(Person).nullable(),
    // Strategic compatibility, 1–5 each.
    marketLeadership: p.integer(),
    innovationLeadership: p.integer(),
    /** Fit of the customer's growth direction with our capabilities. */
    growthFit: p.integer(),
    /** Potential with our other business units. */
    otherUnitsPotential: p.integer(),
    // Attitude compatibility, 1–5 each.
    loyalty: p.integer(),
    informationSharing: p.integer(),
    engagementDesire: p.integer(),
    /** Buying basis: 1 = buys on price alone, 5 = buys on value. A price-driven buyer lowers attitude. */
    buyingBasis: p.integer(),
    /** Is the revenue stream sustainable? */
    sustainableRevenue: p.boolean(),
    /** Would its defection influence other key customers? */
    defectionInfluencesOthers: p.boolean(),
    /** For a non-customer: would winning it improve our business with other key accounts? */
    winningImprovesOthers: p.boolean().nullable(),
    notes: p.text().nullable(),
  },
});

function snake(name: string): string {
  return name.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`);
}

/**
 * The manual strategic and attitude assessment of a key-account candidate (domain §4).
 * Assessments are a history: a new one supersedes the previous one, nothing is overwritten.
 */
export class SelectionAssessment extends SelectionAssessmentSchema.class {}
SelectionAssessmentSchema.setClass(SelectionAssessment);
