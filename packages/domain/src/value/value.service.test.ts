import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../accounts/account.entity.ts';
import { addDays } from '../analytics/selection.ts';
import { today } from '../common/lookup.ts';
import { DESIGN_PHASES, type DesignPhase } from '../common/vocabulary.ts';
import { updatePerson } from '../organisation/organisation.service.ts';
import type { Person } from '../organisation/person.entity.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  makePerson,
  type TestDatabase,
  testActor,
} from '../testing/index.ts';
import {
  advanceInitiativePhase,
  createValueInitiative,
  markCopiedByCompetitor,
  recordCustomerRecognition,
  recordInitiativeGains,
  recordInitiativeOutcome,
  updateValueInitiative,
} from './value.service.ts';
import { ValueInitiative } from './value-initiative.entity.ts';

let db: TestDatabase;
let accountId: number;
beforeAll(async () => {
  db = await createTestDatabase();
  accountId = (await makeAccount(db.em())).id;
});
afterAll(async () => {
  await db.close();
});

const TABLES = ['value_initiative'];

async function reload(id: number): Promise<ValueInitiative> {
  return db.em().findOneOrFail(ValueInitiative, id);
}

/** A new initiative moved phase by phase up to `phase`. */
async function initiativeAt(phase: DesignPhase): Promise<ValueInitiative> {
  let initiative = await createValueInitiative(
    db.em(),
    {
      accountId,
      name: `Initiative at ${phase}`,
      category: 'UNTAPPED',
      desiredGains: '5 % less scrap',
      startedOn: '2026-01-15',
    },
    testActor,
  );
  while (initiative.phase !== phase) {
    initiative = await advanceInitiativePhase(
      db.em(),
      { id: initiative.id, expectedVersion: initiative.version },
      testActor,
    );
  }
  return initiative;
}

async function withGains(customerGain: string | null, supplierGain: string | null, recognised: boolean) {
  const at = await initiativeAt('REVIEW_AND_REFINE');
  const gained = await recordInitiativeGains(
    db.em(),
    { id: at.id, expectedVersion: at.version, customerGain, supplierGain },
    testActor,
  );
  if (!recognised) return gained;
  return recordCustomerRecognition(
    db.em(),
    { id: at.id, expectedVersion: gained.version, recognised: true, on: '2026-04-01' },
    testActor,
  );
}

describe('an initiative is adopted only when both sides gain and the customer recognises it', () => {
  it.each([
    ['no gains recorded', null, null],
    ['only the customer gains', '12000.00', null],
    ['our gain is zero', '12000.00', '0.00'],
    ['the customer loses', '-500.00', '8000.00'],
  ] as const)('refuses adoption when %s', async (_, customerGain, supplierGain) => {
    const initiative = await withGains(customerGain, supplierGain, true);
    const error = await expectRejected(
      db.em(),
      'INITIATIVE_ADOPTION_REQUIRES_BOTH_GAINS',
      () =>
        recordInitiativeOutcome(
          db.em(),
          { outcome: 'ADOPTED', id: initiative.id, expectedVersion: initiative.version },
          testActor,
        ),
      TABLES,
    );
    expect(error.details).toEqual({ customerGain, supplierGain });
    const reloaded = await reload(initiative.id);
    expect([reloaded.outcome, reloaded.endedOn, reloaded.version]).toEqual([null, null, initiative.version]);
  });

  it('refuses adoption while the customer does not recognise the value', async () => {
    const initiative = await withGains('12000.00', '3000.00', false);
    await expectRejected(
      db.em(),
      'INITIATIVE_NOT_RECOGNISED',
      () =>
        recordInitiativeOutcome(
          db.em(),
          { outcome: 'ADOPTED', id: initiative.id, expectedVersion: initiative.version },
          testActor,
        ),
      TABLES,
    );
    expect((await reload(initiative.id)).outcome).toBeNull();
  });

  it('adopts a tested initiative with positive gains on both sides and the customer’s recognition', async () => {
    const initiative = await withGains('0.01', '0.01', true);
    const adopted = await recordInitiativeOutcome(
      db.em(),
      { outcome: 'ADOPTED', id: initiative.id, expectedVersion: initiative.version, on: '2026-05-01' },
      testActor,
    );
    expect([adopted.outcome, adopted.endedOn]).toEqual(['ADOPTED', '2026-05-01']);
  });

  it('refuses an adoption dated before the customer recognised the value, and takes that day itself', async () => {
    // Recognised on 2026-04-01 (withGains): adopted on 2026-03-31, the initiative would have been
    // ADOPTED for a day while the customer did not yet recognise its value.
    const initiative = await withGains('12000.00', '3000.00', true);
    const error = await expectRejected(
      db.em(),
      'INITIATIVE_NOT_RECOGNISED',
      () =>
        recordInitiativeOutcome(
          db.em(),
          { outcome: 'ADOPTED', id: initiative.id, expectedVersion: initiative.version, on: '2026-03-31' },
          testActor,
        ),
      TABLES,
    );
    expect(error.message).toMatch(
      /^Initiative "Initiative at REVIEW_AND_REFINE" of ACC-\d+ was recognised by the customer on 2026-04-01; its adoption cannot be dated 2026-03-31\. Date it on or after 2026-04-01\.$/,
    );
    expect(error.issues).toEqual([
      { path: ['on'], message: 'before recognisedOn (2026-04-01)', code: 'INITIATIVE_NOT_RECOGNISED' },
    ]);
    const unchanged = await reload(initiative.id);
    expect([unchanged.outcome, unchanged.endedOn, unchanged.version]).toEqual([
      null,
      null,
      initiative.version,
    ]);
    const adopted = await recordInitiativeOutcome(
      db.em(),
      { outcome: 'ADOPTED', id: initiative.id, expectedVersion: initiative.version, on: '2026-04-01' },
      testActor,
    );
    expect([adopted.outcome, adopted.endedOn]).toEqual(['ADOPTED', '2026-04-01']);
  });

  it('refuses adoption before the live test', async () => {
    const initiative = await initiativeAt('FINAL_REVIEW');
    await expectRejected(
      db.em(),
      'INITIATIVE_INVALID_PHASE_TRANSITION',
      () =>
        recordInitiativeOutcome(
          db.em(),
          { outcome: 'ADOPTED', id: initiative.id, expectedVersion: initiative.version },
          testActor,
        ),
      TABLES,
    );
  });

  it('an adopted initiative is final: its phase, gains, recognition and outcome no longer change', async () => {
    const initiative = await withGains('100.00', '50.00', true);
    const adopted = await recordInitiativeOutcome(
      db.em(),
      { outcome: 'ADOPTED', id: initiative.id, expectedVersion: initiative.version },
      testActor,
    );
    const v = adopted.version;
    const error = await expectRejected(
      db.em(),
      'INITIATIVE_ALREADY_ENDED',
      () => advanceInitiativePhase(db.em(), { id: adopted.id, expectedVersion: v }, testActor),
      TABLES,
    );
    // Named as its users know it (name and account), not by its database id.
    expect(error.message).toMatch(
      /^Initiative "Initiative at \w+" of \S+ has ended \(ADOPTED\); it cannot change any more\./,
    );
    await expectRejected(
      db.em(),
      'INITIATIVE_ALREADY_ENDED',
      () =>
        recordInitiativeGains(
          db.em(),
          { id: adopted.id, expectedVersion: v, supplierGain: '-1.00' },
          testActor,
        ),
      TABLES,
    );
    // Withdrawing the recognition would leave an adopted initiative the customer does not recognise.
    await expectRejected(
      db.em(),
      'INITIATIVE_ALREADY_ENDED',
      () =>
        recordCustomerRecognition(
          db.em(),
          { id: adopted.id, expectedVersion: v, recognised: false },
          testActor,
        ),
      TABLES,
    );
    await expectRejected(
      db.em(),
      'INITIATIVE_ALREADY_ENDED',
      () =>
        recordInitiativeOutcome(
          db.em(),
          { outcome: 'REJECTED', id: adopted.id, expectedVersion: v },
          testActor,
        ),
      TABLES,
    );
    const reloaded = await reload(adopted.id);
    expect([reloaded.outcome, reloaded.supplierGain, reloaded.customerRecognised, reloaded.version]).toEqual([
      'ADOPTED',
      '50.00',
      true,
      v,
    ]);
  });
});

describe('a blank optional text is no value', () => {
  it('a recognition’s blank note is stored as null', async () => {
    const at = await initiativeAt('REVIEW_AND_REFINE');
    await recordCustomerRecognition(
      db.em(),
      { id: at.id, expectedVersion: at.version, recognised: true, on: '2026-04-01', note: '  ' },
      testActor,
    );
    expect((await reload(at.id)).recognitionNote).toBeNull();
  });

  it('the desired gains are trimmed, and blank ones stored as "" (the column is not nullable)', async () => {
    const create = (desiredGains: string) =>
      createValueInitiative(
        db.em(),
        { accountId, name: 'Trimmed gains', category: 'UNTAPPED', desiredGains },
        testActor,
      );
    const blank = await create(' \t\n ');
    const padded = await create('  5 % less scrap \n');
    expect([(await reload(blank.id)).desiredGains, (await reload(padded.id)).desiredGains]).toEqual([
      '',
      '5 % less scrap',
    ]);
  });
});

describe('only legal phase transitions', () => {
  it('phases are taken one at a time, in order', async () => {
    const initiative = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const error = await expectRejected(
      db.em(),
      'INITIATIVE_INVALID_PHASE_TRANSITION',
      () =>
        advanceInitiativePhase(
          db.em(),
          { id: initiative.id, expectedVersion: 1, toPhase: 'RAPID_PROTOTYPING' },
          testActor,
        ),
      TABLES,
    );
    expect(error.details).toEqual({ from: 'ASSESS_CURRENT_SITUATION', to: 'RAPID_PROTOTYPING' });
    const next = await advanceInitiativePhase(
      db.em(),
      { id: initiative.id, expectedVersion: 1, toPhase: 'FILL_KNOWLEDGE_GAPS' },
      testActor,
    );
    expect(next.phase).toBe('FILL_KNOWLEDGE_GAPS');
    await expectRejected(
      db.em(),
      'INITIATIVE_INVALID_PHASE_TRANSITION',
      () =>
        advanceInitiativePhase(
          db.em(),
          { id: initiative.id, expectedVersion: 2, toPhase: 'ASSESS_CURRENT_SITUATION' },
          testActor,
        ),
      TABLES,
    );
  });

  it('there is no phase after ROLL_OUT', async () => {
    const initiative = await initiativeAt('ROLL_OUT');
    expect(initiative.version).toBe(DESIGN_PHASES.length);
    await expectRejected(
      db.em(),
      'INITIATIVE_INVALID_PHASE_TRANSITION',
      () =>
        advanceInitiativePhase(
          db.em(),
          { id: initiative.id, expectedVersion: initiative.version },
          testActor,
        ),
      TABLES,
    );
  });

  it('REVISED sends a tested initiative back to TEST_PLAN; an untested one cannot be revised', async () => {
    const untested = await initiativeAt('EXTERNAL_LEARNING');
    await expectRejected(
      db.em(),
      'INITIATIVE_INVALID_PHASE_TRANSITION',
      () =>
        recordInitiativeOutcome(
          db.em(),
          { outcome: 'REVISED', id: untested.id, expectedVersion: untested.version },
          testActor,
        ),
      TABLES,
    );
    const tested = await initiativeAt('LIVE_TEST');
    const revised = await recordInitiativeOutcome(
      db.em(),
      { outcome: 'REVISED', id: tested.id, expectedVersion: tested.version },
      testActor,
    );
    expect([revised.outcome, revised.phase, revised.revisionCount, revised.endedOn]).toEqual([
      'REVISED',
      'TEST_PLAN',
      1,
      null,
    ]);
    // Still running: it moves on from testing again.
    const again = await advanceInitiativePhase(
      db.em(),
      { id: tested.id, expectedVersion: revised.version },
      testActor,
    );
    expect(again.phase).toBe('LIVE_TEST');
  });

  it('COMBINED needs another initiative that is still running', async () => {
    const a = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const itself = await expectRejected(
      db.em(),
      'INITIATIVE_COMBINE_TARGET_INVALID',
      () =>
        recordInitiativeOutcome(
          db.em(),
          { outcome: 'COMBINED', id: a.id, expectedVersion: 1, combinedIntoId: a.id },
          testActor,
        ),
      TABLES,
    );
    const rejected = await initiativeAt('ASSESS_CURRENT_SITUATION');
    await recordInitiativeOutcome(
      db.em(),
      { outcome: 'REJECTED', id: rejected.id, expectedVersion: 1 },
      testActor,
    );
    const ended = await expectRejected(
      db.em(),
      'INITIATIVE_COMBINE_TARGET_INVALID',
      () =>
        recordInitiativeOutcome(
          db.em(),
          { outcome: 'COMBINED', id: a.id, expectedVersion: 1, combinedIntoId: rejected.id },
          testActor,
        ),
      TABLES,
    );
    expect(itself.message).toMatch(/still running; not into itself\.$/);
    expect(ended.message).toMatch(
      /still running; Initiative "Initiative at ASSESS_CURRENT_SITUATION" of \S+ has ended \(REJECTED\)\.$/,
    );
    const target = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const combined = await recordInitiativeOutcome(
      db.em(),
      { outcome: 'COMBINED', id: a.id, expectedVersion: 1, combinedIntoId: target.id },
      testActor,
    );
    expect([combined.outcome, combined.combinedInto?.id]).toEqual(['COMBINED', target.id]);
  });

  it('a copied initiative becomes EXPECTED value', async () => {
    const initiative = await createValueInitiative(
      db.em(),
      { accountId, name: 'Vendor-managed inventory', category: 'PROVEN' },
      testActor,
    );
    const copied = await markCopiedByCompetitor(
      db.em(),
      { id: initiative.id, expectedVersion: 1 },
      testActor,
    );
    expect([copied.category, copied.copiedByCompetitor]).toEqual(['EXPECTED', true]);
  });

  it('a copy is dated (today when omitted), keeps the category it had before, and is not dated before the start', async () => {
    const initiative = await initiativeAt('ASSESS_CURRENT_SITUATION'); // UNTAPPED, started 2026-01-15
    const early = await expectRejected(
      db.em(),
      'INITIATIVE_DATED_BEFORE_START',
      () =>
        markCopiedByCompetitor(
          db.em(),
          { id: initiative.id, expectedVersion: 1, on: '2026-01-14' },
          testActor,
        ),
      TABLES,
    );
    expect(early.message).toMatch(
      /^Initiative "Initiative at ASSESS_CURRENT_SITUATION" of ACC-\d+ started on 2026-01-15; its copy by a competitor cannot be dated 2026-01-14\. Date it on or after 2026-01-15\.$/,
    );
    expect(early.issues).toEqual([
      { path: ['on'], message: 'before startedOn (2026-01-15)', code: 'INITIATIVE_DATED_BEFORE_START' },
    ]);
    expect((await reload(initiative.id)).copiedByCompetitor).toBe(false);

    const copied = await markCopiedByCompetitor(
      db.em(),
      { id: initiative.id, expectedVersion: 1, on: '2026-01-15' },
      testActor,
    );
    const stored = await reload(copied.id);
    expect([stored.category, stored.copiedByCompetitor, stored.copiedOn, stored.categoryBeforeCopy]).toEqual([
      'EXPECTED',
      true,
      '2026-01-15',
      'UNTAPPED',
    ]);
    // Marked again: the copy day is corrected; the category before the copy stays UNTAPPED.
    const redated = await markCopiedByCompetitor(
      db.em(),
      { id: initiative.id, expectedVersion: stored.version, on: '2026-02-01' },
      testActor,
    );
    expect([redated.copiedOn, redated.categoryBeforeCopy, redated.category]).toEqual([
      '2026-02-01',
      'UNTAPPED',
      'EXPECTED',
    ]);

    const undated = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const today = new Date().toISOString().slice(0, 10);
    const copiedToday = await markCopiedByCompetitor(
      db.em(),
      { id: undated.id, expectedVersion: 1 },
      testActor,
    );
    expect(copiedToday.copiedOn).toBe(today);
  });
});

describe('optimistic locking of value initiatives', () => {
  it('a stale expectedVersion is VERSION_CONFLICT and changes nothing', async () => {
    const initiative = await initiativeAt('ASSESS_CURRENT_SITUATION');
    await recordInitiativeGains(
      db.em(),
      { id: initiative.id, expectedVersion: 1, customerGain: '10.00' },
      testActor,
    );
    for (const stale of [
      () =>
        recordInitiativeGains(
          db.em(),
          { id: initiative.id, expectedVersion: 1, customerGain: '99.00' },
          testActor,
        ),
      () => advanceInitiativePhase(db.em(), { id: initiative.id, expectedVersion: 1 }, testActor),
      () =>
        recordCustomerRecognition(
          db.em(),
          { id: initiative.id, expectedVersion: 1, recognised: true },
          testActor,
        ),
      () => markCopiedByCompetitor(db.em(), { id: initiative.id, expectedVersion: 1 }, testActor),
      () =>
        recordInitiativeOutcome(
          db.em(),
          { outcome: 'REJECTED', id: initiative.id, expectedVersion: 1 },
          testActor,
        ),
    ]) {
      const error = await expectRejected(db.em(), 'VERSION_CONFLICT', stale, TABLES);
      expect(error.message).toMatch(
        /^Initiative "Initiative at ASSESS_CURRENT_SITUATION" of ACC-\d+ was changed by someone else: you sent version 1, the current version is 2\./,
      );
    }
    const reloaded = await reload(initiative.id);
    expect([
      reloaded.customerGain,
      reloaded.phase,
      reloaded.customerRecognised,
      reloaded.outcome,
      reloaded.version,
    ]).toEqual(['10.00', 'ASSESS_CURRENT_SITUATION', false, null, 2]);
  });
});

describe('an initiative is not recognised or ended before it started', () => {
  it('refuses a recognition or an outcome dated before startedOn, and takes the start day itself', async () => {
    const initiative = await withGains('100.00', '50.00', false);
    const early = [
      [
        'recognition',
        '2026-01-14',
        () =>
          recordCustomerRecognition(
            db.em(),
            { id: initiative.id, expectedVersion: initiative.version, recognised: true, on: '2026-01-14' },
            testActor,
          ),
      ],
      [
        'rejection',
        '2025-12-31',
        () =>
          recordInitiativeOutcome(
            db.em(),
            { outcome: 'REJECTED', id: initiative.id, expectedVersion: initiative.version, on: '2025-12-31' },
            testActor,
          ),
      ],
    ] as const;
    for (const [what, on, action] of early) {
      const error = await expectRejected(db.em(), 'INITIATIVE_DATED_BEFORE_START', action, TABLES);
      expect(error.message).toMatch(
        new RegExp(
          `^Initiative "Initiative at REVIEW_AND_REFINE" of ACC-\\d+ started on 2026-01-15; its ${what} cannot be dated ${on}\\. Date it on or after 2026-01-15\\.$`,
        ),
      );
      expect(error.issues).toEqual([
        { path: ['on'], message: 'before startedOn (2026-01-15)', code: 'INITIATIVE_DATED_BEFORE_START' },
      ]);
    }
    const recognised = await recordCustomerRecognition(
      db.em(),
      { id: initiative.id, expectedVersion: initiative.version, recognised: true, on: '2026-01-15' },
      testActor,
    );
    const adopted = await recordInitiativeOutcome(
      db.em(),
      { outcome: 'ADOPTED', id: initiative.id, expectedVersion: recognised.version, on: '2026-01-15' },
      testActor,
    );
    expect([adopted.recognisedOn, adopted.outcome, adopted.endedOn]).toEqual([
      '2026-01-15',
      'ADOPTED',
      '2026-01-15',
    ]);
  });

  it('an initiative stored with a later start cannot be rejected or combined today', async () => {
    // createValueInitiative refuses a start after today (DATE_IN_FUTURE); a row stored before it
    // did is still not ended before it started.
    const later = await createValueInitiative(
      db.em(),
      { accountId, name: 'Starts next year', category: 'UNTAPPED' },
      testActor,
    );
    await db
      .em()
      .getConnection()
      .execute('update value_initiative set started_on = ? where id = ?', ['2999-01-01', later.id]);
    const running = await initiativeAt('ASSESS_CURRENT_SITUATION');
    for (const early of [
      () =>
        recordInitiativeOutcome(
          db.em(),
          { outcome: 'REJECTED', id: later.id, expectedVersion: 1 },
          testActor,
        ),
      () =>
        recordInitiativeOutcome(
          db.em(),
          { outcome: 'COMBINED', id: later.id, expectedVersion: 1, combinedIntoId: running.id },
          testActor,
        ),
    ]) {
      await expectRejected(db.em(), 'INITIATIVE_DATED_BEFORE_START', early, TABLES);
    }
    const reloaded = await reload(later.id);
    expect([reloaded.outcome, reloaded.endedOn, reloaded.combinedInto, reloaded.version]).toEqual([
      null,
      null,
      null,
      1,
    ]);
  });
  it('an initiative is not combined into one that had not started on that day', async () => {
    // Dated history: on 2026-02-01 the initiative would have been merged into one that began
    // only in March.
    const running = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const target = await createValueInitiative(
      db.em(),
      { accountId, name: 'Starts in March', category: 'UNTAPPED', startedOn: '2026-03-01' },
      testActor,
    );
    const error = await expectRejected(
      db.em(),
      'INITIATIVE_DATED_BEFORE_START',
      () =>
        recordInitiativeOutcome(
          db.em(),
          {
            outcome: 'COMBINED',
            id: running.id,
            expectedVersion: running.version,
            combinedIntoId: target.id,
            on: '2026-02-01',
          },
          testActor,
        ),
      TABLES,
    );
    expect(error.message).toMatch(
      /^Initiative "Starts in March" of ACC-\d+ started on 2026-03-01; Initiative "Initiative at ASSESS_CURRENT_SITUATION" of ACC-\d+ cannot be combined into it on 2026-02-01\. Date the combination on or after 2026-03-01\.$/,
    );
    expect(error.issues).toEqual([
      {
        path: ['on'],
        message: 'before the startedOn of the initiative combined into (2026-03-01)',
        code: 'INITIATIVE_DATED_BEFORE_START',
      },
    ]);
    expect((await reload(running.id)).outcome).toBeNull();
    const combined = await recordInitiativeOutcome(
      db.em(),
      {
        outcome: 'COMBINED',
        id: running.id,
        expectedVersion: running.version,
        combinedIntoId: target.id,
        on: '2026-03-01',
      },
      testActor,
    );
    expect([combined.outcome, combined.endedOn, combined.combinedInto?.id]).toEqual([
      'COMBINED',
      '2026-03-01',
      target.id,
    ]);
  });
});

describe('a start, a recognition, an outcome or a copy has happened: not dated after today', () => {
  const tomorrow = () => addDays(today(), 1);

  it('createValueInitiative refuses a startedOn after today (DATE_IN_FUTURE at startedOn); today is fine', async () => {
    for (const startedOn of [tomorrow(), '2099-01-01']) {
      const error = await expectRejected(
        db.em(),
        'DATE_IN_FUTURE',
        () =>
          createValueInitiative(
            db.em(),
            { accountId, name: 'Later', category: 'UNTAPPED', startedOn },
            testActor,
          ),
        TABLES,
      );
      expect(error.category).toBe('VALIDATION');
      expect(error.message).toBe(
        `startedOn (${startedOn}) is after today (${today()}): an initiative is recorded as started once it has started. Date it today or earlier.`,
      );
      expect(error.issues).toEqual([
        { path: ['startedOn'], message: `after today (${today()})`, code: 'DATE_IN_FUTURE' },
      ]);
    }
    const started = await createValueInitiative(
      db.em(),
      { accountId, name: 'Today', category: 'UNTAPPED', startedOn: today() },
      testActor,
    );
    expect(started.startedOn).toBe(today());
  });

  it('refuses a recognition, an adoption, a rejection, a combination or a copy after today, at on, writing nothing', async () => {
    const adoptable = await withGains('100.00', '50.00', true);
    const running = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const target = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const later = tomorrow();
    const steps = [
      [
        'recognition',
        later,
        () =>
          recordCustomerRecognition(
            db.em(),
            { id: running.id, expectedVersion: running.version, recognised: true, on: later },
            testActor,
          ),
      ],
      [
        'adoption',
        '2099-01-01',
        () =>
          recordInitiativeOutcome(
            db.em(),
            { outcome: 'ADOPTED', id: adoptable.id, expectedVersion: adoptable.version, on: '2099-01-01' },
            testActor,
          ),
      ],
      [
        'rejection',
        later,
        () =>
          recordInitiativeOutcome(
            db.em(),
            { outcome: 'REJECTED', id: running.id, expectedVersion: running.version, on: later },
            testActor,
          ),
      ],
      [
        'combination',
        '2099-12-31',
        () =>
          recordInitiativeOutcome(
            db.em(),
            {
              outcome: 'COMBINED',
              id: running.id,
              expectedVersion: running.version,
              combinedIntoId: target.id,
              on: '2099-12-31',
            },
            testActor,
          ),
      ],
      [
        'copy by a competitor',
        later,
        () =>
          markCopiedByCompetitor(
            db.em(),
            { id: running.id, expectedVersion: running.version, on: later },
            testActor,
          ),
      ],
    ] as const;
    for (const [what, on, step] of steps) {
      const error = await expectRejected(db.em(), 'DATE_IN_FUTURE', step, TABLES);
      expect(error.message).toBe(
        `on (${on}) is after today (${today()}): an initiative's ${what} is recorded once it has happened. Date it today or earlier.`,
      );
      expect(error.issues).toEqual([
        { path: ['on'], message: `after today (${today()})`, code: 'DATE_IN_FUTURE' },
      ]);
    }
    const [adoptableNow, runningNow] = [await reload(adoptable.id), await reload(running.id)];
    expect([adoptableNow.outcome, adoptableNow.endedOn, adoptableNow.version]).toEqual([
      null,
      null,
      adoptable.version,
    ]);
    expect([
      runningNow.customerRecognised,
      runningNow.outcome,
      runningNow.copiedByCompetitor,
      runningNow.version,
    ]).toEqual([false, null, false, running.version]);
    // Today is fine.
    const adopted = await recordInitiativeOutcome(
      db.em(),
      { outcome: 'ADOPTED', id: adoptable.id, expectedVersion: adoptable.version, on: today() },
      testActor,
    );
    expect([adopted.outcome, adopted.endedOn]).toEqual(['ADOPTED', today()]);
  });
});

describe('a field that does not apply to an outcome is refused, not dropped', () => {
  it('REVISED takes no on; only COMBINED takes combinedIntoId (VALIDATION_FAILED at the field), writing nothing', async () => {
    const tested = await initiativeAt('LIVE_TEST');
    const other = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const base = { id: tested.id, expectedVersion: tested.version };
    const refused = [
      [
        ['on'],
        'on: does not apply to REVISED: a revision sends the initiative back to testing and is not dated; leave on out',
        () => recordInitiativeOutcome(db.em(), { ...base, outcome: 'REVISED', on: '2026-06-01' }, testActor),
      ],
      [
        ['combinedIntoId'],
        'combinedIntoId: does not apply to REJECTED: only COMBINED joins another initiative; leave combinedIntoId out, or set the outcome COMBINED',
        () =>
          recordInitiativeOutcome(
            db.em(),
            { ...base, outcome: 'REJECTED', combinedIntoId: other.id },
            testActor,
          ),
      ],
      [
        ['combinedIntoId'],
        'combinedIntoId: does not apply to REVISED: only COMBINED joins another initiative; leave combinedIntoId out, or set the outcome COMBINED',
        () =>
          recordInitiativeOutcome(
            db.em(),
            { ...base, outcome: 'REVISED', combinedIntoId: other.id },
            testActor,
          ),
      ],
    ] as const;
    for (const [path, described, step] of refused) {
      const error = await expectRejected(db.em(), 'VALIDATION_FAILED', step, TABLES);
      expect(error.category).toBe('VALIDATION');
      expect(error.message).toBe(`Invalid outcome: ${described}.`);
      expect(error.issues.map(i => [i.path, i.code])).toEqual([[path, 'VALIDATION_FAILED']]);
    }
    const unchanged = await reload(tested.id);
    expect([unchanged.outcome, unchanged.phase, unchanged.endedOn, unchanged.version]).toEqual([
      null,
      'LIVE_TEST',
      null,
      tested.version,
    ]);
  });
});

/** A person who is no longer active. */
async function leaver(name: string): Promise<Person> {
  const person = await makePerson(db.em(), { name });
  await updatePerson(db.em(), { id: person.id, expectedVersion: 1, active: false }, testActor);
  return person;
}

const inactiveOwner = [{ path: ['ownerId'], message: 'not an active person', code: 'PERSON_INACTIVE' }];

describe('the owner of an initiative is an active person', () => {
  it('createValueInitiative refuses an owner who is no longer active (PERSON_INACTIVE at ownerId), writing nothing', async () => {
    const left = await leaver('Olga Left');
    const { externalRef } = await db.em().findOneOrFail(Account, accountId);
    const error = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () =>
        createValueInitiative(
          db.em(),
          { accountId, name: 'Shared forecasting', category: 'UNTAPPED', ownerId: left.id },
          testActor,
        ),
      TABLES,
    );
    expect(error.category).toBe('VALIDATION');
    expect(error.message).toBe(
      `Olga Left is no longer active and cannot be the owner of initiative "Shared forecasting" of ${externalRef}. Choose an active person, or make Olga Left active again first (updatePerson).`,
    );
    expect(error.issues).toEqual(inactiveOwner);
  });
});

describe('updateValueInitiative corrects an initiative’s name, desired gains and owner', () => {
  it('changes what is sent, keeps what is omitted, and clears the owner with null', async () => {
    const owner = await makePerson(db.em(), { name: 'Ada Owner' });
    const other = await makePerson(db.em(), { name: 'Ben Other' });
    const created = await createValueInitiative(
      db.em(),
      { accountId, name: 'Typo naem', category: 'PROVEN', ownerId: owner.id, desiredGains: 'Less scrap' },
      testActor,
    );
    const renamed = await updateValueInitiative(
      db.em(),
      { id: created.id, expectedVersion: created.version, name: '  Joint forecasting ' },
      testActor,
    );
    expect(renamed.version).toBe(created.version + 1);
    let stored = await reload(created.id);
    expect([stored.name, stored.desiredGains, stored.owner?.id, stored.category]).toEqual([
      'Joint forecasting',
      'Less scrap',
      owner.id,
      'PROVEN',
    ]);
    const edited = await updateValueInitiative(
      db.em(),
      {
        id: created.id,
        expectedVersion: renamed.version,
        desiredGains: ' 5 % less scrap ',
        ownerId: other.id,
      },
      testActor,
    );
    stored = await reload(created.id);
    expect([stored.name, stored.desiredGains, stored.owner?.id, stored.version]).toEqual([
      'Joint forecasting',
      '5 % less scrap',
      other.id,
      edited.version,
    ]);
    const cleared = await updateValueInitiative(
      db.em(),
      { id: created.id, expectedVersion: edited.version, ownerId: null, desiredGains: '  ' },
      testActor,
    );
    stored = await reload(created.id);
    expect([stored.owner, stored.desiredGains, stored.version]).toEqual([null, '', cleared.version]);
    // Phase, gains, recognition, outcome and category stay as they were.
    expect([stored.phase, stored.outcome, stored.customerGain, stored.customerRecognised]).toEqual([
      'ASSESS_CURRENT_SITUATION',
      null,
      null,
      false,
    ]);
  });

  it('an update that changes nothing keeps the version and writes no audit entry', async () => {
    const owner = await makePerson(db.em(), { name: 'Cleo Same' });
    const created = await createValueInitiative(
      db.em(),
      { accountId, name: 'Unchanged', category: 'UNTAPPED', ownerId: owner.id, desiredGains: 'Gains' },
      testActor,
    );
    const audits = async () =>
      Number(
        (await db.em().getConnection().execute<{ n: number }[]>('select count(*) as n from audit_entry'))[0]
          ?.n,
      );
    const before = await audits();
    for (const same of [
      {},
      { name: 'Unchanged', desiredGains: 'Gains', ownerId: owner.id },
      { name: ' Unchanged ', desiredGains: 'Gains ' },
    ]) {
      const result = await updateValueInitiative(
        db.em(),
        { id: created.id, expectedVersion: created.version, ...same },
        testActor,
      );
      expect(result.version).toBe(created.version);
    }
    expect(await audits()).toBe(before);
    // An owner who has left since stays when the same ownerId is sent again.
    await updatePerson(db.em(), { id: owner.id, expectedVersion: 1, active: false }, testActor);
    const again = await updateValueInitiative(
      db.em(),
      { id: created.id, expectedVersion: created.version, ownerId: owner.id, name: 'Renamed' },
      testActor,
    );
    expect([again.version, (await reload(created.id)).owner?.id]).toEqual([created.version + 1, owner.id]);
  });

  it('refuses an owner who is no longer active (PERSON_INACTIVE at ownerId), writing nothing', async () => {
    const left = await leaver('Dora Left');
    const initiative = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const error = await expectRejected(
      db.em(),
      'PERSON_INACTIVE',
      () =>
        updateValueInitiative(
          db.em(),
          { id: initiative.id, expectedVersion: initiative.version, ownerId: left.id, name: 'Other name' },
          testActor,
        ),
      TABLES,
    );
    expect(error.message).toMatch(
      /^Dora Left is no longer active and cannot be the owner of initiative "Initiative at ASSESS_CURRENT_SITUATION" of ACC-\d+\./,
    );
    expect(error.issues).toEqual(inactiveOwner);
    const stored = await reload(initiative.id);
    expect([stored.name, stored.owner, stored.version]).toEqual([initiative.name, null, initiative.version]);
  });

  it('a stale expectedVersion is VERSION_CONFLICT and changes nothing', async () => {
    const initiative = await initiativeAt('FILL_KNOWLEDGE_GAPS');
    const error = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () =>
        updateValueInitiative(db.em(), { id: initiative.id, expectedVersion: 1, name: 'Stale' }, testActor),
      TABLES,
    );
    expect(error.message).toMatch(
      /^Initiative "Initiative at FILL_KNOWLEDGE_GAPS" of ACC-\d+ was changed by someone else: you sent version 1, the current version is 2\./,
    );
    expect((await reload(initiative.id)).name).toBe('Initiative at FILL_KNOWLEDGE_GAPS');
  });

  it('an ended initiative (ADOPTED, REJECTED, COMBINED) is not edited: INITIATIVE_ALREADY_ENDED, writing nothing', async () => {
    const gained = await withGains('10.00', '5.00', true);
    const adopted = await recordInitiativeOutcome(
      db.em(),
      { outcome: 'ADOPTED', id: gained.id, expectedVersion: gained.version },
      testActor,
    );
    const running = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const rejectedFrom = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const rejected = await recordInitiativeOutcome(
      db.em(),
      { outcome: 'REJECTED', id: rejectedFrom.id, expectedVersion: rejectedFrom.version },
      testActor,
    );
    const combinedFrom = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const combined = await recordInitiativeOutcome(
      db.em(),
      {
        outcome: 'COMBINED',
        id: combinedFrom.id,
        expectedVersion: combinedFrom.version,
        combinedIntoId: running.id,
      },
      testActor,
    );
    for (const ended of [adopted, rejected, combined]) {
      const error = await expectRejected(
        db.em(),
        'INITIATIVE_ALREADY_ENDED',
        () =>
          updateValueInitiative(
            db.em(),
            { id: ended.id, expectedVersion: ended.version, name: 'Renamed after the end' },
            testActor,
          ),
        TABLES,
      );
      expect(error.message).toMatch(
        new RegExp(
          `^Initiative "Initiative at \\w+" of ACC-\\d+ has ended \\(${ended.outcome}\\); it cannot change any more\\.`,
        ),
      );
      const stored = await reload(ended.id);
      expect([stored.name, stored.version]).toEqual([ended.name, ended.version]);
    }
    // REVISED is back in testing, not ended: it is edited.
    const tested = await initiativeAt('LIVE_TEST');
    const revised = await recordInitiativeOutcome(
      db.em(),
      { outcome: 'REVISED', id: tested.id, expectedVersion: tested.version },
      testActor,
    );
    const renamed = await updateValueInitiative(
      db.em(),
      { id: revised.id, expectedVersion: revised.version, name: 'Revised and renamed' },
      testActor,
    );
    expect(renamed.name).toBe('Revised and renamed');
  });

  it('takes no category: the category changes only by a competitor’s copy (VALIDATION_FAILED)', async () => {
    const initiative = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        updateValueInitiative(
          db.em(),
          { id: initiative.id, expectedVersion: initiative.version, category: 'EXPECTED' } as never,
          testActor,
        ),
      TABLES,
    );
    expect(error.issues.map(i => [i.path, i.code])).toEqual([[[], 'UNRECOGNIZED_KEYS']]);
    expect((await reload(initiative.id)).category).toBe('UNTAPPED');
  });

  it('refuses a blank name (VALIDATION_FAILED at name)', async () => {
    const initiative = await initiativeAt('ASSESS_CURRENT_SITUATION');
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        updateValueInitiative(
          db.em(),
          { id: initiative.id, expectedVersion: initiative.version, name: '  ' },
          testActor,
        ),
      TABLES,
    );
    expect(error.issues.map(i => [i.path, i.message])).toEqual([[['name'], 'must not be empty']]);
  });
});

describe('a withdrawn recognition is not dated', () => {
  it('recordCustomerRecognition refuses on with recognised: false (VALIDATION_FAILED at on), rather than dropping it', async () => {
    const at = await initiativeAt('REVIEW_AND_REFINE');
    const recognised = await recordCustomerRecognition(
      db.em(),
      { id: at.id, expectedVersion: at.version, recognised: true, on: '2026-04-01', note: 'Signed off' },
      testActor,
    );
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        recordCustomerRecognition(
          db.em(),
          { id: at.id, expectedVersion: recognised.version, recognised: false, on: '2026-05-01' },
          testActor,
        ),
      TABLES,
    );
    expect(error.category).toBe('VALIDATION');
    expect(error.message).toBe(
      'Invalid recognition: on: does not apply to recognised: false: only a recognition is dated (recognisedOn), and a customer who does not recognise the value has none; leave on out.',
    );
    expect(error.issues.map(i => [i.path, i.code])).toEqual([[['on'], 'VALIDATION_FAILED']]);
    const stored = await reload(at.id);
    expect([stored.customerRecognised, stored.recognisedOn, stored.recognitionNote, stored.version]).toEqual([
      true,
      '2026-04-01',
      'Signed off',
      recognised.version,
    ]);
    // Without on, the recognition is withdrawn and its day cleared.
    const withdrawn = await recordCustomerRecognition(
      db.em(),
      { id: at.id, expectedVersion: recognised.version, recognised: false },
      testActor,
    );
    expect([withdrawn.customerRecognised, withdrawn.recognisedOn]).toEqual([false, null]);
  });
});
