/**
 * Pagefind over the value-journey site without reading the written pages back: the middleware
 * hands each key account page's `data-pagefind-body` section (its summary, with the names of the
 * people on both sides in an indexed attribute) to Pagefind as the page renders, and the build's
 * end writes the index to
 * `<site>/pagefind/`. Search finds accounts by name, reference, industry, country, tier, health,
 * pyramid level, flags and the people on both sides, not by table figures, so only those sections
 * are indexed.
 */
import { join } from 'node:path';
import * as pagefind from 'pagefind';

const SUMMARY_START = '<section data-pagefind-body';
const SUMMARY_END = '</section>';
const TITLE_START = '<title>';
const TITLE_END = '</title>';

/**
 * The part of a page Pagefind needs, as a small HTML document; null for pages not indexed.
 * Reads the page's UTF-8 bytes and decodes only the title and the `data-pagefind-body` sections
 * (none holds another section; the page itself is written as it is).
 */
export function searchDocument(page: Uint8Array): string | null {
  const bytes = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  let summary = '';
  for (let start = bytes.indexOf(SUMMARY_START); start >= 0; start = bytes.indexOf(SUMMARY_START, start)) {
    const end = bytes.indexOf(SUMMARY_END, start);
    if (end < 0) break;
    summary += bytes.toString('utf8', start, end + SUMMARY_END.length);
    start = end + SUMMARY_END.length;
  }
  if (!summary) return null;
  const titleStart = bytes.indexOf(TITLE_START);
  const titleEnd = titleStart < 0 ? -1 : bytes.indexOf(TITLE_END, titleStart);
  const title = titleEnd < 0 ? '' : bytes.toString('utf8', titleStart + TITLE_START.length, titleEnd);
  return `<!doctype html><html lang="en"><head><title>${title}</title></head><body>${summary}</body></html>`;
}

type PagefindIndex = NonNullable<Awaited<ReturnType<typeof pagefind.createIndex>>['index']>;

/**
 * Summaries are sent to Pagefind this many at a time: one burst of messages wakes its process
 * once for many pages instead of once a page.
 */
const BATCH = 100;

export class SearchIndexer {
  readonly #index: Promise<PagefindIndex>;
  #pending: { url: string; content: string }[] = [];
  #added: Promise<{ errors: string[] }>[] = [];

  /** Starts Pagefind (a process of its own), so that it indexes pages while the others render. */
  constructor() {
    this.#index = pagefind.createIndex({ forceLanguage: 'en' }).then(({ index, errors }) => {
      if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
      return index;
    });
    // Seen by finish(); until then a failure must not count as unhandled.
    this.#index.catch(() => {});
  }

  /**
   * Sends a rendered page's summary to Pagefind (`url` relative to the site root, e.g.
   * "/accounts/a.html"). Pagefind indexes it on the other core while the next pages render;
   * only the summary, decoded from the page's bytes, is kept until it has been sent.
   */
  add(url: string, page: Uint8Array): void {
    const content = searchDocument(page);
    if (!content) return;
    this.#pending.push({ url, content });
    if (this.#pending.length >= BATCH) this.#send();
  }

  #send(): void {
    const documents = this.#pending;
    this.#pending = [];
    for (const document of documents) {
      const added = this.#index.then(index => index.addHTMLFile(document));
      added.catch(() => {});
      this.#added.push(added);
    }
  }

  /** Waits for every page to be indexed and writes the index into `siteDir/pagefind`. */
  async finish(siteDir: string): Promise<{ pages: number }> {
    try {
      this.#send();
      const index = await this.#index;
      const added = await Promise.all(this.#added);
      const failed = added.flatMap(result => result.errors);
      if (failed.length) throw new Error(`Pagefind could not index: ${failed.slice(0, 3).join('; ')}`);
      const written = await index.writeFiles({ outputPath: join(siteDir, 'pagefind') });
      if (written.errors.length)
        throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
      return { pages: added.length };
    } finally {
      this.#pending = [];
      this.#added = [];
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
