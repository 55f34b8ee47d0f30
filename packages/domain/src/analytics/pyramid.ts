import type { EntityManager } from '@mikro-orm/core';
import { fromCents } from '../common/money.ts';
import { quarterIndex } from '../common/quarter.ts';
import { PYRAMID_LEVELS, type PyramidLevel } from '../common/vocabulary.ts';
import { DEFAULT_SERVICE_STANDARDS } from '../settings/reference-data.ts';
import type { KamSettings } from '../settings/settings.schemas.ts';
import { getSettings } from '../settings/settings.service.ts';
import type { PyramidMovement, PyramidSummary } from '../snapshots/snapshot.types.ts';
import { type AccountBaseRow, loadAccountBase } from './account-base.ts';
import { firstFinancialQuarter, type Period, periodOf } from './period.ts';
import { exactRatio } from './rounding.ts';
import { query } from './sql.ts';

export type PyramidBands = KamSettings['pyramid'];

/**
 * How many of `ranked` active accounts are large and how many are large or medium.
 * Band sizes round up (a share of 10 % of 15 accounts is 2 large accounts); the small
 * tolerance keeps 0.3 × 10 = 3.0000000000000004 at 3.
 */
export function bandLimits(ranked: number, bands: PyramidBands): { large: number; largeOrMedium: number } {
  const up = (x: number) => Math.ceil(x - 1e-9);
  return {
    large: up(ranked * bands.largeShare),
    largeOrMedium: up(ranked * (bands.largeShare + bands.mediumShare)),
  };
}

/** The pyramid level of one account (domain §2): KEY, the active bands, LAPSED, PROSPECT, SUSPECT. */
export function pyramidLevelOf(
  row: Pick<
    AccountBaseRow,
    'designationId' | 'ttmRevenue' | 'sizeRank' | 'earlierRevenue' | 'everSold' | 'qualifiedOpportunity'
  >,
  limits: { large: number; largeOrMedium: number },
): PyramidLevel {
  if (row.designationId !== null) return 'KEY';
  if (row.ttmRevenue > 0n) {
    const rank = row.sizeRank ?? Number.MAX_SAFE_INTEGER;
    if (rank <= limits.large) return 'ACTIVE_LARGE';
    if (rank <= limits.largeOrMedium) return 'ACTIVE_MEDIUM';
    return 'ACTIVE_SMALL';
  }
  if (row.earlierRevenue) return 'LAPSED';
  // A prospect has never had revenue: one that sold in the TTM window and was credited back to a
  // net TTM revenue of 0 or less is neither active nor lapsed, and no prospect.
  if (row.qualifiedOpportunity && !row.everSold) return 'PROSPECT';
  return 'SUSPECT';
}

/** The level of every account of an account base, by account id. */
export function pyramidLevels(base: AccountBaseRow[], bands: PyramidBands): Map<number, PyramidLevel> {
  const limits = bandLimits(base[0]?.sizeRanked ?? 0, bands);
  return new Map(base.map(row => [row.id, pyramidLevelOf(row, limits)]));
}

/** The service standard text of each level (the edited one, or the default). */
export async function serviceStandards(em: EntityManager): Promise<Record<PyramidLevel, string>> {
  const rows = await query<{ pyramid_level: PyramidLevel; text: string }>(
    em,
    'select pyramid_level, text from service_standard order by id',
  );
  const out = { ...DEFAULT_SERVICE_STANDARDS };
  for (const r of rows) out[r.pyramid_level] = r.text;
  return out;
}

/** Counts, revenue and shares per level, and the moves since the previous quarter. */
export function summarisePyramid(
  base: AccountBaseRow[],
  levels: Map<number, PyramidLevel>,
  previous: Map<number, PyramidLevel> | null,
  standards: Record<PyramidLevel, string>,
  bands: PyramidBands,
): PyramidSummary {
  const counts = new Map<PyramidLevel, { accounts: number; revenue: bigint }>(
    PYRAMID_LEVELS.map(l => [l, { accounts: 0, revenue: 0n }]),
  );
  let total = 0n;
  for (const row of base) {
    const c = counts.get(levels.get(row.id)!)!;
    c.accounts += 1;
    c.revenue += row.ttmRevenue;
    total += row.ttmRevenue;
  }
  const moves = new Map<string, PyramidMovement>();
  if (previous) {
    for (const row of base) {
      const from = previous.get(row.id);
      const to = levels.get(row.id)!;
      if (!from || from === to) continue;
      const key = `${PYRAMID_LEVELS.indexOf(from)}|${PYRAMID_LEVELS.indexOf(to)}`;
      const m = moves.get(key) ?? { from, to, accounts: 0 };
      m.accounts += 1;
      moves.set(key, m);
    }
  }
  const movements = [...moves.values()].sort(
    (a, b) =>
      PYRAMID_LEVELS.indexOf(a.from) - PYRAMID_LEVELS.indexOf(b.from) ||
      PYRAMID_LEVELS.indexOf(a.to) - PYRAMID_LEVELS.indexOf(b.to),
  );
  return {
    levels: PYRAMID_LEVELS.map(level => {
      const c = counts.get(level)!;
      return {
        level,
        accounts: c.accounts,
        ttmRevenue: fromCents(c.revenue),
        revenueShare: exactRatio(c.revenue, total),
        serviceStandard: standards[level],
      };
    }),
    movements,
    bands: { largeShare: bands.largeShare, mediumShare: bands.mediumShare },
  };
}

/**
 * Every account's level in the quarter before `period`, or null when that quarter lies before
 * the financial data: then there is nothing to move from (against an empty quarter, every
 * active account of the first quarter on record would seem to have risen from SUSPECT).
 */
export async function previousPyramidLevels(
  em: EntityManager,
  period: Period,
  bands: PyramidBands,
): Promise<Map<number, PyramidLevel> | null> {
  const first = await firstFinancialQuarter(em, period.quarter);
  if (first === null || quarterIndex(period.previousQuarter) < quarterIndex(first)) return null;
  return pyramidLevels(await loadAccountBase(em, period.previousQuarter), bands);
}

/**
 * The customer pyramid of a quarter (domain §2): accounts and TTM revenue per level with
 * the level's service standard, and the moves since the previous quarter.
 */
export async function computePyramid(
  em: EntityManager,
  quarter: string,
  options: { bands?: PyramidBands; base?: AccountBaseRow[] } = {},
): Promise<PyramidSummary & { accountLevels: Map<number, PyramidLevel> }> {
  const bands = options.bands ?? (await getSettings(em)).pyramid;
  const period = periodOf(quarter);
  const base = options.base ?? (await loadAccountBase(em, period));
  const levels = pyramidLevels(base, bands);
  const previous = await previousPyramidLevels(em, period, bands);
  const summary = summarisePyramid(base, levels, previous, await serviceStandards(em), bands);
  return { ...summary, accountLevels: levels };
}
