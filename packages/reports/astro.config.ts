import { defineConfig } from 'astro/config';
import { kamReportSites } from './src/integration.ts';

// One project, two sites, each in a folder of the output ("/kpi/…", "/journey/…");
// KAM_REPORT_SITES picks them (both by default). `src/build.ts` passes this configuration to
// Astro's build() with the output folder, and sets the sites and the data source.
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
