import { describe, expect, it } from 'vitest';
import type { AccountData, KpiData, PortfolioData } from '../src/data/schemas.ts';
import {
  kpiMissingReasons,
  kpiNoValueReason,
  tierHeight,
  tierJourneySummary,
  toGrowthComparisonChartData,
  toHealthChartData,
  toKpiTrendChartData,
  toMarginBySizeChartData,
  toMatrixChartData,
  toParetoChartData,
  toProfitabilityTrendChartData,
  toPyramidChartData,
  toSparklinePath,
  toTierDistributionChartData,
  toTierTimelineChartData,
  toUnitComparisonChartData,
  toWinRateChartData,
} from '../src/lib/chart-data.ts';
import { seriesDrawOrder } from '../src/lib/chart-spec.ts';
import { axisTickPrecision, chartTooltipLabel, formatAxisTick, formatAxisTicks } from '../src/lib/format.ts';
import { loadFixture } from './support/fixture.ts';

const fixture = loadFixture();
const portfolio = fixture.portfolio as PortfolioData;
const firstKeyAccount = fixture.accounts.find(candidate => candidate.isKeyAccount) as AccountData;
const account = (patch: Partial<AccountData> = {}): AccountData => ({ ...firstKeyAccount, ...patch });

const kpi = (patch: Partial<KpiData> = {}): KpiData => ({
  code: 'WIN_RATE',
  name: 'Win rate',
  description: 'Won ÷ decided qualified bids',
  unit: 'PERCENT',
  direction: 'HIGHER_IS_BETTER',
  target: 80,
  baselineQuarter: '2026-Q1',
  baseline: 60,
  value: 72.5,
  delta: 12.5,
  improving: true,
  onTarget: false,
  trend: [
    { quarter: '2026-Q1', value: 60 },
    { quarter: '2026-Q2', value: null },
    { quarter: '2026-Q3', value: 72.5 },
  ],
  byBusinessUnit: [],
  detail: {},
  ...patch,
});

describe('toKpiTrendChartData', () => {
  it('draws the values, a target line at every quarter, and a table in the KPI unit', () => {
    const chart = toKpiTrendChartData(kpi(), 'EUR');
    expect(chart.spec.labels).toEqual(['2026-Q1', '2026-Q2', '2026-Q3']);
    expect(chart.spec.series[0]!.data).toEqual([60, null, 72.5]);
    expect(chart.spec.series[1]).toMatchObject({ reference: true, data: [80, 80, 80] });
    expect(chart.spec.y.format).toBe('percent-points');
    expect(chart.summary).toBe(
      'Win rate: 60.0\u00a0% in 2026-Q1, 72.5\u00a0% in 2026-Q3; target 80.0\u00a0%.',
    );
    expect(chart.table.rows).toEqual([
      ['2026-Q1', '60.0\u00a0%', '80.0\u00a0%'],
      ['2026-Q2', '–', '80.0\u00a0%'],
      ['2026-Q3', '72.5\u00a0%', '80.0\u00a0%'],
    ]);
  });

  it('lets the axis go below zero for a percentage KPI that can be negative', () => {
    // KEY_ACCOUNT_GROWTH is a PERCENT KPI: a shrinking year must not be cut off at 0 %.
    const growth = toKpiTrendChartData(
      kpi({
        code: 'KEY_ACCOUNT_GROWTH',
        target: 10,
        trend: [
          { quarter: '2026-Q1', value: 4 },
          { quarter: '2026-Q2', value: -3.5 },
          { quarter: '2026-Q3', value: 2 },
        ],
      }),
      'EUR',
    );
    expect(growth.spec.y.min).toBeUndefined();
    // Shares of a whole keep their zero line.
    expect(toKpiTrendChartData(kpi(), 'EUR').spec.y.min).toBe(0);
  });

  it('writes a score KPI on its axis with the two decimals of its table, and counts in whole numbers', () => {
    // Customer satisfaction 3.84 … 4.13 against 4.20: Chart.js ticks this 220 px axis every 0.05.
    const satisfaction = toKpiTrendChartData(
      kpi({
        code: 'CUSTOMER_SATISFACTION',
        name: 'Customer satisfaction',
        unit: 'SCORE',
        target: 4.2,
        trend: [
          { quarter: '2026-Q1', value: 3.84 },
          { quarter: '2026-Q2', value: 4.05 },
          { quarter: '2026-Q3', value: 4.13 },
        ],
      }),
      'EUR',
    );
    const ticks = [3.8, 3.85, 3.9, 3.95, 4, 4.05, 4.1, 4.15, 4.2].map(value =>
      formatAxisTick(value, satisfaction.spec.y),
    );
    // One label per tick: not "3.9, 3.9, 4, 4, 4.1, 4.1".
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks[1]).toBe('3.85');
    // The tooltip says what the table says.
    expect(satisfaction.table.rows[2]![1]).toBe('4.13');
    expect(chartTooltipLabel(satisfaction.spec, 0, { x: 2, y: 4.13 })).toBe('Customer satisfaction: 4.13');
    expect(chartTooltipLabel(satisfaction.spec, 0, { x: 1, y: 4.05 })).toBe('Customer satisfaction: 4.05');
    expect(axisTickPrecision(satisfaction.spec.y)).toBe(2);

    // Referrals 3 … 6: no tick at 3.5 referrals.
    const referrals = toKpiTrendChartData(kpi({ target: null, unit: 'COUNT' }), 'EUR');
    expect(axisTickPrecision(referrals.spec.y)).toBe(0);
    // Other scores (0–100) keep one decimal.
    expect(formatAxisTick(72.5, { format: 'score', title: '' })).toBe('72.5');
    expect(chartTooltipLabel(toMatrixChartData(portfolio).spec, 0, { x: 55, y: 72.44 }, { label: 'A' })).toBe(
      'A: relationship strength (0–100) 55.0; attractiveness (0–100) 72.4',
    );
  });

  it('writes a money KPI’s axis with one label per tick, however close its values', () => {
    // Customer lifetime value EUR 3.9m … 4.4m: Chart.js ticks the axis every EUR 50k.
    const clv = toKpiTrendChartData(
      kpi({
        code: 'CUSTOMER_LIFETIME_VALUE',
        name: 'Customer lifetime value',
        unit: 'MONEY',
        target: null,
        trend: [
          { quarter: '2026-Q2', value: 3_950_000 },
          { quarter: '2026-Q3', value: 4_099_106.69 },
        ],
      }),
      'EUR',
    );
    const values = [3.9e6, 3.95e6, 4e6, 4.05e6, 4.1e6, 4.15e6, 4.2e6, 4.25e6, 4.3e6, 4.35e6, 4.4e6];
    const ticks = formatAxisTicks(values, clv.spec.y);
    // Not "EUR 3.9m, EUR 4m, EUR 4m, EUR 4.1m, EUR 4.1m …".
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(ticks.slice(0, 4)).toEqual(['EUR 3.9m', 'EUR 3.95m', 'EUR 4m', 'EUR 4.05m']);
    // Ticks that differ as they are stay as short as before.
    const coarse = [0, 20e6, 40e6, 60e6];
    expect(formatAxisTicks(coarse, clv.spec.y)).toEqual(
      coarse.map(value => formatAxisTick(value, clv.spec.y)),
    );
    expect(formatAxisTicks([0.1, 0.12, 0.14], { format: 'share', title: '' })).toEqual([
      '10 %',
      '12 %',
      '14 %',
    ]);
    expect(formatAxisTicks([0.1, 0.1005, 0.101], { format: 'share', title: '' })).toEqual([
      '10 %',
      '10.05 %',
      '10.1 %',
    ]);
  });

  it('does not name the same quarter twice when only the latest has a value', () => {
    const growth = toKpiTrendChartData(
      kpi({
        code: 'KEY_ACCOUNT_GROWTH',
        name: 'Key account growth',
        target: 10,
        trend: [
          { quarter: '2026-Q1', value: null },
          { quarter: '2026-Q2', value: null },
          { quarter: '2026-Q3', value: 13.27 },
        ],
      }),
      'EUR',
    );
    expect(growth.summary).toBe(
      'Key account growth: 13.3\u00a0% in 2026-Q3, the first quarter with a value; target 10.0\u00a0%.',
    );
  });

  it('has no target line without a target', () => {
    const chart = toKpiTrendChartData(kpi({ target: null, unit: 'COUNT' }), 'EUR');
    expect(chart.spec.series).toHaveLength(1);
    expect(chart.table.rows[2]).toEqual(['2026-Q3', '73', '–']);
  });
});

describe('the two win-rate charts', () => {
  // performance.html draws each quarter's decided bids; trends.html the WIN_RATE KPI, which
  // counts the bids decided in the trailing four quarters: the two must not read as one series.
  it('says the performance chart counts each quarter alone, and the summary the trailing four quarters', () => {
    const chart = toWinRateChartData(portfolio);
    expect(chart.spec.title).toBe('Win rate of the bids decided in each quarter, against the target');
    expect(chart.spec.series[0]!.label).toBe('Win rate, bids decided in the quarter');
    expect(chart.spec.y.title).toBe('won ÷ qualified bids decided in the quarter');
    expect(chart.table.caption).toBe('Qualified bids decided in each quarter');
    expect(chart.table.columns).toEqual([
      'Quarter',
      'Won in the quarter',
      'Lost in the quarter',
      'Win rate in the quarter',
    ]);
    expect(chart.summary).toMatch(/^Win rate over the trailing four quarters \(the Win rate KPI\): /);
    expect(chart.summary).toContain('each quarter below counts only the bids decided in it');
  });

  it('says the KPI trend is over the trailing four quarters', () => {
    const chart = toKpiTrendChartData(kpi(), 'EUR');
    expect(chart.spec.title).toBe('Win rate over the trailing four quarters, by quarter');
    expect(chart.spec.series[0]!.label).toBe('Win rate, trailing four quarters');
    expect(chart.table.caption).toBe('Win rate over the trailing four quarters, by quarter');
    expect(chart.table.columns).toEqual(['Quarter', 'Win rate, trailing four quarters', 'Target']);
  });
});

describe('kpiMissingReasons', () => {
  const ratio = kpi({
    code: 'KEY_VS_CONTROL_GROWTH',
    name: 'Key accounts vs control group',
    unit: 'RATIO',
    target: null,
    trend: [
      { quarter: '2025-Q1', value: null },
      { quarter: '2025-Q2', value: null },
      { quarter: '2025-Q3', value: 2.5 },
      { quarter: '2025-Q4', value: null },
      { quarter: '2026-Q1', value: null },
    ],
  });
  const growth = [
    { quarter: '2025-Q1', keyAccountGrowth: null, controlGroupGrowth: null },
    { quarter: '2025-Q2', keyAccountGrowth: null, controlGroupGrowth: 0.04 },
    { quarter: '2025-Q3', keyAccountGrowth: 0.1, controlGroupGrowth: 0.04 },
    { quarter: '2025-Q4', keyAccountGrowth: 0.12, controlGroupGrowth: -0.021 },
    { quarter: '2026-Q1', keyAccountGrowth: 0.08, controlGroupGrowth: 0 },
  ];

  it('gives each quarter without a key-vs-control ratio its own reason', () => {
    const reasons = kpiMissingReasons(ratio, growth);
    expect([...reasons]).toEqual([
      ['2025-Q1', 'the financial data does not hold the year before'],
      ['2025-Q2', 'the key accounts had no revenue the year before'],
      ['2025-Q4', 'the control group did not grow (−2.1\u00a0%)'],
      ['2026-Q1', 'the control group did not grow (0.0\u00a0%)'],
    ]);
  });

  it('writes the reason beside the dash in the trend table', () => {
    const chart = toKpiTrendChartData(ratio, 'EUR', kpiMissingReasons(ratio, growth));
    expect(chart.table.columns).toEqual([
      'Quarter',
      'Key accounts vs control group',
      'Target',
      'Why no value',
    ]);
    expect(chart.table.rows[3]).toEqual([
      '2025-Q4',
      '–',
      '–',
      'the control group did not grow (−2.1\u00a0%)',
    ]);
    expect(chart.table.rows[2]).toEqual(['2025-Q3', '2.50×', '–', '']);
  });

  it('gives no reasons for other KPIs, and no extra column without reasons', () => {
    expect(kpiMissingReasons(kpi(), growth).size).toBe(0);
    expect(toKpiTrendChartData(kpi(), 'EUR').table.columns).toHaveLength(3);
  });
});

describe('a KPI trend without any value', () => {
  const empty = (patch: Partial<KpiData>) =>
    kpi({
      value: null,
      baseline: null,
      delta: null,
      improving: null,
      onTarget: null,
      trend: [
        { quarter: '2026-Q1', value: null },
        { quarter: '2026-Q2', value: null },
      ],
      ...patch,
    });
  const retention = empty({ code: 'CUSTOMER_RETENTION', name: 'Customer retention' });
  const noYearBefore = [
    { quarter: '2026-Q1', keyAccountGrowth: null, controlGroupGrowth: null },
    { quarter: '2026-Q2', keyAccountGrowth: null, controlGroupGrowth: null },
  ];

  it('says a computed KPI could not be computed yet, and why when the snapshot tells', () => {
    expect(kpiNoValueReason(retention, noYearBefore)).toBe(
      'the financial data does not hold the year before',
    );
    expect(
      toKpiTrendChartData(retention, 'EUR', new Map(), kpiNoValueReason(retention, noYearBefore)).summary,
    ).toBe(
      'Customer retention: no value could be computed yet (the financial data does not hold the year before).',
    );
    // The growth of 2026-Q2 is known, so the year before is in the data: the snapshot does not say why.
    const grown = [noYearBefore[0]!, { quarter: '2026-Q2', keyAccountGrowth: 0.1, controlGroupGrowth: 0.04 }];
    expect(kpiNoValueReason(retention, grown)).toBeNull();
    expect(toKpiTrendChartData(retention, 'EUR').summary).toBe(
      'Customer retention: no value yet for these quarters.',
    );
  });

  it('gives the key-vs-control ratio its one reason when every quarter has the same', () => {
    const ratio = empty({
      code: 'KEY_VS_CONTROL_GROWTH',
      name: 'Key accounts vs control group',
      unit: 'RATIO',
    });
    const shrank = [
      { quarter: '2026-Q1', keyAccountGrowth: 0.1, controlGroupGrowth: -0.02 },
      { quarter: '2026-Q2', keyAccountGrowth: 0.1, controlGroupGrowth: -0.02 },
    ];
    expect(kpiNoValueReason(ratio, noYearBefore)).toBe('the financial data does not hold the year before');
    expect(kpiNoValueReason(ratio, shrank)).toBe('the control group did not grow (−2.0\u00a0%)');
    expect(kpiNoValueReason(ratio, [noYearBefore[0]!, shrank[1]!])).toBeNull();
  });

  it('says of a measured KPI that no values were recorded', () => {
    const satisfaction = empty({
      code: 'CUSTOMER_SATISFACTION',
      name: 'Customer satisfaction',
      unit: 'SCORE',
    });
    expect(kpiNoValueReason(satisfaction, noYearBefore)).toBeNull();
    expect(toKpiTrendChartData(satisfaction, 'EUR').summary).toBe(
      'Customer satisfaction: no values recorded.',
    );
    const share = empty({ code: 'MARKET_SHARE', name: 'Market share' });
    expect(toKpiTrendChartData(share, 'EUR').summary).toBe('Market share: no values recorded.');
  });
});

describe('portfolio charts', () => {
  it('puts the pyramid top level first, with its revenue share', () => {
    const chart = toPyramidChartData(portfolio);
    expect(chart.spec.labels[0]).toBe('Key account');
    expect(chart.spec.labels.at(-1)).toBe('Suspect');
    expect(chart.spec.series[0]!.data![0]).toBe(portfolio.totals.keyAccounts);
    expect(chart.table.rows).toHaveLength(7);
  });

  it('states the Pareto figures and tables the curve every 10\u00a0% of accounts', () => {
    const chart = toParetoChartData({
      ...portfolio,
      pareto: {
        basis: 'REVENUE',
        total: '1000.00',
        rankedAccounts: 10,
        accountsFor80Percent: 3,
        accountShareFor80Percent: 0.3,
        top20PercentShare: 0.65,
        curve: [
          { accountShare: 0, cumulativeShare: 0 },
          { accountShare: 0.05, cumulativeShare: 0.2 },
          { accountShare: 0.1, cumulativeShare: 0.35 },
          { accountShare: 0.2, cumulativeShare: 0.65 },
          { accountShare: 1, cumulativeShare: 1 },
        ],
      },
    });
    expect(chart.summary).toBe(
      '3 of 10 accounts (30.0\u00a0%) make 80 % of TTM revenue; the top 20 % of accounts make 65.0\u00a0%.',
    );
    // 0.05 is not a multiple of 10\u00a0%: left out of the table, kept in the curve.
    expect(chart.table.rows.map(row => row[0])).toEqual([
      '0.0\u00a0%',
      '10.0\u00a0%',
      '20.0\u00a0%',
      '100.0\u00a0%',
    ]);
    expect(chart.spec.series[0]!.data).toHaveLength(5);
    expect(chart.spec.series[1]).toMatchObject({ reference: true });
  });

  it('splits the matrix into key accounts and the others, with the thresholds', () => {
    const chart = toMatrixChartData(portfolio);
    const keys = portfolio.selection.matrix.filter(point => point.isKeyAccount).length;
    expect(chart.spec.series[0]!.points).toHaveLength(keys);
    expect(chart.spec.series[1]!.points).toHaveLength(portfolio.selection.matrix.length - keys);
    expect(chart.spec.quadrants).toMatchObject({ x: 60, y: 60, topRight: 'Key account' });
    expect(chart.table.rows).toHaveLength(portfolio.selection.matrix.length);
  });

  it('charts margin against size with margins on the right axis', () => {
    const chart = toMarginBySizeChartData(portfolio);
    expect(chart.spec.labels).toHaveLength(10);
    expect(chart.spec.series.map(series => series.axis ?? 'y')).toEqual(['y', 'y2', 'y2']);
    expect(chart.spec.series[0]!.data![0]).toBe(Number(portfolio.profitability.bySize[0]!.ttmRevenue));
  });

  it('compares key-account growth with the control group', () => {
    const chart = toGrowthComparisonChartData(portfolio);
    // 0.112 ÷ 0.041 = 2.7317… → "2.73 times"
    expect(chart.summary).toBe(
      'Key accounts grew 11.2\u00a0% year on year, the control group grew 4.1\u00a0%: 2.73 times the growth.',
    );
    // Without the whole prior year in the data the snapshot has no growth rates: said, not "grew –".
    const withoutPriorYear = {
      ...portfolio,
      growth: {
        ...portfolio.growth,
        ratio: null,
        keyAccounts: { ...portfolio.growth.keyAccounts, revenueGrowth: null },
        controlGroup: { ...portfolio.growth.controlGroup, revenueGrowth: null },
      },
    };
    expect(toGrowthComparisonChartData(withoutPriorYear).summary).toBe(
      'No year-on-year growth yet: it compares the trailing four quarters with the four before, and the financial data does not hold both.',
    );
  });

  it('writes band margins and group growth from the amounts, not the stored ratios rounded again', () => {
    const [first, ...rest] = portfolio.profitability.bySize;
    const band = {
      ...first!,
      ttmRevenue: '100000.00',
      ttmGrossProfit: '30049.00', // 30.049 %, stored 0.3005 (which read 30.1 %)
      ttmContribution: '21447.00', // 21.447 %, stored 0.2145 (which read 21.5 %)
      grossMargin: 0.3005,
      contributionMargin: 0.2145,
    };
    const chart = toMarginBySizeChartData({
      ...portfolio,
      profitability: { ...portfolio.profitability, bySize: [band, ...rest] },
    });
    expect(chart.table.rows[0]![3]).toBe('30.0\u00a0%');
    expect(chart.table.rows[0]![5]).toBe('21.4\u00a0%');
    expect(chart.summary).toMatch(
      /^The largest 10 % of accounts earn a contribution margin of 21\.4\u00a0%;/,
    );
    const growth = toGrowthComparisonChartData({
      ...portfolio,
      growth: {
        ...portfolio.growth,
        ratio: 1,
        // (107546 − 100000) ÷ 100000 = 7.546 %, stored 0.0755
        keyAccounts: {
          ...portfolio.growth.keyAccounts,
          ttmRevenue: '107546.00',
          priorTtmRevenue: '100000.00',
          revenueGrowth: 0.0755,
        },
        controlGroup: {
          ...portfolio.growth.controlGroup,
          ttmRevenue: '107546.00',
          priorTtmRevenue: '100000.00',
          revenueGrowth: 0.0755,
        },
      },
    });
    expect(growth.summary).toBe(
      'Key accounts grew 7.5\u00a0% year on year, the control group grew 7.5\u00a0%: 1.00 times the growth.',
    );
  });

  it('does not call a shrinking group "n times the growth"', () => {
    const withGrowth = (key: number | null, control: number | null, ratio: number | null) =>
      toGrowthComparisonChartData({
        ...portfolio,
        growth: {
          ...portfolio.growth,
          ratio,
          keyAccounts: { ...portfolio.growth.keyAccounts, ...revenues(key), revenueGrowth: key },
          controlGroup: { ...portfolio.growth.controlGroup, ...revenues(control), revenueGrowth: control },
        },
      }).summary;
    // The amounts behind a growth: the pages write it from them.
    const revenues = (growth: number | null) => ({
      ttmRevenue: (100_000 * (1 + (growth ?? 0))).toFixed(2),
      priorTtmRevenue: '100000.00',
    });
    // Both shrank, the key accounts twice as fast: the ratio is 2, but that is no growth.
    expect(withGrowth(-0.1, -0.05, 2)).toBe(
      'Key accounts shrank 10.0\u00a0% year on year, the control group shrank 5.0\u00a0%.',
    );
    expect(withGrowth(0.1, -0.05, -2)).toBe(
      'Key accounts grew 10.0\u00a0% year on year, the control group shrank 5.0\u00a0%.',
    );
    expect(withGrowth(0.1, 0.05, 2)).toBe(
      'Key accounts grew 10.0\u00a0% year on year, the control group grew 5.0\u00a0%: 2.00 times the growth.',
    );
    // One group without a figure (no prior year for it): said, not "grew –".
    expect(withGrowth(0, null, null)).toBe(
      'Key accounts held level year on year, the control group had no figure.',
    );
  });

  it('tables the Pareto curve near every 10\u00a0% of accounts when there are few accounts', () => {
    // Seven ranked accounts: the curve has a point per account (0, 1/7, 2/7 … 1); none of them
    // but the ends falls on a multiple of 10 %, yet the table must still show the curve.
    const n = 7;
    const curve = Array.from({ length: n + 1 }, (_, k) => ({
      accountShare: Math.round((k / n) * 10_000) / 10_000,
      cumulativeShare: Math.round(Math.sqrt(k / n) * 10_000) / 10_000,
    }));
    const chart = toParetoChartData({
      ...portfolio,
      pareto: {
        basis: 'REVENUE',
        total: '1000.00',
        rankedAccounts: n,
        accountsFor80Percent: 5,
        accountShareFor80Percent: 0.7143,
        top20PercentShare: 0.5345,
        curve,
      },
    });
    expect(chart.table.rows.map(row => row[0])).toEqual(
      curve.map(point => `${(point.accountShare * 100).toFixed(1)}\u00a0%`),
    );
  });

  it('draws the win rate against its 80\u00a0% line', () => {
    const chart = toWinRateChartData(portfolio);
    expect(chart.spec.series[1]!.data!.every(value => value === 0.8)).toBe(true);
    expect(chart.spec.series[1]!.label).toBe('Target (80.0\u00a0%)');
    expect(chart.spec.y).toMatchObject({ format: 'share', min: 0, max: 1 });
  });

  it('draws no target line when the target was cleared, and says there is none', () => {
    const chart = toWinRateChartData({ ...portfolio, winRate: { ...portfolio.winRate, target: null } });
    expect(chart.spec.series.map(series => series.label)).toEqual(['Win rate, bids decided in the quarter']);
    expect(chart.spec.title).toBe('Win rate of the bids decided in each quarter');
    expect(chart.summary).toMatch(
      /lost\); no target is set; each quarter below counts only the bids decided in it\.$/,
    );
    expect(chart.summary).not.toContain('80');
  });

  it('stacks the tier distribution from tier 4 to tier 1, then the unassessed', () => {
    const chart = toTierDistributionChartData({
      ...portfolio,
      journey: {
        distribution: [{ quarter: '2026-Q3', TIER_4: 5, TIER_3: 4, TIER_2: 2, TIER_1: 1, unassessed: 3 }],
        transitions: [],
        progressed: 0,
        regressed: 0,
      },
    });
    expect(chart.spec.stacked).toBe(true);
    expect(chart.spec.series.map(series => series.data![0])).toEqual([5, 4, 2, 1, 3]);
    expect(chart.summary).toBe(
      'In 2026-Q3: 5 at Tier 4: Price, 4 at Tier 3: Differentiator, 2 at Tier 2: Value add, 1 at Tier 1: Mutual benefit; 3 not assessed.',
    );
  });

  it('highlights the business unit a page is about', () => {
    const chart = toUnitComparisonChartData(portfolio, 'DACH');
    expect(chart.spec.series[0]!.highlight).toBe(1);
    expect(chart.table.rows[1]![0]).toBe('DACH (this unit)');
  });
});

describe('account charts', () => {
  it('maps tiers so that progress goes up', () => {
    expect([tierHeight('TIER_4'), tierHeight('TIER_3'), tierHeight('TIER_2'), tierHeight('TIER_1')]).toEqual([
      1, 2, 3, 4,
    ]);
    expect(tierHeight(null)).toBeNull();
  });

  it('draws the tier timeline with the evidence in the table', () => {
    const chart = toTierTimelineChartData(
      account({
        name: 'Acme',
        quarter: '2026-Q3',
        tier: {
          current: 'TIER_2',
          evidence: 'Shared service desk',
          suggested: null,
          history: [
            { quarter: '2026-Q1', tier: 'TIER_4', evidence: null },
            { quarter: '2026-Q2', tier: null, evidence: null },
            { quarter: '2026-Q3', tier: 'TIER_2', evidence: 'Shared service desk' },
          ],
        },
      }),
    );
    expect(chart.spec.series[0]!.data).toEqual([1, null, 3]);
    expect(chart.spec.y.tickLabels?.[4]).toBe('Tier 1: Mutual benefit');
    expect(chart.summary).toBe('Acme moved from Tier 4: Price in 2026-Q1 to Tier 2: Value add in 2026-Q3.');
    expect(chart.table.rows[1]).toEqual(['2026-Q2', 'not assessed', '–']);
  });

  it('says whether an account moved, stayed or came back to its tier', () => {
    const at = (quarter: string, tier: 'TIER_1' | 'TIER_2' | 'TIER_3' | 'TIER_4' | null) => ({
      quarter,
      tier,
      evidence: null,
    });
    expect(
      tierJourneySummary('Acme', '2026-Q3', 'TIER_3', [
        at('2026-Q1', 'TIER_3'),
        at('2026-Q2', null),
        at('2026-Q3', 'TIER_3'),
      ]),
    ).toBe('Acme has been at Tier 3: Differentiator in every assessed quarter from 2026-Q1 to 2026-Q3.');
    expect(
      tierJourneySummary('Acme', '2026-Q3', 'TIER_3', [
        at('2025-Q4', 'TIER_3'),
        at('2026-Q1', 'TIER_2'),
        at('2026-Q2', 'TIER_4'),
        at('2026-Q3', 'TIER_3'),
      ]),
    ).toBe(
      'Acme is at Tier 3: Differentiator in 2026-Q3, as in 2025-Q4, after Tier 2: Value add and Tier 4: Price in between.',
    );
    // Assessed for the first time this quarter: no journey yet.
    expect(
      tierJourneySummary('Acme', '2026-Q3', 'TIER_2', [at('2026-Q2', null), at('2026-Q3', 'TIER_2')]),
    ).toBe('Acme is at Tier 2: Value add in 2026-Q3.');
    expect(tierJourneySummary('Acme', '2026-Q3', null, [at('2026-Q3', null)])).toBe(
      'Acme has no tier assessment this quarter.',
    );
  });

  it('turns money strings into numbers for the profitability chart only', () => {
    const chart = toProfitabilityTrendChartData(
      account({
        financials: [
          {
            quarter: '2026-Q3',
            revenue: '1000.50',
            grossProfit: '300.25',
            costToServe: '100.00',
            contribution: '200.25',
          },
        ],
      }),
      'EUR',
    );
    expect(chart.spec.series.map(series => series.data![0])).toEqual([1000.5, 300.25, 200.25]);
    expect(chart.table.rows[0]).toEqual([
      '2026-Q3',
      'EUR\u00a01,001',
      'EUR\u00a0300',
      'EUR\u00a0100',
      'EUR\u00a0200',
    ]);
    const ttm = account().ttm;
    expect(
      toProfitabilityTrendChartData(
        account({ ttm: { ...ttm, revenue: '1000', priorRevenue: '800.00', revenueGrowth: 0.25 } }),
        'EUR',
      ).summary,
    ).toMatch(/^TTM revenue EUR\u00a01,000 \(\+25\.0\u00a0% year on year\), /);
    expect(
      toProfitabilityTrendChartData(account({ ttm: { ...ttm, revenue: '1000', revenueGrowth: null } }), 'EUR')
        .summary,
    ).toMatch(/^TTM revenue EUR\u00a01,000 \(no year-on-year comparison\), /);
  });

  it('writes the margin and growth from the amounts, not the stored 4-decimal ratios rounded again', () => {
    const ttm = {
      ...account().ttm,
      revenue: '100000.00',
      contribution: '21447.00', // 21447 ÷ 100000 = 21.447 %, stored 0.2145
      contributionMargin: 0.2145,
      priorRevenue: '92929.00', // (100000 − 92929) ÷ 92929 = 7.6091… %, stored 0.0761
      revenueGrowth: 0.0761,
    };
    expect(toProfitabilityTrendChartData(account({ ttm }), 'EUR').summary).toBe(
      'TTM revenue EUR\u00a0100,000 (+7.6\u00a0% year on year), contribution EUR\u00a021,447, a contribution margin of 21.4\u00a0%.',
    );
    // (107546 − 100000) ÷ 100000 = 7.546 %, stored 0.0755 (which read +7.6 %)
    const growing = { ...ttm, revenue: '107546.00', priorRevenue: '100000.00', revenueGrowth: 0.0755 };
    expect(toProfitabilityTrendChartData(account({ ttm: growing }), 'EUR').summary).toMatch(
      /^TTM revenue EUR\u00a0107,546 \(\+7\.5\u00a0% year on year\), /,
    );
  });

  it('explains health by component, or draws nothing without a score', () => {
    const chart = toHealthChartData(account());
    if (!chart) throw new Error('expected a health chart');
    expect(chart.table.columns).toEqual([
      'Component',
      'Value',
      'Weight',
      'Effective weight',
      'Contribution',
      'Why',
    ]);
    expect(chart.spec.series[0]?.data).toEqual(
      account().health!.components.map(component => component.contribution),
    );
    expect(toHealthChartData(account({ health: null }))).toBeNull();
  });

  it('draws the most each health component can add with the weight of a component without data shared out', () => {
    // Satisfaction has no data: its 20 points go to the others pro rata (health.ts), so
    // relationship strength (weight 40 of the 80 left) can add 50 points, not 40.
    const chart = toHealthChartData(
      account({
        health: {
          score: 75,
          status: 'GREEN',
          components: [
            {
              key: 'relationshipStrength',
              label: 'Relationship',
              value: 100,
              weight: 40,
              contribution: 50,
              explanation: '',
            },
            {
              key: 'satisfaction',
              label: 'Satisfaction',
              value: null,
              weight: 20,
              contribution: 0,
              explanation: '',
            },
            {
              key: 'planFreshness',
              label: 'Plan',
              value: 62.5,
              weight: 40,
              contribution: 25,
              explanation: '',
            },
          ],
        },
      }),
    );
    if (!chart) throw new Error('expected a health chart');
    const most = chart.spec.series[1]!;
    expect(most.label).toBe('Effective weight (the most it can add)');
    expect(most.data).toEqual([50, 0, 50]);
    expect(chart.table.rows.map(row => row.slice(2, 5))).toEqual([
      ['40.0', '50.0', '50.0'],
      ['20.0', '0.0', '0.0'],
      ['40.0', '50.0', '25.0'],
    ]);
    // Every contribution fits within the most it can add.
    chart.spec.series[0]!.data!.forEach((contribution, index) => {
      expect(contribution!).toBeLessThanOrEqual(most.data![index]!);
    });
  });

  it('shows the effective weights as the domain rounds them: adding up to 100.0', () => {
    // Weights 20, 20, 15, 15, 15 of 85, each rounded alone, were 23.5, 23.5, 17.6 × 3 (99.8), and a
    // component at 100 contributing its 17.7 showed above the most it could add.
    const weights = [20, 20, 15, 15, 15];
    const chart = toHealthChartData(
      account({
        health: {
          score: 100,
          status: 'GREEN',
          components: weights.map((weight, i) => ({
            key: (
              [
                'relationshipStrength',
                'stakeholderCoverage',
                'planFreshness',
                'provenValue',
                'satisfaction',
              ] as const
            )[i]!,
            label: `C${i}`,
            value: 100,
            weight,
            contribution: [23.5, 23.5, 17.7, 17.7, 17.6][i]!,
            explanation: '',
          })),
        },
      }),
    );
    expect(chart?.spec.series[1]?.data).toEqual([23.5, 23.5, 17.7, 17.7, 17.6]);
  });
});

describe('seriesDrawOrder', () => {
  it('draws the lines of a bar chart over its bars, so no bar hides a line point', () => {
    // Chart.js draws the dataset with the lowest order last (on top). Decile 1's margins sit
    // at the height of its revenue bar: drawn underneath, the figure the summary cites is hidden.
    const charts = [
      toMarginBySizeChartData(portfolio).spec,
      toProfitabilityTrendChartData(account(), 'EUR').spec,
    ];
    for (const spec of charts) {
      const orders = spec.series.map((_, index) => seriesDrawOrder(spec, index));
      const lines = orders.filter((_, index) => spec.series[index]!.type === 'line');
      const bars = orders.filter((_, index) => spec.series[index]!.type !== 'line');
      expect(lines.length).toBeGreaterThan(0);
      expect(Math.max(...lines)).toBeLessThan(Math.min(...bars));
    }
  });

  it('keeps the series order among bars (the stacking order) and draws reference lines on top', () => {
    const tiers = toTierDistributionChartData(portfolio).spec;
    const orders = tiers.series.map((_, index) => seriesDrawOrder(tiers, index));
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    expect(new Set(orders).size).toBe(orders.length);
    const winRate = toWinRateChartData(portfolio).spec;
    expect(seriesDrawOrder(winRate, 1)).toBeLessThan(seriesDrawOrder(winRate, 0));
  });
});

describe('toSparklinePath', () => {
  it('scales the values into the box and breaks the line at gaps', () => {
    // width 120, height 32, padding 3: x steps of (120 − 6) ÷ 3 = 38; y from 29 (min) to 3 (max).
    const { path, last } = toSparklinePath([0, 10, null, 5]);
    expect(path).toBe('M3 29 L41 3 M117 16');
    expect(last).toEqual({ x: 117, y: 16 });
  });

  it('draws a flat line through the middle when all values are equal, nothing without values', () => {
    expect(toSparklinePath([2, 2]).path).toBe('M3 16 L117 16');
    expect(toSparklinePath([null, null])).toEqual({ path: '', last: null });
  });
});
