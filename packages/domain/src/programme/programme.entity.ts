import { defineEntity, p } from '@mikro-orm/core';
import { baseProperties, versionProperty } from '../common/base.properties.ts';
import { PROGRAMME_STAGES } from '../common/vocabulary.ts';
import { BusinessUnit } from '../organisation/business-unit.entity.ts';
import { Person } from '../organisation/person.entity.ts';

export const IntimacyProgrammeSchema = defineEntity({
  name: 'IntimacyProgramme',
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    /** The pilot business unit. One programme per unit. */
    businessUnit: () => p.manyToOne(BusinessUnit).unique(),
    stage: p.enum(PROGRAMME_STAGES).default('UNDERSTAND'),
    changeLeader: () => p.manyToOne(Person).nullable(),
    startedOn: p.date(),
    objectives: p.text().default(''),
  },
});
/** The customer-intimacy programme of a pilot business unit (domain §11). */
export class IntimacyProgramme extends IntimacyProgrammeSchema.class {}
IntimacyProgrammeSchema.setClass(IntimacyProgramme);

export const ChecklistItemSchema = defineEntity({
  name: 'ProgrammeChecklistItem',
  tableName: 'programme_checklist_item',
  indexes: [{ properties: ['programme', 'stage'] }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    programme: () => p.manyToOne(IntimacyProgramme).deleteRule('cascade'),
    stage: p.enum(PROGRAMME_STAGES),
    position: p.integer(),
    text: p.string().length(300),
    doneOn: p.date().nullable(),
    doneBy: () => p.manyToOne(Person).nullable(),
  },
});
/** One checklist item of a programme stage. */
export class ProgrammeChecklistItem extends ChecklistItemSchema.class {}
ChecklistItemSchema.setClass(ProgrammeChecklistItem);
