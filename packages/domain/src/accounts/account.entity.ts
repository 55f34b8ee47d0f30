import { defineEntity, p } from '@mikro-orm/core';
import { baseProperties, versionProperty } from '../common/base.properties.ts';
import { Segment } from '../segments/segment.entity.ts';

export const AccountSchema = defineEntity({
  name: 'Account',
  indexes: [{ properties: ['parent'] }, { properties: ['name'] }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    /** The stable CRM/ERP id; scripts upsert by it. Unique. */
    externalRef: p.string().length(120).unique(),
    name: p.string().length(200),
    /** The group this account belongs to (a global account's regional or local child). */
    parent: () => p.manyToOne(Account).nullable().deleteRule('restrict'),
    segment: () => p.manyToOne(Segment).nullable(),
    industry: p.string().length(120).nullable(),
    country: p.string().length(2).nullable(),
    /** The first day we sold to the customer; drives "years as customer". */
    customerSince: p.date().nullable(),
  },
});

/** A customer account (domain §1). Accounts form a hierarchy through `parent`. */
export class Account extends AccountSchema.class {}
AccountSchema.setClass(Account);
