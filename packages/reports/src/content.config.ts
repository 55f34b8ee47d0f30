// `defineCollection` from the package's own entry (`astro/content/config`, the function that
// `astro:content` wraps), not from the virtual `astro:content`: importing that made Vite
// transform and run about 70 modules of Astro's server runtime just to load this file, about
// 0.4 s of every report build.
import { defineCollection } from 'astro/content/config';
import { SHARED_SNAPSHOT_LOADERS, type SnapshotLoadersHolder } from './data/shared-loaders.ts';

// A report build (src/build.ts) has the loaders' modules loaded already and hands their factory
// over, so that Vite need not transform and run them a second time to load this file; `astro
// build`, `astro dev` and `astro sync` import them here.
const snapshotLoaders =
  (globalThis as SnapshotLoadersHolder)[SHARED_SNAPSHOT_LOADERS] ??
  (await import('./data/snapshot-loader.ts')).snapshotLoaders;
const loaders = snapshotLoaders();

export const collections = {
  portfolio: defineCollection({ loader: loaders.portfolio }),
  accounts: defineCollection({ loader: loaders.accounts }),
};
