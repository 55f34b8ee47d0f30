/** What the pages read: the snapshot of the build, and its key accounts. */
import { getCollection } from 'astro:content';
import { AccountDocuments } from './account-documents.ts';
import type { KeyAccountRow, StoredKeyAccount } from './key-account-row.ts';
import type { AccountData, PortfolioData, SnapshotInfo } from './schemas.ts';

export type { KeyAccountRow } from './key-account-row.ts';

export interface ReportSnapshot {
  info: SnapshotInfo;
  portfolio: PortfolioData;
}

interface StoredSnapshot extends ReportSnapshot {
  /** The account documents file (value-journey site), null for the KPI site. */
  accountDocuments: string | null;
}

let snapshot: StoredSnapshot | undefined;
async function storedSnapshot(): Promise<StoredSnapshot> {
  if (snapshot) return snapshot;
  // The collection holds one entry (see snapshot-loader.ts). Not imported from the loader by
  // id: the pages must not pull the loader and its API client into their bundle.
  const [entry] = await getCollection('portfolio');
  if (!entry) throw new Error('The build has no snapshot: the content loader did not run or found nothing.');
  snapshot = entry.data as unknown as StoredSnapshot;
  return snapshot;
}

export async function getSnapshot(): Promise<ReportSnapshot> {
  const { info, portfolio } = await storedSnapshot();
  return { info, portfolio };
}

let accounts: Promise<Map<string, StoredKeyAccount>> | undefined;
/** The key accounts' rows in external-ref order. */
function accountRows(): Promise<Map<string, StoredKeyAccount>> {
  accounts ??= getCollection('accounts').then(entries => {
    const list = entries.map(entry => entry.data as unknown as StoredKeyAccount);
    list.sort((a, b) => (a.externalRef < b.externalRef ? -1 : a.externalRef > b.externalRef ? 1 : 0));
    return new Map(list.map(row => [row.externalRef, row]));
  });
  return accounts;
}

let documents: Promise<AccountDocuments> | undefined;
function accountDocuments(): Promise<AccountDocuments> {
  documents ??= storedSnapshot().then(({ accountDocuments: file }) => {
    if (!file) throw new Error('This site has no key account documents (only the value-journey site does).');
    return AccountDocuments.load(file);
  });
  return documents;
}

export async function getKeyAccounts(): Promise<KeyAccountRow[]> {
  return [...(await accountRows()).values()].map(({ document: _, ...row }) => row);
}

/** A key account's list row (its name among others), or undefined when it is no key account of the snapshot. */
export async function findKeyAccount(externalRef: string): Promise<KeyAccountRow | undefined> {
  const row = (await accountRows()).get(externalRef);
  if (!row) return undefined;
  const { document: _, ...listed } = row;
  return listed;
}

/** One key account's full document, read when its page renders. */
export async function getKeyAccount(externalRef: string): Promise<AccountData> {
  const row = (await accountRows()).get(externalRef);
  if (!row) throw new Error(`The snapshot has no key account ${externalRef}.`);
  const account = (await accountDocuments()).get(row.document);
  if (account.externalRef !== externalRef) {
    throw new Error(`The account documents file does not match the content store (${externalRef}).`);
  }
  return account;
}
