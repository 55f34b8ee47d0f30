import { defineEntity, p } from '@mikro-orm/core';
import {
  baseProperties,
  decimalProperty,
  quarterProperty,
  versionProperty,
} from '../common/base.properties.ts';
import { KPI_CODES, KPI_DIRECTIONS, KPI_UNITS } from '../common/vocabulary.ts';

export const KpiDefinitionSchema = defineEntity({
  name: 'KpiDefinition',
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    code: p.enum(KPI_CODES).unique(),
    name: p.string().length(200),
    description: p.text(),
    unit: p.enum(KPI_UNITS),
    direction: p.enum(KPI_DIRECTIONS),
    /**
     * The quarter chosen as the baseline when the programme started; null (or a quarter after the
     * report's) = the first quarter in which the KPI has a value, from the first quarter with
     * financial data on (analytics/kpis.ts `computeKpis`): fixed, not the first of the trend window.
     */
    baselineQuarter: quarterProperty().nullable(),
    /** Optional target, in the KPI's unit (a decimal string). */
    target: decimalProperty(14, 4).nullable(),
  },
});

/** A KPI's definition, baseline and target (domain §10). */
export class KpiDefinition extends KpiDefinitionSchema.class {}
KpiDefinitionSchema.setClass(KpiDefinition);
