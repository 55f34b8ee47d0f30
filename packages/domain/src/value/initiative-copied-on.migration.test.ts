/**
 * Migration20261207170000_initiative_copied_on over initiatives written before it: one marked
 * copied (no copy day, its category before the copy overwritten with EXPECTED) and desired gains
 * stored blank.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeValue } from '../analytics/value.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { createTestDatabase, makeAccount, type TestDatabase } from '../testing/index.ts';

const COPIED_ON = 'Migration20261207170000_initiative_copied_on';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe(COPIED_ON, () => {
  it('dates an initiative copied before it from its start (EXPECTED, no premium, in every quarter), and stores blank desired gains as ""', async () => {
    const account = await makeAccount(db.em());
    await db.orm.migrator.down({ migrations: [COPIED_ON] });
    const connection = db.em().getConnection();
    const insert = (name: string, desiredGains: string, copied: boolean) =>
      connection.execute<{ id: number }[]>(
        `insert into value_initiative (created_at, updated_at, name, account_id, category, phase, outcome,
           desired_gains, customer_gain, supplier_gain, customer_recognised, recognised_on, copied_by_competitor,
           started_on, ended_on)
         values (?, ?, ?, ?, ?, 'ROLL_OUT', 'ADOPTED', ?, 100000, 40000, ?, '2025-02-01', ?, '2025-01-01', '2025-03-01')
         returning id`,
        [
          new Date(),
          new Date(),
          name,
          account.id,
          copied ? 'EXPECTED' : 'PROVEN',
          desiredGains,
          true,
          copied,
        ],
      );
    const [copied] = await insert('Copied before the day was kept', ' \t\n\u00a0 ', true);
    const [kept] = await insert('Not copied', ' Less scrap ', false);
    await migrateDatabase(db.orm);

    type Row = {
      id: number;
      desired_gains: string;
      copied_on: string | null;
      category_before_copy: string | null;
    };
    const rows = await connection.execute<Row[]>(
      `select id, desired_gains, cast(copied_on as text) as copied_on, category_before_copy
         from value_initiative where id in (?, ?) order by id`,
      [copied?.id, kept?.id],
    );
    expect(rows.map((r: Row) => [r.desired_gains, r.copied_on, r.category_before_copy])).toEqual([
      ['', '2025-01-01', null],
      // Not blank: left as it was stored.
      [' Less scrap ', null, null],
    ]);

    // 2025-Q1 (as of 2025-03-31): both adopted and recognised. The copied one is EXPECTED, as it
    // read before, and earns no premium: supplier gains 400 (the other one's) only; the customer
    // gains from both, 1000 + 1000 = 2000.
    const value = await computeValue(db.em(), '2025-Q1');
    expect(value.byCategory).toMatchObject({ EXPECTED: 1, PROVEN: 1 });
    expect([value.customerGains, value.supplierGains]).toEqual(['2000.00', '400.00']);
  });
});
