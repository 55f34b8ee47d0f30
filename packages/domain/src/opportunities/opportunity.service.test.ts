import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOpportunities } from '../bulk/opportunities.bulk.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  makeBusinessUnit,
  type TestDatabase,
  tableCounts,
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

  it('qualifying a qualified bid again keeps the day it was qualified unless `on` corrects it', async () => {
    const opp = await open('Requalified');
    await qualifyOpportunity(db.em(), { id: opp.id, expectedVersion: 1, on: '2026-01-10' }, testActor);
    // A script replaying the step (no `on`) must not move the bid into today's pipeline.
    const again = await qualifyOpportunity(db.em(), { id: opp.id, expectedVersion: 2 }, testActor);
    expect([again.qualifiedOn, again.version]).toEqual(['2026-01-10', 2]);
    expect([(await reload(opp.id)).qualifiedOn, (await reload(opp.id)).version]).toEqual(['2026-01-10', 2]);
    const corrected = await qualifyOpportunity(
      db.em(),
      { id: opp.id, expectedVersion: 2, on: '2026-01-03' },
      testActor,
    );
    expect([corrected.qualifiedOn, corrected.version]).toEqual(['2026-01-03', 3]);
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

describe('a decided bid is final in the bulk path too, as in updateOpportunity', () => {
  const decided = {
    externalRef: 'OPP-FINAL-1',
    accountRef: 'OPP-ACC',
    businessUnitCode: 'OPP-BU',
    name: 'Final bid',
    value: '1000.00',
    qualified: true,
    qualifiedOn: '2026-01-05',
    expectedCloseOn: '2026-03-31',
    outcome: 'WON' as const,
    decidedOn: '2026-02-10',
  };
  const lost = {
    ...decided,
    externalRef: 'OPP-FINAL-2',
    outcome: 'LOST' as const,
    lostReason: 'Price',
  };
  const fresh = (externalRef: string) => ({
    externalRef,
    accountRef: 'OPP-ACC',
    businessUnitCode: 'OPP-BU',
    name: 'Fresh bid',
    value: '5.00',
  });

  beforeAll(async () => {
    expect(await upsertOpportunities(db.em(), [decided, lost], { mode: 'ATOMIC' }, testActor)).toMatchObject({
      created: 2,
      rejected: 0,
    });
  });

  async function storedBid(externalRef: string) {
    const o = await db.em().findOneOrFail(Opportunity, { externalRef });
    return {
      name: o.name,
      qualifiedOn: o.qualifiedOn,
      expectedCloseOn: o.expectedCloseOn,
      lostReason: o.lostReason ?? null,
      version: o.version,
    };
  }

  it('rejects a row that changes the name, qualifiedOn, expectedCloseOn or lostReason of a decided bid', async () => {
    const changes: [Record<string, unknown>, string][] = [
      [{ ...decided, name: 'Renamed' }, 'name'],
      // qualifiedOn feeds the as-of PROSPECT level and the qualified pipeline: history would change.
      [{ ...decided, qualifiedOn: '2020-01-01' }, 'qualifiedOn'],
      [{ ...decided, expectedCloseOn: '2026-12-31' }, 'expectedCloseOn'],
      [{ ...decided, expectedCloseOn: null }, 'expectedCloseOn'],
      [{ ...lost, lostReason: 'Timing' }, 'lostReason'],
      [{ ...lost, lostReason: null }, 'lostReason'],
    ];
    for (const [row, field] of changes) {
      const r = await upsertOpportunities(db.em(), [row], { mode: 'PARTIAL' }, testActor);
      const outcome = row.outcome as string;
      expect(r).toMatchObject({ updated: 0, unchanged: 0, rejected: 1, written: false });
      expect(r.rejections).toEqual([
        {
          index: 0,
          path: [field],
          code: 'OPPORTUNITY_ALREADY_DECIDED',
          message: `Opportunity ${row.externalRef} was decided on 2026-02-10 as ${outcome} and cannot change (this row changes ${field}). Send the row as stored, or record a new opportunity instead.`,
        },
      ]);
    }
    expect(await storedBid('OPP-FINAL-1')).toEqual({
      name: 'Final bid',
      qualifiedOn: '2026-01-05',
      expectedCloseOn: '2026-03-31',
      lostReason: null,
      version: 1,
    });
    expect((await storedBid('OPP-FINAL-2')).lostReason).toBe('Price');
    expect((await storedBid('OPP-FINAL-2')).version).toBe(1);
  });

  it('names every field a row would change, the first as the path', async () => {
    const r = await upsertOpportunities(
      db.em(),
      [{ ...decided, name: 'Renamed', qualifiedOn: '2020-01-01', expectedCloseOn: '2027-01-01' }],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(r.rejections.map(x => [x.index, x.path, x.code])).toEqual([
      [0, ['name'], 'OPPORTUNITY_ALREADY_DECIDED'],
    ]);
    expect(r.rejections[0]?.message).toContain('(this row changes name, qualifiedOn and expectedCloseOn)');
  });

  it('ATOMIC writes nothing; PARTIAL writes the other rows', async () => {
    const bad = { ...decided, qualifiedOn: '2020-01-01' };
    const before = await tableCounts(db.em(), ['opportunity', 'audit_entry']);
    const atomic = await upsertOpportunities(
      db.em(),
      [fresh('OPP-FINAL-NEW-1'), bad],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(atomic).toMatchObject({ created: 0, updated: 0, rejected: 1, written: false });
    expect(atomic.rejections.map(x => [x.index, x.path, x.code])).toEqual([
      [1, ['qualifiedOn'], 'OPPORTUNITY_ALREADY_DECIDED'],
    ]);
    expect(await tableCounts(db.em(), ['opportunity', 'audit_entry'])).toEqual(before);

    const partial = await upsertOpportunities(
      db.em(),
      [fresh('OPP-FINAL-NEW-2'), bad],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(partial).toMatchObject({ created: 1, updated: 0, rejected: 1, written: true });
    expect(partial.rejections.map(x => [x.index, x.path, x.code])).toEqual([
      [1, ['qualifiedOn'], 'OPPORTUNITY_ALREADY_DECIDED'],
    ]);
    expect(await db.em().count(Opportunity, { externalRef: 'OPP-FINAL-NEW-2' })).toBe(1);
    expect((await storedBid('OPP-FINAL-1')).qualifiedOn).toBe('2026-01-05');
  });

  it('a row equal to the stored decided bid is unchanged; an OPEN bid can still be decided', async () => {
    expect(
      await upsertOpportunities(
        db.em(),
        [decided, { ...lost, lostReason: '  Price ' }],
        { mode: 'ATOMIC' },
        testActor,
      ),
    ).toMatchObject({ created: 0, updated: 0, unchanged: 2, rejected: 0 });
    const open = fresh('OPP-FINAL-OPEN');
    expect(await upsertOpportunities(db.em(), [open], { mode: 'ATOMIC' }, testActor)).toMatchObject({
      created: 1,
    });
    expect(
      await upsertOpportunities(
        db.em(),
        [
          {
            ...open,
            name: 'Won it',
            qualified: true,
            qualifiedOn: '2026-04-01',
            outcome: 'WON',
            decidedOn: '2026-05-01',
          },
        ],
        { mode: 'ATOMIC' },
        testActor,
      ),
    ).toMatchObject({ updated: 1, rejected: 0 });
    const won = await db.em().findOneOrFail(Opportunity, { externalRef: 'OPP-FINAL-OPEN' });
    expect([won.name, won.outcome, won.decidedOn, won.qualifiedOn]).toEqual([
      'Won it',
      'WON',
      '2026-05-01',
      '2026-04-01',
    ]);
  });
});

describe('only losing a bid takes a reason', () => {
  it('winOpportunity and qualifyOpportunity refuse a reason instead of dropping it', async () => {
    const opp = await open('Reasoned');
    for (const [step, what] of [
      [qualifyOpportunity, 'qualifying'],
      [winOpportunity, 'winning'],
    ] as const) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () =>
          step(
            db.em(),
            { id: opp.id, expectedVersion: 1, on: '2026-01-10', reason: 'great price' },
            testActor,
          ),
        TABLES,
      );
      expect(error.issues).toEqual([
        {
          path: ['reason'],
          code: 'OPPORTUNITY_LOST_REASON_NOT_ALLOWED',
          message: `only loseOpportunity takes a reason (why the bid was lost); leave reason empty when ${what} a bid`,
        },
      ]);
    }
    expect(await reload(opp.id)).toMatchObject({ outcome: 'OPEN', qualified: false, version: 1 });
  });

  it('a blank reason is no reason, as in the bulk path', async () => {
    const opp = await open('Blank win reason');
    await qualifyOpportunity(
      db.em(),
      { id: opp.id, expectedVersion: 1, on: '2026-01-10', reason: ' ' },
      testActor,
    );
    const won = await winOpportunity(
      db.em(),
      { id: opp.id, expectedVersion: 2, on: '2026-02-10', reason: '' },
      testActor,
    );
    expect([won.outcome, won.lostReason]).toEqual(['WON', null]);
  });
});

describe('a malformed date is reported as such, not also as decided before qualified', () => {
  const row = {
    externalRef: 'OX-1',
    accountRef: 'OPP-ACC',
    businessUnitCode: 'OPP-BU',
    name: 'x',
    value: '10',
    qualified: true,
    qualifiedOn: '2026-01-05',
    outcome: 'WON' as const,
    decidedOn: '2026-02-10',
  };
  it.each([
    ['decidedOn', { decidedOn: '10/02/2026' }],
    ['decidedOn', { decidedOn: ' ' }],
    ['qualifiedOn', { qualifiedOn: '2026-1-5' }],
    ['qualifiedOn', { qualifiedOn: '2026-13-40' }],
  ])('%s %j', async (field, change) => {
    const before = await tableCounts(db.em(), ['opportunity']);
    const r = await upsertOpportunities(db.em(), [{ ...row, ...change }], { mode: 'ATOMIC' }, testActor);
    expect(r.rejections.map(x => [x.index, x.path, x.code])).toEqual([[0, [field], 'INVALID_FORMAT']]);
    expect(await tableCounts(db.em(), ['opportunity'])).toEqual(before);
  });

  it('two valid dates are still compared', async () => {
    const r = await upsertOpportunities(
      db.em(),
      [{ ...row, decidedOn: '2026-01-04' }],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(r.rejections.map(x => [x.path, x.code])).toEqual([
      [['decidedOn'], 'OPPORTUNITY_DECIDED_BEFORE_QUALIFIED'],
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

describe('qualifying, winning and losing a bid record what has happened: never after today', () => {
  const now = () => new Date().toISOString().slice(0, 10);
  const tomorrow = () => {
    const d = new Date(`${now()}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  };

  it('qualifyOpportunity, winOpportunity and loseOpportunity dated after today are DATE_IN_FUTURE at on', async () => {
    const opp = await open('Future steps');
    for (const [step, on, recorded] of [
      [qualifyOpportunity, tomorrow(), 'a bid is recorded as qualified once it has been qualified'],
      [winOpportunity, '2030-01-01', 'a bid is recorded as won or lost once it has been decided'],
      [loseOpportunity, '2027-06-30', 'a bid is recorded as won or lost once it has been decided'],
    ] as const) {
      const error = await expectRejected(
        db.em(),
        'DATE_IN_FUTURE',
        () => step(db.em(), { id: opp.id, expectedVersion: 1, on }, testActor),
        TABLES,
      );
      expect(error.issues).toEqual([
        { path: ['on'], message: `after today (${now()})`, code: 'DATE_IN_FUTURE' },
      ]);
      expect(error.message).toBe(
        `on (${on}) is after today (${now()}): ${recorded}. Date it today or earlier.`,
      );
    }
    expect(await reload(opp.id)).toMatchObject({ outcome: 'OPEN', qualified: false, version: 1 });
  });

  const row = {
    externalRef: 'OPP-FUT-1',
    accountRef: 'OPP-ACC',
    businessUnitCode: 'OPP-BU',
    name: 'Future bid',
    value: '10.00',
    qualified: true,
    qualifiedOn: '2026-01-05',
    outcome: 'WON' as const,
    decidedOn: '2026-02-10',
  };

  it('a bulk row decided or qualified after today is DATE_IN_FUTURE at that date; a forecast may be later', async () => {
    const before = await tableCounts(db.em(), TABLES);
    const r = await upsertOpportunities(
      db.em(),
      [
        { ...row, qualifiedOn: '2099-01-01', decidedOn: '2099-10-01' },
        { ...row, externalRef: 'OPP-FUT-2', decidedOn: tomorrow() },
        { ...row, externalRef: 'OPP-FUT-3', outcome: 'OPEN', decidedOn: null, qualifiedOn: tomorrow() },
      ],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(r.rejections.map(x => [x.index, x.path, x.code])).toEqual([
      [0, ['qualifiedOn'], 'DATE_IN_FUTURE'],
      [0, ['decidedOn'], 'DATE_IN_FUTURE'],
      [1, ['decidedOn'], 'DATE_IN_FUTURE'],
      [2, ['qualifiedOn'], 'DATE_IN_FUTURE'],
    ]);
    expect(r.rejections[1]?.message).toBe(
      `decidedOn (2099-10-01) is after today (${now()}): a bid is recorded as won or lost once it has been decided. Date it today or earlier.`,
    );
    expect(await tableCounts(db.em(), TABLES)).toEqual(before);
    const forecast = await upsertOpportunities(
      db.em(),
      [{ ...row, externalRef: 'OPP-FUT-4', outcome: 'OPEN', decidedOn: null, expectedCloseOn: '2099-01-01' }],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(forecast).toMatchObject({ created: 1, rejected: 0 });
  });

  it('a qualified bulk row names the day it was qualified', async () => {
    // Stored undated, the analytics counted the bid as qualified as of every past quarter.
    const before = await tableCounts(db.em(), TABLES);
    const r = await upsertOpportunities(
      db.em(),
      [
        { ...row, externalRef: 'OPP-UNDATED-1', outcome: 'OPEN', decidedOn: null, qualifiedOn: undefined },
        { ...row, externalRef: 'OPP-UNDATED-2', qualifiedOn: null },
      ],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(r.rejections.map(x => [x.index, x.path, x.code, x.message])).toEqual(
      [0, 1].map(index => [
        index,
        ['qualifiedOn'],
        'REQUIRED',
        'is required when qualified is true: the day the bid was qualified (the analytics count it as qualified from that day on)',
      ]),
    );
    expect(await tableCounts(db.em(), TABLES)).toEqual(before);
  });

  it('an outcome that is not one is worded with the ones there are', async () => {
    const r = await upsertOpportunities(
      db.em(),
      [{ ...row, externalRef: 'OPP-OUTCOME-1', outcome: 'won' }],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(r.rejections.map(x => [x.path, x.code, x.message])).toEqual([
      [['outcome'], 'INVALID_VALUE', 'must be one of OPEN, WON or LOST, not "won"'],
    ]);
  });
});
