import { defineEntity, p } from '@mikro-orm/core';
import { baseProperties, versionProperty } from '../common/base.properties.ts';
import { BusinessUnit } from './business-unit.entity.ts';

export const PersonSchema = defineEntity({
  name: 'Person',
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    name: p.string().length(200),
    email: p.string().length(254).unique(),
    title: p.string().length(200).nullable(),
    businessUnit: () => p.manyToOne(BusinessUnit).nullable(),
    active: p.boolean().default(true),
  },
});

/** One of our people: holds roles on account teams and signs plans for a business unit. */
export class Person extends PersonSchema.class {}
PersonSchema.setClass(Person);
