/** A key account as the index lists it, kept in the content store (see snapshot-loader.ts). */
import type { AccountData } from './schemas.ts';
import { PLAN_STATUSES } from './vocabulary.ts';

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

const HEALTH_ORDER = { RED: 0, AMBER: 1, GREEN: 2 } as const;

/**
 * The `data-sort` keys of the key-account list's health and plan columns (client/tables.ts
 * compares them as numbers): health worst first (red, amber, green), then by score; plans by
 * status in their lifecycle order (no plan first), then by year, so "Approved 2025" comes
 * before "Approved 2026".
 */
export function keyAccountSortKeys(row: Pick<KeyAccountRow, 'health' | 'plan'>): {
  health: string;
  plan: string;
} {
  return {
    health: row.health
      ? String(HEALTH_ORDER[row.health.status] * 10_000 + Math.round(row.health.score * 10))
      : '',
    plan: row.plan ? String((PLAN_STATUSES.indexOf(row.plan.status) + 1) * 10_000 + row.plan.year) : '0',
  };
}
