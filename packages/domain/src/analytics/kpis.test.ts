import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings/settings.schemas.ts';
import { emptyKpiFacts, type KpiFacts, keyVsControlRatio, kpiValue } from './kpis.ts';
import { growth } from './rounding.ts';

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

  it('computes the value exactly from cents and counts: a half cent rounds away from zero', () => {
    // 2 active accounts with 10 000.05 of TTM gross profit: mean 5 000.025; retention 6 of 7 →
    // lifetime 1 ÷ (1 − 6/7) = 7 years; CLV 5 000.025 × 7 = 35 000.175 → 35 000.18
    // (in binary floating point 1 ÷ (1 − 6/7) is 6.999999999999997 and the value read 35 000.17).
    const clv = kpiValue(
      'CUSTOMER_LIFETIME_VALUE',
      facts({ activeYearEarlier: 7, retained: 6, activeNow: 2, activeGrossProfit: 1_000_005n }),
      DEFAULT_SETTINGS,
    );
    expect(clv.value).toBe(35_000.18);
    expect(clv.detail.expectedLifetimeYears).toBe(7);
    // The cap applies exactly too: retention 39 of 40 → 40 years, capped at 20 (the default);
    // 3 accounts with 1000.01 → mean 333.336 666… × 20 = 6666.733… → 6666.73.
    const capped = kpiValue(
      'CUSTOMER_LIFETIME_VALUE',
      facts({ activeYearEarlier: 40, retained: 39, activeNow: 3, activeGrossProfit: 100_001n }),
      DEFAULT_SETTINGS,
    );
    expect([capped.value, capped.detail.expectedLifetimeYears]).toEqual([6666.73, 20]);
    // A cap with decimals (2.5 years): everyone retained → 2.5; 1 account with 0.01 → 0.025 → 0.03.
    const decimalCap = kpiValue(
      'CUSTOMER_LIFETIME_VALUE',
      facts({ activeYearEarlier: 4, retained: 4, activeNow: 1, activeGrossProfit: 1n }),
      { ...DEFAULT_SETTINGS, lifetime: { maxExpectedLifetimeYears: 2.5 } },
    );
    expect([decimalCap.value, decimalCap.detail.expectedLifetimeYears]).toEqual([0.03, 2.5]);
  });
});

describe('year-on-year growth over a loss (negative prior gross profit)', () => {
  it('has the sign of the change: a loss that shrinks is growth, one that deepens is decline', () => {
    // −400.00 → −40.00: +360.00 on a base of 400.00 → +0.9 (it read −0.9, a "decline").
    expect(growth(-4_000n, -40_000n)).toBe(0.9);
    // −40.00 → −400.00: −360.00 on a base of 40.00 → −9.
    expect(growth(-40_000n, -4_000n)).toBe(-9);
    // −100.00 → +100.00: +200.00 on 100.00 → +2.
    expect(growth(10_000n, -10_000n)).toBe(2);
    // A positive base as before: 100.00 → 50.00 → −0.5.
    expect(growth(5_000n, 10_000n)).toBe(-0.5);
  });

  it('gives the key accounts’ gross profit growth in the KPI detail with the same sign', () => {
    const key = {
      accounts: 2,
      revenue: 80_000n,
      priorRevenue: 80_000n,
      grossProfit: -4_000n,
      priorGrossProfit: -40_000n,
    };
    expect(kpiValue('KEY_ACCOUNT_GROWTH', facts({ key }), DEFAULT_SETTINGS).detail.grossProfitGrowth).toBe(
      90,
    );
    expect(
      kpiValue(
        'KEY_ACCOUNT_GROWTH',
        facts({ key: { ...key, revenue: 40_000n, priorRevenue: -10_000n } }),
        DEFAULT_SETTINGS,
      ).value,
    ).toBe(500);
  });

  it('divides the two groups’ growths as they are shown', () => {
    // Key −100.00 → +100.00: +2; control 100.00 → 150.00: +0.5 → ratio 4 (it read −4).
    const key = {
      accounts: 1,
      revenue: 10_000n,
      priorRevenue: -10_000n,
      grossProfit: 0n,
      priorGrossProfit: 0n,
    };
    const control = {
      accounts: 1,
      revenue: 15_000n,
      priorRevenue: 10_000n,
      grossProfit: 0n,
      priorGrossProfit: 0n,
    };
    expect(keyVsControlRatio(key, control)).toBe(4);
  });

  it('has no ratio when the control group did not grow (a ratio to a fall reads backwards)', () => {
    const group = (priorRevenue: bigint, revenue: bigint) => ({
      accounts: 1,
      revenue,
      priorRevenue,
      grossProfit: 0n,
      priorGrossProfit: 0n,
    });
    // Key −10 % against control −5 % would read 2 (on target); key +10 % against −5 %, −2.
    expect(keyVsControlRatio(group(10_000n, 9_000n), group(10_000n, 9_500n))).toBeNull();
    expect(keyVsControlRatio(group(10_000n, 11_000n), group(10_000n, 9_500n))).toBeNull();
    expect(keyVsControlRatio(group(10_000n, 11_000n), group(10_000n, 10_000n))).toBeNull();
    // Both growths stay in the KPI's detail.
    const value = kpiValue(
      'KEY_VS_CONTROL_GROWTH',
      facts({ key: group(10_000n, 9_000n), control: group(10_000n, 9_500n) }),
      DEFAULT_SETTINGS,
    );
    expect(value.value).toBeNull();
    expect(value.detail).toEqual({ keyAccountGrowth: -0.1, controlGroupGrowth: -0.05 });
    // Growing control group: the ratio as before (key +10 % ÷ control +5 % = 2).
    expect(keyVsControlRatio(group(10_000n, 11_000n), group(10_000n, 10_500n))).toBe(2);
  });
});
