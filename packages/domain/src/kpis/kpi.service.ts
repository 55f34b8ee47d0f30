import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { assertQuarterStarted } from '../common/quarter.ts';
import { assertVersion, writeAs } from '../common/unit-of-work.ts';
import { decimalSchema, parseInput, quarterSchema, ruleIssue, versionSchema } from '../common/validation.ts';
import { KPI_CODES } from '../common/vocabulary.ts';
import { kpiTargetOutOfRange } from '../settings/reference-data.ts';
import { KpiDefinition } from './kpi-definition.entity.ts';

export const updateKpiSchema = z
  .object({
    code: z.enum(KPI_CODES),
    expectedVersion: versionSchema,
    // The target column is decimal(14, 4): ten digits before the point, four after it.
    target: decimalSchema(10, 4).nullish(),
    baselineQuarter: quarterSchema.nullish(),
  })
  .superRefine((input, ctx) => {
    // Runs on a well-formed target only: a malformed one is INVALID_DECIMAL, which aborts this.
    const problem = input.target == null ? null : kpiTargetOutOfRange(input.code, input.target);
    if (problem) ctx.addIssue(ruleIssue('KPI_TARGET_OUT_OF_RANGE', ['target'], problem));
  });
export type UpdateKpiInput = z.input<typeof updateKpiSchema>;

/**
 * Sets a KPI's target (stored in its canonical decimal form, "7" for "007") and baseline
 * quarter, which must have started: a quarter to come has no value to be the baseline.
 */
export async function updateKpiDefinition(em: EntityManager, input: UpdateKpiInput, actor: Actor) {
  const data = parseInput(updateKpiSchema, input, 'KPI');
  // A past quarter without data stays accepted: the analytics fall back from it to the first
  // quarter with a value, as docs/analytics.md says; a quarter to come would fall back silently.
  if (data.baselineQuarter) assertQuarterStarted(data.baselineQuarter, 'baselineQuarter');
  return writeAs(em, actor, async tx => {
    const kpi = await tx.findOne(KpiDefinition, { code: data.code });
    if (!kpi) throw new DomainError('NOT_FOUND', `KPI ${data.code} is not defined; run kam migrate first.`);
    assertVersion('KpiDefinition', kpi, data.expectedVersion, `KPI ${kpi.code}`);
    if (data.target !== undefined) kpi.target = data.target ?? null;
    if (data.baselineQuarter !== undefined) kpi.baselineQuarter = data.baselineQuarter ?? null;
    return kpi;
  });
}
