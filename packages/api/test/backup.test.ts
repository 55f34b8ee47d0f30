import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrateDatabase, openOrm, systemActor, upsertAccounts } from '@kam/domain';
import { testDialect } from '@kam/domain/testing';
import { describe, expect, it } from 'vitest';
import { backupDatabase, checkIntegrity, restoreDatabase } from '../src/ops/backup.ts';

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
});
