import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/settings.schemas.ts';
import { type KpiFacts, kpiValue } from './kpis.ts';

const group = { accounts: 0, revenue: 0n, priorRevenue: 0n, grossProfit: 0n, priorGrossProfit: 0n };

function facts(over: Partial<KpiFacts>): KpiFacts {
  return {
    quarter: '2026-Q1',
    wholePriorYear: true,
    activeYearEarlier: 0,
    retained: 0,
    activeNow: 0,
    activeGrossProfit: 0n,
    key: group,
    control: group,
    keyByUnit: new Map(),
    surveySum: 0,
    surveyCount: 0,
    feedbackPositive: 0,
    feedbackTotal: 0,
    feedbackAccounts: 0,
    regularFeedbackAccounts: 0,
    adviceRequests: 0,
    adviceAccounts: 0,
    expansionRequests: 0,
    expansionAccounts: 0,
    referrals: 0,
    referralValue: 0n,
    peopleSatisfaction: [],
    marketShare: [],
    won: 0,
    lost: 0,
    wonValue: 0n,
    winByUnit: new Map(),
    wonInQuarter: 0,
    lostInQuarter: 0,
    keyAccounts: 0,
    keyAccountsWithProvenValue: 0,
    ...over,
  };
}

describe('CUSTOMER_LIFETIME_VALUE', () => {
  it('rounds the mean annual gross profit to the cent, half away from zero, not down', () => {
    // 3 active accounts with 1000.00 of TTM gross profit: mean 333.333… → 333.33;
    // with 2000.00: 666.666… → 666.67 (it read 666.66, the cents cut off).
    // Retention 9 of 10 → lifetime 1 ÷ (1 − 0.9) = 10 years; CLV 666.666… × 10 = 6666.67.
    const base = { activeYearEarlier: 10, retained: 9, activeNow: 3 };
    expect(
      kpiValue('CUSTOMER_LIFETIME_VALUE', facts({ ...base, activeGrossProfit: 100_000n }), DEFAULT_SETTINGS)
        .detail.meanAnnualGrossProfit,
    ).toBe('333.33');
    const clv = kpiValue(
      'CUSTOMER_LIFETIME_VALUE',
      facts({ ...base, activeGrossProfit: 200_000n }),
      DEFAULT_SETTINGS,
    );
    expect(clv.detail.meanAnnualGrossProfit).toBe('666.67');
    expect(clv.value).toBe(6666.67);
    // A loss: −2000.00 over 3 → −666.67.
    expect(
      kpiValue('CUSTOMER_LIFETIME_VALUE', facts({ ...base, activeGrossProfit: -200_000n }), DEFAULT_SETTINGS)
        .detail.meanAnnualGrossProfit,
    ).toBe('-666.67');
  });
});
