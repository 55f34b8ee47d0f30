// `defineCollection` from the package's own entry (`astro/content/config`, the function that
// `astro:content` wraps), not from the virtual `astro:content`: importing that made Vite
// transform and run about 70 modules of Astro's server runtime just to load this file, about
// 0.4 s of every report build.
import { defineCollection } from 'astro/content/config';
import { snapshotLoaders } from './data/snapshot-loader.ts';

const loaders = snapshotLoaders();

export const collections = {
  portfolio: defineCollection({ loader: loaders.portfolio }),
  accounts: defineCollection({ loader: loaders.accounts }),
};
