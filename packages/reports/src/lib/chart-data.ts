/**
 * Pure mappers from snapshot documents to chart models (spec + summary + table). They do no
 * I/O and read no clock, so the unit tests pin their output for hand-computed inputs.
 */
import { effectiveWeights } from '@kam/domain/rounding';
import type { AccountData, KpiData, PortfolioData } from '../data/schemas.ts';
import {
  PYRAMID_LEVEL_NAMES,
  PYRAMID_LEVELS,
  RECORDED_KPIS,
  VALUE_TIER_NAMES,
  VALUE_TIERS,
  YEAR_ON_YEAR_KPIS,
} from '../data/vocabulary.ts';
import type { ChartModel, SeriesSpec } from './chart-spec.ts';
import {
  DASH,
  formatCount,
  formatGrowth,
  formatKpiValue,
  formatMoney,
  formatScore,
  formatShare,
  moneyToNumber,
  shownGrowth,
  shownMargin,
} from './format.ts';

type ParetoPoint = PortfolioData['pareto']['curve'][number];

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The period a KPI's value covers, where its name alone does not say it: WIN_RATE counts the
 * bids decided in the trailing four quarters, unlike the performance page's win rate of the
 * bids decided in each quarter (`toWinRateChartData`).
 */
const KPI_PERIOD: Partial<Record<KpiData['code'], string>> = {
  WIN_RATE: 'trailing four quarters',
};

/** A quarter's growth as the snapshot's growth trend gives it. */
type GrowthPoint = PortfolioData['growth']['trend'][number];

const NO_YEAR_BEFORE = 'the financial data does not hold the year before';

/**
 * Why a KPI has no value in a quarter of its trend, by quarter, where the snapshot tells:
 * KEY_VS_CONTROL_GROWTH has no ratio when the financial data does not hold the year before, when
 * either group had no revenue the year before, or when the control group did not grow
 * (docs/analytics.md). Each reason comes from that quarter's growths, not from today's.
 */
export function kpiMissingReasons(
  kpi: Pick<KpiData, 'code' | 'trend'>,
  growthTrend: readonly GrowthPoint[],
): Map<string, string> {
  const reasons = new Map<string, string>();
  if (kpi.code !== 'KEY_VS_CONTROL_GROWTH') return reasons;
  const growthIn = new Map(growthTrend.map(point => [point.quarter, point]));
  for (const point of kpi.trend) {
    if (point.value != null) continue;
    const growth = growthIn.get(point.quarter);
    const key = growth?.keyAccountGrowth ?? null;
    const control = growth?.controlGroupGrowth ?? null;
    if (!growth) {
      reasons.set(point.quarter, 'the snapshot holds no growth figures for the quarter');
    } else if (key == null && control == null) {
      reasons.set(point.quarter, NO_YEAR_BEFORE);
    } else if (key == null) {
      reasons.set(point.quarter, 'the key accounts had no revenue the year before');
    } else if (control == null) {
      reasons.set(point.quarter, 'the control group had no revenue the year before');
    } else if (control <= 0) {
      reasons.set(point.quarter, `the control group did not grow (${formatGrowth(control)})`);
    } else {
      reasons.set(point.quarter, 'the snapshot holds no ratio for the quarter');
    }
  }
  return reasons;
}

/**
 * Why a year-on-year KPI has no value in any quarter of its trend, when the snapshot tells and
 * the reason is the same for every quarter: the growth figures of every quarter are missing (the
 * financial data does not hold the year before), or, for KEY_VS_CONTROL_GROWTH, the one reason
 * `kpiMissingReasons` gives every quarter. Null otherwise, and for a KPI with a value.
 */
export function kpiNoValueReason(
  kpi: Pick<KpiData, 'code' | 'trend'>,
  growthTrend: readonly GrowthPoint[],
): string | null {
  if (!YEAR_ON_YEAR_KPIS.has(kpi.code) || kpi.trend.length === 0) return null;
  if (kpi.trend.some(point => point.value != null)) return null;
  if (kpi.code === 'KEY_VS_CONTROL_GROWTH') {
    const reasons = new Set(kpiMissingReasons(kpi, growthTrend).values());
    return reasons.size === 1 ? [...reasons][0]! : null;
  }
  const growthIn = new Map(growthTrend.map(point => [point.quarter, point]));
  const noYearBefore = kpi.trend.every(point => {
    const growth = growthIn.get(point.quarter);
    return growth != null && growth.keyAccountGrowth == null && growth.controlGroupGrowth == null;
  });
  return noYearBefore ? NO_YEAR_BEFORE : null;
}

/**
 * A KPI's trend by quarter, with its target as a reference line; with `missingReasons`
 * (`kpiMissingReasons`), the table says beside each missing value why it is missing. A KPI
 * without any value says so in its summary: a measured one (RECORDED_KPIS) that none was
 * recorded; a computed one that none could be computed yet, with `noValueReason`
 * (`kpiNoValueReason`) as the reason when the snapshot tells it.
 */
export function toKpiTrendChartData(
  kpi: KpiData,
  currency: string,
  missingReasons: ReadonlyMap<string, string> = new Map(),
  noValueReason: string | null = null,
): ChartModel {
  const labels = kpi.trend.map(point => point.quarter);
  const period = KPI_PERIOD[kpi.code];
  const seriesLabel = period ? `${kpi.name}, ${period}` : kpi.name;
  const title = period ? `${kpi.name} over the ${period}, by quarter` : `${kpi.name} by quarter`;
  const series: SeriesSpec[] = [{ label: seriesLabel, data: kpi.trend.map(point => point.value) }];
  if (kpi.target != null) {
    series.push({
      label: `Target (${formatKpiValue(kpi.target, kpi.unit, currency)})`,
      data: labels.map(() => kpi.target),
      reference: true,
    });
  }
  const first = kpi.trend.find(point => point.value != null);
  const last = kpi.trend.at(-1);
  const format = (value: number | null) => formatKpiValue(value, kpi.unit, currency);
  const summary =
    first && last
      ? `${kpi.name}: ${format(first.value)} in ${first.quarter}, ` +
        (first === last ? 'the first quarter with a value' : `${format(last.value)} in ${last.quarter}`) +
        (kpi.target != null ? `; target ${format(kpi.target)}.` : '.')
      : RECORDED_KPIS.has(kpi.code)
        ? `${kpi.name}: no values recorded.`
        : noValueReason
          ? `${kpi.name}: no value could be computed yet (${noValueReason}).`
          : `${kpi.name}: no value yet for these quarters.`;
  return {
    spec: {
      kind: 'line',
      title,
      labels,
      series,
      y: {
        format: kpiAxisFormat(kpi.unit),
        title: kpiAxisTitle(kpi.unit, currency),
        currency,
        ...(kpi.unit === 'SCORE' ? { decimals: 2 as const } : {}),
        // A percentage starts at 0 % unless it can go below (KEY_ACCOUNT_GROWTH shrinking).
        ...(kpi.unit === 'PERCENT' &&
        [kpi.target, ...kpi.trend.map(point => point.value)].every(value => (value ?? 0) >= 0)
          ? { min: 0 }
          : {}),
      },
      height: 220,
    },
    summary,
    table: {
      caption: title,
      columns: ['Quarter', seriesLabel, 'Target', ...(missingReasons.size > 0 ? ['Why no value'] : [])],
      rows: kpi.trend.map(point => [
        point.quarter,
        format(point.value),
        format(kpi.target),
        ...(missingReasons.size > 0 ? [missingReasons.get(point.quarter) ?? ''] : []),
      ]),
      numeric: [1, 2],
    },
  };
}

function kpiAxisFormat(unit: KpiData['unit']) {
  switch (unit) {
    case 'PERCENT':
      return 'percent-points' as const;
    case 'MONEY':
      return 'money' as const;
    case 'COUNT':
      return 'count' as const;
    case 'RATIO':
      return 'ratio' as const;
    default:
      return 'score' as const;
  }
}

function kpiAxisTitle(unit: KpiData['unit'], currency: string): string {
  return { PERCENT: '%', SCORE: 'score', INDEX: 'index', MONEY: currency, COUNT: 'count', RATIO: 'ratio' }[
    unit
  ];
}

/** The customer pyramid: accounts per level, top (KEY) first. */
export function toPyramidChartData(portfolio: PortfolioData): ChartModel {
  const levels = [...portfolio.pyramid.levels].sort(
    (a, b) => PYRAMID_LEVELS.indexOf(b.level) - PYRAMID_LEVELS.indexOf(a.level),
  );
  const currency = portfolio.currency;
  const top = levels.find(level => level.level === 'KEY');
  return {
    spec: {
      kind: 'bar',
      title: 'Accounts per pyramid level',
      labels: levels.map(level => PYRAMID_LEVEL_NAMES[level.level]),
      series: [{ label: 'Accounts', data: levels.map(level => level.accounts) }],
      horizontal: true,
      y: { format: 'count', title: 'accounts', min: 0 },
      height: 260,
    },
    summary:
      `${formatCount(portfolio.totals.accounts)} accounts; ${formatCount(top?.accounts ?? 0)} key accounts make ` +
      `${formatShare(top?.revenueShare)} of TTM revenue.`,
    table: {
      caption: 'The customer pyramid, top level first',
      columns: ['Level', 'Accounts', 'TTM revenue', 'Share of revenue', 'Service standard'],
      rows: levels.map(level => [
        PYRAMID_LEVEL_NAMES[level.level],
        formatCount(level.accounts),
        formatMoney(level.ttmRevenue, currency),
        formatShare(level.revenueShare),
        level.serviceStandard,
      ]),
      numeric: [1, 2, 3],
    },
  };
}

/** The Pareto curve: cumulative share of the total against the share of accounts. */
export function toParetoChartData(portfolio: PortfolioData): ChartModel {
  const { pareto } = portfolio;
  const basis = pareto.basis === 'REVENUE' ? 'revenue' : 'gross profit';
  const labels = pareto.curve.map(point => formatShare(point.accountShare));
  // The point nearest each 10 % of accounts: with fewer than 100 accounts the points fall between.
  const tableRows = [
    ...new Set(
      Array.from({ length: 11 }, (_, tenth) =>
        pareto.curve.reduce<ParetoPoint | undefined>(
          (best, point) =>
            !best || Math.abs(point.accountShare - tenth / 10) < Math.abs(best.accountShare - tenth / 10)
              ? point
              : best,
          undefined,
        ),
      ).filter(point => point !== undefined),
    ),
  ];
  return {
    spec: {
      kind: 'line',
      title: `Pareto curve of TTM ${basis}`,
      labels,
      series: [
        {
          label: `Cumulative share of ${basis}`,
          data: pareto.curve.map(point => round(point.cumulativeShare)),
        },
        { label: '80 % of the total', data: labels.map(() => 0.8), reference: true },
      ],
      x: { format: 'share', title: 'share of accounts, largest first' },
      y: { format: 'share', title: `cumulative share of ${basis}`, min: 0, max: 1 },
      height: 280,
    },
    summary:
      `${formatCount(pareto.accountsFor80Percent)} of ${formatCount(pareto.rankedAccounts)} accounts ` +
      `(${formatShare(pareto.accountShareFor80Percent)}) make 80 % of TTM ${basis}; ` +
      `the top 20 % of accounts make ${formatShare(pareto.top20PercentShare)}.`,
    table: {
      caption: `Cumulative share of TTM ${basis} by share of accounts (every 10 %)`,
      columns: ['Share of accounts', `Cumulative share of ${basis}`],
      rows: tableRows.map(point => [formatShare(point.accountShare), formatShare(point.cumulativeShare)]),
      numeric: [0, 1],
    },
  };
}

/** The attractiveness × relationship matrix, key accounts and the others as two series. */
export function toMatrixChartData(portfolio: PortfolioData): ChartModel {
  const { selection } = portfolio;
  const toPoint = (point: PortfolioData['selection']['matrix'][number]) => ({
    x: point.relationshipStrength,
    y: point.attractiveness,
    label: point.name,
  });
  const keys = selection.matrix.filter(point => point.isKeyAccount);
  const others = selection.matrix.filter(point => !point.isKeyAccount);
  const counts = selection.quadrantCounts;
  return {
    spec: {
      kind: 'scatter',
      title: 'Attractiveness against relationship strength',
      labels: [],
      series: [
        { label: `Key accounts (${keys.length})`, points: keys.map(toPoint) },
        { label: `Other assessed accounts (${others.length})`, points: others.map(toPoint) },
      ],
      x: { format: 'score', title: 'relationship strength (0–100)', min: 0, max: 100 },
      y: { format: 'score', title: 'attractiveness (0–100)', min: 0, max: 100 },
      quadrants: {
        x: selection.relationshipThreshold,
        y: selection.attractivenessThreshold,
        topLeft: 'Develop',
        topRight: 'Key account',
        bottomLeft: 'Opportunistic',
        bottomRight: 'Maintain',
      },
      height: 380,
    },
    summary:
      `${formatCount(selection.matrix.length)} assessed accounts: ${formatCount(counts.KEY_ACCOUNT)} key account, ` +
      `${formatCount(counts.DEVELOP)} develop, ${formatCount(counts.MAINTAIN)} maintain, ` +
      `${formatCount(counts.OPPORTUNISTIC)} opportunistic (thresholds: attractiveness ` +
      `${formatScore(selection.attractivenessThreshold)}, relationship ${formatScore(selection.relationshipThreshold)}).`,
    table: {
      caption: 'Assessed accounts by quadrant',
      columns: ['Account', 'Attractiveness', 'Relationship strength', 'Quadrant', 'Key account'],
      rows: selection.matrix.map(point => [
        point.name,
        formatScore(point.attractiveness),
        formatScore(point.relationshipStrength),
        quadrantName(point.quadrant),
        point.isKeyAccount ? 'yes' : 'no',
      ]),
      numeric: [1, 2],
    },
  };
}

function quadrantName(quadrant: PortfolioData['selection']['matrix'][number]['quadrant']): string {
  return {
    KEY_ACCOUNT: 'Key account',
    DEVELOP: 'Develop',
    MAINTAIN: 'Maintain',
    OPPORTUNISTIC: 'Opportunistic',
  }[quadrant];
}

type SizeBand = PortfolioData['profitability']['bySize'][number];

const contributionMarginOf = (band: SizeBand) =>
  shownMargin(band.ttmContribution, band.ttmRevenue, band.contributionMargin);

/** Margin against size: revenue per size decile (bars) and margins (lines, right axis). */
export function toMarginBySizeChartData(portfolio: PortfolioData): ChartModel {
  const bands = portfolio.profitability.bySize;
  const currency = portfolio.currency;
  const largest = bands[0];
  const smallest = bands.at(-1);
  return {
    spec: {
      kind: 'bar',
      title: 'Margin against account size',
      labels: bands.map(band => `Decile ${band.decile}`),
      series: [
        { label: 'TTM revenue', data: bands.map(band => moneyToNumber(band.ttmRevenue)) },
        { label: 'Gross margin', data: bands.map(band => band.grossMargin), type: 'line', axis: 'y2' },
        {
          label: 'Contribution margin',
          data: bands.map(band => band.contributionMargin),
          type: 'line',
          axis: 'y2',
        },
      ],
      x: { format: 'count', title: 'size decile (1 = largest 10 % of active accounts)' },
      y: { format: 'money', title: `TTM revenue (${currency})`, currency, min: 0 },
      y2: { format: 'share', title: 'margin' },
      height: 300,
    },
    summary:
      largest && smallest
        ? `The largest 10 % of accounts earn a contribution margin of ${formatShare(contributionMarginOf(largest))}; ` +
          `the smallest 10 % earn ${formatShare(contributionMarginOf(smallest))}.`
        : 'No active accounts.',
    table: {
      caption: 'Active accounts in ten size bands, largest first',
      columns: [
        'Size decile',
        'Accounts',
        'TTM revenue',
        'Gross margin',
        'Contribution',
        'Contribution margin',
      ],
      rows: bands.map(band => [
        String(band.decile),
        formatCount(band.accounts),
        formatMoney(band.ttmRevenue, currency),
        formatShare(shownMargin(band.ttmGrossProfit, band.ttmRevenue, band.grossMargin)),
        formatMoney(band.ttmContribution, currency),
        formatShare(contributionMarginOf(band)),
      ]),
      numeric: [1, 2, 3, 4, 5],
    },
  };
}

/** Key accounts against the control group: year-on-year revenue growth per quarter. */
export function toGrowthComparisonChartData(portfolio: PortfolioData): ChartModel {
  const { growth } = portfolio;
  const groupGrowth = (group: PortfolioData['growth']['keyAccounts']) =>
    shownGrowth(group.ttmRevenue, group.priorTtmRevenue, group.revenueGrowth);
  const keyAccountGrowth = groupGrowth(growth.keyAccounts);
  const controlGroupGrowth = groupGrowth(growth.controlGroup);
  return {
    spec: {
      kind: 'line',
      title: 'Revenue growth: key accounts against the control group',
      labels: growth.trend.map(point => point.quarter),
      series: [
        { label: 'Key accounts', data: growth.trend.map(point => point.keyAccountGrowth) },
        { label: 'Control group (the rest)', data: growth.trend.map(point => point.controlGroupGrowth) },
      ],
      y: { format: 'growth', title: 'year-on-year TTM revenue growth' },
      height: 260,
    },
    summary:
      keyAccountGrowth == null && controlGroupGrowth == null
        ? 'No year-on-year growth yet: it compares the trailing four quarters with the four before, and the financial data does not hold both.'
        : `Key accounts ${yearOnYear(keyAccountGrowth)} year on year, the control group ` +
          `${yearOnYear(controlGroupGrowth)}` +
          // "n times the growth" only when both grew: with a shrinking group the ratio reads backwards.
          (growth.ratio != null &&
          (growth.keyAccounts.revenueGrowth ?? 0) > 0 &&
          (growth.controlGroup.revenueGrowth ?? 0) > 0
            ? `: ${growth.ratio.toFixed(2)} times the growth.`
            : '.'),
    table: {
      caption: 'Year-on-year TTM revenue growth by quarter',
      columns: ['Quarter', 'Key accounts', 'Control group'],
      rows: growth.trend.map(point => [
        point.quarter,
        formatGrowth(point.keyAccountGrowth),
        formatGrowth(point.controlGroupGrowth),
      ]),
      numeric: [1, 2],
    },
  };
}

/** A year-on-year change in words: "grew 11.2 %", "shrank 5.0 %", "held level", "had no figure". */
function yearOnYear(growth: number | null): string {
  if (growth == null) return 'had no figure';
  if (growth === 0) return 'held level';
  return `${growth > 0 ? 'grew' : 'shrank'} ${formatShare(Math.abs(growth))}`;
}

/**
 * Win rate of the bids decided in each quarter against its target line (80 % by default; none
 * when the target was cleared). Not the WIN_RATE KPI, which counts the trailing four quarters
 * (the summary gives it): titles, labels and headings say which is which.
 */
export function toWinRateChartData(portfolio: PortfolioData): ChartModel {
  const { winRate } = portfolio;
  const { target } = winRate;
  const kpiName = portfolio.kpis.find(kpi => kpi.code === 'WIN_RATE')?.name ?? 'Win rate';
  return {
    spec: {
      kind: 'line',
      title:
        target == null
          ? 'Win rate of the bids decided in each quarter'
          : 'Win rate of the bids decided in each quarter, against the target',
      labels: winRate.trend.map(point => point.quarter),
      series: [
        { label: 'Win rate, bids decided in the quarter', data: winRate.trend.map(point => point.rate) },
        ...(target == null
          ? []
          : [
              {
                label: `Target (${formatShare(target)})`,
                data: winRate.trend.map(() => target),
                reference: true,
              },
            ]),
      ],
      y: { format: 'share', title: 'won ÷ qualified bids decided in the quarter', min: 0, max: 1 },
      height: 240,
    },
    summary:
      `Win rate over the trailing four quarters (the ${kpiName} KPI): ${formatShare(winRate.rate)} ` +
      `(${formatCount(winRate.won)} won, ${formatCount(winRate.lost)} lost)` +
      (target == null ? '; no target is set' : ` against a target of ${formatShare(target)}`) +
      '; each quarter below counts only the bids decided in it.',
    table: {
      caption: 'Qualified bids decided in each quarter',
      columns: ['Quarter', 'Won in the quarter', 'Lost in the quarter', 'Win rate in the quarter'],
      rows: winRate.trend.map(point => [
        point.quarter,
        formatCount(point.won),
        formatCount(point.lost),
        formatShare(point.rate),
      ]),
      numeric: [1, 2, 3],
    },
  };
}

/** The key accounts' tier distribution per quarter, stacked from TIER_4 (price) to TIER_1. */
export function toTierDistributionChartData(portfolio: PortfolioData): ChartModel {
  const { distribution } = portfolio.journey;
  const last = distribution.at(-1);
  const series: SeriesSpec[] = VALUE_TIERS.map(tier => ({
    label: `${tierLabel(tier)}`,
    data: distribution.map(row => row[tier]),
  }));
  series.push({ label: 'Not assessed', data: distribution.map(row => row.unassessed) });
  return {
    spec: {
      kind: 'bar',
      title: 'Key accounts per value tier by quarter',
      labels: distribution.map(row => row.quarter),
      series,
      stacked: true,
      y: { format: 'count', title: 'key accounts', min: 0 },
      height: 300,
    },
    summary: last
      ? `In ${last.quarter}: ${VALUE_TIERS.map(tier => `${formatCount(last[tier])} at ${tierLabel(tier)}`).join(', ')}; ` +
        `${formatCount(last.unassessed)} not assessed.`
      : 'No tier assessments yet.',
    table: {
      caption: 'Key accounts per value tier by quarter',
      columns: ['Quarter', ...VALUE_TIERS.map(tierLabel), 'Not assessed'],
      rows: distribution.map(row => [
        row.quarter,
        ...VALUE_TIERS.map(tier => formatCount(row[tier])),
        formatCount(row.unassessed),
      ]),
      numeric: [1, 2, 3, 4, 5],
    },
  };
}

export function tierLabel(tier: (typeof VALUE_TIERS)[number]): string {
  return `Tier ${tier.slice(-1)}: ${VALUE_TIER_NAMES[tier]}`;
}

/** TIER_4 → 1 … TIER_1 → 4, so that progress goes up the chart. */
export function tierHeight(tier: (typeof VALUE_TIERS)[number] | null): number | null {
  return tier == null ? null : VALUE_TIERS.indexOf(tier) + 1;
}

type TierEntry = NonNullable<AccountData['tier']>['history'][number];

/**
 * One sentence on an account's way through the tiers over the quarters shown: where it came
 * from, or that it stayed, or that it came back after other tiers.
 */
export function tierJourneySummary(
  name: string,
  quarter: string,
  current: (typeof VALUE_TIERS)[number] | null,
  history: readonly TierEntry[],
): string {
  if (current == null) return `${name} has no tier assessment this quarter.`;
  const assessed = history.filter(entry => entry.tier != null && entry.quarter < quarter);
  const first = assessed[0];
  if (!first?.tier) return `${name} is at ${tierLabel(current)} in ${quarter}.`;
  if (first.tier !== current) {
    return `${name} moved from ${tierLabel(first.tier)} in ${first.quarter} to ${tierLabel(current)} in ${quarter}.`;
  }
  const between = [...new Set(assessed.map(entry => entry.tier!).filter(tier => tier !== current))];
  if (between.length === 0) {
    return `${name} has been at ${tierLabel(current)} in every assessed quarter from ${first.quarter} to ${quarter}.`;
  }
  return `${name} is at ${tierLabel(current)} in ${quarter}, as in ${first.quarter}, after ${between.map(tierLabel).join(' and ')} in between.`;
}

/** An account's value tier by quarter, with the team's evidence in the table. */
export function toTierTimelineChartData(account: AccountData): ChartModel {
  const history = account.tier?.history ?? [];
  const tickLabels = Object.fromEntries(VALUE_TIERS.map(tier => [tierHeight(tier), tierLabel(tier)]));
  const current = account.tier?.current ?? null;
  return {
    spec: {
      kind: 'line',
      title: `${account.name}: value tier by quarter`,
      labels: history.map(entry => entry.quarter),
      series: [{ label: 'Value tier', data: history.map(entry => tierHeight(entry.tier)), stepped: true }],
      y: { format: 'tier', title: 'value tier', min: 1, max: 4, tickLabels },
      height: 220,
    },
    summary: tierJourneySummary(account.name, account.quarter, current, history),
    table: {
      caption: 'Value tier and evidence by quarter',
      columns: ['Quarter', 'Tier', 'Evidence'],
      rows: history.map(entry => [
        entry.quarter,
        entry.tier ? tierLabel(entry.tier) : 'not assessed',
        entry.evidence ?? DASH,
      ]),
    },
  };
}

/** An account's revenue, gross profit and contribution by quarter. */
export function toProfitabilityTrendChartData(account: AccountData, currency: string): ChartModel {
  const quarters = account.financials;
  const { ttm } = account;
  const margin = shownMargin(ttm.contribution, ttm.revenue, ttm.contributionMargin);
  const growth = shownGrowth(ttm.revenue, ttm.priorRevenue, ttm.revenueGrowth);
  return {
    spec: {
      kind: 'bar',
      title: `${account.name}: revenue, gross profit and contribution by quarter`,
      labels: quarters.map(row => row.quarter),
      series: [
        { label: 'Revenue', data: quarters.map(row => moneyToNumber(row.revenue)) },
        { label: 'Gross profit', data: quarters.map(row => moneyToNumber(row.grossProfit)) },
        { label: 'Contribution', data: quarters.map(row => moneyToNumber(row.contribution)), type: 'line' },
      ],
      y: { format: 'money', title: currency, currency },
      height: 240,
    },
    summary:
      `TTM revenue ${formatMoney(ttm.revenue, currency)} (${growth == null ? 'no year-on-year comparison' : `${formatGrowth(growth)} year on year`}), ` +
      `contribution ${formatMoney(ttm.contribution, currency)}, a contribution margin of ${formatShare(margin)}.`,
    table: {
      caption: 'Revenue, gross profit, cost-to-serve and contribution by quarter',
      columns: ['Quarter', 'Revenue', 'Gross profit', 'Cost-to-serve', 'Contribution'],
      rows: quarters.map(row => [
        row.quarter,
        formatMoney(row.revenue, currency),
        formatMoney(row.grossProfit, currency),
        formatMoney(row.costToServe, currency),
        formatMoney(row.contribution, currency),
      ]),
      numeric: [1, 2, 3, 4],
    },
  };
}

/** Account health: what each component adds to the score, out of its weight. */
export function toHealthChartData(account: AccountData): ChartModel | null {
  const health = account.health;
  if (!health) return null;
  // A component without data adds nothing; its weight is shared among the others pro rata
  // (health.ts): contribution = value × effective weight ÷ 100, so the effective weight is the
  // most, as the domain rounds it (adding up to 100.0, never below a contribution).
  const most = effectiveWeights(health.components.map(c => ({ value: c.value ?? null, weight: c.weight })));
  return {
    spec: {
      kind: 'bar',
      title: `${account.name}: health components`,
      labels: health.components.map(component => component.label),
      series: [
        {
          label: 'Contribution to the score',
          data: health.components.map(component => component.contribution),
        },
        { label: 'Effective weight (the most it can add)', data: most },
      ],
      horizontal: true,
      y: { format: 'score', title: 'points of the health score', min: 0 },
      height: 260,
    },
    summary: `Health ${formatScore(health.score)} of 100 (${health.status.toLowerCase()}).`,
    table: {
      caption: 'Health components: value, weight and contribution',
      columns: ['Component', 'Value', 'Weight', 'Effective weight', 'Contribution', 'Why'],
      rows: health.components.map((component, index) => [
        component.label,
        formatScore(component.value),
        formatScore(component.weight),
        formatScore(most[index]),
        formatScore(component.contribution),
        component.explanation,
      ]),
      numeric: [1, 2, 3, 4],
    },
  };
}

/** A business unit's TTM revenue against the other units (the unit itself highlighted). */
export function toUnitComparisonChartData(portfolio: PortfolioData, code: string): ChartModel {
  const units = portfolio.businessUnits;
  const currency = portfolio.currency;
  const unit = units.find(candidate => candidate.code === code);
  const total = units.reduce((sum, candidate) => sum + (moneyToNumber(candidate.ttmRevenue) ?? 0), 0);
  const share = unit && total > 0 ? (moneyToNumber(unit.ttmRevenue) ?? 0) / total : null;
  return {
    spec: {
      kind: 'bar',
      title: 'TTM revenue by business unit',
      labels: units.map(candidate => candidate.name),
      series: [
        {
          label: 'TTM revenue',
          data: units.map(candidate => moneyToNumber(candidate.ttmRevenue)),
          highlight: units.findIndex(candidate => candidate.code === code),
        },
      ],
      horizontal: true,
      y: { format: 'money', title: `TTM revenue (${currency})`, currency, min: 0 },
      height: Math.max(160, 40 * units.length + 60),
    },
    summary: unit
      ? `${unit.name} made ${formatMoney(unit.ttmRevenue, currency)}, ${formatShare(share == null ? null : round(share))} of the units' TTM revenue.`
      : 'Unknown business unit.',
    table: {
      caption: 'TTM revenue by business unit',
      columns: ['Business unit', 'TTM revenue', 'Key accounts', 'Win rate'],
      rows: units.map(candidate => [
        candidate.code === code ? `${candidate.name} (this unit)` : candidate.name,
        formatMoney(candidate.ttmRevenue, currency),
        formatCount(candidate.keyAccounts),
        formatShare(candidate.winRate),
      ]),
      numeric: [1, 2, 3],
    },
  };
}

/**
 * A sparkline as an SVG path in a `width` × `height` box (y grows downwards); gaps (null)
 * break the line. Returns the path and the last point, for a marker.
 */
export function toSparklinePath(
  values: readonly (number | null)[],
  width = 120,
  height = 32,
  padding = 3,
): { path: string; last: { x: number; y: number } | null } {
  const known = values.filter((value): value is number => value != null);
  if (known.length === 0) return { path: '', last: null };
  const min = Math.min(...known);
  const max = Math.max(...known);
  const span = max - min || 1;
  const step = values.length > 1 ? (width - 2 * padding) / (values.length - 1) : 0;
  let path = '';
  let pen = false;
  let last: { x: number; y: number } | null = null;
  values.forEach((value, index) => {
    if (value == null) {
      pen = false;
      return;
    }
    const x = round(padding + index * step, 1);
    const y = round(
      max === min ? height / 2 : padding + (1 - (value - min) / span) * (height - 2 * padding),
      1,
    );
    path += `${pen ? 'L' : 'M'}${x} ${y} `;
    pen = true;
    last = { x, y };
  });
  return { path: path.trim(), last };
}
