/**
 * The report sites as an Astro integration: one build renders the sites selected by
 * KAM_REPORT_SITES (two sites, one project), each under its own folder ("/kpi/…",
 * "/journey/…"); pages link within their site with site-root paths, which the middleware
 * makes relative. After the build each site folder gets its own copy of the assets, so that it
 * stands alone, and the value-journey site is indexed with Pagefind.
 */
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { setSyncOnly } from './data/snapshot-loader.ts';
import { type ReportSite, reportEnv } from './env.ts';
import { finishPortableSite } from './relative-links.ts';
import { type SearchIndexer, startSearchIndex, stopSearchIndex } from './search-index.ts';

/** Each site's routes, relative to its folder. */
const ROUTES: Record<ReportSite, { pattern: string; page: string }[]> = {
  kpi: [
    { pattern: '/index', page: 'kpi/index.astro' },
    { pattern: '/trends', page: 'kpi/trends.astro' },
    { pattern: '/customers', page: 'kpi/customers.astro' },
    { pattern: '/selection', page: 'kpi/selection.astro' },
    { pattern: '/performance', page: 'kpi/performance.astro' },
    { pattern: '/attention', page: 'kpi/attention.astro' },
    { pattern: '/units', page: 'kpi/units.astro' },
    { pattern: '/units/[unit]', page: 'kpi/unit.astro' },
  ],
  journey: [
    { pattern: '/index', page: 'journey/index.astro' },
    { pattern: '/accounts', page: 'journey/accounts.astro' },
    { pattern: '/accounts/[account]', page: 'journey/account.astro' },
  ],
};

const SITE_INDEX = /^\/(kpi|journey)\/index\.html(\?.*)?$/;

/**
 * For `astro dev`: the URL of a site's index route for a request of "/kpi/index.html" (where the
 * pages link), which the dev server would otherwise take for "/kpi/" and find no route there.
 */
export function devRequestUrl(url: string): string {
  return url.replace(SITE_INDEX, '/$1/index$2');
}

/** The folder the build writes its shared assets to; each site gets a copy of it. */
const ASSETS = '_astro';

export function kamReportSites(): AstroIntegration {
  let sites: ReportSite[] = [];
  let indexer: SearchIndexer | undefined;
  return {
    name: 'kam-report-sites',
    hooks: {
      'astro:config:setup': ({ command, injectRoute }) => {
        // `astro sync` (and so `astro check`) only needs the types, not a snapshot.
        setSyncOnly(command === 'sync');
        sites = reportEnv().sites;
        for (const site of sites) {
          for (const route of ROUTES[site]) {
            injectRoute({
              pattern: `/${site}${route.pattern}`,
              entrypoint: fileURLToPath(new URL(`./sites/${route.page}`, import.meta.url)),
              prerender: true,
            });
          }
        }
      },
      'astro:server:setup': ({ server }) => {
        server.middlewares.use((request, _response, next) => {
          if (request.url) request.url = devRequestUrl(request.url);
          next();
        });
      },
      'astro:build:start': () => {
        // The journey pages are indexed while they render (see src/middleware.ts).
        indexer = sites.includes('journey') ? startSearchIndex() : undefined;
      },
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        await finishPortableSite(root);
        for (const site of sites) {
          await cp(join(root, ASSETS), join(root, site, ASSETS), { recursive: true });
        }
        await rm(join(root, ASSETS), { recursive: true, force: true });
        if (!indexer) return;
        // Every page has been rendered: the middleware is done with the indexer.
        stopSearchIndex();
        const started = performance.now();
        const search = await indexer.finish(join(root, 'journey'));
        indexer = undefined;
        logger.info(
          `Pagefind: ${search.pages} pages, index written in ${Math.round(performance.now() - started)} ms`,
        );
      },
    },
  };
}
