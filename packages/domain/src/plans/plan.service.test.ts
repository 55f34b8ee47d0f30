import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../accounts/account.entity.ts';
import { addDays } from '../analytics/selection.ts';
import { AuditEntry } from '../audit/audit-entry.entity.ts';
import type { DomainErrorCode } from '../common/domain-error.ts';
import { today } from '../common/lookup.ts';
import type { BusinessUnit } from '../organisation/business-unit.entity.ts';
import { updatePerson } from '../organisation/organisation.service.ts';
import type { Person } from '../organisation/person.entity.ts';
import { designateKeyAccount, revokeDesignation } from '../selection/selection.service.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  makeBusinessUnit,
  makePerson,
  overlap,
  type TestDatabase,
  tableCounts,
  testActor,
  testDialect,
} from '../testing/index.ts';
import {
  AccountPlan,
  ExecutionReview,
  PlanAction,
  PlanSignOff,
  PlanStatusChange,
  PlanVersion,
} from './account-plan.entity.ts';
import {
  addPlanAction,
  approvePlan,
  closePlan,
  comparePlanVersions,
  copyPlanToNextYear,
  createPlan,
  recordExecutionReview,
  returnPlanToDraft,
  signPlan,
  submitPlan,
  updatePlan,
  updatePlanAction,
} from './plan.service.ts';

let db: TestDatabase;
let sales: BusinessUnit;
let service: BusinessUnit;
let finance: BusinessUnit;
let salesLead: Person;
let serviceLead: Person;
let financeLead: Person;
beforeAll(async () => {
  db = await createTestDatabase();
  sales = await makeBusinessUnit(db.em(), { code: 'P-SALES' });
  service = await makeBusinessUnit(db.em(), { code: 'P-SERVICE' });
  finance = await makeBusinessUnit(db.em(), { code: 'P-FINANCE' });
  salesLead = await makePerson(db.em(), { businessUnitId: sales.id });
  serviceLead = await makePerson(db.em(), { businessUnitId: service.id });
  financeLead = await makePerson(db.em(), { businessUnitId: finance.id });
});
afterAll(async () => {
  await db.close();
});

const PLAN_TABLES = ['account_plan', 'plan_unit', 'plan_sign_off', 'plan_version', 'plan_status_change'];

/** A key account, designated on `since`: before every day these tests draft a plan on. */
async function keyAccount(since = '2020-01-01'): Promise<Account> {
  const account = await makeAccount(db.em());
  await designateKeyAccount(db.em(), { accountId: account.id, designatedOn: since }, testActor);
  return account;
}

/** A DRAFT plan of a key account, drafted on `on` (default today). */
async function draftPlan(units: BusinessUnit[] = [sales, service], year = 2026, on?: string) {
  const account = await keyAccount();
  return createPlan(
    db.em(),
    {
      accountId: account.id,
      year,
      businessUnitIds: units.map(u => u.id),
      sections: { baselines: 'Start' },
      on,
    },
    testActor,
  );
}

/** A plan's status history, oldest first: step, status left, status reached, day, version. */
async function historyOf(planId: number) {
  const rows = await db.em().find(PlanStatusChange, { plan: planId }, { orderBy: { id: 'asc' } });
  return rows.map(r => [r.step, r.fromStatus, r.status, r.changedOn, r.versionNumber]);
}

/** `person` signs the plan for `unit` on `on`, naming the version read when `versionNumber` is given. */
const sign = (planId: number, unit: BusinessUnit, person: Person, on?: string, versionNumber?: number) =>
  signPlan(
    db.em(),
    {
      id: planId,
      businessUnitId: unit.id,
      signedById: person.id,
      on,
      ...(versionNumber ? { versionNumber } : {}),
    },
    testActor,
  );

async function reload(id: number): Promise<AccountPlan> {
  return db.em().findOneOrFail(AccountPlan, id);
}

describe('a plan is approved only with every involved business unit’s sign-off', () => {
  it('refuses approval while one unit has not signed, then approves once it has', async () => {
    const plan = await draftPlan(undefined, 2026, '2026-01-05');
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-01-20' }, testActor);
    await sign(plan.id, sales, salesLead, '2026-02-01');
    const error = await expectRejected(
      db.em(),
      'PLAN_NOT_SIGNED_BY_ALL_UNITS',
      () => approvePlan(db.em(), { id: plan.id, expectedVersion: 2 }, testActor),
      PLAN_TABLES,
    );
    expect(error.details).toEqual({ missingBusinessUnits: ['P-SERVICE'] });
    // Named as its users know it (year and account), not by its database id.
    const { externalRef } = await db
      .em()
      .findOneOrFail(AccountPlan, plan.id, { populate: ['account'] })
      .then(p => p.account);
    expect(error.message).toBe(
      `The 2026 plan of ${externalRef} cannot be approved: ${service.name} (P-SERVICE) has not signed version 1. Every business unit involved must sign first.`,
    );
    expect((await reload(plan.id)).status).toBe('IN_REVIEW');

    await sign(plan.id, service, serviceLead, '2026-02-01');
    const approved = await approvePlan(
      db.em(),
      { id: plan.id, expectedVersion: 2, on: '2026-02-03' },
      testActor,
    );
    expect([approved.status, approved.approvedOn, approved.version]).toEqual(['APPROVED', '2026-02-03', 3]);
    const audit = await db
      .em()
      .find(AuditEntry, { entityType: 'AccountPlan', entityId: String(plan.id) }, { orderBy: { id: 'asc' } });
    expect(audit.map(a => a.action)).toEqual(['CREATE', 'UPDATE', 'UPDATE']);
    expect(audit[2]?.changes.status).toEqual({ before: 'IN_REVIEW', after: 'APPROVED' });
  });

  it('refuses approval with no sign-off at all', async () => {
    const plan = await draftPlan([sales, service, finance]);
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1 }, testActor);
    const error = await expectRejected(
      db.em(),
      'PLAN_NOT_SIGNED_BY_ALL_UNITS',
      () => approvePlan(db.em(), { id: plan.id, expectedVersion: 2 }, testActor),
      PLAN_TABLES,
    );
    expect(error.details).toEqual({ missingBusinessUnits: ['P-FINANCE', 'P-SALES', 'P-SERVICE'] });
  });

  it('sign-offs of an earlier version do not count for a resubmitted plan', async () => {
    const plan = await draftPlan();
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1 }, testActor);
    await sign(plan.id, sales, salesLead);
    await sign(plan.id, service, serviceLead);
    await returnPlanToDraft(db.em(), { id: plan.id, expectedVersion: 2 }, testActor);
    await updatePlan(
      db.em(),
      { id: plan.id, expectedVersion: 3, businessUnitIds: [sales.id, service.id, finance.id] },
      testActor,
    );
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 4 }, testActor);
    await sign(plan.id, finance, financeLead);
    const error = await expectRejected(
      db.em(),
      'PLAN_NOT_SIGNED_BY_ALL_UNITS',
      () => approvePlan(db.em(), { id: plan.id, expectedVersion: 5 }, testActor),
      PLAN_TABLES,
    );
    expect(error.details).toEqual({ missingBusinessUnits: ['P-SALES', 'P-SERVICE'] });
    expect(await db.em().count(PlanVersion, { plan: plan.id })).toBe(2);
  });

  it('a signature naming the version read is refused once the plan was submitted again', async () => {
    const plan = await draftPlan();
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1 }, testActor);
    await returnPlanToDraft(db.em(), { id: plan.id, expectedVersion: 2 }, testActor);
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 3 }, testActor);
    const signRead = (versionNumber: number) => sign(plan.id, sales, salesLead, undefined, versionNumber);
    const error = await expectRejected(db.em(), 'VERSION_CONFLICT', () => signRead(1), PLAN_TABLES);
    expect(error.message).toBe(
      `The 2026 plan of ${plan.account.externalRef} is in review as version 2, not version 1: it was submitted again since. Read version 2 (compare it with 1) and sign that one.`,
    );
    expect(error.details).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
    expect(await signRead(2)).toMatchObject({ planVersionNumber: 2 });
  });

  it('only an involved unit signs, only through one of its own people, only while IN_REVIEW', async () => {
    const plan = await draftPlan([sales]);
    await expectRejected(
      db.em(),
      'PLAN_INVALID_TRANSITION',
      () => sign(plan.id, sales, salesLead),
      PLAN_TABLES,
    );
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1 }, testActor);
    const notInvolved = await expectRejected(
      db.em(),
      'PLAN_UNIT_NOT_INVOLVED',
      () => sign(plan.id, service, serviceLead),
      PLAN_TABLES,
    );
    expect(notInvolved.message).toMatch(/; only involved units sign it \(P-SALES\)\.$/);
    const otherUnit = await expectRejected(
      db.em(),
      'PLAN_SIGNER_NOT_IN_UNIT',
      () => sign(plan.id, sales, serviceLead),
      PLAN_TABLES,
    );
    expect(otherUnit.message).toBe(
      `${serviceLead.name} is not a member of P-SALES; a plan is signed for a business unit by one of its own people.`,
    );
    const outsider = await makePerson(db.em());
    const noUnit = await expectRejected(
      db.em(),
      'PLAN_SIGNER_NOT_IN_UNIT',
      () => sign(plan.id, sales, outsider),
      PLAN_TABLES,
    );
    expect(noUnit.message).toMatch(/\(.+ belongs to no business unit\)\.$/);
    expect(await db.em().count(PlanSignOff, { plan: plan.id })).toBe(0);
  });

  it('a plan involving no business unit cannot be submitted', async () => {
    const plan = await draftPlan([]);
    await expectRejected(
      db.em(),
      'PLAN_HAS_NO_BUSINESS_UNITS',
      () => submitPlan(db.em(), { id: plan.id, expectedVersion: 1 }, testActor),
      PLAN_TABLES,
    );
    expect((await reload(plan.id)).status).toBe('DRAFT');
  });
});

describe('a blank optional text is no value', () => {
  it('a sign-off’s blank comment is stored as null', async () => {
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-01-20' }, testActor);
    const signed = await signPlan(
      db.em(),
      { id: plan.id, businessUnitId: sales.id, signedById: salesLead.id, on: '2026-02-01', comment: ' \n ' },
      testActor,
    );
    expect((await db.em().findOneOrFail(PlanSignOff, signed.id)).comment).toBeNull();
  });
});

describe('a plan’s estimated investment and cost-to-serve are never negative', () => {
  it('refuses a negative estimate on update and on create, and keeps the stored targets', async () => {
    const plan = await draftPlan([sales]);
    await updatePlan(
      db.em(),
      {
        id: plan.id,
        expectedVersion: 1,
        targets: { estimatedInvestment: '0', estimatedCostToServe: '250.00' },
      },
      testActor,
    );
    for (const field of ['estimatedCostToServe', 'estimatedInvestment'] as const) {
      const error = await expectRejected(
        db.em(),
        'INVALID_MONEY',
        () =>
          updatePlan(
            db.em(),
            { id: plan.id, expectedVersion: 2, targets: { [field]: '-100.00' } },
            testActor,
          ),
        PLAN_TABLES,
      );
      expect(error.issues).toMatchObject([{ path: ['targets', field], code: 'INVALID_MONEY' }]);
      expect(error.message).toContain('must not be negative');
    }
    const stored = await db.em().findOneOrFail(AccountPlan, plan.id);
    expect(stored).toMatchObject({ version: 2, estimatedInvestment: '0.00', estimatedCostToServe: '250.00' });

    const account = await keyAccount();
    await expectRejected(
      db.em(),
      'INVALID_MONEY',
      () =>
        createPlan(
          db.em(),
          {
            accountId: account.id,
            year: 2026,
            businessUnitIds: [sales.id],
            targets: { estimatedCostToServe: '-0.01' },
          },
          testActor,
        ),
      PLAN_TABLES,
    );
  });
});

describe('only legal plan status transitions', () => {
  it('DRAFT cannot be approved, closed or returned to draft', async () => {
    const plan = await draftPlan();
    for (const [step, to] of [
      [approvePlan, 'APPROVED'],
      [closePlan, 'CLOSED'],
      [returnPlanToDraft, 'DRAFT'],
    ] as const) {
      const error = await expectRejected(
        db.em(),
        'PLAN_INVALID_TRANSITION',
        () => step(db.em(), { id: plan.id, expectedVersion: 1 }, testActor),
        PLAN_TABLES,
      );
      expect(error.details).toEqual({ from: 'DRAFT', to });
    }
    const reloaded = await reload(plan.id);
    expect([reloaded.status, reloaded.version]).toEqual(['DRAFT', 1]);
  });

  it('IN_REVIEW cannot be submitted again or closed; APPROVED and CLOSED cannot go back', async () => {
    const plan = await draftPlan([sales]);
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1 }, testActor);
    await expectRejected(db.em(), 'PLAN_INVALID_TRANSITION', () =>
      submitPlan(db.em(), { id: plan.id, expectedVersion: 2 }, testActor),
    );
    await expectRejected(db.em(), 'PLAN_INVALID_TRANSITION', () =>
      closePlan(db.em(), { id: plan.id, expectedVersion: 2 }, testActor),
    );
    await sign(plan.id, sales, salesLead);
    await approvePlan(db.em(), { id: plan.id, expectedVersion: 2 }, testActor);
    for (const step of [submitPlan, returnPlanToDraft, approvePlan]) {
      await expectRejected(
        db.em(),
        'PLAN_INVALID_TRANSITION',
        () => step(db.em(), { id: plan.id, expectedVersion: 3 }, testActor),
        PLAN_TABLES,
      );
    }
    await closePlan(db.em(), { id: plan.id, expectedVersion: 3 }, testActor);
    for (const step of [submitPlan, returnPlanToDraft, approvePlan, closePlan]) {
      await expectRejected(
        db.em(),
        'PLAN_INVALID_TRANSITION',
        () => step(db.em(), { id: plan.id, expectedVersion: 4 }, testActor),
        PLAN_TABLES,
      );
    }
    const reloaded = await reload(plan.id);
    expect([reloaded.status, reloaded.closedOn, reloaded.version]).toEqual(['CLOSED', today(), 4]);
  });

  it('only a DRAFT plan is edited; a CLOSED plan takes no new actions', async () => {
    const plan = await draftPlan([sales]);
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1 }, testActor);
    await expectRejected(
      db.em(),
      'PLAN_NOT_EDITABLE',
      () =>
        updatePlan(
          db.em(),
          { id: plan.id, expectedVersion: 2, sections: { baselines: 'Changed' } },
          testActor,
        ),
      PLAN_TABLES,
    );
    expect((await reload(plan.id)).baselines).toBe('Start');
    await sign(plan.id, sales, salesLead);
    await approvePlan(db.em(), { id: plan.id, expectedVersion: 2 }, testActor);
    await closePlan(db.em(), { id: plan.id, expectedVersion: 3 }, testActor);
    const closed = await expectRejected(
      db.em(),
      'PLAN_NOT_EDITABLE',
      () => addPlanAction(db.em(), { planId: plan.id, description: 'Too late' }, testActor),
      ['plan_action'],
    );
    // Not "return it to draft": a closed plan never goes back.
    expect(closed.message).toMatch(
      /^The 2026 plan of \S+ is CLOSED; actions are added to a plan that is still open \(DRAFT, IN_REVIEW or APPROVED\)\.$/,
    );
    const edit = await expectRejected(
      db.em(),
      'PLAN_NOT_EDITABLE',
      () =>
        updatePlan(db.em(), { id: plan.id, expectedVersion: 4, sections: { baselines: 'Late' } }, testActor),
      PLAN_TABLES,
    );
    expect(edit.message).toMatch(/is CLOSED; only a DRAFT plan can be edited: .* Copy it to next year/);
  });

  it('execution reviews are recorded only for an APPROVED plan', async () => {
    const plan = await draftPlan([sales]);
    await expectRejected(
      db.em(),
      'PLAN_NOT_IN_EXECUTION',
      () =>
        recordExecutionReview(
          db.em(),
          { planId: plan.id, assessment: 'ON_TRACK', progress: 'Fine' },
          testActor,
        ),
      ['execution_review'],
    );
  });

  it('an execution review is not dated before the approval: the plan was not in execution then', async () => {
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    const { externalRef } = (await db.em().findOneOrFail(AccountPlan, plan.id, { populate: ['account'] }))
      .account;
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-01-20' }, testActor);
    await sign(plan.id, sales, salesLead, '2026-02-01');
    await approvePlan(db.em(), { id: plan.id, expectedVersion: 2, on: '2026-04-05' }, testActor);
    const review = { planId: plan.id, assessment: 'ON_TRACK' as const, progress: 'Fine' };
    const error = await expectRejected(
      db.em(),
      'PLAN_NOT_IN_EXECUTION',
      () => recordExecutionReview(db.em(), { ...review, reviewedOn: '2026-03-31' }, testActor),
      ['execution_review'],
    );
    expect(error.message).toBe(
      `The 2026 plan of ${externalRef} was approved on 2026-04-05; an execution review cannot be dated 2026-03-31, before the plan was in execution. Date it on or after 2026-04-05.`,
    );
    const recorded = await recordExecutionReview(db.em(), { ...review, reviewedOn: '2026-04-05' }, testActor);
    expect(recorded.reviewedOn).toBe('2026-04-05');
  });

  it('a plan is not closed before its last execution review: it was still in execution then', async () => {
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    const { externalRef } = (await db.em().findOneOrFail(AccountPlan, plan.id, { populate: ['account'] }))
      .account;
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-01-20' }, testActor);
    await sign(plan.id, sales, salesLead, '2026-02-01');
    await approvePlan(db.em(), { id: plan.id, expectedVersion: 2, on: '2026-02-01' }, testActor);
    const review = { planId: plan.id, assessment: 'ON_TRACK' as const, progress: 'Fine' };
    await recordExecutionReview(db.em(), { ...review, reviewedOn: '2026-06-30' }, testActor);
    await recordExecutionReview(db.em(), { ...review, reviewedOn: '2026-11-20' }, testActor);
    const error = await expectRejected(
      db.em(),
      'PLAN_NOT_IN_EXECUTION',
      () => closePlan(db.em(), { id: plan.id, expectedVersion: 3, on: '2026-11-01' }, testActor),
      [...PLAN_TABLES, 'execution_review'],
    );
    expect(error.message).toBe(
      `The 2026 plan of ${externalRef} was reviewed in execution on 2026-11-20; it cannot be closed on 2026-11-01, before that review. Date the closing on or after 2026-11-20.`,
    );
    expect(error.issues).toEqual([
      {
        path: ['on'],
        message: 'before the last execution review (2026-11-20)',
        code: 'PLAN_NOT_IN_EXECUTION',
      },
    ]);
    expect((await reload(plan.id)).status).toBe('APPROVED');
    const closed = await closePlan(db.em(), { id: plan.id, expectedVersion: 3, on: '2026-11-20' }, testActor);
    expect([closed.status, closed.closedOn]).toEqual(['CLOSED', '2026-11-20']);
  });

  it('one plan per account and year', async () => {
    const plan = await draftPlan([sales], 2030);
    await expectRejected(
      db.em(),
      'PLAN_ALREADY_EXISTS',
      () => createPlan(db.em(), { accountId: plan.account.id, year: 2030 }, testActor),
      PLAN_TABLES,
    );
  });

  it('DONE and CANCELLED actions are final', async () => {
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    const action = await addPlanAction(
      db.em(),
      { planId: plan.id, description: 'Run the workshop' },
      testActor,
    );
    await updatePlanAction(
      db.em(),
      { id: action.id, expectedVersion: 1, status: 'DONE', completedOn: '2026-03-01' },
      testActor,
    );
    const error = await expectRejected(
      db.em(),
      'ACTION_INVALID_TRANSITION',
      () => updatePlanAction(db.em(), { id: action.id, expectedVersion: 2, status: 'OPEN' }, testActor),
      ['plan_action'],
    );
    expect(error.message).toContain('final');
    const reloaded = await db.em().findOneOrFail(PlanAction, action.id);
    expect([reloaded.status, reloaded.completedOn, reloaded.version]).toEqual(['DONE', '2026-03-01', 2]);
  });

  it('a final action keeps its description, owner and dates; completedOn comes only with DONE', async () => {
    const plan = await draftPlan([sales]);
    const action = await addPlanAction(db.em(), { planId: plan.id, description: 'Audit' }, testActor);
    // completedOn without status DONE used to be ignored without a word.
    const early = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        updatePlanAction(
          db.em(),
          { id: action.id, expectedVersion: 1, completedOn: '2026-03-01' },
          testActor,
        ),
      ['plan_action'],
    );
    expect(early.issues.map(i => i.path)).toEqual([['completedOn']]);
    await updatePlanAction(db.em(), { id: action.id, expectedVersion: 1, status: 'CANCELLED' }, testActor);
    for (const change of [
      { description: 'Another audit' },
      { dueOn: '2026-05-01' },
      { completedOn: '2026-03-01' },
    ]) {
      const error = await expectRejected(
        db.em(),
        'ACTION_INVALID_TRANSITION',
        () => updatePlanAction(db.em(), { id: action.id, expectedVersion: 2, ...change }, testActor),
        ['plan_action'],
      );
      expect(error.message).toBe(
        'Action "Audit" is CANCELLED: DONE and CANCELLED actions are final, with what they said when they ended. Add a new action instead.',
      );
    }
    const reloaded = await db.em().findOneOrFail(PlanAction, action.id);
    expect([reloaded.description, reloaded.dueOn, reloaded.version]).toEqual(['Audit', null, 2]);
  });

  it('the actions of a CLOSED plan are the record of its year: they no longer change', async () => {
    const plan = await draftPlan([sales]);
    const action = await addPlanAction(db.em(), { planId: plan.id, description: 'Visit' }, testActor);
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1 }, testActor);
    await sign(plan.id, sales, salesLead);
    await approvePlan(db.em(), { id: plan.id, expectedVersion: 2 }, testActor);
    await closePlan(db.em(), { id: plan.id, expectedVersion: 3 }, testActor);
    const error = await expectRejected(
      db.em(),
      'PLAN_NOT_EDITABLE',
      () => updatePlanAction(db.em(), { id: action.id, expectedVersion: 1, status: 'DONE' }, testActor),
      ['plan_action'],
    );
    expect(error.message).toBe(
      `The 2026 plan of ${plan.account.externalRef} is CLOSED; its actions are the record of that year and no longer change.`,
    );
    expect((await db.em().findOneOrFail(PlanAction, action.id)).status).toBe('OPEN');
  });
});

describe('optimistic locking of plans', () => {
  it('a stale expectedVersion is VERSION_CONFLICT for edits and for steps, and changes nothing', async () => {
    const plan = await draftPlan([sales]);
    await updatePlan(
      db.em(),
      { id: plan.id, expectedVersion: 1, sections: { baselines: 'First' } },
      testActor,
    );
    const error = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () =>
        updatePlan(
          db.em(),
          { id: plan.id, expectedVersion: 1, sections: { baselines: 'Second' } },
          testActor,
        ),
      PLAN_TABLES,
    );
    expect(error.details).toMatchObject({ entity: 'AccountPlan', expectedVersion: 1, currentVersion: 2 });
    expect(error.message).toMatch(
      /^The 2026 plan of \S+ was changed by someone else: you sent version 1, the current version is 2\./,
    );
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => submitPlan(db.em(), { id: plan.id, expectedVersion: 1 }, testActor),
      PLAN_TABLES,
    );
    const reloaded = await reload(plan.id);
    expect([reloaded.baselines, reloaded.status, reloaded.version]).toEqual(['First', 'DRAFT', 2]);
  });

  it('plan actions are locked too', async () => {
    const plan = await draftPlan([sales]);
    const action = await addPlanAction(db.em(), { planId: plan.id, description: 'Call' }, testActor);
    await updatePlanAction(
      db.em(),
      { id: action.id, expectedVersion: 1, description: 'Call the CFO' },
      testActor,
    );
    const stale = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => updatePlanAction(db.em(), { id: action.id, expectedVersion: 1, status: 'CANCELLED' }, testActor),
      ['plan_action'],
    );
    expect(stale.message).toMatch(
      /^Action "Call the CFO" of the 2026 plan of \S+ was changed by someone else: /,
    );
    expect((await db.em().findOneOrFail(PlanAction, action.id)).status).toBe('OPEN');
  });
});

describe('frozen plan versions are append-only', () => {
  it('the database refuses changing or deleting a frozen version', async () => {
    const plan = await draftPlan([sales]);
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1 }, testActor);
    const version = await db.em().findOneOrFail(PlanVersion, { plan: plan.id, number: 1 });
    expect(version.content.sections.baselines).toBe('Start');
    const before = await tableCounts(db.em(), ['plan_version']);
    const connection = db.em().getConnection();
    await expect(
      connection.execute('update plan_version set number = 7 where id = ?', [version.id]),
    ).rejects.toThrow(/append-only/);
    await expect(connection.execute('delete from plan_version where id = ?', [version.id])).rejects.toThrow(
      /append-only/,
    );
    expect(await tableCounts(db.em(), ['plan_version'])).toEqual(before);
    expect((await db.em().findOneOrFail(PlanVersion, version.id)).number).toBe(1);
  });
});

describe('the status history of a plan', () => {
  it('records every status step with its day, the status it left and the version it concerns', async () => {
    const plan = await draftPlan([sales, service], 2026, '2026-01-05');
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-01-20' }, testActor);
    await sign(plan.id, sales, salesLead);
    await returnPlanToDraft(db.em(), { id: plan.id, expectedVersion: 2, on: '2026-01-25' }, testActor);
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 3, on: '2026-01-28' }, testActor);
    // Version 2 needs both signatures again: a resubmission resets the sign-offs.
    await sign(plan.id, sales, salesLead, '2026-02-02');
    await sign(plan.id, service, serviceLead, '2026-02-02');
    await approvePlan(db.em(), { id: plan.id, expectedVersion: 4, on: '2026-02-03' }, testActor);
    await closePlan(db.em(), { id: plan.id, expectedVersion: 5, on: '2026-11-30' }, testActor);
    const next = await copyPlanToNextYear(db.em(), { id: plan.id, on: '2026-11-30' }, testActor);
    expect(await historyOf(plan.id)).toEqual([
      ['CREATED', null, 'DRAFT', '2026-01-05', 0],
      ['SUBMITTED', 'DRAFT', 'IN_REVIEW', '2026-01-20', 1],
      ['RETURNED_TO_DRAFT', 'IN_REVIEW', 'DRAFT', '2026-01-25', 1],
      ['SUBMITTED', 'DRAFT', 'IN_REVIEW', '2026-01-28', 2],
      ['APPROVED', 'IN_REVIEW', 'APPROVED', '2026-02-03', 2],
      ['CLOSED', 'APPROVED', 'CLOSED', '2026-11-30', 2],
    ]);
    expect(await historyOf(next.id)).toEqual([['COPIED', null, 'DRAFT', '2026-11-30', 0]]);
    // A step without a day is dated the day it is recorded.
    const undated = await draftPlan([sales]);
    expect(await historyOf(undated.id)).toEqual([['CREATED', null, 'DRAFT', today(), 0]]);
  });

  it('refuses a step dated before the plan’s last step, and writes nothing', async () => {
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    const { externalRef } = (await db.em().findOneOrFail(AccountPlan, plan.id, { populate: ['account'] }))
      .account;
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-02-01' }, testActor);
    await sign(plan.id, sales, salesLead, '2026-02-01');
    const error = await expectRejected(
      db.em(),
      'PLAN_STEP_BEFORE_LAST_STEP',
      () => approvePlan(db.em(), { id: plan.id, expectedVersion: 2, on: '2026-01-31' }, testActor),
      PLAN_TABLES,
    );
    expect(error.message).toBe(
      `The 2026 plan of ${externalRef} became IN_REVIEW on 2026-02-01; a later step cannot be dated 2026-01-31. Date it on or after 2026-02-01.`,
    );
    expect((await reload(plan.id)).status).toBe('IN_REVIEW');
    // The same day is fine.
    await approvePlan(db.em(), { id: plan.id, expectedVersion: 2, on: '2026-02-01' }, testActor);
    expect((await reload(plan.id)).status).toBe('APPROVED');
  });

  it('refuses an approval dated before a signature it needs: the plan was not yet signed by every unit then', async () => {
    const plan = await draftPlan([sales, service], 2026, '2026-01-05');
    const { externalRef } = (await db.em().findOneOrFail(AccountPlan, plan.id, { populate: ['account'] }))
      .account;
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-03-01' }, testActor);
    await sign(plan.id, sales, salesLead, '2026-03-05');
    await sign(plan.id, service, serviceLead, '2026-04-03');
    const error = await expectRejected(
      db.em(),
      'PLAN_NOT_SIGNED_BY_ALL_UNITS',
      () => approvePlan(db.em(), { id: plan.id, expectedVersion: 2, on: '2026-03-20' }, testActor),
      PLAN_TABLES,
    );
    expect(error.message).toBe(
      `The 2026 plan of ${externalRef} cannot be approved on 2026-03-20: ${service.name} (${service.code}) signed version 1 only on 2026-04-03. Date the approval on or after 2026-04-03.`,
    );
    expect((await reload(plan.id)).status).toBe('IN_REVIEW');
    await approvePlan(db.em(), { id: plan.id, expectedVersion: 2, on: '2026-04-03' }, testActor);
    expect((await reload(plan.id)).status).toBe('APPROVED');
  });

  it('refuses a signature dated before the submission it signs, and writes nothing', async () => {
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    const { externalRef } = (await db.em().findOneOrFail(AccountPlan, plan.id, { populate: ['account'] }))
      .account;
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-03-01' }, testActor);
    const error = await expectRejected(
      db.em(),
      'PLAN_STEP_BEFORE_LAST_STEP',
      () => sign(plan.id, sales, salesLead, '2026-02-28'),
      PLAN_TABLES,
    );
    expect(error.message).toBe(
      `The 2026 plan of ${externalRef} became IN_REVIEW on 2026-03-01; a later step cannot be dated 2026-02-28. Date it on or after 2026-03-01.`,
    );
    expect(error.issues).toEqual([
      { path: ['on'], message: 'before 2026-03-01', code: 'PLAN_STEP_BEFORE_LAST_STEP' },
    ]);
    expect(await sign(plan.id, sales, salesLead, '2026-03-01')).toMatchObject({ signedOn: '2026-03-01' });
  });

  it('is append-only: the database refuses changing or deleting a step', async () => {
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    const [step] = await db.em().find(PlanStatusChange, { plan: plan.id });
    const before = await tableCounts(db.em(), ['plan_status_change']);
    const connection = db.em().getConnection();
    await expect(
      connection.execute(`update plan_status_change set status = 'APPROVED' where id = ?`, [step!.id]),
    ).rejects.toThrow(/append-only/);
    await expect(
      connection.execute('delete from plan_status_change where id = ?', [step!.id]),
    ).rejects.toThrow(/append-only/);
    expect(await tableCounts(db.em(), ['plan_status_change'])).toEqual(before);
  });
});

describe('comparing plan versions', () => {
  it('titles every section and target, and says which versions a plan has', async () => {
    const plan = await draftPlan([sales]);
    const { externalRef } = (await db.em().findOneOrFail(AccountPlan, plan.id, { populate: ['account'] }))
      .account;
    const none = await expectRejected(
      db.em(),
      'PLAN_VERSION_NOT_FOUND',
      () => comparePlanVersions(db.em(), { planId: plan.id, from: 1 }),
      PLAN_TABLES,
    );
    expect(none.message).toBe(
      `The 2026 plan of ${externalRef} has no version 1: it has not been submitted yet (submitting a plan freezes its content as a version).`,
    );

    await updatePlan(
      db.em(),
      { id: plan.id, expectedVersion: 1, targets: { revenueTarget: '1000000', marginTargetPercent: '30' } },
      testActor,
    );
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 2 }, testActor);
    await returnPlanToDraft(db.em(), { id: plan.id, expectedVersion: 3 }, testActor);
    await updatePlan(
      db.em(),
      {
        id: plan.id,
        expectedVersion: 4,
        sections: { baselines: 'Revised' },
        targets: { revenueTarget: '1200000' },
      },
      testActor,
    );
    // Against the working content (no `to`): the changed section and target, titled.
    const rows = await comparePlanVersions(db.em(), { planId: plan.id, from: 1 });
    expect(rows.map(row => row.title)).toEqual([
      '1. Baselines: customer and market financial indicators, key challenges, ongoing projects',
      '2. The current relationship: strengths and weaknesses',
      '3. Growth opportunities and quantified targets',
      '4. Required actions and the desired customer solution',
      '5. Estimated value of the solution for the customer',
      '6. Estimated investment and cost-to-serve',
      '7. The action plan and the deal',
      'Revenue target',
      'Margin target (%)',
      'In-year target',
      'Estimated value for the customer',
      'Estimated investment',
      'Estimated cost-to-serve',
      'Business units involved',
    ]);
    expect(rows.filter(row => row.changed)).toEqual([
      expect.objectContaining({ key: 'baselines', before: 'Start', after: 'Revised' }),
      expect.objectContaining({ key: 'revenueTarget', before: '1000000.00', after: '1200000.00' }),
    ]);
    const one = await expectRejected(
      db.em(),
      'PLAN_VERSION_NOT_FOUND',
      () => comparePlanVersions(db.em(), { planId: plan.id, from: 1, to: 2 }),
      PLAN_TABLES,
    );
    expect(one.message).toBe(`The 2026 plan of ${externalRef} has no version 2: its only version is 1.`);

    await submitPlan(db.em(), { id: plan.id, expectedVersion: 5 }, testActor);
    const frozen = await comparePlanVersions(db.em(), { planId: plan.id, from: 1, to: 2 });
    expect(frozen.filter(row => row.changed).map(row => row.key)).toEqual(['baselines', 'revenueTarget']);
    // Version 0 is not "the working content": versions start at 1.
    const zero = await expectRejected(
      db.em(),
      'PLAN_VERSION_NOT_FOUND',
      () => comparePlanVersions(db.em(), { planId: plan.id, from: 1, to: 0 }),
      PLAN_TABLES,
    );
    expect(zero.message).toBe(`The 2026 plan of ${externalRef} has no version 0: its versions are 1 to 2.`);
  });

  it('shows the margin target with its two decimals on every database, changed only when it changed', async () => {
    const plan = await draftPlan([sales]);
    // The edit and the submission in one EntityManager (as one GraphQL request with two
    // mutations): the version freezes the value as it was set, the comparison reads it back.
    const em = db.em();
    await updatePlan(
      em,
      { id: plan.id, expectedVersion: 1, targets: { marginTargetPercent: '31.5' } },
      testActor,
    );
    await submitPlan(em, { id: plan.id, expectedVersion: 2 }, testActor);
    await returnPlanToDraft(db.em(), { id: plan.id, expectedVersion: 3 }, testActor);
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 4 }, testActor);
    for (const to of [undefined, 2]) {
      const rows = await comparePlanVersions(db.em(), { planId: plan.id, from: 1, to });
      expect(rows.find(row => row.key === 'marginTargetPercent')).toMatchObject({
        before: '31.50',
        after: '31.50',
        changed: false,
      });
    }
  });

  it('copying into a year that already has a plan names the account by its ref', async () => {
    const plan = await draftPlan([sales], 2030);
    const { account } = await db.em().findOneOrFail(AccountPlan, plan.id, { populate: ['account'] });
    await createPlan(db.em(), { accountId: account.id, year: 2031 }, testActor);
    const error = await expectRejected(
      db.em(),
      'PLAN_ALREADY_EXISTS',
      () => copyPlanToNextYear(db.em(), { id: plan.id }, testActor),
      PLAN_TABLES,
    );
    expect(error.message).toBe(
      `Account ${account.externalRef} already has a plan for 2031; edit that plan instead.`,
    );
  });
});

describe('copying a plan to next year', () => {
  it('moves the plan’s own period on by a year: a fiscal-year plan stays a fiscal-year plan', async () => {
    const account = await keyAccount();
    const plan = await createPlan(
      db.em(),
      {
        accountId: account.id,
        year: 2026,
        businessUnitIds: [sales.id],
        startsOn: '2026-04-01',
        endsOn: '2027-03-31',
        sections: { baselines: 'Fiscal year' },
      },
      testActor,
    );
    const next = await copyPlanToNextYear(db.em(), { id: plan.id }, testActor);
    const copied = await reload(next.id);
    expect([copied.year, copied.startsOn, copied.endsOn, copied.baselines]).toEqual([
      2027,
      '2027-04-01',
      '2028-03-31',
      'Fiscal year',
    ]);
    // A plan that ends on the last day of February still does, leap year or not (of another
    // account: this one's 2026 and 2027 plans cover March 2027 to February 2028 already).
    const february = await createPlan(
      db.em(),
      { accountId: (await keyAccount()).id, year: 2028, startsOn: '2027-03-01', endsOn: '2028-02-29' },
      testActor,
    );
    const after = await reload((await copyPlanToNextYear(db.em(), { id: february.id }, testActor)).id);
    expect([after.year, after.startsOn, after.endsOn]).toEqual([2029, '2028-03-01', '2029-02-28']);
    // A calendar-year plan stays one.
    const calendar = await draftPlan([sales], 2027);
    const following = await reload((await copyPlanToNextYear(db.em(), { id: calendar.id }, testActor)).id);
    expect([following.startsOn, following.endsOn]).toEqual(['2028-01-01', '2028-12-31']);
  });

  it('carries the owner over only while they are active: a copy of a leaver’s plan starts without one', async () => {
    const owner = await makePerson(db.em(), { name: 'Olga Leaves', businessUnitId: sales.id });
    const account = await keyAccount();
    const plan = await createPlan(
      db.em(),
      { accountId: account.id, year: 2026, businessUnitIds: [sales.id], ownerId: owner.id },
      testActor,
    );
    const kept = await reload((await copyPlanToNextYear(db.em(), { id: plan.id }, testActor)).id);
    expect(kept.owner?.id).toBe(owner.id);
    await updatePerson(db.em(), { id: owner.id, expectedVersion: 1, active: false }, testActor);
    const copy = await reload((await copyPlanToNextYear(db.em(), { id: kept.id }, testActor)).id);
    expect([copy.year, copy.owner]).toEqual([2028, null]);
  });

  it('keeps createPlan’s year limit: the plan of the last year a plan may be for is not copied', async () => {
    const last = await draftPlan([sales], 2100);
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () => copyPlanToNextYear(db.em(), { id: last.id }, testActor),
      PLAN_TABLES,
    );
    // As createPlan refuses { year: 2101 }: the same check, on the year the copy would be for.
    expect(error.issues).toEqual([{ path: ['id'], message: expect.stringMatching(/2100/), code: 'TOO_BIG' }]);
    expect(error.message).toMatch(
      /^The 2100 plan of ACC-\d+ cannot be copied to next year: the copy would be for 2101, and a plan's year must be 2100 or earlier\.$/,
    );
    const created = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () => createPlan(db.em(), { accountId: last.account.id, year: 2101 }, testActor),
      PLAN_TABLES,
    );
    expect(created.issues).toEqual([{ path: ['year'], message: error.issues[0]?.message, code: 'TOO_BIG' }]);
  });
});

// SQLite runs one write transaction at a time: only PostgreSQL can overlap two requests.
describe.runIf(testDialect() === 'postgresql')('the same plan step twice at the same time', () => {
  it('creates one plan for an account and year and refuses the other with PLAN_ALREADY_EXISTS', async () => {
    // Each counted the account's plans for the year before the other committed, found none and
    // inserted one: the second failed on the unique key with DUPLICATE_ROW and database text.
    const account = await keyAccount();
    const create = (em: Parameters<typeof createPlan>[0]) =>
      createPlan(em, { accountId: account.id, year: 2026 }, testActor);
    const [first, second] = await overlap(db, create, create);
    expect(first.ok).toBe(true);
    expect(second.ok ? 'two plans' : second.error).toMatchObject({
      code: 'PLAN_ALREADY_EXISTS',
      message: `Account ${account.externalRef} already has a plan for 2026; edit that plan instead.`,
    });
    expect(await db.em().count(AccountPlan, { account: account.id, year: 2026 })).toBe(1);
  });

  it('refuses a copy to next year while that year’s plan is being created', async () => {
    const source = await draftPlan([sales], 2030);
    const [first, second] = await overlap(
      db,
      tx => createPlan(tx, { accountId: source.account.id, year: 2031 }, testActor),
      em => copyPlanToNextYear(em, { id: source.id }, testActor),
    );
    expect(first.ok).toBe(true);
    expect(second.ok ? 'two plans' : second.error).toMatchObject({ code: 'PLAN_ALREADY_EXISTS' });
    expect(await db.em().count(AccountPlan, { account: source.account.id, year: 2031 })).toBe(1);
  });

  it('answers a unit that signs twice at once with the one signature, as it does one after the other', async () => {
    const plan = await draftPlan([sales, service], 2026, '2026-01-05');
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-01-20' }, testActor);
    const signForSales = (em: Parameters<typeof signPlan>[0]) =>
      signPlan(
        em,
        { id: plan.id, businessUnitId: sales.id, signedById: salesLead.id, on: '2026-02-01' },
        testActor,
      );
    const [first, second] = await overlap(db, signForSales, signForSales);
    expect(first.ok).toBe(true);
    expect(second.ok ? second.value.id : second.error).toBe(first.ok ? first.value.id : 'none');
    expect(await db.em().count(PlanSignOff, { plan: plan.id, businessUnit: sales.id })).toBe(1);
  });
});

describe('an update that changes nothing is no change', () => {
  it('keeps the plan’s version, updatedAt and audit trail when nothing sent differs from what is stored', async () => {
    const account = await keyAccount();
    const plan = await createPlan(
      db.em(),
      {
        accountId: account.id,
        year: 2026,
        businessUnitIds: [sales.id, service.id],
        ownerId: salesLead.id,
        sections: { baselines: 'Start', customerValue: 'Uptime' },
        targets: { revenueTarget: '1500000.00', marginTargetPercent: '31.5' },
      },
      testActor,
    );
    const before = await reload(plan.id);
    const { updatedAt } = before;
    const audit = await tableCounts(db.em(), ['audit_entry']);
    for (const change of [
      {},
      { sections: { baselines: 'Start', customerValue: 'Uptime' } },
      { targets: { revenueTarget: '1500000', marginTargetPercent: '31.50' } },
      { ownerId: salesLead.id },
      { businessUnitIds: [service.id, sales.id] },
    ]) {
      const updated = await updatePlan(db.em(), { id: plan.id, expectedVersion: 1, ...change }, testActor);
      expect(updated.version).toBe(1);
      const reloaded = await reload(plan.id);
      expect([reloaded.version, reloaded.updatedAt.getTime()]).toEqual([1, updatedAt.getTime()]);
    }
    expect(await tableCounts(db.em(), ['audit_entry'])).toEqual(audit);
    // A change of the units involved alone is a change of the plan: its version moves on.
    const units = await updatePlan(
      db.em(),
      { id: plan.id, expectedVersion: 1, businessUnitIds: [sales.id] },
      testActor,
    );
    expect(units.version).toBe(2);
  });
});

describe('an action is not completed before its plan was drafted', () => {
  it('refuses completedOn before the plan’s draft date, with its path, and writes nothing', async () => {
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    const action = await addPlanAction(db.em(), { planId: plan.id, description: 'Kick-off' }, testActor);
    for (const completedOn of ['1999-03-01', '2026-01-04']) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () =>
          updatePlanAction(
            db.em(),
            { id: action.id, expectedVersion: 1, status: 'DONE', completedOn },
            testActor,
          ),
        ['plan_action'],
      );
      expect(error.message).toBe(
        `The 2026 plan of ${plan.account.externalRef} was drafted on 2026-01-05; its action "Kick-off" cannot have been done on ${completedOn}, before that. Date completedOn on or after 2026-01-05.`,
      );
      expect(error.issues).toEqual([
        { path: ['completedOn'], message: 'before 2026-01-05', code: 'ACTION_COMPLETED_BEFORE_PLAN_DRAFTED' },
      ]);
    }
    const unchanged = await db.em().findOneOrFail(PlanAction, action.id);
    expect([unchanged.status, unchanged.completedOn, unchanged.version]).toEqual(['OPEN', null, 1]);
    const done = await updatePlanAction(
      db.em(),
      { id: action.id, expectedVersion: 1, status: 'DONE', completedOn: '2026-01-05' },
      testActor,
    );
    expect([done.status, done.completedOn]).toEqual(['DONE', '2026-01-05']);
  });

  it('a copied plan was drafted on the day it was copied', async () => {
    const source = await draftPlan([sales], 2027, '2026-01-05');
    const copy = await copyPlanToNextYear(db.em(), { id: source.id, on: '2026-11-02' }, testActor);
    const action = await addPlanAction(db.em(), { planId: copy.id, description: 'Prepare' }, testActor);
    await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        updatePlanAction(
          db.em(),
          { id: action.id, expectedVersion: 1, status: 'DONE', completedOn: '2026-11-01' },
          testActor,
        ),
      ['plan_action'],
    );
  });
});

describe('signing a version that does not exist', () => {
  it('is PLAN_VERSION_NOT_FOUND, as comparing with it is, not a conflict', async () => {
    const plan = await draftPlan([sales]);
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1 }, testActor);
    const error = await expectRejected(
      db.em(),
      'PLAN_VERSION_NOT_FOUND',
      () => sign(plan.id, sales, salesLead, undefined, 2),
      PLAN_TABLES,
    );
    expect(error.message).toBe(
      `The 2026 plan of ${plan.account.externalRef} has no version 2: its only version is 1.`,
    );
    const compared = await expectRejected(db.em(), 'PLAN_VERSION_NOT_FOUND', () =>
      comparePlanVersions(db.em(), { planId: plan.id, from: 2 }),
    );
    expect(compared.message).toBe(error.message);
    expect(await sign(plan.id, sales, salesLead, undefined, 1)).toMatchObject({ planVersionNumber: 1 });
  });
});

describe('a plan’s free texts are trimmed; blank or null is the empty text', () => {
  it('trims the sections; a blank or null section clears the text to ""', async () => {
    const account = await keyAccount();
    const plan = await createPlan(
      db.em(),
      {
        accountId: account.id,
        year: 2026,
        businessUnitIds: [sales.id],
        sections: { baselines: '  Start \n', customerValue: '   ', requiredActions: null },
      },
      testActor,
    );
    let reloaded = await reload(plan.id);
    expect([reloaded.baselines, reloaded.customerValue, reloaded.requiredActions]).toEqual(['Start', '', '']);
    await updatePlan(
      db.em(),
      {
        id: plan.id,
        expectedVersion: 1,
        sections: { customerValue: ' Uptime ', growthOpportunities: 'More' },
      },
      testActor,
    );
    await updatePlan(
      db.em(),
      { id: plan.id, expectedVersion: 2, sections: { baselines: '   ', customerValue: null } },
      testActor,
    );
    reloaded = await reload(plan.id);
    expect([reloaded.baselines, reloaded.customerValue, reloaded.growthOpportunities]).toEqual([
      '',
      '',
      'More',
    ]);
    expect(reloaded.version).toBe(3);
  });

  it('trims an execution review’s blockers and help needed; blank is ""', async () => {
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-01-20' }, testActor);
    await sign(plan.id, sales, salesLead, '2026-02-01');
    await approvePlan(db.em(), { id: plan.id, expectedVersion: 2, on: '2026-02-02' }, testActor);
    const review = await recordExecutionReview(
      db.em(),
      {
        planId: plan.id,
        reviewedOn: '2026-04-01',
        assessment: 'ON_TRACK',
        progress: 'Fine',
        blockers: '  ',
        helpNeeded: ' A sponsor \n',
      },
      testActor,
    );
    db.em().clear();
    const stored = await db.em().findOneOrFail(ExecutionReview, review.id);
    expect([stored.blockers, stored.helpNeeded]).toEqual(['', 'A sponsor']);
  });
});

describe('a plan step records what has happened: not dated after today', () => {
  const tomorrow = () => addDays(today(), 1);
  const inFuture = (field: string) => [
    { path: [field], message: `after today (${today()})`, code: 'DATE_IN_FUTURE' },
  ];

  it('createPlan and copyPlanToNextYear refuse an on after today (DATE_IN_FUTURE at on), writing nothing', async () => {
    const account = await keyAccount();
    const created = await expectRejected(
      db.em(),
      'DATE_IN_FUTURE',
      () =>
        createPlan(
          db.em(),
          { accountId: account.id, year: 2027, businessUnitIds: [sales.id], on: '2099-08-01' },
          testActor,
        ),
      PLAN_TABLES,
    );
    expect(created.category).toBe('VALIDATION');
    expect(created.message).toBe(
      `on (2099-08-01) is after today (${today()}): a plan's step or signature is recorded once it has happened. Date it today or earlier.`,
    );
    expect(created.issues).toEqual(inFuture('on'));
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    const copied = await expectRejected(
      db.em(),
      'DATE_IN_FUTURE',
      () => copyPlanToNextYear(db.em(), { id: plan.id, on: tomorrow() }, testActor),
      PLAN_TABLES,
    );
    expect(copied.issues).toEqual(inFuture('on'));
    // Today is fine, given or by default.
    const copy = await copyPlanToNextYear(db.em(), { id: plan.id, on: today() }, testActor);
    expect(await historyOf(copy.id)).toEqual([['COPIED', null, 'DRAFT', today(), 0]]);
  });

  it('submitting, signing, returning, approving and closing refuse an on after today, writing nothing', async () => {
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    const refuse = async (step: () => Promise<unknown>) => {
      const error = await expectRejected(db.em(), 'DATE_IN_FUTURE', step, [...PLAN_TABLES, 'plan_sign_off']);
      expect(error.issues).toEqual(inFuture('on'));
    };
    await refuse(() => submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: tomorrow() }, testActor));
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-01-20' }, testActor);
    await refuse(() =>
      returnPlanToDraft(db.em(), { id: plan.id, expectedVersion: 2, on: '2099-01-01' }, testActor),
    );
    await refuse(() => sign(plan.id, sales, salesLead, tomorrow()));
    await sign(plan.id, sales, salesLead, '2026-02-01');
    await refuse(() => approvePlan(db.em(), { id: plan.id, expectedVersion: 2, on: tomorrow() }, testActor));
    await approvePlan(db.em(), { id: plan.id, expectedVersion: 2, on: '2026-02-01' }, testActor);
    await refuse(() => closePlan(db.em(), { id: plan.id, expectedVersion: 3, on: '2099-01-01' }, testActor));
    expect(await historyOf(plan.id)).toEqual([
      ['CREATED', null, 'DRAFT', '2026-01-05', 0],
      ['SUBMITTED', 'DRAFT', 'IN_REVIEW', '2026-01-20', 1],
      ['APPROVED', 'IN_REVIEW', 'APPROVED', '2026-02-01', 1],
    ]);
    // Closed today, as it can be once nothing is dated later.
    const closed = await closePlan(db.em(), { id: plan.id, expectedVersion: 3 }, testActor);
    expect([closed.status, closed.closedOn]).toEqual(['CLOSED', today()]);
  });

  it('an execution review is not dated after today (DATE_IN_FUTURE at reviewedOn), so the plan can still be closed today', async () => {
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-01-20' }, testActor);
    await sign(plan.id, sales, salesLead, '2026-02-01');
    await approvePlan(db.em(), { id: plan.id, expectedVersion: 2, on: '2026-02-01' }, testActor);
    const review = { planId: plan.id, assessment: 'ON_TRACK' as const, progress: 'Fine' };
    for (const reviewedOn of [tomorrow(), '2099-09-30']) {
      const error = await expectRejected(
        db.em(),
        'DATE_IN_FUTURE',
        () => recordExecutionReview(db.em(), { ...review, reviewedOn }, testActor),
        ['execution_review'],
      );
      expect(error.message).toBe(
        `reviewedOn (${reviewedOn}) is after today (${today()}): an execution review is recorded once it has taken place. Date it today or earlier.`,
      );
      expect(error.issues).toEqual(inFuture('reviewedOn'));
    }
    await recordExecutionReview(db.em(), { ...review, reviewedOn: today() }, testActor);
    const closed = await closePlan(db.em(), { id: plan.id, expectedVersion: 3 }, testActor);
    expect([closed.status, closed.closedOn]).toEqual(['CLOSED', today()]);
  });

  it('an action is not completed after today (DATE_IN_FUTURE at completedOn): DONE is final', async () => {
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    const action = await addPlanAction(db.em(), { planId: plan.id, description: 'Kick-off' }, testActor);
    for (const completedOn of [tomorrow(), '2099-01-01']) {
      const error = await expectRejected(
        db.em(),
        'DATE_IN_FUTURE',
        () =>
          updatePlanAction(
            db.em(),
            { id: action.id, expectedVersion: 1, status: 'DONE', completedOn },
            testActor,
          ),
        ['plan_action'],
      );
      expect(error.message).toBe(
        `completedOn (${completedOn}) is after today (${today()}): an action is recorded done once it has been done. Date it today or earlier.`,
      );
      expect(error.issues).toEqual(inFuture('completedOn'));
    }
    const unchanged = await db.em().findOneOrFail(PlanAction, action.id);
    expect([unchanged.status, unchanged.completedOn, unchanged.version]).toEqual(['OPEN', null, 1]);
  });
});

describe('a copy of a plan is not drafted before its source was', () => {
  it('refuses a copy dated before the source plan’s first step, naming that day, at on; that day itself is fine', async () => {
    const plan = await draftPlan([sales], 2026, '2026-03-10');
    for (const on of ['1999-01-01', '2026-03-09']) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () => copyPlanToNextYear(db.em(), { id: plan.id, on }, testActor),
        PLAN_TABLES,
      );
      expect(error.message).toBe(
        `The 2026 plan of ${plan.account.externalRef} was drafted on 2026-03-10; its copy to next year cannot be drafted on ${on}, before it. Date the copy on or after 2026-03-10.`,
      );
      expect(error.issues).toEqual([
        { path: ['on'], message: 'before 2026-03-10', code: 'VALIDATION_FAILED' },
      ]);
    }
    const copy = await copyPlanToNextYear(db.em(), { id: plan.id, on: '2026-03-10' }, testActor);
    expect(await historyOf(copy.id)).toEqual([['COPIED', null, 'DRAFT', '2026-03-10', 0]]);
  });
});

describe('who signs a plan for a business unit', () => {
  it('a person who is no longer active does not sign (PERSON_INACTIVE at signedById), writing nothing', async () => {
    const leaver = await makePerson(db.em(), { name: 'Lena Leaver', businessUnitId: sales.id });
    await updatePerson(db.em(), { id: leaver.id, expectedVersion: 1, active: false }, testActor);
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-01-20' }, testActor);
    const error = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () => sign(plan.id, sales, leaver, '2026-02-01'),
      [...PLAN_TABLES, 'plan_sign_off'],
    );
    expect(error.category).toBe('VALIDATION');
    expect(error.message).toBe(
      `Lena Leaver is no longer active and cannot be the signer of a plan for ${sales.code}. Choose an active person, or make Lena Leaver active again first (updatePerson).`,
    );
    expect(error.issues).toEqual([
      { path: ['signedById'], message: 'not an active person', code: 'PERSON_INACTIVE' },
    ]);
    // The signature would have counted towards approval.
    await expectRejected(db.em(), 'PLAN_NOT_SIGNED_BY_ALL_UNITS', () =>
      approvePlan(db.em(), { id: plan.id, expectedVersion: 2, on: '2026-02-01' }, testActor),
    );
  });

  it('a unit signs a version once: the same signature again is a no-op, another is PLAN_UNIT_ALREADY_SIGNED', async () => {
    const colleague = await makePerson(db.em(), { name: 'Carla Colleague', businessUnitId: sales.id });
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-01-20' }, testActor);
    const signAs = (person: Person, comment?: string, on?: string) =>
      signPlan(
        db.em(),
        { id: plan.id, businessUnitId: sales.id, signedById: person.id, on, comment },
        testActor,
      );
    const first = await signAs(salesLead, 'ok', '2026-02-01');
    // The same signature again (a retry, with its day or without) answers with the one stored,
    // and writes nothing.
    const before = await tableCounts(db.em(), ['plan_sign_off', 'audit_entry']);
    expect((await signAs(salesLead, 'ok', '2026-02-01')).id).toBe(first.id);
    expect((await signAs(salesLead, 'ok')).id).toBe(first.id);
    expect(await tableCounts(db.em(), ['plan_sign_off', 'audit_entry'])).toEqual(before);
    for (const [person, comment, on] of [
      [colleague, 'second', '2026-02-01'],
      [colleague, 'ok', '2026-02-01'],
      [salesLead, 'changed my mind', '2026-02-01'],
      [salesLead, undefined, '2026-02-01'],
      [salesLead, 'ok', '2026-02-02'],
    ] as const) {
      const error = await expectRejected(
        db.em(),
        'PLAN_UNIT_ALREADY_SIGNED',
        () => signAs(person, comment, on),
        [...PLAN_TABLES, 'plan_sign_off'],
      );
      expect(error.category).toBe('RULE');
      expect(error.message).toBe(
        `${sales.name} (${sales.code}) has already signed version 1 of the 2026 plan of ${plan.account.externalRef}: ${salesLead.name} signed it on 2026-02-01 with the comment "ok". A unit signs a version once; to sign again, return the plan to draft and submit it again.`,
      );
      expect(error.details).toEqual({
        businessUnit: sales.code,
        versionNumber: 1,
        signedBy: salesLead.name,
        signedOn: '2026-02-01',
      });
    }
    const stored = await db.em().fork().find(PlanSignOff, { plan: plan.id });
    expect(stored.map(s => [s.signedBy.id, s.comment, s.signedOn])).toEqual([
      [salesLead.id, 'ok', '2026-02-01'],
    ]);
  });
});

describe('a plan is drawn up for a key account', () => {
  it('createPlan refuses an account not key on the day the plan is drafted (ACCOUNT_NOT_KEY), writing nothing', async () => {
    const account = await makeAccount(db.em());
    const create = (on?: string) => () =>
      createPlan(db.em(), { accountId: account.id, year: 2026, businessUnitIds: [sales.id], on }, testActor);
    const never = await expectRejected(db.em(), 'ACCOUNT_NOT_KEY', create(), PLAN_TABLES);
    expect(never.category).toBe('RULE');
    expect(never.message).toBe(
      `${account.externalRef} is not a key account today (${today()}), and an account plan is drawn up for a key account only. Designate it first.`,
    );
    // Key from the day of its designation on: a plan drafted the day before is refused, saying so.
    await designateKeyAccount(db.em(), { accountId: account.id, designatedOn: '2026-02-01' }, testActor);
    const early = await expectRejected(db.em(), 'ACCOUNT_NOT_KEY', create('2026-01-31'), PLAN_TABLES);
    expect(early.message).toBe(
      `${account.externalRef} was not a key account on 2026-01-31, and an account plan is drawn up for a key account only. It became one on 2026-02-01: date the plan on or after 2026-02-01.`,
    );
    const plan = await createPlan(
      db.em(),
      { accountId: account.id, year: 2026, businessUnitIds: [sales.id], on: '2026-02-01' },
      testActor,
    );
    expect(await historyOf(plan.id)).toEqual([['CREATED', null, 'DRAFT', '2026-02-01', 0]]);
  });

  it('an account whose designation was revoked takes no new plan nor a copy, from the day of the revocation', async () => {
    const account = await makeAccount(db.em());
    const designation = await designateKeyAccount(
      db.em(),
      { accountId: account.id, designatedOn: '2024-01-01' },
      testActor,
    );
    // Drafted while it was key, the day before the revocation.
    const plan = await createPlan(
      db.em(),
      { accountId: account.id, year: 2025, businessUnitIds: [sales.id], on: '2025-06-30' },
      testActor,
    );
    await revokeDesignation(
      db.em(),
      { id: designation.id, expectedVersion: 1, revokedOn: '2025-07-01', reason: 'Lost the framework' },
      testActor,
    );
    const created = await expectRejected(
      db.em(),
      'ACCOUNT_NOT_KEY',
      () => createPlan(db.em(), { accountId: account.id, year: 2027 }, testActor),
      PLAN_TABLES,
    );
    expect(created.message).toBe(
      `${account.externalRef} is not a key account today (${today()}): its designation ended on 2025-07-01, and an account plan is drawn up for a key account only. Designate it first.`,
    );
    const copied = await expectRejected(
      db.em(),
      'ACCOUNT_NOT_KEY',
      () => copyPlanToNextYear(db.em(), { id: plan.id, on: '2025-07-01' }, testActor),
      PLAN_TABLES,
    );
    expect(copied.message).toBe(
      `${account.externalRef} was not a key account on 2025-07-01: its designation ended on 2025-07-01, and an account plan is drawn up for a key account only. Date the copy on a day it was key, or designate it first, dated on or before 2025-07-01.`,
    );
    // A copy drafted while it was still key is next year's plan.
    const copy = await copyPlanToNextYear(db.em(), { id: plan.id, on: '2025-06-30' }, testActor);
    expect((await reload(copy.id)).year).toBe(2026);
  });
});

describe('a plan’s period', () => {
  it('includes at least one day of the plan’s year, else a ValidationError at startsOn, writing nothing', async () => {
    const account = await keyAccount();
    for (const [startsOn, endsOn] of [
      ['2031-01-01', '2031-12-31'],
      ['2024-04-01', '2025-12-31'],
    ] as const) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () => createPlan(db.em(), { accountId: account.id, year: 2026, startsOn, endsOn }, testActor),
        PLAN_TABLES,
      );
      expect(error.message).toBe(
        `The period ${startsOn} to ${endsOn} has no day in 2026, the year the plan is for. Give a period that includes days of 2026 (a fiscal year 2025-04-01 to 2026-03-31 may be the 2025 or the 2026 plan), or create the plan for the year its period is in.`,
      );
      expect(error.issues).toEqual([
        { path: ['startsOn'], message: 'the period has no day in 2026', code: 'VALIDATION_FAILED' },
      ]);
    }
    // A fiscal year may be labelled by the year it starts in or by the year it ends in.
    for (const year of [2025, 2026]) {
      const fiscal = await createPlan(
        db.em(),
        { accountId: (await keyAccount()).id, year, startsOn: '2025-04-01', endsOn: '2026-03-31' },
        testActor,
      );
      expect([fiscal.year, fiscal.startsOn, fiscal.endsOn]).toEqual([year, '2025-04-01', '2026-03-31']);
    }
  });

  it('does not overlap the period of another plan of the account (PLAN_PERIOD_OVERLAP), writing nothing', async () => {
    const plan = await draftPlan([sales], 2026);
    const { account } = plan;
    const error = await expectRejected(
      db.em(),
      'PLAN_PERIOD_OVERLAP',
      () =>
        createPlan(
          db.em(),
          { accountId: account.id, year: 2027, startsOn: '2026-07-01', endsOn: '2027-06-30' },
          testActor,
        ),
      PLAN_TABLES,
    );
    expect(error.category).toBe('RULE');
    expect(error.message).toBe(
      `The period 2026-07-01 to 2027-06-30 overlaps that of the 2026 plan of ${account.externalRef} (2026-01-01 to 2026-12-31): a key account has one plan for a time. Start the period after 2026-12-31.`,
    );
    expect(error.details).toEqual({ year: 2026, startsOn: '2026-01-01', endsOn: '2026-12-31' });
    // A plan before it, overlapping its start, is told to end before it.
    const before = await expectRejected(
      db.em(),
      'PLAN_PERIOD_OVERLAP',
      () =>
        createPlan(
          db.em(),
          { accountId: account.id, year: 2025, startsOn: '2025-04-01', endsOn: '2026-03-31' },
          testActor,
        ),
      PLAN_TABLES,
    );
    expect(before.message).toMatch(/\(2026-01-01 to 2026-12-31\): .* End the period before 2026-01-01\.$/);
    // Periods that meet without overlapping are fine.
    const next = await createPlan(db.em(), { accountId: account.id, year: 2027 }, testActor);
    expect([next.startsOn, next.endsOn]).toEqual(['2027-01-01', '2027-12-31']);
  });

  it('ends on or after it starts, saying both days', async () => {
    const account = await keyAccount();
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        createPlan(
          db.em(),
          { accountId: account.id, year: 2026, startsOn: '2026-07-01', endsOn: '2026-03-31' },
          testActor,
        ),
      PLAN_TABLES,
    );
    expect(error.message).toBe(
      'The period would end on 2026-03-31, before it starts on 2026-07-01. Give an endsOn on or after startsOn.',
    );
    expect(error.issues).toEqual([
      { path: ['endsOn'], message: 'before startsOn (2026-07-01)', code: 'VALIDATION_FAILED' },
    ]);
  });

  it('a DRAFT plan’s period can be changed by updatePlan, under the same rules as at creation', async () => {
    const plan = await draftPlan([sales], 2026);
    const { account } = plan;
    const later = await createPlan(
      db.em(),
      {
        accountId: account.id,
        year: 2027,
        startsOn: '2027-04-01',
        endsOn: '2028-03-31',
        businessUnitIds: [sales.id],
      },
      testActor,
    );
    // To a fiscal year: one end moved, the other kept.
    const fiscal = await updatePlan(
      db.em(),
      { id: plan.id, expectedVersion: plan.version, startsOn: '2026-04-01', endsOn: '2027-03-31' },
      testActor,
    );
    expect([fiscal.startsOn, fiscal.endsOn, fiscal.version]).toEqual([
      '2026-04-01',
      '2027-03-31',
      plan.version + 1,
    ]);
    const audit = await db
      .em()
      .findOneOrFail(
        AuditEntry,
        { entityType: 'AccountPlan', entityId: String(plan.id) },
        { orderBy: { id: 'desc' } },
      );
    expect(audit.changes).toMatchObject({
      startsOn: { before: '2026-01-01', after: '2026-04-01' },
      endsOn: { before: '2026-12-31', after: '2027-03-31' },
    });
    /** updatePlan of the fiscal plan's period, refused with `code`, writing nothing. */
    const refused = (code: DomainErrorCode, period: { startsOn?: string; endsOn?: string }) =>
      expectRejected(
        db.em(),
        code,
        () => updatePlan(db.em(), { id: plan.id, expectedVersion: fiscal.version, ...period }, testActor),
        PLAN_TABLES,
      );
    // Only endsOn given: checked against the stored start.
    const backwards = await refused('VALIDATION_FAILED', { endsOn: '2026-02-01' });
    expect(backwards.message).toBe(
      'The period would end on 2026-02-01, before it starts on 2026-04-01. Give an endsOn on or after startsOn.',
    );
    await refused('VALIDATION_FAILED', { startsOn: '2027-01-01', endsOn: '2027-03-31' });
    const overlap = await refused('PLAN_PERIOD_OVERLAP', { endsOn: '2027-06-30' });
    expect(overlap.message).toBe(
      `The period 2026-04-01 to 2027-06-30 overlaps that of the 2027 plan of ${account.externalRef} (2027-04-01 to 2028-03-31): a key account has one plan for a time. End the period before 2027-04-01.`,
    );
    // Its own stored period is no overlap; an unchanged period is no change.
    const same = await updatePlan(
      db.em(),
      { id: plan.id, expectedVersion: fiscal.version, startsOn: '2026-04-01', endsOn: '2027-03-31' },
      testActor,
    );
    expect(same.version).toBe(fiscal.version);
    // Once submitted, the period is fixed like the rest of the plan.
    await submitPlan(db.em(), { id: later.id, expectedVersion: later.version }, testActor);
    await expectRejected(
      db.em(),
      'PLAN_NOT_EDITABLE',
      () =>
        updatePlan(
          db.em(),
          { id: later.id, expectedVersion: later.version + 1, endsOn: '2028-02-28' },
          testActor,
        ),
      PLAN_TABLES,
    );
  });

  it('a copy to next year whose period a later plan already covers is PLAN_PERIOD_OVERLAP, writing nothing', async () => {
    const account = await keyAccount();
    const fiscal = await createPlan(
      db.em(),
      { accountId: account.id, year: 2026, startsOn: '2026-04-01', endsOn: '2027-03-31' },
      testActor,
    );
    await createPlan(
      db.em(),
      { accountId: account.id, year: 2028, startsOn: '2027-07-01', endsOn: '2028-06-30' },
      testActor,
    );
    const error = await expectRejected(
      db.em(),
      'PLAN_PERIOD_OVERLAP',
      () => copyPlanToNextYear(db.em(), { id: fiscal.id }, testActor),
      PLAN_TABLES,
    );
    expect(error.message).toBe(
      `The 2026 plan of ${account.externalRef} cannot be copied to next year: the copy's period 2027-04-01 to 2028-03-31 would overlap that of the 2028 plan (2027-07-01 to 2028-06-30), and a key account has one plan for a time. Create the 2027 plan with a period of its own instead.`,
    );
    expect(error.details).toEqual({ year: 2028, startsOn: '2027-07-01', endsOn: '2028-06-30' });
  });
});

describe('what a plan’s inputs say when they are wrong', () => {
  it('a margin target says its range and its two decimals', async () => {
    const plan = await draftPlan([sales]);
    for (const marginTargetPercent of ['150', '31.555', '-100.01']) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () =>
          updatePlan(
            db.em(),
            { id: plan.id, expectedVersion: 1, targets: { marginTargetPercent } },
            testActor,
          ),
        PLAN_TABLES,
      );
      expect(error.issues).toEqual([
        {
          path: ['targets', 'marginTargetPercent'],
          message: 'must be a percentage from -100 to 100 with at most two decimals, like 31.5',
          code: 'INVALID_PERCENTAGE',
        },
      ]);
    }
    const edge = await updatePlan(
      db.em(),
      { id: plan.id, expectedVersion: 1, targets: { marginTargetPercent: '-100' } },
      testActor,
    );
    expect(Number(edge.marginTargetPercent)).toBe(-100);
  });

  it('an action’s blank description must not be empty, on add and on update', async () => {
    const plan = await draftPlan([sales]);
    const added = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () => addPlanAction(db.em(), { planId: plan.id, description: '   ' }, testActor),
      ['plan_action'],
    );
    expect(added.message).toBe('Invalid action: description: must not be empty.');
    expect(added.issues).toEqual([
      { path: ['description'], message: 'must not be empty', code: 'TOO_SMALL' },
    ]);
    const action = await addPlanAction(db.em(), { planId: plan.id, description: 'Visit' }, testActor);
    const updated = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () => updatePlanAction(db.em(), { id: action.id, expectedVersion: 1, description: ' \n ' }, testActor),
      ['plan_action'],
    );
    expect(updated.issues).toEqual([
      { path: ['description'], message: 'must not be empty', code: 'TOO_SMALL' },
    ]);
    const tooLong = await expectRejected(db.em(), 'VALIDATION_FAILED', () =>
      addPlanAction(db.em(), { planId: plan.id, description: 'x'.repeat(4001) }, testActor),
    );
    expect(tooLong.issues[0]?.message).toBe('must be at most 4,000 characters');
  });
});

describe('the owner of a plan and of an action is an active person', () => {
  async function leaver(name: string): Promise<Person> {
    const person = await makePerson(db.em(), { name, businessUnitId: sales.id });
    await updatePerson(db.em(), { id: person.id, expectedVersion: 1, active: false }, testActor);
    return person;
  }
  const inactiveAt = [{ path: ['ownerId'], message: 'not an active person', code: 'PERSON_INACTIVE' }];

  it('createPlan and updatePlan refuse an owner who is no longer active (PERSON_INACTIVE at ownerId), writing nothing', async () => {
    const left = await leaver('Otto Owner');
    const account = await keyAccount();
    const created = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () => createPlan(db.em(), { accountId: account.id, year: 2026, ownerId: left.id }, testActor),
      PLAN_TABLES,
    );
    expect(created.category).toBe('VALIDATION');
    expect(created.message).toBe(
      `Otto Owner is no longer active and cannot be the owner of the 2026 plan of ${account.externalRef}. Choose an active person, or make Otto Owner active again first (updatePerson).`,
    );
    expect(created.issues).toEqual(inactiveAt);
    const plan = await createPlan(
      db.em(),
      { accountId: account.id, year: 2026, ownerId: salesLead.id },
      testActor,
    );
    const updated = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () => updatePlan(db.em(), { id: plan.id, expectedVersion: 1, ownerId: left.id }, testActor),
      PLAN_TABLES,
    );
    expect(updated.issues).toEqual(inactiveAt);
    const stored = await db.em().fork().findOneOrFail(AccountPlan, plan.id);
    expect([stored.owner?.id, stored.version]).toEqual([salesLead.id, 1]);
  });

  it('who submits a plan and who reviews it are active people too (PERSON_INACTIVE at personId, reviewerId)', async () => {
    const left = await leaver('Sam Submitter');
    const plan = await draftPlan([sales], 2026, '2026-01-05');
    const submitted = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () =>
        submitPlan(
          db.em(),
          { id: plan.id, expectedVersion: 1, on: '2026-01-20', personId: left.id },
          testActor,
        ),
      PLAN_TABLES,
    );
    expect(submitted.message).toMatch(
      /^Sam Submitter is no longer active and cannot be the submitter of the 2026 plan of /,
    );
    expect(submitted.issues).toEqual([{ ...inactiveAt[0], path: ['personId'] }]);
    await submitPlan(db.em(), { id: plan.id, expectedVersion: 1, on: '2026-01-20' }, testActor);
    await sign(plan.id, sales, salesLead, '2026-02-01');
    await approvePlan(db.em(), { id: plan.id, expectedVersion: 2, on: '2026-02-05' }, testActor);
    const reviewed = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () =>
        recordExecutionReview(
          db.em(),
          { planId: plan.id, assessment: 'ON_TRACK', progress: 'Fine', reviewerId: left.id },
          testActor,
        ),
      ['execution_review'],
    );
    expect(reviewed.issues).toEqual([{ ...inactiveAt[0], path: ['reviewerId'] }]);
  });

  it('an owner who has left since stays on what is not changed: the same ownerId again is no change', async () => {
    const owner = await makePerson(db.em(), { name: 'Stella Stays', businessUnitId: sales.id });
    const account = await keyAccount();
    const plan = await createPlan(
      db.em(),
      { accountId: account.id, year: 2026, ownerId: owner.id },
      testActor,
    );
    const action = await addPlanAction(
      db.em(),
      { planId: plan.id, description: 'Visit', ownerId: owner.id },
      testActor,
    );
    await updatePerson(db.em(), { id: owner.id, expectedVersion: 1, active: false }, testActor);
    const same = await updatePlan(
      db.em(),
      { id: plan.id, expectedVersion: 1, ownerId: owner.id, sections: { baselines: 'Edited' } },
      testActor,
    );
    expect(same.version).toBe(2);
    const done = await updatePlanAction(
      db.em(),
      { id: action.id, expectedVersion: 1, ownerId: owner.id, status: 'IN_PROGRESS' },
      testActor,
    );
    expect([done.status, done.owner?.id]).toEqual(['IN_PROGRESS', owner.id]);
  });

  it('addPlanAction and updatePlanAction refuse an owner who is no longer active, writing nothing', async () => {
    const left = await leaver('Anna Action');
    const plan = await draftPlan([sales]);
    const added = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () => addPlanAction(db.em(), { planId: plan.id, description: 'Visit', ownerId: left.id }, testActor),
      ['plan_action'],
    );
    expect(added.message).toBe(
      `Anna Action is no longer active and cannot be the owner of an action of the 2026 plan of ${plan.account.externalRef}. Choose an active person, or make Anna Action active again first (updatePerson).`,
    );
    expect(added.issues).toEqual(inactiveAt);
    const action = await addPlanAction(
      db.em(),
      { planId: plan.id, description: 'Visit', ownerId: salesLead.id },
      testActor,
    );
    const updated = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () => updatePlanAction(db.em(), { id: action.id, expectedVersion: 1, ownerId: left.id }, testActor),
      ['plan_action'],
    );
    expect(updated.issues).toEqual(inactiveAt);
    const stored = await db.em().fork().findOneOrFail(PlanAction, action.id);
    expect([stored.owner?.id, stored.version]).toEqual([salesLead.id, 1]);
  });
});
