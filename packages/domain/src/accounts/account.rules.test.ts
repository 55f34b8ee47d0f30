import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../audit/audit-entry.entity.ts';
import { upsertAccounts } from '../bulk/accounts.bulk.ts';
import { writeAs } from '../common/unit-of-work.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  overlap,
  type TestDatabase,
  testActor,
  testDialect,
} from '../testing/index.ts';
import { Account } from './account.entity.ts';
import { createAccount, recordFinancials, updateAccount } from './account.service.ts';
import { QuarterlyFinancial } from './financial.entity.ts';
import { MAX_HIERARCHY_DEPTH } from './hierarchy.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

/** A chain of `levels` accounts, root first. */
async function chain(levels: number, prefix: string): Promise<Account[]> {
  const accounts: Account[] = [];
  for (let i = 0; i < levels; i++) {
    accounts.push(
      await makeAccount(db.em(), { externalRef: `${prefix}-${i}`, parentId: accounts[i - 1]?.id ?? null }),
    );
  }
  return accounts;
}

describe('an account is never its own ancestor', () => {
  it('refuses a deep cycle (the root under its fifth-level descendant) and changes nothing', async () => {
    const [root, , , , deepest] = await chain(5, 'CYC');
    const error = await expectRejected(
      db.em(),
      'ACCOUNT_HIERARCHY_CYCLE',
      () =>
        updateAccount(db.em(), { id: root?.id ?? 0, expectedVersion: 1, parentId: deepest?.id }, testActor),
      ['account'],
    );
    expect(error.issues[0]?.path).toEqual(['parentId']);
    expect(error.message).toBe(
      `CYC-0 cannot have CYC-4 as its parent: an account can never be its own ancestor. Choose a parent outside its own group.`,
    );
    const reloaded = await db.em().findOneOrFail(Account, root?.id ?? 0);
    expect([reloaded.parent, reloaded.version]).toEqual([null, 1]);
  });

  it('refuses a middle node under its own child, and itself as its parent', async () => {
    const [, middle, child] = await chain(3, 'MID');
    await expectRejected(db.em(), 'ACCOUNT_HIERARCHY_CYCLE', () =>
      updateAccount(db.em(), { id: middle?.id ?? 0, expectedVersion: 1, parentId: child?.id }, testActor),
    );
    await expectRejected(db.em(), 'ACCOUNT_HIERARCHY_CYCLE', () =>
      updateAccount(db.em(), { id: child?.id ?? 0, expectedVersion: 1, parentId: child?.id }, testActor),
    );
  });

  it('allows moving an account to another branch', async () => {
    const [root, a] = await chain(2, 'MOVE-A');
    const [, b] = await chain(2, 'MOVE-B');
    const moved = await updateAccount(
      db.em(),
      { id: b?.id ?? 0, expectedVersion: 1, parentId: a?.id },
      testActor,
    );
    expect(moved.parent?.id).toBe(a?.id);
    expect(moved.version).toBe(2);
    expect(root?.parent).toBeNull();
  });
});

describe('the hierarchy is at most MAX_HIERARCHY_DEPTH levels deep', () => {
  it(`accepts ${MAX_HIERARCHY_DEPTH} levels and refuses an account at level ${MAX_HIERARCHY_DEPTH + 1}`, async () => {
    expect(MAX_HIERARCHY_DEPTH).toBeGreaterThanOrEqual(5);
    const levels = await chain(MAX_HIERARCHY_DEPTH, 'DEEP');
    const deepest = levels[MAX_HIERARCHY_DEPTH - 1];
    const error = await expectRejected(
      db.em(),
      'ACCOUNT_HIERARCHY_TOO_DEEP',
      () =>
        createAccount(db.em(), { externalRef: 'DEEP-X', name: 'Too deep', parentId: deepest?.id }, testActor),
      ['account'],
    );
    expect(error.issues[0]?.path).toEqual(['parentId']);
    expect(error.message).toBe(
      `Attaching the new account under DEEP-${MAX_HIERARCHY_DEPTH - 1} would make the hierarchy ${MAX_HIERARCHY_DEPTH + 1} levels deep; the limit is ${MAX_HIERARCHY_DEPTH}. Attach it higher up.`,
    );
  });

  it('refuses moving a subtree where its lowest level would pass the limit', async () => {
    // A chain of 8 and a separate chain of 3: 3 under the 8th level would reach level 11.
    const long = await chain(8, 'SUB-L');
    const [top] = await chain(3, 'SUB-S');
    await expectRejected(
      db.em(),
      'ACCOUNT_HIERARCHY_TOO_DEEP',
      () =>
        updateAccount(db.em(), { id: top?.id ?? 0, expectedVersion: 1, parentId: long[7]?.id }, testActor),
      ['account'],
    );
    // Under the 7th level it reaches exactly level 10.
    const ok = await updateAccount(
      db.em(),
      { id: top?.id ?? 0, expectedVersion: 1, parentId: long[6]?.id },
      testActor,
    );
    expect(ok.parent?.id).toBe(long[6]?.id);
  });

  it('the bulk path refuses the same depth', async () => {
    const rows = Array.from({ length: MAX_HIERARCHY_DEPTH + 1 }, (_, i) => ({
      externalRef: `BULK-DEEP-${i}`,
      name: `Level ${i + 1}`,
      parentRef: i === 0 ? null : `BULK-DEEP-${i - 1}`,
    }));
    const result = await upsertAccounts(db.em(), rows, { mode: 'ATOMIC' }, testActor);
    expect(result.written).toBe(false);
    expect(result.rejections.map(r => r.code)).toContain('ACCOUNT_HIERARCHY_TOO_DEEP');
    expect(await db.em().count(Account, { externalRef: { $like: 'BULK-DEEP-%' } })).toBe(0);
  });
});

describe('externalRef is unique', () => {
  it('refuses changing an account to another account’s externalRef', async () => {
    await makeAccount(db.em(), { externalRef: 'UNIQ-1' });
    const other = await makeAccount(db.em(), { externalRef: 'UNIQ-2' });
    const error = await expectRejected(
      db.em(),
      'EXTERNAL_REF_TAKEN',
      () => updateAccount(db.em(), { id: other.id, expectedVersion: 1, externalRef: 'UNIQ-1' }, testActor),
      ['account'],
    );
    expect(error.issues[0]?.path).toEqual(['externalRef']);
    expect((await db.em().findOneOrFail(Account, other.id)).externalRef).toBe('UNIQ-2');
  });

  it('the database refuses a duplicate that bypasses the check, as DUPLICATE_ROW', async () => {
    await makeAccount(db.em(), { externalRef: 'UNIQ-DB' });
    await expectRejected(
      db.em(),
      'DUPLICATE_ROW',
      () =>
        writeAs(db.em(), testActor, async tx => {
          tx.create(Account, { externalRef: 'UNIQ-DB', name: 'Sneaky duplicate' });
        }),
      ['account'],
    );
  });
});

describe('optimistic locking of accounts and financials', () => {
  it('a change read before a concurrent update fails with VERSION_CONFLICT at flush', async () => {
    const account = await makeAccount(db.em(), { name: 'Original' });
    const stale = db.em();
    await stale.findOneOrFail(Account, account.id);
    await updateAccount(db.em(), { id: account.id, expectedVersion: 1, name: 'Concurrent' }, testActor);
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () =>
        writeAs(stale, testActor, async tx => {
          const loaded = await tx.findOneOrFail(Account, account.id);
          loaded.name = 'Lost update';
        }),
      ['account'],
    );
    const reloaded = await db.em().findOneOrFail(Account, account.id);
    expect([reloaded.name, reloaded.version]).toEqual(['Concurrent', 2]);
    const updates = await db
      .em()
      .find(AuditEntry, { entityType: 'Account', entityId: String(account.id), action: 'UPDATE' });
    expect(updates).toHaveLength(1);
  });

  it('financials: an existing line needs its current version to change', async () => {
    const account = await makeAccount(db.em());
    const line = {
      accountId: account.id,
      quarter: '2026-Q1',
      revenue: '10.00',
      grossProfit: '2.00',
      costToServe: '1.00',
    };
    const first = await recordFinancials(db.em(), line, testActor);
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => recordFinancials(db.em(), { ...line, revenue: '11.00' }, testActor),
      ['quarterly_financial'],
    );
    await recordFinancials(db.em(), { ...line, revenue: '12.00', expectedVersion: 1 }, testActor);
    const stale = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => recordFinancials(db.em(), { ...line, revenue: '13.00', expectedVersion: 1 }, testActor),
      ['quarterly_financial'],
    );
    // Named by account ref and quarter, as the caller sent them, not by a database id.
    expect(stale.message).toMatch(
      new RegExp(
        `^The financial line of ${account.externalRef} for 2026-Q1 was changed by someone else: you sent version 1`,
      ),
    );
    const edit = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => updateAccount(db.em(), { id: account.id, expectedVersion: 7, name: 'Late' }, testActor),
      ['account'],
    );
    expect(edit.message).toMatch(
      new RegExp(`^Account ${account.externalRef} was changed by someone else: you sent version 7`),
    );
    const stored = await db.em().findOneOrFail(QuarterlyFinancial, first.id);
    expect([stored.revenue, stored.version]).toEqual(['12.00', 2]);
  });
});

// SQLite runs one write transaction at a time: only PostgreSQL can overlap two requests.
describe.runIf(testDialect() === 'postgresql')('two moves in the hierarchy at the same time', () => {
  it('A under B and B under A at once: one is refused, the hierarchy keeps no cycle', async () => {
    // Each checked the other's ancestors before the other committed and found no cycle.
    const a = await makeAccount(db.em(), { externalRef: 'RACE-A' });
    const b = await makeAccount(db.em(), { externalRef: 'RACE-B' });
    const [first, second] = await overlap(
      db,
      tx => updateAccount(tx, { id: a.id, expectedVersion: 1, parentId: b.id }, testActor),
      em => updateAccount(em, { id: b.id, expectedVersion: 1, parentId: a.id }, testActor),
    );
    expect(first.ok).toBe(true);
    expect(second.ok ? 'a cycle' : second.error).toMatchObject({ code: 'ACCOUNT_HIERARCHY_CYCLE' });
    const reloaded = await db.em().find(Account, { id: { $in: [a.id, b.id] } }, { orderBy: { id: 'asc' } });
    expect(reloaded.map(r => r.parent?.id ?? null)).toEqual([b.id, null]);
  });

  it('a move and a bulk move at once cannot close a loop either', async () => {
    const a = await makeAccount(db.em(), { externalRef: 'RACE-C' });
    const b = await makeAccount(db.em(), { externalRef: 'RACE-D' });
    const [first, second] = await overlap(
      db,
      tx => updateAccount(tx, { id: a.id, expectedVersion: 1, parentId: b.id }, testActor),
      em =>
        upsertAccounts(
          em,
          [{ externalRef: 'RACE-D', name: 'Race D', parentRef: 'RACE-C' }],
          { mode: 'ATOMIC' },
          testActor,
        ),
    );
    expect(first.ok).toBe(true);
    const reloaded = await db.em().find(Account, { id: { $in: [a.id, b.id] } }, { orderBy: { id: 'asc' } });
    expect(reloaded.map(r => r.parent?.id ?? null)).toEqual([b.id, null]);
    expect(second.ok && JSON.stringify(second.value)).toMatch(/ACCOUNT_HIERARCHY_CYCLE/);
  });
});
