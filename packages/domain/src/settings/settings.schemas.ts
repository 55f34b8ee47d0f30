import { z } from 'zod';
import { ruled } from '../common/validation.ts';

const weight = z.number().min(0).max(100);
const threshold = z.number().min(0).max(100);

function sumsTo100(weights: Record<string, number>): boolean {
  return Math.abs(Object.values(weights).reduce((a, b) => a + b, 0) - 100) < 1e-9;
}

const weights = <T extends Record<string, z.ZodNumber>>(shape: T) =>
  ruled(
    z.object(shape).strict(),
    w => sumsTo100(w as Record<string, number>),
    'SETTINGS_WEIGHTS_NOT_100',
    'weights must add up to 100',
  );

/** The ISO 4217 currency codes this runtime knows (Intl, from its ICU data). */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/**
 * Every configurable default of domain.md, with its default value. Stored as one JSON
 * document; an administrator changes it through `updateSettings`.
 */
export const settingsSchema = z
  .object({
    /** The one reporting currency (ISO 4217). */
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
        largeShare: z.number().gt(0).lt(1).default(0.1),
        /** Share of active accounts that are ACTIVE_MEDIUM, after the large ones. */
        mediumShare: z.number().gt(0).lt(1).default(0.3),
      })
      .strict()
      .refine(v => v.largeShare + v.mediumShare < 1, {
        message: 'largeShare + mediumShare must be below 1',
        params: { code: 'SETTINGS_PYRAMID_SHARES_TOO_LARGE' },
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
        yearsForFullLoyalty: z.number().int().min(1).max(50).default(10),
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
          .number()
          .int()
          .min(
            24,
            "must be at least 24: a designation's review is due at least 24 months after it is made or reviewed (reviewed not less than every two years)",
          )
          .max(60)
          .default(24),
        /** A review is "due" this many days before `reviewDueOn`. */
        reviewDueWarningDays: z.number().int().min(0).max(365).default(90),
      })
      .strict()
      .default({ reviewMonths: 24, reviewDueWarningDays: 90 }),
    plans: z
      .object({
        /** Execution reviews are expected at this cadence; a plan without one inside it is flagged. */
        reviewCadenceMonths: z.number().int().min(1).max(12).default(3),
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
        params: { code: 'SETTINGS_HEALTH_BANDS_INVERTED' },
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
    lifetime: z
      .object({
        /** Cap on the expected customer lifetime derived from retention, in years. */
        maxExpectedLifetimeYears: z.number().min(1).max(100).default(20),
      })
      .strict()
      .default({ maxExpectedLifetimeYears: 20 }),
  })
  .strict();

export type KamSettings = z.output<typeof settingsSchema>;
export type KamSettingsInput = z.input<typeof settingsSchema>;

export const DEFAULT_SETTINGS: KamSettings = settingsSchema.parse({});
