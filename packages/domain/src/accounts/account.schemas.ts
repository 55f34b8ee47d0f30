import { z } from 'zod';
import { type Money, toCents } from '../common/money.ts';
import {
  externalRefSchema,
  isoDateSchema,
  moneySchema,
  nameSchema,
  nonNegativeMoneySchema,
  optionalText,
  quarterSchema,
  ruleIssue,
  versionSchema,
} from '../common/validation.ts';

const countrySchema = z
  .string()
  .trim()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 country code such as DE');

/** The fields of an account that callers set (by id references). */
export const accountFieldsSchema = z.object({
  name: nameSchema,
  parentId: z.number().int().positive().nullish(),
  segmentId: z.number().int().positive().nullish(),
  industry: optionalText(120),
  country: countrySchema.nullish(),
  customerSince: isoDateSchema.nullish(),
});

export const createAccountSchema = accountFieldsSchema.extend({ externalRef: externalRefSchema });
export type CreateAccountInput = z.input<typeof createAccountSchema>;

export const updateAccountSchema = accountFieldsSchema.partial().extend({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  externalRef: externalRefSchema.optional(),
});
export type UpdateAccountInput = z.input<typeof updateAccountSchema>;

/** One row of a bulk account upsert, keyed by `externalRef`; references are by external keys. */
export const accountRowSchema = z
  .object({
    externalRef: externalRefSchema,
    name: nameSchema,
    parentRef: externalRefSchema.nullish(),
    segmentCode: z.string().trim().max(40).nullish(),
    industry: optionalText(120),
    country: countrySchema.nullish(),
    customerSince: isoDateSchema.nullish(),
  })
  .strict();
export type AccountRow = z.input<typeof accountRowSchema>;

/**
 * One quarter's figures for an account (and business unit, when split). Money is exact. The
 * schemas of a line add the gross-profit rule to these (`withGrossProfitRule`).
 */
export const financialFieldsSchema = z.object({
  quarter: quarterSchema,
  revenue: moneySchema,
  grossProfit: moneySchema,
  costToServe: nonNegativeMoneySchema,
  potential: nonNegativeMoneySchema.nullish(),
  pricePremium: moneySchema.nullish(),
});

/**
 * Why a line's gross profit cannot go with its revenue, or null when it can. Gross profit is
 * revenue minus the cost of goods sold, so it is at most the revenue: revenue 100 with gross
 * profit 500 would be a 500 % margin in the selection scores, the size bands and the margin
 * trend. A negative gross profit stays allowed (selling below cost happens), and a negative
 * revenue (a credit note) keeps any gross profit.
 */
export function grossProfitProblem(revenue: Money, grossProfit: Money): string | null {
  const revenueCents = toCents(revenue);
  if (revenueCents < 0n || toCents(grossProfit) <= revenueCents) return null;
  return `must be at most the revenue, ${revenue}, but is ${grossProfit}: gross profit is revenue minus the cost of goods sold, so it cannot exceed the revenue. Check that the two amounts are not swapped, or correct the revenue`;
}

/**
 * Adds the gross-profit rule (GROSS_PROFIT_ABOVE_REVENUE at `grossProfit`) to a schema of a
 * financial line: the one rule of `recordFinancials` and of `importFinancials`. It runs once both
 * amounts are read, also when another field of the line is refused, so that a CSV row's
 * problems are told together.
 */
function withGrossProfitRule<T extends z.ZodType<{ revenue: Money; grossProfit: Money }>>(schema: T): T {
  return schema.superRefine(
    (line, ctx) => {
      const problem = grossProfitProblem(line.revenue, line.grossProfit);
      if (problem) ctx.addIssue(ruleIssue('GROSS_PROFIT_ABOVE_REVENUE', ['grossProfit'], problem));
    },
    {
      when: payload =>
        !payload.issues.some(issue => issue.path?.[0] === 'revenue' || issue.path?.[0] === 'grossProfit'),
    },
  );
}

export const recordFinancialsSchema = withGrossProfitRule(
  financialFieldsSchema.extend({
    accountId: z.number().int().positive(),
    businessUnitId: z.number().int().positive().nullish(),
    /** Required when the line already exists (an update). */
    expectedVersion: versionSchema.optional(),
  }),
);
export type RecordFinancialsInput = z.input<typeof recordFinancialsSchema>;

/** Which financial line to remove: the account, the quarter and the unit (none: the account-level line). */
export const removeFinancialsSchema = z.object({
  accountId: z.number().int().positive(),
  quarter: quarterSchema,
  businessUnitId: z.number().int().positive().nullish(),
  expectedVersion: versionSchema,
});
export type RemoveFinancialsInput = z.input<typeof removeFinancialsSchema>;

/** One row of a bulk financials import, keyed by account external ref, quarter and business unit code. */
export const financialRowSchema = withGrossProfitRule(
  financialFieldsSchema
    .extend({
      accountRef: externalRefSchema,
      businessUnitCode: z.string().trim().max(40).nullish(),
    })
    .strict(),
);
export type FinancialRow = z.input<typeof financialRowSchema>;
