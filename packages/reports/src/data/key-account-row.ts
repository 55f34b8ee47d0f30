/** A key account as the index lists it, kept in the content store (see snapshot-loader.ts). */
import type { AccountData } from './schemas.ts';

export interface KeyAccountRow {
  externalRef: string;
  name: string;
  tier: NonNullable<AccountData['tier']>['current'];
  health: Pick<NonNullable<AccountData['health']>, 'status' | 'score'> | null;
  plan: { status: NonNullable<AccountData['plan']>['status']; year: number } | null;
  ttmRevenue: string;
  flags: number;
}

/** A row and where the account's full document is in the account documents file. */
export interface StoredKeyAccount extends KeyAccountRow {
  document: number;
}

export function toKeyAccountRow(account: AccountData): KeyAccountRow {
  return {
    externalRef: account.externalRef,
    name: account.name,
    tier: account.tier?.current ?? null,
    health: account.health ? { status: account.health.status, score: account.health.score } : null,
    plan: account.plan ? { status: account.plan.status, year: account.plan.year } : null,
    ttmRevenue: account.ttm.revenue,
    flags: account.flags.length,
  };
}
