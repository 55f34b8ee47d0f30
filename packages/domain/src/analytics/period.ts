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

/** Up to eight quarters ending with `quarter`, from the first quarter with financial data, oldest first. */
export async function trendQuartersOf(em: EntityManager, quarter: string): Promise<Quarter[]> {
  const q = parseQuarter(quarter);
  const [row] = await query<{ first: string | null }>(
    em,
    'select min(quarter) as first from quarterly_financial where quarter <= ?',
    [q],
  );
  const earliest = addQuarters(q, -7);
  const first = row?.first ? parseQuarter(row.first) : q;
  const from = quarterIndex(first) > quarterIndex(earliest) ? first : earliest;
  return quarterRange(from, q);
}

export async function settingsOf(em: EntityManager): Promise<KamSettings> {
  return getSettings(em);
}
