/**
 * Only a plan in execution takes execution reviews (domain §7: recordExecutionReview refuses a
 * plan that is not APPROVED, closePlan ends the execution), so only such a plan gives a key
 * account plan freshness in its health; a plan not yet approved, or closed by the quarter's end,
 * gives none, and the plan flag says what the account needs. The snapshot's health and flags read
 * the plan in force with one rule (`planExecution`). Over the fixture portfolio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '../organisation/person.entity.ts';
import { approvePlan, closePlan, createPlan, signPlan, submitPlan } from '../plans/plan.service.ts';
import { designateKeyAccount } from '../selection/selection.service.ts';
import type { AccountSnapshotPayload } from '../snapshots/snapshot.types.ts';
import { createTestDatabase, makePerson, type TestDatabase, testActor } from '../testing/index.ts';
import { buildFixturePortfolio, type Fixture } from './fixtures/portfolio.fixture.ts';
import { buildQuarterDocuments } from './snapshot-documents.ts';

let db: TestDatabase;
let fixture: Fixture;
let alphaSigner: Person;

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await buildFixturePortfolio(db.em());
  alphaSigner = await makePerson(db.em(), { businessUnitId: fixture.units.ALPHA });
});
afterAll(async () => db?.close());

async function accountIn(quarter: string, ref: string): Promise<AccountSnapshotPayload> {
  const docs = await buildQuarterDocuments(db.em(), quarter);
  return docs.accounts.find(a => a.externalRef === ref)!;
}

const freshnessOf = (a: AccountSnapshotPayload) => a.health!.components.find(c => c.key === 'planFreshness')!;
const planFlags = (a: AccountSnapshotPayload) => a.flags.filter(f => f.kind.startsWith('PLAN_'));

describe('a plan that is not approved', () => {
  it('gives a draft past its start no plan freshness, as its flag says', async () => {
    // A01's 2026 plan (drafted 2025-12-15, started 2026-01-01) is still a draft on 2026-03-31. It
    // read 100 ("Plan started 2026-01-01, 2 months and 30 days before 2026-03-31"), while the same
    // document asked for its approval (PLAN_NOT_APPROVED_PAST_START).
    const a01 = await accountIn('2026-Q1', 'A01');
    expect(a01.plan).toMatchObject({ status: 'DRAFT' });
    expect(freshnessOf(a01)).toMatchObject({
      value: 0,
      contribution: 0,
      explanation:
        'The plan started on 2026-01-01 and is not approved yet (still a draft): it takes no execution reviews. Get it approved to start its reviews.',
    });
    expect(planFlags(a01).map(f => f.kind)).toEqual(['PLAN_NOT_APPROVED_PAST_START']);
  });

  it('gives a plan in review no plan freshness either', async () => {
    // A02's 2026 plan (unit ALPHA, from 2026-01-01) is submitted on 2026-02-01 and not signed: in
    // review on 2026-03-31.
    const created = await createPlan(
      db.em(),
      { accountId: fixture.ids.A02!, year: 2026, businessUnitIds: [fixture.units.ALPHA], on: '2026-01-10' },
      testActor,
    );
    await submitPlan(
      db.em(),
      { id: created.id, expectedVersion: created.version, on: '2026-02-01' },
      testActor,
    );
    const a02 = await accountIn('2026-Q1', 'A02');
    expect(a02.plan).toMatchObject({ status: 'IN_REVIEW' });
    expect(freshnessOf(a02)).toMatchObject({
      value: 0,
      explanation:
        'The plan started on 2026-01-01 and is not approved yet (still in review): it takes no execution reviews. Get it approved to start its reviews.',
    });
    expect(planFlags(a02).map(f => f.kind)).toEqual(['PLAN_NOT_APPROVED_PAST_START']);
  });
});

describe('a plan closed early', () => {
  it('is in execution until it is closed, then no plan in execution: no freshness, the "no plan" flag', async () => {
    // A08 (key since 2025-01-01) has a 2026 plan approved on 2025-12-10 and started 2026-01-01,
    // closed early on 2026-05-15.
    await designateKeyAccount(
      db.em(),
      { accountId: fixture.ids.A08!, designatedOn: '2025-01-01' },
      testActor,
    );
    const created = await createPlan(
      db.em(),
      { accountId: fixture.ids.A08!, year: 2026, businessUnitIds: [fixture.units.ALPHA], on: '2025-12-01' },
      testActor,
    );
    const submitted = await submitPlan(
      db.em(),
      { id: created.id, expectedVersion: created.version, on: '2025-12-05' },
      testActor,
    );
    await signPlan(
      db.em(),
      { id: created.id, businessUnitId: fixture.units.ALPHA, signedById: alphaSigner.id, on: '2025-12-06' },
      testActor,
    );
    const approved = await approvePlan(
      db.em(),
      { id: created.id, expectedVersion: submitted.version, on: '2025-12-10' },
      testActor,
    );
    await closePlan(
      db.em(),
      { id: created.id, expectedVersion: approved.version, on: '2026-05-15' },
      testActor,
    );

    // 2026-Q1: approved and in execution; started 2026-01-01, 2 months and 30 days before
    // 2026-03-31, within the cadence of 3 months: 100, no plan flag.
    const q1 = await accountIn('2026-Q1', 'A08');
    expect(q1.plan).toMatchObject({ status: 'APPROVED' });
    expect(freshnessOf(q1).value).toBe(100);
    expect(planFlags(q1)).toEqual([]);

    // 2026-Q2: closed on 2026-05-15, it takes no reviews any more. It raised no plan flag and read
    // "reviews are due every 3 months".
    const q2 = await accountIn('2026-Q2', 'A08');
    expect(q2.plan).toMatchObject({ status: 'CLOSED' });
    expect(freshnessOf(q2)).toMatchObject({
      value: 0,
      explanation:
        'The plan was closed on 2026-05-15: no plan in execution. Write the next key account plan and get it approved.',
    });
    expect(planFlags(q2)).toEqual([
      {
        kind: 'PLAN_NOT_APPROVED_PAST_START',
        message:
          'The 2026 plan was closed on 2026-05-15: no key account plan in execution on 2026-06-30. Write the next one and get it signed.',
      },
    ]);
  });
});
