/**
 * Pagefind over the value-journey site without reading the written pages back: the middleware
 * keeps each key account page's summary (its `data-pagefind-body` section) as it renders, and
 * the build's end indexes those and writes the index to `<site>/pagefind/`. Search finds
 * accounts by name, reference, industry, country, tier, plan and flags, not table figures, so
 * only the summary is indexed.
 */
import { join } from 'node:path';
import * as pagefind from 'pagefind';

const SUMMARY = /<section data-pagefind-body[^>]*>[\s\S]*?<\/section>/;
const TITLE = /<title>([^<]*)<\/title>/;

/** The part of a page Pagefind needs, as a small HTML document; null for pages not indexed. */
export function searchDocument(html: string): string | null {
  const summary = SUMMARY.exec(html)?.[0];
  if (!summary) return null;
  const title = TITLE.exec(html)?.[1] ?? '';
  return `<!doctype html><html lang="en"><head><title>${title}</title></head><body>${summary}</body></html>`;
}

export class SearchIndexer {
  #documents: { url: string; content: string }[] = [];

  /** Keeps a rendered page's summary (`url` relative to the site root, e.g. "/accounts/a.html"). */
  add(url: string, html: string): void {
    const content = searchDocument(html);
    if (content) this.#documents.push({ url, content });
  }

  /**
   * Indexes the kept summaries and writes the index into `siteDir/pagefind`. Feeding Pagefind
   * after rendering, all at once, keeps its process from waiting on a busy render loop.
   */
  async finish(siteDir: string): Promise<{ pages: number }> {
    try {
      const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
      if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
      const added = await Promise.all(this.#documents.map(document => index.addHTMLFile(document)));
      const failed = added.flatMap(result => result.errors);
      if (failed.length) throw new Error(`Pagefind could not index: ${failed.slice(0, 3).join('; ')}`);
      const written = await index.writeFiles({ outputPath: join(siteDir, 'pagefind') });
      if (written.errors.length)
        throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
      return { pages: added.length };
    } finally {
      this.#documents = [];
      await pagefind.close();
    }
  }
}

// The integration (loaded with the config) and the middleware (loaded with the rendered pages)
// are different module instances in one process: the running indexer lives on globalThis.
const CURRENT = Symbol.for('kam.reports.searchIndexer');
type Holder = { [CURRENT]?: SearchIndexer | undefined };

export function startSearchIndex(): SearchIndexer {
  const indexer = new SearchIndexer();
  (globalThis as Holder)[CURRENT] = indexer;
  return indexer;
}

export function currentSearchIndex(): SearchIndexer | undefined {
  return (globalThis as Holder)[CURRENT];
}

export function stopSearchIndex(): void {
  (globalThis as Holder)[CURRENT] = undefined;
}
