/** What the pages read: the snapshot of the build, and its key accounts. */
import { getCollection } from 'astro:content';
import type { AccountData, PortfolioData, SnapshotInfo } from './schemas.ts';

export interface ReportSnapshot {
  info: SnapshotInfo;
  portfolio: PortfolioData;
}

/** A key account as the index lists it. */
export interface KeyAccountRow {
  externalRef: string;
  name: string;
  tier: NonNullable<AccountData['tier']>['current'];
  health: Pick<NonNullable<AccountData['health']>, 'status' | 'score'> | null;
  plan: { status: NonNullable<AccountData['plan']>['status']; year: number } | null;
  ttmRevenue: string;
  flags: number;
}

let snapshot: ReportSnapshot | undefined;
export async function getSnapshot(): Promise<ReportSnapshot> {
  if (snapshot) return snapshot;
  // The collection holds one entry (see snapshot-loader.ts). Not imported from the loader by
  // id: the pages must not pull the loader and its API client into their bundle.
  const [entry] = await getCollection('portfolio');
  if (!entry) throw new Error('The build has no snapshot: the content loader did not run or found nothing.');
  snapshot = entry.data as unknown as ReportSnapshot;
  return snapshot;
}

let accounts: Map<string, AccountData> | undefined;
async function accountMap(): Promise<Map<string, AccountData>> {
  if (!accounts) {
    const entries = await getCollection('accounts');
    const list = entries.map(entry => entry.data as unknown as AccountData);
    list.sort((a, b) => (a.externalRef < b.externalRef ? -1 : a.externalRef > b.externalRef ? 1 : 0));
    accounts = new Map(list.map(account => [account.externalRef, account]));
  }
  return accounts;
}

export async function getKeyAccounts(): Promise<KeyAccountRow[]> {
  return [...(await accountMap()).values()].map(account => ({
    externalRef: account.externalRef,
    name: account.name,
    tier: account.tier?.current ?? null,
    health: account.health ? { status: account.health.status, score: account.health.score } : null,
    plan: account.plan ? { status: account.plan.status, year: account.plan.year } : null,
    ttmRevenue: account.ttm.revenue,
    flags: account.flags.length,
  }));
}

export async function getKeyAccount(externalRef: string): Promise<AccountData> {
  const account = (await accountMap()).get(externalRef);
  if (!account) throw new Error(`The snapshot has no key account ${externalRef}.`);
  return account;
}
