import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Account } from '../accounts/account.entity.ts';
import type { Actor } from '../common/actor.ts';
import { assertNotAfterToday, happenedOn } from '../common/dated.ts';
import { DomainError } from '../common/domain-error.ts';
import { findOrFail, today } from '../common/lookup.ts';
import { assertVersion, writeAs } from '../common/unit-of-work.ts';
import {
  externalRefSchema,
  isoDateSchema,
  nameSchema,
  nonNegativeMoneySchema,
  optionalText,
  parseInput,
  ruleIssue,
  versionSchema,
} from '../common/validation.ts';
import { OPPORTUNITY_OUTCOMES } from '../common/vocabulary.ts';
import { BusinessUnit } from '../organisation/business-unit.entity.ts';
import { Opportunity } from './opportunity.entity.ts';

export const createOpportunitySchema = z.object({
  accountId: z.number().int().positive(),
  businessUnitId: z.number().int().positive(),
  externalRef: externalRefSchema.optional(),
  name: nameSchema,
  value: nonNegativeMoneySchema,
  expectedCloseOn: isoDateSchema.nullish(),
});
export type CreateOpportunityInput = z.input<typeof createOpportunitySchema>;

/**
 * Why a bid is not qualified, won or lost after today (`assertNotAfterToday`): the win rate and
 * the qualified pipeline of the running quarter would count a step that has not happened.
 */
const QUALIFIED_HAPPENED = 'a bid is recorded as qualified once it has been qualified';
const DECIDED_HAPPENED = 'a bid is recorded as won or lost once it has been decided';

/** Whether a value is a valid YYYY-MM-DD date (a refinement still sees the raw, unparsed text). */
function isIsoDate(value: unknown): value is string {
  return isoDateSchema.safeParse(value).success;
}

/** One row of a bulk opportunity upsert, keyed by `externalRef`. */
export const opportunityRowSchema = z
  .object({
    externalRef: externalRefSchema,
    accountRef: externalRefSchema,
    businessUnitCode: z.string().trim().min(1).max(40),
    name: nameSchema,
    value: nonNegativeMoneySchema,
    // A row is the whole record: a field sent as null (empty) is left out, at its default.
    qualified: z
      .boolean()
      .nullish()
      .transform(v => v ?? false),
    qualifiedOn: happenedOn('qualifiedOn', QUALIFIED_HAPPENED).nullish(),
    // A forecast: it may be after today.
    expectedCloseOn: isoDateSchema.nullish(),
    outcome: z
      .enum(OPPORTUNITY_OUTCOMES, {
        error: issue => `must be one of OPEN, WON or LOST, not ${JSON.stringify(issue.input)}`,
      })
      .nullish()
      .transform(v => v ?? 'OPEN'),
    decidedOn: happenedOn('decidedOn', DECIDED_HAPPENED).nullish(),
    lostReason: optionalText(20_000),
  })
  .strict()
  .superRefine((row, ctx) => {
    // Absent, not malformed: a date of the wrong form (even blank) has its own issue.
    if (row.outcome !== 'OPEN' && row.decidedOn == null) {
      ctx.addIssue(
        ruleIssue(
          'OPPORTUNITY_DECIDED_ON_REQUIRED',
          ['decidedOn'],
          'a WON or LOST opportunity needs decidedOn',
        ),
      );
    }
    if (row.outcome === 'OPEN' && row.decidedOn) {
      ctx.addIssue(
        ruleIssue(
          'OPPORTUNITY_DECIDED_ON_NOT_ALLOWED',
          ['decidedOn'],
          'an OPEN opportunity has no decidedOn',
        ),
      );
    }
    if (row.qualified === true && row.qualifiedOn == null) {
      // Undated, the analytics as of any past quarter would count the bid as qualified then.
      ctx.addIssue({
        code: 'custom',
        path: ['qualifiedOn'],
        message:
          'is required when qualified is true: the day the bid was qualified (the analytics count it as qualified from that day on)',
        params: { code: 'REQUIRED' },
      });
    }
    if (!row.qualified && row.qualifiedOn) {
      ctx.addIssue(
        ruleIssue(
          'OPPORTUNITY_QUALIFIED_ON_NOT_ALLOWED',
          ['qualifiedOn'],
          'an unqualified opportunity has no qualifiedOn: send qualified: true with it, or leave qualifiedOn empty',
        ),
      );
    }
    if (row.outcome !== 'LOST' && row.lostReason) {
      ctx.addIssue(
        ruleIssue(
          'OPPORTUNITY_LOST_REASON_NOT_ALLOWED',
          ['lostReason'],
          `only a LOST opportunity has a lostReason (this row is ${row.outcome}): leave lostReason empty`,
        ),
      );
    }
    if (
      row.qualified &&
      isIsoDate(row.qualifiedOn) &&
      isIsoDate(row.decidedOn) &&
      row.decidedOn < row.qualifiedOn
    ) {
      // The win rate counts qualified bids by the quarter of their decision. A malformed date
      // already has its own issue: compared as text it would also read as "before".
      ctx.addIssue(
        ruleIssue(
          'OPPORTUNITY_DECIDED_BEFORE_QUALIFIED',
          ['decidedOn'],
          `before qualifiedOn (${row.qualifiedOn}): a bid is decided on or after the day it was qualified`,
        ),
      );
    }
  });
export type OpportunityRow = z.input<typeof opportunityRowSchema>;

export async function createOpportunity(em: EntityManager, input: CreateOpportunityInput, actor: Actor) {
  const data = parseInput(createOpportunitySchema, input, 'opportunity');
  return writeAs(em, actor, async tx => {
    const account = await findOrFail(tx, Account, data.accountId, 'Account');
    const businessUnit = await findOrFail(tx, BusinessUnit, data.businessUnitId, 'Business unit');
    const externalRef = data.externalRef ?? `kam-opportunity-${crypto.randomUUID()}`;
    if (await tx.count(Opportunity, { externalRef })) {
      throw new DomainError(
        'EXTERNAL_REF_TAKEN',
        `An opportunity with external ref ${externalRef} already exists.`,
      );
    }
    return tx.create(Opportunity, {
      externalRef,
      account,
      businessUnit,
      name: data.name,
      value: data.value,
      qualified: false,
      outcome: 'OPEN',
      expectedCloseOn: data.expectedCloseOn ?? null,
    });
  });
}

export const updateOpportunitySchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  name: nameSchema.optional(),
  value: nonNegativeMoneySchema.optional(),
  expectedCloseOn: isoDateSchema.nullish(),
});

export async function updateOpportunity(
  em: EntityManager,
  input: z.input<typeof updateOpportunitySchema>,
  actor: Actor,
) {
  const data = parseInput(updateOpportunitySchema, input, 'opportunity');
  return writeAs(em, actor, async tx => {
    const opp = await findOrFail(tx, Opportunity, data.id, 'Opportunity');
    assertVersion('Opportunity', opp, data.expectedVersion, `Opportunity ${opp.externalRef}`);
    if (opp.outcome !== 'OPEN') throw alreadyDecided(opp);
    if (data.name !== undefined) opp.name = data.name;
    if (data.value !== undefined) opp.value = data.value;
    if (data.expectedCloseOn !== undefined) opp.expectedCloseOn = data.expectedCloseOn ?? null;
    return opp;
  });
}

const stepSchema = z.object({
  id: z.number().int().positive(),
  expectedVersion: versionSchema,
  on: isoDateSchema.optional(),
  reason: optionalText(20_000),
});
export type OpportunityStepInput = z.input<typeof stepSchema>;

/**
 * The step input of qualifying or winning: a reason is why a bid was lost, so it is refused
 * rather than silently dropped (as the bulk path refuses a lostReason on a row not LOST).
 */
function stepWithoutReason(doing: string) {
  return stepSchema.superRefine((step, ctx) => {
    if (step.reason) {
      ctx.addIssue(
        ruleIssue(
          'OPPORTUNITY_LOST_REASON_NOT_ALLOWED',
          ['reason'],
          `only loseOpportunity takes a reason (why the bid was lost); leave reason empty when ${doing} a bid`,
        ),
      );
    }
  });
}
const qualifyStepSchema = stepWithoutReason('qualifying');
const winStepSchema = stepWithoutReason('winning');

function alreadyDecided(opp: Opportunity): DomainError {
  return new DomainError(
    'OPPORTUNITY_ALREADY_DECIDED',
    `Opportunity ${opp.externalRef} was already ${opp.outcome} on ${opp.decidedOn}; a decided bid cannot change. Record a new opportunity instead.`,
  );
}

/**
 * Marks an open opportunity as a qualified bid (it then counts in the win rate once decided), on
 * `on` (today when omitted), not after today (`DATE_IN_FUTURE`). A reason is refused: only a
 * lost bid has one. A bid already qualified keeps its day unless `on` names another (a
 * correction): a replayed step must not move it into today's pipeline.
 */
export async function qualifyOpportunity(em: EntityManager, input: OpportunityStepInput, actor: Actor) {
  const data = parseInput(qualifyStepSchema, input, 'qualification');
  return writeAs(em, actor, async tx => {
    const opp = await findOrFail(tx, Opportunity, data.id, 'Opportunity');
    assertVersion('Opportunity', opp, data.expectedVersion, `Opportunity ${opp.externalRef}`);
    if (opp.outcome !== 'OPEN') throw alreadyDecided(opp);
    const qualifiedOn = data.on ?? (opp.qualified && opp.qualifiedOn ? opp.qualifiedOn : today());
    assertNotAfterToday('on', qualifiedOn, QUALIFIED_HAPPENED);
    opp.qualified = true;
    opp.qualifiedOn = qualifiedOn;
    return opp;
  });
}

async function decide(em: EntityManager, input: OpportunityStepInput, actor: Actor, outcome: 'WON' | 'LOST') {
  const data = parseInput(outcome === 'WON' ? winStepSchema : stepSchema, input, 'decision');
  return writeAs(em, actor, async tx => {
    const opp = await findOrFail(tx, Opportunity, data.id, 'Opportunity');
    assertVersion('Opportunity', opp, data.expectedVersion, `Opportunity ${opp.externalRef}`);
    if (opp.outcome !== 'OPEN') throw alreadyDecided(opp);
    const decidedOn = data.on ?? today();
    assertNotAfterToday('on', decidedOn, DECIDED_HAPPENED);
    if (opp.qualified && opp.qualifiedOn && decidedOn < opp.qualifiedOn) {
      // The win rate counts qualified bids by the quarter of their decision.
      throw new DomainError(
        'VALIDATION_FAILED',
        `Opportunity ${opp.externalRef} was qualified on ${opp.qualifiedOn}; it cannot be decided on ${decidedOn}, before that. Date the decision on or after ${opp.qualifiedOn}.`,
        {
          issues: [
            {
              path: ['on'],
              message: `before ${opp.qualifiedOn}`,
              code: 'OPPORTUNITY_DECIDED_BEFORE_QUALIFIED',
            },
          ],
        },
      );
    }
    opp.outcome = outcome;
    opp.decidedOn = decidedOn;
    opp.lostReason = outcome === 'LOST' ? (data.reason ?? null) : null;
    return opp;
  });
}

/** OPEN → WON, on `on` (today when omitted), not after today. A reason is refused: only a lost bid has one. */
export function winOpportunity(em: EntityManager, input: OpportunityStepInput, actor: Actor) {
  return decide(em, input, actor, 'WON');
}

/** OPEN → LOST, with the reason, on `on` (today when omitted), not after today. */
export function loseOpportunity(em: EntityManager, input: OpportunityStepInput, actor: Actor) {
  return decide(em, input, actor, 'LOST');
}
