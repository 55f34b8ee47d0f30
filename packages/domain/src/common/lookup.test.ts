import { describe, expect, it } from 'vitest';
import { yearsScore } from '../analytics/selection.ts';
import { planFreshness } from '../testing/health.ts';
import { addMonths, monthsBetween } from './lookup.ts';

describe('monthsBetween', () => {
  it('counts a month once its day is reached', () => {
    expect(monthsBetween('2026-01-15', '2026-04-14')).toBe(2);
    expect(monthsBetween('2026-01-15', '2026-04-15')).toBe(3);
    expect(monthsBetween('2026-01-01', '2026-03-31')).toBe(2);
  });

  it('counts a whole month to the last day of a shorter month, as addMonths does', () => {
    // addMonths clamps: 2025-03-31 + 3 months = 2025-06-30, + 6 = 2025-09-30. Counting back must agree:
    // from 31 March to 30 September is six whole months, not five.
    expect(addMonths('2025-03-31', 6)).toBe('2025-09-30');
    expect(monthsBetween('2025-03-31', '2025-09-30')).toBe(6);
    expect(monthsBetween('2025-03-31', '2025-06-30')).toBe(3);
    expect(monthsBetween('2025-08-31', '2026-02-28')).toBe(6);
    expect(monthsBetween('2024-02-29', '2025-02-28')).toBe(12);
    // Not the month's last day: the month is not complete yet.
    expect(monthsBetween('2025-03-31', '2025-09-29')).toBe(5);
    expect(monthsBetween('2025-01-30', '2025-02-28')).toBe(1);
    // For every pair, monthsBetween(d, addMonths(d, n)) = n.
    for (const from of ['2025-01-31', '2025-03-30', '2025-05-31', '2025-08-29', '2024-02-29']) {
      for (let n = 0; n <= 24; n++)
        expect([from, n, monthsBetween(from, addMonths(from, n))]).toEqual([from, n, n]);
    }
  });

  it('gives the health plan freshness of a review made on the 31st the same months as the flag', () => {
    // Last review 2025-03-31, cadence 3: the next was due 2025-06-30 (addMonths), and on 2025-09-30
    // it is six months old = twice the cadence → freshness 0 (it read 5 months and 33.3).
    const freshness = planFreshness(
      { lastReviewOn: '2025-03-31', planStartsOn: '2025-01-01', planApprovedOn: '2025-01-20' },
      '2025-09-30',
    );
    expect(freshness.value).toBe(0);
    expect(freshness.explanation).toBe(
      'Last execution review 2025-03-31, 6 months before 2025-09-30; reviews are due every 3 months (next by 2025-06-30).',
    );
  });

  it('gives a customer since the 31st whole years at a quarter ending on the 30th', () => {
    // Customer since 2021-03-31; on 2026-06-30 that is 63 whole months = 5.25 years of 10 → 52.5.
    expect(yearsScore('2021-03-31', '2026-06-30', 10)).toBe(52.5);
  });
});
