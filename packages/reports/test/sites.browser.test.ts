/**
 * The built report sites in real headless Chromium: both sites of 2026-Q3 (and the KPI site of
 * 2026-Q2, for the links between quarters) are built by `report:build` from the fixture through
 * the GraphQL stub (the HTTP loader path), then opened from a static server under a sub-path and
 * from file://. Every page: no console errors, every chart canvas drawn (pixels read), every
 * internal link resolves, no serious or critical axe violation. Then a PDF of the KPI overview.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotFixture } from './fixtures/make-fixture.ts';
import { loadFixture } from './support/fixture.ts';
import { type GraphQLStub, startGraphQLStub } from './support/graphql-stub.ts';
import { serveStatic } from './support/static-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
// CI=true on most runners, CI=1 on some: anything but empty, 0 or false.
const inCI = !['', '0', 'false'].includes((process.env.CI ?? '').trim().toLowerCase());
if (!hasChromium && inCI) {
  throw new Error(
    `Chromium is required for the browser tests in CI (${CHROMIUM}); install Debian's chromium.`,
  );
}
const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));
const run = promisify(execFile);

/** The fixture moved to another quarter (its payloads say so too). */
function asQuarter(fixture: SnapshotFixture, quarter: string): SnapshotFixture {
  const copy = structuredClone(fixture);
  copy.info = { ...copy.info, quarter, revision: 1, checksum: `sha256:${quarter}` };
  copy.portfolio.quarter = quarter;
  copy.portfolio.revision = 1;
  for (const account of copy.accounts) account.quarter = quarter;
  return copy;
}

/** Builds one quarter's site(s) with the CLI; returns every URL the build fetched. */
async function buildSite(stub: GraphQLStub, out: string, quarter: string, site: string): Promise<string[]> {
  const log = join(out, `fetched-${quarter}-${site}.txt`);
  await mkdir(out, { recursive: true });
  await writeFile(log, '');
  await run(
    process.execPath,
    [
      '--import',
      './test/support/record-fetch.ts',
      'src/cli.ts',
      '--quarter',
      quarter,
      '--site',
      site,
      '--out',
      out,
    ],
    {
      cwd: PACKAGE_ROOT,
      env: {
        ...process.env,
        KAM_API_URL: stub.url,
        KAM_API_TOKEN: stub.token,
        INIT_CWD: PACKAGE_ROOT,
        KAM_TEST_FETCH_LOG: log,
      },
      timeout: 170_000,
    },
  );
  const fetched = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  await rm(log);
  return fetched;
}

interface PageReport {
  errors: string[];
  canvases: { width: number; height: number; inked: number }[];
  links: string[];
  /** Words run together across markup, e.g. "progress.Every" where a line break before a link was lost. */
  runTogether: string[];
}

/** Opens a page and reports console errors, failed requests, canvas ink and its links. */
async function visit(page: Page, url: string): Promise<PageReport> {
  const errors: string[] = [];
  const onConsole = (message: { type(): string; text(): string }) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(`console: ${message.text()}`);
  };
  const onError = (error: Error) => errors.push(`pageerror: ${error.message}`);
  const onFailed = (request: { url(): string; failure(): { errorText: string } | null }) =>
    errors.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  page.on('console', onConsole);
  page.on('pageerror', onError);
  page.on('requestfailed', onFailed);
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response && !response.ok()) errors.push(`HTTP ${response.status()} for ${url}`);
    await page
      .waitForFunction(
        () =>
          [...document.querySelectorAll('kam-chart')].every(element => element.hasAttribute('data-drawn')),
        undefined,
        { timeout: 10_000 },
      )
      .catch(() => errors.push('charts not drawn within 10 s'));
    const canvases = await page.$$eval('kam-chart canvas', elements =>
      (elements as HTMLCanvasElement[]).map(canvas => {
        const context = canvas.getContext('2d');
        if (!context || canvas.width === 0 || canvas.height === 0) return { width: 0, height: 0, inked: 0 };
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        let inked = 0;
        for (let alpha = 3; alpha < data.length; alpha += 4) if (data[alpha]! > 0) inked++;
        return { width: canvas.width, height: canvas.height, inked };
      }),
    );
    const links = await page.$$eval('a[href]', anchors =>
      anchors.map(anchor => (anchor as HTMLAnchorElement).href),
    );
    // The text as a screen reader gets it: rendered (innerText keeps the breaks between blocks,
    // textContent does not), without what is aria-hidden (such as the "·" separators).
    const text = await page.evaluate(() => {
      const hidden = [...document.querySelectorAll<HTMLElement>('[aria-hidden="true"]')].filter(
        element => element.tagName !== 'CANVAS' && !element.querySelector('canvas'),
      );
      const display = hidden.map(element => element.style.display);
      for (const element of hidden) element.style.display = 'none';
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, with its breaks between blocks.
      const rendered = document.body.innerText;
      hidden.forEach((element, index) => {
        element.style.display = display[index]!;
      });
      return rendered;
    });
    const runTogether = [
      ...text.matchAll(
        /[a-z]+[.!?;:,][A-Z][a-z]+|\b(?:the|next|of|in|and|to|by|from|at|on|than|with|for)\d\S*|\b\d+[a-z]{3,}|[A-Z]{2,}[a-z]{3,}/g,
      ),
    ].map(match => match[0]);
    return { errors, canvases, links, runTogether };
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onError);
    page.off('requestfailed', onFailed);
  }
}

const AHEAD_REF = 'KA-1003';
/** An account whose page names people found nowhere else: a sponsor on its team and a contact on its map. */
const PEOPLE_REF = 'KA-1005';
const SPONSOR = 'Ottokar Brzezinski';
const CONTACT = 'Wilhelmina Quarshie';

describe.skipIf(!hasChromium)('the built report sites in Chromium', () => {
  let out: string;
  const fetched: string[] = [];
  let stub: GraphQLStub;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let browser: Browser;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'kam-reports-'));
    const fixture = loadFixture();
    // One key account ahead of its in-year target and waiting for a unit named unlike its code.
    const ahead = fixture.accounts.find(account => account.externalRef === AHEAD_REF)?.plan;
    if (!ahead?.inYearTarget) throw new Error(`the fixture has no plan with a target for ${AHEAD_REF}`);
    ahead.revenueYearToDate = (Number(ahead.inYearTarget) * 1.25).toFixed(2);
    ahead.missingSignOffs = ['SERVICES', 'DACH'];
    const people = fixture.accounts.find(account => account.externalRef === PEOPLE_REF);
    const sponsor = people?.team.find(member => member.role === 'SPONSOR');
    const contact = people?.stakeholders?.map[0];
    if (!sponsor || !contact) throw new Error(`the fixture has no sponsor or contact on ${PEOPLE_REF}`);
    sponsor.personName = SPONSOR;
    contact.name = CONTACT;
    // A headline figure as long as the demo's (it overflowed its box at 1280 px and in print).
    fixture.portfolio.totals.ttmRevenue = '1281784613.00';
    stub = await startGraphQLStub({ snapshots: [fixture, asQuarter(fixture, '2026-Q2')] });
    fetched.push(...(await buildSite(stub, out, '2026-Q2', 'kpi')));
    // The journey site of 2026-Q2 after its KPI site: the KPI site must then link to it.
    fetched.push(...(await buildSite(stub, out, '2026-Q2', 'journey')));
    fetched.push(...(await buildSite(stub, out, '2026-Q3', 'all')));
    server = await serveStatic(out);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stub?.close();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('reached the API it was given and nothing else (no usage data to Astro’s makers)', () => {
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.filter(url => !url.startsWith(stub.url))).toEqual([]);
  });

  it('pulled the data through the API in a few bulk requests', () => {
    // 30 key accounts fit in one page of 100: one request per journey site pull, plus the revision checks.
    expect(stub.requests.accountPages).toBe(2); // the journey sites of 2026-Q2 and 2026-Q3
    expect(stub.requests.snapshot).toBeLessThanOrEqual(8);
  });

  it('links a site built before its sibling to the sibling once that is built', async () => {
    const kpi = await readFile(join(out, '2026-Q2', 'kpi', 'index.html'), 'utf8');
    expect(kpi).toMatch(
      /<li data-kam-sibling-item="journey"><a data-kam-sibling="journey" href="\.\/\.\.\/journey\/index\.html">Value journey 2026-Q2<\/a>/,
    );
    const attention = await readFile(join(out, '2026-Q2', 'kpi', 'attention.html'), 'utf8');
    expect(attention).toMatch(
      /<a data-kam-sibling="journey" href="\.\/\.\.\/journey\/accounts\/[^"]+\.html">/,
    );
    expect(attention).not.toContain('data-kam-href');
    const journey = await readFile(join(out, '2026-Q2', 'journey', 'index.html'), 'utf8');
    expect(journey).toMatch(
      /<a data-kam-sibling="kpi" href="\.\/\.\.\/kpi\/index\.html">KPI report 2026-Q2<\/a>/,
    );
    const quarter = await readFile(join(out, '2026-Q2', 'index.html'), 'utf8');
    expect(quarter).toContain('<a href="kpi/index.html">KPI report</a>');
    expect(quarter).toContain('<a href="journey/index.html">Value journey</a>');
  });

  it('served from a sub-path: every page loads cleanly, draws its charts, links to existing pages and passes axe', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const start = `${server.base}index.html`;
    const queue = [start];
    const seen = new Set(queue);
    const problems: string[] = [];
    let pages = 0;
    let charts = 0;
    while (queue.length) {
      const url = queue.shift()!;
      const report = await visit(page, url);
      pages++;
      problems.push(...report.errors.map(error => `${url}: ${error}`));
      problems.push(...report.runTogether.map(words => `${url}: words run together: ${words}`));
      for (const canvas of report.canvases) {
        charts++;
        if (canvas.width === 0 || canvas.inked < 500)
          problems.push(`${url}: a blank chart canvas (${JSON.stringify(canvas)})`);
      }
      const axe = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      for (const violation of axe.violations.filter(
        found => found.impact === 'serious' || found.impact === 'critical',
      )) {
        problems.push(
          `${url}: axe ${violation.id} (${violation.impact}): ${violation.nodes.length} nodes, e.g. ${violation.nodes[0]?.html}`,
        );
      }
      for (const link of report.links) {
        const target = new URL(link);
        if (target.origin !== new URL(server.base).origin) continue;
        target.hash = '';
        if (!target.pathname.startsWith('/reports/'))
          problems.push(`${url}: link leaves the sub-path: ${link}`);
        const key = target.href;
        if (seen.has(key)) continue;
        seen.add(key);
        if (key.endsWith('.html')) queue.push(key);
        else {
          const response = await fetch(key);
          if (!response.ok) problems.push(`${url}: broken link ${link} (${response.status})`);
        }
      }
    }
    await context.close();
    expect(problems).toEqual([]);
    // archive + 2 quarter pages + 2 KPI sites (11 pages each) + 2 journey sites (2 + 30 accounts each)
    expect(pages).toBe(1 + 2 + 22 + 2 * 32);
    expect(charts).toBeGreaterThan(100);
    // 89 pages, each checked by axe: about 2.5 minutes on an idle 2-core machine, 4–5 with
    // other test suites running beside it.
  }, 600_000);

  it('from file://: every page loads cleanly, draws its charts and links to existing files', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const start = pathToFileURL(join(out, 'index.html')).href;
    const queue = [start];
    const seen = new Set(queue);
    const problems: string[] = [];
    while (queue.length) {
      const url = queue.shift()!;
      const report = await visit(page, url);
      problems.push(...report.errors.map(error => `${url}: ${error}`));
      for (const canvas of report.canvases) {
        if (canvas.width === 0 || canvas.inked < 500) problems.push(`${url}: a blank chart canvas`);
      }
      for (const link of report.links) {
        const target = new URL(link);
        if (target.protocol !== 'file:') continue;
        target.hash = '';
        if (seen.has(target.href)) continue;
        seen.add(target.href);
        if (!existsSync(fileURLToPath(target))) problems.push(`${url}: broken link ${link}`);
        else if (target.href.endsWith('.html')) queue.push(target.href);
      }
    }
    await page.close();
    expect(problems).toEqual([]);
    expect(seen.size).toBeGreaterThan(50);
  }, 300_000);

  it('finds key accounts with Pagefind and sorts the index', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}2026-Q3/journey/accounts.html`);
    // Labelled by the box's visible heading, not only by Pagefind's title "Search".
    await page.getByRole('textbox', { name: 'Search the account pages', exact: true }).fill('Castell');
    const result = page.locator('.pagefind-ui__result-link').first();
    await result.waitFor({ timeout: 10_000 });
    expect(await result.textContent()).toContain('Castell Pharma');
    expect(await result.getAttribute('href')).toMatch(
      /^\/reports\/2026-Q3\/journey\/accounts\/ka-\d+\.html$/,
    );

    const revenueHeader = page.locator('#key-accounts thead th').nth(5);
    await revenueHeader.locator('button').click();
    await revenueHeader.locator('button').click();
    expect(await revenueHeader.getAttribute('aria-sort')).toBe('descending');
    const revenues = await page.$$eval('#key-accounts tbody td:nth-child(6)', cells =>
      cells.map(cell => Number((cell as HTMLElement).dataset.sort)),
    );
    expect(revenues).toEqual([...revenues].sort((a, b) => b - a));
    await page.close();
  });

  it('finds an account by the name of a person on its team or its stakeholder map', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}2026-Q3/journey/accounts.html`);
    const box = page.getByRole('textbox', { name: 'Search the account pages', exact: true });
    for (const person of [SPONSOR, CONTACT]) {
      await box.fill(person.split(' ')[1]!);
      const result = page.locator('.pagefind-ui__result-link').first();
      await result.waitFor({ timeout: 10_000 });
      expect(await result.textContent()).toContain('Eiger Chemicals');
      expect(await result.getAttribute('href')).toBe(
        `/reports/2026-Q3/journey/accounts/${PEOPLE_REF.toLowerCase()}.html`,
      );
      expect(await page.locator('.pagefind-ui__result').count()).toBe(1);
    }
    await page.close();
  });

  it('without JavaScript, shows and prints every row of the long tables and of the stakeholder map', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    for (const path of [
      '2026-Q3/kpi/selection.html',
      `2026-Q3/journey/accounts/${PEOPLE_REF.toLowerCase()}.html`,
    ]) {
      await page.goto(`${server.base}${path}`);
      const details = page.locator('details.table-details');
      expect(await details.count(), path).toBeGreaterThan(0);
      for (const media of ['screen', 'print'] as const) {
        await page.emulateMedia({ media });
        const rows = details.locator('tbody tr');
        const count = await rows.count();
        expect(count, path).toBeGreaterThan(0);
        for (let index = 0; index < count; index++) {
          expect(await rows.nth(index).isVisible(), `${path} ${media}, row ${index + 1}`).toBe(true);
        }
      }
      await page.emulateMedia({ media: 'screen' });
    }
    // The map's contact, in the printed account page.
    await page.emulateMedia({ media: 'print' });
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, without what is hidden.
    const printed = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(printed).toContain(CONTACT);
    await context.close();
  });

  it('with JavaScript, collapses the long tables and the stakeholder map on screen and opens them for print', async () => {
    const page = await browser.newPage();
    for (const path of [
      '2026-Q3/kpi/selection.html',
      `2026-Q3/journey/accounts/${PEOPLE_REF.toLowerCase()}.html`,
    ]) {
      await page.goto(`${server.base}${path}`);
      const details = page.locator('details.table-details');
      expect(await details.count(), path).toBeGreaterThan(0);
      const open = await details.evaluateAll(elements =>
        elements.filter(element => (element as HTMLDetailsElement).open),
      );
      expect(open, path).toEqual([]);
      expect(await details.locator('tbody tr').first().isVisible(), path).toBe(false);
      await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
      expect(await details.locator('tbody tr').first().isVisible(), path).toBe(true);
      await page.evaluate(() => dispatchEvent(new Event('afterprint')));
      expect(await details.locator('tbody tr').first().isVisible(), path).toBe(false);
    }
    await page.close();
  });

  it('names the parent of a group member and shows a group’s roll-up beside its own figures', async () => {
    const page = await browser.newPage();
    // KA-1003 Castell Pharma is part of KA-1001 Aalto Packaging, which heads a group of 3.
    await page.goto(`${server.base}2026-Q3/journey/accounts/ka-1003.html`);
    const parent = page.locator('.lead a');
    expect(await parent.textContent()).toBe('Aalto Packaging');
    await parent.click();
    await page.waitForURL(/ka-1001\.html$/);
    const rollup = page.getByRole('table', { name: /Aalto Packaging and its 3 subsidiaries/ });
    const revenue = await rollup.locator('tr', { hasText: 'TTM revenue' }).locator('td').allTextContents();
    expect(revenue).toEqual(['EUR\u00a02,334,593', 'EUR\u00a05,603,024']);
    await page.close();
  });

  it('an account page gives plan progress beyond the target and names the units yet to sign', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}2026-Q3/journey/accounts/${AHEAD_REF.toLowerCase()}.html`);
    const text = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toMatch(/\(125\.0 % of the in-year target\)/);
    expect(text).toContain('Waiting for sign-off by: Services & Support, DACH.');
    expect(text).toMatch(/Margin target ?\d+\.\d %; actual gross margin/);
    await page.close();
  });

  it('prints every chart in its own proportions, not squeezed to the page width', async () => {
    // Browsers fire `beforeprint` while the page still has its screen layout, then lay it out
    // for the printed page (A4 here, the narrower paper: 210 mm less 2 × 12 mm margins). Chart.js does not
    // resize itself for print, so this replays exactly that in one task: the event, then the
    // print rules and the page width, then the drawing's box against the canvas's own pixels.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    for (const path of ['2026-Q3/kpi/selection.html', '2026-Q3/kpi/performance.html']) {
      await page.goto(`${server.base}${path}`);
      await page.waitForFunction(() =>
        [...document.querySelectorAll('kam-chart')].every(element => element.hasAttribute('data-drawn')),
      );
      const boxes = await page.evaluate(() => {
        dispatchEvent(new Event('beforeprint'));
        for (const sheet of document.styleSheets) {
          for (const rule of sheet.cssRules) {
            if (rule instanceof CSSMediaRule && rule.media.mediaText === 'print')
              rule.media.appendMedium('screen');
          }
        }
        document.documentElement.style.width = '186mm';
        return [...document.querySelectorAll('kam-chart canvas')].map(element => {
          const canvas = element as HTMLCanvasElement;
          const box = canvas.getBoundingClientRect();
          const frame = canvas.parentElement!.getBoundingClientRect();
          return {
            drawn: canvas.width / canvas.height,
            shown: box.width / box.height,
            overflow: box.width - frame.width,
          };
        });
      });
      expect(boxes.length).toBeGreaterThan(0);
      for (const box of boxes) {
        if (Math.abs(box.shown / box.drawn - 1) > 0.02 || box.overflow > 1)
          problems.push(`${path}: drawn ${box.drawn.toFixed(2)}:1, printed ${box.shown.toFixed(2)}:1`);
      }
    }
    await page.close();
    expect(problems).toEqual([]);
  });

  it('clips no text of a KPI card or a headline figure, on screen from 320 px up and in print', async () => {
    // Text wider than its box runs past the card's border (on screen) or is cut at the card's or
    // the page's edge (in print): every text's right edge must stay inside its card or fact.
    const page = await browser.newPage();
    const problems: string[] = [];
    // 703 px: A4 less the print margins (210 mm − 2 × 12 mm), the width page.pdf() lays out at.
    const layouts = [
      { width: 320, media: 'screen' },
      { width: 900, media: 'screen' },
      // Four cards a row at their narrowest (the status lines ran past the border).
      { width: 1100, media: 'screen' },
      { width: 1280, media: 'screen' },
      { width: 1440, media: 'screen' },
      { width: 703, media: 'print' },
    ] as const;
    await page.goto(`${server.base}2026-Q3/kpi/index.html`);
    for (const { width, media } of layouts) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ media });
      const clipped = await page.evaluate(() => {
        const found: string[] = [];
        const boxes = document.querySelectorAll<HTMLElement>('.cards .card, .facts > div');
        for (const box of boxes) {
          const frame = box.getBoundingClientRect();
          // The inside of the border: text may use the padding, not cross the border.
          const right = frame.left + box.clientLeft + box.clientWidth;
          const name = box.querySelector('h3, dt')?.textContent?.trim() ?? box.className;
          if (box.scrollWidth > box.clientWidth + 1)
            found.push(`${name}: scrolls (${box.scrollWidth} > ${box.clientWidth})`);
          const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.textContent?.trim()) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const rect of range.getClientRects()) {
              if (rect.width > 0 && rect.right > right + 1)
                found.push(
                  `${name}: "${node.textContent.trim()}" ends at ${Math.round(rect.right)} > ${Math.round(right)}`,
                );
            }
          }
          for (const child of box.querySelectorAll('svg')) {
            if (child.getBoundingClientRect().right > right + 1) found.push(`${name}: its sparkline`);
          }
        }
        if (boxes.length === 0) found.push('no KPI cards or facts found');
        return found;
      });
      problems.push(...clipped.map(problem => `${width} px ${media}: ${problem}`));
    }
    await page.close();
    expect(problems).toEqual([]);
  });

  it('prints the column headings of a sortable table on every page', async () => {
    // Chromium repeats a table's <thead> at the top of each printed page, but paints a <button>
    // in the repeated copy blank: the sort buttons (client/tables.ts) hold the headings' text, so
    // in print they must lay out as that text, not as buttons of their own.
    const page = await browser.newPage();
    await page.goto(`${server.base}2026-Q3/journey/accounts.html`);
    await page.emulateMedia({ media: 'print' });
    const buttons = await page.$$eval('#key-accounts thead th .sort-button', elements =>
      elements.map(element => ({
        text: element.textContent?.trim(),
        display: getComputedStyle(element).display,
      })),
    );
    expect(buttons.map(button => button.text)).toEqual([
      'Account',
      'Reference',
      'Value tier',
      'Health',
      'Plan',
      'TTM revenue',
      'Flags',
    ]);
    for (const button of buttons) expect(button.display).toBe('contents');
    await page.close();
  });

  it('prints the KPI overview to a PDF with the quarter and revision', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}2026-Q3/kpi/index.html`);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(30_000);
    const pageCount = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pageCount).toBeGreaterThanOrEqual(2);
    const trends = await browser.newPage();
    await trends.goto(`${server.base}2026-Q3/kpi/trends.html`);
    const trendsPdf = await trends.pdf({ format: 'A4' });
    expect(trendsPdf.length).toBeGreaterThan(pdf.length);
    const header = await readFile(join(out, '2026-Q3', 'kpi', 'index.html'), 'utf8');
    expect(header).toContain('@page{@top-left{content:"kam KPI report · 2026-Q3 · revision 2');
    // The paper is the reader's: the style sheet sets margins, not a size that would override
    // the print dialog (a US reader gets Letter, 612 × 792 points).
    const letter = await page.pdf({ format: 'Letter', preferCSSPageSize: true });
    expect(letter.toString('latin1')).toMatch(/\/MediaBox\s*\[\s*0\s+0\s+612\s+792\s*\]/);
    await page.close();
    await trends.close();
  });
});
