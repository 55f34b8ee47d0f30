import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { Actor } from '../common/actor.ts';
import { assertNotAfterToday } from '../common/dated.ts';
import { DomainError } from '../common/domain-error.ts';
import { findOrFail, lockRow, today } from '../common/lookup.ts';
import { assertVersion, assertVersionNamed, writeAs } from '../common/unit-of-work.ts';
import { isoDateSchema, parseInput, requiredColumnText, versionSchema } from '../common/validation.ts';
import { PROGRAMME_STAGES, type ProgrammeStage } from '../common/vocabulary.ts';
import { quoted } from '../common/words.ts';
import { BusinessUnit } from '../organisation/business-unit.entity.ts';
import { Person } from '../organisation/person.entity.ts';
import { getSettings } from '../settings/settings.service.ts';
import { activePerson } from '../team/team.errors.ts';
import { IntimacyProgramme, ProgrammeChecklistItem } from './programme.entity.ts';

export const startProgrammeSchema = z.object({
  businessUnitId: z.number().int().positive(),
  changeLeaderId: z.number().int().positive().nullish(),
  startedOn: isoDateSchema.optional(),
  /** Trimmed; blank (or left out) is stored as "". */
  objectives: requiredColumnText.default(''),
});

/**
 * Starts the customer-intimacy programme of a pilot business unit, with the checklists of the
 * settings (`programme.checklists`, by default those of 000 §4; a programme keeps the ones it
 * started with), on `startedOn` (today when omitted), not after today (`DATE_IN_FUTURE`).
 */
export async function startProgramme(
  em: EntityManager,
  input: z.input<typeof startProgrammeSchema>,
  actor: Actor,
) {
  const data = parseInput(startProgrammeSchema, input, 'programme');
  const startedOn = data.startedOn ?? today();
  // A programme started after today would be stuck: none of its checklist items could be ticked
  // (not before the start, not after today), so its stage would never advance.
  assertNotAfterToday('startedOn', startedOn, 'a programme is recorded as started once it has started');
  return writeAs(em, actor, async tx => {
    const businessUnit = await findOrFail(tx, BusinessUnit, data.businessUnitId, 'Business unit');
    if (await tx.count(IntimacyProgramme, { businessUnit })) {
      throw new DomainError(
        'DUPLICATE_ROW',
        `${businessUnit.code} already runs a customer-intimacy programme.`,
      );
    }
    const changeLeader = data.changeLeaderId ? await activeChangeLeader(tx, data.changeLeaderId) : null;
    const { checklists } = (await getSettings(tx)).programme;
    const programme = tx.create(IntimacyProgramme, {
      businessUnit,
      changeLeader,
      stage: 'UNDERSTAND',
      startedOn,
      objectives: data.objectives,
    });
    for (const stage of PROGRAMME_STAGES) {
      checklists[stage].forEach((text, i) => {
        tx.create(ProgrammeChecklistItem, {
          programme,
          stage,
          position: i + 1,
          text,
          doneOn: null,
          doneBy: null,
        });
      });
    }
    return programme;
  });
}

/** The person named change leader, who must be active (PERSON_INACTIVE at `changeLeaderId`). */
const activeChangeLeader = (tx: EntityManager, id: number) =>
  activePerson(tx, id, 'changeLeaderId', 'the change leader');

export const updateProgrammeSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  /** null takes the change leader off the programme; left out keeps them. */
  changeLeaderId: z.number().int().positive().nullish(),
  /** Trimmed; blank is stored as "". Left out keeps them. */
  objectives: requiredColumnText.optional(),
});

/**
 * Names, changes or clears a programme's change leader (who is typically appointed in the TEST
 * stage, "Appoint a change leader") and edits its objectives. Omitted fields keep their value.
 */
export async function updateProgramme(
  em: EntityManager,
  input: z.input<typeof updateProgrammeSchema>,
  actor: Actor,
) {
  const data = parseInput(updateProgrammeSchema, input, 'programme');
  return writeAs(em, actor, async tx => {
    const programme = await findOrFail(tx, IntimacyProgramme, data.id, 'Programme', { lock: true });
    await assertVersionNamed('IntimacyProgramme', programme, data.expectedVersion, () =>
      programmeName(tx, programme),
    );
    if (data.changeLeaderId !== undefined) {
      programme.changeLeader =
        data.changeLeaderId === null ? null : await activeChangeLeader(tx, data.changeLeaderId);
    }
    if (data.objectives !== undefined) programme.objectives = data.objectives;
    return programme;
  });
}

/** "The customer-intimacy programme of PILOT", for messages. */
async function programmeName(tx: EntityManager, programme: IntimacyProgramme): Promise<string> {
  await tx.populate(programme, ['businessUnit']);
  return `The customer-intimacy programme of ${programme.businessUnit.code}`;
}

/**
 * The day a checklist item is done: `on`, else today. Not after today (`DATE_IN_FUTURE`): an
 * item done in 2099 would let its stage be advanced today. Not before the programme started
 * (`PROGRAMME_CHECKLIST_DATED_BEFORE_START`): its checklist would say work was done for a
 * programme that did not exist yet. Both at `on`.
 */
async function doneOnAfterStart(
  tx: EntityManager,
  item: ProgrammeChecklistItem,
  on: string | undefined,
): Promise<string> {
  const date = on ?? today();
  assertNotAfterToday('on', date, 'a checklist item is recorded done once the work is done');
  const { startedOn } = item.programme;
  if (date >= startedOn) return date;
  await tx.populate(item, ['programme.businessUnit']);
  throw new DomainError(
    'PROGRAMME_CHECKLIST_DATED_BEFORE_START',
    `The customer-intimacy programme of ${item.programme.businessUnit.code} started on ${startedOn}; its checklist item ${quoted(item.text)} cannot be done on ${date}. Date it on or after ${startedOn}.`,
    {
      details: { startedOn, on: date },
      issues: [
        {
          path: ['on'],
          message: `before startedOn (${startedOn})`,
          code: 'PROGRAMME_CHECKLIST_DATED_BEFORE_START',
        },
      ],
    },
  );
}

export const checkItemSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  done: z.boolean(),
  doneById: z.number().int().positive().nullish(),
  on: isoDateSchema.optional(),
});

/** Ticks (or unticks) a checklist item of the programme's current stage or a later one. */
export async function setChecklistItem(
  em: EntityManager,
  input: z.input<typeof checkItemSchema>,
  actor: Actor,
) {
  const data = parseInput(checkItemSchema, input, 'checklist item');
  return writeAs(em, actor, async tx => {
    const item = await findOrFail(tx, ProgrammeChecklistItem, data.id, 'Checklist item');
    assertVersion(
      'ProgrammeChecklistItem',
      item,
      data.expectedVersion,
      `Checklist item ${quoted(item.text)} (${item.stage})`,
    );
    // Locked, as advanceProgrammeStage locks it: the stage read here and the checklist it reads
    // must not change in between (an item unticked while its stage is passed).
    await lockRow(tx, IntimacyProgramme, item.programme.id);
    await tx.populate(item, ['programme']);
    const current = item.programme.stage;
    if (PROGRAMME_STAGES.indexOf(item.stage) < PROGRAMME_STAGES.indexOf(current)) {
      // A passed stage was completed with its checklist done: reopening (or re-dating) an
      // item would leave a completed stage with an open checklist.
      throw new DomainError(
        'PROGRAMME_INVALID_TRANSITION',
        `Checklist item ${quoted(item.text)} belongs to the ${item.stage} stage, which the programme completed before moving on; it is now at ${current}, and only the checklists of ${current} and later stages change.`,
      );
    }
    item.doneOn = data.done ? await doneOnAfterStart(tx, item, data.on) : null;
    item.doneBy = data.done && data.doneById ? await findOrFail(tx, Person, data.doneById, 'Person') : null;
    return item;
  });
}

/**
 * Moves a programme to its next stage (UNDERSTAND → TEST → LEARN → IMPLEMENT), once every
 * checklist item of the current stage is done.
 */
export async function advanceProgrammeStage(
  em: EntityManager,
  input: { id: number; expectedVersion: number; toStage?: ProgrammeStage },
  actor: Actor,
) {
  return writeAs(em, actor, async tx => {
    const programme = await findOrFail(tx, IntimacyProgramme, input.id, 'Programme', { lock: true });
    await assertVersionNamed('IntimacyProgramme', programme, input.expectedVersion, () =>
      programmeName(tx, programme),
    );
    const next = PROGRAMME_STAGES[PROGRAMME_STAGES.indexOf(programme.stage) + 1];
    if (!next || (input.toStage && input.toStage !== next)) {
      throw new DomainError(
        'PROGRAMME_INVALID_TRANSITION',
        next
          ? `The programme is at ${programme.stage}; its next stage is ${next}.`
          : 'The programme is at IMPLEMENT, its last stage.',
      );
    }
    const open = await tx.find(ProgrammeChecklistItem, { programme, stage: programme.stage, doneOn: null });
    if (open.length) {
      throw new DomainError(
        'PROGRAMME_CHECKLIST_INCOMPLETE',
        `${open.length} item(s) of the ${programme.stage} checklist are not done (${open
          .map(i => i.text)
          .slice(0, 3)
          .join('; ')}…). Finish them before moving to ${next}.`,
      );
    }
    programme.stage = next;
    return programme;
  });
}
