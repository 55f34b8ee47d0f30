import { z } from 'zod';
import {
  externalRefSchema,
  isoDateSchema,
  moneySchema,
  nameSchema,
  nonNegativeMoneySchema,
  optionalText,
  quarterSchema,
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

/** One quarter's figures for an account (and business unit, when split). Money is exact. */
export const financialFieldsSchema = z.object({
  quarter: quarterSchema,
  revenue: moneySchema,
  grossProfit: moneySchema,
  costToServe: nonNegativeMoneySchema,
  potential: nonNegativeMoneySchema.nullish(),
  pricePremium: moneySchema.nullish(),
});

export const recordFinancialsSchema = financialFieldsSchema.extend({
  accountId: z.number().int().positive(),
  businessUnitId: z.number().int().positive().nullish(),
  /** Required when the line already exists (an update). */
  expectedVersion: versionSchema.optional(),
});
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
export const financialRowSchema = financialFieldsSchema
  .extend({
    accountRef: externalRefSchema,
    businessUnitCode: z.string().trim().max(40).nullish(),
  })
  .strict();
export type FinancialRow = z.input<typeof financialRowSchema>;
