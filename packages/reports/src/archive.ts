/**
 * The publishing layout's index pages, written by `buildReports` after the sites:
 *
 *   OUT/index.html                    every published quarter (the archive), newest first
 *   OUT/<quarter>/manifest.json       what was built for the quarter: per site, the snapshot
 *                                     revision, its checksum and when it was built
 *   OUT/<quarter>/index.html          the quarter's landing page, linking both sites
 *   OUT/<quarter>/kpi/index.html      the KPI site
 *   OUT/<quarter>/journey/index.html  the value-journey site
 *
 * The archive is regenerated from the manifests present in OUT, so a folder of quarters
 * copied together (or built on different days) always gets a complete index.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { quarter as quarterSchema } from './data/schemas.ts';
import type { ReportSite } from './env.ts';
import { formatInstant } from './lib/format.ts';

const siteBuildSchema = z.object({
  revision: z.number().int().min(1),
  closedAt: z.string(),
  checksum: z.string(),
  builtAt: z.string(),
  pages: z.number().int().min(0),
});
export type SiteBuild = z.infer<typeof siteBuildSchema>;

export const manifestSchema = z.object({
  quarter: quarterSchema,
  sites: z.object({ kpi: siteBuildSchema.optional(), journey: siteBuildSchema.optional() }),
});
export type QuarterManifest = z.infer<typeof manifestSchema>;

const SITE_NAMES: Record<ReportSite, string> = { kpi: 'KPI report', journey: 'Value journey' };
/** The titles of the archive and quarter pages: a build knows its own pages by them. */
const ARCHIVE_TITLE = 'kam reports — all quarters';
const quarterTitle = (quarter: string) => `kam reports — ${quarter}`;

export async function readManifest(outDir: string, quarter: string): Promise<QuarterManifest | null> {
  try {
    const parsed = manifestSchema.safeParse(
      JSON.parse(await readFile(join(outDir, quarter, 'manifest.json'), 'utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Records a site build in the quarter's manifest (the other site's entry stays). */
export async function recordSiteBuild(
  outDir: string,
  quarter: string,
  site: ReportSite,
  build: SiteBuild,
): Promise<QuarterManifest> {
  const manifest = (await readManifest(outDir, quarter)) ?? { quarter, sites: {} };
  manifest.sites[site] = build;
  await writeFile(join(outDir, quarter, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Every quarter folder in OUT with a valid manifest, newest first. */
export async function publishedQuarters(outDir: string): Promise<QuarterManifest[]> {
  const entries = await readdir(outDir, { withFileTypes: true }).catch(() => []);
  const manifests: QuarterManifest[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !quarterSchema.safeParse(entry.name).success) continue;
    const manifest = await readManifest(outDir, entry.name);
    if (manifest) manifests.push(manifest);
  }
  return manifests.sort((a, b) => (a.quarter < b.quarter ? 1 : -1));
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    char => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );

const STYLE = `
:root{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1a1a1a;line-height:1.45}
body{margin:0}header{background:#f3f4f6;border-bottom:3px solid #1f5fa8;padding:.75rem 1.25rem}
header p{margin:.25rem 0 0;color:#4d4d4d}main{max-width:60rem;margin:0 auto;padding:1rem 1.25rem 2rem}
a{color:#1f5fa8}h1{font-size:1.6rem;margin:.5rem 0 1rem}table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:600;color:#4d4d4d;padding:.25rem 0}
th,td{border-bottom:1px solid #c4c4c4;padding:.4rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f3f4f6;border-bottom:2px solid #4d4d4d}ul{margin:.25rem 0;padding-left:1.1rem}
@media print{header{background:none}a{color:inherit;text-decoration:none}}`;

function page(title: string, heading: string, lead: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><strong>kam reports</strong><p>${lead}</p></header>
<main><h1>${escapeHtml(heading)}</h1>
${body}
</main></body></html>
`;
}

function siteCell(prefix: string, manifest: QuarterManifest, site: ReportSite): string {
  const build = manifest.sites[site];
  if (!build) return '<td>not built</td>';
  return `<td><a href="${prefix}${site}/index.html">${SITE_NAMES[site]}</a><br>revision ${build.revision}, built ${escapeHtml(formatInstant(build.builtAt))}</td>`;
}

/** The archive page (OUT/index.html). */
export function renderArchive(manifests: QuarterManifest[]): string {
  const rows = manifests
    .map(
      manifest =>
        `<tr><th scope="row"><a href="${manifest.quarter}/index.html">${manifest.quarter}</a></th>` +
        `${siteCell(`${manifest.quarter}/`, manifest, 'kpi')}${siteCell(`${manifest.quarter}/`, manifest, 'journey')}</tr>`,
    )
    .join('\n');
  const body = manifests.length
    ? `<table><caption>Published quarters, newest first</caption>
<thead><tr><th scope="col">Quarter</th><th scope="col">KPI report</th><th scope="col">Value journey</th></tr></thead>
<tbody>
${rows}
</tbody></table>`
    : '<p>No quarter has been published yet.</p>';
  return page(
    ARCHIVE_TITLE,
    'All published quarters',
    'Quarterly key account reports. Published figures never change: a re-closed quarter is a new revision.',
    body,
  );
}

/**
 * Refuses a build that would replace an index.html it did not write: every build rewrites the
 * archive page (OUT/index.html) and the quarter's page (OUT/<quarter>/index.html). A page is the
 * build's own when it has the title the build gives it (every version of kam has).
 */
export async function assertOwnIndexPages(outDir: string, quarter: string): Promise<void> {
  for (const [file, title] of [
    [join(outDir, 'index.html'), ARCHIVE_TITLE],
    [join(outDir, quarter, 'index.html'), quarterTitle(quarter)],
  ] as const) {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      if (error.code === 'EISDIR') return '';
      throw error;
    });
    if (text !== null && !text.includes(`<title>${escapeHtml(title)}</title>`)) {
      throw new Error(
        `--out ${outDir}: ${file} was not written by the report build, which would replace it. Give the report sites a folder of their own, or move the file away; nothing was written.`,
      );
    }
  }
}

/** A quarter's landing page (OUT/<quarter>/index.html). */
export function renderQuarterIndex(manifest: QuarterManifest, all: QuarterManifest[]): string {
  const at = all.findIndex(candidate => candidate.quarter === manifest.quarter);
  const newer = at > 0 ? all[at - 1] : undefined;
  const older = at >= 0 ? all[at + 1] : undefined;
  const sites = (['kpi', 'journey'] as const)
    .map(site => {
      const build = manifest.sites[site];
      return build
        ? `<li><a href="${site}/index.html">${SITE_NAMES[site]}</a>: snapshot revision ${build.revision}, closed ${escapeHtml(formatInstant(build.closedAt))}, built ${escapeHtml(formatInstant(build.builtAt))}</li>`
        : `<li>${SITE_NAMES[site]}: not built</li>`;
    })
    .join('\n');
  const neighbours = [
    older ? `<li><a href="../${older.quarter}/index.html">Previous quarter: ${older.quarter}</a></li>` : '',
    newer ? `<li><a href="../${newer.quarter}/index.html">Next quarter: ${newer.quarter}</a></li>` : '',
    '<li><a href="../index.html">All quarters</a></li>',
  ].join('\n');
  return page(
    quarterTitle(manifest.quarter),
    `Reports for ${manifest.quarter}`,
    `Quarter ${manifest.quarter}`,
    `<h2>The sites</h2><ul>${sites}</ul><h2>Other quarters</h2><ul>${neighbours}</ul>`,
  );
}

/** Rewrites OUT/index.html and every quarter's landing page from the manifests in OUT. */
export async function writeArchive(outDir: string): Promise<QuarterManifest[]> {
  const manifests = await publishedQuarters(outDir);
  await writeFile(join(outDir, 'index.html'), renderArchive(manifests));
  for (const manifest of manifests) {
    await writeFile(join(outDir, manifest.quarter, 'index.html'), renderQuarterIndex(manifest, manifests));
  }
  return manifests;
}
