import type { EntityManager } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../analytics/selection.ts';
import { today } from '../common/lookup.ts';
import { PROGRAMME_STAGES } from '../common/vocabulary.ts';
import { DEFAULT_PROGRAMME_CHECKLISTS } from '../settings/reference-data.ts';
import {
  createTestDatabase,
  expectRejected,
  makeBusinessUnit,
  overlap,
  type TestDatabase,
  testActor,
  testDialect,
} from '../testing/index.ts';
import { IntimacyProgramme, ProgrammeChecklistItem } from './programme.entity.ts';
import { advanceProgrammeStage, setChecklistItem, startProgramme } from './programme.service.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const TABLES = ['intimacy_programme', 'programme_checklist_item'];

/** A programme started on 2026-01-01, before the day `tickStage` ticks its items. */
function startPilot(businessUnitId: number) {
  return startProgramme(db.em(), { businessUnitId, startedOn: '2026-01-01' }, testActor);
}

/** The checklist items of a programme's stage, in their order. */
function checklist(programmeId: number, stage: (typeof PROGRAMME_STAGES)[number]) {
  return db
    .em()
    .find(ProgrammeChecklistItem, { programme: programmeId, stage }, { orderBy: { position: 'asc' } });
}

/** Ticks every item of a stage, on 2026-01-15. */
async function tickStage(programmeId: number, stage: (typeof PROGRAMME_STAGES)[number]) {
  for (const item of await checklist(programmeId, stage)) {
    await setChecklistItem(
      db.em(),
      { id: item.id, expectedVersion: item.version, done: true, on: '2026-01-15' },
      testActor,
    );
  }
}

describe('the customer-intimacy programme', () => {
  it('starts at UNDERSTAND with the default checklists; one programme per business unit', async () => {
    const unit = await makeBusinessUnit(db.em());
    const programme = await startProgramme(
      db.em(),
      { businessUnitId: unit.id, startedOn: '2026-01-01' },
      testActor,
    );
    expect(programme.stage).toBe('UNDERSTAND');
    const expected = PROGRAMME_STAGES.reduce((n, s) => n + DEFAULT_PROGRAMME_CHECKLISTS[s].length, 0);
    expect(await db.em().count(ProgrammeChecklistItem, { programme: programme.id })).toBe(expected);
    await expectRejected(
      db.em(),
      'DUPLICATE_ROW',
      () => startProgramme(db.em(), { businessUnitId: unit.id }, testActor),
      TABLES,
    );
  });

  it('moves to the next stage only when the current checklist is done', async () => {
    const unit = await makeBusinessUnit(db.em());
    const programme = await startPilot(unit.id);
    const [first] = await checklist(programme.id, 'UNDERSTAND');
    await setChecklistItem(db.em(), { id: first?.id ?? 0, expectedVersion: 1, done: true }, testActor);
    const error = await expectRejected(
      db.em(),
      'PROGRAMME_CHECKLIST_INCOMPLETE',
      () => advanceProgrammeStage(db.em(), { id: programme.id, expectedVersion: 1 }, testActor),
      TABLES,
    );
    expect(error.message).toContain(`${DEFAULT_PROGRAMME_CHECKLISTS.UNDERSTAND.length - 1} item(s)`);
    await tickStage(programme.id, 'UNDERSTAND');
    const advanced = await advanceProgrammeStage(
      db.em(),
      { id: programme.id, expectedVersion: 1 },
      testActor,
    );
    expect([advanced.stage, advanced.version]).toEqual(['TEST', 2]);
  });

  it('stages are taken in order and IMPLEMENT is the last', async () => {
    const unit = await makeBusinessUnit(db.em());
    const programme = await startPilot(unit.id);
    await tickStage(programme.id, 'UNDERSTAND');
    await expectRejected(
      db.em(),
      'PROGRAMME_INVALID_TRANSITION',
      () =>
        advanceProgrammeStage(db.em(), { id: programme.id, expectedVersion: 1, toStage: 'LEARN' }, testActor),
      TABLES,
    );
    let version = 1;
    for (const stage of PROGRAMME_STAGES.slice(0, -1)) {
      await tickStage(programme.id, stage);
      version = (
        await advanceProgrammeStage(db.em(), { id: programme.id, expectedVersion: version }, testActor)
      ).version;
    }
    await tickStage(programme.id, 'IMPLEMENT');
    await expectRejected(
      db.em(),
      'PROGRAMME_INVALID_TRANSITION',
      () => advanceProgrammeStage(db.em(), { id: programme.id, expectedVersion: version }, testActor),
      TABLES,
    );
    expect((await db.em().findOneOrFail(IntimacyProgramme, programme.id)).stage).toBe('IMPLEMENT');
  });
  it('the checklist of a stage already passed no longer changes: it cannot be reopened or re-dated', async () => {
    const unit = await makeBusinessUnit(db.em());
    const programme = await startProgramme(
      db.em(),
      { businessUnitId: unit.id, startedOn: '2026-01-01' },
      testActor,
    );
    await tickStage(programme.id, 'UNDERSTAND');
    await advanceProgrammeStage(db.em(), { id: programme.id, expectedVersion: 1 }, testActor);
    const [item] = await checklist(programme.id, 'UNDERSTAND');
    for (const change of [{ done: false }, { done: true, on: '2026-02-01' }]) {
      const error = await expectRejected(
        db.em(),
        'PROGRAMME_INVALID_TRANSITION',
        () =>
          setChecklistItem(
            db.em(),
            { id: item?.id ?? 0, expectedVersion: item?.version ?? 0, ...change },
            testActor,
          ),
        TABLES,
      );
      expect(error.message).toContain('UNDERSTAND');
      expect(error.message).toContain('TEST');
    }
    const reloaded = await db.em().findOneOrFail(ProgrammeChecklistItem, item?.id ?? 0);
    expect(reloaded.doneOn).toBe('2026-01-15');
    // The items of the current stage and of later ones still change.
    const [current] = await db.em().find(ProgrammeChecklistItem, { programme: programme.id, stage: 'LEARN' });
    const ticked = await setChecklistItem(
      db.em(),
      { id: current?.id ?? 0, expectedVersion: current?.version ?? 0, done: true, on: '2026-02-01' },
      testActor,
    );
    expect(ticked.doneOn).toBe('2026-02-01');
  });
});

describe('the dates of a programme’s checklist', () => {
  it('an item is not done before the programme started, and a refused date writes nothing', async () => {
    const unit = await makeBusinessUnit(db.em(), { code: 'PILOT-DATES' });
    const programme = await startProgramme(
      db.em(),
      { businessUnitId: unit.id, startedOn: '2026-03-01' },
      testActor,
    );
    const [item] = await checklist(programme.id, 'UNDERSTAND');
    const tick = (on: string) =>
      setChecklistItem(
        db.em(),
        { id: item?.id ?? 0, expectedVersion: item?.version ?? 0, done: true, on },
        testActor,
      );
    const error = await expectRejected(
      db.em(),
      'PROGRAMME_CHECKLIST_DATED_BEFORE_START',
      () => tick('2026-02-28'),
      TABLES,
    );
    // An input-field rule: VALIDATION, so the API answers a ValidationError with the field.
    expect(error.category).toBe('VALIDATION');
    expect(error.message).toBe(
      `The customer-intimacy programme of PILOT-DATES started on 2026-03-01; its checklist item "${DEFAULT_PROGRAMME_CHECKLISTS.UNDERSTAND[0]}" cannot be done on 2026-02-28. Date it on or after 2026-03-01.`,
    );
    expect(error.issues).toEqual([
      {
        path: ['on'],
        message: 'before startedOn (2026-03-01)',
        code: 'PROGRAMME_CHECKLIST_DATED_BEFORE_START',
      },
    ]);
    const untouched = await db.em().findOneOrFail(ProgrammeChecklistItem, item?.id ?? 0);
    expect([untouched.doneOn, untouched.version]).toEqual([null, item?.version]);
    // The day it started is the first day an item can be done.
    expect((await tick('2026-03-01')).doneOn).toBe('2026-03-01');
  });

  it('an item is not done after today (DATE_IN_FUTURE at on), and a refused date writes nothing', async () => {
    const unit = await makeBusinessUnit(db.em(), { code: 'PILOT-FUTURE' });
    const programme = await startPilot(unit.id);
    const [item] = await checklist(programme.id, 'UNDERSTAND');
    const tick = (on?: string) =>
      setChecklistItem(
        db.em(),
        { id: item?.id ?? 0, expectedVersion: item?.version ?? 0, done: true, on },
        testActor,
      );
    for (const on of [addDays(today(), 1), '2099-01-01']) {
      const error = await expectRejected(db.em(), 'DATE_IN_FUTURE', () => tick(on), TABLES);
      expect(error.category).toBe('VALIDATION');
      expect(error.issues).toEqual([
        { path: ['on'], message: `after today (${today()})`, code: 'DATE_IN_FUTURE' },
      ]);
    }
    const untouched = await db.em().findOneOrFail(ProgrammeChecklistItem, item?.id ?? 0);
    expect([untouched.doneOn, untouched.version]).toEqual([null, item?.version]);
    // Today, given or by default, is fine.
    expect((await tick(today())).doneOn).toBe(today());
  });

  it('a programme does not start after today (DATE_IN_FUTURE at startedOn): its checklist could never be ticked', async () => {
    const unit = await makeBusinessUnit(db.em(), { code: 'PILOT-LATER' });
    for (const startedOn of [addDays(today(), 1), '2099-01-01']) {
      const error = await expectRejected(
        db.em(),
        'DATE_IN_FUTURE',
        () => startProgramme(db.em(), { businessUnitId: unit.id, startedOn }, testActor),
        TABLES,
      );
      expect(error.category).toBe('VALIDATION');
      expect(error.message).toBe(
        `startedOn (${startedOn}) is after today (${today()}): a programme is recorded as started once it has started. Date it today or earlier.`,
      );
      expect(error.issues).toEqual([
        { path: ['startedOn'], message: `after today (${today()})`, code: 'DATE_IN_FUTURE' },
      ]);
    }
    // Today is fine, and the unit can still start its programme.
    const started = await startProgramme(db.em(), { businessUnitId: unit.id, startedOn: today() }, testActor);
    expect(started.startedOn).toBe(today());
  });
});

describe('the free texts of a programme', () => {
  it('objectives are trimmed, and blank is stored as ""', async () => {
    const blank = await startProgramme(
      db.em(),
      { businessUnitId: (await makeBusinessUnit(db.em())).id, startedOn: '2026-01-01', objectives: '  ' },
      testActor,
    );
    const padded = await startProgramme(
      db.em(),
      {
        businessUnitId: (await makeBusinessUnit(db.em())).id,
        startedOn: '2026-01-01',
        objectives: '  Win the pilot  ',
      },
      testActor,
    );
    const stored = await db
      .em()
      .find(IntimacyProgramme, { id: [blank.id, padded.id] }, { orderBy: { id: 'asc' } });
    expect(stored.map(p => p.objectives)).toEqual(['', 'Win the pilot']);
  });
});

describe('optimistic locking of the programme', () => {
  it('a stale or missing expectedVersion is refused and changes nothing', async () => {
    const unit = await makeBusinessUnit(db.em());
    const programme = await startPilot(unit.id);
    await tickStage(programme.id, 'UNDERSTAND');
    await advanceProgrammeStage(db.em(), { id: programme.id, expectedVersion: 1 }, testActor);
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => advanceProgrammeStage(db.em(), { id: programme.id, expectedVersion: 1 }, testActor),
      TABLES,
    );
    await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        advanceProgrammeStage(
          db.em(),
          { id: programme.id } as unknown as { id: number; expectedVersion: number },
          testActor,
        ),
      TABLES,
    );
    const [item] = await db.em().find(ProgrammeChecklistItem, { programme: programme.id, stage: 'TEST' });
    await setChecklistItem(db.em(), { id: item?.id ?? 0, expectedVersion: 1, done: true }, testActor);
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => setChecklistItem(db.em(), { id: item?.id ?? 0, expectedVersion: 1, done: false }, testActor),
      TABLES,
    );
    const reloaded = await db.em().findOneOrFail(ProgrammeChecklistItem, item?.id ?? 0);
    expect(reloaded.doneOn).not.toBeNull();
    expect((await db.em().findOneOrFail(IntimacyProgramme, programme.id)).stage).toBe('TEST');
  });
});

// SQLite runs one write transaction at a time: only PostgreSQL can overlap two requests.
describe.runIf(testDialect() === 'postgresql')('a checklist item changed while the stage advances', () => {
  async function readyToAdvance() {
    const unit = await makeBusinessUnit(db.em());
    const programme = await startPilot(unit.id);
    await tickStage(programme.id, 'UNDERSTAND');
    const [item] = await db
      .em()
      .find(ProgrammeChecklistItem, { programme: programme.id, stage: 'UNDERSTAND' });
    const untick = (em: EntityManager) =>
      setChecklistItem(em, { id: item!.id, expectedVersion: item!.version, done: false }, testActor);
    const advance = (em: EntityManager) =>
      advanceProgrammeStage(em, { id: programme.id, expectedVersion: programme.version }, testActor);
    return { programme, untick, advance };
  }

  it('an item unticked at that moment keeps the programme at its stage', async () => {
    // The advance read the checklist before the untick committed (all done) and moved on: the
    // passed stage then had an open item, which nothing could tick any more.
    const { programme, untick, advance } = await readyToAdvance();
    const [unticked, advanced] = await overlap(db, untick, advance);
    expect(unticked.ok).toBe(true);
    expect(advanced.ok ? 'advanced' : advanced.error).toMatchObject({
      code: 'PROGRAMME_CHECKLIST_INCOMPLETE',
    });
    expect((await db.em().findOneOrFail(IntimacyProgramme, programme.id)).stage).toBe('UNDERSTAND');
  });

  it('an item of the stage being passed cannot be unticked at that moment', async () => {
    const { programme, untick, advance } = await readyToAdvance();
    const [advanced, unticked] = await overlap(db, advance, untick);
    expect(advanced.ok).toBe(true);
    expect(unticked.ok ? 'unticked' : unticked.error).toMatchObject({ code: 'PROGRAMME_INVALID_TRANSITION' });
    expect((await db.em().findOneOrFail(IntimacyProgramme, programme.id)).stage).toBe('TEST');
    const open = await db.em().count(ProgrammeChecklistItem, {
      programme: programme.id,
      stage: 'UNDERSTAND',
      doneOn: null,
    });
    expect(open).toBe(0);
  });
});
