/**
 * Formatting for people: one locale (en-GB) and the snapshot's reporting currency. Money
 * arrives as exact decimal strings; it is turned into a number only for display and charts.
 */
import { centsOfText } from '@kam/domain/cents';
import { absolute, exactRatio } from '@kam/domain/rounding';
import type { KpiData } from '../data/schemas.ts';
import type { AxisSpec, ChartSpec } from './chart-spec.ts';

const LOCALE = 'en-GB';

const compact = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 });

/**
 * `Intl.NumberFormat('en-GB')` with a fixed number of fraction digits, for the figures of
 * thousands of pages (a call of Intl's `format` costs about a microsecond, a few dozen a page):
 * ICU rounds the shortest decimal form of the number half away from zero, groups the whole
 * part by threes with commas and keeps the minus of a negative number that rounds to zero;
 * this does the same (the unit test compares it with Intl). Numbers beyond 10^13, and tiny
 * ones written with an exponent, go to Intl itself.
 */
export function fixedFormat(fractionDigits: 0 | 1 | 2): (value: number) => string {
  const intl = new Intl.NumberFormat(LOCALE, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  });
  return value => {
    const size = Math.abs(value);
    if (!(size < 1e13)) return intl.format(value);
    const shortest = String(size);
    if (shortest.includes('e')) return intl.format(value);
    const point = shortest.indexOf('.');
    let whole = point < 0 ? shortest : shortest.slice(0, point);
    let fraction = point < 0 ? '' : shortest.slice(point + 1);
    if (fraction.length > fractionDigits) {
      const up = fraction.charCodeAt(fractionDigits) >= 53; // '5'
      fraction = fraction.slice(0, fractionDigits);
      if (up) {
        // One unit in the last kept place, in whole units (exact: below 10^15).
        const units = String(Number(whole + fraction) + 1).padStart(fractionDigits + 1, '0');
        whole = units.slice(0, units.length - fractionDigits);
        fraction = units.slice(units.length - fractionDigits);
      }
    } else {
      fraction = fraction.padEnd(fractionDigits, '0');
    }
    let grouped = whole;
    if (whole.length > 3) {
      grouped = whole.slice(0, whole.length % 3 || 3);
      for (let index = grouped.length; index < whole.length; index += 3) {
        grouped += `,${whole.slice(index, index + 3)}`;
      }
    }
    const sign = value < 0 || Object.is(value, -0) ? '-' : '';
    return fractionDigits === 0 ? `${sign}${grouped}` : `${sign}${grouped}.${fraction}`;
  };
}

const integer = { format: fixedFormat(0) };
const oneDecimal = { format: fixedFormat(1) };
const twoDecimals = { format: fixedFormat(2) };

export const DASH = '–';

/** Between a number and its unit or currency: a no-break space, so "EUR 1,281,784,613" or "75.4 %" never wraps apart. */
const UNIT_SPACE = '\u00a0';

/** "1234.50" → 1234.5 (for charts and comparisons; never summed back into money). */
export function moneyToNumber(value: string | null | undefined): number | null {
  if (value == null) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/**
 * How much of a money target an amount is, as a 0–1 share (1.028 when it beats the target by
 * 2.8 %); null without a target (none, or zero).
 */
export function shareOfTarget(
  amount: string | null | undefined,
  target: string | null | undefined,
): number | null {
  const goal = moneyToNumber(target);
  if (!goal) return null;
  return (moneyToNumber(amount) ?? 0) / goal;
}

/** Whole units with thousands separators and the currency code: "EUR 1,234,568". */
export function formatMoney(value: string | null | undefined, currency: string): string {
  const number = moneyToNumber(value);
  // Not Math.round first: it rounds halves up (-1234.5 → -1234); the formatter rounds them away from zero.
  return number == null ? DASH : `${currency}${UNIT_SPACE}${integer.format(number)}`;
}

/** Short money for tight spaces: "EUR 1.2M". */
export function formatMoneyCompact(value: string | number | null | undefined, currency: string): string {
  const number = typeof value === 'number' ? value : moneyToNumber(value);
  return number == null ? DASH : `${currency}${UNIT_SPACE}${compact.format(number)}`;
}

/**
 * A 0–1 share in percent, its decimal point moved two places in its shortest decimal form:
 * 0.0905 → 9.05, where `0.0905 * 100` is 9.049999999999999 and would be written 9.0 %
 * beside a KPI card's 9.1 % for the same figure.
 */
function percentOf(value: number): number {
  const shortest = String(value);
  return shortest.includes('e') ? value * 100 : Number(`${shortest}e2`);
}

/** A 0–1 share as a percentage: 0.8123 → "81.2 %". */
export function formatShare(value: number | null | undefined): string {
  return value == null ? DASH : `${oneDecimal.format(percentOf(value))}${UNIT_SPACE}%`;
}

/** A growth ratio as a signed percentage: 0.125 → "+12.5 %". */
export function formatGrowth(value: number | null | undefined): string {
  if (value == null) return DASH;
  const text = `${oneDecimal.format(percentOf(Math.abs(value)))}${UNIT_SPACE}%`;
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

/**
 * numerator ÷ denominator as a 0–1 ratio to the tenth of a percent that the pages show (three
 * decimals), from the integers exactly and rounded once, by the domain's own rounding.
 */
function shownRatio(numerator: bigint, denominator: bigint): number {
  return exactRatio(numerator, denominator, 3) ?? 0;
}

/**
 * A margin (gross profit or contribution ÷ revenue) as the pages show it, computed from the
 * amounts: the snapshot's ratio is already rounded to 4 decimals, and rounding that again to the
 * tenth of a percent rounds twice (21,447 of 100,000 is stored 0.2145 and would read 21.5 %, not
 * 21.4 %). Null where the snapshot's margin is (no positive revenue); the stored ratio when the
 * amounts cannot be read.
 */
export function shownMargin(amount: string, revenue: string, stored: number | null): number | null {
  if (stored == null) return null;
  const part = centsOfText(amount);
  const whole = centsOfText(revenue);
  return part == null || whole == null || whole <= 0n ? stored : shownRatio(part, whole);
}

/**
 * Year-on-year growth, (current − prior) ÷ |prior| as the domain defines it, as the pages show
 * it, from the amounts (7.546 % is stored 0.0755 and would read +7.6 %). Null where the
 * snapshot's growth is (no prior revenue, or not the whole prior year in the data).
 */
export function shownGrowth(current: string, prior: string, stored: number | null): number | null {
  if (stored == null) return null;
  const now = centsOfText(current);
  const before = centsOfText(prior);
  return now == null || before == null || before === 0n ? stored : shownRatio(now - before, absolute(before));
}

export function formatCount(value: number | null | undefined): string {
  return value == null ? DASH : integer.format(value);
}

export function formatScore(value: number | null | undefined): string {
  return value == null ? DASH : oneDecimal.format(value);
}

/**
 * A chart value written exactly in its axis's unit, as a tooltip shows it ("EUR 1,234,568",
 * "72.4 %", "+3.1 %", "2.35×"); the axis ticks use shorter forms.
 */
export function formatAxisValue(value: number | null | undefined, axis: AxisSpec): string {
  if (value == null) return DASH;
  switch (axis.format) {
    case 'money':
      return axis.currency ? `${axis.currency}${UNIT_SPACE}${integer.format(value)}` : integer.format(value);
    case 'share':
      return formatShare(value);
    case 'growth':
      return formatGrowth(value);
    case 'percent-points':
      return `${oneDecimal.format(value)}${UNIT_SPACE}%`;
    case 'ratio':
      return `${twoDecimals.format(value)}×`;
    case 'tier':
      return axis.tickLabels?.[value] ?? formatScore(value);
    case 'count':
      return formatCount(value);
    default:
      return axis.decimals === 2 ? twoDecimals.format(value) : formatScore(value);
  }
}

const tickFormats = new Map<string, Intl.NumberFormat>();

/** A tick's number with at most `digits` decimals, compact ("1.2M") or plain. */
function tickNumber(value: number, digits: number, compact: boolean): string {
  const key = `${digits}${compact ? 'c' : 'p'}`;
  let format = tickFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, {
      ...(compact ? { notation: 'compact' as const } : {}),
      maximumFractionDigits: digits,
    });
    tickFormats.set(key, format);
  }
  return format.format(value);
}

/**
 * An axis tick, shorter than a tooltip: "EUR 1.2M", "72.4 %", "+3 %", "2.5×", "3.85"; `extra`
 * more decimals where the usual ones would write two ticks alike (formatAxisTicks).
 */
export function formatAxisTick(value: number, axis: AxisSpec, extra = 0, narrow = false): string {
  switch (axis.format) {
    case 'money':
      // On a narrow chart the currency is left to the axis title when it names it ("TTM revenue
      // (EUR)"): "EUR 120m" beside the title left no room for either.
      return narrow && axis.currency && axis.title.includes(axis.currency)
        ? tickNumber(value, 1 + extra, true)
        : `${axis.currency ?? ''} ${tickNumber(value, 1 + extra, true)}`.trim();
    case 'share':
      return `${tickNumber(value * 100, 1 + extra, false)} %`;
    case 'growth':
      return `${value > 0 ? '+' : ''}${tickNumber(value * 100, 1 + extra, false)} %`;
    case 'percent-points':
      return `${tickNumber(value, 1 + extra, false)} %`;
    case 'ratio':
      return `${tickNumber(value, 1 + extra, false)}×`;
    case 'tier': {
      const label = axis.tickLabels?.[value] ?? '';
      // "Tier 1: Mutual benefit" → "Tier 1" on a narrow chart (the table names the tiers).
      return narrow ? label.split(':')[0]! : label;
    }
    default:
      return tickNumber(value, (axis.decimals === 2 ? 2 : 1) + extra, true);
  }
}

/**
 * The labels of an axis's ticks, one per tick: with the fewest decimals that tell them apart,
 * so that ticks every EUR 50k do not read "EUR 4m, EUR 4m, EUR 4.1m, EUR 4.1m".
 */
export function formatAxisTicks(values: readonly number[], axis: AxisSpec, narrow = false): string[] {
  let labels: string[] = [];
  for (let extra = 0; extra <= 3; extra++) {
    labels = values.map(value => formatAxisTick(value, axis, extra, narrow));
    if (new Set(labels).size === labels.length) break;
  }
  return labels;
}

/**
 * The decimal places Chart.js may put ticks at (its `ticks.precision`): whole numbers for
 * counts (no tick at 3.5 referrals), and no finer than a score's ticks are written.
 */
export function axisTickPrecision(axis: AxisSpec): number | undefined {
  if (axis.format === 'count') return 0;
  if (axis.format === 'score') return axis.decimals ?? 1;
  return undefined;
}

/**
 * The tooltip line of a chart point: the series and its value in the axis's unit
 * ("Win rate: 72.4 %"); for a scatter chart the point's name and both values.
 */
export function chartTooltipLabel(
  spec: ChartSpec,
  datasetIndex: number,
  parsed: { x?: number | null; y?: number | null },
  raw?: unknown,
): string {
  const series = spec.series[datasetIndex];
  if (!series) return '';
  if (spec.kind === 'scatter') {
    const name = (raw as { label?: unknown } | null)?.label;
    const x = spec.x ? `${spec.x.title} ${formatAxisValue(parsed.x, spec.x)}` : formatScore(parsed.x);
    return `${typeof name === 'string' ? name : series.label}: ${x}; ${spec.y.title} ${formatAxisValue(parsed.y, spec.y)}`;
  }
  const axis = series.axis === 'y2' && spec.y2 ? spec.y2 : spec.y;
  return `${series.label}: ${formatAxisValue(spec.horizontal ? parsed.x : parsed.y, axis)}`;
}

/**
 * A KPI value in its unit. PERCENT KPIs are in percentage points (the domain's default
 * targets are written "95", "80"), unlike the 0–1 shares elsewhere in the snapshot.
 */
export function formatKpiValue(
  value: number | null | undefined,
  unit: KpiData['unit'],
  currency: string,
): string {
  if (value == null) return DASH;
  switch (unit) {
    case 'PERCENT':
      return `${oneDecimal.format(value)}${UNIT_SPACE}%`;
    case 'SCORE':
      return twoDecimals.format(value);
    case 'INDEX':
      return oneDecimal.format(value);
    case 'MONEY':
      return formatMoneyCompact(value, currency);
    case 'COUNT':
      return integer.format(value);
    case 'RATIO':
      return `${twoDecimals.format(value)}×`;
  }
}

/** The decimals a KPI value is written with, for the units written to fixed decimals. */
const KPI_DECIMALS: Partial<Record<KpiData['unit'], 0 | 1 | 2>> = {
  PERCENT: 1,
  INDEX: 1,
  SCORE: 2,
  RATIO: 2,
  COUNT: 0,
};

/** `value` rounded as `digits` fraction digits write it (half away from zero, as Intl does). */
function roundAsWritten(value: number, digits: number): number {
  const written = new Intl.NumberFormat(LOCALE, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  }).format(value);
  return Number(written);
}

/** The most fraction digits a change is written with when its usual ones would read zero. */
const MAX_DELTA_DECIMALS = 6;

/**
 * The change a KPI card shows and the fraction digits it is written with (undefined: the unit's
 * own). Today's value less the baseline as the card writes them, so that the three figures agree
 * (100.0 % against a baseline of 89.6 % is +10.4 pp, where the stored change 100 − 89.55 = 10.45
 * would read +10.5). Not where that difference would read zero, or the other way, beside a stored
 * change that is not zero (12.76 % and 12.81 % both read 12.8 %; the arrow says ▼): then the stored
 * change, with as many more digits as it takes to be other than zero (−0.05 pp). The stored change
 * when either figure is missing or the unit is written compactly (money).
 */
function shownKpiChange(kpi: Pick<KpiData, 'value' | 'baseline' | 'delta' | 'unit'>): {
  value: number | null;
  decimals?: number;
} {
  const decimals = KPI_DECIMALS[kpi.unit];
  if (decimals === undefined || kpi.value == null || kpi.baseline == null) return { value: kpi.delta };
  const written = (value: number) => Number(fixedFormat(decimals)(value).replace(/,/g, ''));
  const shown = Number((written(kpi.value) - written(kpi.baseline)).toFixed(decimals));
  const stored = kpi.delta;
  if (stored == null || stored === 0 || Math.sign(shown) === Math.sign(stored)) {
    return { value: stored === 0 ? 0 : shown };
  }
  for (let digits = decimals + 1; digits <= MAX_DELTA_DECIMALS; digits++) {
    const rounded = roundAsWritten(stored, digits);
    if (rounded !== 0) return { value: rounded, decimals: digits };
  }
  return { value: stored, decimals: MAX_DELTA_DECIMALS };
}

/** The change a KPI card shows, as a number (see `formatShownKpiDelta` for its text). */
export function shownKpiDelta(kpi: Pick<KpiData, 'value' | 'baseline' | 'delta' | 'unit'>): number | null {
  return shownKpiChange(kpi).value;
}

/** The change a KPI card shows, written in the KPI's unit: "+10.4 pp", "−0.05 pp", "+EUR 1.2K". */
export function formatShownKpiDelta(
  kpi: Pick<KpiData, 'value' | 'baseline' | 'delta' | 'unit'>,
  currency: string,
): string {
  const { value, decimals } = shownKpiChange(kpi);
  return formatKpiDelta(value, kpi.unit, currency, decimals);
}

export const YEAR_BEFORE_NEEDED = 'Needs the year before in the data.';

/**
 * Why a KPI card shows no value, when the reason is known: a year-on-year KPI before the data
 * holds the year before; KEY_VS_CONTROL_GROWTH also when both growths are known but the control
 * group did not grow (the domain gives no ratio then: it would read backwards).
 */
export function kpiMissingValueNote(
  kpi: Pick<KpiData, 'code' | 'value' | 'detail'>,
  yearOnYear: boolean,
): string | null {
  if (kpi.value != null || !yearOnYear) return null;
  const control = kpi.detail.controlGroupGrowth;
  if (kpi.code === 'KEY_VS_CONTROL_GROWTH' && typeof control === 'number' && control <= 0) {
    return `No ratio: the control group did not grow (${formatGrowth(control)}).`;
  }
  return YEAR_BEFORE_NEEDED;
}

/**
 * A signed change in the KPI's unit: "+2.3 pp", "−0.40", "+EUR 1.2K"; with `decimals`, a unit
 * written to fixed decimals gets that many instead ("−0.05 pp", see `formatShownKpiDelta`).
 */
export function formatKpiDelta(
  value: number | null | undefined,
  unit: KpiData['unit'],
  currency: string,
  decimals?: number,
): string {
  if (value == null) return DASH;
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  const size = Math.abs(value);
  if (decimals !== undefined && unit !== 'MONEY') {
    const digits = new Intl.NumberFormat(LOCALE, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    }).format(size);
    return unit === 'PERCENT' ? `${sign}${digits}${UNIT_SPACE}pp` : `${sign}${digits}`;
  }
  switch (unit) {
    case 'PERCENT':
      return `${sign}${oneDecimal.format(size)}${UNIT_SPACE}pp`;
    case 'MONEY':
      return `${sign}${formatMoneyCompact(size, currency)}`;
    // A difference of two ratios, not a factor: 1.20× → 2.60× is "+1.40", where "+1.40×"
    // would read as "1.4 times as much".
    case 'RATIO':
      return `${sign}${twoDecimals.format(size)}`;
    default:
      return `${sign}${formatKpiValue(size, unit, currency)}`;
  }
}

type DetailFormat = 'count' | 'money' | 'share' | 'growth' | 'growthPercent' | 'percent' | 'years';

/**
 * What each KPI's detail holds (`kpis.ts` in the domain): a label an executive reads and the
 * figure's kind, in the order shown. MARKET_SHARE's detail is keyed by market (percentages).
 */
const KPI_DETAIL: Partial<Record<KpiData['code'], Record<string, [label: string, format: DetailFormat]>>> = {
  CUSTOMER_RETENTION: {
    activeYearEarlier: ['Accounts active a year earlier', 'count'],
    retained: ['Of them still active', 'count'],
  },
  CUSTOMER_SATISFACTION: { responses: ['Survey responses', 'count'] },
  POSITIVE_FEEDBACK: {
    positive: ['Positive feedback', 'count'],
    total: ['All feedback', 'count'],
    accountsWithFeedbackTtm: ['Accounts giving feedback in the trailing four quarters', 'count'],
    regularAccounts: ['Of them in at least three of the four', 'count'],
    regularity: ['Regularity (their share)', 'share'],
  },
  PEOPLE_SATISFACTION: { measurements: ['Measurements', 'count'] },
  CUSTOMER_LIFETIME_VALUE: {
    activeAccounts: ['Active accounts', 'count'],
    meanAnnualGrossProfit: ['Mean annual gross profit', 'money'],
    expectedLifetimeYears: ['Expected lifetime', 'years'],
  },
  KEY_ACCOUNT_GROWTH: {
    revenue: ['Key accounts’ revenue, trailing four quarters', 'money'],
    priorRevenue: ['The four quarters before', 'money'],
    grossProfitGrowth: ['Gross profit growth', 'growthPercent'],
  },
  WIN_RATE: {
    won: ['Qualified bids won', 'count'],
    lost: ['Qualified bids lost', 'count'],
    wonValue: ['Value won', 'money'],
  },
  ADVICE_REQUESTS: { accounts: ['Accounts asking', 'count'] },
  EXPANSION_REQUESTS: { accounts: ['Accounts asking', 'count'] },
  REFERRALS: { count: ['Referrals', 'count'], value: ['Referral value', 'money'] },
  KEY_VS_CONTROL_GROWTH: {
    keyAccountGrowth: ['Key accounts’ revenue growth', 'growth'],
    controlGroupGrowth: ['Control group’s revenue growth', 'growth'],
  },
  VALUE_DEMONSTRATED: {
    keyAccounts: ['Key accounts', 'count'],
    withProvenRecognisedValue: ['With proven value the customer recognises', 'count'],
  },
};

function formatDetail(value: number | string | null, format: DetailFormat, currency: string): string {
  if (value == null) return DASH;
  if (format === 'money') return formatMoney(String(value), currency);
  const number = Number(value);
  if (!Number.isFinite(number)) return String(value);
  switch (format) {
    case 'count':
      return formatCount(number);
    case 'share':
      return formatShare(number);
    case 'growth':
      return formatGrowth(number);
    case 'growthPercent':
      return formatGrowth(number / 100);
    case 'percent':
      return `${oneDecimal.format(number)}${UNIT_SPACE}%`;
    case 'years':
      return `${oneDecimal.format(number)}${UNIT_SPACE}years`;
  }
}

/**
 * How the KPIs with a target stand: "2 of 9 KPIs with a target are on target". One with a
 * target but no value this quarter is neither, and said so: "… on target (1 of them has no
 * value this quarter)".
 */
export function targetSummary(kpis: readonly Pick<KpiData, 'target' | 'onTarget'>[]): string {
  const withTarget = kpis.filter(kpi => kpi.target != null);
  const onTarget = withTarget.filter(kpi => kpi.onTarget === true).length;
  const withoutValue = withTarget.filter(kpi => kpi.onTarget == null).length;
  const note =
    withoutValue === 0
      ? ''
      : ` (${withoutValue} of them ${withoutValue === 1 ? 'has' : 'have'} no value this quarter)`;
  return `${onTarget} of ${withTarget.length} KPIs with a target are on target${note}`;
}

/**
 * A KPI's detail as labelled, formatted rows: money with its currency and separators, shares
 * and growth as percentages. Fields the reports do not know yet are shown after the known
 * ones, their key spelt out, so that a new field is visible rather than lost.
 */
export function kpiDetailRows(kpi: Pick<KpiData, 'code' | 'detail'>, currency: string): [string, string][] {
  if (kpi.code === 'MARKET_SHARE') {
    return Object.entries(kpi.detail).map(([market, value]) => [
      market,
      formatDetail(value, 'percent', currency),
    ]);
  }
  const known = KPI_DETAIL[kpi.code] ?? {};
  const rows: [string, string][] = [];
  for (const [key, [label, format]] of Object.entries(known)) {
    if (key in kpi.detail) rows.push([label, formatDetail(kpi.detail[key] ?? null, format, currency)]);
  }
  for (const [key, value] of Object.entries(kpi.detail)) {
    if (key in known) continue;
    const label = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    rows.push([
      label.charAt(0).toUpperCase() + label.slice(1),
      typeof value === 'number' ? twoDecimals.format(value) : (value ?? DASH),
    ]);
  }
  return rows;
}

/**
 * A flag's message split where what is wrong ends and what to do begins: at its first colon or
 * full stop ("No sponsor on the team" | ": ask a director to back the account."); the whole
 * message and nothing after it when it has neither.
 */
export function flagMessageParts(message: string): [problem: string, remedy: string] {
  const end = /[:.]\s/.exec(message)?.index ?? -1;
  return end < 0 ? [message, ''] : [message.slice(0, end), message.slice(end)];
}

// Formatters are made once: constructing an Intl formatter costs more than rendering a table row.
const day = new Intl.DateTimeFormat(LOCALE, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const time = new Intl.DateTimeFormat(LOCALE, {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const instants = new Map<string, string>();

/** "2026-11-23T10:00:00.000Z" → "23 Nov 2026, 10:00 UTC" (fixed zone: the same on every machine). */
export function formatInstant(iso: string): string {
  let text = instants.get(iso);
  if (text === undefined) {
    const date = new Date(iso);
    text = `${day.format(date)}, ${time.format(date)} UTC`;
    instants.set(iso, text);
  }
  return text;
}

const dates = new Map<string, string>();

/** "2026-03-31" → "31 Mar 2026". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return DASH;
  let text = dates.get(iso);
  if (text === undefined) {
    text = day.format(new Date(`${iso}T00:00:00Z`));
    // At most one entry a calendar day: a few thousand for any report.
    dates.set(iso, text);
  }
  return text;
}
