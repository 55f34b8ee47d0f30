import path from 'node:path';
import { dialectOf, parseQuarter, sqlitePath } from '@kam/domain';
import type { Command } from 'commander';
import { parseEnv } from '../../env.ts';
import { userPath } from '../../ops/paths.ts';
import { assertSqliteFileExists } from '../database.ts';
import { wholeNumber } from '../options.ts';
import { runReportBuild } from '../reports.ts';

const SITES = ['kpi', 'journey', 'all'] as const;

export function registerReport(program: Command): void {
  const report = program.command('report').description('Build the report sites of a closed quarter.');
  report
    .command('build')
    .description(
      'Build the KPI and/or value-journey site of a closed quarter into DIR/<quarter>/<site>/, from the API at KAM_API_URL (token in KAM_API_TOKEN) or in process from DATABASE_URL.',
    )
    .requiredOption('--quarter <YYYY-Qn>', 'the closed quarter to publish')
    .option('--revision <n>', 'the snapshot revision (default: the latest)')
    .option('--site <site>', 'kpi, journey or all', 'all')
    .requiredOption('--out <dir>', 'the publishing folder (an archive page lists every quarter in it)')
    .option('--verbose', 'show the Astro build log')
    .action(
      async (options: {
        quarter: string;
        revision?: string;
        site: string;
        out: string;
        verbose?: boolean;
      }) => {
        const quarter = parseQuarter(options.quarter, '--quarter');
        if (!SITES.includes(options.site as (typeof SITES)[number])) {
          throw new Error(`--site must be kpi, journey or all; got ${options.site}.`);
        }
        const revision =
          options.revision === undefined ? undefined : wholeNumber(options.revision, '--revision', 1);
        const out = userPath(options.out, '--out', 'the folder the report sites are published in');
        const env = parseEnv(process.env);
        // In process (no KAM_API_URL): a missing SQLite file would be created, empty, by the builder.
        if (!process.env.KAM_API_URL) assertSqliteFileExists(env.DATABASE_URL);
        await runReportBuild({
          quarter,
          site: options.site as (typeof SITES)[number],
          out,
          ...(revision ? { revision } : {}),
          // The builder resolves relative paths from the repository root; this command, from here.
          databaseUrl:
            dialectOf(env.DATABASE_URL) === 'sqlite'
              ? path.resolve(sqlitePath(env.DATABASE_URL))
              : env.DATABASE_URL,
          verbose: options.verbose ?? false,
        });
      },
    );
}
