import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixturePortfolio, FIXTURE_QUARTER } from '../analytics/fixtures/portfolio.fixture.ts';
import { parseQuarter, quarterEnd, quarterOf } from '../common/quarter.ts';
import { createTestDatabase, overlap, type TestDatabase, testActor, testDialect } from '../testing/index.ts';
import { canonicalJson } from './canonical-json.ts';
import { closeQuarter, snapshotChecksum } from './close-quarter.ts';
import type { AccountSnapshotPayload, PortfolioSnapshot } from './snapshot.types.ts';
import { SNAPSHOT_SCHEMA_VERSION } from './snapshot.types.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await buildFixturePortfolio(db.em());
});
afterAll(async () => db?.close());

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return db.em().getConnection().execute<T[]>(sql, params, 'all');
}

describe('closeQuarter', () => {
  let first: Awaited<ReturnType<typeof closeQuarter>>;
  let firstPayload: string;
  let firstAccounts: { position: number; external_ref: string; payload: string }[];

  it('writes one portfolio document and one account document per account, in external-ref order', async () => {
    first = await closeQuarter(db.em(), FIXTURE_QUARTER, testActor);
    expect(first).toMatchObject({ quarter: '2026-Q1', revision: 1, accounts: 12 });
    expect(first.checksum).toMatch(/^[0-9a-f]{64}$/);
    // The same fixture gives byte-identical documents on SQLite and PostgreSQL: both runs of this
    // file pin the same digest (update it deliberately when the fixture or the contract changes).
    expect(first.checksum).toBe('092c18126dc9d3dfdf121b2aec5ebc3ac9d970c025ce82d31b742b8dfea2c6de');
    const [snap] = await rows<{ payload: string; account_count: number; checksum: string }>(
      'select payload, account_count, checksum from quarter_snapshot where id = ?',
      [first.snapshotId],
    );
    firstPayload = snap!.payload;
    const portfolio = JSON.parse(firstPayload) as PortfolioSnapshot;
    expect(portfolio.schemaVersion).toBe(SNAPSHOT_SCHEMA_VERSION);
    expect(portfolio.revision).toBe(1);
    expect(portfolio.closedBy).toBe('test');
    expect(portfolio.trendQuarters).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']);
    expect(portfolio.kpis).toHaveLength(13);
    // Canonical: the stored text is exactly the canonical form of itself.
    expect(canonicalJson(portfolio)).toBe(firstPayload);
    firstAccounts = await rows(
      'select position, external_ref, payload from account_snapshot where snapshot_id = ? order by position',
      [first.snapshotId],
    );
    expect(firstAccounts.map(r => r.external_ref)).toEqual([
      'A01',
      'A02',
      'A03',
      'A04',
      'A05',
      'A06',
      'A07',
      'A08',
      'A09',
      'A10',
      'A11',
      'A12',
    ]);
    expect(firstAccounts.map(r => Number(r.position))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const a01 = JSON.parse(firstAccounts[0]!.payload) as AccountSnapshotPayload;
    expect(canonicalJson(a01)).toBe(firstAccounts[0]!.payload);
    expect(a01).toMatchObject({
      externalRef: 'A01',
      isKeyAccount: true,
      pyramidLevel: 'KEY',
      quarter: '2026-Q1',
    });
    expect(a01.financials).toHaveLength(5);
    // The account documents carry no close metadata.
    expect(firstAccounts[0]!.payload).not.toContain('closedAt');
    expect(
      snapshotChecksum(
        firstPayload,
        firstAccounts.map(r => r.payload),
      ),
    ).toBe(snap!.checksum);
    expect(Number(snap!.account_count)).toBe(12);
  });

  it('records the close in the audit trail', async () => {
    const audit = await rows<{ entity_id: string; action: string }>(
      "select entity_id, action from audit_entry where entity_type = 'QuarterSnapshot'",
    );
    expect(audit).toEqual([{ entity_id: String(first.snapshotId), action: 'CREATE' }]);
  });

  it('closing again makes revision 2 with identical data and leaves revision 1 untouched', async () => {
    const second = await closeQuarter(db.em(), FIXTURE_QUARTER, testActor);
    expect(second.revision).toBe(2);
    expect(second.snapshotId).not.toBe(first.snapshotId);
    // Same data → same checksum and byte-identical account documents.
    expect(second.checksum).toBe(first.checksum);
    const secondAccounts = await rows<{ payload: string }>(
      'select payload from account_snapshot where snapshot_id = ? order by position',
      [second.snapshotId],
    );
    expect(secondAccounts.map(r => r.payload)).toEqual(firstAccounts.map(r => r.payload));
    const [p2] = await rows<{ payload: string }>('select payload from quarter_snapshot where id = ?', [
      second.snapshotId,
    ]);
    const strip = (text: string) => {
      const { revision: _r, closedAt: _c, ...rest } = JSON.parse(text) as PortfolioSnapshot;
      return canonicalJson(rest);
    };
    expect(strip(p2!.payload)).toBe(strip(firstPayload));
    // Revision 1 is still there, byte for byte.
    const [again] = await rows<{ payload: string; revision: number }>(
      'select payload, revision from quarter_snapshot where id = ?',
      [first.snapshotId],
    );
    expect(again!.payload).toBe(firstPayload);
    expect(Number(again!.revision)).toBe(1);
  });

  it('the database refuses to update or delete a snapshot', async () => {
    const conn = db.em().getConnection();
    await expect(
      conn.execute('update quarter_snapshot set payload = ? where id = ?', ['{}', first.snapshotId]),
    ).rejects.toThrow(/append-only/);
    await expect(
      conn.execute('delete from quarter_snapshot where id = ?', [first.snapshotId]),
    ).rejects.toThrow(/append-only/);
    await expect(
      conn.execute('update account_snapshot set payload = ? where snapshot_id = ?', ['{}', first.snapshotId]),
    ).rejects.toThrow(/append-only/);
    await expect(
      conn.execute('delete from account_snapshot where snapshot_id = ?', [first.snapshotId]),
    ).rejects.toThrow(/append-only/);
    const [snap] = await rows<{ payload: string }>('select payload from quarter_snapshot where id = ?', [
      first.snapshotId,
    ]);
    expect(snap!.payload).toBe(firstPayload);
  });

  it('refuses a quarter that has not ended, and writes nothing', async () => {
    const current = quarterOf(new Date());
    const before = await rows<{ n: number }>('select count(*) as n from quarter_snapshot');
    for (const quarter of [current, parseQuarter('2999-Q4')]) {
      await expect(closeQuarter(db.em(), quarter, testActor)).rejects.toMatchObject({
        code: 'QUARTER_NOT_ENDED',
        category: 'RULE',
        message: expect.stringContaining(
          `${quarter} has not ended yet (its last day is ${quarterEnd(quarter)})`,
        ),
      });
    }
    expect(await rows<{ n: number }>('select count(*) as n from quarter_snapshot')).toEqual(before);
  });

  it('refuses a quarter without financial figures, and writes nothing', async () => {
    // The fixture's figures start in 2025-Q1: 2024-Q4 (the figures not in yet, or a mistyped year)
    // would be published, for ever, as a quarter of suspects.
    const before = await rows<{ n: number }>('select count(*) as n from quarter_snapshot');
    for (const quarter of ['2024-Q4', '2020-Q1']) {
      await expect(closeQuarter(db.em(), quarter, testActor)).rejects.toMatchObject({
        code: 'NO_FINANCIALS_FOR_QUARTER',
        category: 'RULE',
        message: `${quarter} has no financial figures: import them (importFinancials, or kam import financials) before closing it, as a closed quarter is published and never changes.`,
      });
    }
    expect(await rows<{ n: number }>('select count(*) as n from quarter_snapshot')).toEqual(before);
  });

  it('rejects a malformed quarter', async () => {
    await expect(closeQuarter(db.em(), '2026-5', testActor)).rejects.toMatchObject({
      code: 'INVALID_QUARTER',
    });
  });

  // SQLite runs one write transaction at a time: only PostgreSQL can overlap two closes.
  it.runIf(testDialect() === 'postgresql')(
    'two closes of a quarter at the same time make revisions 1 and 2, not a database error',
    async () => {
      // Both read the highest revision before either commits: the second computed revision 1 as
      // well and failed on the unique key with a raw error (the API's "Unexpected error.").
      const quarter = '2025-Q4';
      const [a, b] = await overlap(
        db,
        tx => closeQuarter(tx, quarter, testActor),
        em => closeQuarter(em, quarter, testActor),
      );
      expect(a.ok && b.ok ? [a.value.revision, b.value.revision] : [a, b]).toEqual([1, 2]);
      if (!a.ok || !b.ok) return;
      expect(b.value.checksum).toBe(a.value.checksum);
      const stored = await rows<{ revision: number; accounts: number }>(
        'select s.revision, (select count(*) from account_snapshot x where x.snapshot_id = s.id) as accounts from quarter_snapshot s where s.quarter = ? order by s.revision',
        [quarter],
      );
      expect(stored.map(s => [Number(s.revision), Number(s.accounts)])).toEqual([
        [1, a.value.accounts],
        [2, a.value.accounts],
      ]);
    },
  );
});
