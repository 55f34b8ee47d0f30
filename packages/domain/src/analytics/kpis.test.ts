import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/settings.schemas.ts';
import { emptyKpiFacts, type KpiFacts, kpiValue } from './kpis.ts';

function facts(over: Partial<KpiFacts>): KpiFacts {
  return { ...emptyKpiFacts('2026-Q1', true), ...over };
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
