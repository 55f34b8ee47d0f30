import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { raw } from '@mikro-orm/sql';
import type BetterSqlite3 from 'better-sqlite3';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../accounts/account.entity.ts';
import { insertAuditEntries } from '../audit/audit.writer.ts';
import { writeAs } from '../common/unit-of-work.ts';
import {
  createTestDatabase,
  makeAccount,
  type TestDatabase,
  testActor,
  testDialect,
} from '../testing/index.ts';
import { migrateDatabase } from './migrate.ts';
import { openOrm } from './orm-config.ts';
import { writeRows } from './sql-writer.ts';
import { bindQuery, statementCacheStats } from './sqlite-driver.ts';

describe('bindQuery (SQLite bound parameters)', () => {
  it('binds each value as the literal MikroORM would have inlined', () => {
    const when = new Date('2026-11-23T10:00:00.000Z');
    const bound = bindQuery('select ? as a, ? as b, ? as c, ? as d, ? as e, ? as f, ? as g', [
      42,
      1.5,
      true,
      false,
      when,
      null,
      { a: 1 },
    ]);
    expect(bound).toEqual({
      sql: 'select ? as a, ? as b, ? as c, ? as d, ? as e, ? as f, ? as g',
      values: [42n, 1.5, 1n, 0n, BigInt(when.getTime()), null, '{"a":1}'],
    });
  });

  it('pads `in` lists to a power of two by repeating the last member, however they are written', () => {
    expect(bindQuery('select * from t where id in (?)', [[1, 2, 3]])).toEqual({
      sql: 'select * from t where id in (?, ?, ?, ?)',
      values: [1n, 2n, 3n, 3n],
    });
    expect(
      bindQuery('select * from t where x = ? and id in (?, ?, ?, ?, ?) limit ?', ['a', 1, 2, 3, 4, 5, 10]),
    ).toEqual({
      sql: 'select * from t where x = ? and id in (?, ?, ?, ?, ?, ?, ?, ?) limit ?',
      values: ['a', 1n, 2n, 3n, 4n, 5n, 5n, 5n, 5n, 10n],
    });
    // A list elsewhere (not `in (…)`) is expanded as it is.
    expect(bindQuery('select coalesce(?) as x', [[1, 2, 3]])).toEqual({
      sql: 'select coalesce(?, ?, ?) as x',
      values: [1n, 2n, 3n],
    });
  });

  it('leaves queries it cannot bind exactly to MikroORM', () => {
    expect(bindQuery('select ?? from t where id = ?', ['name', 1])).toBeUndefined();
    expect(bindQuery('select * from t where a = ? and b = ?', [1])).toBeUndefined();
    expect(bindQuery('select * from t where a = ?', [1, 2])).toBeUndefined();
    expect(bindQuery('select * from t where id in (?)', [[]])).toBeUndefined();
    expect(bindQuery('select 1', [])).toEqual({ sql: 'select 1', values: [] });
  });

  it('answers the same for a text it has seen before, whatever the parameters are this time', () => {
    // Each text is looked at once (its placeholders counted); later calls must not differ.
    const cases: [string, unknown[]][] = [
      ['select * from t where a = ? and b = ?', [7, 'x']],
      ['select coalesce(?) as y', [5]],
      ['select coalesce(?) as y', [[1, 2]]],
      ['select * from t where a = ? and b = ?', [[1, 2], 3]],
      ['select * from t where a = ? and b = ?', [raw('now()'), 3]],
      ['select * from t where id in (?, ?, ?)', [1, 2, 3]],
      ['select * from t where a = ?', [1, 2]],
    ];
    const first = cases.map(([sql, params]) => bindQuery(sql, params));
    expect(first).toEqual([
      { sql: 'select * from t where a = ? and b = ?', values: [7n, 'x'] },
      { sql: 'select coalesce(?) as y', values: [5n] },
      { sql: 'select coalesce(?, ?) as y', values: [1n, 2n] },
      { sql: 'select * from t where a = ?, ? and b = ?', values: [1n, 2n, 3n] },
      undefined,
      { sql: 'select * from t where id in (?, ?, ?, ?)', values: [1n, 2n, 3n, 3n] },
      undefined,
    ]);
    expect(cases.map(([sql, params]) => bindQuery(sql, params))).toEqual(first);
  });
});

describe.runIf(testDialect() === 'sqlite')('kam’s SQLite connection', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  describe('the statement cache', () => {
    it('prepares one statement per query shape, whatever the values, and answers correctly', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 7; i++) ids.push((await makeAccount(db.em(), { name: `Cache ${i}` })).id);
      const stats = () => {
        const current = statementCacheStats(db.orm.em.getConnection());
        if (!current) throw new Error('no statement cache on the SQLite connection');
        return { ...current };
      };
      await db.em().findOne(Account, ids[0] as number); // warm up the shape
      const before = stats();
      for (const id of ids) {
        const account = await db.em().findOne(Account, id);
        expect(account?.id).toBe(id);
      }
      // Lists of 3 and 4 members share the padded text of 4; the padding repeats a member,
      // so the rows are exactly the ones asked for.
      const three = await db.em().find(Account, { id: { $in: ids.slice(0, 3) } }, { orderBy: { id: 'asc' } });
      const four = await db.em().find(Account, { id: { $in: ids.slice(0, 4) } }, { orderBy: { id: 'asc' } });
      expect(three.map(a => a.id)).toEqual(ids.slice(0, 3));
      expect(four.map(a => a.id)).toEqual(ids.slice(0, 4));
      const after = stats();
      expect(after.hits - before.hits).toBeGreaterThanOrEqual(ids.length + 1);
      expect(after.prepared - before.prepared).toBeLessThanOrEqual(1);
    });

    it('reuses multi-row inserts and audit writes across row counts', async () => {
      const em = db.em();
      const columns = ['occurred_at', 'actor_label', 'entity_type', 'entity_id', 'action', 'changes'];
      const row = (i: number) => [new Date(), 'cache test', 'Test', String(i), 'CREATE', { i }];
      await writeRows(em, 'audit_entry', columns, [row(0), row(1), row(2)]); // chunks of 2 and 1
      const before = statementCacheStats(db.orm.em.getConnection())?.prepared ?? 0;
      await writeRows(em, 'audit_entry', columns, [row(3), row(4), row(5)]);
      await writeRows(em, 'audit_entry', columns, [row(6), row(7)]);
      await insertAuditEntries(em, testActor, [
        { entityType: 'Test', entityId: '8', action: 'CREATE', changes: { i: { before: null, after: 8 } } },
      ]);
      const after = statementCacheStats(db.orm.em.getConnection())?.prepared ?? 0;
      // The audit writer's one-row shape is new; the other inserts reuse cached statements.
      expect(after - before).toBeLessThanOrEqual(1);
      const written = await em
        .getConnection()
        .execute<{ n: number }[]>("select count(*) as n from audit_entry where actor_label = 'cache test'");
      expect(Number(written[0]?.n)).toBe(8);
    });
  });

  describe('statements outside a transaction', () => {
    const direct = () => statementCacheStats(db.orm.em.getConnection())?.direct ?? 0;

    it('run directly, with the same answers, insert ids and affected rows as through kysely', async () => {
      const account = await makeAccount(db.em(), { name: 'Direct' });
      const before = direct();
      const connection = db.em().getConnection();
      const found = await db.em().findOne(Account, account.id);
      expect(found?.name).toBe('Direct');
      const inserted = await connection.execute<{ insertId: number; affectedRows: number }>(
        "insert into audit_entry (occurred_at, actor_label, entity_type, entity_id, action, changes) values (?, 'direct test', 'Test', '1', 'CREATE', '{}')",
        [new Date()],
        'run',
      );
      expect(inserted.affectedRows).toBe(1);
      expect(inserted.insertId).toBeGreaterThan(0);
      const row = await connection.execute<{ actor_label: string } | undefined>(
        'select actor_label from audit_entry where id = ?',
        [inserted.insertId],
        'get',
      );
      expect(row?.actor_label).toBe('direct test');
      expect(direct() - before).toBe(3);
    });

    it('wait for an open transaction instead, and never see its uncommitted rows', async () => {
      const name = 'Uncommitted';
      let release!: () => void;
      const held = new Promise<void>(resolve => {
        release = resolve;
      });
      let inserted!: () => void;
      const insertedYet = new Promise<void>(resolve => {
        inserted = resolve;
      });
      const transaction = db.em().transactional(async tx => {
        await makeAccount(tx, { name });
        inserted();
        await held; // the transaction stays open, its row uncommitted
      });
      await insertedYet;
      const before = direct();
      const reading = db.em().count(Account, { name });
      let settled = false;
      void reading.then(() => {
        settled = true;
      });
      await new Promise(resolve => setTimeout(resolve, 20));
      expect(settled).toBe(false); // queued behind the transaction, not run beside it
      expect(direct()).toBe(before);
      release();
      await transaction;
      expect(await reading).toBe(1); // ran after the commit
    });
  });
});

describe.runIf(testDialect() === 'sqlite')('reads of one turn of the event loop', () => {
  let dir: string;
  let orm: MikroORM;
  let other: BetterSqlite3.Database;
  const nameOf = async (id: number) =>
    (
      await orm.em.getConnection().execute<{ name: string }[]>('select name from account where id = ?', [id])
    )[0]?.name;
  const inTransaction = () =>
    (orm.em.getConnection() as unknown as { database: BetterSqlite3.Database }).database.inTransaction;
  const nextTurn = () => new Promise(resolve => setImmediate(resolve));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kam-reads-'));
    orm = await openOrm({ url: join(dir, 'kam.sqlite') });
    await migrateDatabase(orm);
    other = new Sqlite(join(dir, 'kam.sqlite'));
    other.pragma('busy_timeout = 5000');
  });
  afterAll(async () => {
    other.close();
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('share one read transaction, which ends with the turn', async () => {
    const account = await makeAccount(orm.em.fork(), { name: 'Before' });
    await nextTurn();
    expect(inTransaction()).toBe(false);
    expect(await nameOf(account.id)).toBe('Before');
    expect(inTransaction()).toBe(true);
    // Another connection's commit is not seen in this turn, as if the reads had run at once…
    other.prepare('update account set name = ? where id = ?').run('After', account.id);
    expect(await nameOf(account.id)).toBe('Before');
    await nextTurn();
    expect(inTransaction()).toBe(false);
    // …and is seen from the next turn on; nothing is held between turns, so it could write.
    expect(await nameOf(account.id)).toBe('After');
  });

  it('end before a write of this connection, which commits at once and is read back', async () => {
    const account = await makeAccount(orm.em.fork(), { name: 'Read' });
    await nextTurn();
    const connection = orm.em.getConnection();
    expect(await nameOf(account.id)).toBe('Read');
    await connection.execute('update account set name = ? where id = ?', [`Written`, account.id], 'run');
    expect(inTransaction()).toBe(false); // the write was not left inside the read transaction
    expect(other.prepare('select name from account where id = ?').get(account.id)).toEqual({
      name: 'Written',
    });
    expect(await nameOf(account.id)).toBe('Written');
    // A write with `returning` answers rows, but is a write all the same.
    const [returned] = await connection.execute<{ name: string }[]>(
      'update account set name = ? where id = ? returning name',
      ['Returned', account.id],
    );
    expect(returned?.name).toBe('Returned');
    expect(inTransaction()).toBe(false);
    expect(other.prepare('select name from account where id = ?').get(account.id)).toEqual({
      name: 'Returned',
    });
  });

  it('end before a transaction starts in the same turn, and resume after it', async () => {
    const account = await makeAccount(orm.em.fork(), { name: 'Plain' });
    await nextTurn();
    expect(await nameOf(account.id)).toBe('Plain');
    await writeAs(orm.em.fork(), testActor, async tx => {
      const row = await tx.findOneOrFail(Account, account.id);
      row.name = 'In a transaction';
    });
    expect(other.prepare('select name from account where id = ?').get(account.id)).toEqual({
      name: 'In a transaction',
    });
    expect(await nameOf(account.id)).toBe('In a transaction');
  });
});

describe.runIf(testDialect() === 'sqlite')('transactions of two processes on one file', () => {
  let dir: string;
  let orm: MikroORM;
  /** Another process's connection: it gives up at once instead of waiting for the lock. */
  let other: BetterSqlite3.Database;
  const rename = (id: number, name: string) =>
    other.prepare('update account set name = ? where id = ?').run(name, id);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kam-locks-'));
    orm = await openOrm({ url: join(dir, 'kam.sqlite') });
    await migrateDatabase(orm);
    other = new Sqlite(join(dir, 'kam.sqlite'));
    other.pragma('busy_timeout = 0');
  });
  afterAll(async () => {
    other.close();
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a write transaction holds the write lock from its start, so it never reads what another commit makes stale', async () => {
    const account = await makeAccount(orm.em.fork(), { name: 'Start' });
    // A use case that reads, then writes (as closeQuarter does for seconds). Begun deferred, the
    // other process's commit in between made its first write fail: "database is locked".
    let otherTried: unknown;
    await orm.em.fork().transactional(async tx => {
      await tx
        .getConnection()
        .execute('select name from account where id = ?', [account.id], 'all', tx.getTransactionContext());
      try {
        rename(account.id, 'Other');
      } catch (error) {
        otherTried = error;
      }
      await tx
        .getConnection()
        .execute(
          'update account set name = ? where id = ?',
          ['Mine', account.id],
          'run',
          tx.getTransactionContext(),
        );
    });
    // The other process had to wait its turn (with its busy timeout it would have waited, then written).
    expect((otherTried as { code?: string } | undefined)?.code).toBe('SQLITE_BUSY');
    expect(other.prepare('select name from account where id = ?').get(account.id)).toEqual({ name: 'Mine' });
    rename(account.id, 'Other');
    expect(other.prepare('select name from account where id = ?').get(account.id)).toEqual({ name: 'Other' });
  });

  it('a read-only transaction does not hold it: other processes write meanwhile', async () => {
    const account = await makeAccount(orm.em.fork(), { name: 'Read' });
    await orm.em.fork().transactional(
      async tx => {
        await tx
          .getConnection()
          .execute('select name from account where id = ?', [account.id], 'all', tx.getTransactionContext());
        rename(account.id, 'Written meanwhile');
      },
      { readOnly: true },
    );
    expect(other.prepare('select name from account where id = ?').get(account.id)).toEqual({
      name: 'Written meanwhile',
    });
  });
});
