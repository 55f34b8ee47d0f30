import type { EntityManager } from '@mikro-orm/core';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { findOrFail, lockOnPostgreSql } from '../common/lookup.ts';
import { assertQuarterStarted } from '../common/quarter.ts';
import { assertVersion, notRecorded, writeAs } from '../common/unit-of-work.ts';
import { parseInput } from '../common/validation.ts';
import { BusinessUnit } from '../organisation/business-unit.entity.ts';
import { Segment } from '../segments/segment.entity.ts';
import { Account } from './account.entity.ts';
import {
  type CreateAccountInput,
  createAccountSchema,
  type RecordFinancialsInput,
  type RemoveFinancialsInput,
  recordFinancialsSchema,
  removeFinancialsSchema,
  type UpdateAccountInput,
  updateAccountSchema,
} from './account.schemas.ts';
import { QuarterlyFinancial } from './financial.entity.ts';
import { assertValidParent } from './hierarchy.ts';

export function externalRefTaken(ref: string, path: (string | number)[] = ['externalRef']): DomainError {
  return new DomainError(
    'EXTERNAL_REF_TAKEN',
    `An account with external ref ${JSON.stringify(ref)} already exists; external refs are unique. Update that account instead, or use another ref.`,
    { issues: [{ path, message: 'already used by another account', code: 'EXTERNAL_REF_TAKEN' }] },
  );
}

/**
 * Throws EXTERNAL_REF_TAKEN if an account has `ref`, holding `ref` until the transaction ends (on
 * PostgreSQL): a create or rename to the same ref at the same time waits, then finds this one's
 * account and is refused as it would be after it, not by the unique key with the database's text.
 */
async function assertRefFree(tx: EntityManager, ref: string): Promise<void> {
  await lockOnPostgreSql(tx, 'select pg_advisory_xact_lock(hashtext(?))', [`kam:account-ref:${ref}`]);
  if (await tx.count(Account, { externalRef: ref })) throw externalRefTaken(ref);
}

/** Creates an account. Its `externalRef` must be unused and its parent must exist. */
export async function createAccount(
  em: EntityManager,
  input: CreateAccountInput,
  actor: Actor,
): Promise<Account> {
  const data = parseInput(createAccountSchema, input, 'account');
  return writeAs(em, actor, async tx => {
    await assertRefFree(tx, data.externalRef);
    let parent: Account | null = null;
    if (data.parentId) {
      parent = await findOrFail(tx, Account, data.parentId, 'Parent account');
      await assertValidParent(tx, null, parent.id);
    }
    const segment = data.segmentId ? await findOrFail(tx, Segment, data.segmentId, 'Segment') : null;
    return tx.create(Account, {
      externalRef: data.externalRef,
      name: data.name,
      parent,
      segment,
      industry: data.industry ?? null,
      country: data.country ?? null,
      customerSince: data.customerSince ?? null,
    });
  });
}

/** Updates an account; moving it in the hierarchy never makes it its own ancestor. */
export async function updateAccount(
  em: EntityManager,
  input: UpdateAccountInput,
  actor: Actor,
): Promise<Account> {
  const data = parseInput(updateAccountSchema, input, 'account');
  return writeAs(em, actor, async tx => {
    const account = await findOrFail(tx, Account, data.id, 'Account');
    assertVersion('Account', account, data.expectedVersion, `Account ${account.externalRef}`);
    if (data.externalRef !== undefined && data.externalRef !== account.externalRef) {
      await assertRefFree(tx, data.externalRef);
      account.externalRef = data.externalRef;
    }
    if (data.name !== undefined) account.name = data.name;
    if (data.parentId !== undefined) {
      if (data.parentId === null) account.parent = null;
      else {
        const parent = await findOrFail(tx, Account, data.parentId, 'Parent account');
        await assertValidParent(tx, account.id, parent.id);
        account.parent = parent;
      }
    }
    if (data.segmentId !== undefined) {
      account.segment = data.segmentId ? await findOrFail(tx, Segment, data.segmentId, 'Segment') : null;
    }
    if (data.industry !== undefined) account.industry = data.industry ?? null;
    if (data.country !== undefined) account.country = data.country ?? null;
    if (data.customerSince !== undefined) account.customerSince = data.customerSince ?? null;
    return account;
  });
}

/**
 * Records one quarter's figures for an account, as an account-level line or for one
 * business unit. An account's quarter is either split by unit or not, never both, so
 * that nothing is counted twice. Updating an existing line needs its `expectedVersion`.
 * The figures are actuals: a quarter that has not started is refused (QUARTER_NOT_STARTED at
 * `quarter`); the running quarter takes its figures so far.
 */
export async function recordFinancials(
  em: EntityManager,
  input: RecordFinancialsInput,
  actor: Actor,
): Promise<QuarterlyFinancial> {
  const data = parseInput(recordFinancialsSchema, input, 'financials');
  // A quarter to come would become the account's latest financials, which no analytics can show.
  assertQuarterStarted(data.quarter, 'quarter');
  return writeAs(em, actor, async tx => {
    const { account, businessUnit } = await lineScope(tx, data.accountId, data.businessUnitId);
    const lines = await tx.find(QuarterlyFinancial, { account, quarter: data.quarter });
    const mixed = lines.some(l => (l.businessUnit === null) !== (businessUnit === null));
    if (mixed) throw mixedScope(account.externalRef, data.quarter);
    const existing = lines.find(l => (l.businessUnit?.id ?? null) === (businessUnit?.id ?? null));
    const values = {
      revenue: data.revenue,
      grossProfit: data.grossProfit,
      costToServe: data.costToServe,
      potential: data.potential ?? null,
      pricePremium: data.pricePremium ?? null,
    };
    if (!existing && data.expectedVersion !== undefined) {
      throw notRecorded(
        lineName(account, data.quarter, businessUnit),
        data.expectedVersion,
        'the account, the quarter and the business unit',
      );
    }
    if (existing) {
      if (data.expectedVersion === undefined) {
        throw new DomainError(
          'VERSION_CONFLICT',
          `Financials of ${account.externalRef} for ${data.quarter} already exist (version ${existing.version}); send expectedVersion ${existing.version} to update them.`,
          { details: { currentVersion: existing.version } },
        );
      }
      assertVersion(
        'QuarterlyFinancial',
        existing,
        data.expectedVersion,
        lineName(account, data.quarter, businessUnit),
      );
      Object.assign(existing, values);
      return existing;
    }
    return tx.create(QuarterlyFinancial, { account, quarter: data.quarter, businessUnit, ...values });
  });
}

export function mixedScope(accountRef: string, quarter: string): DomainError {
  return new DomainError(
    'FINANCIALS_MIXED_SCOPE',
    `Financials of ${accountRef} for ${quarter} are either split by business unit or recorded for the whole account, not both. Send all lines with a business unit, or one line without (removeFinancials takes away a line recorded the other way).`,
  );
}

/**
 * The account of a financial line, locked, and its business unit (none: the account-level line).
 * Locked because the scope rule reads the account's lines of a quarter: a whole-account line and
 * a unit line recorded (or one removed) at once would each miss the other, and the quarter would
 * be counted twice.
 */
async function lineScope(
  tx: EntityManager,
  accountId: number,
  businessUnitId: number | null | undefined,
): Promise<{ account: Account; businessUnit: BusinessUnit | null }> {
  const account = await findOrFail(tx, Account, accountId, 'Account', { lock: true });
  const businessUnit = businessUnitId
    ? await findOrFail(tx, BusinessUnit, businessUnitId, 'Business unit')
    : null;
  return { account, businessUnit };
}

/** "The financial line of CRM-1 for 2026-Q1 (EMEA)": a line by its account, quarter and unit. */
function lineName(account: Account, quarter: string, businessUnit: BusinessUnit | null): string {
  return `The financial line of ${account.externalRef} for ${quarter}${businessUnit ? ` (${businessUnit.code})` : ''}`;
}

/**
 * Removes one financial line, found by account, quarter and business unit (none: the
 * account-level line), with the version read: a line recorded for the wrong quarter, unit or
 * scope would otherwise stay for good (imports only create and update). The audit trail keeps
 * it (a DELETE entry with its figures). Closed quarters keep what their snapshots showed;
 * closing the quarter again counts without it.
 */
export async function removeFinancials(
  em: EntityManager,
  input: RemoveFinancialsInput,
  actor: Actor,
): Promise<QuarterlyFinancial> {
  const data = parseInput(removeFinancialsSchema, input, 'financial line');
  return writeAs(em, actor, async tx => {
    const { account, businessUnit } = await lineScope(tx, data.accountId, data.businessUnitId);
    const line = await tx.findOne(QuarterlyFinancial, { account, quarter: data.quarter, businessUnit });
    if (!line) {
      throw new DomainError(
        'NOT_FOUND',
        `${lineName(account, data.quarter, businessUnit)} is not recorded; there is nothing to remove (the account's lines are listed by Account.quarterlyFinancials).`,
        { details: { entity: 'Financial line', type: 'QuarterlyFinancial' } },
      );
    }
    assertVersion(
      'QuarterlyFinancial',
      line,
      data.expectedVersion,
      lineName(account, data.quarter, businessUnit),
    );
    tx.remove(line);
    return line;
  });
}
