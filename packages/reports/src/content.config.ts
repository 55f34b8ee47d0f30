import { defineCollection } from 'astro:content';
import { snapshotLoaders } from './data/snapshot-loader.ts';

const loaders = snapshotLoaders();

export const collections = {
  portfolio: defineCollection({ loader: loaders.portfolio }),
  accounts: defineCollection({ loader: loaders.accounts }),
};
