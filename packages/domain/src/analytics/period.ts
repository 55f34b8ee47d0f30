import type { EntityManager } from '@mikro-orm/core';
import {
  addQuarters,
  parseQuarter,
  type Quarter,
  quarterEnd,
  quarterIndex,
  quarterOf,
  quarterRange,
  quarterStart,
} from '../common/quarter.ts';
import type { KamSettings } from '../settings/settings.schemas.ts';
import { getSettings } from '../settings/settings.service.ts';
import { dialect, query, sqlTrue, text } from './sql.ts';

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
 * The first quarter, from `from` up to `quarter`, of each kind of recorded data the KPIs are
 * computed from (null when there is none): one round trip of index lookups (min over indexed
 * columns), so that a KPI's baseline search starts where the KPI can first have a value.
 */
export interface FirstDataQuarters {
  survey: Quarter | null;
  feedback: Quarter | null;
  peopleSatisfaction: Quarter | null;
  marketShare: Quarter | null;
  /** The quarter of the first qualified bid decided (won or lost) from the TTM window of `from` on. */
  decision: Quarter | null;
  /** The quarter of the first key-account designation. */
  designation: Quarter | null;
}

export async function firstDataQuarters(
  em: EntityManager,
  from: Quarter,
  quarter: Quarter,
): Promise<FirstDataQuarters> {
  const range = 'quarter >= ? and quarter <= ?';
  const [row] = await query<Record<string, unknown>>(
    em,
    `select
       (select min(quarter) from survey_response where ${range}) as survey,
       (select min(quarter) from customer_signal where kind = 'FEEDBACK' and ${range}) as feedback,
       (select min(quarter) from organisation_measurement where kind = 'PEOPLE_SATISFACTION' and ${range}) as people,
       (select min(quarter) from organisation_measurement where kind = 'MARKET_SHARE' and ${range}) as market,
       (select cast(min(decided_on) as text) from opportunity where qualified = ${sqlTrue(dialect(em))}
          and outcome in ('WON', 'LOST') and decided_on >= ? and decided_on <= ?) as decided,
       (select cast(min(designated_on) as text) from key_account_designation where designated_on <= ?) as designated`,
    [
      ...[from, quarter, from, quarter, from, quarter, from, quarter],
      quarterStart(addQuarters(from, -3)),
      quarterEnd(quarter),
      quarterEnd(quarter),
    ],
  );
  const quarterOrNull = (v: unknown) => (v == null ? null : parseQuarter(String(v)));
  const dateQuarter = (v: unknown) => {
    const d = text(v);
    return d === null ? null : quarterOf(d);
  };
  return {
    survey: quarterOrNull(row?.survey),
    feedback: quarterOrNull(row?.feedback),
    peopleSatisfaction: quarterOrNull(row?.people),
    marketShare: quarterOrNull(row?.market),
    decision: dateQuarter(row?.decided),
    designation: dateQuarter(row?.designated),
  };
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
