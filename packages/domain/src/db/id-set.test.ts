import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../accounts/account.entity.ts';
import { createTestDatabase, makeAccount, type TestDatabase } from '../testing/index.ts';
import { idInSet, idSetCondition } from './id-set.ts';

let db: TestDatabase;
let statements: string[] = [];
const ids: number[] = [];
beforeAll(async () => {
  db = await createTestDatabase({ onQuery: sql => statements.push(sql) });
  for (let i = 0; i < 4; i++) ids.push((await makeAccount(db.em(), { externalRef: `SET-${i}` })).id);
});
afterAll(async () => {
  await db.close();
});

/** 70,000 ids (more than either database binds in one statement) holding the 2nd and 4th account. */
function largeSet(): number[] {
  const set = Array.from({ length: 70_000 }, (_, i) => 1_000_000 + i);
  set[123] = ids[1] as number;
  set[69_999] = ids[3] as number;
  return set;
}

describe('id sets as one parameter', () => {
  it('filters entities by 70,000 ids in one short statement', async () => {
    statements = [];
    const found = await db.em().find(Account, idInSet(db.em(), largeSet()), { orderBy: { id: 'asc' } });
    expect(found.map(a => a.externalRef)).toEqual(['SET-1', 'SET-3']);
    expect(await db.em().count(Account, idInSet(db.em(), largeSet()))).toBe(2);
    // Combined with other conditions, and empty: an empty set matches nothing.
    expect(
      await db.em().count(Account, { $and: [idInSet(db.em(), largeSet()), { externalRef: 'SET-3' }] }),
    ).toBe(1);
    expect(await db.em().count(Account, idInSet(db.em(), []))).toBe(0);
    expect(statements).toHaveLength(4);
    for (const sql of statements) expect(sql.length).toBeLessThan(500);
  });

  it('gives hand-written SQL one condition and one parameter', async () => {
    const set = idSetCondition(db.dialect, 'a.id', largeSet());
    expect(set.params).toHaveLength(1);
    const rows = await db
      .em()
      .getConnection()
      .execute<{ external_ref: string }[]>(
        `select a.external_ref from account a where ${set.sql} and a.external_ref <> ? order by a.id`,
        [...set.params, 'SET-1'],
      );
    expect(rows.map((r: { external_ref: string }) => r.external_ref)).toEqual(['SET-3']);
    expect(() => idSetCondition(db.dialect, 'a.id', [1, 2.5])).toThrow(/not an integer id/);
  });
});
