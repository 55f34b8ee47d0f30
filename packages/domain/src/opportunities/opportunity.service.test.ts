import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOpportunities } from '../bulk/opportunities.bulk.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  makeBusinessUnit,
  type TestDatabase,
  testActor,
} from '../testing/index.ts';
import { Opportunity } from './opportunity.entity.ts';
import {
  createOpportunity,
  loseOpportunity,
  qualifyOpportunity,
  updateOpportunity,
  winOpportunity,
} from './opportunity.service.ts';

let db: TestDatabase;
let accountId: number;
let businessUnitId: number;
beforeAll(async () => {
  db = await createTestDatabase();
  accountId = (await makeAccount(db.em(), { externalRef: 'OPP-ACC' })).id;
  businessUnitId = (await makeBusinessUnit(db.em(), { code: 'OPP-BU' })).id;
});
afterAll(async () => {
  await db.close();
});

const TABLES = ['opportunity'];

async function open(name = 'Retrofit', externalRef?: string) {
  return createOpportunity(
    db.em(),
    { accountId, businessUnitId, name, value: '25000.00', externalRef },
    testActor,
  );
}

async function reload(id: number): Promise<Opportunity> {
  return db.em().findOneOrFail(Opportunity, id);
}

describe('opportunity outcomes: OPEN → WON or LOST, and a decided bid is final', () => {
  it('qualifies and wins an open bid', async () => {
    const opp = await open();
    expect([opp.outcome, opp.qualified, opp.version]).toEqual(['OPEN', false, 1]);
    const qualified = await qualifyOpportunity(
      db.em(),
      { id: opp.id, expectedVersion: 1, on: '2026-01-10' },
      testActor,
    );
    expect([qualified.qualified, qualified.qualifiedOn]).toEqual([true, '2026-01-10']);
    const won = await winOpportunity(
      db.em(),
      { id: opp.id, expectedVersion: 2, on: '2026-03-01' },
      testActor,
    );
    expect([won.outcome, won.decidedOn, won.lostReason, won.version]).toEqual(['WON', '2026-03-01', null, 3]);
  });

  it('a WON bid cannot be lost, won again, requalified or edited', async () => {
    const opp = await open();
    await qualifyOpportunity(db.em(), { id: opp.id, expectedVersion: 1, on: '2026-01-10' }, testActor);
    await winOpportunity(db.em(), { id: opp.id, expectedVersion: 2, on: '2026-03-01' }, testActor);
    for (const attempt of [
      () =>
        loseOpportunity(db.em(), { id: opp.id, expectedVersion: 3, reason: 'changed our mind' }, testActor),
      () => winOpportunity(db.em(), { id: opp.id, expectedVersion: 3, on: '2026-04-01' }, testActor),
      () => qualifyOpportunity(db.em(), { id: opp.id, expectedVersion: 3 }, testActor),
      () => updateOpportunity(db.em(), { id: opp.id, expectedVersion: 3, value: '1.00' }, testActor),
    ]) {
      await expectRejected(db.em(), 'OPPORTUNITY_ALREADY_DECIDED', attempt, TABLES);
    }
    const reloaded = await reload(opp.id);
    expect([reloaded.outcome, reloaded.decidedOn, reloaded.value, reloaded.version]).toEqual([
      'WON',
      '2026-03-01',
      '25000.00',
      3,
    ]);
  });

  it('a LOST bid keeps its reason and cannot be won afterwards', async () => {
    const opp = await open();
    const lost = await loseOpportunity(
      db.em(),
      { id: opp.id, expectedVersion: 1, on: '2026-02-02', reason: 'Price' },
      testActor,
    );
    expect([lost.outcome, lost.lostReason]).toEqual(['LOST', 'Price']);
    await expectRejected(
      db.em(),
      'OPPORTUNITY_ALREADY_DECIDED',
      () => winOpportunity(db.em(), { id: opp.id, expectedVersion: 2 }, testActor),
      TABLES,
    );
    expect((await reload(opp.id)).outcome).toBe('LOST');
  });

  it('a LOST bid with a blank reason has no reason (null)', async () => {
    const opp = await open('Blank reason');
    await loseOpportunity(
      db.em(),
      { id: opp.id, expectedVersion: 1, on: '2026-02-02', reason: '  ' },
      testActor,
    );
    const lost = await reload(opp.id);
    expect([lost.outcome, lost.lostReason]).toEqual(['LOST', null]);
  });

  it('a qualified bid is not decided before it was qualified: the win rate would count it as qualified then', async () => {
    const opp = await open();
    await qualifyOpportunity(db.em(), { id: opp.id, expectedVersion: 1, on: '2026-05-01' }, testActor);
    for (const decide of [winOpportunity, loseOpportunity]) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () => decide(db.em(), { id: opp.id, expectedVersion: 2, on: '2026-03-01' }, testActor),
        TABLES,
      );
      expect(error.issues).toEqual([
        { path: ['on'], message: 'before 2026-05-01', code: 'OPPORTUNITY_DECIDED_BEFORE_QUALIFIED' },
      ]);
      expect(error.message).toBe(
        `Opportunity ${opp.externalRef} was qualified on 2026-05-01; it cannot be decided on 2026-03-01, before that. Date the decision on or after 2026-05-01.`,
      );
    }
    expect((await reload(opp.id)).outcome).toBe('OPEN');
    const won = await winOpportunity(
      db.em(),
      { id: opp.id, expectedVersion: 2, on: '2026-05-01' },
      testActor,
    );
    expect([won.outcome, won.decidedOn]).toEqual(['WON', '2026-05-01']);
  });

  it('the bulk path refuses changing a decided bid’s outcome, value or qualification', async () => {
    const won = {
      externalRef: 'OPP-BULK-1',
      accountRef: 'OPP-ACC',
      businessUnitCode: 'OPP-BU',
      name: 'Bulk bid',
      value: '1000.00',
      qualified: true,
      qualifiedOn: '2026-01-01',
      outcome: 'WON' as const,
      decidedOn: '2026-02-01',
    };
    expect(await upsertOpportunities(db.em(), [won], { mode: 'ATOMIC' }, testActor)).toMatchObject({
      created: 1,
    });
    const changes = [
      { ...won, outcome: 'OPEN' as const, decidedOn: null },
      { ...won, value: '2000.00' },
      // Un-qualifying a decided bid would rewrite the win rate of its quarter.
      { ...won, qualified: false, qualifiedOn: null },
    ];
    for (const row of changes) {
      const r = await upsertOpportunities(db.em(), [row], { mode: 'PARTIAL' }, testActor);
      expect(r.rejections.map(x => x.code)).toEqual(['OPPORTUNITY_ALREADY_DECIDED']);
      expect(r.updated).toBe(0);
    }
    const stored = await db.em().findOneOrFail(Opportunity, { externalRef: 'OPP-BULK-1' });
    expect([stored.outcome, stored.value, stored.qualified, stored.version]).toEqual([
      'WON',
      '1000.00',
      true,
      1,
    ]);
  });
});

describe('externalRef of an opportunity is unique', () => {
  it('refuses a second opportunity with the same externalRef', async () => {
    await open('First', 'OPP-REF-1');
    const error = await expectRejected(
      db.em(),
      'EXTERNAL_REF_TAKEN',
      () => open('Second', 'OPP-REF-1'),
      TABLES,
    );
    expect(error.category).toBe('CONFLICT');
  });
});

describe('optimistic locking of opportunities', () => {
  it('a stale expectedVersion is VERSION_CONFLICT and changes nothing', async () => {
    const opp = await open('Locked');
    await updateOpportunity(db.em(), { id: opp.id, expectedVersion: 1, value: '30000.00' }, testActor);
    for (const stale of [
      () => updateOpportunity(db.em(), { id: opp.id, expectedVersion: 1, value: '1.00' }, testActor),
      () => qualifyOpportunity(db.em(), { id: opp.id, expectedVersion: 1 }, testActor),
      () => winOpportunity(db.em(), { id: opp.id, expectedVersion: 1 }, testActor),
      () => loseOpportunity(db.em(), { id: opp.id, expectedVersion: 1 }, testActor),
    ]) {
      const error = await expectRejected(db.em(), 'VERSION_CONFLICT', stale, TABLES);
      expect(error.message).toMatch(
        new RegExp(
          `^Opportunity ${opp.externalRef} was changed by someone else: you sent version 1, the current version is 2\\.`,
        ),
      );
    }
    const reloaded = await reload(opp.id);
    expect([reloaded.value, reloaded.qualified, reloaded.outcome, reloaded.version]).toEqual([
      '30000.00',
      false,
      'OPEN',
      2,
    ]);
  });
});
