import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createPerson,
  migrateDatabase,
  openOrm,
  ServiceElement,
  systemActor,
  upsertAccounts,
  writeAs,
} from '@kam/domain';
import { testDialect } from '@kam/domain/testing';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupDatabase, checkIntegrity, restoreDatabase } from '../src/ops/backup.ts';
import { cliOn } from './cli.ts';

const actor = systemActor('test');
const rows = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ externalRef: `B-${from + i}`, name: `Account ${from + i}` }));

/** A SQLite file that `kam migrate` made, holding nothing else yet. */
async function migrated(url: string): Promise<void> {
  const orm = await openOrm({ url });
  try {
    await migrateDatabase(orm);
  } finally {
    await orm.close(true);
  }
}

async function accountCount(url: string): Promise<number> {
  const orm = await openOrm({ url });
  try {
    const [{ n }] = await orm.em
      .getConnection()
      .execute<{ n: number }[]>('select count(*) as n from account');
    return n;
  } finally {
    await orm.close(true);
  }
}

/** A backup of a kam database holding `accounts` accounts, in a new folder: the folder and the backup. */
async function backupOf(accounts: number): Promise<{ dir: string; backup: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kam-restore-'));
  const url = path.join(dir, 'source.sqlite');
  const orm = await openOrm({ url });
  try {
    await migrateDatabase(orm);
    await upsertAccounts(orm.em.fork(), rows(0, accounts), { mode: 'ATOMIC' }, actor);
    const backup = path.join(dir, 'backup.sqlite');
    await backupDatabase(orm, url, backup);
    return { dir, backup };
  } finally {
    await orm.close(true);
  }
}

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
    await upsertAccounts(orm.em.fork(), rows(0, 1), { mode: 'ATOMIC' }, actor);
    await orm.close(true);
    await expect(restoreDatabase(url, path.join(dir, 'missing.sqlite'))).rejects.toThrow(
      `${path.join(dir, 'missing.sqlite')} does not exist: give the path of a file made by kam backup.`,
    );
    const garbage = path.join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'not a database at all, but long enough to be read as a header........');
    await expect(restoreDatabase(url, garbage, { force: true })).rejects.toThrow(
      `${garbage} is not a SQLite database (file is not a database); give a file made by kam backup.`,
    );
    await expect(restoreDatabase(url, backup)).rejects.toThrow(
      `${url} already holds data (rows in account); pass --force to replace it with ${backup} (stop the server first).`,
    );
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

  it('replaces a database that holds no data without --force: one kam migrate just made, an empty SQLite file', async () => {
    const { dir, backup } = await backupOf(3);
    // These used to be refused as "already holds a database; pass --force": the test was the
    // file's size, and kam migrate's reference data (settings, service elements, KPIs) is no data.
    const fresh = path.join(dir, 'fresh.sqlite');
    await migrated(fresh);
    const empty = path.join(dir, 'empty.sqlite');
    const sqlite = new Sqlite(empty);
    sqlite.exec('create table scratch (x); drop table scratch');
    sqlite.close();
    const zero = path.join(dir, 'zero.sqlite');
    writeFileSync(zero, '');
    expect(statSync(fresh).size).toBeGreaterThan(0);
    expect(statSync(empty).size).toBeGreaterThan(0);
    for (const target of [fresh, empty, zero]) {
      await expect(restoreDatabase(target, backup), target).resolves.toMatchObject({
        pages: expect.any(Number),
      });
      expect(await accountCount(target)).toBe(3);
    }
  });

  it('replaces a database that holds data only with --force: any row beyond what kam migrate writes', async () => {
    const { dir, backup } = await backupOf(3);
    // A change of the reference data is data: it is in the audit trail under someone else than kam migrate.
    const changed = path.join(dir, 'changed.sqlite');
    await migrated(changed);
    const orm = await openOrm({ url: changed });
    try {
      await writeAs(orm.em.fork(), actor, async tx => {
        const element = await tx.findOneOrFail(ServiceElement, { position: 1 });
        element.name = 'Renamed';
      });
    } finally {
      await orm.close(true);
    }
    await expect(restoreDatabase(changed, backup)).rejects.toThrow(
      `${changed} already holds data (rows in audit_entry); pass --force to replace it with ${backup} (stop the server first).`,
    );
    // A SQLite database that is not kam's: any row is data.
    const other = path.join(dir, 'other.sqlite');
    const sqlite = new Sqlite(other);
    sqlite.exec("create table notes (text); insert into notes values ('keep me')");
    sqlite.close();
    await expect(restoreDatabase(other, backup)).rejects.toThrow(
      `${other} already holds data (rows in notes); pass --force to replace it with ${backup} (stop the server first).`,
    );
    // The data's own table is named rather than the audit trail that records it.
    const person = path.join(dir, 'person.sqlite');
    await migrated(person);
    const withPerson = await openOrm({ url: person });
    try {
      await createPerson(withPerson.em.fork(), { name: 'Kim Lead', email: 'kim@example.test' }, actor);
    } finally {
      await withPerson.close(true);
    }
    await expect(restoreDatabase(person, backup)).rejects.toThrow(
      `${person} already holds data (rows in person); pass --force to replace it with ${backup} (stop the server first).`,
    );
    await restoreDatabase(other, backup, { force: true });
    expect(await accountCount(other)).toBe(3);
  });

  it('says when DATABASE_URL is a folder or not a SQLite database, even with --force, and what to give', async () => {
    const { dir, backup } = await backupOf(1);
    const text = path.join(dir, 'notes.txt');
    writeFileSync(text, 'a text file, not a database\n');
    for (const force of [false, true]) {
      // A folder used to be "already holds a database", and with --force "unable to open database file".
      await expect(restoreDatabase(dir, backup, { force })).rejects.toThrow(
        `${dir} is a folder; DATABASE_URL must name the SQLite database file (e.g. ${path.join(dir, 'kam.sqlite')}).`,
      );
      // A text file used to be "already holds a database", and with --force "file is not a database".
      await expect(restoreDatabase(text, backup, { force })).rejects.toThrow(
        `${text} is not a SQLite database (file is not a database); check DATABASE_URL: it must name kam's SQLite database file.`,
      );
    }
    expect(readFileSync(text, 'utf8')).toBe('a text file, not a database\n');

    // The other commands, through openDatabase: the text file used to read "Cannot reach the
    // database at …: file is not a database. Check that the server runs there and accepts
    // connections", the folder "… unable to open database file. Check that the server runs …".
    for (const [url, message] of [
      [
        text,
        `kam: ${text} is not a SQLite database (file is not a database); check DATABASE_URL: it must name kam's SQLite database file.`,
      ],
      [
        dir,
        `kam: ${dir} is a folder; DATABASE_URL must name the SQLite database file (e.g. ${path.join(dir, 'kam.sqlite')}).`,
      ],
    ] as const) {
      const cli = cliOn(url);
      try {
        for (const args of [
          ['backup', '--out', path.join(dir, 'b.sqlite')],
          ['token', 'list'],
          ['migrate'],
        ]) {
          cli.errors.length = 0;
          expect(await cli.kam(...args), `${url}: ${args.join(' ')}`).toBe(1);
          expect(cli.errors, `${url}: ${args.join(' ')}`).toEqual([message]);
        }
        cli.errors.length = 0;
        expect(await cli.kam('restore', backup, '--force')).toBe(1);
        expect(cli.errors).toEqual([message]);
      } finally {
        cli.restore();
      }
    }
    expect(readFileSync(text, 'utf8')).toBe('a text file, not a database\n');
  });

  it('refuses to restore the database onto itself, as kam backup refuses to write over it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-restore-self-'));
    const url = path.join(dir, 'kam.sqlite');
    await migrated(url);
    const link = path.join(dir, 'link.sqlite');
    symlinkSync(url, link);
    const message = 'kam: The backup file cannot be the database itself: give a file made by kam backup.';
    const cli = cliOn(url);
    try {
      // It used to say "Restored 153 pages from X into X" and exit 0.
      for (const file of [url, link]) {
        cli.errors.length = 0;
        expect(await cli.kam('restore', file, '--force'), file).toBe(1);
        expect(cli.errors, file).toEqual([message]);
      }
      for (const out of [url, link]) {
        cli.errors.length = 0;
        expect(await cli.kam('backup', '--out', out), out).toBe(1);
        expect(cli.errors, out).toEqual([
          'kam: The backup file cannot be the database itself: choose a new file name for the backup.',
        ]);
      }
    } finally {
      cli.restore();
    }
    expect(cli.out).toEqual([]);
  });

  it('says which backup file cannot be created, and why, where SQLite says "unable to open database file"', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-backup-unwritable-'));
    const url = path.join(dir, 'kam.sqlite');
    await migrated(url);
    const cli = cliOn(url);
    try {
      // /proc exists but takes no new files (even for root, whom a permission check lets through).
      expect(await cli.kam('backup', '--out', '/proc/x.sqlite')).toBe(1);
    } finally {
      cli.restore();
    }
    // Was only "kam: unable to open database file".
    expect(cli.errors).toEqual([
      'kam: Cannot create the backup file /proc/x.sqlite: the folder /proc does not take new files; choose a folder you can write to for --out.',
    ]);
    expect(readdirSync(dir)).toEqual(['kam.sqlite']);
  });

  it('refuses an empty --out or backup file as empty', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-backup-empty-'));
    const url = path.join(dir, 'kam.sqlite');
    await migrated(url);
    const cli = cliOn(url);
    try {
      // It used to say "/work/main already exists": the empty path is the working folder.
      for (const out of ['', '  ']) {
        cli.errors.length = 0;
        expect(await cli.kam('backup', '--out', out)).toBe(1);
        expect(cli.errors).toEqual(['kam: --out is empty; give the path of the backup file to create.']);
      }
      cli.errors.length = 0;
      expect(await cli.kam('restore', '')).toBe(1);
      expect(cli.errors).toEqual([
        'kam: The backup file is empty; give the path of a file made by kam backup.',
      ]);
    } finally {
      cli.restore();
    }
    expect(readdirSync(dir)).toEqual(['kam.sqlite']);
  });
});
