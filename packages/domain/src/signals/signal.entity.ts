import { defineEntity, p } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';
import {
  baseProperties,
  decimalProperty,
  moneyProperty,
  quarterProperty,
  versionProperty,
} from '../common/base.properties.ts';
import { MEASUREMENT_KINDS, SENTIMENTS, SIGNAL_KINDS } from '../common/vocabulary.ts';
import { BusinessUnit } from '../organisation/business-unit.entity.ts';
import { Contact } from '../team/contact.entity.ts';

export const CustomerSignalSchema = defineEntity({
  name: 'CustomerSignal',
  indexes: [{ properties: ['quarter', 'kind'] }, { properties: ['account'] }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    externalRef: p.string().length(120).unique(),
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    kind: p.enum(SIGNAL_KINDS),
    occurredOn: p.date(),
    /** The quarter of `occurredOn`, stored for set-based KPI queries. */
    quarter: quarterProperty(),
    /** For feedback: positive, neutral or negative. */
    sentiment: p.enum(SENTIMENTS).nullable(),
    topic: p.string().length(200).nullable(),
    /** For a referral: the value of the business referred. */
    value: moneyProperty().nullable(),
    note: p.text().nullable(),
  },
});
/** A recorded customer signal: feedback, advice request, expansion request or referral (domain §10). */
export class CustomerSignal extends CustomerSignalSchema.class {}
CustomerSignalSchema.setClass(CustomerSignal);

export const SurveyResponseSchema = defineEntity({
  name: 'SurveyResponse',
  indexes: [{ properties: ['quarter'] }, { properties: ['account'] }],
  checks: [{ name: 'survey_response_score_range', expression: 'score >= 1 AND score <= 5' }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    externalRef: p.string().length(120).unique(),
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    contact: () => p.manyToOne(Contact).nullable().deleteRule('set null'),
    respondedOn: p.date(),
    quarter: quarterProperty(),
    /** Satisfaction, 1 (very dissatisfied) to 5 (very satisfied). */
    score: p.integer(),
    comment: p.text().nullable(),
  },
});
/** One customer's answer to a satisfaction survey. */
export class SurveyResponse extends SurveyResponseSchema.class {}
SurveyResponseSchema.setClass(SurveyResponse);

export const MeasurementSchema = defineEntity({
  name: 'OrganisationMeasurement',
  tableName: 'organisation_measurement',
  uniques: [{ properties: ['kind', 'quarter', 'scopeKey'] }],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    kind: p.enum(MEASUREMENT_KINDS),
    quarter: quarterProperty(),
    /** For people satisfaction: the business unit measured. */
    businessUnit: () => p.manyToOne(BusinessUnit).nullable(),
    /**
     * For market share: the served market measured, named as the market's first measurement
     * named it (white space collapsed); see signals/market.ts.
     */
    market: p.string().length(120).nullable(),
    /**
     * `bu:<code>`, `market:<key>` or `all`: one measurement per kind, quarter and scope. A market's
     * key is its name in NFKC, white space collapsed, lower case (`marketScopeKey`), so "DACH"
     * and "dach " are one market.
     */
    scopeKey: p.string().length(160),
    /** The value, 0–100 (an index or a percentage), with up to two decimals. */
    value: decimalProperty(7, 2),
  },
});
/** An organisation-level measurement: people satisfaction or market share (domain §10). */
export class OrganisationMeasurement extends MeasurementSchema.class {}
MeasurementSchema.setClass(OrganisationMeasurement);
