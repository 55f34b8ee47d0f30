/**
 * The rounding rules of the snapshot contract (snapshot.types.ts), in one place:
 * - shares, rates and growth ratios: 4 decimals, computed exactly from integers where the
 *   inputs are integers (cents or counts), rounded half away from zero;
 * - scores 0–100: 1 decimal; KPI values: 2 decimals (in the KPI's unit);
 * - money: exact cents, written as decimal strings.
 */

/** Rounds `value` to `decimals` places, half away from zero; -0 becomes 0. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const scaled = Math.abs(value) * factor;
  // A relative nudge absorbs the binary error of values such as 1.005 (= 1.00499999…).
  const rounded = Math.round(scaled * (1 + 2 * Number.EPSILON)) / factor;
  const signed = value < 0 ? -rounded : rounded;
  return signed === 0 ? 0 : signed;
}

/**
 * Non-negative `values` rounded to `decimals` places so that they add up to their total
 * rounded the same way (largest remainders: each is rounded down, and the units left go to the
 * largest remainders, the earlier value first on a tie). Shown side by side with their total,
 * they add up: 17.647 + 11.765 + 17.647 + 17.647 + 15.441 = 80.147 is 17.7 + 11.8 + 17.6 + 17.6 +
 * 15.4 = 80.1, where rounding each alone gives 80.0.
 */
export function roundToTotal(values: readonly number[], decimals: number): number[] {
  const factor = 10 ** decimals;
  const units = Math.round(
    round(
      values.reduce((sum, v) => sum + v, 0),
      decimals,
    ) * factor,
  );
  // The nudge of `round` keeps a value such as 17.6 (= 175.99999… tenths) from losing a unit.
  const scaled = values.map(v => v * factor * (1 + 2 * Number.EPSILON));
  const floors = scaled.map(Math.floor);
  let left = units - floors.reduce((sum, f) => sum + f, 0);
  const order = scaled
    .map((_, i) => i)
    .sort((a, b) => scaled[b]! - floors[b]! - (scaled[a]! - floors[a]!) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return floors.map(f => f / factor);
}

export function roundOrNull(value: number | null | undefined, decimals: number): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : round(value, decimals);
}

/** numerator ÷ denominator to `decimals` places, exact on integers, half away from zero; null when the denominator is 0. */
export function exactRatio(
  numerator: bigint | number,
  denominator: bigint | number,
  decimals = 4,
): number | null {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  if (d === 0n) return null;
  const negative = n < 0n !== d < 0n && n !== 0n;
  const an = absolute(n);
  const ad = absolute(d);
  const factor = 10n ** BigInt(decimals);
  const q = (2n * an * factor + ad) / (2n * ad);
  const value = Number(q) / Number(factor);
  return negative && value !== 0 ? -value : value;
}

/** `cents` ÷ `divisor` to the whole cent, half away from zero (bigint division alone cuts the cents off). */
export function divideCents(cents: bigint, divisor: bigint): bigint {
  const negative = cents < 0n !== divisor < 0n;
  const d = absolute(divisor);
  const q = (2n * absolute(cents) + d) / (2n * d);
  return negative ? -q : q;
}

/** |value|, for the base of a growth rate. */
export function absolute(value: bigint): bigint {
  return value < 0n ? -value : value;
}

/**
 * Year-on-year growth (current − prior) ÷ |prior|, 4 decimals; null when prior is 0. Over the
 * base's size, so that the sign is the change's: a loss that shrinks (−400 → −40) grows by 0.9,
 * one that deepens falls (÷ prior it read the other way round).
 */
export function growth(current: bigint, prior: bigint): number | null {
  return exactRatio(current - prior, absolute(prior));
}

/** The same growth in per cent with 2 decimals (KPI values): 0.1234 → 12.34. */
export function growthPercent(current: bigint, prior: bigint): number | null {
  return exactRatio((current - prior) * 100n, absolute(prior), 2);
}

/**
 * Year-on-year growth as `growth` gives it, but null when the financial data does not hold the
 * whole prior year (period.ts `hasWholePriorYear`): a year against part of one is no growth.
 */
export function yearOnYearGrowth(current: bigint, prior: bigint, wholePriorYear: boolean): number | null {
  return wholePriorYear ? growth(current, prior) : null;
}

/**
 * A margin (gross profit or contribution ÷ revenue, 4 decimals); null unless revenue is positive:
 * over no or negative revenue the signs cancel, and a loss (−39.85 of −99.90) would read as a
 * healthy 39.9 %.
 */
export function margin(amount: bigint, revenue: bigint): number | null {
  return revenue > 0n ? exactRatio(amount, revenue) : null;
}

/** A share as a percentage (0–100) with 2 decimals, exact on integers; null when the denominator is 0. */
export function percent(numerator: bigint | number, denominator: bigint | number): number | null {
  return exactRatio(BigInt(numerator) * 100n, BigInt(denominator), 2);
}

/** A score 0–100 with 1 decimal. */
export function score(value: number): number {
  return round(value, 1);
}

/**
 * The effective weights of health components (domain §6; here for the report sites as well), in their order, 1 decimal: 0 for a
 * component without data (value null), whose weight is shared among the others in proportion to
 * their weights (weight × 100 ÷ the weights of the components with data), rounded by largest
 * remainders (`roundToTotal`) so that they add up to 100.0: weights 20, 20, 15, 15, 15 of 85 are
 * 23.529, 23.529, 17.647 × 3 → 23.5, 23.5, 17.7, 17.7, 17.6 (rounded alone 99.8). All 0 when the
 * components with data weigh nothing.
 */
export function effectiveWeights(components: readonly { value: number | null; weight: number }[]): number[] {
  const present = components.reduce((sum, c) => sum + (c.value === null ? 0 : c.weight), 0);
  return roundToTotal(
    components.map(c => (c.value === null || present === 0 ? 0 : (c.weight * 100) / present)),
    1,
  );
}
