import { defineEntity, p } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';
import { baseProperties, versionProperty } from '../common/base.properties.ts';
import { CONTACT_FUNCTIONS, CONTACT_STANCES } from '../common/vocabulary.ts';
import { Person } from '../organisation/person.entity.ts';

export const ContactSchema = defineEntity({
  name: 'Contact',
  indexes: [{ properties: ['account'] }],
  checks: [{ name: 'contact_influence_range', expression: 'influence >= 1 AND influence <= 5' }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    /** The contact's id in the CRM; scripts upsert by it. */
    externalRef: p.string().length(120).unique(),
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    name: p.string().length(200),
    title: p.string().length(200).nullable(),
    email: p.string().length(254).nullable(),
    function: p.enum(CONTACT_FUNCTIONS),
    /** 1 (little) to 5 (decides). */
    influence: p.integer(),
    stance: p.enum(CONTACT_STANCES),
    /** What this person values. */
    whatTheyValue: p.text().nullable(),
    lastContactOn: p.date().nullable(),
    /** Our peer for this contact: peer-to-peer engagement, management with management. */
    counterpart: () => p.manyToOne(Person).nullable(),
  },
});

/** A person on the customer side, on the stakeholder map (domain §6). */
export class Contact extends ContactSchema.class {}
ContactSchema.setClass(Contact);
