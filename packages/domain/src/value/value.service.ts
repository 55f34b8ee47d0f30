import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Account } from '../accounts/account.entity.ts';
import type { Actor } from '../common/actor.ts';
import { assertNotAfterToday } from '../common/dated.ts';
import { DomainError } from '../common/domain-error.ts';
import { findOrFail, today } from '../common/lookup.ts';
import { isPositiveMoney } from '../common/money.ts';
import { assertVersion, writeAs } from '../common/unit-of-work.ts';
import {
  isoDateSchema,
  moneySchema,
  nameSchema,
  optionalText,
  parseInput,
  requiredColumnText,
  ruleIssue,
  versionSchema,
} from '../common/validation.ts';
import { DESIGN_PHASES, type DesignPhase, VALUE_CATEGORIES } from '../common/vocabulary.ts';
import { activePerson } from '../team/team.errors.ts';
import { ValueInitiative } from './value-initiative.entity.ts';

/** Phases from which a tested initiative can be ADOPTED. */
export const ADOPTABLE_PHASES: DesignPhase[] = ['REVIEW_AND_REFINE', 'ROLL_OUT'];
/** Phases from which a tested initiative can be REVISED (sent back to testing). */
export const REVISABLE_PHASES: DesignPhase[] = ['LIVE_TEST', 'REVIEW_AND_REFINE', 'ROLL_OUT'];
/** Where a REVISED initiative restarts: testing. */
export const REVISION_RESTART_PHASE: DesignPhase = 'TEST_PLAN';

export const createInitiativeSchema = z.object({
  accountId: z.number().int().positive(),
  name: nameSchema,
  category: z.enum(VALUE_CATEGORIES),
  ownerId: z.number().int().positive().nullish(),
  desiredGains: requiredColumnText.default(''),
  startedOn: isoDateSchema.optional(),
});
export type CreateInitiativeInput = z.input<typeof createInitiativeSchema>;

/** What an initiative's owner is, in a message: 'the owner of initiative "Joint demand forecasting" of CRM-100003'. */
function ownerOf(name: string, account: Account): string {
  return `the owner of initiative "${name}" of ${account.externalRef}`;
}

/**
 * Starts a value initiative with a pilot account, at the first design phase, on `startedOn`
 * (today when omitted), not after today (`DATE_IN_FUTURE`). Its owner, if any, is an active
 * person (`PERSON_INACTIVE` at `ownerId`).
 */
export async function createValueInitiative(em: EntityManager, input: CreateInitiativeInput, actor: Actor) {
  const data = parseInput(createInitiativeSchema, input, 'value initiative');
  const startedOn = data.startedOn ?? today();
  assertNotAfterToday('startedOn', startedOn, 'an initiative is recorded as started once it has started');
  return writeAs(em, actor, async tx => {
    const account = await findOrFail(tx, Account, data.accountId, 'Account');
    const owner = await activePerson(tx, data.ownerId, 'ownerId', ownerOf(data.name, account));
    return tx.create(ValueInitiative, {
      account,
      owner,
      name: data.name,
      category: data.category,
      phase: 'ASSESS_CURRENT_SITUATION',
      outcome: null,
      desiredGains: data.desiredGains,
      startedOn,
    });
  });
}

function isEnded(i: ValueInitiative): boolean {
  return i.outcome === 'ADOPTED' || i.outcome === 'REJECTED' || i.outcome === 'COMBINED';
}

/**
 * Loads an initiative with its account: messages name it by its name and account
 * ('Initiative "Joint demand forecasting" of CRM-100003'), not by its database id.
 */
async function findInitiative(em: EntityManager, id: number): Promise<ValueInitiative> {
  const initiative = await findOrFail(em, ValueInitiative, id, 'Value initiative');
  await em.populate(initiative, ['account']);
  return initiative;
}

/** 'Initiative "Joint demand forecasting" of CRM-100003' (a loaded initiative, see `findInitiative`). */
function initiativeName(i: ValueInitiative): string {
  return `Initiative "${i.name}" of ${i.account.externalRef}`;
}

/** `assertVersion` for an initiative, naming it as its users know it. */
function assertInitiativeVersion(i: ValueInitiative, expectedVersion: number | undefined): void {
  assertVersion('ValueInitiative', i, expectedVersion, initiativeName(i));
}

function ended(i: ValueInitiative): DomainError {
  return new DomainError(
    'INITIATIVE_ALREADY_ENDED',
    `${initiativeName(i)} has ended (${i.outcome}); it cannot change any more. Start a new initiative to continue the work.`,
  );
}

/**
 * The day an initiative's recognition, outcome or copy takes effect: `on`, else today. Not after
 * today (`DATE_IN_FUTURE`): it records what has happened, and the list and the analytics as of
 * today would disagree about it. Not before the initiative started
 * (`INITIATIVE_DATED_BEFORE_START`): its dates would say it was recognised, ended or copied
 * before it existed. Both at `on`.
 */
function dateAfterStart(i: ValueInitiative, on: string | undefined, what: string): string {
  const date = on ?? today();
  assertNotAfterToday('on', date, `an initiative's ${what} is recorded once it has happened`);
  if (date < i.startedOn) {
    throw new DomainError(
      'INITIATIVE_DATED_BEFORE_START',
      `${initiativeName(i)} started on ${i.startedOn}; its ${what} cannot be dated ${date}. Date it on or after ${i.startedOn}.`,
      {
        details: { startedOn: i.startedOn, on: date },
        issues: [
          {
            path: ['on'],
            message: `before startedOn (${i.startedOn})`,
            code: 'INITIATIVE_DATED_BEFORE_START',
          },
        ],
      },
    );
  }
  return date;
}

const stepSchema = z.object({ id: z.number().int().positive(), expectedVersion: versionSchema });

/**
 * The descriptive fields of an initiative, each left out to keep it. Not its category (changed
 * only by a competitor's copy, which keeps `categoryBeforeCopy`), nor its phase, gains,
 * recognition, outcome or dates, which have their own steps: refused (strict), not dropped.
 */
export const updateInitiativeSchema = stepSchema
  .extend({
    name: nameSchema.optional(),
    /** Trimmed; blank is stored as "" (the column is not nullable). */
    desiredGains: requiredColumnText.optional(),
    /** null takes the owner off the initiative. */
    ownerId: z.number().int().positive().nullish(),
  })
  .strict();
export type UpdateInitiativeInput = z.input<typeof updateInitiativeSchema>;

/**
 * Corrects an initiative's name, desired gains and owner (omitted fields keep their value; null
 * clears the owner). A new owner is an active person (`PERSON_INACTIVE` at `ownerId`); an owner
 * who has left since stays when the same one is sent. An ended initiative no longer changes
 * (`INITIATIVE_ALREADY_ENDED`). An update that changes nothing keeps the version.
 */
export async function updateValueInitiative(em: EntityManager, input: UpdateInitiativeInput, actor: Actor) {
  const data = parseInput(updateInitiativeSchema, input, 'value initiative');
  return writeAs(em, actor, async tx => {
    const initiative = await findInitiative(tx, data.id);
    assertInitiativeVersion(initiative, data.expectedVersion);
    if (isEnded(initiative)) throw ended(initiative);
    if (data.ownerId !== undefined && (data.ownerId ?? null) !== (initiative.owner?.id ?? null)) {
      initiative.owner = await activePerson(
        tx,
        data.ownerId,
        'ownerId',
        ownerOf(initiative.name, initiative.account),
      );
    }
    // Only what differs is written, so an update that changes nothing keeps the version.
    if (data.name !== undefined && data.name !== initiative.name) initiative.name = data.name;
    if (data.desiredGains !== undefined && data.desiredGains !== initiative.desiredGains)
      initiative.desiredGains = data.desiredGains;
    return initiative;
  });
}

/** Moves an initiative to the next design phase; phases are never skipped or reversed. */
export async function advanceInitiativePhase(
  em: EntityManager,
  input: z.input<typeof stepSchema> & { toPhase?: DesignPhase },
  actor: Actor,
) {
  const data = parseInput(
    stepSchema.extend({ toPhase: z.enum(DESIGN_PHASES).optional() }),
    input,
    'phase change',
  );
  return writeAs(em, actor, async tx => {
    const initiative = await findInitiative(tx, data.id);
    assertInitiativeVersion(initiative, data.expectedVersion);
    if (isEnded(initiative)) throw ended(initiative);
    const index = DESIGN_PHASES.indexOf(initiative.phase);
    const next = DESIGN_PHASES[index + 1];
    if (!next || (data.toPhase && data.toPhase !== next)) {
      throw new DomainError(
        'INITIATIVE_INVALID_PHASE_TRANSITION',
        next
          ? `${initiativeName(initiative)} is at ${initiative.phase}; the next phase is ${next}, not ${data.toPhase}. Phases are taken one at a time, in order.`
          : `${initiativeName(initiative)} is at ${initiative.phase}, the last phase: record its outcome instead.`,
        { details: { from: initiative.phase, to: data.toPhase ?? null } },
      );
    }
    initiative.phase = next;
    return initiative;
  });
}

export const recordGainsSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  customerGain: moneySchema.nullish(),
  supplierGain: moneySchema.nullish(),
});

/** Records the measured annual gains, for the customer and for us. */
export async function recordInitiativeGains(
  em: EntityManager,
  input: z.input<typeof recordGainsSchema>,
  actor: Actor,
) {
  const data = parseInput(recordGainsSchema, input, 'gains');
  return writeAs(em, actor, async tx => {
    const initiative = await findInitiative(tx, data.id);
    assertInitiativeVersion(initiative, data.expectedVersion);
    if (isEnded(initiative)) throw ended(initiative);
    if (data.customerGain !== undefined) initiative.customerGain = data.customerGain ?? null;
    if (data.supplierGain !== undefined) initiative.supplierGain = data.supplierGain ?? null;
    return initiative;
  });
}

/**
 * A recognition: `on` (today when omitted) dates a recognition only; with `recognised: false`
 * (the customer does not, or no longer, recognise the value, and `recognisedOn` is cleared) it is
 * refused at `on` (VALIDATION_FAILED), not dropped.
 */
export const recordRecognitionSchema = z
  .object({
    id: z.number().int().positive(),
    expectedVersion: versionSchema,
    recognised: z.boolean(),
    on: isoDateSchema.optional(),
    note: optionalText(20_000),
  })
  .superRefine((data, ctx) => {
    if (!data.recognised && data.on !== undefined) {
      ctx.addIssue(
        ruleIssue(
          'VALIDATION_FAILED',
          ['on'],
          'does not apply to recognised: false: only a recognition is dated (recognisedOn), and a customer who does not recognise the value has none; leave on out',
        ),
      );
    }
  });

/**
 * Records whether the customer recognises the value (value counts only when it does); `on` dates
 * a recognition only. Not after the initiative ended: an adopted initiative keeps the recognition
 * it was adopted with.
 */
export async function recordCustomerRecognition(
  em: EntityManager,
  input: z.input<typeof recordRecognitionSchema>,
  actor: Actor,
) {
  const data = parseInput(recordRecognitionSchema, input, 'recognition');
  return writeAs(em, actor, async tx => {
    const initiative = await findInitiative(tx, data.id);
    assertInitiativeVersion(initiative, data.expectedVersion);
    if (isEnded(initiative)) throw ended(initiative);
    initiative.customerRecognised = data.recognised;
    initiative.recognisedOn = data.recognised ? dateAfterStart(initiative, data.on, 'recognition') : null;
    initiative.recognitionNote = data.note ?? null;
    return initiative;
  });
}

export const markCopiedSchema = stepSchema.extend({ on: isoDateSchema.optional() });

/**
 * A competitor copied the initiative on `on` (today when omitted, not before it started): from
 * that day it is EXPECTED value and earns no premium; the category it had until then is kept in
 * `categoryBeforeCopy`, so the quarters before read it as it was. Marking a copied initiative
 * again corrects the day only (its category before the copy stays).
 */
export async function markCopiedByCompetitor(
  em: EntityManager,
  input: z.input<typeof markCopiedSchema>,
  actor: Actor,
) {
  const data = parseInput(markCopiedSchema, input, 'copy by a competitor');
  return writeAs(em, actor, async tx => {
    const initiative = await findInitiative(tx, data.id);
    assertInitiativeVersion(initiative, data.expectedVersion);
    const copiedOn = dateAfterStart(initiative, data.on, 'copy by a competitor');
    if (!initiative.copiedByCompetitor) {
      initiative.categoryBeforeCopy = initiative.category;
      initiative.copiedByCompetitor = true;
      initiative.category = 'EXPECTED';
    }
    initiative.copiedOn = copiedOn;
    return initiative;
  });
}

/**
 * A field that does not apply to the outcome sent: taken by the schema only to be refused (at its
 * own path, by `recordOutcomeSchema`), not silently dropped.
 */
const notForThisOutcome = {
  on: isoDateSchema.nullish(),
  combinedIntoId: z.number().int().positive().nullish(),
};

/**
 * An outcome with the fields that apply to it: `on` (today when omitted) for the outcomes that
 * end an initiative, not for REVISED (a revision sends it back to testing and is not dated);
 * `combinedIntoId` for COMBINED only. A field sent with an outcome it does not apply to is
 * refused at its path (VALIDATION_FAILED), not dropped.
 */
export const recordOutcomeSchema = z
  .discriminatedUnion('outcome', [
    z.object({
      outcome: z.literal('ADOPTED'),
      id: z.number().int().positive(),
      expectedVersion: versionSchema,
      on: isoDateSchema.optional(),
      combinedIntoId: notForThisOutcome.combinedIntoId,
    }),
    z.object({
      outcome: z.literal('REJECTED'),
      id: z.number().int().positive(),
      expectedVersion: versionSchema,
      on: isoDateSchema.optional(),
      combinedIntoId: notForThisOutcome.combinedIntoId,
    }),
    z.object({
      outcome: z.literal('REVISED'),
      id: z.number().int().positive(),
      expectedVersion: versionSchema,
      ...notForThisOutcome,
    }),
    z.object({
      outcome: z.literal('COMBINED'),
      id: z.number().int().positive(),
      expectedVersion: versionSchema,
      combinedIntoId: z.number().int().positive(),
      on: isoDateSchema.optional(),
    }),
  ])
  .superRefine((data, ctx) => {
    if (data.outcome === 'REVISED' && data.on != null) {
      ctx.addIssue(
        ruleIssue(
          'VALIDATION_FAILED',
          ['on'],
          'does not apply to REVISED: a revision sends the initiative back to testing and is not dated; leave on out',
        ),
      );
    }
    if (data.outcome !== 'COMBINED' && data.combinedIntoId != null) {
      ctx.addIssue(
        ruleIssue(
          'VALIDATION_FAILED',
          ['combinedIntoId'],
          `does not apply to ${data.outcome}: only COMBINED joins another initiative; leave combinedIntoId out, or set the outcome COMBINED`,
        ),
      );
    }
  });
export type RecordOutcomeInput = z.input<typeof recordOutcomeSchema>;

/**
 * Ends an initiative (ADOPTED, REJECTED, COMBINED) or sends it back to testing (REVISED).
 * ADOPTED needs a tested initiative whose gains are positive for **both** sides and
 * that the customer recognises.
 */
export async function recordInitiativeOutcome(em: EntityManager, input: RecordOutcomeInput, actor: Actor) {
  const data = parseInput(recordOutcomeSchema, input, 'outcome');
  return writeAs(em, actor, async tx => {
    const initiative = await findInitiative(tx, data.id);
    assertInitiativeVersion(initiative, data.expectedVersion);
    if (isEnded(initiative)) throw ended(initiative);
    switch (data.outcome) {
      case 'ADOPTED': {
        if (!ADOPTABLE_PHASES.includes(initiative.phase)) {
          throw new DomainError(
            'INITIATIVE_INVALID_PHASE_TRANSITION',
            `${initiativeName(initiative)} is at ${initiative.phase}; it can be adopted after its live test, at ${ADOPTABLE_PHASES.join(' or ')}.`,
          );
        }
        if (!isPositiveMoney(initiative.customerGain) || !isPositiveMoney(initiative.supplierGain)) {
          throw new DomainError(
            'INITIATIVE_ADOPTION_REQUIRES_BOTH_GAINS',
            `${initiativeName(initiative)} can be adopted only when both sides gain: customer gain ${initiative.customerGain ?? 'not recorded'}, our gain ${initiative.supplierGain ?? 'not recorded'}. Record positive measured gains for both.`,
            { details: { customerGain: initiative.customerGain, supplierGain: initiative.supplierGain } },
          );
        }
        if (!initiative.customerRecognised) {
          throw new DomainError(
            'INITIATIVE_NOT_RECOGNISED',
            `${initiativeName(initiative)} can be adopted only when the customer recognises the value; record the customer's recognition first.`,
          );
        }
        const adoptedOn = dateAfterStart(initiative, data.on, 'adoption');
        const { recognisedOn } = initiative;
        if (recognisedOn && adoptedOn < recognisedOn) {
          // Dated history: on the day of the adoption the customer must already recognise the
          // value, or a closed quarter would read an adopted initiative that is not recognised.
          throw new DomainError(
            'INITIATIVE_NOT_RECOGNISED',
            `${initiativeName(initiative)} was recognised by the customer on ${recognisedOn}; its adoption cannot be dated ${adoptedOn}. Date it on or after ${recognisedOn}.`,
            {
              details: { recognisedOn, on: adoptedOn },
              issues: [
                {
                  path: ['on'],
                  message: `before recognisedOn (${recognisedOn})`,
                  code: 'INITIATIVE_NOT_RECOGNISED',
                },
              ],
            },
          );
        }
        initiative.endedOn = adoptedOn;
        initiative.outcome = 'ADOPTED';
        break;
      }
      case 'REJECTED':
        initiative.endedOn = dateAfterStart(initiative, data.on, 'rejection');
        initiative.outcome = 'REJECTED';
        break;
      case 'REVISED':
        if (!REVISABLE_PHASES.includes(initiative.phase)) {
          throw new DomainError(
            'INITIATIVE_INVALID_PHASE_TRANSITION',
            `${initiativeName(initiative)} is at ${initiative.phase}; only a tested initiative (${REVISABLE_PHASES.join(', ')}) can be revised and sent back to testing.`,
          );
        }
        initiative.outcome = 'REVISED';
        initiative.phase = REVISION_RESTART_PHASE;
        initiative.revisionCount += 1;
        break;
      case 'COMBINED': {
        const target = await findInitiative(tx, data.combinedIntoId);
        if (target.id === initiative.id || isEnded(target)) {
          throw new DomainError(
            'INITIATIVE_COMBINE_TARGET_INVALID',
            `${initiativeName(initiative)} can only be combined into another initiative that is still running; ${target.id === initiative.id ? 'not into itself' : `${initiativeName(target)} has ended (${target.outcome})`}.`,
          );
        }
        const combinedOn = dateAfterStart(initiative, data.on, 'combination');
        if (combinedOn < target.startedOn) {
          // Dated history: on that day the initiative combined into did not exist yet.
          throw new DomainError(
            'INITIATIVE_DATED_BEFORE_START',
            `${initiativeName(target)} started on ${target.startedOn}; ${initiativeName(initiative)} cannot be combined into it on ${combinedOn}. Date the combination on or after ${target.startedOn}.`,
            {
              details: { startedOn: target.startedOn, on: combinedOn },
              issues: [
                {
                  path: ['on'],
                  message: `before the startedOn of the initiative combined into (${target.startedOn})`,
                  code: 'INITIATIVE_DATED_BEFORE_START',
                },
              ],
            },
          );
        }
        initiative.endedOn = combinedOn;
        initiative.outcome = 'COMBINED';
        initiative.combinedInto = target;
        break;
      }
    }
    return initiative;
  });
}
