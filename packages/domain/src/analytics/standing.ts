import type { EntityManager } from '@mikro-orm/core';
import type { AccountQuadrant, PyramidLevel } from '../common/vocabulary.ts';
import { getSettings } from '../settings/settings.service.ts';
import { loadAccountBase } from './account-base.ts';
import { periodOf } from './period.ts';
import { pyramidLevels } from './pyramid.ts';
import { computeSelection } from './selection.ts';

/** Where an account stands in a quarter. */
export interface AccountStanding {
  /** Its level of the customer pyramid (domain §2). */
  pyramidLevel: PyramidLevel;
  /** Its quadrant of the attractiveness × relationship matrix (§4); null until it is assessed. */
  quadrant: AccountQuadrant | null;
}

/**
 * Every account's pyramid level and quadrant in a quarter, computed from the current data
 * the way `closeQuarter` and the analytics compute them (both depend on the whole portfolio:
 * revenue bands are ranks, financial scores percentiles). One pass over the account base.
 */
export async function accountStandings(
  em: EntityManager,
  quarter: string,
): Promise<Map<number, AccountStanding>> {
  const period = periodOf(quarter);
  const settings = await getSettings(em);
  const base = await loadAccountBase(em, period);
  const levels = pyramidLevels(base, settings.pyramid);
  const { byAccount } = await computeSelection(em, period, { base, settings });
  return new Map(
    base.map(row => [
      row.id,
      { pyramidLevel: levels.get(row.id) ?? 'SUSPECT', quadrant: byAccount.get(row.id)?.quadrant ?? null },
    ]),
  );
}
