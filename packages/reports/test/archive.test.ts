import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertOwnIndexPages, recordSiteBuild, writeArchive } from '../src/archive.ts';
import { buildReports } from '../src/build.ts';
import { refreshSiblingLinks } from '../src/sibling-links.ts';

const build = (revision: number) => ({
  revision,
  closedAt: '2026-10-06T09:30:00.000Z',
  checksum: `sha256:${revision}`,
  builtAt: '2026-11-23T10:00:00.000Z',
  pages: 12,
});

describe('the archive', () => {
  let out: string;
  afterEach(() => rm(out, { recursive: true, force: true }));

  it('lists every published quarter newest first and links quarters to each other', async () => {
    out = await mkdtemp(join(tmpdir(), 'kam-archive-'));
    for (const quarter of ['2026-Q2', '2026-Q3', '2026-Q1'])
      await mkdir(join(out, quarter), { recursive: true });
    await mkdir(join(out, 'not-a-quarter'));
    await recordSiteBuild(out, '2026-Q1', 'kpi', build(1));
    await recordSiteBuild(out, '2026-Q2', 'kpi', build(1));
    await recordSiteBuild(out, '2026-Q2', 'journey', build(1));
    await recordSiteBuild(out, '2026-Q3', 'kpi', build(1));
    // Closing 2026-Q3 again and rebuilding its KPI site replaces that entry only.
    await recordSiteBuild(out, '2026-Q3', 'kpi', build(2));

    const manifests = await writeArchive(out);
    expect(manifests.map(manifest => manifest.quarter)).toEqual(['2026-Q3', '2026-Q2', '2026-Q1']);

    const archive = await readFile(join(out, 'index.html'), 'utf8');
    expect(archive.indexOf('2026-Q3/index.html')).toBeLessThan(archive.indexOf('2026-Q2/index.html'));
    expect(archive).toContain('<a href="2026-Q3/kpi/index.html">KPI report</a><br>revision 2');
    expect(archive).toContain('<a href="2026-Q2/journey/index.html">Value journey</a>');
    expect(archive).not.toContain('not-a-quarter');

    const q2 = await readFile(join(out, '2026-Q2', 'index.html'), 'utf8');
    expect(q2).toContain('<a href="../2026-Q1/index.html">Previous quarter: 2026-Q1</a>');
    expect(q2).toContain('<a href="../2026-Q3/index.html">Next quarter: 2026-Q3</a>');
    expect(q2).toContain('<a href="../index.html">All quarters</a>');
  });
});

/** A page of a site built while its sibling was not published (as the layout renders it). */
const unlinkedPage = (prefix: string) =>
  `<nav class="cross-nav"><ul><li data-kam-sibling-item="journey" hidden><a data-kam-sibling="journey" data-kam-href="${prefix}../journey/index.html">Value journey 2026-Q2</a></li>` +
  `<li><a href="${prefix}../index.html">2026-Q2 reports</a></li></ul></nav>` +
  `<th scope="row"><a data-kam-sibling="journey" data-kam-href="${prefix}../journey/accounts/acme.html">Acme</a></th>`;

describe('the navigation between the sites of a quarter', () => {
  let out: string;
  afterEach(() => rm(out, { recursive: true, force: true }));

  async function publishKpiFirst(journeyRevision: number) {
    out = await mkdtemp(join(tmpdir(), 'kam-siblings-'));
    await mkdir(join(out, '2026-Q2', 'kpi', 'units'), { recursive: true });
    await writeFile(join(out, '2026-Q2', 'kpi', 'index.html'), unlinkedPage('./'));
    await writeFile(join(out, '2026-Q2', 'kpi', 'units', 'dach.html'), unlinkedPage('../'));
    await recordSiteBuild(out, '2026-Q2', 'kpi', build(1));
    // Then the journey site alone, later.
    await mkdir(join(out, '2026-Q2', 'journey'), { recursive: true });
    const manifest = await recordSiteBuild(out, '2026-Q2', 'journey', build(journeyRevision));
    await refreshSiblingLinks(out, manifest, ['journey']);
    return {
      index: await readFile(join(out, '2026-Q2', 'kpi', 'index.html'), 'utf8'),
      unit: await readFile(join(out, '2026-Q2', 'kpi', 'units', 'dach.html'), 'utf8'),
    };
  }

  it('a site built before its sibling links to it once the sibling is built (same revision)', async () => {
    const { index, unit } = await publishKpiFirst(1);
    expect(index).toContain(
      '<li data-kam-sibling-item="journey"><a data-kam-sibling="journey" href="./../journey/index.html">',
    );
    expect(index).toContain('<a data-kam-sibling="journey" href="./../journey/accounts/acme.html">Acme</a>');
    expect(unit).toContain('<a data-kam-sibling="journey" href="../../journey/index.html">');
    expect(unit).not.toContain('hidden');
    // Built again with the link, it stays as it is; a sibling of another revision unlinks it.
    const again = await readFile(join(out, '2026-Q2', 'kpi', 'index.html'), 'utf8');
    const manifest = await recordSiteBuild(out, '2026-Q2', 'journey', build(2));
    await refreshSiblingLinks(out, manifest, ['journey']);
    expect(await readFile(join(out, '2026-Q2', 'kpi', 'index.html'), 'utf8')).toBe(unlinkedPage('./'));
    expect(again).not.toBe(unlinkedPage('./'));
  });

  it('a sibling of another snapshot revision is not linked', async () => {
    const { index } = await publishKpiFirst(2);
    expect(index).toBe(unlinkedPage('./'));
  });
});

describe('an index.html in the publishing folder that the build did not write', () => {
  let out: string;
  afterEach(() => rm(out, { recursive: true, force: true }));
  const deadApi = { site: 'kpi', apiUrl: 'http://127.0.0.1:9/graphql', apiToken: 'x' } as const;

  it('is not replaced: the build is refused before it reads any data, and writes nothing', async () => {
    // The user's own home page in --out became the archive page.
    out = await mkdtemp(join(tmpdir(), 'kam-own-index-'));
    const home = '<h1>MY OWN HOME PAGE</h1>\n';
    await writeFile(join(out, 'index.html'), home);
    await expect(buildReports({ ...deadApi, outDir: out, quarter: '2026-Q3' })).rejects.toThrow(
      `--out ${out}: ${join(out, 'index.html')} was not written by the report build, which would replace it. Give the report sites a folder of their own, or move the file away; nothing was written.`,
    );
    expect(await readdir(out)).toEqual(['index.html']);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toBe(home);

    // Nor a page of the user's where the quarter's page goes.
    await rm(join(out, 'index.html'));
    await mkdir(join(out, '2026-Q3'));
    await writeFile(join(out, '2026-Q3', 'index.html'), home);
    await expect(buildReports({ ...deadApi, outDir: out, quarter: '2026-Q3' })).rejects.toThrow(
      `${join(out, '2026-Q3', 'index.html')} was not written by the report build`,
    );
    expect(await readFile(join(out, '2026-Q3', 'index.html'), 'utf8')).toBe(home);
  });

  it('is the build’s own when the build wrote it: the next build goes on to read the data', async () => {
    out = await mkdtemp(join(tmpdir(), 'kam-own-index-'));
    await mkdir(join(out, '2026-Q3'));
    await recordSiteBuild(out, '2026-Q3', 'kpi', build(1));
    await writeArchive(out);
    await expect(assertOwnIndexPages(out, '2026-Q3')).resolves.toBeUndefined();
    // Past the pages, to the API (which does not answer here).
    await expect(buildReports({ ...deadApi, outDir: out, quarter: '2026-Q3' })).rejects.toThrow(
      /Cannot reach the API at http:\/\/127\.0\.0\.1:9\/graphql/,
    );
  });
});
