import type { EntityManager } from '@mikro-orm/core';
import { fromCents } from '../common/money.ts';
import type { ProfitabilitySummary, SizeBand } from '../snapshots/snapshot.types.ts';
import { type AccountBaseRow, loadAccountBase } from './account-base.ts';
import { margin } from './rounding.ts';

/** Contribution = gross profit − cost-to-serve (domain §9). */
export function contributionOf(row: Pick<AccountBaseRow, 'ttmGrossProfit' | 'ttmCostToServe'>): bigint {
  return row.ttmGrossProfit - row.ttmCostToServe;
}

/**
 * Margin against size (domain §9): the active accounts in ten size bands by TTM revenue
 * (`ntile(10)` in SQL, largest first; ties by external ref) with their revenue, gross
 * profit, contribution and margins; and the key accounts' revenue and contribution margin.
 */
export function summariseProfitability(base: AccountBaseRow[]): ProfitabilitySummary {
  const bands = new Map<number, { accounts: number; rev: bigint; gp: bigint; contribution: bigint }>();
  for (const row of base) {
    if (row.sizeDecile === null) continue;
    const b = bands.get(row.sizeDecile) ?? { accounts: 0, rev: 0n, gp: 0n, contribution: 0n };
    b.accounts += 1;
    b.rev += row.ttmRevenue;
    b.gp += row.ttmGrossProfit;
    b.contribution += contributionOf(row);
    bands.set(row.sizeDecile, b);
  }
  const bySize: SizeBand[] = [...bands.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([decile, b]) => ({
      decile,
      accounts: b.accounts,
      ttmRevenue: fromCents(b.rev),
      ttmGrossProfit: fromCents(b.gp),
      ttmContribution: fromCents(b.contribution),
      grossMargin: margin(b.gp, b.rev),
      contributionMargin: margin(b.contribution, b.rev),
    }));
  const keyAccounts = base
    .filter(r => r.designationId !== null)
    .map(r => ({
      accountId: r.id,
      externalRef: r.externalRef,
      name: r.name,
      ttmRevenue: fromCents(r.ttmRevenue),
      contributionMargin: margin(contributionOf(r), r.ttmRevenue),
    }));
  return { bySize, keyAccounts };
}

export async function computeProfitability(
  em: EntityManager,
  quarter: string,
): Promise<ProfitabilitySummary> {
  return summariseProfitability(await loadAccountBase(em, quarter));
}
