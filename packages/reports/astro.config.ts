import { defineConfig } from 'astro/config';
import { kamReportSites } from './src/integration.ts';

// One project, two sites: KAM_REPORT_SITE picks the routes; `src/build.ts` sets it, the
// output folder and the data source for each site it builds.
export default defineConfig({
  output: 'static',
  outDir: './out/site',
  build: { format: 'file', inlineStylesheets: 'never', concurrency: 4 },
  trailingSlash: 'ignore',
  devToolbar: { enabled: false },
  prefetch: false,
  integrations: [kamReportSites()],
  vite: {
    build: { assetsInlineLimit: 0 },
    // One chunk for the client script, so it can run as a classic script from file://.
    environments: { client: { build: { rolldownOptions: { output: { codeSplitting: false } } } } },
  },
});
