import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type MikroORM, openOrm } from '@kam/domain';
import { createScratchDatabase, dropScratchDatabase, testDialect } from '@kam/domain/testing';
import Database from 'better-sqlite3';

/**
 * A database a `kam serve` child process can open by URL: a SQLite file in a temporary folder,
 * or a scratch database on the test PostgreSQL server. `drop()` removes it.
 */
export interface FileDatabase {
  dialect: 'sqlite' | 'postgresql';
  url: string;
  /** SQLite only: the file. */
  file?: string;
  drop(): Promise<void>;
}

export async function createFileDatabase(label: string): Promise<FileDatabase> {
  if (testDialect() === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), `kam-${label}-`));
    const file = path.join(dir, 'kam.sqlite');
    return {
      dialect: 'sqlite',
      url: file,
      file,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = process.env.KAM_TEST_DATABASE_URL;
  if (!server) throw new Error('The PostgreSQL project needs KAM_TEST_DATABASE_URL.');
  const scratch = await createScratchDatabase(server, `kam_${label}`);
  return { dialect: 'postgresql', url: scratch.url, drop: () => dropScratchDatabase(server, scratch.name) };
}

/** A side connection the test uses to look at the database under a running (or killed) server. */
export interface Probe {
  rows(sql: string): Promise<Record<string, unknown>[]>;
  count(sql: string): Promise<number>;
  /** True while another connection holds an open write transaction. */
  writeInProgress(): Promise<boolean>;
  /** 'ok' when the database is consistent after a crash. */
  integrity(): Promise<string>;
  close(): Promise<void>;
}

export async function openProbe(db: FileDatabase): Promise<Probe> {
  if (db.dialect === 'sqlite') {
    // timeout 0: a probe must never wait for the server's lock, only see it.
    const sqlite = new Database(db.file as string, { fileMustExist: true, timeout: 0 });
    const rows = async (sql: string) => sqlite.prepare(sql).all() as Record<string, unknown>[];
    return {
      rows,
      count: async sql => Number(Object.values((await rows(sql))[0] ?? {})[0]),
      async writeInProgress() {
        // BEGIN IMMEDIATE takes the write lock: it fails with SQLITE_BUSY exactly when another
        // connection has started writing (deferred transactions lock at their first write).
        try {
          sqlite.exec('begin immediate');
          sqlite.exec('rollback');
          return false;
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
          throw error;
        }
      },
      async integrity() {
        const check = sqlite.pragma('integrity_check', { simple: true });
        const fk = sqlite.pragma('foreign_key_check') as unknown[];
        return check === 'ok' && fk.length === 0
          ? 'ok'
          : `integrity_check=${check}, foreign_key_check=${fk.length}`;
      },
      close: async () => {
        sqlite.close();
      },
    };
  }
  const orm: MikroORM = await openOrm({ url: db.url, poolSize: 2 });
  const rows = (sql: string) => orm.em.getConnection().execute<Record<string, unknown>[]>(sql);
  return {
    rows,
    count: async sql => Number(Object.values((await rows(sql))[0] ?? {})[0]),
    async writeInProgress() {
      // A backend gets a transaction id at its first write.
      const found = await rows(
        `select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_xid is not null`,
      );
      return Number(found[0]?.n) > 0;
    },
    async integrity() {
      // After a crash of the client, PostgreSQL rolls the dead session back; nothing may stay
      // half-open, and the tables must still be readable end to end.
      const open = await rows(
        `select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'`,
      );
      await rows('select count(*) from account');
      await rows('select count(*) from audit_entry');
      return Number(open[0]?.n) === 0 ? 'ok' : `${open[0]?.n} session(s) idle in transaction`;
    },
    close: () => orm.close(true),
  };
}

/** A digest of a query's rows (order fixed by the query), to prove data unchanged. */
export async function digestOf(probe: Probe, sql: string): Promise<string> {
  const rows = await probe.rows(sql);
  return createHash('sha256')
    .update(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v)))
    .digest('hex')
    .slice(0, 16);
}
