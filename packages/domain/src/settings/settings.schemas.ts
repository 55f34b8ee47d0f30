import { z } from 'zod';
import type { DomainErrorCode } from '../common/domain-error.ts';
import { unlessMissing } from '../common/validation.ts';
import type { ProgrammeStage } from '../common/vocabulary.ts';

/**
 * A number setting from `min` to `max`, refused in kam's words ("must be at most 100"), as the
 * schemas of common/validation.ts give their bounds, rather than zod's "Too big: expected number
 * to be <=100".
 */
function settingNumber(min: number, max: number, { int = false }: { int?: boolean } = {}) {
  const number = z.number({ error: unlessMissing('must be a number') });
  return (int ? number.int('must be a whole number') : number)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

/** A share strictly between 0 and 1 (a pyramid band). */
const share = z
  .number({ error: unlessMissing('must be a number') })
  .gt(0, 'must be above 0')
  .lt(1, 'must be below 1');

const weight = settingNumber(0, 100);
const threshold = settingNumber(0, 100);

/** Σ of the weights, without the float noise of adding decimals (33.3 + 33.3 + 33.5 = 100.1). */
function sumOf(weights: Record<string, number>): number {
  return Math.round(Object.values(weights).reduce((a, b) => a + b, 0) * 1e9) / 1e9;
}

/**
 * A group of weights that must add up to 100 (SETTINGS_WEIGHTS_NOT_100). The message gives each
 * weight with its value and their sum, as checked: after a patch is merged into the stored
 * settings, so with the weights the patch left out (`updateSettings` says which those were).
 */
const weights = <T extends Record<string, z.ZodNumber>>(shape: T) =>
  z
    .object(shape)
    .strict()
    .refine(w => sumOf(w as Record<string, number>) === 100, {
      error: issue => {
        const w = issue.input as Record<string, number>;
        const terms = Object.keys(shape).map(key => `${key} ${w[key]}`);
        return `must add up to 100, but ${terms.join(' + ')} = ${sumOf(w)}`;
      },
      params: { code: 'SETTINGS_WEIGHTS_NOT_100' satisfies DomainErrorCode },
    });

/** The default checklist of each programme stage (000 §4). */
export const DEFAULT_PROGRAMME_CHECKLISTS: Record<ProgrammeStage, string[]> = {
  UNDERSTAND: [
    'Evaluate customer intimacy as a strategy',
    'Understand the implications of the transformation',
    'Secure Executive Board buy-in',
    'Identify the pilot',
    'Communicate',
  ],
  TEST: [
    'Appoint a change leader',
    'Educate the management team of the pilot business',
    'Secure buy-in',
    'Establish or review the people satisfaction status',
    'Develop and implement an improvement plan',
    'Introduce problem solving and empowerment',
    'Identify and implement the sales and key account management development programme',
    'Identify and implement peer management relationship programmes',
    'Baseline customer and people metrics',
    'Set and communicate objectives as a result of baselining',
  ],
  LEARN: [
    'Understand progress against objectives and improvement plans',
    'Proactively take customer feedback',
    'Regular people briefings',
    'Management by walking about to solicit people views',
    'Initiate improvement actions',
  ],
  IMPLEMENT: ['Decide whether to implement across the business', 'Take each business through Test and Learn'],
};

/**
 * One stage's checklist: 1–30 items (a stage is passed when its items are done, so an empty one
 * would be passed unseen), each trimmed, 1–300 characters (the checklist item's column), none
 * twice in a stage (case and spacing aside).
 */
const stageChecklist = (stage: ProgrammeStage) =>
  z
    .array(
      z
        .string({ error: unlessMissing('must be a text') })
        .trim()
        .min(1, 'must not be blank')
        .max(300, 'must be at most 300 characters'),
      { error: unlessMissing('must be a list of texts') },
    )
    .min(1, 'must list at least one item: a stage is passed when its checklist is done')
    .max(30, 'must list at most 30 items')
    .superRefine((items, ctx) => {
      const seen = new Map<string, number>();
      items.forEach((item, i) => {
        const key = item.replace(/\s+/g, ' ').toLowerCase();
        const first = seen.get(key);
        if (first === undefined) seen.set(key, i);
        else {
          ctx.addIssue({
            code: 'custom',
            path: [i],
            message: `${JSON.stringify(item)} is listed twice in the ${stage} checklist (as item ${first + 1} too)`,
          });
        }
      });
    });

/** The ISO 4217 currency codes this runtime knows (Intl, from its ICU data). */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/**
 * Every configurable default of domain.md, with its default value. Stored as one JSON
 * document; an administrator changes it through `updateSettings`.
 */
export const settingsSchema = z
  .object({
    /**
     * The one reporting currency (ISO 4217), of every stored amount. Set it before loading data:
     * amounts are not converted, so it cannot change once one is stored (SETTINGS_CURRENCY_IN_USE).
     */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
      .refine(code => !/^[A-Z]{3}$/.test(code) || CURRENCIES.has(code), {
        error: issue =>
          `${JSON.stringify(issue.input)} is not an ISO 4217 currency code; write one such as EUR, USD or GBP`,
        // The code of a malformed one (zod's invalid_format): both are "not a currency code".
        params: { code: 'INVALID_FORMAT' },
      })
      .default('EUR'),
    pyramid: z
      .object({
        /** Share of active accounts (by TTM revenue rank) that are ACTIVE_LARGE. */
        largeShare: share.default(0.1),
        /** Share of active accounts that are ACTIVE_MEDIUM, after the large ones. */
        mediumShare: share.default(0.3),
      })
      .strict()
      .refine(v => v.largeShare + v.mediumShare < 1, {
        message: 'largeShare + mediumShare must be below 1',
        params: { code: 'SETTINGS_PYRAMID_SHARES_TOO_LARGE' satisfies DomainErrorCode },
      })
      .default({ largeShare: 0.1, mediumShare: 0.3 }),
    selection: z
      .object({
        /** Financial compatibility: weights of the TTM revenue, margin and growth-headroom percentiles. */
        financialWeights: weights({ revenue: weight, margin: weight, growthPotential: weight }).default({
          revenue: 40,
          margin: 30,
          growthPotential: 30,
        }),
        /** Attractiveness = weighted financial + strategic score. */
        attractivenessWeights: weights({ financial: weight, strategic: weight }).default({
          financial: 50,
          strategic: 50,
        }),
        /** Relationship strength = weighted attitude + years as customer + stakeholder coverage. */
        relationshipWeights: weights({
          attitude: weight,
          yearsAsCustomer: weight,
          stakeholderCoverage: weight,
        }).default({ attitude: 70, yearsAsCustomer: 15, stakeholderCoverage: 15 }),
        /** Years as a customer that earn the full years-as-customer score. */
        yearsForFullLoyalty: settingNumber(1, 50, { int: true }).default(10),
        attractivenessThreshold: threshold.default(60),
        relationshipThreshold: threshold.default(60),
        /** Stage one of selection: the financial score a candidate needs. */
        financialScreenThreshold: threshold.default(60),
      })
      .strict()
      .default({
        financialWeights: { revenue: 40, margin: 30, growthPotential: 30 },
        attractivenessWeights: { financial: 50, strategic: 50 },
        relationshipWeights: { attitude: 70, yearsAsCustomer: 15, stakeholderCoverage: 15 },
        yearsForFullLoyalty: 10,
        attractivenessThreshold: 60,
        relationshipThreshold: 60,
        financialScreenThreshold: 60,
      }),
    designation: z
      .object({
        /** The review of a designation is at least this many months out; never below 24 (000). */
        reviewMonths: z
          .number({ error: unlessMissing('must be a number') })
          .int('must be a whole number')
          .min(
            24,
            "must be at least 24: a designation's review is due at least 24 months after it is made or reviewed (reviewed not less than every two years)",
          )
          .max(60, 'must be at most 60')
          .default(24),
        /** A review is "due" this many days before `reviewDueOn`. */
        reviewDueWarningDays: settingNumber(0, 365, { int: true }).default(90),
      })
      .strict()
      .default({ reviewMonths: 24, reviewDueWarningDays: 90 }),
    plans: z
      .object({
        /** Execution reviews are expected at this cadence; a plan without one inside it is flagged. */
        reviewCadenceMonths: settingNumber(1, 12, { int: true }).default(3),
      })
      .strict()
      .default({ reviewCadenceMonths: 3 }),
    health: z
      .object({
        weights: weights({
          relationshipStrength: weight,
          stakeholderCoverage: weight,
          planFreshness: weight,
          provenValue: weight,
          satisfaction: weight,
          marginTrend: weight,
        }).default({
          relationshipStrength: 20,
          stakeholderCoverage: 20,
          planFreshness: 15,
          provenValue: 15,
          satisfaction: 15,
          marginTrend: 15,
        }),
        /** Below this the account is RED. */
        redBelow: threshold.default(40),
        /** From this the account is GREEN; in between AMBER. */
        greenFrom: threshold.default(70),
      })
      .strict()
      .refine(v => v.redBelow < v.greenFrom, {
        message: 'redBelow must be lower than greenFrom',
        params: { code: 'SETTINGS_HEALTH_BANDS_INVERTED' satisfies DomainErrorCode },
      })
      .default({
        weights: {
          relationshipStrength: 20,
          stakeholderCoverage: 20,
          planFreshness: 15,
          provenValue: 15,
          satisfaction: 15,
          marginTrend: 15,
        },
        redBelow: 40,
        greenFrom: 70,
      }),
    programme: z
      .object({
        /** The checklist of each stage a customer-intimacy programme starts with (000 §4). */
        checklists: z
          .object({
            UNDERSTAND: stageChecklist('UNDERSTAND').default(DEFAULT_PROGRAMME_CHECKLISTS.UNDERSTAND),
            TEST: stageChecklist('TEST').default(DEFAULT_PROGRAMME_CHECKLISTS.TEST),
            LEARN: stageChecklist('LEARN').default(DEFAULT_PROGRAMME_CHECKLISTS.LEARN),
            IMPLEMENT: stageChecklist('IMPLEMENT').default(DEFAULT_PROGRAMME_CHECKLISTS.IMPLEMENT),
          } satisfies Record<ProgrammeStage, z.ZodType>)
          .strict()
          .default(DEFAULT_PROGRAMME_CHECKLISTS),
      })
      .strict()
      .default({ checklists: DEFAULT_PROGRAMME_CHECKLISTS }),
    lifetime: z
      .object({
        /** Cap on the expected customer lifetime derived from retention, in years. */
        maxExpectedLifetimeYears: settingNumber(1, 100).default(20),
      })
      .strict()
      .default({ maxExpectedLifetimeYears: 20 }),
  })
  .strict();

export type KamSettings = z.output<typeof settingsSchema>;
export type KamSettingsInput = z.input<typeof settingsSchema>;

export const DEFAULT_SETTINGS: KamSettings = settingsSchema.parse({});

/**
 * The settings allowed at `path` of the settings document (`[]` for the top level, `['selection']`
 * for the selection's), in the schema's order; empty where `path` names no group of settings.
 */
export function settingKeysAt(path: readonly (string | number)[]): string[] {
  let schema: z.ZodType = settingsSchema;
  for (const key of path) {
    schema = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
    if (!(schema instanceof z.ZodObject)) return [];
    const next = (schema.shape as Record<string, z.ZodType>)[String(key)];
    if (!next) return [];
    schema = next;
  }
  schema = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}
