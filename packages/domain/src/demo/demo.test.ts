import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, expectRejected, type TestDatabase } from '../testing/index.ts';
import { type DemoReport, defaultEndQuarter, seedDemoPortfolio } from './demo.ts';

const actor = { label: 'demo test', personId: null };
const open: TestDatabase[] = [];
afterAll(async () => {
  for (const db of open) await db.close();
});

async function seeded(seed: number): Promise<{ db: TestDatabase; report: DemoReport }> {
  const db = await createTestDatabase();
  open.push(db);
  const report = await seedDemoPortfolio(
    db.em(),
    { accounts: 300, quarters: 5, seed, endQuarter: '2026-Q3' },
    actor,
  );
  return { db, report };
}

/** A digest of the generated business data (ids and audit time stamps aside). */
async function digest(db: TestDatabase): Promise<string> {
  const connection = db.em().getConnection();
  const hash = createHash('sha256');
  for (const sql of [
    'select external_ref, name, industry, country, customer_since from account order by external_ref',
    'select a.external_ref, f.quarter, f.revenue, f.gross_profit, f.cost_to_serve, f.potential from quarterly_financial f join account a on a.id = f.account_id order by a.external_ref, f.quarter, f.business_unit_id',
    'select a.external_ref, t.quarter, t.tier from tier_assessment t join account a on a.id = t.account_id order by a.external_ref, t.quarter',
    'select external_ref, value, outcome, decided_on from opportunity order by external_ref',
    'select external_ref, kind, quarter from customer_signal order by external_ref',
  ]) {
    for (const row of await connection.execute(sql))
      hash.update(JSON.stringify(Object.values(row).map(String)));
  }
  return hash.digest('hex');
}

async function scalar(db: TestDatabase, sql: string): Promise<number> {
  const [row] = await db.em().getConnection().execute(sql);
  return Number(Object.values(row as object)[0]);
}

describe('the demo portfolio', () => {
  it('is deterministic: the same seed gives the same data, another seed other data', async () => {
    const a = await seeded(7);
    const b = await seeded(7);
    const c = await seeded(8);
    expect(a.report.rows).toEqual(b.report.rows);
    expect(await digest(a.db)).toBe(await digest(b.db));
    expect(await digest(c.db)).not.toBe(await digest(a.db));
  });

  it('looks like a real portfolio', async () => {
    const { db, report } = await seeded(42);
    expect(report.quarters).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    // About 12 % key accounts.
    expect(report.keyAccounts / report.accounts).toBeGreaterThan(0.08);
    expect(report.keyAccounts / report.accounts).toBeLessThan(0.16);
    // Pareto: the top 20 % of buying accounts make most of the revenue of the last year.
    const revenues: number[] = (
      (await db
        .em()
        .getConnection()
        .execute(
          "select sum(revenue) as r from quarterly_financial where quarter >= '2025-Q4' group by account_id order by r desc",
        )) as { r: number }[]
    ).map(row => Number(row.r));
    const total = revenues.reduce((s, v) => s + v, 0);
    const top = revenues.slice(0, Math.ceil(revenues.length / 5)).reduce((s, v) => s + v, 0);
    expect(top / total).toBeGreaterThan(0.5);
    expect(top / total).toBeLessThan(0.9);
    // Key accounts grow faster than the rest (first quarter against the last).
    const growth = async (key: boolean) => {
      const sql = `select f.quarter, sum(f.revenue) as r from quarterly_financial f
        where f.account_id ${key ? '' : 'not '}in (select account_id from key_account_designation)
          and f.quarter in ('2025-Q3', '2026-Q3') group by f.quarter order by f.quarter`;
      const rows = (await db.em().getConnection().execute(sql)) as { r: number }[];
      return Number(rows[1]?.r) / Number(rows[0]?.r);
    };
    expect(await growth(true)).toBeGreaterThan(await growth(false));
    // Every plan status, phase-end outcome and opportunity outcome is present.
    for (const [table, column, values] of [
      ['account_plan', 'status', ['DRAFT', 'IN_REVIEW', 'APPROVED', 'CLOSED']],
      ['opportunity', 'outcome', ['OPEN', 'WON', 'LOST']],
      ['value_initiative', 'outcome', ['ADOPTED', 'REJECTED', 'REVISED', 'COMBINED']],
      ['tier_assessment', 'tier', ['TIER_4', 'TIER_3', 'TIER_2', 'TIER_1']],
    ] as const) {
      const present = (
        (await db.em().getConnection().execute(`select distinct ${column} as v from ${table}`)) as {
          v: string;
        }[]
      ).map(r => r.v);
      for (const value of values) expect(present, `${table}.${column}`).toContain(value);
    }
    // Rules hold: approved plans are signed by every involved unit; adopted initiatives have both gains and recognition.
    expect(
      await scalar(
        db,
        `select count(*) from account_plan p where p.status = 'APPROVED' and exists (
           select 1 from plan_unit u where u.plan_id = p.id and not exists (
             select 1 from plan_sign_off s where s.plan_id = p.id and s.business_unit_id = u.business_unit_id))`,
      ),
    ).toBe(0);
    expect(
      await scalar(
        db,
        `select count(*) from value_initiative where outcome = 'ADOPTED' and not (customer_gain > 0 and supplier_gain > 0 and customer_recognised = ${db.dialect === 'postgresql' ? 'true' : '1'})`,
      ),
    ).toBe(0);
    expect(await scalar(db, 'select count(*) from contact where influence < 1 or influence > 5')).toBe(0);
    // Every row written is audited.
    expect(await scalar(db, "select count(*) from audit_entry where entity_type = 'Account'")).toBe(300);
    expect(
      await scalar(db, "select count(*) from audit_entry where entity_type = 'QuarterlyFinancial'"),
    ).toBe(report.financialRows);
  });

  it('refuses a database that already holds accounts, writing nothing', async () => {
    const { db } = await seeded(3);
    await expectRejected(
      db.em(),
      'DEMO_DATABASE_NOT_EMPTY',
      () => seedDemoPortfolio(db.em(), { accounts: 50, quarters: 2, seed: 1 }, actor),
      ['account', 'quarterly_financial', 'audit_entry'],
    );
  });

  it('ends with the last finished quarter by default', () => {
    expect(defaultEndQuarter(new Date('2026-11-23T10:00:00Z'))).toBe('2026-Q3');
    expect(defaultEndQuarter(new Date('2026-01-02T10:00:00Z'))).toBe('2025-Q4');
  });
});
