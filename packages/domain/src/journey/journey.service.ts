import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Account } from '../accounts/account.entity.ts';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { findOrFail, today } from '../common/lookup.ts';
import { assertQuarterStarted, type Quarter, quarterEnd } from '../common/quarter.ts';
import { assertVersion, notRecorded, writeAs } from '../common/unit-of-work.ts';
import { parseInput, quarterSchema, versionSchema } from '../common/validation.ts';
import { VALUE_TIERS } from '../common/vocabulary.ts';
import { Person } from '../organisation/person.entity.ts';
import { designationOn } from '../selection/selection.service.ts';
import { TierAssessment } from './tier-assessment.entity.ts';

export const assessTierSchema = z.object({
  accountId: z.number().int().positive(),
  quarter: quarterSchema,
  tier: z.enum(VALUE_TIERS),
  evidence: z.string().max(4000, 'must be at most 4,000 characters'),
  assessedById: z.number().int().positive().nullish(),
  /** Required to change an assessment that exists for the quarter. */
  expectedVersion: versionSchema.optional(),
});
export type AssessTierInput = z.input<typeof assessTierSchema>;

/**
 * The team assesses the tier of key accounts (domain §5): an account not key at the end of the
 * quarter (today, for the running quarter) is ACCOUNT_NOT_KEY. Its tier would count in no
 * distribution of the journey, which reads key membership at the quarter's end.
 */
async function assertKeyInQuarter(em: EntityManager, account: Account, quarter: Quarter): Promise<void> {
  const end = quarterEnd(quarter);
  const now = today();
  // The running quarter has not ended: the account must be key now.
  const running = end >= now;
  const on = running ? now : end;
  if (await designationOn(em, account, on)) return;
  throw new DomainError(
    'ACCOUNT_NOT_KEY',
    running
      ? `${account.externalRef} is not a key account today (${now}): the team assesses the tier of key accounts only. Designate it first.`
      : `${account.externalRef} was not a key account on ${end}, the end of ${quarter}: the team assesses the tier of key accounts only. Assess a quarter in which it was key, or designate it first, dated on or before ${end}.`,
  );
}

/**
 * Records the team's tier call for a key account and quarter (one that has started:
 * QUARTER_NOT_STARTED at `quarter`; the account key at its end, or now for the running quarter:
 * ACCOUNT_NOT_KEY), with its evidence. The recorded tier is the team's call; the product's
 * suggestion never overwrites it.
 */
export async function assessTier(
  em: EntityManager,
  input: AssessTierInput,
  actor: Actor,
): Promise<TierAssessment> {
  const data = parseInput(assessTierSchema, input, 'tier assessment');
  // A quarter that has not started has nothing to assess, and its tier would become the
  // account's latest (the `accounts(tier:)` filter) before the running quarter's.
  assertQuarterStarted(data.quarter, 'quarter');
  if (data.evidence.trim().length < 3) {
    throw new DomainError(
      'TIER_EVIDENCE_REQUIRED',
      'A tier assessment needs a short evidence note: what the team saw that puts the account at this tier.',
      {
        issues: [
          { path: ['evidence'], message: 'write the evidence for the tier', code: 'TIER_EVIDENCE_REQUIRED' },
        ],
      },
    );
  }
  return writeAs(em, actor, async tx => {
    // Locked, as for financial lines: a first tier of the quarter sent at the same time waits, then
    // finds this one and is answered as it would be after it, not by the unique key.
    const account = await findOrFail(tx, Account, data.accountId, 'Account', { lock: true });
    await assertKeyInQuarter(tx, account, data.quarter);
    const assessedBy = data.assessedById ? await findOrFail(tx, Person, data.assessedById, 'Person') : null;
    const existing = await tx.findOne(TierAssessment, { account, quarter: data.quarter });
    if (!existing && data.expectedVersion !== undefined) {
      throw notRecorded(
        `The ${data.quarter} tier of ${account.externalRef}`,
        data.expectedVersion,
        'the account and the quarter',
      );
    }
    if (existing) {
      if (data.expectedVersion === undefined) {
        throw new DomainError(
          'VERSION_CONFLICT',
          `${account.externalRef} already has a tier for ${data.quarter} (version ${existing.version}); send expectedVersion ${existing.version} to change it.`,
          { details: { currentVersion: existing.version } },
        );
      }
      assertVersion(
        'TierAssessment',
        existing,
        data.expectedVersion,
        `The ${data.quarter} tier of ${account.externalRef}`,
      );
      existing.tier = data.tier;
      existing.evidence = data.evidence.trim();
      existing.assessedBy = assessedBy;
      return existing;
    }
    return tx.create(TierAssessment, {
      account,
      quarter: data.quarter,
      tier: data.tier,
      evidence: data.evidence.trim(),
      assessedBy,
    });
  });
}
