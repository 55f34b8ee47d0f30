/**
 * Formatting for people: one locale (en-GB) and the snapshot's reporting currency. Money
 * arrives as exact decimal strings; it is turned into a number only for display and charts.
 */
import type { KpiData } from '../data/schemas.ts';

const LOCALE = 'en-GB';

const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 });

export const DASH = '–';

/** "1234.50" → 1234.5 (for charts and comparisons; never summed back into money). */
export function moneyToNumber(value: string | null | undefined): number | null {
  if (value == null) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** Whole units with thousands separators and the currency code: "EUR 1,234,568". */
export function formatMoney(value: string | null | undefined, currency: string): string {
  const number = moneyToNumber(value);
  return number == null ? DASH : `${currency} ${integer.format(Math.round(number))}`;
}

/** Short money for tight spaces: "EUR 1.2M". */
export function formatMoneyCompact(value: string | number | null | undefined, currency: string): string {
  const number = typeof value === 'number' ? value : moneyToNumber(value);
  return number == null ? DASH : `${currency} ${compact.format(number)}`;
}

/** A 0–1 share as a percentage: 0.8123 → "81.2 %". */
export function formatShare(value: number | null | undefined): string {
  return value == null ? DASH : `${oneDecimal.format(value * 100)} %`;
}

/** A growth ratio as a signed percentage: 0.125 → "+12.5 %". */
export function formatGrowth(value: number | null | undefined): string {
  if (value == null) return DASH;
  const text = `${oneDecimal.format(Math.abs(value) * 100)} %`;
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

export function formatCount(value: number | null | undefined): string {
  return value == null ? DASH : integer.format(value);
}

export function formatScore(value: number | null | undefined): string {
  return value == null ? DASH : oneDecimal.format(value);
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
      return `${oneDecimal.format(value)} %`;
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

/** A signed change in the KPI's unit: "+2.3 pp", "−0.40", "+EUR 1.2K". */
export function formatKpiDelta(
  value: number | null | undefined,
  unit: KpiData['unit'],
  currency: string,
): string {
  if (value == null) return DASH;
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  const size = Math.abs(value);
  switch (unit) {
    case 'PERCENT':
      return `${sign}${oneDecimal.format(size)} pp`;
    case 'MONEY':
      return `${sign}${formatMoneyCompact(size, currency)}`;
    default:
      return `${sign}${formatKpiValue(size, unit, currency)}`;
  }
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

/** "2026-03-31" → "31 Mar 2026". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return DASH;
  return day.format(new Date(`${iso}T00:00:00Z`));
}
