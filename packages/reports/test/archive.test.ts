import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordSiteBuild, writeArchive } from '../src/archive.ts';

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
