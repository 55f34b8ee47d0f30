/**
 * Astro content loaders for one closed quarter: `portfolio` holds one entry (the snapshot's
 * info and portfolio document), `accounts` one row per key account (when the build renders
 * the value-journey site) with the account's full document in the account documents file
 * beside the store (see account-documents.ts). Both come from one pull through the API (see
 * snapshot-pull.ts), made once per build; the store and that file keep it, so a rebuild of the
 * same revision skips the pull.
 */
import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { reportEnv } from '../env.ts';
import {
  ACCOUNT_DOCUMENTS_FILE,
  accountDocumentsSnapshot,
  writeAccountDocuments,
} from './account-documents.ts';
import { openReportApi } from './api-client.ts';
import { type StoredKeyAccount, toKeyAccountRow } from './key-account-row.ts';
import type { SnapshotInfo } from './schemas.ts';
import { type PulledSnapshot, pullSnapshot, resolveSnapshot } from './snapshot-pull.ts';

export const PORTFOLIO_ENTRY = 'snapshot';

// The integration (loaded with the config) and the content config are different module
// instances in one process: the switch lives on globalThis.
const SYNC_ONLY = Symbol.for('kam.reports.syncOnly');
type Holder = { [SYNC_ONLY]?: boolean };

/** `astro sync` / `astro check` need the collections' types only: the loaders then load nothing. */
export function setSyncOnly(value: boolean): void {
  (globalThis as Holder)[SYNC_ONLY] = value;
}
const syncOnlyNow = () => (globalThis as Holder)[SYNC_ONLY] === true;

let pending: { key: string; pull: Promise<PulledSnapshot> } | undefined;

/** One pull per build, shared by both loaders. */
function pullForBuild(withAccounts: boolean): { key: string; pull: Promise<PulledSnapshot> } {
  const env = reportEnv();
  const key = `${env.apiUrl ?? env.databaseUrl}#${env.quarter ?? 'latest'}#${env.revision ?? 'latest'}#${env.checksum ?? ''}#${withAccounts}`;
  if (pending?.key !== key) {
    const pull = (async () => {
      const api = await openReportApi(env);
      try {
        const info = await resolveSnapshot(api, { quarter: env.quarter, revision: env.revision });
        return await pullSnapshot(
          api,
          { quarter: info.quarter, revision: info.revision },
          { accounts: withAccounts },
        );
      } finally {
        await api.close();
      }
    })();
    pending = { key, pull };
  }
  return pending;
}

/** Whether the store already holds this exact snapshot (same quarter, revision and checksum). */
function cached(context: LoaderContext, wanted: string): boolean {
  return context.meta.get('snapshot') === wanted && context.store.keys().length > 0;
}

// The layout of what the loaders store: a store written by another layout is pulled again.
const STORE_LAYOUT = 2;
const storedKey = (info: Pick<SnapshotInfo, 'quarter' | 'revision' | 'checksum'>, sites: string[]) =>
  `${info.quarter}#${info.revision}#${info.checksum}#${sites.join('+')}#${STORE_LAYOUT}`;

/** The key accounts are pulled only for the value-journey site. */
const withAccounts = () => reportEnv().sites.includes('journey');

/** The account documents file of this build (in its cache folder, next to Astro's store). */
const documentsFile = (context: LoaderContext) =>
  fileURLToPath(new URL(ACCOUNT_DOCUMENTS_FILE, context.config.cacheDir));

function wantedKey(): string | undefined {
  const env = reportEnv();
  // Only a pinned revision with its checksum can be trusted from the cache (build.ts pins
  // both): revision 1 of a quarter in a recreated database is a different snapshot.
  return env.quarter && env.revision && env.checksum
    ? storedKey({ quarter: env.quarter, revision: env.revision, checksum: env.checksum }, env.sites)
    : undefined;
}

export function snapshotLoaders(): { portfolio: Loader; accounts: Loader } {
  const portfolio: Loader = {
    name: 'kam-snapshot-portfolio',
    async load(context) {
      if (syncOnlyNow()) return;
      const wanted = wantedKey();
      if (wanted && cached(context, wanted)) {
        context.logger.info(`${wanted}: portfolio from the content cache`);
        return;
      }
      const accounts = withAccounts();
      const { info, portfolio: document, requests } = await pullForBuild(accounts).pull;
      context.store.clear();
      context.store.set({
        id: PORTFOLIO_ENTRY,
        data: {
          info,
          portfolio: document,
          accountDocuments: accounts ? documentsFile(context) : null,
        } as Record<string, unknown>,
      });
      context.meta.set('snapshot', storedKey(info, reportEnv().sites));
      context.logger.info(`${info.quarter} revision ${info.revision}: pulled in ${requests} request(s)`);
    },
  };
  const accounts: Loader = {
    name: 'kam-snapshot-accounts',
    async load(context) {
      if (syncOnlyNow()) return;
      if (!withAccounts()) {
        context.store.clear();
        return;
      }
      const file = documentsFile(context);
      const wanted = wantedKey();
      if (wanted && cached(context, wanted) && (await accountDocumentsSnapshot(file)) === wanted) return;
      const { info, accounts: documents } = await pullForBuild(true).pull;
      const key = storedKey(info, reportEnv().sites);
      await writeAccountDocuments(file, key, documents);
      context.store.clear();
      documents.forEach((account, document) => {
        const row: StoredKeyAccount = { ...toKeyAccountRow(account), document };
        context.store.set({ id: account.externalRef, data: row as unknown as Record<string, unknown> });
      });
      context.meta.set('snapshot', key);
    },
  };
  return { portfolio, accounts };
}
