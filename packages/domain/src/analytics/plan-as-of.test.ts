/**
 * A closed quarter shows each account plan as it stood on the quarter's last day ("as of",
 * docs/analytics.md): its status, the version then under review and the sign-offs it still
 * lacked, read from the plan's status history, not its current status. Over the fixture
 * portfolio, reading 2026-Q1 (as of 2026-03-31) after plan steps taken in April 2026, as when
 * the quarter is closed on 2026-04-10.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '../organisation/person.entity.ts';
import { AccountPlan, PlanUnit } from '../plans/account-plan.entity.ts';
import {
  approvePlan,
  createPlan,
  recordExecutionReview,
  returnPlanToDraft,
  signPlan,
  submitPlan,
} from '../plans/plan.service.ts';
import { designateKeyAccount } from '../selection/selection.service.ts';
import { createTestDatabase, makePerson, type TestDatabase, testActor } from '../testing/index.ts';
import { buildFixturePortfolio, type Fixture } from './fixtures/portfolio.fixture.ts';
import { computeGroupRollups } from './rollup.ts';
import { buildQuarterDocuments } from './snapshot-documents.ts';

let db: TestDatabase;
let fixture: Fixture;
let alphaSigner: Person;
let betaSigner: Person;

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await buildFixturePortfolio(db.em());
  alphaSigner = await makePerson(db.em(), { businessUnitId: fixture.units.ALPHA });
  betaSigner = await makePerson(db.em(), { businessUnitId: fixture.units.BETA });
});
afterAll(async () => db?.close());

async function planOf(ref: string): Promise<AccountPlan> {
  return db.em().findOneOrFail(AccountPlan, { account: fixture.ids[ref]!, year: 2026 });
}

async function q1Account(ref: string) {
  const docs = await buildQuarterDocuments(db.em(), '2026-Q1');
  return docs.accounts.find(a => a.externalRef === ref)!;
}

const sign = (planId: number, unit: 'ALPHA' | 'BETA', on: string) =>
  signPlan(
    db.em(),
    {
      id: planId,
      businessUnitId: fixture.units[unit],
      signedById: (unit === 'ALPHA' ? alphaSigner : betaSigner).id,
      on,
    },
    testActor,
  );

/** A plan row as written before the status history existed: no history rows at all. */
async function insertPlanWithoutHistory(
  ref: string,
  fields: { status: AccountPlan['status']; latestVersionNumber: number; units: ('ALPHA' | 'BETA')[] },
): Promise<number> {
  const now = new Date('2026-01-20T09:00:00Z');
  const em = db.em();
  const id = (await em.insert(AccountPlan, {
    account: fixture.ids[ref]!,
    year: 2026,
    status: fields.status,
    startsOn: '2026-01-01',
    endsOn: '2026-12-31',
    latestVersionNumber: fields.latestVersionNumber,
    submittedOn: fields.latestVersionNumber > 0 ? '2026-01-20' : null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  } as never)) as number;
  for (const unit of fields.units) {
    await em.insert(PlanUnit, {
      plan: id,
      businessUnit: fixture.units[unit],
      createdAt: now,
      updatedAt: now,
    } as never);
  }
  return id;
}

describe('a plan approved after the quarter ended', () => {
  it('is in review in the quarter, waiting for the unit that signed after it', async () => {
    // A01's 2026 plan (drafted 2025-12-15, units ALPHA and BETA, started 2026-01-01) is submitted
    // on 2026-03-10 and signed by ALPHA on 2026-03-20; BETA signs on 2026-04-03 and the plan is
    // approved on 2026-04-05. On 2026-03-31 it was IN_REVIEW, still waiting for BETA.
    const draft = await planOf('A01');
    const submitted = await submitPlan(
      db.em(),
      { id: draft.id, expectedVersion: draft.version, on: '2026-03-10' },
      testActor,
    );
    await sign(draft.id, 'ALPHA', '2026-03-20');
    await sign(draft.id, 'BETA', '2026-04-03');
    const approved = await approvePlan(
      db.em(),
      { id: draft.id, expectedVersion: submitted.version, on: '2026-04-05' },
      testActor,
    );
    expect(approved.status).toBe('APPROVED');

    const a01 = await q1Account('A01');
    expect(a01.plan).toMatchObject({ status: 'IN_REVIEW', missingSignOffs: ['BETA'] });
    // Started 2026-01-01 and not approved by 2026-03-31; an unapproved plan takes no execution
    // review, so it is not PLAN_REVIEW_OVERDUE.
    expect(a01.flags.filter(f => f.kind.startsWith('PLAN_'))).toEqual([
      {
        kind: 'PLAN_NOT_APPROVED_PAST_START',
        message:
          'The 2026 plan started on 2026-01-01 and is still in review; waiting for sign-off by Beta. Get it approved.',
      },
    ]);
  });
});

describe('a plan returned to draft after the quarter ended', () => {
  it('is in review in the quarter, with the signatures its version had by then', async () => {
    // A02's 2026 plan (drafted 2026-01-10, unit ALPHA) is submitted on 2026-02-01 and signed by
    // ALPHA on 2026-02-15 (version 1); it is returned to draft on 2026-04-08. On 2026-03-31 it
    // was IN_REVIEW with every involved unit's signature: none missing.
    const created = await createPlan(
      db.em(),
      { accountId: fixture.ids.A02!, year: 2026, businessUnitIds: [fixture.units.ALPHA], on: '2026-01-10' },
      testActor,
    );
    const submitted = await submitPlan(
      db.em(),
      { id: created.id, expectedVersion: created.version, on: '2026-02-01' },
      testActor,
    );
    await sign(created.id, 'ALPHA', '2026-02-15');
    const returned = await returnPlanToDraft(
      db.em(),
      { id: created.id, expectedVersion: submitted.version, on: '2026-04-08' },
      testActor,
    );
    expect(returned.status).toBe('DRAFT');
    const inReview = {
      kind: 'PLAN_NOT_APPROVED_PAST_START',
      message: 'The 2026 plan started on 2026-01-01 and is still in review. Get it approved.',
    };
    let a02 = await q1Account('A02');
    expect(a02.plan).toMatchObject({ status: 'IN_REVIEW', missingSignOffs: [] });
    expect(a02.flags.filter(f => f.kind.startsWith('PLAN_'))).toEqual([inReview]);

    // Resubmitted on 2026-04-09 as version 2, which nobody has signed yet: the quarter still
    // shows version 1 under review, signed by ALPHA.
    await submitPlan(
      db.em(),
      { id: created.id, expectedVersion: returned.version, on: '2026-04-09' },
      testActor,
    );
    a02 = await q1Account('A02');
    expect(a02.plan).toMatchObject({ status: 'IN_REVIEW', missingSignOffs: [] });
    expect(a02.flags.filter(f => f.kind.startsWith('PLAN_'))).toEqual([inReview]);
  });
});

describe('a plan drafted after the quarter ended', () => {
  it('is not in the quarter: not in the account document, not in its groups', async () => {
    // A04 (in A03's and A01's groups) gets its 2026 plan on 2026-04-02. On 2026-03-31 the A01
    // group (A01, A03, A04, A12) had one plan, A01's; the A03 group (A03, A04) none. A plan is for a
    // key account: A04 becomes one on 2026-04-01, after the quarter too.
    await designateKeyAccount(
      db.em(),
      { accountId: fixture.ids.A04!, designatedOn: '2026-04-01' },
      testActor,
    );
    await createPlan(
      db.em(),
      { accountId: fixture.ids.A04!, year: 2026, businessUnitIds: [fixture.units.ALPHA], on: '2026-04-02' },
      testActor,
    );
    expect((await q1Account('A04')).plan).toBeNull();
    const rollups = await computeGroupRollups(db.em(), '2026-Q1');
    expect(rollups.get(fixture.ids.A01!)!.plans).toBe(1);
    expect(rollups.get(fixture.ids.A03!)!.plans).toBe(0);
  });
});

describe('a plan from before the status history', () => {
  it('reads as it is now while it has no history', async () => {
    // A05's APPROVED plan was written before the history existed: its current state is all there is.
    await insertPlanWithoutHistory('A05', { status: 'APPROVED', latestVersionNumber: 1, units: [] });
    expect((await q1Account('A05')).plan).toMatchObject({ status: 'APPROVED', missingSignOffs: [] });
  });

  it('reads as it was before its first recorded step, once it moves after the quarter', async () => {
    // A06's plan was DRAFT (version 0, unit BETA) before the history existed, and is submitted on
    // 2026-04-02: the one step recorded says it was DRAFT until then, with BETA's signature missing.
    // A07's was IN_REVIEW (version 1, no unit to sign) and is approved on 2026-04-05: IN_REVIEW then.
    const a06 = await insertPlanWithoutHistory('A06', {
      status: 'DRAFT',
      latestVersionNumber: 0,
      units: ['BETA'],
    });
    const a07 = await insertPlanWithoutHistory('A07', {
      status: 'IN_REVIEW',
      latestVersionNumber: 1,
      units: [],
    });
    await submitPlan(db.em(), { id: a06, expectedVersion: 1, on: '2026-04-02' }, testActor);
    await approvePlan(db.em(), { id: a07, expectedVersion: 1, on: '2026-04-05' }, testActor);
    const docs = await buildQuarterDocuments(db.em(), '2026-Q1');
    const planIn = (ref: string) => docs.accounts.find(a => a.externalRef === ref)!.plan;
    expect(planIn('A06')).toMatchObject({ status: 'DRAFT', missingSignOffs: ['BETA'] });
    expect(planIn('A07')).toMatchObject({ status: 'IN_REVIEW', missingSignOffs: [] });
    // As of today they are IN_REVIEW (version 1, BETA to sign) and APPROVED.
    expect([(await planOf('A06')).status, (await planOf('A07')).status]).toEqual(['IN_REVIEW', 'APPROVED']);
  });
});

describe('a plan whose period is not the calendar year', () => {
  it('is the plan of every quarter its period covers, and the next one takes over when it starts', async () => {
    // A08 plans April to March: its 2025 plan (2025-04-01 to 2026-03-31) was approved on
    // 2025-03-10 and reviewed on 2026-02-15; its 2026 plan (2026-04-01 to 2027-03-31) was drafted
    // on 2026-03-15. On 2026-03-31 the 2025 plan was in force, reviewed six weeks earlier.
    await designateKeyAccount(
      db.em(),
      { accountId: fixture.ids.A08!, designatedOn: '2025-01-01' },
      testActor,
    );
    const plan2025 = await createPlan(
      db.em(),
      {
        accountId: fixture.ids.A08!,
        year: 2025,
        startsOn: '2025-04-01',
        endsOn: '2026-03-31',
        businessUnitIds: [fixture.units.ALPHA],
        on: '2025-03-01',
      },
      testActor,
    );
    const submitted = await submitPlan(
      db.em(),
      { id: plan2025.id, expectedVersion: plan2025.version, on: '2025-03-05' },
      testActor,
    );
    await sign(plan2025.id, 'ALPHA', '2025-03-06');
    await approvePlan(
      db.em(),
      { id: plan2025.id, expectedVersion: submitted.version, on: '2025-03-10' },
      testActor,
    );
    await recordExecutionReview(
      db.em(),
      { planId: plan2025.id, reviewedOn: '2026-02-15', assessment: 'ON_TRACK', progress: 'On track.' },
      testActor,
    );
    await createPlan(
      db.em(),
      {
        accountId: fixture.ids.A08!,
        year: 2026,
        startsOn: '2026-04-01',
        endsOn: '2027-03-31',
        businessUnitIds: [fixture.units.ALPHA],
        on: '2026-03-15',
      },
      testActor,
    );
    const a08 = await q1Account('A08');
    expect(a08.plan).toMatchObject({
      id: plan2025.id,
      year: 2025,
      status: 'APPROVED',
      lastReviewOn: '2026-02-15',
    });
    expect(a08.flags.filter(f => f.kind.startsWith('PLAN_'))).toEqual([]);
    expect(a08.health?.components.find(c => c.key === 'planFreshness')).toMatchObject({ value: 100 });

    // 2025-Q4 (as of 2025-12-31): the same plan, not yet reviewed then.
    const q4 = (await buildQuarterDocuments(db.em(), '2025-Q4')).accounts.find(a => a.externalRef === 'A08')!;
    expect(q4.plan).toMatchObject({ id: plan2025.id, status: 'APPROVED', lastReviewOn: null });
  });

  it('leaves a quarter no plan covers without a plan, and says so by its date', async () => {
    // A09's only plan runs from 2026-04-01: on 2026-03-31 no plan was in force.
    await designateKeyAccount(
      db.em(),
      { accountId: fixture.ids.A09!, designatedOn: '2025-01-01' },
      testActor,
    );
    await createPlan(
      db.em(),
      {
        accountId: fixture.ids.A09!,
        year: 2026,
        startsOn: '2026-04-01',
        endsOn: '2027-03-31',
        businessUnitIds: [fixture.units.ALPHA],
        on: '2026-03-01',
      },
      testActor,
    );
    const a09 = await q1Account('A09');
    expect(a09.plan).toBeNull();
    expect(a09.flags.filter(f => f.kind.startsWith('PLAN_'))).toEqual([
      {
        kind: 'PLAN_NOT_APPROVED_PAST_START',
        message: 'No key account plan in force on 2026-03-31: write one and get it signed.',
      },
    ]);
    expect(a09.health?.components.find(c => c.key === 'planFreshness')).toMatchObject({
      value: 0,
      explanation: 'No plan in force: write and approve the key account plan.',
    });
  });
});
