import { defineEntity, p } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';
import { baseProperties, moneyProperty, versionProperty } from '../common/base.properties.ts';
import { DESIGN_PHASES, INITIATIVE_OUTCOMES, VALUE_CATEGORIES } from '../common/vocabulary.ts';
import { Person } from '../organisation/person.entity.ts';

export const ValueInitiativeSchema = defineEntity({
  name: 'ValueInitiative',
  indexes: [{ properties: ['account'] }, { properties: ['phase', 'outcome'] }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    name: p.string().length(200),
    /** The pilot account the initiative is designed and tested with. */
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    owner: () => p.manyToOne(Person).nullable(),
    category: p.enum(VALUE_CATEGORIES),
    phase: p.enum(DESIGN_PHASES).default('ASSESS_CURRENT_SITUATION'),
    /** Null while the initiative is in progress. REVISED sends it back to testing. */
    outcome: p.enum(INITIATIVE_OUTCOMES).nullable(),
    combinedInto: () => p.manyToOne(ValueInitiative).nullable().deleteRule('set null'),
    /** The desired commercial gains written in the test plan. */
    desiredGains: p.text().default(''),
    /** Measured annual gain for the customer. */
    customerGain: moneyProperty().nullable(),
    /** Measured annual gain for us. */
    supplierGain: moneyProperty().nullable(),
    /** Value counts only when the customer recognises it. */
    customerRecognised: p.boolean().default(false),
    recognisedOn: p.date().nullable(),
    recognitionNote: p.text().nullable(),
    /** A competitor copied it: it has become EXPECTED and earns no premium. */
    copiedByCompetitor: p.boolean().default(false),
    /**
     * The day it was copied: from then on it reads as EXPECTED, without premium; before, as
     * `categoryBeforeCopy`. Null while not copied. (Copied before the day was recorded: its
     * start day, set by migration Migration20261207170000_initiative_copied_on.)
     */
    copiedOn: p.date().nullable(),
    /** Its category until it was copied (null while not copied, or copied before this was kept). */
    categoryBeforeCopy: p.enum(VALUE_CATEGORIES).nullable(),
    revisionCount: p.integer().default(0),
    startedOn: p.date(),
    endedOn: p.date().nullable(),
  },
});

/** A value initiative moving through the ten-phase value design process (domain §8). */
export class ValueInitiative extends ValueInitiativeSchema.class {}
ValueInitiativeSchema.setClass(ValueInitiative);
