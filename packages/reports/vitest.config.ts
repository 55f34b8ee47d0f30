/// <reference types="vitest/config" />
import { getViteConfig } from 'astro/config';

// Astro's Vite config, so that the component tests can render .astro files with the
// Container API. The browser test builds the sites in a child process.
export default getViteConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 180_000,
    // The browser test starts Chromium and builds both sites: keep the files apart.
    fileParallelism: false,
  },
});
