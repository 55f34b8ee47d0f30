import type { snapshotLoaders } from './snapshot-loader.ts';

/** Where a report build hands `snapshotLoaders` to the content config (src/content.config.ts). */
export const SHARED_SNAPSHOT_LOADERS = Symbol.for('kam.reports.snapshotLoaders');
export type SnapshotLoadersHolder = { [SHARED_SNAPSHOT_LOADERS]?: typeof snapshotLoaders };
