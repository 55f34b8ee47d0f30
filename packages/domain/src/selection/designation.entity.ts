import { defineEntity, p } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';
import { baseProperties, versionProperty } from '../common/base.properties.ts';
import { Person } from '../organisation/person.entity.ts';

export const DesignationSchema = defineEntity({
  name: 'KeyAccountDesignation',
  tableName: 'key_account_designation',
  indexes: [{ properties: ['account', 'revokedOn'] }, { properties: ['reviewDueOn'] }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    account: () => p.manyToOne(Account).deleteRule('restrict'),
    designatedOn: p.date(),
    /** At least 24 months after `designatedOn` (000: review not less than every two years). */
    reviewDueOn: p.date(),
    designatedBy: () => p.manyToOne(Person).nullable(),
    reason: p.text().nullable(),
    /** Set when the designation ends; the record itself is never deleted. */
    revokedOn: p.date().nullable(),
    revokedBy: () => p.manyToOne(Person).nullable(),
    revocationReason: p.text().nullable(),
  },
});

/** Makes an account a key account from a date, with a review date; revoking ends it, history stays. */
export class KeyAccountDesignation extends DesignationSchema.class {}
DesignationSchema.setClass(KeyAccountDesignation);
