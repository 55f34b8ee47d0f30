/**
 * The report build's environment, parsed once with zod. Only this module reads `process.env`.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withoutPassword } from '@kam/api/urls';
import * as z from 'zod';
import { quarter } from './data/schemas.ts';

export const REPORT_SITES = ['kpi', 'journey'] as const;
export type ReportSite = (typeof REPORT_SITES)[number];

/** The repository root (packages/reports/src → ../../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/** A comma-separated list of sites, e.g. "kpi,journey", in the order of REPORT_SITES. */
const siteList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform(list => list.split(',').map(entry => entry.trim()))
    .pipe(z.array(z.enum(REPORT_SITES)).min(1))
    .transform(list => REPORT_SITES.filter(site => list.includes(site)));

const envSchema = z.object({
  KAM_API_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({
        protocol: /^https?$/,
        abort: true,
        error: issue =>
          `must be the http(s) URL of the API's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql; got ${JSON.stringify(withoutPassword(String(issue.input)))}`,
      })
      // The token goes in a header (KAM_API_TOKEN); fetch refuses a URL with credentials, and
      // repeats the URL, password and all, in its message.
      .refine(
        url => {
          const parsed = URL.parse(url);
          return !parsed?.username && !parsed?.password;
        },
        {
          error: issue =>
            `must not hold a user name or password: put the token in KAM_API_TOKEN, not in the URL; got ${JSON.stringify(withoutPassword(String(issue.input)))}`,
        },
      )
      .optional(),
  ),
  KAM_API_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.string().default('./data/kam.sqlite')),
  KAM_REPORT_QUARTER: z.preprocess(emptyAsUndefined, quarter.optional()),
  /** Written in decimal digits, as every number kam reads (`0x1` or `1e0` are refused). */
  KAM_REPORT_REVISION: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d+$/, 'must be a revision number written in digits, from 1')
      .transform(Number)
      .pipe(z.number().int().min(1, 'must be a revision number written in digits, from 1'))
      .optional(),
  ),
  /** Set by `buildReports` with the revision: the checksum of the snapshot it resolved. */
  KAM_REPORT_CHECKSUM: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  /** The sites one Astro build renders, each under its own folder ("kpi", "journey" or both). */
  KAM_REPORT_SITES: z.preprocess(emptyAsUndefined, siteList('kpi,journey')),
  /** When the build started (ISO instant); one value for both sites of a `buildReports` run. */
  KAM_REPORT_BUILT_AT: z.preprocess(emptyAsUndefined, z.iso.datetime().optional()),
  /** Set by `buildReports`: a static build, whose pages get a classic script (runs from file://). */
  KAM_REPORT_STATIC: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).default('0')),
  /** The sites published for the quarter (this one included): cross-site links go only there. */
  KAM_REPORT_LINKED_SITES: z.preprocess(emptyAsUndefined, siteList('kpi,journey')),
});

export interface ReportEnv {
  /** The GraphQL endpoint; without it the build reads the embedded database in process. */
  apiUrl: string | undefined;
  apiToken: string | undefined;
  /** An absolute path or a `postgres://` URL; relative paths are taken from the repository root. */
  databaseUrl: string;
  /** The quarter to report; the newest closed quarter when not set. */
  quarter: string | undefined;
  revision: number | undefined;
  /** The checksum of the pinned revision: the content cache is trusted only when it matches. */
  checksum: string | undefined;
  /** The sites of this build, in the order of REPORT_SITES. */
  sites: ReportSite[];
  builtAt: string;
  linkedSites: ReportSite[];
  /** A static build by `buildReports` (not `astro dev`). */
  staticBuild: boolean;
}

export function parseReportEnv(source: Record<string, string | undefined>): ReportEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid report environment:\n${z.prettifyError(parsed.error)}`);
  }
  const env = parsed.data;
  if (env.KAM_API_URL && !env.KAM_API_TOKEN) {
    throw new Error('KAM_API_URL is set but KAM_API_TOKEN is not: the API needs a bearer token.');
  }
  return {
    apiUrl: env.KAM_API_URL,
    apiToken: env.KAM_API_TOKEN,
    databaseUrl: resolveDatabaseUrl(env.DATABASE_URL),
    quarter: env.KAM_REPORT_QUARTER,
    revision: env.KAM_REPORT_REVISION,
    checksum: env.KAM_REPORT_CHECKSUM,
    sites: env.KAM_REPORT_SITES,
    builtAt: env.KAM_REPORT_BUILT_AT ?? new Date().toISOString(),
    linkedSites: env.KAM_REPORT_LINKED_SITES,
    staticBuild: env.KAM_REPORT_STATIC === '1',
  };
}

/** A relative SQLite path is relative to the repository root, wherever the build runs. */
export function resolveDatabaseUrl(url: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || isAbsolute(url)) return url;
  return resolve(REPO_ROOT, url);
}

const KEYS = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];
let cached: { key: string; env: ReportEnv } | undefined;
/**
 * The environment of this process, parsed once. `buildReports` sets the variables before its
 * build (a process may run several), so a change of the variables parses again.
 */
export function reportEnv(): ReportEnv {
  const key = KEYS.map(name => process.env[name] ?? '').join('\n');
  if (cached?.key !== key) cached = { key, env: parseReportEnv(process.env) };
  return cached.env;
}
