import { describe, expect, it } from 'vitest';
import { keyAccountSortKeys } from '../src/data/key-account-row.ts';
import { businessUnitNamer, teamInRoleOrder } from '../src/data/vocabulary.ts';
import {
  chartTooltipLabel,
  fixedFormat,
  flagMessageParts,
  formatAxisValue,
  formatDate,
  formatGrowth,
  formatKpiDelta,
  formatKpiValue,
  formatMoney,
  formatScore,
  formatShare,
  formatShownKpiDelta,
  kpiDetailRows,
  shareOfTarget,
  shownGrowth,
  shownKpiDelta,
  shownMargin,
  targetSummary,
} from '../src/lib/format.ts';
import { compareCells, rowMatchesFilter } from '../src/lib/sort.ts';

describe('number formatting', () => {
  it('writes figures as en-GB does: grouped by threes, rounded half away from zero', () => {
    expect(formatMoney('1234567.50', 'EUR')).toBe('EUR\u00a01,234,568');
    expect(formatMoney('-999.49', 'EUR')).toBe('EUR\u00a0-999');
    // Half a unit rounds away from zero on both sides of it (a negative contribution too).
    expect(formatMoney('1234.50', 'EUR')).toBe('EUR\u00a01,235');
    expect(formatMoney('-1234.50', 'EUR')).toBe('EUR\u00a0-1,235');
    expect(formatMoney('-0.50', 'EUR')).toBe('EUR\u00a0-1');
    expect(formatShare(0.81234)).toBe('81.2\u00a0%');
    // 1234.55 is stored as 1234.5499999…; Intl (ICU) rounds its shortest form "1234.55" up.
    expect(fixedFormat(1)(1234.55)).toBe('1,234.6');
    expect(fixedFormat(2)(-0.004)).toBe('-0.00');
    expect(fixedFormat(0)(999_999.5)).toBe('1,000,000');
    expect(formatScore(63.45)).toBe('63.5');
  });

  it('writes a 0–1 share or growth as the percentage the KPI cards show for the same figure', () => {
    // 2025-Q4 of the demo: key accounts grew 0.0905 (growth.keyAccounts.revenueGrowth), the
    // KEY_ACCOUNT_GROWTH KPI is 9.05 (%): the card shows 9.1 %, so must the growth page.
    // 0.0905 × 100 is 9.049999999999999 in binary floating point and was written 9.0 %.
    expect(formatKpiValue(9.05, 'PERCENT', 'EUR')).toBe('9.1\u00a0%');
    expect(formatGrowth(0.0905)).toBe('+9.1\u00a0%');
    expect(formatGrowth(-0.0905)).toBe('−9.1\u00a0%');
    expect(formatShare(0.0905)).toBe('9.1\u00a0%');
    expect(formatAxisValue(0.0905, { title: 'Growth', format: 'growth' })).toBe('+9.1\u00a0%');
    // Every 4-decimal share is written as its percentage with 2 decimals is.
    for (let tenThousandths = 0; tenThousandths <= 10_000; tenThousandths += 1) {
      const share = tenThousandths / 10_000;
      expect(formatShare(share)).toBe(formatKpiValue(tenThousandths / 100, 'PERCENT', 'EUR'));
    }
  });

  it('matches Intl.NumberFormat for every kind of number the reports show', () => {
    const samples: number[] = [
      0, -0, 0.5, -0.5, 2.5, 0.045, 0.05, 9.995, 99.95, 999.95, 1e-7, 123_456_789_012.345,
    ];
    // A fixed pseudo-random sequence (a linear congruential generator), so a failure repeats.
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let index = 0; index < 20_000; index++) {
      const magnitude = 10 ** Math.floor(next() * 13);
      samples.push((next() - 0.5) * magnitude, Math.round((next() - 0.5) * magnitude * 1000) / 1000);
      samples.push(Math.round(next() * 200_000) / 200, Math.round(next() * 10_000) / 100);
    }
    for (const digits of [0, 1, 2] as const) {
      const intl = new Intl.NumberFormat('en-GB', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      const fast = fixedFormat(digits);
      const differing = samples.filter(value => fast(value) !== intl.format(value));
      expect(differing.map(value => [value, fast(value), intl.format(value)])).toEqual([]);
    }
  });

  it('writes dates as "31 Mar 2026", the same on every call', () => {
    expect(formatDate('2026-03-31')).toBe('31 Mar 2026');
    expect(formatDate('2026-03-31')).toBe('31 Mar 2026');
    expect(formatDate(null)).toBe('–');
  });
});

describe('KPI detail', () => {
  it('labels each figure and writes it in its kind: money, count, share, growth, years', () => {
    expect(
      kpiDetailRows(
        {
          code: 'KEY_ACCOUNT_GROWTH',
          detail: { grossProfitGrowth: 13.52, priorRevenue: '746023532.72', revenue: '843095875.40' },
        },
        'EUR',
      ),
    ).toEqual([
      ['Key accounts’ revenue, trailing four quarters', 'EUR\u00a0843,095,875'],
      ['The four quarters before', 'EUR\u00a0746,023,533'],
      ['Gross profit growth', '+13.5\u00a0%'],
    ]);
    expect(
      kpiDetailRows(
        {
          code: 'CUSTOMER_LIFETIME_VALUE',
          detail: { activeAccounts: 1900, expectedLifetimeYears: 13.86, meanAnnualGrossProfit: '382487.87' },
        },
        'EUR',
      ),
    ).toEqual([
      ['Active accounts', '1,900'],
      ['Mean annual gross profit', 'EUR\u00a0382,488'],
      ['Expected lifetime', '13.9\u00a0years'],
    ]);
    expect(
      kpiDetailRows(
        { code: 'KEY_VS_CONTROL_GROWTH', detail: { keyAccountGrowth: 0.13, controlGroupGrowth: -0.02 } },
        'EUR',
      ),
    ).toEqual([
      ['Key accounts’ revenue growth', '+13.0\u00a0%'],
      ['Control group’s revenue growth', '−2.0\u00a0%'],
    ]);
    expect(
      kpiDetailRows({ code: 'POSITIVE_FEEDBACK', detail: { regularity: 0.25, positive: 3 } }, 'EUR'),
    ).toEqual([
      ['Positive feedback', '3'],
      ['Regularity (their share)', '25.0\u00a0%'],
    ]);
  });

  it('shows markets by name, withheld figures as a dash, and fields it does not know spelt out', () => {
    expect(kpiDetailRows({ code: 'MARKET_SHARE', detail: { DACH: 12.5, Nordics: 7.25 } }, 'EUR')).toEqual([
      ['DACH', '12.5\u00a0%'],
      ['Nordics', '7.3\u00a0%'],
    ]);
    expect(
      kpiDetailRows(
        { code: 'CUSTOMER_RETENTION', detail: { activeYearEarlier: null, retained: null } },
        'EUR',
      ),
    ).toEqual([
      ['Accounts active a year earlier', '–'],
      ['Of them still active', '–'],
    ]);
    expect(
      kpiDetailRows({ code: 'REFERRALS', detail: { count: 2, newFieldOfTheDomain: 1.5 } }, 'EUR'),
    ).toEqual([
      ['Referrals', '2'],
      ['New field of the domain', '1.50'],
    ]);
  });
});

describe('the change on a KPI card', () => {
  it('is the difference of the value and the baseline as the card writes them', () => {
    const kpi = (
      unit: 'PERCENT' | 'SCORE' | 'MONEY' | 'RATIO',
      value: number | null,
      baseline: number | null,
      delta: number | null,
    ) => ({
      unit,
      value,
      baseline,
      delta,
    });
    // 100 − 89.55 = 10.45 is stored; the card reads 100.0 % and 89.6 %, so +10.4 pp, not +10.5.
    const retention = kpi('PERCENT', 100, 89.55, 10.45);
    expect([formatKpiValue(100, 'PERCENT', 'EUR'), formatKpiValue(89.55, 'PERCENT', 'EUR')]).toEqual([
      '100.0\u00a0%',
      '89.6\u00a0%',
    ]);
    expect(formatKpiDelta(shownKpiDelta(retention), 'PERCENT', 'EUR')).toBe('+10.4\u00a0pp');
    expect(shownKpiDelta(kpi('SCORE', 4.13, 4.2, -0.07))).toBe(-0.07);
    // Money is written compactly: the stored change; no baseline: the stored change (none).
    expect(shownKpiDelta(kpi('MONEY', 1234.56, 1000, 234.56))).toBe(234.56);
    expect(shownKpiDelta(kpi('PERCENT', 75.2, null, null))).toBeNull();
    // A ratio's change is a difference, not a factor.
    expect(formatKpiDelta(shownKpiDelta(kpi('RATIO', 2.6, 1.2, 1.4)), 'RATIO', 'EUR')).toBe('+1.40');
    expect(formatKpiDelta(-0.25, 'RATIO', 'EUR')).toBe('−0.25');
  });

  it('never reads zero or the other way when the stored change is not zero: then it gives the stored change, with more decimals', () => {
    const kpi = (
      unit: 'PERCENT' | 'SCORE' | 'RATIO' | 'COUNT',
      value: number,
      baseline: number,
      delta: number,
    ) => ({
      unit,
      value,
      baseline,
      delta,
    });
    // 12.76 and 12.81 both read 12.8 %: "±0.0 pp" beside "▼ worsening"; the stored change is −0.05.
    const fell = kpi('PERCENT', 12.76, 12.81, -0.05);
    expect(shownKpiDelta(fell)).toBe(-0.05);
    expect(formatShownKpiDelta(fell, 'EUR')).toBe('−0.05\u00a0pp');
    expect(formatShownKpiDelta(kpi('PERCENT', 12.81, 12.76, 0.05), 'EUR')).toBe('+0.05\u00a0pp');
    // As many more decimals as it takes to be other than zero, and no more: 0.0037 → 0.004.
    expect(formatShownKpiDelta(kpi('RATIO', 2.7512, 2.7549, -0.0037), 'EUR')).toBe('−0.004');
    expect(formatShownKpiDelta(kpi('SCORE', 4.131, 4.128, 0.003), 'EUR')).toBe('+0.003');
    // Where the shown values agree with the stored change in sign, their difference as before.
    expect(formatShownKpiDelta(kpi('PERCENT', 100, 89.55, 10.45), 'EUR')).toBe('+10.4\u00a0pp');
    expect(formatShownKpiDelta(kpi('PERCENT', 12.86, 12.75, 0.11), 'EUR')).toBe('+0.1\u00a0pp');
    expect(formatShownKpiDelta(kpi('COUNT', 37, 22, 15), 'EUR')).toBe('+15');
    // No change at all stays "±".
    expect(formatShownKpiDelta(kpi('PERCENT', 60, 60, 0), 'EUR')).toBe('±0.0\u00a0pp');
  });
});

describe('the KPIs on target, on the KPI overview', () => {
  it('counts every KPI with a target, and says how many have no value this quarter', () => {
    const kpi = (target: number | null, onTarget: boolean | null) => ({ target, onTarget });
    expect(targetSummary([kpi(95, true), kpi(80, false), kpi(null, null), kpi(2, true)])).toBe(
      '2 of 3 KPIs with a target are on target',
    );
    // A target without a value this quarter is neither on target nor off it, and is not left out.
    expect(targetSummary([kpi(95, true), kpi(80, null), kpi(10, false)])).toBe(
      '1 of 3 KPIs with a target are on target (1 of them has no value this quarter)',
    );
    expect(targetSummary([kpi(95, null), kpi(80, null)])).toBe(
      '0 of 2 KPIs with a target are on target (2 of them have no value this quarter)',
    );
  });
});

describe('plan progress on the account page', () => {
  it('says how much of the in-year target is reached, beyond 100\u00a0% too', () => {
    // 65,496 against 63,717 once read "100.0\u00a0%+": an executive wants the real figure.
    expect(formatShare(shareOfTarget('65496.00', '63717.44'))).toBe('102.8\u00a0%');
    expect(formatShare(shareOfTarget('31858.72', '63717.44'))).toBe('50.0\u00a0%');
    expect(formatShare(shareOfTarget(null, '63717.44'))).toBe('0.0\u00a0%');
    expect(shareOfTarget('100.00', null)).toBeNull();
    expect(shareOfTarget('100.00', '0.00')).toBeNull();
  });

  it('names business units as the snapshot does, by code where it does not know them', () => {
    const name = businessUnitNamer([
      { code: 'SERVICES', name: 'Services & Support' },
      { code: 'DACH', name: 'DACH' },
    ]);
    expect(['SERVICES', 'DACH', 'GONE'].map(name)).toEqual(['Services & Support', 'DACH', 'GONE']);
  });
});

describe('the account team on the account page', () => {
  it('puts the lead first, then the sponsor and the other roles, keeping the order within a role', () => {
    const team = [
      { personName: 'Ann', role: 'COACH' as const },
      { personName: 'Bob', role: 'KEY_ACCOUNT_MANAGER' as const },
      { personName: 'Cy', role: 'SUPPORT' as const },
      { personName: 'Dee', role: 'SPONSOR' as const },
      { personName: 'Eve', role: 'COACH' as const },
    ];
    expect(teamInRoleOrder(team).map(member => member.personName)).toEqual([
      'Bob',
      'Dee',
      'Ann',
      'Eve',
      'Cy',
    ]);
    expect(team[0]!.personName).toBe('Ann');
  });
});

describe('sorting table columns', () => {
  it('orders the key-account list by plan status, then plan year, and by health, worst first', () => {
    type Row = Parameters<typeof keyAccountSortKeys>[0];
    const row = (plan: Row['plan'], health: Row['health'] = null): Row => ({ plan, health });
    const byPlan = (rows: Row[]) =>
      rows
        .map(r => ({ r, key: keyAccountSortKeys(r).plan }))
        .sort((a, b) => compareCells(a.key, b.key))
        .map(({ r }) => (r.plan ? `${r.plan.status} ${r.plan.year}` : 'none'));
    expect(
      byPlan([
        row({ status: 'APPROVED', year: 2026 }),
        row({ status: 'DRAFT', year: 2027 }),
        row(null),
        row({ status: 'APPROVED', year: 2025 }),
        row({ status: 'CLOSED', year: 2024 }),
      ]),
    ).toEqual(['none', 'DRAFT 2027', 'APPROVED 2025', 'APPROVED 2026', 'CLOSED 2024']);
    const health = (status: 'RED' | 'AMBER' | 'GREEN', score: number) =>
      keyAccountSortKeys(row(null, { status, score })).health;
    const healthKeys = [health('GREEN', 91.5), health('RED', 70), health('AMBER', 40), health('RED', 12.3)];
    expect(healthKeys.sort(compareCells)).toEqual([
      health('RED', 12.3),
      health('RED', 70),
      health('AMBER', 40),
      health('GREEN', 91.5),
    ]);
  });

  it('orders formatted figures by the number they show', () => {
    const sorted = (cells: string[]) => [...cells].sort(compareCells);
    // Grouped money: "EUR 999,999" once sorted after "EUR 1,000,000" (digit runs "999" > "1").
    expect(sorted(['EUR\u00a01,000,000', 'EUR\u00a0-5', 'EUR\u00a0999,999', 'EUR\u00a012'])).toEqual([
      'EUR\u00a0-5',
      'EUR\u00a012',
      'EUR\u00a0999,999',
      'EUR\u00a01,000,000',
    ]);
    expect(sorted(['1,234', '999', '12'])).toEqual(['12', '999', '1,234']);
    // Signed growth with a true minus, and shares with decimals.
    expect(sorted(['+2.0\u00a0%', '−3.0\u00a0%', '−10.5\u00a0%', '0.0\u00a0%'])).toEqual([
      '−10.5\u00a0%',
      '−3.0\u00a0%',
      '0.0\u00a0%',
      '+2.0\u00a0%',
    ]);
    expect(sorted(['12.5\u00a0%', '9.8\u00a0%', '100.0\u00a0%'])).toEqual([
      '9.8\u00a0%',
      '12.5\u00a0%',
      '100.0\u00a0%',
    ]);
    // Text stays text, numbers inside names sort naturally.
    expect(sorted(['Tier 2', 'Tier 10', 'Tier 1'])).toEqual(['Tier 1', 'Tier 2', 'Tier 10']);
  });
});

describe('chart tooltips', () => {
  it("write a point's value in its axis's unit, not Chart.js's raw number", () => {
    expect(formatAxisValue(0.72413, { format: 'share', title: '' })).toBe('72.4\u00a0%');
    expect(formatAxisValue(1234567.5, { format: 'money', title: '', currency: 'EUR' })).toBe(
      'EUR\u00a01,234,568',
    );
    expect(formatAxisValue(-0.031, { format: 'growth', title: '' })).toBe('−3.1\u00a0%');
    expect(formatAxisValue(2.345, { format: 'ratio', title: '' })).toBe('2.35×');
    expect(formatAxisValue(12.5, { format: 'percent-points', title: '' })).toBe('12.5\u00a0%');
    expect(formatAxisValue(2, { format: 'tier', title: '', tickLabels: { 2: 'Tier 3: Preferred' } })).toBe(
      'Tier 3: Preferred',
    );
    expect(formatAxisValue(null, { format: 'count', title: '' })).toBe('–');

    const bars = {
      kind: 'bar' as const,
      title: 'Win rate',
      labels: ['2026-Q2', '2026-Q3'],
      series: [
        { label: 'Won value', data: [1, 2] },
        { label: 'Win rate', data: [0.7, 0.72413], axis: 'y2' as const },
      ],
      y: { format: 'money' as const, title: 'won value', currency: 'EUR' },
      y2: { format: 'share' as const, title: 'win rate' },
    };
    expect(chartTooltipLabel(bars, 1, { x: 1, y: 0.72413 })).toBe('Win rate: 72.4\u00a0%');
    expect(chartTooltipLabel(bars, 0, { x: 0, y: 1500.4 })).toBe('Won value: EUR\u00a01,500');
    // Horizontal bars carry their value on x.
    expect(chartTooltipLabel({ ...bars, horizontal: true }, 1, { x: 0.5, y: 0 })).toBe(
      'Win rate: 50.0\u00a0%',
    );

    const scatter = {
      kind: 'scatter' as const,
      title: 'Matrix',
      labels: [],
      series: [{ label: 'Key accounts', points: [{ x: 55, y: 72.4, label: 'Björk AB' }] }],
      x: { format: 'score' as const, title: 'relationship strength' },
      y: { format: 'score' as const, title: 'attractiveness' },
    };
    expect(chartTooltipLabel(scatter, 0, { x: 55, y: 72.4 }, { x: 55, y: 72.4, label: 'Björk AB' })).toBe(
      'Björk AB: relationship strength 55.0; attractiveness 72.4',
    );
  });
});

describe('filtering the key-account list', () => {
  const row = (tier: string, ref = 'CRM-100015') => [
    'Elbe Motors S.r.l.',
    ref,
    tier,
    'Red (29.7)',
    'In review 2026',
    'EUR\u00a015,694,076',
    '2',
  ];

  it('finds "Tier 1" accounts only, not every row with a 1 in its reference or revenue', () => {
    expect(rowMatchesFilter(row('Tier 1: Mutual benefit'), 'Tier 1')).toBe(true);
    expect(rowMatchesFilter(row('Tier 3: Differentiator'), 'Tier 1')).toBe(false);
    expect(rowMatchesFilter(row('Tier 3: Differentiator'), '  tier   3 ')).toBe(true);
  });

  it('ignores accents, in the words typed and in the cells: "bergstrom" finds Bergström', () => {
    const bergstrom = ['Bergström Foods', 'KA-1007', 'Tier 2: Value add'];
    expect(rowMatchesFilter(bergstrom, 'bergstrom')).toBe(true);
    expect(rowMatchesFilter(bergstrom, 'Bergström')).toBe(true);
    expect(rowMatchesFilter(['Bergstrom Foods'], 'BERGSTRÖM')).toBe(true);
    // Decomposed (NFD) text as a keyboard may send it: o + combining diaeresis.
    expect(rowMatchesFilter(bergstrom, 'bergstro\u0308m')).toBe(true);
    expect(rowMatchesFilter(['Société Générale'], 'societe generale')).toBe(true);
    expect(rowMatchesFilter(bergstrom, 'bergstrum')).toBe(false);
  });

  it('matches any cell, ignoring case and spacing, and shows every row for an empty filter', () => {
    const elbe = row('Tier 2: Value add');
    expect(rowMatchesFilter(elbe, 'elbe motors')).toBe(true);
    expect(rowMatchesFilter(elbe, 'crm-100015')).toBe(true);
    expect(rowMatchesFilter(elbe, 'in review')).toBe(true);
    expect(rowMatchesFilter(elbe, 'EUR 15,694')).toBe(true);
    expect(rowMatchesFilter(elbe, 'approved')).toBe(false);
    expect(rowMatchesFilter(elbe, '')).toBe(true);
    expect(rowMatchesFilter(elbe, '   ')).toBe(true);
  });
});

describe('margins and growth shown from the amounts', () => {
  // The snapshot stores ratios to 4 decimals; rounding those again to the tenth of a percent
  // shown rounds twice: 21447 ÷ 100000 = 0.21447 is stored 0.2145 and would read 21.5 %.
  it('a margin of 21.447 % reads 21.4 %, not the stored 0.2145 rounded again', () => {
    expect(formatShare(0.2145)).toBe('21.5\u00a0%');
    expect(shownMargin('21447.00', '100000.00', 0.2145)).toBe(0.214);
    expect(formatShare(shownMargin('21447.00', '100000.00', 0.2145))).toBe('21.4\u00a0%');
  });

  it('growth of 7.546 % reads +7.5 %, not the stored 0.0755 rounded again', () => {
    // (107546.00 − 100000.00) ÷ 100000.00 = 0.07546
    expect(formatGrowth(0.0755)).toBe('+7.6\u00a0%');
    expect(formatGrowth(shownGrowth('107546.00', '100000.00', 0.0755))).toBe('+7.5\u00a0%');
    // Cents count: (1000.76 − 1000.00) ÷ 1000.00 = 0.00076 → 0.1 %
    expect(shownGrowth('1000.76', '1000.00', 0.0008)).toBe(0.001);
  });

  it('rounds an exact tie once, half away from zero, as the domain does', () => {
    // 21450 ÷ 100000 = 0.2145 exactly → 21.5 %
    expect(formatShare(shownMargin('21450.00', '100000.00', 0.2145))).toBe('21.5\u00a0%');
    // (92450 − 100000) ÷ 100000 = −0.0755 exactly → −7.6 %
    expect(formatGrowth(shownGrowth('92450.00', '100000.00', -0.0755))).toBe('−7.6\u00a0%');
    // A negative margin: −0.05 of 200.00 = −0.00025 → −0.0 rounds to 0
    expect(shownMargin('-0.05', '200.00', -0.0003)).toBe(0);
  });

  it('grows over the size of a negative base, as the domain does: −400 → −40 is +90 %', () => {
    // (−40 − −400) ÷ |−400| = 0.9
    expect(shownGrowth('-40.00', '-400.00', 0.9)).toBe(0.9);
  });

  it('stays empty where the snapshot has no ratio (no positive revenue; not the whole prior year)', () => {
    expect(shownMargin('-39.85', '-99.90', null)).toBeNull();
    expect(shownGrowth('107546.00', '100000.00', null)).toBeNull();
  });
});

describe('a flag on the account page and the attention list', () => {
  it('reads its message once: what is wrong, then what to do', () => {
    expect(
      flagMessageParts(
        'No proven value that the customer recognises: get recognition for delivered value or design a new initiative.',
      ),
    ).toEqual([
      'No proven value that the customer recognises',
      ': get recognition for delivered value or design a new initiative.',
    ]);
    expect(
      flagMessageParts(
        'The last execution review was on 2026-01-15; one was due by 2026-04-15. Record a review.',
      ),
    ).toEqual([
      'The last execution review was on 2026-01-15; one was due by 2026-04-15',
      '. Record a review.',
    ]);
    expect(flagMessageParts('Something is wrong')).toEqual(['Something is wrong', '']);
  });
});
