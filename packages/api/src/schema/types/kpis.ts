/** KPI definitions (domain §10): unit, direction, baseline quarter and target. KPI values are analytics. */
import { KpiDefinition, updateKpiDefinition } from '@kam/domain';
import { builder } from '../../builder.ts';
import { KpiCodeEnum, KpiDirectionEnum, KpiUnitEnum } from './vocabulary.ts';
import { described } from './workflow.ts';

export const KpiDefinitionRef = builder.objectRef<KpiDefinition>('KpiDefinition').implement({
  description: 'A KPI’s definition: unit, direction, optional target and baseline quarter.',
  fields: t => ({
    code: t.field({ type: KpiCodeEnum, description: 'The KPI.', resolve: k => k.code }),
    name: t.exposeString('name', { description: 'Display name.' }),
    description: t.exposeString('description', { description: 'How it is computed or recorded.' }),
    unit: t.field({ type: KpiUnitEnum, description: 'Its unit.', resolve: k => k.unit }),
    direction: t.field({
      type: KpiDirectionEnum,
      description: 'Which way it improves.',
      resolve: k => k.direction,
    }),
    baselineQuarter: t.field({
      type: 'Quarter',
      nullable: true,
      description:
        'The baseline quarter chosen when the programme started; null = the first quarter with data.',
      resolve: k => k.baselineQuarter ?? null,
    }),
    target: t.exposeString('target', { nullable: true, description: 'The target, in the KPI’s unit.' }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
  }),
});

builder.queryField('kpiDefinitions', t =>
  t.field({
    type: [KpiDefinitionRef],
    description: 'The thirteen KPI definitions.',
    resolve: (_, __, ctx) => ctx.em.find(KpiDefinition, {}, { orderBy: { id: 'asc' } }),
  }),
);

const UpdateKpiDefinitionInput = builder.inputType('UpdateKpiDefinitionInput', {
  description: 'A KPI’s target and baseline; omitted fields keep their value, null clears.',
  fields: t => ({
    code: t.field({ type: KpiCodeEnum, required: true, description: 'The KPI.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    target: t.string({
      description:
        'The target, a number with at most four decimals within the KPI’s values: a percentage 0–100 (80 means 80 %), a satisfaction score 1–5, an index 0–100, growth at least −100 %, an amount or count at least 0, any ratio.',
    }),
    baselineQuarter: t.field({ type: 'Quarter', description: 'The baseline quarter.' }),
  }),
});

builder.mutationField('updateKpiDefinition', t =>
  t.field({
    type: KpiDefinitionRef,
    description: 'Sets a KPI’s target and baseline quarter (ADMIN).',
    authScopes: { admin: true },
    errors: described('updating a KPI definition'),
    args: { input: t.arg({ type: UpdateKpiDefinitionInput, required: true, description: 'The change.' }) },
    resolve: (_, { input }, ctx) => updateKpiDefinition(ctx.em, input, ctx.actor),
  }),
);
