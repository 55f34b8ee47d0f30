import type { EntityManager } from '@mikro-orm/core';
import { fromCents } from '../common/money.ts';
import type { ParetoPoint, ParetoSummary } from '../snapshots/snapshot.types.ts';
import { type AccountBaseRow, loadAccountBase } from './account-base.ts';
import { exactRatio } from './rounding.ts';
import { compareText } from './sql.ts';

export type ParetoBasis = 'REVENUE' | 'GROSS_PROFIT';

/**
 * The Pareto view (domain §2) over accounts' values: only positive values are ranked,
 * largest first (ties by external ref).
 * - `accountsFor80Percent`: the smallest k whose cumulative value is ≥ 80 % of the total
 *   (compared exactly in cents: 10 × cumulative ≥ 8 × total);
 * - `top20PercentShare`: the share of the total made by the top ⌈n ÷ 5⌉ accounts;
 * - `curve`: for i = 0 … 100 the point after k = ⌈i × n ÷ 100⌉ accounts (duplicates dropped),
 *   so it starts at (0, 0) and ends at exactly (1, 1).
 */
export function paretoOf(
  values: { externalRef: string; value: bigint }[],
  basis: ParetoBasis,
): ParetoSummary {
  const ranked = values
    .filter(v => v.value > 0n)
    .sort((a, b) =>
      a.value > b.value ? -1 : a.value < b.value ? 1 : compareText(a.externalRef, b.externalRef),
    );
  const n = ranked.length;
  const cumulative: bigint[] = [0n];
  for (const v of ranked) cumulative.push(cumulative[cumulative.length - 1]! + v.value);
  const total = cumulative[n]!;
  let k80 = 0;
  if (n > 0) {
    k80 = n;
    for (let k = 1; k <= n; k++) {
      if (10n * cumulative[k]! >= 8n * total) {
        k80 = k;
        break;
      }
    }
  }
  const top = Math.ceil(n / 5);
  const curve: ParetoPoint[] = [];
  if (n > 0) {
    let last = -1;
    for (let i = 0; i <= 100; i++) {
      const k = Math.floor((i * n + 99) / 100);
      if (k === last) continue;
      last = k;
      curve.push({ accountShare: exactRatio(k, n)!, cumulativeShare: exactRatio(cumulative[k]!, total)! });
    }
  }
  return {
    basis,
    total: fromCents(total),
    rankedAccounts: n,
    accountsFor80Percent: k80,
    accountShareFor80Percent: exactRatio(k80, n),
    top20PercentShare: n === 0 ? null : exactRatio(cumulative[top]!, total),
    curve,
  };
}

/** The Pareto view of a quarter by TTM revenue or TTM gross profit. */
export async function computePareto(
  em: EntityManager,
  quarter: string,
  basis: ParetoBasis = 'REVENUE',
  base?: AccountBaseRow[],
): Promise<ParetoSummary> {
  const rows = base ?? (await loadAccountBase(em, quarter));
  return paretoOf(
    rows.map(r => ({
      externalRef: r.externalRef,
      value: basis === 'REVENUE' ? r.ttmRevenue : r.ttmGrossProfit,
    })),
    basis,
  );
}
