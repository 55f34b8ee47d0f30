import { defineEntity, p } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';
import { baseProperties, quarterProperty, versionProperty } from '../common/base.properties.ts';
import { VALUE_TIERS } from '../common/vocabulary.ts';
import { Person } from '../organisation/person.entity.ts';

export const TierAssessmentSchema = defineEntity({
  name: 'TierAssessment',
  uniques: [{ properties: ['account', 'quarter'] }],
  indexes: [{ properties: ['quarter'] }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    quarter: quarterProperty(),
    tier: p.enum(VALUE_TIERS),
    /** The team's short note on why the account is at this tier. Required. */
    evidence: p.text(),
    assessedBy: () => p.manyToOne(Person).nullable(),
  },
});

/** The account team's call on a key account's value tier for a quarter (domain §5). */
export class TierAssessment extends TierAssessmentSchema.class {}
TierAssessmentSchema.setClass(TierAssessment);
