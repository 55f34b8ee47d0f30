import type { EntityManager } from '@mikro-orm/core';
import { fromCents } from '../common/money.ts';
import {
  addQuarters,
  parseQuarter,
  type Quarter,
  quarterFromIndex,
  quarterIndex,
  quarterStart,
} from '../common/quarter.ts';
import { KPI_CODES, type KpiCode, type KpiDirection, type KpiUnit } from '../common/vocabulary.ts';
import { DEFAULT_KPIS } from '../settings/reference-data.ts';
import type { KamSettings } from '../settings/settings.schemas.ts';
import { getSettings } from '../settings/settings.service.ts';
import type { KpiResult } from '../snapshots/snapshot.types.ts';
import { categoryAsOf } from './initiative-as-of.ts';
import {
  type FirstDataQuarters,
  firstDataQuarters,
  firstFinancialQuarter,
  hasWholePriorYear,
  type Period,
  periodOf,
  trendQuartersOf,
} from './period.ts';
import {
  absolute,
  divideCents,
  exactRatio,
  growthPercent,
  percent,
  round,
  yearOnYearGrowth,
} from './rounding.ts';
import { byteOrder, cents, dialect, int, query, sqlTrue, sumCents } from './sql.ts';

/** Year-on-year revenue and gross profit of a group of accounts, in cents. */
export interface GroupGrowthFacts {
  accounts: number;
  revenue: bigint;
  priorRevenue: bigint;
  grossProfit: bigint;
  priorGrossProfit: bigint;
}

/** Everything the thirteen KPIs of one quarter are computed from: aggregates, read in SQL. */
export interface KpiFacts {
  quarter: Quarter;
  /**
   * Whether the financial data covers the whole prior TTM window (period.ts
   * `hasWholePriorYear`): retention, lifetime value and growth are null when it does not.
   */
  wholePriorYear: boolean;
  /** Accounts active (TTM revenue > 0) a year earlier, and those of them active now. */
  activeYearEarlier: number;
  retained: number;
  activeNow: number;
  activeGrossProfit: bigint;
  key: GroupGrowthFacts;
  control: GroupGrowthFacts;
  keyByUnit: Map<string, GroupGrowthFacts>;
  surveySum: number;
  surveyCount: number;
  feedbackPositive: number;
  feedbackTotal: number;
  /** Accounts with feedback in the TTM window, and those with feedback in at least 3 of its 4 quarters. */
  feedbackAccounts: number;
  regularFeedbackAccounts: number;
  adviceRequests: number;
  adviceAccounts: number;
  expansionRequests: number;
  expansionAccounts: number;
  referrals: number;
  referralValue: bigint;
  /** Measurements in hundredths, per scope. */
  peopleSatisfaction: { unitCode: string | null; hundredths: number }[];
  /**
   * One per market: measurements are unique per market key ("DACH" and "dach " are one market,
   * signals/market.ts), each named as its market was first recorded.
   */
  marketShare: { market: string; hundredths: number }[];
  /** Qualified bids decided in the TTM window, overall and per unit; and in the quarter alone. */
  won: number;
  lost: number;
  wonValue: bigint;
  winByUnit: Map<string, { won: number; lost: number }>;
  wonInQuarter: number;
  lostInQuarter: number;
  keyAccounts: number;
  keyAccountsWithProvenValue: number;
}

function emptyGroup(): GroupGrowthFacts {
  return { accounts: 0, revenue: 0n, priorRevenue: 0n, grossProfit: 0n, priorGrossProfit: 0n };
}

function keySet(p: Period): string {
  return `select distinct account_id from key_account_designation
          where designated_on <= '${p.asOf}' and (revoked_on is null or revoked_on > '${p.asOf}')`;
}

/** The facts of a quarter before anything is counted: every count and sum zero, no groups. */
export function emptyKpiFacts(quarter: KpiFacts['quarter'], wholePriorYear: boolean): KpiFacts {
  return {
    quarter,
    wholePriorYear,
    activeYearEarlier: 0,
    retained: 0,
    activeNow: 0,
    activeGrossProfit: 0n,
    key: emptyGroup(),
    control: emptyGroup(),
    keyByUnit: new Map(),
    surveySum: 0,
    surveyCount: 0,
    feedbackPositive: 0,
    feedbackTotal: 0,
    feedbackAccounts: 0,
    regularFeedbackAccounts: 0,
    adviceRequests: 0,
    adviceAccounts: 0,
    expansionRequests: 0,
    expansionAccounts: 0,
    referrals: 0,
    referralValue: 0n,
    peopleSatisfaction: [],
    marketShare: [],
    won: 0,
    lost: 0,
    wonValue: 0n,
    winByUnit: new Map(),
    wonInQuarter: 0,
    lostInQuarter: 0,
    keyAccounts: 0,
    keyAccountsWithProvenValue: 0,
  };
}

/** Reads the KPI facts of one quarter with a handful of aggregate queries. */
export async function loadKpiFacts(em: EntityManager, quarter: string): Promise<KpiFacts> {
  const p = periodOf(quarter);
  const d = dialect(em);
  const t = sqlTrue(d);
  // The dates are generated from a validated quarter, never from user text.
  const kd = keySet(p);
  const growthRows = await query<Record<string, unknown>>(
    em,
    `with fin as (
       select account_id,
         sum(case when quarter >= ? then revenue else 0 end) as rev,
         sum(case when quarter >= ? then gross_profit else 0 end) as gp,
         sum(case when quarter <= ? then revenue else 0 end) as prior_rev,
         sum(case when quarter <= ? then gross_profit else 0 end) as prior_gp
       from quarterly_financial where quarter >= ? and quarter <= ? group by account_id
     ),
     kd as (${kd})
     select case when kd.account_id is null then 0 else 1 end as is_key,
       count(*) as accounts, ${sumCents(d, 'coalesce(fin.rev, 0)')} as rev, ${sumCents(d, 'coalesce(fin.gp, 0)')} as gp,
       ${sumCents(d, 'coalesce(fin.prior_rev, 0)')} as prior_rev, ${sumCents(d, 'coalesce(fin.prior_gp, 0)')} as prior_gp,
       sum(case when fin.prior_rev > 0 then 1 else 0 end) as active_prior,
       sum(case when fin.prior_rev > 0 and fin.rev > 0 then 1 else 0 end) as retained,
       sum(case when fin.rev > 0 then 1 else 0 end) as active_now,
       ${sumCents(d, 'case when fin.rev > 0 then fin.gp else 0 end')} as active_gp
     from account a left join fin on fin.account_id = a.id left join kd on kd.account_id = a.id
     group by case when kd.account_id is null then 0 else 1 end`,
    [p.ttmStart, p.ttmStart, p.priorEnd, p.priorEnd, p.priorStart, p.quarter],
  );
  const facts = emptyKpiFacts(p.quarter, hasWholePriorYear(p, await firstFinancialQuarter(em, p.quarter)));
  for (const r of growthRows) {
    const g: GroupGrowthFacts = {
      accounts: int(r.accounts),
      revenue: cents(r.rev),
      priorRevenue: cents(r.prior_rev),
      grossProfit: cents(r.gp),
      priorGrossProfit: cents(r.prior_gp),
    };
    if (int(r.is_key) === 1) facts.key = g;
    else facts.control = g;
    facts.activeYearEarlier += int(r.active_prior);
    facts.retained += int(r.retained);
    facts.activeNow += int(r.active_now);
    facts.activeGrossProfit += cents(r.active_gp);
  }

  const unitRows = await query<Record<string, unknown>>(
    em,
    `select bu.code, ${sumCents(d, 'f.rev')} as rev, ${sumCents(d, 'f.gp')} as gp,
       ${sumCents(d, 'f.prior_rev')} as prior_rev, ${sumCents(d, 'f.prior_gp')} as prior_gp,
       count(distinct f.account_id) as accounts
     from (
       select f.account_id, f.business_unit_id,
         case when f.quarter >= ? then f.revenue else 0 end as rev,
         case when f.quarter >= ? then f.gross_profit else 0 end as gp,
         case when f.quarter <= ? then f.revenue else 0 end as prior_rev,
         case when f.quarter <= ? then f.gross_profit else 0 end as prior_gp
       from quarterly_financial f
       join (${kd}) kd on kd.account_id = f.account_id
       where f.quarter >= ? and f.quarter <= ?
     ) f
     join business_unit bu on bu.id = f.business_unit_id
     group by bu.code`,
    [p.ttmStart, p.ttmStart, p.priorEnd, p.priorEnd, p.priorStart, p.quarter],
  );
  for (const r of unitRows) {
    facts.keyByUnit.set(String(r.code), {
      accounts: int(r.accounts),
      revenue: cents(r.rev),
      priorRevenue: cents(r.prior_rev),
      grossProfit: cents(r.gp),
      priorGrossProfit: cents(r.prior_gp),
    });
  }

  const [survey] = await query<Record<string, unknown>>(
    em,
    'select coalesce(sum(score), 0) as s, count(*) as n from survey_response where quarter = ?',
    [p.quarter],
  );
  facts.surveySum = int(survey?.s);
  facts.surveyCount = int(survey?.n);

  const signalRows = await query<Record<string, unknown>>(
    em,
    `select kind, sum(case when sentiment = 'POSITIVE' then 1 else 0 end) as positive, count(*) as n,
       count(distinct account_id) as accounts, ${sumCents(d, 'value')} as value
     from customer_signal where quarter = ? group by kind`,
    [p.quarter],
  );
  for (const r of signalRows) {
    if (r.kind === 'FEEDBACK') {
      facts.feedbackPositive = int(r.positive);
      facts.feedbackTotal = int(r.n);
    } else if (r.kind === 'ADVICE_REQUEST') {
      facts.adviceRequests = int(r.n);
      facts.adviceAccounts = int(r.accounts);
    } else if (r.kind === 'EXPANSION_REQUEST') {
      facts.expansionRequests = int(r.n);
      facts.expansionAccounts = int(r.accounts);
    } else if (r.kind === 'REFERRAL') {
      facts.referrals = int(r.n);
      facts.referralValue = cents(r.value);
    }
  }
  const [regular] = await query<Record<string, unknown>>(
    em,
    `select count(*) as accounts, coalesce(sum(case when nq >= 3 then 1 else 0 end), 0) as regular
     from (select account_id, count(distinct quarter) as nq from customer_signal
           where kind = 'FEEDBACK' and quarter >= ? and quarter <= ? group by account_id) x`,
    [p.ttmStart, p.quarter],
  );
  facts.feedbackAccounts = int(regular?.accounts);
  facts.regularFeedbackAccounts = int(regular?.regular);

  // Left out: a measurement stored without its unit or market (scope key "all", accepted before
  // a scope was required), which has no scope to be averaged with (analytics.md).
  const measurements = await query<Record<string, unknown>>(
    em,
    `select m.kind, m.market, bu.code, cast(m.value as text) as value from organisation_measurement m
     left join business_unit bu on bu.id = m.business_unit_id where m.quarter = ?
       and (m.business_unit_id is not null or m.market is not null)
     order by ${byteOrder(d, 'm.scope_key')}`,
    [p.quarter],
  );
  for (const m of measurements) {
    const hundredths = Math.round(Number(m.value) * 100);
    if (m.kind === 'PEOPLE_SATISFACTION')
      facts.peopleSatisfaction.push({ unitCode: m.code == null ? null : String(m.code), hundredths });
    else facts.marketShare.push({ market: String(m.market ?? 'all'), hundredths });
  }

  const ttmFrom = quarterStart(p.ttmStart);
  const qFrom = quarterStart(p.quarter);
  const winRows = await query<Record<string, unknown>>(
    em,
    `select bu.code, o.outcome, count(*) as n, ${sumCents(d, 'o.value')} as value,
       sum(case when o.decided_on >= ? then 1 else 0 end) as in_quarter
     from opportunity o join business_unit bu on bu.id = o.business_unit_id
     where o.qualified = ${t} and o.outcome in ('WON', 'LOST') and o.decided_on >= ? and o.decided_on <= ?
     group by bu.code, o.outcome`,
    [qFrom, ttmFrom, p.asOf],
  );
  for (const r of winRows) {
    const code = String(r.code);
    const u = facts.winByUnit.get(code) ?? { won: 0, lost: 0 };
    if (r.outcome === 'WON') {
      u.won += int(r.n);
      facts.won += int(r.n);
      facts.wonValue += cents(r.value);
      facts.wonInQuarter += int(r.in_quarter);
    } else {
      u.lost += int(r.n);
      facts.lost += int(r.n);
      facts.lostInQuarter += int(r.in_quarter);
    }
    facts.winByUnit.set(code, u);
  }

  // Proven, recognised value: the rule of `isProvenRecognised` (account-details.ts), written in SQL
  // over every key account (change both together). Proven needs a measured customer gain above 0.
  const [value] = await query<Record<string, unknown>>(
    em,
    `select count(*) as keys, coalesce(sum(case when exists (
        select 1 from value_initiative v where v.account_id = kd.account_id and ${categoryAsOf('v.')} = 'PROVEN'
          and v.customer_gain > 0
          and v.customer_recognised = ${t} and (v.outcome is null or v.outcome <> 'REJECTED' or v.ended_on > ?)
          and (v.recognised_on is null or v.recognised_on <= ?) and v.started_on <= ?
      ) then 1 else 0 end), 0) as with_value
     from (${kd}) kd`,
    [p.asOf, p.asOf, p.asOf, p.asOf],
  );
  facts.keyAccounts = int(value?.keys);
  facts.keyAccountsWithProvenValue = int(value?.with_value);
  return facts;
}

export interface KpiDefinitionView {
  code: KpiCode;
  name: string;
  description: string;
  unit: KpiUnit;
  direction: KpiDirection;
  baselineQuarter: string | null;
  target: number | null;
}

/** The KPI definitions (the stored ones, else the defaults), in KPI_CODES order. */
export async function kpiDefinitions(em: EntityManager): Promise<KpiDefinitionView[]> {
  const rows = await query<Record<string, unknown>>(
    em,
    'select code, name, description, unit, direction, baseline_quarter, cast(target as text) as target from kpi_definition',
  );
  const stored = new Map(rows.map(r => [String(r.code), r]));
  return KPI_CODES.map(code => {
    const r = stored.get(code);
    const d = DEFAULT_KPIS[code];
    const target = r
      ? r.target == null
        ? null
        : Number(r.target)
      : d.target === null
        ? null
        : Number(d.target);
    return {
      code,
      name: r ? String(r.name) : d.name,
      description: r ? String(r.description) : d.description,
      unit: (r?.unit as KpiUnit) ?? d.unit,
      direction: (r?.direction as KpiDirection) ?? d.direction,
      baselineQuarter: r?.baseline_quarter == null ? null : String(r.baseline_quarter),
      target,
    };
  });
}

export interface KpiValue {
  value: number | null;
  byBusinessUnit: { businessUnitCode: string; value: number | null }[];
  detail: Record<string, number | string | null>;
}

function revenueGrowthPercent(g: GroupGrowthFacts): number | null {
  return growthPercent(g.revenue, g.priorRevenue);
}

/** A setting such as 2.5 as the fraction its decimal digits write (25 ÷ 10), for exact arithmetic. */
function decimalFraction(value: number): { numerator: bigint; denominator: bigint } {
  const [whole, fraction = ''] = String(value).split('.');
  return { numerator: BigInt(`${whole}${fraction}`), denominator: 10n ** BigInt(fraction.length) };
}

function meanHundredths(values: number[]): number | null {
  return values.length === 0
    ? null
    : exactRatio(
        values.reduce((a, b) => a + b, 0),
        values.length * 100,
        2,
      );
}

/**
 * Key-account revenue growth ÷ control-group revenue growth (4 decimals). Null when either
 * growth is undefined, or when the control group did not grow: a ratio to zero or negative
 * growth reads backwards (key −10 % against control −5 % would give 2, "on target", and key
 * +10 % against control −5 % would give −2); the detail still gives both growths.
 */
export function keyVsControlRatio(key: GroupGrowthFacts, control: GroupGrowthFacts): number | null {
  if (key.priorRevenue === 0n || control.priorRevenue === 0n) return null;
  if (control.revenue <= control.priorRevenue) return null;
  // The two growths as `growth` gives them, over |prior|:
  // (k − kp)/|kp| ÷ (c − cp)/|cp| = (k − kp) × |cp| ÷ ((c − cp) × |kp|), exactly.
  return exactRatio(
    (key.revenue - key.priorRevenue) * absolute(control.priorRevenue),
    (control.revenue - control.priorRevenue) * absolute(key.priorRevenue),
  );
}

/**
 * The value of one KPI from a quarter's facts (domain §10), in the KPI's unit: PERCENT
 * 0–100, SCORE 1–5, INDEX 0–100, MONEY in the currency and RATIO, all with 2 decimals
 * (RATIO 4); COUNT as a whole number.
 */
export function kpiValue(code: KpiCode, f: KpiFacts, settings: KamSettings): KpiValue {
  const none: KpiValue['byBusinessUnit'] = [];
  // Year-on-year figures need the whole prior year in the data (see KpiFacts.wholePriorYear).
  const yoy = f.wholePriorYear;
  const growthOf = (g: GroupGrowthFacts) => (yoy ? revenueGrowthPercent(g) : null);
  switch (code) {
    case 'CUSTOMER_RETENTION':
      return {
        value: yoy ? percent(f.retained, f.activeYearEarlier) : null,
        byBusinessUnit: none,
        detail: yoy
          ? { activeYearEarlier: f.activeYearEarlier, retained: f.retained }
          : { activeYearEarlier: null, retained: null },
      };
    case 'CUSTOMER_SATISFACTION':
      return {
        value: exactRatio(f.surveySum, f.surveyCount, 2),
        byBusinessUnit: none,
        detail: { responses: f.surveyCount },
      };
    case 'POSITIVE_FEEDBACK':
      return {
        value: percent(f.feedbackPositive, f.feedbackTotal),
        byBusinessUnit: none,
        detail: {
          positive: f.feedbackPositive,
          total: f.feedbackTotal,
          accountsWithFeedbackTtm: f.feedbackAccounts,
          regularAccounts: f.regularFeedbackAccounts,
          regularity: exactRatio(f.regularFeedbackAccounts, f.feedbackAccounts),
        },
      };
    case 'PEOPLE_SATISFACTION': {
      const byUnit = f.peopleSatisfaction
        .filter(m => m.unitCode !== null)
        .map(m => ({ businessUnitCode: m.unitCode!, value: m.hundredths / 100 }))
        .sort((a, b) => (a.businessUnitCode < b.businessUnitCode ? -1 : 1));
      return {
        value: meanHundredths(f.peopleSatisfaction.map(m => m.hundredths)),
        byBusinessUnit: byUnit,
        detail: { measurements: f.peopleSatisfaction.length },
      };
    }
    case 'MARKET_SHARE':
      return {
        value: meanHundredths(f.marketShare.map(m => m.hundredths)),
        byBusinessUnit: none,
        detail: Object.fromEntries(f.marketShare.map(m => [m.market, m.hundredths / 100])),
      };
    case 'CUSTOMER_LIFETIME_VALUE': {
      if (!yoy || f.activeNow === 0 || f.activeYearEarlier === 0) {
        return { value: null, byBusinessUnit: none, detail: { activeAccounts: f.activeNow } };
      }
      // Exactly, as fractions of integers: lifetime = 1 ÷ (1 − retained ÷ active a year earlier)
      // = A ÷ (A − R), capped; CLV = gross profit (cents) ÷ active accounts × lifetime. (In binary
      // floating point 1 ÷ (1 − 6/7) is 6.999999999999997, and a value of x.xx5 lost its half cent.)
      const a = BigInt(f.activeYearEarlier);
      const r = BigInt(f.retained);
      const cap = decimalFraction(settings.lifetime.maxExpectedLifetimeYears);
      const [years, per] =
        r >= a || a * cap.denominator >= cap.numerator * (a - r)
          ? [cap.numerator, cap.denominator]
          : [a, a - r];
      return {
        value: exactRatio(f.activeGrossProfit * years, BigInt(f.activeNow) * per * 100n, 2),
        byBusinessUnit: none,
        detail: {
          activeAccounts: f.activeNow,
          meanAnnualGrossProfit: fromCents(divideCents(f.activeGrossProfit, BigInt(f.activeNow))),
          expectedLifetimeYears: exactRatio(years, per, 2),
        },
      };
    }
    case 'KEY_ACCOUNT_GROWTH':
      return {
        value: growthOf(f.key),
        byBusinessUnit: [...f.keyByUnit.entries()]
          .sort((a, b) => (a[0] < b[0] ? -1 : 1))
          .map(([code, g]) => ({ businessUnitCode: code, value: growthOf(g) })),
        detail: {
          revenue: fromCents(f.key.revenue),
          priorRevenue: yoy ? fromCents(f.key.priorRevenue) : null,
          grossProfitGrowth: yoy ? growthPercent(f.key.grossProfit, f.key.priorGrossProfit) : null,
        },
      };
    case 'WIN_RATE':
      return {
        value: percent(f.won, f.won + f.lost),
        byBusinessUnit: [...f.winByUnit.entries()]
          .sort((a, b) => (a[0] < b[0] ? -1 : 1))
          .map(([code, u]) => ({ businessUnitCode: code, value: percent(u.won, u.won + u.lost) })),
        detail: { won: f.won, lost: f.lost, wonValue: fromCents(f.wonValue) },
      };
    case 'ADVICE_REQUESTS':
      return { value: f.adviceRequests, byBusinessUnit: none, detail: { accounts: f.adviceAccounts } };
    case 'EXPANSION_REQUESTS':
      return { value: f.expansionRequests, byBusinessUnit: none, detail: { accounts: f.expansionAccounts } };
    case 'REFERRALS':
      return {
        value: f.referrals,
        byBusinessUnit: none,
        detail: { count: f.referrals, value: fromCents(f.referralValue) },
      };
    case 'KEY_VS_CONTROL_GROWTH':
      return {
        value: yoy ? keyVsControlRatio(f.key, f.control) : null,
        byBusinessUnit: none,
        detail: {
          keyAccountGrowth: yearOnYearGrowth(f.key.revenue, f.key.priorRevenue, yoy),
          controlGroupGrowth: yearOnYearGrowth(f.control.revenue, f.control.priorRevenue, yoy),
        },
      };
    case 'VALUE_DEMONSTRATED':
      return {
        value: percent(f.keyAccountsWithProvenValue, f.keyAccounts),
        byBusinessUnit: none,
        detail: { keyAccounts: f.keyAccounts, withProvenRecognisedValue: f.keyAccountsWithProvenValue },
      };
  }
}

function decimalsOf(unit: KpiUnit): number {
  return unit === 'RATIO' ? 4 : unit === 'COUNT' ? 0 : 2;
}

/**
 * The earliest quarter, from `from` (the first quarter with financial data) on, in which a KPI
 * can have a value, given the first quarter of each kind of data it is computed from; null when
 * it can have none up to the report quarter. A lower bound: the value may still be null then
 * (no account active a year earlier, a control group that did not grow, every key designation
 * revoked), so the baseline search steps on from it.
 */
function firstPossibleKpiQuarter(code: KpiCode, from: Quarter, data: FirstDataQuarters): Quarter | null {
  const notBefore = (t: Quarter | null) => (t !== null && quarterIndex(t) < quarterIndex(from) ? from : t);
  switch (code) {
    case 'CUSTOMER_RETENTION':
    case 'CUSTOMER_LIFETIME_VALUE':
    case 'KEY_ACCOUNT_GROWTH':
    case 'KEY_VS_CONTROL_GROWTH':
      // Year-on-year: the prior TTM window (Q − 7 … Q − 4) must lie within the data (hasWholePriorYear).
      return addQuarters(from, 7);
    case 'CUSTOMER_SATISFACTION':
      return data.survey;
    case 'POSITIVE_FEEDBACK':
      return data.feedback;
    case 'PEOPLE_SATISFACTION':
      return data.peopleSatisfaction;
    case 'MARKET_SHARE':
      return data.marketShare;
    case 'WIN_RATE':
      return notBefore(data.decision);
    case 'VALUE_DEMONSTRATED':
      return notBefore(data.designation);
    case 'ADVICE_REQUESTS':
    case 'EXPANSION_REQUESTS':
    case 'REFERRALS':
      // Counts: 0 without signals, a value in every quarter.
      return from;
  }
}

/**
 * A KPI's value in the first quarter from `start` up to `quarter` in which it has one, or null.
 * Reads the facts of the quarters it steps through (`valueAt`, cached by the caller).
 */
async function firstKpiValue(
  start: Quarter | null,
  quarter: Quarter,
  valueAt: (t: Quarter) => Promise<number | null>,
): Promise<{ quarter: Quarter; value: number } | null> {
  if (start === null) return null;
  for (let i = quarterIndex(start); i <= quarterIndex(quarter); i++) {
    const t = quarterFromIndex(i);
    const value = await valueAt(t);
    if (value !== null) return { quarter: t, value };
  }
  return null;
}

/**
 * The thirteen KPIs of a quarter (domain §10): today's value, the baseline (the configured
 * baseline quarter unless it is after Q, else the KPI's value in the first quarter with one,
 * counted from the first quarter with financial data: the same in every later report, whatever
 * the trend window), delta = today − baseline,
 * whether it improves in the KPI's direction, whether the target is met, the trend over the
 * trend quarters, and per business unit where it applies.
 */
export async function computeKpis(
  em: EntityManager,
  quarter: string,
  options: { trendQuarters?: Quarter[]; settings?: KamSettings; facts?: Map<string, KpiFacts> } = {},
): Promise<KpiResult[]> {
  const q = parseQuarter(quarter);
  const settings = options.settings ?? (await getSettings(em));
  const trend = options.trendQuarters ?? (await trendQuartersOf(em, q));
  const definitions = await kpiDefinitions(em);
  const facts = options.facts ?? new Map<string, KpiFacts>();
  const factsOf = async (t: string) => {
    let f = facts.get(t);
    if (!f) {
      f = await loadKpiFacts(em, t);
      facts.set(t, f);
    }
    return f;
  };
  for (const t of trend) await factsOf(t);
  // Without a configured baseline quarter, the baseline is the first value from `from` on. When
  // the trend window is exactly `from` … Q (the usual case up to eight quarters of data), it is
  // the first trend point with a value; else the search starts, per KPI, at the first quarter
  // its data exists (firstDataQuarters: one round trip, read at most once) and steps forward
  // only while the value is null, so a KPI without data reads no facts at all.
  const from = (await firstFinancialQuarter(em, q)) ?? q;
  const trendIsHistory =
    trend.length === quarterIndex(q) - quarterIndex(from) + 1 &&
    trend.every((t, i) => quarterIndex(t) === quarterIndex(from) + i);
  let firstData: FirstDataQuarters | undefined;
  const results: KpiResult[] = [];
  for (const def of definitions) {
    const points = [];
    for (const t of trend)
      points.push({ quarter: t, value: kpiValue(def.code, (await factsOf(t))!, settings).value });
    const today = kpiValue(def.code, (await factsOf(q))!, settings);
    let baselineQuarter = def.baselineQuarter;
    let baseline: number | null = null;
    if (baselineQuarter && baselineQuarter <= q) {
      // Before the first quarter with financial data nothing was recorded: no value there (a
      // count would read 0 and show all of today's as improvement).
      baseline =
        baselineQuarter < from ? null : kpiValue(def.code, await factsOf(baselineQuarter), settings).value;
    } else {
      let first: { quarter: Quarter; value: number | null } | null | undefined;
      if (trendIsHistory) first = points.find(pt => pt.value !== null);
      else {
        firstData ??= await firstDataQuarters(em, from, q);
        first = await firstKpiValue(
          firstPossibleKpiQuarter(def.code, from, firstData),
          q,
          async t => kpiValue(def.code, await factsOf(t), settings).value,
        );
      }
      baselineQuarter = first?.quarter ?? null;
      baseline = first?.value ?? null;
    }
    const decimals = decimalsOf(def.unit);
    const delta = today.value === null || baseline === null ? null : round(today.value - baseline, decimals);
    const higher = def.direction === 'HIGHER_IS_BETTER';
    results.push({
      code: def.code,
      name: def.name,
      description: def.description,
      unit: def.unit,
      direction: def.direction,
      target: def.target,
      baselineQuarter,
      baseline,
      value: today.value,
      delta,
      improving: delta === null ? null : higher ? delta > 0 : delta < 0,
      onTarget:
        def.target === null || today.value === null
          ? null
          : higher
            ? today.value >= def.target
            : today.value <= def.target,
      trend: points,
      byBusinessUnit: today.byBusinessUnit,
      detail: today.detail,
    });
  }
  return results;
}
