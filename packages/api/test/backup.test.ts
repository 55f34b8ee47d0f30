import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrateDatabase, openOrm, systemActor, upsertAccounts } from '@kam/domain';
import { testDialect } from '@kam/domain/testing';
import { describe, expect, it } from 'vitest';
import { backupDatabase, checkIntegrity, restoreDatabase } from '../src/ops/backup.ts';
import { cliOn } from './cli.ts';

const actor = systemActor('test');
const rows = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ externalRef: `B-${from + i}`, name: `Account ${from + i}` }));

describe.runIf(testDialect() === 'sqlite')('kam backup / restore (SQLite)', () => {
  it('copies a consistent database while another connection keeps writing, and restores it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-backup-'));
    const url = path.join(dir, 'kam.sqlite');
    const server = await openOrm({ url });
    await migrateDatabase(server);
    await upsertAccounts(server.em.fork(), rows(0, 2000), { mode: 'ATOMIC' }, actor);

    // A second process-like connection takes the backup while the "server" keeps writing.
    const tool = await openOrm({ url });
    let writes = 0;
    let stop = false;
    const writer = (async () => {
      // Bounded, and yielding to the event loop so the backup's steps can run in between.
      while (!stop && writes < 400) {
        await upsertAccounts(server.em.fork(), rows(10_000 + writes * 50, 50), { mode: 'ATOMIC' }, actor);
        writes += 1;
        await new Promise(resolve => setImmediate(resolve));
      }
    })();
    const backup = path.join(dir, 'backup.sqlite');
    // Let a few batches land first, so the backup runs while writes are under way.
    while (writes < 3) await new Promise(resolve => setImmediate(resolve));
    const report = await backupDatabase(tool, url, backup);
    stop = true;
    await writer;
    expect(report.bytes).toBeGreaterThan(0);
    await checkIntegrity(backup);

    const copy = await openOrm({ url: backup });
    const [{ n }] = await copy.em
      .getConnection()
      .execute<{ n: number }[]>('select count(*) as n from account');
    // Every batch is all or nothing: the copy holds the first 2000 plus whole batches of 50.
    expect(n).toBeGreaterThanOrEqual(2000);
    expect((n - 2000) % 50).toBe(0);
    const [{ audit }] = await copy.em
      .getConnection()
      .execute<{ audit: number }[]>(
        "select count(*) as audit from audit_entry where entity_type = 'Account'",
      );
    expect(audit).toBe(n);
    await copy.close(true);

    const restored = path.join(dir, 'restored.sqlite');
    await restoreDatabase(restored, backup);
    const back = await openOrm({ url: restored });
    const [{ m }] = await back.em
      .getConnection()
      .execute<{ m: number }[]>('select count(*) as m from account');
    expect(m).toBe(n);
    await back.close(true);
    await tool.close(true);
    await server.close(true);
    await expect(backupDatabase(server, 'postgres://x@127.0.0.1/db', backup)).rejects.toThrow(/pg_dump/);
  });

  it('checks the backup before the database it would replace, and says what is wrong with each', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-restore-'));
    const url = path.join(dir, 'kam.sqlite');
    const orm = await openOrm({ url });
    await migrateDatabase(orm);
    await expect(backupDatabase(orm, url, path.join(dir, 'no', 'such', 'b.sqlite'))).rejects.toThrow(
      `${path.join(dir, 'no', 'such')} does not exist: create the folder, or choose another place for --out.`,
    );
    const backup = path.join(dir, 'backup.sqlite');
    await backupDatabase(orm, url, backup);
    await orm.close(true);
    await expect(restoreDatabase(url, path.join(dir, 'missing.sqlite'))).rejects.toThrow(
      `${path.join(dir, 'missing.sqlite')} does not exist: give the path of a file made by kam backup.`,
    );
    const garbage = path.join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'not a database at all, but long enough to be read as a header........');
    await expect(restoreDatabase(url, garbage, { force: true })).rejects.toThrow(
      `${garbage} is not a SQLite database (file is not a database); give a file made by kam backup.`,
    );
    await expect(restoreDatabase(url, backup)).rejects.toThrow(/already holds a database; pass --force/);
    await expect(restoreDatabase(url, backup, { force: true })).resolves.toMatchObject({
      pages: expect.any(Number),
    });
  });

  it('backs up only a kam database, and leaves no file behind when it cannot', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-backup-none-'));
    // A database that was never migrated (a DATABASE_URL with a typo opens an empty one): the
    // copy used to be made, then refused as "not a kam database", and left there, so that the
    // next attempt said "already exists".
    const empty = path.join(dir, 'empty.sqlite');
    const orm = await openOrm({ url: empty });
    const out = path.join(dir, 'b.sqlite');
    try {
      await expect(backupDatabase(orm, empty, out)).rejects.toThrow(
        `${empty} is not a kam database (it has no migration table); check DATABASE_URL, or run kam migrate first.`,
      );
    } finally {
      await orm.close(true);
    }
    expect(existsSync(out)).toBe(false);

    // On the command line, a DATABASE_URL that names no file: it used to be created, empty.
    const missing = path.join(dir, 'typo', 'kam.sqlite');
    const cli = cliOn(missing);
    try {
      expect(await cli.kam('backup', '--out', out)).toBe(1);
    } finally {
      cli.restore();
    }
    const { errors } = cli;
    expect(errors).toEqual([
      `kam: There is no database at ${missing}; check DATABASE_URL (kam migrate creates one).`,
    ]);
    expect(existsSync(path.dirname(missing))).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  it('restores into a folder that does not exist yet, and says when the backup is a folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-restore-new-'));
    const url = path.join(dir, 'kam.sqlite');
    const orm = await openOrm({ url });
    await migrateDatabase(orm);
    await upsertAccounts(orm.em.fork(), rows(0, 3), { mode: 'ATOMIC' }, actor);
    const backup = path.join(dir, 'backup.sqlite');
    await backupDatabase(orm, url, backup);
    await orm.close(true);
    // A new machine: the folder of DATABASE_URL is not there yet (kam migrate would create it).
    // This used to fail with SQLite's "Cannot save backup because the directory does not exist".
    const fresh = path.join(dir, 'new', 'data', 'kam.sqlite');
    await restoreDatabase(fresh, backup);
    const back = await openOrm({ url: fresh });
    try {
      const [{ n }] = await back.em
        .getConnection()
        .execute<{ n: number }[]>('select count(*) as n from account');
      expect(n).toBe(3);
    } finally {
      await back.close(true);
    }
    // DATABASE_URL=:memory: names no file to restore into: the backup used to be written to a
    // file named ":memory:" in the working folder, and kam said it had restored it.
    await expect(restoreDatabase(':memory:', backup)).rejects.toThrow(
      'kam restore needs DATABASE_URL to name a SQLite file; :memory: is a database that lives only as long as the process.',
    );
    expect(existsSync(path.resolve(':memory:'))).toBe(false);
    // A folder given as the backup used to read "disk I/O error".
    await expect(restoreDatabase(url, dir, { force: true })).rejects.toThrow(
      `${dir} is not a file: give the path of a file made by kam backup.`,
    );
  });

  it('leaves only the backup beside it: no -wal or -shm from the integrity check, nor from a restore', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-backup-clean-'));
    const url = path.join(dir, 'kam.sqlite');
    const orm = await openOrm({ url });
    await migrateDatabase(orm);
    await orm.close(true);
    // The copy is in WAL mode; a read-only connection to it used to leave an empty
    // backup.sqlite-wal and a 32 KB backup.sqlite-shm behind.
    const out = path.join(dir, 'out');
    mkdirSync(out);
    const backup = path.join(out, 'backup.sqlite');
    const cli = cliOn(url);
    try {
      expect(await cli.kam('backup', '--out', backup)).toBe(0);
    } finally {
      cli.restore();
    }
    expect(readdirSync(out)).toEqual(['backup.sqlite']);
    await checkIntegrity(backup);
    expect(readdirSync(out)).toEqual(['backup.sqlite']);
    await restoreDatabase(path.join(dir, 'restored', 'kam.sqlite'), backup);
    expect(readdirSync(out)).toEqual(['backup.sqlite']);
  });
});
