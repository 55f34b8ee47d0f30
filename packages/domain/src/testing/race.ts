import type { EntityManager } from '@mikro-orm/core';
import { query } from '../analytics/sql.ts';
import type { TestDatabase } from './test-database.ts';

/** What each of two overlapping operations gave: its value, or the error it failed with. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function outcomeOf<T>(promise: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Overlaps two operations the way two API requests can on PostgreSQL, without depending on
 * timing: `first` runs in a transaction that stays open once it is done, `second` then
 * starts, and `first` commits only when `second` waits on one of its locks (or has finished
 * without waiting). So `second` reads what was committed before `first`, and whatever
 * `first` wrote is still uncommitted when `second` writes. PostgreSQL only: SQLite runs one
 * transaction at a time (there `second` would wait for the open transaction forever).
 */
export async function overlap<A, B>(
  db: TestDatabase,
  first: (tx: EntityManager) => Promise<A>,
  second: (em: EntityManager) => Promise<B>,
): Promise<[Outcome<A>, Outcome<B>]> {
  if (db.dialect !== 'postgresql') throw new Error('overlap() needs PostgreSQL.');
  let holding!: (pid: number) => void;
  const held = new Promise<number>(resolve => {
    holding = resolve;
  });
  let release!: () => void;
  const released = new Promise<void>(resolve => {
    release = resolve;
  });
  const firstDone = outcomeOf(
    db.em().transactional(async tx => {
      const value = await first(tx);
      const [row] = await query<{ pid: number }>(tx, 'select pg_backend_pid() as pid');
      holding(Number(row!.pid));
      await released;
      return value;
    }),
  );
  const pid = await Promise.race([held, firstDone.then(() => null)]);
  if (pid === null) {
    // `first` failed before it held anything: run `second` on its own.
    return [await firstDone, await outcomeOf(second(db.em()))];
  }
  let settled = false;
  const secondDone = outcomeOf(second(db.em())).finally(() => {
    settled = true;
  });
  const deadline = Date.now() + 10_000;
  while (!settled && Date.now() < deadline) {
    const waiting = await query<{ n: number | string }>(
      db.em(),
      'select count(*) as n from pg_stat_activity where ? = any(pg_blocking_pids(pid))',
      [pid],
    );
    if (Number(waiting[0]?.n) > 0) break;
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  release();
  return [await firstDone, await secondDone];
}
