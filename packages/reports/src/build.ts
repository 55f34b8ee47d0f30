/**
 * The report build's entry point (the `kam report build` command and `pnpm report:build`
 * call it): builds the KPI and/or value-journey site of one quarter into
 * `<outDir>/<quarter>/<site>/` with one call of Astro's `build()` API (each site a folder of
 * its output; the journey site indexed with Pagefind), and regenerates the archive pages from
 * the quarters present in `outDir`.
 */
import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'astro';
import config from '../astro.config.ts';
import {
  assertOwnIndexPages,
  type QuarterManifest,
  readManifest,
  recordSiteBuild,
  writeArchive,
} from './archive.ts';
import { openReportApi, type ReportApi, shareReportApi, unshareReportApi } from './data/api-client.ts';
import type { SnapshotInfo } from './data/schemas.ts';
import { SHARED_SNAPSHOT_LOADERS, type SnapshotLoadersHolder } from './data/shared-loaders.ts';
import { snapshotLoaders } from './data/snapshot-loader.ts';
import { resolveSnapshot } from './data/snapshot-pull.ts';
import { REPORT_SITES, type ReportSite, reportEnv } from './env.ts';
import { replaceDir, withOutputLock } from './publish-dir.ts';
import { refreshSiblingLinks } from './sibling-links.ts';

export interface BuildReportsOptions {
  /** The quarter to publish, e.g. "2026-Q3". */
  quarter: string;
  /** The snapshot revision; the latest when omitted. */
  revision?: number;
  site: ReportSite | 'all';
  /** The publishing root: the sites go to `<outDir>/<quarter>/<site>/`. */
  outDir: string;
  /** The GraphQL endpoint; without it the build reads `databaseUrl` in process. */
  apiUrl?: string;
  apiToken?: string;
  /** For the in-process API: a SQLite path (relative to the repository root) or a postgres:// URL. */
  databaseUrl?: string;
  /** Astro's log level; "warn" by default. */
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

export interface BuiltSite {
  site: ReportSite;
  dir: string;
  pages: number;
}

export interface BuildReportsResult {
  snapshot: SnapshotInfo;
  builtAt: string;
  sites: BuiltSite[];
  /** How long the sites took to build (one Astro build, its search index included). */
  ms: number;
  /** The archive page, `<outDir>/index.html`. */
  archive: string;
}

const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The variables the Astro build reads (src/env.ts), set for the duration of one build. */
async function withEnv<T>(values: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(values).map(key => [key, process.env[key]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(values);
  try {
    return await run();
  } finally {
    apply(saved);
  }
}

export async function buildReports(options: BuildReportsOptions): Promise<BuildReportsResult> {
  const outDir = resolve(options.outDir);
  return withOutputLock(outDir, () => buildReportsInto(outDir, options));
}

async function buildReportsInto(outDir: string, options: BuildReportsOptions): Promise<BuildReportsResult> {
  // Before any data is read: the user's own home page in --out is not replaced.
  await assertOwnIndexPages(outDir, options.quarter);
  const sites: ReportSite[] = options.site === 'all' ? [...REPORT_SITES] : [options.site];
  const builtAt = new Date().toISOString();
  const base = {
    KAM_API_URL: options.apiUrl ?? process.env.KAM_API_URL,
    KAM_API_TOKEN: options.apiToken ?? process.env.KAM_API_TOKEN,
    DATABASE_URL: options.databaseUrl ?? process.env.DATABASE_URL,
    KAM_REPORT_QUARTER: options.quarter,
    KAM_REPORT_REVISION: options.revision?.toString(),
    KAM_REPORT_BUILT_AT: builtAt,
    // Pages of a static build get a classic script, which browsers also run from file://.
    KAM_REPORT_STATIC: '1',
    // Astro would otherwise send usage data about every report build to its makers (and run
    // `git config` to fingerprint the project): kam's users did not ask for that.
    ASTRO_TELEMETRY_DISABLED: '1',
  };

  // Pin the revision first, so that both sites show the same snapshot even if the quarter is
  // closed again while they build.
  // One API client for the whole build, shared with the content loaders.
  const api = await withEnv(base, () => openReportApi(reportEnv()));
  shareReportApi(api);
  (globalThis as SnapshotLoadersHolder)[SHARED_SNAPSHOT_LOADERS] = snapshotLoaders;
  try {
    return await buildSites(options, api, base, sites, outDir, builtAt);
  } finally {
    delete (globalThis as SnapshotLoadersHolder)[SHARED_SNAPSHOT_LOADERS];
    unshareReportApi();
    await api.close();
  }
}

async function buildSites(
  options: BuildReportsOptions,
  api: ReportApi,
  base: Record<string, string | undefined>,
  sites: ReportSite[],
  outDir: string,
  builtAt: string,
): Promise<BuildReportsResult> {
  const snapshot = await withEnv(base, () => {
    const env = reportEnv();
    return resolveSnapshot(api, { quarter: env.quarter, revision: env.revision });
  });

  // Cross-site links go only to sites that exist for the quarter once this build is done.
  const published = await readManifest(outDir, snapshot.quarter);
  const linkedSites = REPORT_SITES.filter(
    site => sites.includes(site) || published?.sites[site]?.revision === snapshot.revision,
  );
  const cacheKey = createHash('sha256').update(outDir).digest('hex').slice(0, 12);
  // Astro imports its prerender chunks from the output folder, and they resolve their
  // dependencies from there: build inside this package, then move each site into place.
  const work = join(PACKAGE_ROOT, 'node_modules', '.cache', 'kam-reports', `${cacheKey}-${sites.join('-')}`);
  const stage = join(work, 'site');
  await rm(stage, { recursive: true, force: true });
  const started = performance.now();
  await withEnv(
    {
      ...base,
      KAM_REPORT_REVISION: String(snapshot.revision),
      KAM_REPORT_CHECKSUM: snapshot.checksum,
      KAM_REPORT_SITES: sites.join(','),
      KAM_REPORT_LINKED_SITES: linkedSites.join(','),
    },
    () =>
      // The configuration is passed in, not loaded from astro.config.ts again through Vite.
      build(
        {
          ...config,
          configFile: false,
          root: PACKAGE_ROOT,
          outDir: stage,
          // The content store of each output folder and set of sites is kept between builds: a
          // rebuild of the same snapshot (quarter, revision and checksum) skips the pull.
          cacheDir: join(work, 'cache'),
          logLevel: options.logLevel ?? 'warn',
        },
        { devOutput: false },
      ),
  );
  const ms = Math.round(performance.now() - started);

  const built: BuiltSite[] = [];
  let manifest: QuarterManifest | undefined;
  for (const site of sites) {
    const dir = join(outDir, snapshot.quarter, site);
    await replaceDir(join(stage, site), dir);
    const pages = await countPages(dir);
    built.push({ site, dir, pages });
    manifest = await recordSiteBuild(outDir, snapshot.quarter, site, {
      revision: snapshot.revision,
      closedAt: snapshot.closedAt,
      checksum: snapshot.checksum,
      builtAt,
      pages,
    });
  }
  await rm(stage, { recursive: true, force: true });
  // The sibling built earlier (not rebuilt now) links to this build exactly when it has its revision.
  if (manifest) await refreshSiblingLinks(outDir, manifest, sites);
  await writeArchive(outDir);
  return { snapshot, builtAt, sites: built, ms, archive: join(outDir, 'index.html') };
}

async function countPages(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter(entry => entry.endsWith('.html') && !entry.startsWith('pagefind')).length;
}
