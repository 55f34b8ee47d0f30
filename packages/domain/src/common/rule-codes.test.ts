import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { updateKpiSchema } from '../kpis/kpi.service.ts';
import { opportunityRowSchema } from '../opportunities/opportunity.service.ts';
import { createPlanSchema } from '../plans/plan.service.ts';
import { createServicePackageSchema } from '../segments/segment.service.ts';
import { settingsSchema } from '../settings/settings.schemas.ts';
import { recordMeasurementSchema, recordSignalSchema, signalRowSchema } from '../signals/signal.schemas.ts';
import { DOMAIN_ERROR_CODES } from './domain-error.ts';
import { toFieldIssues } from './validation.ts';

/** The field issues of input a schema refuses, as [path, code]. */
function issuesOf(schema: z.ZodType, input: unknown): [string, string][] {
  const result = schema.safeParse(input);
  expect(result.success).toBe(false);
  return toFieldIssues(result.error?.issues ?? []).map(i => [i.path.join('.'), i.code]);
}

const signal = { externalRef: 'SG-1', accountRef: 'A-1', occurredOn: '2026-05-04' };
const opportunity = {
  externalRef: 'OP-1',
  accountRef: 'A-1',
  businessUnitCode: 'EMEA',
  name: 'Retrofit',
  value: '100.00',
};
const measurement = { kind: 'MARKET_SHARE', quarter: '2026-Q2', market: 'DACH', value: '12.5' };

// Every refinement of an input schema stands for a rule with a stable code of its own, listed
// in DOMAIN_ERROR_CODES; none reaches a caller as zod's generic CUSTOM.
const CASES: [string, z.ZodType, unknown, [string, string][]][] = [
  [
    'feedback without sentiment',
    signalRowSchema,
    { ...signal, kind: 'FEEDBACK' },
    [['sentiment', 'SIGNAL_SENTIMENT_REQUIRED']],
  ],
  [
    'a sentiment on a referral',
    recordSignalSchema,
    { accountId: 1, occurredOn: '2026-05-04', kind: 'REFERRAL', sentiment: 'POSITIVE' },
    [['sentiment', 'SIGNAL_SENTIMENT_NOT_ALLOWED']],
  ],
  [
    'a value on advice',
    signalRowSchema,
    { ...signal, kind: 'ADVICE_REQUEST', value: '10.00' },
    [['value', 'SIGNAL_VALUE_NOT_ALLOWED']],
  ],
  [
    'a WON opportunity without decidedOn',
    opportunityRowSchema,
    { ...opportunity, outcome: 'WON' },
    [['decidedOn', 'OPPORTUNITY_DECIDED_ON_REQUIRED']],
  ],
  [
    'an OPEN opportunity with decidedOn',
    opportunityRowSchema,
    { ...opportunity, decidedOn: '2026-03-01' },
    [['decidedOn', 'OPPORTUNITY_DECIDED_ON_NOT_ALLOWED']],
  ],
  [
    'a qualified opportunity decided before it was qualified',
    opportunityRowSchema,
    { ...opportunity, qualified: true, qualifiedOn: '2026-05-01', outcome: 'WON', decidedOn: '2026-03-01' },
    [['decidedOn', 'OPPORTUNITY_DECIDED_BEFORE_QUALIFIED']],
  ],
  [
    'a qualification date on an unqualified opportunity',
    opportunityRowSchema,
    { ...opportunity, qualified: false, qualifiedOn: '2026-05-01' },
    [['qualifiedOn', 'OPPORTUNITY_QUALIFIED_ON_NOT_ALLOWED']],
  ],
  [
    'a lost reason on a WON opportunity',
    opportunityRowSchema,
    { ...opportunity, outcome: 'WON', decidedOn: '2026-03-01', lostReason: 'price' },
    [['lostReason', 'OPPORTUNITY_LOST_REASON_NOT_ALLOWED']],
  ],
  [
    'a margin target that is no percentage',
    createPlanSchema,
    { accountId: 1, year: 2026, targets: { marginTargetPercent: '31.555' } },
    [['targets.marginTargetPercent', 'INVALID_PERCENTAGE']],
  ],
  [
    'a service element listed twice in a package',
    createServicePackageSchema,
    {
      code: 'GOLD',
      name: 'Gold',
      segmentId: 1,
      elements: [
        { elementId: 4, inclusion: 'INCLUDED' },
        { elementId: 4, inclusion: 'CHARGED_SEPARATELY' },
      ],
    },
    [['elements.1.elementId', 'DUPLICATE_ROW']],
  ],
  [
    'a measurement value above 100',
    recordMeasurementSchema,
    { ...measurement, value: '100.5' },
    [['value', 'INVALID_PERCENTAGE']],
  ],
  [
    'people satisfaction per market',
    recordMeasurementSchema,
    { ...measurement, kind: 'PEOPLE_SATISFACTION' },
    [['market', 'MEASUREMENT_MARKET_NOT_ALLOWED']],
  ],
  [
    'market share per business unit',
    recordMeasurementSchema,
    { ...measurement, businessUnitId: 3 },
    [['businessUnitId', 'MEASUREMENT_BUSINESS_UNIT_NOT_ALLOWED']],
  ],
  [
    'a KPI target with five decimals',
    updateKpiSchema,
    { code: 'CUSTOMER_RETENTION', expectedVersion: 1, target: '1.12345' },
    [['target', 'INVALID_DECIMAL']],
  ],
  [
    'weights that do not add up to 100',
    settingsSchema,
    { selection: { attractivenessWeights: { financial: 50, strategic: 40 } } },
    [['selection.attractivenessWeights', 'SETTINGS_WEIGHTS_NOT_100']],
  ],
  [
    'pyramid shares of 100% or more',
    settingsSchema,
    { pyramid: { largeShare: 0.5, mediumShare: 0.5 } },
    [['pyramid', 'SETTINGS_PYRAMID_SHARES_TOO_LARGE']],
  ],
  [
    'a red band above the green one',
    settingsSchema,
    { health: { redBelow: 80, greenFrom: 70 } },
    [['health', 'SETTINGS_HEALTH_BANDS_INVERTED']],
  ],
];

describe('the codes of input rules', () => {
  it.each(CASES)('%s has its own code', (_, schema, input, expected) => {
    const issues = issuesOf(schema, input);
    expect(issues).toEqual(expected);
    for (const [, code] of issues) expect(DOMAIN_ERROR_CODES).toHaveProperty(code);
  });

  it('reads VALIDATION_FAILED, not CUSTOM, for a refinement someone forgot to give a code', () => {
    const schema = z.object({ n: z.number().refine(n => n > 1, 'must be above 1') });
    expect(issuesOf(schema, { n: 1 })).toEqual([['n', 'VALIDATION_FAILED']]);
  });
});
