import type { EntityManager } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../analytics/selection.ts';
import { today } from '../common/lookup.ts';
import { PROGRAMME_STAGES } from '../common/vocabulary.ts';
import { updatePerson } from '../organisation/organisation.service.ts';
import { DEFAULT_PROGRAMME_CHECKLISTS } from '../settings/settings.schemas.ts';
import { getSettingsRow, updateSettings } from '../settings/settings.service.ts';
import {
  createTestDatabase,
  expectRejected,
  makeBusinessUnit,
  makePerson,
  overlap,
  type TestDatabase,
  testActor,
  testDialect,
} from '../testing/index.ts';
import { IntimacyProgramme, ProgrammeChecklistItem } from './programme.entity.ts';
import {
  advanceProgrammeStage,
  setChecklistItem,
  startProgramme,
  updateProgramme,
} from './programme.service.ts';

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

  it('starts with the checklists of the settings; a programme already running keeps its own', async () => {
    const running = await startPilot((await makeBusinessUnit(db.em())).id);
    const patchChecklists = async (checklists: Record<string, string[]>) =>
      updateSettings(
        db.em(),
        {
          expectedVersion: (await getSettingsRow(db.em()))?.version ?? 1,
          patch: { programme: { checklists } },
        },
        testActor,
      );
    await patchChecklists({ UNDERSTAND: ['Agree the pilot with the board'], IMPLEMENT: ['Roll out'] });
    try {
      const later = await startPilot((await makeBusinessUnit(db.em())).id);
      expect((await checklist(later.id, 'UNDERSTAND')).map(i => [i.position, i.text])).toEqual([
        [1, 'Agree the pilot with the board'],
      ]);
      expect((await checklist(later.id, 'IMPLEMENT')).map(i => i.text)).toEqual(['Roll out']);
      expect((await checklist(later.id, 'TEST')).map(i => i.text)).toEqual(DEFAULT_PROGRAMME_CHECKLISTS.TEST);
      expect((await checklist(running.id, 'UNDERSTAND')).map(i => i.text)).toEqual(
        DEFAULT_PROGRAMME_CHECKLISTS.UNDERSTAND,
      );
    } finally {
      await patchChecklists(DEFAULT_PROGRAMME_CHECKLISTS);
    }
  });

  it('names, changes and clears the change leader and edits the objectives, with the version', async () => {
    const unit = await makeBusinessUnit(db.em(), { code: 'PILOT-LEAD' });
    const programme = await startPilot(unit.id);
    expect(programme.changeLeader).toBeNull();
    const leader = await makePerson(db.em(), { name: 'Lena Lead' });
    const named = await updateProgramme(
      db.em(),
      { id: programme.id, expectedVersion: 1, changeLeaderId: leader.id, objectives: '  Win three pilots ' },
      testActor,
    );
    expect([named.changeLeader?.id, named.objectives, named.version]).toEqual([
      leader.id,
      'Win three pilots',
      2,
    ]);
    const kept = await updateProgramme(
      db.em(),
      { id: programme.id, expectedVersion: 2, objectives: 'Win two' },
      testActor,
    );
    expect([kept.changeLeader?.id, kept.objectives]).toEqual([leader.id, 'Win two']);
    const cleared = await updateProgramme(
      db.em(),
      { id: programme.id, expectedVersion: 3, changeLeaderId: null },
      testActor,
    );
    expect([cleared.changeLeader, cleared.objectives, cleared.version]).toEqual([null, 'Win two', 4]);
    const stale = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => updateProgramme(db.em(), { id: programme.id, expectedVersion: 3, objectives: 'Lost' }, testActor),
      TABLES,
    );
    expect(stale.message).toContain('The customer-intimacy programme of PILOT-LEAD');
    await expectRejected(
      db.em(),
      'NOT_FOUND',
      () =>
        updateProgramme(
          db.em(),
          { id: programme.id, expectedVersion: 4, changeLeaderId: 999_999 },
          testActor,
        ),
      TABLES,
    );
  });

  it('a person who is no longer active is not named change leader, at the start or later', async () => {
    const unit = await makeBusinessUnit(db.em(), { code: 'PILOT-GONE' });
    const gone = await makePerson(db.em(), { name: 'Gina Gone' });
    await updatePerson(db.em(), { id: gone.id, expectedVersion: 1, active: false }, testActor);
    const atStart = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () => startProgramme(db.em(), { businessUnitId: unit.id, changeLeaderId: gone.id }, testActor),
      TABLES,
    );
    expect(atStart.issues[0]?.path).toEqual(['changeLeaderId']);
    expect(atStart.message).toContain('Gina Gone is no longer active and cannot be the change leader');
    const programme = await startPilot(unit.id);
    await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () =>
        updateProgramme(
          db.em(),
          { id: programme.id, expectedVersion: 1, changeLeaderId: gone.id },
          testActor,
        ),
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
