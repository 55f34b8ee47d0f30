import { defineEntity, p } from '@mikro-orm/core';
import {
  baseProperties,
  moneyProperty,
  quarterProperty,
  versionProperty,
} from '../common/base.properties.ts';
import { BusinessUnit } from '../organisation/business-unit.entity.ts';
import { Account } from './account.entity.ts';

export const QuarterlyFinancialSchema = defineEntity({
  name: 'QuarterlyFinancial',
  indexes: [{ properties: ['quarter', 'account'] }, { properties: ['businessUnit', 'quarter'] }],
  uniques: [
    // One line per account, quarter and business unit …
    { name: 'quarterly_financial_unit_unique', properties: ['account', 'quarter', 'businessUnit'] },
    // … or one account-level line when the figures are not split by unit.
    {
      name: 'quarterly_financial_total_unique',
      properties: ['account', 'quarter'],
      where: { businessUnit: null },
    },
  ],
  properties: {
    ...baseProperties(),
    version: versionProperty(),
    account: () => p.manyToOne(Account).deleteRule('cascade'),
    quarter: quarterProperty(),
    /** The business unit the figures are booked to; null when the source does not split them. */
    businessUnit: () => p.manyToOne(BusinessUnit).nullable(),
    revenue: moneyProperty(),
    grossProfit: moneyProperty(),
    costToServe: moneyProperty(),
    /** The estimated potential wallet in the quarter (what the customer could buy from us). */
    potential: moneyProperty().nullable(),
    /** The price premium earned over a reference price, where known. */
    pricePremium: moneyProperty().nullable(),
  },
});

/** An account's revenue, gross profit, cost-to-serve and potential for one quarter (domain §9). */
export class QuarterlyFinancial extends QuarterlyFinancialSchema.class {}
QuarterlyFinancialSchema.setClass(QuarterlyFinancial);
