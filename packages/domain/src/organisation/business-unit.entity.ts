import { defineEntity, p } from '@mikro-orm/core';
import { baseProperties, versionProperty } from '../common/base.properties.ts';
import { BUSINESS_UNIT_KINDS } from '../common/vocabulary.ts';

export const BusinessUnitSchema = defineEntity({
  name: 'BusinessUnit',
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    /** Short stable code used by imports and scripts, e.g. `EMEA` or `SERVICES`. */
    code: p.string().length(40).unique(),
    name: p.string().length(200),
    kind: p.enum(BUSINESS_UNIT_KINDS),
  },
});

/** A division of the supplier, by geography, offering or industry (domain §1). */
export class BusinessUnit extends BusinessUnitSchema.class {}
BusinessUnitSchema.setClass(BusinessUnit);
