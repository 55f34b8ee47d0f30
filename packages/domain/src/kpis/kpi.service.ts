import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { assertVersion, writeAs } from '../common/unit-of-work.ts';
import { parseInput, quarterSchema, ruled, ruleIssue, versionSchema } from '../common/validation.ts';
import { KPI_CODES } from '../common/vocabulary.ts';
import { kpiTargetOutOfRange } from '../settings/reference-data.ts';
import { KpiDefinition } from './kpi-definition.entity.ts';

export const updateKpiSchema = z
  .object({
    code: z.enum(KPI_CODES),
    expectedVersion: versionSchema,
    target: ruled(
      z.union([z.string(), z.number()]).transform(v => String(v).trim()),
      v => /^-?\d{1,10}(\.\d{1,4})?$/.test(v),
      'INVALID_DECIMAL',
      'must be a number with at most four decimals',
    ).nullish(),
    baselineQuarter: quarterSchema.nullish(),
  })
  .superRefine((input, ctx) => {
    const problem = input.target == null ? null : kpiTargetOutOfRange(input.code, input.target);
    if (problem) ctx.addIssue(ruleIssue('KPI_TARGET_OUT_OF_RANGE', ['target'], problem));
  });
export type UpdateKpiInput = z.input<typeof updateKpiSchema>;

/** Sets a KPI's target and baseline quarter. */
export async function updateKpiDefinition(em: EntityManager, input: UpdateKpiInput, actor: Actor) {
  const data = parseInput(updateKpiSchema, input, 'KPI');
  return writeAs(em, actor, async tx => {
    const kpi = await tx.findOne(KpiDefinition, { code: data.code });
    if (!kpi) throw new DomainError('NOT_FOUND', `KPI ${data.code} is not defined; run kam migrate first.`);
    assertVersion('KpiDefinition', kpi, data.expectedVersion, `KPI ${kpi.code}`);
    if (data.target !== undefined) kpi.target = data.target ?? null;
    if (data.baselineQuarter !== undefined) kpi.baselineQuarter = data.baselineQuarter ?? null;
    return kpi;
  });
}
