import type { EntityManager } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry } from '../audit/audit-entry.entity.ts';
import { importFinancials } from '../bulk/financials.bulk.ts';
import { addQuarters, parseQuarter, quarterOf, quarterStart } from '../common/quarter.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  makeBusinessUnit,
  overlap,
  type TestDatabase,
  testActor,
  testDialect,
} from '../testing/index.ts';
import { Account } from './account.entity.ts';
import { createAccount, recordFinancials, removeFinancials, updateAccount } from './account.service.ts';
import { QuarterlyFinancial } from './financial.entity.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe('accounts', () => {
  it('creates an account and records who did it', async () => {
    const em = db.em();
    const account = await createAccount(em, { externalRef: 'CRM-1', name: 'Acme Group' }, testActor);
    const audit = await db.em().find(AuditEntry, { entityType: 'Account', entityId: String(account.id) });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.action).toBe('CREATE');
    expect(audit[0]?.actorLabel).toBe('test');
    expect(audit[0]?.changes.name).toEqual({ before: null, after: 'Acme Group' });
  });

  it('rejects a duplicate externalRef and writes nothing', async () => {
    await makeAccount(db.em(), { externalRef: 'DUP-1' });
    const em = db.em();
    const error = await expectRejected(
      em,
      'EXTERNAL_REF_TAKEN',
      () => createAccount(db.em(), { externalRef: 'DUP-1', name: 'Other' }, testActor),
      ['account'],
    );
    expect(error.category).toBe('CONFLICT');
    expect(error.issues[0]?.path).toEqual(['externalRef']);
  });

  it('never makes an account its own ancestor', async () => {
    const root = await makeAccount(db.em());
    const child = await makeAccount(db.em(), { parentId: root.id });
    const grandchild = await makeAccount(db.em(), { parentId: child.id });
    await expectRejected(db.em(), 'ACCOUNT_HIERARCHY_CYCLE', () =>
      updateAccount(db.em(), { id: root.id, expectedVersion: 1, parentId: grandchild.id }, testActor),
    );
    await expectRejected(db.em(), 'ACCOUNT_HIERARCHY_CYCLE', () =>
      updateAccount(db.em(), { id: child.id, expectedVersion: 1, parentId: child.id }, testActor),
    );
    const reloaded = await db.em().findOneOrFail(Account, root.id);
    expect(reloaded.parent).toBeNull();
    expect(reloaded.version).toBe(1);
  });

  it('refuses a stale version and keeps the first write', async () => {
    const account = await makeAccount(db.em(), { name: 'Before' });
    await updateAccount(db.em(), { id: account.id, expectedVersion: 1, name: 'First' }, testActor);
    const error = await expectRejected(db.em(), 'VERSION_CONFLICT', () =>
      updateAccount(db.em(), { id: account.id, expectedVersion: 1, name: 'Second' }, testActor),
    );
    expect(error.details).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
    const reloaded = await db.em().findOneOrFail(Account, account.id);
    expect(reloaded.name).toBe('First');
    const updates = await db
      .em()
      .find(AuditEntry, { entityType: 'Account', entityId: String(account.id), action: 'UPDATE' });
    expect(updates.map(u => u.changes.name)).toEqual([{ before: 'Before', after: 'First' }]);
  });

  it('stores money exactly: 0.10 + 0.20 sums to 0.30 in SQL', async () => {
    const account = await makeAccount(db.em());
    for (const [quarter, revenue] of [
      ['2026-Q1', '0.10'],
      ['2026-Q2', '0.20'],
      ['2026-Q3', '12345678901234.05'],
    ] as const) {
      await recordFinancials(
        db.em(),
        { accountId: account.id, quarter, revenue, grossProfit: revenue, costToServe: '0' },
        testActor,
      );
    }
    const [row] = await db
      .em()
      .getConnection()
      .execute<{ total: unknown }[]>(
        'select sum(revenue) as total from quarterly_financial where account_id = ?',
        [account.id],
      );
    // 10 + 20 + 1234567890123405 cents
    expect(String(row?.total).replace(/\.0+$/, '')).toBe('1234567890123435');
    const lines = await db
      .em()
      .find(QuarterlyFinancial, { account: account.id }, { orderBy: { quarter: 'asc' } });
    expect(lines.map(l => l.revenue)).toEqual(['0.10', '0.20', '12345678901234.05']);
  });

  it('a correction of a financial line never recorded is a conflict, writing nothing', async () => {
    const account = await makeAccount(db.em());
    const error = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () =>
        recordFinancials(
          db.em(),
          {
            accountId: account.id,
            quarter: '2026-Q2',
            revenue: '1',
            grossProfit: '1',
            costToServe: '0',
            expectedVersion: 2,
          },
          testActor,
        ),
      ['quarterly_financial'],
    );
    expect(error.details).toEqual({ currentVersion: null });
    expect(error.message).toBe(
      `The financial line of ${account.externalRef} for 2026-Q2 is not recorded, so there is no version 2 to correct: check the account, the quarter and the business unit, or leave out expectedVersion to record it.`,
    );
  });

  it('rejects an invalid quarter and money with three decimals', async () => {
    const account = await makeAccount(db.em());
    const q = await expectRejected(
      db.em(),
      'INVALID_QUARTER',
      () =>
        recordFinancials(
          db.em(),
          { accountId: account.id, quarter: '2026-3', revenue: '1', grossProfit: '1', costToServe: '0' },
          testActor,
        ),
      ['quarterly_financial'],
    );
    expect(q.issues[0]?.path).toEqual(['quarter']);
    const m = await expectRejected(db.em(), 'INVALID_MONEY', () =>
      recordFinancials(
        db.em(),
        { accountId: account.id, quarter: '2026-Q3', revenue: '1.005', grossProfit: '1', costToServe: '0' },
        testActor,
      ),
    );
    expect(m.issues[0]?.path).toEqual(['revenue']);
  });

  it('refuses a quarter that has not started (financials are actuals), writing nothing', async () => {
    const account = await makeAccount(db.em());
    const running = quarterOf(new Date());
    const figures = { revenue: '10.00', grossProfit: '1.00', costToServe: '1.00' };
    for (const quarter of [addQuarters(running, 1), parseQuarter('2031-Q4')]) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () => recordFinancials(db.em(), { accountId: account.id, quarter, ...figures }, testActor),
        ['quarterly_financial'],
      );
      expect(error.issues).toEqual([
        { path: ['quarter'], message: `starts on ${quarterStart(quarter)}`, code: 'QUARTER_NOT_STARTED' },
      ]);
      expect(error.message).toBe(
        `${quarter} has not started yet (it starts on ${quarterStart(quarter)}): nothing of it can be recorded, computed or assessed yet. Use ${running}, the running quarter, or an earlier one.`,
      );
    }
    // The running quarter's figures so far, and the first quarter kam takes.
    for (const quarter of [running, '1900-Q1']) {
      const line = await recordFinancials(db.em(), { accountId: account.id, quarter, ...figures }, testActor);
      expect(line.quarter).toBe(quarter);
    }
  });
});

// SQLite runs one write transaction at a time: only PostgreSQL can overlap two requests.
describe('gross profit is at most the revenue', () => {
  it('refuses a gross profit above a revenue of zero or more, at grossProfit, writing nothing', async () => {
    const account = await makeAccount(db.em());
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        recordFinancials(
          db.em(),
          { accountId: account.id, quarter: '2026-Q2', revenue: '100', grossProfit: '500', costToServe: '1' },
          testActor,
        ),
      ['quarterly_financial'],
    );
    expect(error.category).toBe('VALIDATION');
    expect(error.issues).toEqual([
      {
        path: ['grossProfit'],
        code: 'GROSS_PROFIT_ABOVE_REVENUE',
        message:
          'must be at most the revenue, 100.00, but is 500.00: gross profit is revenue minus the cost of goods sold, so it cannot exceed the revenue. Check that the two amounts are not swapped, or correct the revenue',
      },
    ]);
    expect(error.message).toContain('grossProfit: must be at most the revenue, 100.00, but is 500.00');
    // A revenue of zero takes no gross profit above zero either.
    const zero = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        recordFinancials(
          db.em(),
          { accountId: account.id, quarter: '2026-Q1', revenue: '0', grossProfit: '0.01', costToServe: '0' },
          testActor,
        ),
      ['quarterly_financial'],
    );
    expect(zero.issues.map(i => [i.path, i.code])).toEqual([[['grossProfit'], 'GROSS_PROFIT_ABOVE_REVENUE']]);
  });

  it('takes a gross profit equal to the revenue, a negative one, and any with a negative revenue (a credit note)', async () => {
    const account = await makeAccount(db.em());
    for (const [quarter, revenue, grossProfit] of [
      ['2025-Q1', '100.00', '100.00'],
      ['2025-Q2', '100.00', '-40.00'],
      ['2025-Q3', '-100.00', '500.00'],
      ['2025-Q4', '0.00', '0.00'],
    ] as const) {
      const line = await recordFinancials(
        db.em(),
        { accountId: account.id, quarter, revenue, grossProfit, costToServe: '0' },
        testActor,
      );
      expect([line.revenue, line.grossProfit]).toEqual([revenue, grossProfit]);
    }
  });

  it('refuses a correction that would put the gross profit above the revenue, keeping the line', async () => {
    const account = await makeAccount(db.em());
    const figures = { accountId: account.id, quarter: '2025-Q1', costToServe: '1' };
    await recordFinancials(db.em(), { ...figures, revenue: '100', grossProfit: '30' }, testActor);
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        recordFinancials(
          db.em(),
          { ...figures, revenue: '100', grossProfit: '100.01', expectedVersion: 1 },
          testActor,
        ),
      ['quarterly_financial'],
    );
    expect(error.issues.map(i => [i.path, i.code])).toEqual([
      [['grossProfit'], 'GROSS_PROFIT_ABOVE_REVENUE'],
    ]);
    const [line] = await db.em().fork().find(QuarterlyFinancial, { account: account.id });
    expect([line?.grossProfit, line?.version]).toEqual(['30.00', 1]);
  });
});

describe('removing a financial line', () => {
  it('removes a line recorded in the wrong scope, with its version, audited; then the right lines go in', async () => {
    const account = await makeAccount(db.em());
    const unit = await makeBusinessUnit(db.em());
    const line = await recordFinancials(
      db.em(),
      { accountId: account.id, quarter: '2026-Q1', revenue: '100', grossProfit: '30', costToServe: '5' },
      testActor,
    );
    // The unit's line cannot go beside the account-level one.
    await expectRejected(
      db.em(),
      'FINANCIALS_MIXED_SCOPE',
      () =>
        recordFinancials(
          db.em(),
          {
            accountId: account.id,
            businessUnitId: unit.id,
            quarter: '2026-Q1',
            revenue: '100',
            grossProfit: '30',
            costToServe: '5',
          },
          testActor,
        ),
      ['quarterly_financial'],
    );
    const remove = (expectedVersion: number, businessUnitId: number | null = null) =>
      removeFinancials(
        db.em(),
        { accountId: account.id, quarter: '2026-Q1', businessUnitId, expectedVersion },
        testActor,
      );
    const stale = await expectRejected(db.em(), 'VERSION_CONFLICT', () => remove(2), ['quarterly_financial']);
    expect(stale.details).toMatchObject({ currentVersion: 1 });
    const missing = await expectRejected(db.em(), 'NOT_FOUND', () => remove(1, unit.id), [
      'quarterly_financial',
    ]);
    expect(missing.message).toBe(
      `The financial line of ${account.externalRef} for 2026-Q1 (${unit.code}) is not recorded; there is nothing to remove (the account's lines are listed by Account.quarterlyFinancials).`,
    );
    const removed = await remove(1);
    expect([removed.id, removed.revenue]).toEqual([line.id, '100.00']);
    expect(await db.em().count(QuarterlyFinancial, { account: account.id })).toBe(0);
    const entry = await db.em().findOneOrFail(AuditEntry, {
      entityType: 'QuarterlyFinancial',
      entityId: String(line.id),
      action: 'DELETE',
    });
    expect(entry.changes).toMatchObject({
      revenue: { before: '100.00', after: null },
      quarter: { before: '2026-Q1' },
    });
    const split = await recordFinancials(
      db.em(),
      {
        accountId: account.id,
        businessUnitId: unit.id,
        quarter: '2026-Q1',
        revenue: '100',
        grossProfit: '30',
        costToServe: '5',
      },
      testActor,
    );
    expect(split.businessUnit?.id).toBe(unit.id);
  });
});

describe('a blank optional text is no value', () => {
  it('createAccount stores an industry of spaces as null and trims one with text', async () => {
    const blank = await createAccount(
      db.em(),
      { externalRef: 'BLANK-1', name: 'Blank', industry: '  ' },
      testActor,
    );
    const food = await createAccount(
      db.em(),
      { externalRef: 'BLANK-2', name: 'Food', industry: ' Food ' },
      testActor,
    );
    expect((await db.em().findOneOrFail(Account, blank.id)).industry).toBeNull();
    expect((await db.em().findOneOrFail(Account, food.id)).industry).toBe('Food');
  });

  it('updateAccount clears the industry with a blank one and keeps it when left out', async () => {
    const account = await createAccount(
      db.em(),
      { externalRef: 'BLANK-3', name: 'Chem', industry: 'Chemicals' },
      testActor,
    );
    await updateAccount(db.em(), { id: account.id, expectedVersion: 1, name: 'Chem Co' }, testActor);
    expect((await db.em().findOneOrFail(Account, account.id)).industry).toBe('Chemicals');
    await updateAccount(db.em(), { id: account.id, expectedVersion: 2, industry: ' \t ' }, testActor);
    const reloaded = await db.em().findOneOrFail(Account, account.id);
    expect([reloaded.industry, reloaded.version]).toEqual([null, 3]);
    const audit = await db
      .em()
      .find(AuditEntry, { entityType: 'Account', entityId: String(account.id), action: 'UPDATE' });
    expect(audit.at(-1)?.changes.industry).toEqual({ before: 'Chemicals', after: null });
  });

  it('says how long an industry may be, and writes nothing', async () => {
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        createAccount(
          db.em(),
          { externalRef: 'BLANK-4', name: 'Long', industry: 'x'.repeat(121) },
          testActor,
        ),
      ['account'],
    );
    expect(error.issues).toEqual([
      { path: ['industry'], code: 'TOO_BIG', message: 'must be at most 120 characters' },
    ]);
  });
});

describe.runIf(testDialect() === 'postgresql')('financial lines recorded at the same time', () => {
  it('never stores an account-level line beside a business unit line of the same quarter', async () => {
    // Each read the quarter's lines before the other committed and saw none: the quarter ended
    // up both split by unit and recorded for the whole account, and was counted twice.
    const account = await makeAccount(db.em());
    const unit = await makeBusinessUnit(db.em());
    const figures = { quarter: '2025-Q1', revenue: '100.00', grossProfit: '30.00', costToServe: '5.00' };
    const [first, second] = await overlap(
      db,
      tx => recordFinancials(tx, { accountId: account.id, ...figures }, testActor),
      em => recordFinancials(em, { accountId: account.id, businessUnitId: unit.id, ...figures }, testActor),
    );
    expect(first.ok).toBe(true);
    expect(second.ok ? 'both stored' : second.error).toMatchObject({ code: 'FINANCIALS_MIXED_SCOPE' });
    expect(await db.em().count(QuarterlyFinancial, { account: account.id })).toBe(1);
  });

  it('never stores them from a bulk import beside a line recorded at the same time', async () => {
    // The import read the quarter's lines before recordFinancials committed (and the other way
    // round) without locking the account, and both scopes were stored.
    const account = await makeAccount(db.em());
    const unit = await makeBusinessUnit(db.em());
    const figures = { quarter: '2025-Q2', revenue: '100.00', grossProfit: '30.00', costToServe: '5.00' };
    const importUnitLine = (em: EntityManager, quarter = figures.quarter) =>
      importFinancials(
        em,
        [{ accountRef: account.externalRef, businessUnitCode: unit.code, ...figures, quarter }],
        { mode: 'PARTIAL' },
        testActor,
      );
    const [first, second] = await overlap(
      db,
      tx => recordFinancials(tx, { accountId: account.id, ...figures }, testActor),
      importUnitLine,
    );
    expect(first.ok).toBe(true);
    expect(second.ok && second.value.rejections.map(r => r.code)).toEqual(['FINANCIALS_MIXED_SCOPE']);

    const [bulkFirst, single] = await overlap(
      db,
      tx => importUnitLine(tx, '2025-Q3'),
      em => recordFinancials(em, { accountId: account.id, ...figures, quarter: '2025-Q3' }, testActor),
    );
    expect(bulkFirst.ok).toBe(true);
    expect(single.ok ? 'both stored' : single.error).toMatchObject({ code: 'FINANCIALS_MIXED_SCOPE' });
    const lines = await db
      .em()
      .find(QuarterlyFinancial, { account: account.id }, { orderBy: { quarter: 'asc' } });
    expect(lines.map(l => [l.quarter, l.businessUnit === null ? 'account' : 'unit'])).toEqual([
      ['2025-Q2', 'account'],
      ['2025-Q3', 'unit'],
    ]);
  });
});
