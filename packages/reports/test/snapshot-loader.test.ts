/**
 * The Astro content loaders, called as Astro calls them (a store, a meta store and a logger)
 * against the GraphQL stub: what they store, when the content cache spares the pull, and that
 * `astro sync` / `astro check` never reach an API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoaderContext } from 'astro/loaders';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccountDocuments } from '../src/data/account-documents.ts';
import type { StoredKeyAccount } from '../src/data/key-account-row.ts';
import { setSyncOnly, snapshotLoaders } from '../src/data/snapshot-loader.ts';
import type { SnapshotFixture } from './fixtures/make-fixture.ts';
import { loadFixture } from './support/fixture.ts';
import { type GraphQLStub, startGraphQLStub } from './support/graphql-stub.ts';

const scratch = mkdtempSync(join(tmpdir(), 'kam-loader-'));
let builds = 0;
/** A fresh cache folder, as Astro gives one build (shared by its collections). */
function cacheFolder(): URL {
  builds += 1;
  return pathToFileURL(join(scratch, `build-${builds}/`));
}

/** A store, meta store and logger like the ones Astro hands a loader, kept between calls. */
function fakeContext(collection: string, cacheDir: URL = cacheFolder()) {
  const entries = new Map<string, Record<string, unknown>>();
  const meta = new Map<string, string>();
  const logs: string[] = [];
  const context = {
    collection,
    config: { cacheDir },
    store: {
      clear: () => entries.clear(),
      set: (entry: { id: string; data: Record<string, unknown> }) => {
        entries.set(entry.id, entry.data);
        return true;
      },
      keys: () => [...entries.keys()],
    },
    meta: {
      get: (key: string) => meta.get(key),
      set: (key: string, value: string) => meta.set(key, value),
      has: (key: string) => meta.has(key),
      delete: (key: string) => meta.delete(key),
    },
    logger: {
      info: (message: string) => logs.push(message),
      warn: (message: string) => logs.push(message),
      error: (message: string) => logs.push(message),
      debug: () => {},
    },
  };
  return { context: context as unknown as LoaderContext, entries, logs };
}

/** The fixture as another snapshot of the same quarter and revision (a recreated database). */
function sameRevisionOtherData(keyAccounts: number): SnapshotFixture {
  const fixture = loadFixture();
  const keys = fixture.accounts.filter(account => account.isKeyAccount).slice(0, keyAccounts);
  return { ...fixture, info: { ...fixture.info, checksum: 'sha256:recreated' }, accounts: keys };
}

const ENV_KEYS = [
  'KAM_API_URL',
  'KAM_API_TOKEN',
  'KAM_REPORT_QUARTER',
  'KAM_REPORT_REVISION',
  'KAM_REPORT_CHECKSUM',
  'KAM_REPORT_SITES',
] as const;
const saved = Object.fromEntries(ENV_KEYS.map(key => [key, process.env[key]]));
function setEnv(values: Partial<Record<(typeof ENV_KEYS)[number], string>>) {
  for (const key of ENV_KEYS) {
    const value = values[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

describe('the snapshot content loaders', () => {
  let stub: GraphQLStub;
  let other: GraphQLStub;
  const fixture = loadFixture();
  const keyAccounts = fixture.accounts.filter(account => account.isKeyAccount).length;

  beforeAll(async () => {
    stub = await startGraphQLStub({ snapshots: [fixture] });
    other = await startGraphQLStub({ snapshots: [sameRevisionOtherData(3)] });
  });
  afterEach(() => setSyncOnly(false));
  afterAll(async () => {
    setEnv(saved);
    rmSync(scratch, { recursive: true, force: true });
    await stub.close();
    await other.close();
  });

  const pinned = (api: GraphQLStub, checksum: string, site = 'journey') =>
    setEnv({
      KAM_API_URL: api.url,
      KAM_API_TOKEN: api.token,
      KAM_REPORT_QUARTER: fixture.info.quarter,
      KAM_REPORT_REVISION: String(fixture.info.revision),
      KAM_REPORT_CHECKSUM: checksum,
      KAM_REPORT_SITES: site,
    });

  it('store the snapshot and its key accounts, and skip the pull when the store holds that snapshot', async () => {
    const loaders = snapshotLoaders();
    const cacheDir = cacheFolder();
    const portfolio = fakeContext('portfolio', cacheDir);
    const accounts = fakeContext('accounts', cacheDir);
    pinned(stub, fixture.info.checksum);
    const before = stub.requests.snapshot;
    await Promise.all([loaders.portfolio.load(portfolio.context), loaders.accounts.load(accounts.context)]);
    // One pull for both collections: the portfolio and the first (only) page of accounts.
    expect(stub.requests.snapshot - before).toBe(1);
    expect(portfolio.entries.size).toBe(1);
    const [entry] = [...portfolio.entries.values()] as { info: { checksum: string } }[];
    expect(entry?.info.checksum).toBe(fixture.info.checksum);
    expect(accounts.entries.size).toBe(keyAccounts);
    // The store holds a row per account; its full document is in the file the portfolio names.
    const { accountDocuments } = entry as unknown as { accountDocuments: string };
    const documents = await AccountDocuments.load(accountDocuments);
    const source = fixture.accounts.find(account => account.isKeyAccount)!;
    const row = accounts.entries.get(source.externalRef) as unknown as StoredKeyAccount;
    expect(row).toMatchObject({
      externalRef: source.externalRef,
      name: source.name,
      ttmRevenue: source.ttm.revenue,
    });
    expect(row).not.toHaveProperty('stakeholders');
    expect(documents.size).toBe(keyAccounts);
    expect(documents.get(row.document)).toMatchObject({
      externalRef: source.externalRef,
      whitespace: source.whitespace,
      tier: source.tier,
    });

    // The next build of the same snapshot, with the stores Astro kept.
    const again = snapshotLoaders();
    const snapshotsBefore = stub.requests.snapshots;
    await again.portfolio.load(portfolio.context);
    await again.accounts.load(accounts.context);
    expect(stub.requests.snapshot - before).toBe(1);
    expect(stub.requests.snapshots).toBe(snapshotsBefore);
    expect(portfolio.logs.at(-1)).toMatch(/from the content cache/);
    expect(accounts.entries.size).toBe(keyAccounts);

    // Without its documents file the store alone is not trusted: the accounts are loaded again
    // (from this process's pull of the snapshot; a new build would pull).
    rmSync(accountDocuments);
    accounts.entries.clear();
    accounts.entries.set('stale', {});
    await snapshotLoaders().accounts.load(accounts.context);
    expect(accounts.entries.size).toBe(keyAccounts);
    expect((await AccountDocuments.load(accountDocuments)).size).toBe(keyAccounts);
  });

  it('pull again when the same quarter and revision has another checksum (a recreated database)', async () => {
    const loaders = snapshotLoaders();
    const cacheDir = cacheFolder();
    const portfolio = fakeContext('portfolio', cacheDir);
    const accounts = fakeContext('accounts', cacheDir);
    pinned(stub, fixture.info.checksum);
    await loaders.portfolio.load(portfolio.context);
    await loaders.accounts.load(accounts.context);
    expect(accounts.entries.size).toBe(keyAccounts);

    pinned(other, 'sha256:recreated');
    const before = other.requests.snapshot;
    await loaders.portfolio.load(portfolio.context);
    await loaders.accounts.load(accounts.context);
    expect(other.requests.snapshot - before).toBe(1);
    expect(accounts.entries.size).toBe(3);
  });

  it('load no accounts for the KPI site', async () => {
    const loaders = snapshotLoaders();
    const accounts = fakeContext('accounts');
    accounts.entries.set('stale', {});
    pinned(stub, fixture.info.checksum, 'kpi');
    const before = stub.requests.accountPages;
    await loaders.accounts.load(accounts.context);
    expect(accounts.entries.size).toBe(0);
    expect(stub.requests.accountPages).toBe(before);
  });

  it('load nothing and reach no API under astro sync / astro check', async () => {
    setSyncOnly(true);
    const loaders = snapshotLoaders();
    const portfolio = fakeContext('portfolio');
    const accounts = fakeContext('accounts');
    // Nothing listens there: a request would fail the load.
    setEnv({ KAM_API_URL: 'http://127.0.0.1:9/graphql', KAM_API_TOKEN: 'x', KAM_REPORT_SITES: 'journey' });
    await loaders.portfolio.load(portfolio.context);
    await loaders.accounts.load(accounts.context);
    expect(portfolio.entries.size).toBe(0);
    expect(accounts.entries.size).toBe(0);
  });
});
