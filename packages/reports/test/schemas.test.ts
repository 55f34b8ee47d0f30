import { describe, expect, it } from 'vitest';
import {
  accountSnapshotPayloadSchema,
  portfolioSnapshotSchema,
  snapshotInfoSchema,
} from '../src/data/schemas.ts';
import { devRequestUrl } from '../src/integration.ts';
import { contrastRatio, REFERENCE_COLOUR, SERIES_COLOURS, TEXT_COLOUR } from '../src/lib/palette.ts';
import { pageSlug, slugify } from '../src/lib/paths.ts';
import { pageDepth, relativizeHtml, relativizeHtmlBytes, sitePath } from '../src/relative-links.ts';
import { searchDocument } from '../src/search-index.ts';
import { loadFixture } from './support/fixture.ts';

describe('the zod schemas of the snapshot contract', () => {
  const fixture = loadFixture();

  it('accept the fixture snapshot', () => {
    expect(snapshotInfoSchema.safeParse(fixture.info).success).toBe(true);
    expect(portfolioSnapshotSchema.safeParse(fixture.portfolio).error).toBeUndefined();
    for (const account of fixture.accounts) {
      expect(accountSnapshotPayloadSchema.safeParse(account).error).toBeUndefined();
    }
  });

  it('reject money written as a float, and shares outside 0–1', () => {
    const payload = structuredClone(fixture.accounts[0]!) as unknown as { ttm: Record<string, unknown> };
    payload.ttm.revenue = 1234.5;
    expect(accountSnapshotPayloadSchema.safeParse(payload).success).toBe(false);
    const portfolio = structuredClone(fixture.portfolio);
    portfolio.totals.keyAccountRevenueShare = 38.9;
    const result = portfolioSnapshotSchema.safeParse(portfolio);
    expect(result.error?.issues[0]?.path).toEqual(['totals', 'keyAccountRevenueShare']);
  });

  it('ignore fields the snapshot owner adds later', () => {
    const portfolio = { ...structuredClone(fixture.portfolio), forecast: { next: 1 } };
    const parsed = portfolioSnapshotSchema.parse(portfolio);
    expect('forecast' in parsed).toBe(false);
  });
});

describe('page names', () => {
  it('keep file-name-safe refs and fingerprint the others so they never collide', () => {
    expect(pageSlug('KA-1001')).toBe('ka-1001');
    const slashed = pageSlug('KA/1001');
    expect(slashed).toMatch(/^ka-1001-[0-9a-z]+$/);
    expect(slashed).not.toBe(pageSlug('KA 1001'));
    expect(slugify('Société Générale')).toBe('societe-generale');
  });
});

describe('relativizeHtml', () => {
  const html =
    '<link rel="stylesheet" href="/_astro/a.css"><script type="module" src="/_astro/x.js"></script>' +
    '<a href="/accounts/k.html">k</a><a href="/../kpi/index.html">kpi</a><a href="https://example.org/">out</a>' +
    '<a href="#main">skip</a>';

  it('makes site-root links relative to the page and the module script classic', () => {
    expect(relativizeHtml(html, 1)).toBe(
      '<link rel="stylesheet" href="../_astro/a.css"><script defer src="../_astro/x.js"></script>' +
        '<a href="../accounts/k.html">k</a><a href="../../kpi/index.html">kpi</a><a href="https://example.org/">out</a>' +
        '<a href="#main">skip</a>',
    );
    expect(relativizeHtml('<a href="/index.html">', 0)).toBe('<a href="./index.html">');
  });

  it("measures a page's depth within its site's folder", () => {
    expect(sitePath('/journey/accounts/ka-1')).toBe('/accounts/ka-1');
    expect(pageDepth(sitePath('/journey/accounts/ka-1'))).toBe(1);
    expect(sitePath('/kpi/index')).toBe('/index');
    expect(pageDepth(sitePath('/kpi/index'))).toBe(0);
    expect(sitePath('/kpi')).toBe('/');
  });

  it('lets the dev server find a site index where the pages link to it', () => {
    expect(devRequestUrl('/kpi/index.html')).toBe('/kpi/index');
    expect(devRequestUrl('/journey/index.html?q=1')).toBe('/journey/index?q=1');
    expect(devRequestUrl('/journey/accounts.html')).toBe('/journey/accounts.html');
    expect(devRequestUrl('/journey/accounts/index.html')).toBe('/journey/accounts/index.html');
  });

  it("does the same on the page's UTF-8 bytes, leaving every other character as it was", () => {
    const page = `<title>Société – ✓</title>${html}<p>Zürich · 1 234 €</p>`;
    const bytes = relativizeHtmlBytes(new TextEncoder().encode(page), 1);
    expect(new TextDecoder().decode(bytes)).toBe(relativizeHtml(page, 1));
  });
});

describe('searchDocument', () => {
  it('keeps the title and the summary section only, decoded from the page bytes', () => {
    const page = new TextEncoder().encode(
      '<html><head><title>Björk AB — kam</title></head><body><h1>Björk AB</h1>' +
        '<section data-pagefind-body aria-label="Summary"><p>KA-1 · Malmö</p></section>' +
        '<table><tr><td>EUR 1</td></tr></table></body></html>',
    );
    expect(searchDocument(page)).toBe(
      '<!doctype html><html lang="en"><head><title>Björk AB — kam</title></head><body>' +
        '<section data-pagefind-body aria-label="Summary"><p>KA-1 · Malmö</p></section></body></html>',
    );
    expect(
      searchDocument(new TextEncoder().encode('<title>Index</title><main>no summary</main>')),
    ).toBeNull();
  });

  it('keeps every indexed section: the summary and the team and stakeholders', () => {
    const page = new TextEncoder().encode(
      '<title>Björk AB — kam</title><section data-pagefind-body aria-label="Summary"><p>KA-1</p></section>' +
        '<h2>Profitability</h2><table><tr><td>EUR 1</td></tr></table>' +
        '<section data-pagefind-body aria-labelledby="team"><h2 id="team">Team</h2><p>Åsa Öberg</p></section>' +
        '<p>EUR 2</p>',
    );
    expect(searchDocument(page)).toBe(
      '<!doctype html><html lang="en"><head><title>Björk AB — kam</title></head><body>' +
        '<section data-pagefind-body aria-label="Summary"><p>KA-1</p></section>' +
        '<section data-pagefind-body aria-labelledby="team"><h2 id="team">Team</h2><p>Åsa Öberg</p></section>' +
        '</body></html>',
    );
  });
});

describe('the chart palette', () => {
  it('keeps every colour at WCAG AA contrast (4.5:1) on white', () => {
    // Hand-checked anchor: black on white is 21:1.
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    for (const colour of [...SERIES_COLOURS, REFERENCE_COLOUR, TEXT_COLOUR]) {
      expect(contrastRatio(colour, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
  });
});
