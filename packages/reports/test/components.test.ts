import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import ChartFigure from '../src/components/ChartFigure.astro';
import DataTable from '../src/components/DataTable.astro';
import FlagList from '../src/components/FlagList.astro';
import KpiCard from '../src/components/KpiCard.astro';
import type { AccountData, KpiData, PortfolioData } from '../src/data/schemas.ts';
import { toKpiTrendChartData, toMatrixChartData } from '../src/lib/chart-data.ts';
import type { ChartSpec } from '../src/lib/chart-spec.ts';
import AccountPage from '../src/sites/journey/account.astro';
import AttentionPage from '../src/sites/kpi/attention.astro';
import CustomersPage from '../src/sites/kpi/customers.astro';
import PerformancePage from '../src/sites/kpi/performance.astro';
import TrendsPage from '../src/sites/kpi/trends.astro';
import { loadFixture } from './support/fixture.ts';

// The pages read the build's snapshot through pageContext(): here, the fixture's.
const pageSnapshot = vi.hoisted(() => ({ portfolio: undefined as unknown }));
vi.mock('../src/sites/context.ts', async () => {
  const { loadFixture } = await import('./support/fixture.ts');
  const { KPI_NAV, JOURNEY_NAV } =
    await vi.importActual<typeof import('../src/sites/context.ts')>('../src/sites/context.ts');
  return {
    KPI_NAV,
    JOURNEY_NAV,
    pageContext: async () => {
      const fixture = loadFixture();
      const portfolio = (pageSnapshot.portfolio ?? fixture.portfolio) as PortfolioData;
      return {
        info: fixture.info,
        portfolio,
        builtAt: '2026-10-01T08:00:00.000Z',
        currency: portfolio.currency,
        linkedSites: ['kpi', 'journey'],
        journeyPublished: true,
      };
    },
  };
});

// The account page reads its key account (and a parent's list row) through collections.ts: the
// fixture's key accounts, with `pageAccounts` patched in by a test.
const pageAccounts = vi.hoisted(() => ({ patch: new Map<string, unknown>() }));
vi.mock('../src/data/collections.ts', async () => {
  const { loadFixture } = await import('./support/fixture.ts');
  const { toKeyAccountRow } = await import('../src/data/key-account-row.ts');
  const keyAccounts = () =>
    loadFixture()
      .accounts.filter(account => account.isKeyAccount)
      .map(
        account => ({ ...account, ...(pageAccounts.patch.get(account.externalRef) ?? {}) }) as AccountData,
      );
  return {
    getKeyAccounts: async () => keyAccounts().map(toKeyAccountRow),
    findKeyAccount: async (externalRef: string) => {
      const found = keyAccounts().find(account => account.externalRef === externalRef);
      return found ? toKeyAccountRow(found) : undefined;
    },
    getKeyAccount: async (externalRef: string) => {
      const found = keyAccounts().find(account => account.externalRef === externalRef);
      if (!found) throw new Error(`no key account ${externalRef} in the fixture`);
      return found;
    },
  };
});

const portfolio = loadFixture().portfolio as PortfolioData;
const winRate = portfolio.kpis.find(kpi => kpi.code === 'WIN_RATE')!;

let container: AstroContainer;
beforeAll(async () => {
  container = await AstroContainer.create();
});

function attribute(html: string, name: string): string {
  const match = new RegExp(`${name}="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no ${name} attribute`);
  return match[1]!
    .replaceAll('&quot;', '"')
    .replaceAll('&#34;', '"')
    .replaceAll('&amp;', '&')
    .replaceAll('&#39;', "'");
}

describe('ChartFigure', () => {
  it('renders the summary and every number as a table before any script runs', async () => {
    const chart = toKpiTrendChartData(winRate, 'EUR');
    const html = await container.renderToString(ChartFigure, { props: { chart, id: 'trend-win-rate' } });
    expect(html).toContain(
      '<figcaption id="trend-win-rate-caption">Win rate over the trailing four quarters, by quarter</figcaption>',
    );
    expect(html).toContain(`<p class="chart-summary" id="trend-win-rate-summary">${chart.summary}</p>`);
    expect(html).toContain('<caption>Win rate over the trailing four quarters, by quarter</caption>');
    for (const row of chart.table.rows) expect(html).toContain(`<th scope="row">${row[0]}</th>`);
    expect(html).toContain('aria-describedby="trend-win-rate-summary"');
  });

  it('hands the chart to <kam-chart> through data attributes only', async () => {
    const chart = toKpiTrendChartData(winRate, 'EUR');
    const html = await container.renderToString(ChartFigure, { props: { chart, id: 'c' } });
    const spec = JSON.parse(attribute(html, 'data-spec')) as ChartSpec;
    expect(spec).toEqual(chart.spec);
    expect(attribute(html, 'data-label')).toBe(`${chart.spec.title}. ${chart.summary}`);
    expect(html).not.toContain('define:vars');
  });

  it('gives the chart frame its height only through CSS, so that without JavaScript it takes no space', async () => {
    // An inline height held a blank 220–380 px box above the no-JS note; report.css applies
    // --chart-height only when scripting is enabled.
    const chart = toKpiTrendChartData(winRate, 'EUR');
    const html = await container.renderToString(ChartFigure, { props: { chart, id: 'c' } });
    expect(html).not.toMatch(/style="[^"]*(?<!-)height:/);
    expect(html).toContain(`style="--chart-height:${chart.spec.height}px"`);
  });

  it('collapses long tables on screen', async () => {
    const html = await container.renderToString(ChartFigure, {
      props: { chart: toMatrixChartData(portfolio), id: 'matrix', collapseAfter: 12 },
    });
    expect(html).toContain(`<summary>The numbers (${portfolio.selection.matrix.length} rows)</summary>`);
    expect(html).toContain('data-sortable');
  });

  it('renders a long table open, for the script to collapse: without JavaScript every number shows and prints', async () => {
    const html = await container.renderToString(ChartFigure, {
      props: { chart: toMatrixChartData(portfolio), id: 'matrix', collapseAfter: 12 },
    });
    expect(html).toMatch(/<details class="table-details" open data-collapsed-by-script>/);
  });
});

describe('KpiCard', () => {
  const card = (patch: Partial<KpiData>) =>
    container.renderToString(KpiCard, {
      props: { kpi: { ...winRate, ...patch }, currency: 'EUR', href: '/trends.html#kpi-win-rate' },
    });

  it('shows today, baseline, target, direction and change, in the KPI unit', async () => {
    const html = await card({
      value: 72.5,
      baseline: 60,
      baselineQuarter: '2024-Q4',
      delta: 12.5,
      target: 80,
      onTarget: false,
    });
    expect(html).toContain('<p class="today">72.5\u00a0%</p>');
    expect(html).toMatch(/<dt>Baseline<\/dt><dd>60\.0\u00a0%\s*\(2024-Q4\)<\/dd>/);
    expect(html).toContain('<dt>Change</dt><dd>+12.5\u00a0pp</dd>');
    expect(html).toContain('<dt>Target</dt><dd>80.0\u00a0%</dd>');
    expect(html).toContain('<dt>Direction</dt><dd>higher is better</dd>');
    expect(html).toContain('<a href="/trends.html#kpi-win-rate">Win rate</a>');
  });

  it('says in words, not only colour, whether the KPI improves and meets its target', async () => {
    const html = await card({
      value: 55,
      baseline: 60,
      delta: -5,
      target: 50,
      improving: false,
      onTarget: true,
    });
    expect(html).toMatch(/status bad"><span aria-hidden="true">▼<\/span> worsening/);
    // The separator outside both parts: a narrow card breaks the line there, not past its border.
    expect(html).toMatch(
      /worsening<\/span> · <span class="status good"><span aria-hidden="true">✓<\/span> on target/,
    );
  });

  it('points the arrow the way the value moved, and says whether that is better', async () => {
    const lower = { direction: 'LOWER_IS_BETTER' as const, unit: 'PERCENT' as const };
    const fell = await card({ ...lower, value: 8, baseline: 10, delta: -2, improving: true });
    expect(fell).toMatch(/status good"><span aria-hidden="true">▼<\/span> improving/);
    const rose = await card({ ...lower, value: 12, baseline: 10, delta: 2, improving: false });
    expect(rose).toMatch(/status bad"><span aria-hidden="true">▲<\/span> worsening/);
    const up = await card({ value: 72.5, baseline: 60, delta: 12.5, improving: true });
    expect(up).toMatch(/status good"><span aria-hidden="true">▲<\/span> improving/);
  });

  it('calls an unchanged KPI unchanged, not worsening', async () => {
    // delta 0 gives improving false in the snapshot (not delta > 0): the change is "±0.0 pp".
    const html = await card({ value: 60, baseline: 60, delta: 0, improving: false });
    expect(html).toContain('<dt>Change</dt><dd>±0.0\u00a0pp</dd>');
    expect(html).not.toContain('worsening');
    expect(html).toMatch(/status neutral"><span aria-hidden="true">[^<]*<\/span> unchanged/);
  });

  it('gives the stored change where the shown values would read no change against the arrow', async () => {
    // 12.76 % and 12.81 % both read 12.8 %: "±0.0 pp" beside "▼ worsening" said two things.
    const html = await card({ value: 12.76, baseline: 12.81, delta: -0.05, improving: false });
    expect(html).toMatch(/status bad"><span aria-hidden="true">▼<\/span> worsening/);
    expect(html).toContain('<dt>Change</dt><dd>−0.05\u00a0pp</dd>');
  });

  it('says a KPI whose first value is today has no earlier value to compare, not that it is unchanged', async () => {
    // The year-on-year KPIs the first quarter the data holds the year before: baseline = today, change 0.
    const quarter = winRate.trend.at(-1)!.quarter;
    const html = await card({
      value: 90.6,
      baseline: 90.6,
      baselineQuarter: quarter,
      delta: 0,
      improving: false,
      trend: winRate.trend.map(point => ({ ...point, value: point.quarter === quarter ? 90.6 : null })),
    });
    expect(html).not.toContain('unchanged');
    expect(html).not.toContain('±');
    expect(html).toMatch(/status neutral"><span aria-hidden="true">•<\/span> first value<\/span>/);
    expect(html).toContain('<dt>Change</dt><dd>no earlier value to compare</dd>');
  });

  it('says a lower-is-better KPI off target is above it, not below', async () => {
    const html = await card({ direction: 'LOWER_IS_BETTER', value: 12, target: 10, onTarget: false });
    expect(html).toContain('above target');
    expect(html).not.toContain('below target');
    expect(await card({ value: 72.5, target: 80, onTarget: false })).toContain('below target');
  });

  it('says why a year-on-year KPI has no figure, and only for those', async () => {
    const growth = await card({ code: 'KEY_ACCOUNT_GROWTH', value: null });
    expect(growth).toContain('<p class="today">–</p>');
    expect(growth).toContain('Needs the year before in the data.');
    expect(await card({ code: 'KEY_ACCOUNT_GROWTH', value: 13 })).not.toContain('Needs the year before');
    expect(await card({ value: null })).not.toContain('Needs the year before');
  });

  it('says a key-vs-control ratio is missing because the control group did not grow, not for want of data', async () => {
    const html = await card({
      code: 'KEY_VS_CONTROL_GROWTH',
      unit: 'RATIO',
      value: null,
      detail: { keyAccountGrowth: 0.133, controlGroupGrowth: -0.005 },
    });
    expect(html).toContain('<p class="today">–</p>');
    expect(html).not.toContain('Needs the year before');
    expect(html).toContain('No ratio: the control group did not grow (−0.5\u00a0%).');
    // Before the year-before data exists both growths are null: then the data is what is missing.
    const early = await card({
      code: 'KEY_VS_CONTROL_GROWTH',
      unit: 'RATIO',
      value: null,
      detail: { keyAccountGrowth: null, controlGroupGrowth: null },
    });
    expect(early).toContain('Needs the year before in the data.');
  });

  it('draws the sparkline as SVG with the trend as its accessible name', async () => {
    const html = await card({});
    expect(html).toContain('<svg class="sparkline"');
    expect(html).toContain(
      `aria-label="Trend: ${winRate.trend.map(point => `${point.quarter} ${point.value!.toFixed(1)}\u00a0%`).join(', ')}"`,
    );
  });
});

describe('DataTable', () => {
  it('marks row headers and right-aligns numeric columns', async () => {
    const html = await container.renderToString(DataTable, {
      props: {
        table: {
          caption: 'c',
          columns: ['Unit', 'Revenue'],
          rows: [['Nordics', 'EUR\u00a01']],
          numeric: [1],
        },
      },
    });
    expect(html).toContain('<th scope="col" class="num">Revenue</th>');
    expect(html).toContain('<th scope="row">Nordics</th><td class="num">EUR\u00a01</td>');
  });
});

describe('the performance page', () => {
  it('names the win-rate target the snapshot holds, not a fixed 80 %', async () => {
    pageSnapshot.portfolio = { ...portfolio, winRate: { ...portfolio.winRate, target: 0.75 } };
    try {
      const html = await container.renderToString(PerformancePage);
      expect(html).toContain('Win rate against the 75.0\u00a0% target');
      expect(html).not.toContain('80 % line');
    } finally {
      pageSnapshot.portfolio = undefined;
    }
  });
});

describe('the trends page', () => {
  it('says the key-vs-control ratio is missing because the control group shrank, not for want of data', async () => {
    pageSnapshot.portfolio = {
      ...portfolio,
      kpis: portfolio.kpis.map(kpi =>
        kpi.code === 'KEY_VS_CONTROL_GROWTH'
          ? { ...kpi, value: null, detail: { keyAccountGrowth: 0.133, controlGroupGrowth: -0.005 } }
          : kpi,
      ),
    };
    try {
      const html = await container.renderToString(TrendsPage);
      const section = html.slice(html.indexOf('id="kpi-key-vs-control-growth"'));
      expect(section).toContain('No ratio: the control group did not grow (−0.5\u00a0%).');
    } finally {
      pageSnapshot.portfolio = undefined;
    }
  });
});

describe('the trends page, a KPI without any value', () => {
  const withoutValues = (codes: KpiData['code'][], growthKnown: boolean): PortfolioData => ({
    ...portfolio,
    kpis: portfolio.kpis.map(kpi =>
      codes.includes(kpi.code)
        ? {
            ...kpi,
            value: null,
            baseline: null,
            delta: null,
            improving: null,
            onTarget: null,
            trend: kpi.trend.map(point => ({ ...point, value: null })),
          }
        : kpi,
    ),
    growth: {
      ...portfolio.growth,
      trend: portfolio.growth.trend.map(point =>
        growthKnown ? point : { ...point, keyAccountGrowth: null, controlGroupGrowth: null },
      ),
    },
  });
  const summary = (html: string, code: string) => {
    const anchor = `id="kpi-${code.toLowerCase().replaceAll('_', '-')}"`;
    const start = html.indexOf(anchor);
    const section = html.slice(start, html.indexOf('</section>', start));
    return /<p class="chart-summary"[^>]*>([^<]*)<\/p>/.exec(section)?.[1];
  };

  it('says a computed KPI could not be computed yet, and why when the snapshot tells; a measured one that none was recorded', async () => {
    const computed = [
      'CUSTOMER_RETENTION',
      'CUSTOMER_LIFETIME_VALUE',
      'KEY_ACCOUNT_GROWTH',
      'KEY_VS_CONTROL_GROWTH',
    ] as const;
    pageSnapshot.portfolio = withoutValues([...computed, 'CUSTOMER_SATISFACTION'], false);
    try {
      const html = await container.renderToString(TrendsPage);
      // No growth figure in any quarter: the financial data does not hold the year before.
      expect(summary(html, 'CUSTOMER_RETENTION')).toBe(
        'Customer retention: no value could be computed yet (the financial data does not hold the year before).',
      );
      for (const code of computed)
        expect(summary(html, code)).toContain(': no value could be computed yet (');
      expect(summary(html, 'CUSTOMER_SATISFACTION')).toBe('Customer satisfaction: no values recorded.');
    } finally {
      pageSnapshot.portfolio = undefined;
    }
  });

  it('says only that there is no value yet where the snapshot does not tell why', async () => {
    // The growth figures of the later quarters are known: the year before is in the data.
    pageSnapshot.portfolio = withoutValues(['CUSTOMER_RETENTION'], true);
    try {
      const html = await container.renderToString(TrendsPage);
      expect(summary(html, 'CUSTOMER_RETENTION')).toBe(
        'Customer retention: no value yet for these quarters.',
      );
    } finally {
      pageSnapshot.portfolio = undefined;
    }
  });
});

describe('a key account page', () => {
  const render = async (externalRef: string, patch: Record<string, Partial<AccountData>> = {}) => {
    for (const [ref, fields] of Object.entries(patch)) pageAccounts.patch.set(ref, fields);
    try {
      return await container.renderToString(AccountPage, { props: { externalRef } });
    } finally {
      pageAccounts.patch.clear();
    }
  };
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/[ \t\r\n]+/g, ' ');

  it('names the parent account and links to its page when it is a key account of the site', async () => {
    // KA-1003 Castell Pharma is part of KA-1001 Aalto Packaging, a key account.
    const html = await render('KA-1003');
    expect(html).toMatch(/part of <a href="\/accounts\/ka-1001\.html">Aalto Packaging<\/a> \(KA-1001\)/);
    expect(text(html)).not.toContain('part of KA-1001');
  });

  it('names a parent that is no key account by the name its document holds, else gives its reference', async () => {
    // A document closed before parentName was kept has none: the page gives the reference.
    const named = await render('KA-1003', {
      'KA-1003': { parentExternalRef: 'AC-1031', parentName: 'Faro Printing' },
    });
    expect(text(named)).toContain('part of Faro Printing (AC-1031)');
    expect(named).not.toContain('accounts/ac-1031');
    const unknown = await render('KA-1003', {
      'KA-1003': { parentExternalRef: 'CRM-100010', parentName: undefined },
    });
    expect(text(unknown)).toContain('part of CRM-100010');
  });

  it('shows the group roll-up of an account heading a group beside its own figures', async () => {
    // KA-1001: own TTM revenue EUR 2,334,593; with its 3 subsidiaries EUR 5,603,024.
    const html = await render('KA-1001');
    const start = html.indexOf('id="group-rollup"');
    expect(start).toBeGreaterThan(0);
    const group = text(html.slice(start, html.indexOf('</table>', start)));
    expect(group).toContain('Aalto Packaging and its 3 subsidiaries');
    expect(group).toMatch(/TTM revenue EUR\u00a02,334,593 EUR\u00a05,603,024/);
    expect(group).toMatch(/TTM gross profit EUR\u00a0922,513 EUR\u00a01,634,215/);
    expect(group).toMatch(/TTM cost-to-serve EUR\u00a0227,545 EUR\u00a0466,919/);
    const after = text(html.slice(start, html.indexOf('</p>', html.indexOf('</table>', start))));
    expect(after).toContain('EUR\u00a0700,378');
    expect(after).toMatch(/2 account plans in force/);
    // An account heading no group has no roll-up.
    expect(await render('KA-1003')).not.toContain('id="group-rollup"');
  });

  it('says "1 has a counterpart", not "1 have"', async () => {
    const base = loadFixture().accounts.find(account => account.externalRef === 'KA-1003')!.stakeholders!;
    const html = await render('KA-1003', { 'KA-1003': { stakeholders: { ...base, covered: 1 } } });
    expect(text(html)).toContain('of whom 1 has a counterpart');
    expect(text(await render('KA-1003', { 'KA-1003': { stakeholders: { ...base, covered: 2 } } }))).toContain(
      'of whom 2 have a counterpart',
    );
  });

  it('renders the stakeholder map open, for the script to collapse', async () => {
    const html = await render('KA-1003');
    expect(html).toMatch(
      /<details class="table-details" open data-collapsed-by-script>\s*<summary>The stakeholder map/,
    );
  });

  it('gives Pagefind the team and the stakeholder names, not the figures', async () => {
    const html = await render('KA-1003');
    const indexed = [...html.matchAll(/<section data-pagefind-body[\s\S]*?<\/section>/g)]
      .map(match => match[0])
      .join(' ');
    const account = loadFixture().accounts.find(candidate => candidate.externalRef === 'KA-1003')!;
    for (const member of account.team) expect(indexed).toContain(member.personName);
    for (const contact of account.stakeholders!.map) expect(indexed).toContain(contact.name);
    expect(indexed).not.toContain('TTM revenue</th>');
    // Names only: the team and stakeholder tables (roles, counts, stances) are not indexed.
    expect(indexed).not.toContain('Contacts by function');
    expect(indexed).not.toContain('<table');
    expect(indexed).toMatch(/<span data-pagefind-index-attrs="data-people" data-people="[^"]+"><\/span>/);
  });
});

describe('the trends page, key accounts vs control group', () => {
  it('says per quarter why the ratio is missing, not that the data lacked the year before', async () => {
    const ratio = portfolio.kpis.find(kpi => kpi.code === 'KEY_VS_CONTROL_GROWTH')!;
    const quarters = ratio.trend.map(point => point.quarter);
    const shrank = quarters.at(-2)!;
    pageSnapshot.portfolio = {
      ...portfolio,
      kpis: portfolio.kpis.map(kpi =>
        kpi === ratio
          ? {
              ...kpi,
              trend: kpi.trend.map(point => (point.quarter === shrank ? { ...point, value: null } : point)),
            }
          : kpi,
      ),
      growth: {
        ...portfolio.growth,
        trend: portfolio.growth.trend.map(point =>
          point.quarter === shrank ? { ...point, keyAccountGrowth: 0.12, controlGroupGrowth: -0.021 } : point,
        ),
      },
    };
    try {
      const html = await container.renderToString(TrendsPage);
      const start = html.indexOf('id="kpi-key-vs-control-growth"');
      const section = html.slice(start, html.indexOf('</section>', start));
      expect(section).toMatch(
        new RegExp(
          `<th scope="row">${shrank}</th><td class="num">–</td><td class="num">[^<]*</td>` +
            '<td>the control group did not grow \\(−2\\.1\u00a0%\\)</td>',
        ),
      );
      // The year-on-year note must not say every "–" comes before the data holds both years.
      expect(section).not.toContain('(“–” before)');
    } finally {
      pageSnapshot.portfolio = undefined;
    }
  });
});

describe('the customers page', () => {
  it('says the size bands are counted among the active accounts that are not key accounts', async () => {
    const html = await container.renderToString(CustomersPage);
    const text = html.replace(/\s+/g, ' ');
    expect(text).toMatch(
      /active accounts that are not key accounts are banded by TTM revenue rank among themselves/i,
    );
    expect(text).not.toContain('Active accounts are banded by TTM revenue rank');
  });
});

describe('the customers page, movements between pyramid levels', () => {
  it('sorts the From and To columns in pyramid order, not alphabetically', async () => {
    const html = await container.renderToString(CustomersPage);
    const table =
      /<caption>Accounts that changed pyramid level<\/caption>[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    // Fixture: ACTIVE_LARGE → KEY, ACTIVE_MEDIUM → ACTIVE_LARGE, …, PROSPECT → ACTIVE_SMALL.
    // Pyramid order from the bottom: Suspect 1, Prospect 2, Lapsed 3, Active small 4, medium 5, large 6, Key 7.
    const rows = [
      ...table.matchAll(
        /<tr><th scope="row" data-sort="(\d+)">([^<]*)<\/th><td data-sort="(\d+)">([^<]*)<\/td>/g,
      ),
    ].map(match => [match[1], match[2], match[3], match[4]]);
    expect(rows).toEqual([
      ['6', 'Active, large', '7', 'Key account'],
      ['5', 'Active, medium', '6', 'Active, large'],
      ['5', 'Active, medium', '4', 'Active, small'],
      ['4', 'Active, small', '3', 'Lapsed'],
      ['2', 'Prospect', '4', 'Active, small'],
    ]);
  });
});

describe('flags', () => {
  const flags = [
    {
      kind: 'VALUE_NOT_RECOGNISED' as const,
      message:
        'No proven value that the customer recognises: get recognition for delivered value or design a new initiative.',
    },
    { kind: 'NO_SPONSOR' as const, message: 'No sponsor on the team: ask a director to back the account.' },
  ];

  it('read their message once, not the flag name and then the message saying it again', async () => {
    const html = await container.renderToString(FlagList, { props: { flags } });
    const text = html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    expect(text).toContain(
      'No proven value that the customer recognises: get recognition for delivered value or design a new initiative.',
    );
    expect(text).toContain('No sponsor on the team: ask a director to back the account.');
    expect(text).not.toContain('No proven value recognised by the customer');
    expect(text).not.toContain('No executive sponsor');
    expect(html).toContain('<strong>No proven value that the customer recognises</strong>: get recognition');
  });

  it('on the attention page, once each', async () => {
    const html = await container.renderToString(AttentionPage);
    const text = html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    // The fixture's flags: no sponsor, procurement only, plan review overdue.
    expect(text).not.toMatch(/No executive sponsor: No sponsor/);
    expect(html).toContain('<strong>No sponsor on the team</strong>: ask a director to back the account.');
    expect(html).not.toContain('<strong>No executive sponsor:</strong>');
  });
});
