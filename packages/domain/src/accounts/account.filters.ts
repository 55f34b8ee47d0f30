import { raw } from '@mikro-orm/core';
import type { ValueTier } from '../common/vocabulary.ts';

/**
 * Filters on accounts by what is stored about them, as MikroORM filters for a query on
 * `Account` (e.g. a connection's `$and`). Each is a subquery the database answers with its
 * indexes, whatever the size of the portfolio: the matching ids are never read into the
 * process nor sent back as a list. (For a set that only JavaScript can compute, such as the
 * pyramid level, see `idInSet` in `db/id-set.ts`.)
 */

/** Accounts with (`true`) or without (`false`) a current, not revoked, key-account designation. */
export function keyAccountFilter(keyAccount: boolean): Record<string, unknown> {
  return {
    [raw(
      alias =>
        `${keyAccount ? '' : 'not '}exists (select 1 from key_account_designation kad where kad.account_id = ${alias}.id and kad.revoked_on is null)`,
    )]: [],
  };
}

/**
 * Accounts whose latest tier assessment (by quarter) is `tier`; never an account without one.
 * Looked up per account through the (account, quarter) index: a page reads a few of them.
 */
export function latestTierFilter(tier: ValueTier): Record<string, unknown> {
  return {
    [raw(
      alias =>
        `(select ta.tier from tier_assessment ta where ta.account_id = ${alias}.id order by ta.quarter desc, ta.id desc limit 1) = ?`,
      [tier],
    )]: [],
  };
}

/** Accounts doing business with the unit: a financial line or an opportunity booked to it. */
export function doingBusinessWithFilter(businessUnitId: number): Record<string, unknown> {
  return {
    [raw(
      alias =>
        `${alias}.id in (select qf.account_id from quarterly_financial qf where qf.business_unit_id = ? union select op.account_id from opportunity op where op.business_unit_id = ?)`,
      [businessUnitId, businessUnitId],
    )]: [],
  };
}
