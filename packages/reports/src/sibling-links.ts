/**
 * The links from one site of a quarter to the other (its sibling). Every page renders them,
 * linked or not: `<li data-kam-sibling-item="journey">` around the cross-site navigation entry
 * (`hidden` while unlinked) and `<a data-kam-sibling="journey" href="…">` on each link, whose
 * `href` is `data-kam-href` while unlinked (an `<a>` without `href` is plain text, and link
 * checkers do not follow it). The middleware makes both relative alike, so switching a link on
 * or off is a swap of attribute names: a site built before its sibling gets its links when the
 * sibling is built, without being rendered again.
 *
 * The rule: a site links to its sibling only when both show the same snapshot revision (the
 * account pages of another revision may not exist). A sibling rebuilt from another revision
 * switches the links off; the quarter's index page lists both sites with their revisions.
 */
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { QuarterManifest } from './archive.ts';
import { REPORT_SITES, type ReportSite } from './env.ts';

/** Switches every link of a page to `sibling` on or off. */
export function setSiblingLinks(html: string, sibling: ReportSite, linked: boolean): string {
  return html
    .replace(
      new RegExp(`(<li data-kam-sibling-item="${sibling}")(?: hidden)?(?=[\\s>])`, 'g'),
      linked ? '$1' : '$1 hidden',
    )
    .replace(
      new RegExp(`(<a data-kam-sibling="${sibling}") (?:href|data-kam-href)="`, 'g'),
      `$1 ${linked ? 'href' : 'data-kam-href'}="`,
    );
}

/**
 * After a build of `built` (recorded in `manifest`): the quarter's sites that were not rebuilt
 * link to each sibling exactly when it has their revision. Each page is replaced by a rename,
 * so a reader never sees half a page.
 */
export async function refreshSiblingLinks(
  outDir: string,
  manifest: QuarterManifest,
  built: readonly ReportSite[],
): Promise<void> {
  for (const site of REPORT_SITES) {
    const own = manifest.sites[site];
    if (!own || built.includes(site)) continue;
    const dir = join(outDir, manifest.quarter, site);
    const pages = (await readdir(dir, { recursive: true }).catch(() => [] as string[])).filter(
      entry => entry.endsWith('.html') && !entry.startsWith('pagefind'),
    );
    for (const entry of pages) {
      const path = join(dir, entry);
      const html = await readFile(path, 'utf8');
      let next = html;
      for (const sibling of REPORT_SITES) {
        if (sibling !== site)
          next = setSiblingLinks(next, sibling, manifest.sites[sibling]?.revision === own.revision);
      }
      if (next === html) continue;
      await writeFile(`${path}.tmp`, next);
      await rename(`${path}.tmp`, path);
    }
  }
}
