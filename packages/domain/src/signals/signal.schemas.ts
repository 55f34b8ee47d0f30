import { z } from 'zod';
import { happenedOn } from '../common/dated.ts';
import { quarterOf } from '../common/quarter.ts';
import {
  externalRefSchema,
  isoDateSchema,
  nonNegativeMoneySchema,
  optionalText,
  quarterSchema,
  ruled,
  ruleIssue,
} from '../common/validation.ts';
import { MEASUREMENT_KINDS, SENTIMENTS, SIGNAL_KINDS } from '../common/vocabulary.ts';

/** Why a signal is not dated after today (`assertNotAfterToday`). */
export const SIGNAL_HAPPENED = 'a signal is recorded once it has happened';
/** Why a survey response is not dated after today (`assertNotAfterToday`). */
export const SURVEY_GIVEN = 'a survey response is recorded once it has been given';

const signalFields = {
  kind: z.enum(SIGNAL_KINDS),
  occurredOn: isoDateSchema,
  sentiment: z.enum(SENTIMENTS).nullish(),
  topic: optionalText(200),
  /** A referral's value: the business it brought, never negative. */
  value: nonNegativeMoneySchema.nullish(),
  note: optionalText(20_000),
};

function signalRules(
  row: { kind: string; sentiment?: string | null; value?: string | null },
  ctx: z.RefinementCtx,
) {
  if (row.kind === 'FEEDBACK' && !row.sentiment) {
    ctx.addIssue(
      ruleIssue(
        'SIGNAL_SENTIMENT_REQUIRED',
        ['sentiment'],
        'feedback needs a sentiment: POSITIVE, NEUTRAL or NEGATIVE',
      ),
    );
  }
  if (row.kind !== 'FEEDBACK' && row.sentiment) {
    ctx.addIssue(
      ruleIssue('SIGNAL_SENTIMENT_NOT_ALLOWED', ['sentiment'], 'only FEEDBACK carries a sentiment'),
    );
  }
  if (row.kind !== 'REFERRAL' && row.value != null) {
    ctx.addIssue(ruleIssue('SIGNAL_VALUE_NOT_ALLOWED', ['value'], 'only a REFERRAL carries a value'));
  }
}

export const recordSignalSchema = z
  .object({
    accountId: z.number().int().positive(),
    externalRef: externalRefSchema.optional(),
    ...signalFields,
  })
  .superRefine(signalRules);
export type RecordSignalInput = z.input<typeof recordSignalSchema>;

/** One row of a bulk `recordSignals`, keyed by `externalRef`. */
export const signalRowSchema = z
  .object({
    externalRef: externalRefSchema,
    accountRef: externalRefSchema,
    ...signalFields,
    occurredOn: happenedOn('occurredOn', SIGNAL_HAPPENED),
  })
  .strict()
  .superRefine(signalRules);
export type SignalRow = z.input<typeof signalRowSchema>;

/** What is stored of a signal, from either the single or the bulk input. */
export function signalValues(
  data: Pick<
    z.output<typeof signalRowSchema>,
    'kind' | 'occurredOn' | 'sentiment' | 'topic' | 'value' | 'note'
  >,
) {
  return {
    kind: data.kind,
    occurredOn: data.occurredOn,
    quarter: quarterOf(data.occurredOn),
    sentiment: data.sentiment ?? null,
    topic: data.topic ?? null,
    value: data.value ?? null,
    note: data.note ?? null,
  };
}

const surveyScore = z
  .number({ error: 'must be a whole number from 1 to 5' })
  .refine(v => Number.isInteger(v) && v >= 1 && v <= 5, {
    message: 'must be a whole number from 1 to 5',
    params: { code: 'SCORE_OUT_OF_RANGE' },
  });

const surveyFields = {
  respondedOn: isoDateSchema,
  score: surveyScore,
  comment: optionalText(20_000),
};

export const recordSurveySchema = z.object({
  accountId: z.number().int().positive(),
  contactId: z.number().int().positive().nullish(),
  externalRef: externalRefSchema.optional(),
  ...surveyFields,
});
export type RecordSurveyInput = z.input<typeof recordSurveySchema>;

/** One row of a bulk `recordSurveyResponses`, keyed by `externalRef`. */
export const surveyRowSchema = z
  .object({
    externalRef: externalRefSchema,
    accountRef: externalRefSchema,
    contactRef: externalRefSchema.nullish(),
    ...surveyFields,
    respondedOn: happenedOn('respondedOn', SURVEY_GIVEN),
  })
  .strict();
export type SurveyRow = z.input<typeof surveyRowSchema>;

export const recordMeasurementSchema = z
  .object({
    kind: z.enum(MEASUREMENT_KINDS),
    quarter: quarterSchema,
    businessUnitId: z.number().int().positive().nullish(),
    // Blank is no market, as any optional text; MARKET_SHARE then says it needs one.
    market: optionalText(120),
    value: ruled(
      z.union([z.string(), z.number()]).transform(v => String(v).trim()),
      v => /^\d{1,3}(\.\d{1,2})?$/.test(v) && Number(v) <= 100,
      'INVALID_PERCENTAGE',
      'must be a value from 0 to 100 with at most two decimals',
    ).transform(v => Number(v).toFixed(2)),
    expectedVersion: z.number().int().min(1).optional(),
  })
  .superRefine((m, ctx) => {
    // Each KPI is a mean over its scopes (domain.md §10): a value without one would be mixed in
    // with no unit or market to stand for. A scope sent in the other field is one issue, at that
    // field, saying where it goes.
    if (m.kind === 'PEOPLE_SATISFACTION' && m.market) {
      ctx.addIssue(
        ruleIssue(
          'MEASUREMENT_MARKET_NOT_ALLOWED',
          ['market'],
          m.businessUnitId
            ? 'people satisfaction is measured per business unit, not per market: leave out market'
            : 'people satisfaction is measured per business unit, not per market: send businessUnitId instead',
        ),
      );
    } else if (m.kind === 'PEOPLE_SATISFACTION' && !m.businessUnitId) {
      ctx.addIssue(
        ruleIssue(
          'MEASUREMENT_BUSINESS_UNIT_REQUIRED',
          ['businessUnitId'],
          'people satisfaction is recorded per business unit: name the business unit it was measured in',
        ),
      );
    }
    if (m.kind === 'MARKET_SHARE' && m.businessUnitId) {
      ctx.addIssue(
        ruleIssue(
          'MEASUREMENT_BUSINESS_UNIT_NOT_ALLOWED',
          ['businessUnitId'],
          m.market
            ? 'market share is measured per market, not per business unit: leave out businessUnitId'
            : 'market share is measured per market, not per business unit: send market instead',
        ),
      );
    } else if (m.kind === 'MARKET_SHARE' && !m.market) {
      ctx.addIssue(
        ruleIssue(
          'MEASUREMENT_MARKET_REQUIRED',
          ['market'],
          'market share is recorded per market: name the market it was measured in',
        ),
      );
    }
  });
export type RecordMeasurementInput = z.input<typeof recordMeasurementSchema>;
