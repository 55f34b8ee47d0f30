import type { EntityManager } from '@mikro-orm/core';
import {
  addQuarters,
  parseQuarter,
  type Quarter,
  quarterEnd,
  quarterIndex,
  quarterRange,
} from '../common/quarter.ts';
import type { KamSettings } from '../settings/settings.schemas.ts';
import { getSettings } from '../settings/settings.service.ts';
import { query } from './sql.ts';

/** The windows every figure of a quarter is computed over. */
export interface Period {
  quarter: Quarter;
  /** The last day of the quarter: "as of" for designations, assessments, reviews and dates. */
  asOf: string;
  /** The trailing four quarters ending with `quarter` (TTM). */
  ttmStart: Quarter;
  /** The four quarters before the TTM window (for year-on-year growth). */
  priorStart: Quarter;
  priorEnd: Quarter;
  previousQuarter: Quarter;
}

export function periodOf(quarter: string): Period {
  const q = parseQuarter(quarter);
  return {
    quarter: q,
    asOf: quarterEnd(q),
    ttmStart: addQuarters(q, -3),
    priorStart: addQuarters(q, -7),
    priorEnd: addQuarters(q, -4),
    previousQuarter: addQuarters(q, -1),
  };
}

/** The first quarter with financial data up to `quarter` (an index lookup), or null when there is none. */
export async function firstFinancialQuarter(em: EntityManager, quarter: string): Promise<Quarter | null> {
  const [row] = await query<{ first: string | null }>(
    em,
    'select min(quarter) as first from quarterly_financial where quarter <= ?',
    [parseQuarter(quarter)],
  );
  return row?.first ? parseQuarter(row.first) : null;
}

/**
 * Whether the prior TTM window of `p` lies wholly within the financial data that starts in
 * `first`. Year-on-year figures (growth, retention and the lifetime value built on it) are
 * only defined then: a prior window that starts before the data would compare a whole year
 * with part of one (e.g. four quarters against the one quarter recorded), which reads as
 * growth of several hundred per cent.
 */
export function hasWholePriorYear(p: Period, first: Quarter | null): boolean {
  return first !== null && quarterIndex(p.priorStart) >= quarterIndex(first);
}

/** Up to eight quarters ending with `quarter`, from the first quarter with financial data, oldest first. */
export async function trendQuartersOf(em: EntityManager, quarter: string): Promise<Quarter[]> {
  const q = parseQuarter(quarter);
  const earliest = addQuarters(q, -7);
  const first = (await firstFinancialQuarter(em, q)) ?? q;
  const from = quarterIndex(first) > quarterIndex(earliest) ? first : earliest;
  return quarterRange(from, q);
}

export async function settingsOf(em: EntityManager): Promise<KamSettings> {
  return getSettings(em);
}
