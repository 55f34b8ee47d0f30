/**
 * The names of accounts the portfolio document lists (the selection matrix, candidates and
 * reviews, the key accounts' profitability, the flagged accounts), by external reference: the
 * value-journey site pulls only the key accounts' own documents, so an account that is none
 * (such as a group's parent) is named only where the portfolio lists it.
 */
import type { PortfolioData } from './schemas.ts';

const names = new WeakMap<PortfolioData, Map<string, string>>();

/** The name the portfolio gives an account, or undefined when it does not list it. */
export function portfolioAccountName(portfolio: PortfolioData, externalRef: string): string | undefined {
  let byRef = names.get(portfolio);
  if (!byRef) {
    byRef = new Map();
    for (const list of [
      portfolio.selection.matrix,
      portfolio.selection.candidatesWithoutAssessment,
      portfolio.selection.reviewsDue,
      portfolio.profitability.keyAccounts,
      portfolio.flags.accounts,
    ]) {
      for (const account of list)
        if (!byRef.has(account.externalRef)) byRef.set(account.externalRef, account.name);
    }
    names.set(portfolio, byRef);
  }
  return byRef.get(externalRef);
}
