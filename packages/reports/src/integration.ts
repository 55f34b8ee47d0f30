/**
 * The report sites as an Astro integration: injects the routes of the site selected by
 * KAM_REPORT_SITE (two sites, one project), then makes the output portable (relative links)
 * and, for the value-journey site, indexes it with Pagefind.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { setSyncOnly } from './data/snapshot-loader.ts';
import { type ReportSite, reportEnv } from './env.ts';
import { finishPortableSite } from './relative-links.ts';
import {
  type SearchIndexer,
  searchIndexReceiver,
  startSearchIndex,
  stopSearchIndex,
} from './search-index.ts';

const ROUTES: Record<ReportSite, { pattern: string; page: string }[]> = {
  kpi: [
    { pattern: '/', page: 'kpi/index.astro' },
    { pattern: '/trends', page: 'kpi/trends.astro' },
    { pattern: '/customers', page: 'kpi/customers.astro' },
    { pattern: '/selection', page: 'kpi/selection.astro' },
    { pattern: '/performance', page: 'kpi/performance.astro' },
    { pattern: '/attention', page: 'kpi/attention.astro' },
    { pattern: '/units', page: 'kpi/units.astro' },
    { pattern: '/units/[unit]', page: 'kpi/unit.astro' },
  ],
  journey: [
    { pattern: '/', page: 'journey/index.astro' },
    { pattern: '/accounts', page: 'journey/accounts.astro' },
    { pattern: '/accounts/[account]', page: 'journey/account.astro' },
  ],
};

export function kamReportSites(): AstroIntegration {
  let site: ReportSite = 'kpi';
  let indexer: SearchIndexer | undefined;
  return {
    name: 'kam-report-sites',
    hooks: {
      'astro:config:setup': ({ command, injectRoute }) => {
        // `astro sync` (and so `astro check`) only needs the types, not a snapshot.
        setSyncOnly(command === 'sync');
        site = reportEnv().site;
        for (const route of ROUTES[site]) {
          injectRoute({
            pattern: route.pattern,
            entrypoint: fileURLToPath(new URL(`./sites/${route.page}`, import.meta.url)),
            prerender: true,
          });
        }
      },
      'astro:build:start': () => {
        // The journey pages are indexed while they render (see src/middleware.ts).
        indexer = site === 'journey' ? startSearchIndex() : undefined;
      },
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        await finishPortableSite(root);
        if (!indexer) return;
        // Every page has been rendered: the middleware is done with the indexer.
        stopSearchIndex();
        const started = performance.now();
        const written = indexer.finish(root).then(search => {
          logger.info(
            `Pagefind: ${search.pages} pages, index written in ${Math.round(performance.now() - started)} ms`,
          );
          return search;
        });
        indexer = undefined;
        const receive = searchIndexReceiver();
        if (receive) receive(written);
        else await written;
      },
    },
  };
}
