import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { DESIGN_PHASES } from '../common/vocabulary.ts';
import { AccountPlan } from '../plans/account-plan.entity.ts';
import { comparePlanVersions } from '../plans/plan.service.ts';
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
    const rows = async <T extends object>(sql: string) =>
      (await db.em().getConnection().execute(sql)) as unknown as T[];
    const values = async (sql: string) => (await rows<{ v: unknown }>(sql)).map(r => String(r.v));
    expect(report.quarters).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']);
    // About 12 % key accounts.
    expect(report.keyAccounts / report.accounts).toBeGreaterThan(0.08);
    expect(report.keyAccounts / report.accounts).toBeLessThan(0.16);
    // Pareto: the top 20 % of the buying accounts make 60-85 % of the revenue of the last four quarters.
    const revenues = (
      await rows<{ r: number }>(
        "select sum(revenue) as r from quarterly_financial where quarter >= '2025-Q4' group by account_id having sum(revenue) > 0 order by r desc",
      )
    ).map(row => Number(row.r));
    const total = revenues.reduce((s, v) => s + v, 0);
    const top = revenues.slice(0, Math.ceil(revenues.length / 5)).reduce((s, v) => s + v, 0);
    expect(top / total).toBeGreaterThan(0.6);
    expect(top / total).toBeLessThan(0.85);
    // Margins shrink with size: the top 20 % earn a lower gross margin than the rest.
    const margin = async (top: boolean) => {
      const ids = (
        await values(
          "select account_id as v from quarterly_financial where quarter >= '2025-Q4' group by account_id having sum(revenue) > 0 order by sum(revenue) desc",
        )
      ).slice(...(top ? [0, Math.ceil(revenues.length / 5)] : [Math.ceil(revenues.length / 5)]));
      const [row] = await rows<{ gp: number; r: number }>(
        `select sum(gross_profit) as gp, sum(revenue) as r from quarterly_financial where account_id in (${ids.join(', ')})`,
      );
      return Number(row?.gp) / Number(row?.r);
    };
    expect(await margin(true)).toBeLessThan(await margin(false));
    // Key accounts grow faster than the rest (first quarter against the last).
    const growth = async (key: boolean) => {
      const sql = `select f.quarter, sum(f.revenue) as r from quarterly_financial f
        where f.account_id ${key ? '' : 'not '}in (select account_id from key_account_designation)
          and f.quarter in ('2025-Q3', '2026-Q3') group by f.quarter order by f.quarter`;
      const found = await rows<{ r: number }>(sql);
      return Number(found[1]?.r) / Number(found[0]?.r);
    };
    expect(await growth(true)).toBeGreaterThan(await growth(false));
    // Every plan status, phase, outcome and tier is present.
    for (const [sql, expected] of [
      ['select distinct status as v from account_plan', ['DRAFT', 'IN_REVIEW', 'APPROVED', 'CLOSED']],
      ['select distinct outcome as v from opportunity', ['OPEN', 'WON', 'LOST']],
      ['select distinct outcome as v from value_initiative', ['ADOPTED', 'REJECTED', 'REVISED', 'COMBINED']],
      ['select distinct phase as v from value_initiative where outcome is null', DESIGN_PHASES],
      ['select distinct tier as v from tier_assessment', ['TIER_4', 'TIER_3', 'TIER_2', 'TIER_1']],
      [
        'select distinct role as v from team_member',
        ['KEY_ACCOUNT_MANAGER', 'SPONSOR', 'COACH', 'BUSINESS_UNIT_LEAD', 'SUPPORT'],
      ],
      [
        'select distinct kind as v from customer_signal',
        ['FEEDBACK', 'ADVICE_REQUEST', 'EXPANSION_REQUEST', 'REFERRAL'],
      ],
    ] as const) {
      const present = await values(sql);
      for (const value of expected) expect(present, sql).toContain(value);
    }
    // Every KPI input has data in every quarter.
    for (const table of [
      'quarterly_financial',
      'tier_assessment',
      'customer_signal',
      'survey_response',
      'organisation_measurement',
    ]) {
      expect(await scalar(db, `select count(distinct quarter) from ${table}`), table).toBe(5);
    }
    expect(await scalar(db, 'select count(*) from account where segment_id is not null')).toBeGreaterThan(
      100,
    );
    expect(await scalar(db, 'select count(*) from account where parent_id is not null')).toBeGreaterThan(10);

    // The rules hold: the data is what the services would have accepted.
    const yes = db.dialect === 'postgresql' ? 'true' : '1';
    for (const [rule, sql] of [
      [
        'approved plans are signed by every involved unit',
        `select count(*) from account_plan p where p.status in ('APPROVED', 'CLOSED') and exists (
           select 1 from plan_unit u where u.plan_id = p.id and not exists (
             select 1 from plan_sign_off s where s.plan_id = p.id and s.business_unit_id = u.business_unit_id))`,
      ],
      [
        'a plan is signed for a unit by one of its people',
        'select count(*) from plan_sign_off s join person p on p.id = s.signed_by_id where p.business_unit_id <> s.business_unit_id',
      ],
      [
        'execution reviews only of approved plans, after the approval',
        `select count(*) from execution_review r join account_plan p on p.id = r.plan_id
           where p.status not in ('APPROVED', 'CLOSED') or r.reviewed_on < p.approved_on`,
      ],
      [
        'adopted only after the live test, with both gains and recognition',
        `select count(*) from value_initiative where outcome = 'ADOPTED' and not (
           customer_gain > 0 and supplier_gain > 0 and customer_recognised = ${yes}
           and phase in ('REVIEW_AND_REFINE', 'ROLL_OUT'))`,
      ],
      [
        'revised initiatives are back at TEST_PLAN and still running',
        "select count(*) from value_initiative where outcome = 'REVISED' and (phase <> 'TEST_PLAN' or ended_on is not null)",
      ],
      [
        'combined only into a running initiative',
        `select count(*) from value_initiative v left join value_initiative t on t.id = v.combined_into_id
           where v.outcome = 'COMBINED' and (t.id is null or t.outcome in ('ADOPTED', 'REJECTED', 'COMBINED'))`,
      ],
      [
        'combined into an initiative that had started by then',
        `select count(*) from value_initiative v join value_initiative t on t.id = v.combined_into_id
           where v.ended_on < t.started_on`,
      ],
      [
        'adopted on or after the customer recognised the value',
        "select count(*) from value_initiative where outcome = 'ADOPTED' and ended_on < recognised_on",
      ],
      [
        'a plan closed on or after its last execution review',
        `select count(*) from account_plan p where p.status = 'CLOSED'
           and exists (select 1 from execution_review r where r.plan_id = p.id and r.reviewed_on > p.closed_on)`,
      ],
      [
        'scores 1-5',
        `select count(*) from selection_assessment where ${[
          'market_leadership',
          'innovation_leadership',
          'growth_fit',
          'other_units_potential',
          'loyalty',
          'information_sharing',
          'engagement_desire',
          'buying_basis',
        ]
          .map(c => `${c} not between 1 and 5`)
          .join(' or ')}`,
      ],
      ['influence 1-5', 'select count(*) from contact where influence < 1 or influence > 5'],
      ['survey scores 1-5', 'select count(*) from survey_response where score < 1 or score > 5'],
      [
        'decided bids are qualified',
        "select count(*) from opportunity where outcome <> 'OPEN' and (qualified <> " +
          yes +
          ' or decided_on is null)',
      ],
    ] as const) {
      expect(await scalar(db, sql), rule).toBe(0);
    }
    for (const d of await rows<{ on: string; due: string }>(
      'select cast(designated_on as text) as "on", cast(review_due_on as text) as due from key_account_designation',
    )) {
      const earliest = new Date(`${d.on}T00:00:00Z`);
      earliest.setUTCMonth(earliest.getUTCMonth() + 24);
      expect(d.due >= earliest.toISOString().slice(0, 10), `${d.on} → ${d.due}`).toBe(true);
    }
    // Nothing happens after the end of the history (2026-Q3).
    for (const [table, column] of [
      ['customer_signal', 'occurred_on'],
      ['survey_response', 'responded_on'],
      ['opportunity', 'decided_on'],
      ['value_initiative', 'ended_on'],
      ['value_initiative', 'recognised_on'],
      ['plan_action', 'completed_on'],
      ['execution_review', 'reviewed_on'],
    ] as const) {
      const [last] = await values(`select max(cast(${column} as text)) as v from ${table}`);
      expect(last! <= '2026-09-30', `${table}.${column} ${last}`).toBe(true);
    }
    // Every row written is audited.
    const { AuditEntry: audited, ...written } = report.rows;
    expect(audited).toBe(Object.values(written).reduce((s, v) => s + v, 0));
    expect(await scalar(db, "select count(*) from audit_entry where actor_label = 'demo test'")).toBe(
      audited,
    );
    expect(await scalar(db, "select count(*) from audit_entry where entity_type = 'Account'")).toBe(300);
    expect(
      await scalar(db, "select count(*) from audit_entry where entity_type = 'QuarterlyFinancial'"),
    ).toBe(report.financialRows);
  });

  it('freezes the whole content of a submitted plan: a plan in review shows no change since', async () => {
    // The frozen version lacked the estimated customer value, investment and cost-to-serve, so
    // every seeded plan compared against its version 1 showed them changed from nothing.
    const { db } = await seeded(11);
    const inReview = await db.em().find(AccountPlan, { status: 'IN_REVIEW' });
    expect(inReview.length).toBeGreaterThan(0);
    for (const plan of inReview) {
      const changed = (await comparePlanVersions(db.em(), { planId: plan.id, from: 1 })).filter(
        d => d.changed,
      );
      expect(changed, `plan ${plan.id}`).toEqual([]);
    }
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
