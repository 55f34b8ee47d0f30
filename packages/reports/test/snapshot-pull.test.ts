import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpApiClient } from '../src/data/api-client.ts';
import { listSnapshots, pullSnapshot, resolveSnapshot } from '../src/data/snapshot-pull.ts';
import { parseReportEnv } from '../src/env.ts';
import type { SnapshotFixture } from './fixtures/make-fixture.ts';
import { loadFixture } from './support/fixture.ts';
import { type GraphQLStub, startGraphQLStub } from './support/graphql-stub.ts';

/** The fixture with `count` key accounts (copies of the fixture's, renamed). */
function withKeyAccounts(count: number, revision: number): SnapshotFixture {
  const fixture = loadFixture();
  const keys = fixture.accounts.filter(account => account.isKeyAccount);
  const accounts = Array.from({ length: count }, (_, index) => ({
    ...keys[index % keys.length]!,
    accountId: 10_000 + index,
    externalRef: `KA-${String(index).padStart(5, '0')}`,
  }));
  return { ...fixture, info: { ...fixture.info, revision, checksum: `sha256:r${revision}` }, accounts };
}

describe('pulling a snapshot through the GraphQL API over HTTP', () => {
  let stub: GraphQLStub;
  beforeAll(async () => {
    stub = await startGraphQLStub({ snapshots: [withKeyAccounts(250, 3), loadFixture()] });
  });
  afterAll(() => stub.close());

  it('lists the closed revisions newest first and resolves the latest one', async () => {
    const api = httpApiClient({ url: stub.url, token: stub.token });
    expect((await listSnapshots(api)).map(info => info.revision)).toEqual([3, 2]);
    expect((await resolveSnapshot(api, { quarter: '2026-Q3' })).revision).toBe(3);
    expect((await resolveSnapshot(api, { quarter: '2026-Q3', revision: 2 })).revision).toBe(2);
  });

  it('pulls the portfolio once and the key accounts in pages of 100: three requests for 250', async () => {
    const api = httpApiClient({ url: stub.url, token: stub.token });
    const before = { ...stub.requests };
    const pages: number[] = [];
    const pulled = await pullSnapshot(
      api,
      { quarter: '2026-Q3', revision: 3 },
      { accounts: true, onPage: loaded => pages.push(loaded) },
    );
    expect(pulled.requests).toBe(3);
    expect(pages).toEqual([100, 200, 250]);
    expect(stub.requests.accountPages - before.accountPages).toBe(3);
    expect(pulled.accounts).toHaveLength(250);
    expect(pulled.accounts[249]!.externalRef).toBe('KA-00249');
    expect(pulled.portfolio.quarter).toBe('2026-Q3');
  });

  it('pulls only the portfolio for the KPI site', async () => {
    const api = httpApiClient({ url: stub.url, token: stub.token });
    const pulled = await pullSnapshot(api, { quarter: '2026-Q3', revision: 2 }, { accounts: false });
    expect(pulled.requests).toBe(1);
    expect(pulled.accounts).toEqual([]);
  });

  it('says which quarter is missing, and when the token is refused', async () => {
    const api = httpApiClient({ url: stub.url, token: stub.token });
    await expect(resolveSnapshot(api, { quarter: '2025-Q1' })).rejects.toThrow(
      /No snapshot of 2025-Q1 at .*: close the quarter first/,
    );
    const refused = httpApiClient({ url: stub.url, token: 'wrong' });
    await expect(listSnapshots(refused)).rejects.toThrow(/A valid API token is required/);
  });

  it('says why an API that does not answer cannot be reached', async () => {
    // A port of this machine that nothing listens on: the one the stub had before it closed.
    const gone = await startGraphQLStub({ snapshots: [withKeyAccounts(1, 1)] });
    await gone.close();
    const api = httpApiClient({ url: gone.url, token: gone.token });
    await expect(listSnapshots(api)).rejects.toThrow(
      `Cannot reach the API at ${gone.url}: fetch failed (connect ECONNREFUSED`,
    );
  });

  it('rejects a payload that breaks the contract, naming the account and the field', async () => {
    const broken = withKeyAccounts(3, 9);
    (broken.accounts[1]!.ttm as { revenue: unknown }).revenue = 12.5;
    const other = await startGraphQLStub({ snapshots: [broken] });
    try {
      const api = httpApiClient({ url: other.url, token: other.token });
      await expect(
        pullSnapshot(api, { quarter: '2026-Q3', revision: 9 }, { accounts: true }),
      ).rejects.toThrow(/account KA-00001 does not match the snapshot contract[\s\S]*ttm\.revenue/);
    } finally {
      await other.close();
    }
  });
});

describe('the report environment', () => {
  it('defaults to the embedded database at the repository root and both sites', () => {
    const env = parseReportEnv({ KAM_REPORT_QUARTER: '2026-Q3' });
    expect(env.apiUrl).toBeUndefined();
    expect(env.databaseUrl).toMatch(/\/data\/kam\.sqlite$/);
    expect(env.sites).toEqual(['kpi', 'journey']);
  });

  it('reads the sites of a build as a list, in site order, and refuses unknown ones', () => {
    expect(parseReportEnv({ KAM_REPORT_SITES: 'journey' }).sites).toEqual(['journey']);
    expect(parseReportEnv({ KAM_REPORT_SITES: 'journey, kpi' }).sites).toEqual(['kpi', 'journey']);
    expect(() => parseReportEnv({ KAM_REPORT_SITES: 'kpi,value' })).toThrow(/KAM_REPORT_SITES/);
  });

  it('needs a token with an API URL and a well-formed quarter', () => {
    expect(() => parseReportEnv({ KAM_API_URL: 'http://127.0.0.1:4000/graphql' })).toThrow(/KAM_API_TOKEN/);
    expect(() => parseReportEnv({ KAM_REPORT_QUARTER: '2026Q3' })).toThrow(/2026-Q3/);
    expect(() => parseReportEnv({ KAM_API_URL: 'localhost:4000' })).toThrow(
      `must be the http(s) URL of the API's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql; got "localhost:4000"`,
    );
    expect(parseReportEnv({ DATABASE_URL: 'postgres://db/kam' }).databaseUrl).toBe('postgres://db/kam');
  });

  it('never repeats a password given in KAM_API_URL, and refuses a URL with credentials', async () => {
    expect(() =>
      parseReportEnv({ KAM_API_URL: 'ftp://user:hunter2@127.0.0.1/graphql', KAM_API_TOKEN: 'x' }),
    ).toThrow(
      `must be the http(s) URL of the API's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql; got "ftp://user:***@127.0.0.1/graphql"`,
    );
    expect(() =>
      parseReportEnv({ KAM_API_URL: 'http://user:secret@127.0.0.1:4199/graphql', KAM_API_TOKEN: 'x' }),
    ).toThrow(
      'must not hold a user name or password: put the token in KAM_API_TOKEN, not in the URL; got "http://user:***@127.0.0.1:4199/graphql"',
    );
    // A client given such a URL anyway says where it went without the password.
    const api = httpApiClient({ url: 'http://user:secret@127.0.0.1:4199/graphql', token: 'x' });
    const error = await listSnapshots(api).catch((caught: Error) => caught);
    expect((error as Error).message).toMatch(
      /^Cannot reach the API at http:\/\/user:\*\*\*@127\.0\.0\.1:4199\/graphql: /,
    );
    expect((error as Error).message).not.toMatch(/secret/);
  });

  it('reads a revision written in decimal digits only', () => {
    // KAM_REPORT_REVISION=0x1 (and `report:build --revision 0x1`) was read as revision 1.
    expect(parseReportEnv({ KAM_REPORT_REVISION: '12' }).revision).toBe(12);
    for (const revision of ['0x1', '1e0', ' 1', '0', '1.0'])
      expect(() => parseReportEnv({ KAM_REPORT_REVISION: revision }), revision).toThrow(
        'must be a revision number written in digits, from 1',
      );
  });
});
