import { defineEntity, p } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';
import { baseProperties, moneyProperty, versionProperty } from '../common/base.properties.ts';
import { OPPORTUNITY_OUTCOMES } from '../common/vocabulary.ts';
import { BusinessUnit } from '../organisation/business-unit.entity.ts';

export const OpportunitySchema = defineEntity({
  name: 'Opportunity',
  indexes: [{ properties: ['account', 'outcome'] }, { properties: ['decidedOn'] }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    externalRef: p.string().length(120).unique(),
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    businessUnit: () => p.manyToOne(BusinessUnit),
    name: p.string().length(200),
    value: moneyProperty(),
    /** A qualified bid: real need, budget and a chance to win. Only qualified bids count in the win rate. */
    qualified: p.boolean().default(false),
    qualifiedOn: p.date().nullable(),
    expectedCloseOn: p.date().nullable(),
    outcome: p.enum(OPPORTUNITY_OUTCOMES).default('OPEN'),
    decidedOn: p.date().nullable(),
    lostReason: p.text().nullable(),
  },
});

/** A sales opportunity with an account for one business unit. */
export class Opportunity extends OpportunitySchema.class {}
OpportunitySchema.setClass(Opportunity);
