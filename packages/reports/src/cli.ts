/**
 * `pnpm --filter @kam/reports report:build -- --quarter 2026-Q3 --site all --out DIR`
 *
 * Options fall back to the environment (KAM_REPORT_QUARTER, KAM_REPORT_REVISION,
 * KAM_API_URL, KAM_API_TOKEN, DATABASE_URL). A relative --out is taken from
 * the directory the command was run in.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { invocationDir } from '@kam/api/paths';
import { buildReports } from './build.ts';
import { parseReportEnv } from './env.ts';

const USAGE = `Usage: report:build --quarter YYYY-Qn [--revision N] [--site kpi|journey|all] --out DIR
                    [--api-url URL] [--database-url PATH|URL] [--verbose]
The API token is read from KAM_API_TOKEN (never from the command line).`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      quarter: { type: 'string' },
      revision: { type: 'string' },
      site: { type: 'string', default: 'all' },
      out: { type: 'string' },
      'api-url': { type: 'string' },
      'database-url': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const env = parseReportEnv({
    ...process.env,
    KAM_REPORT_QUARTER: values.quarter ?? process.env.KAM_REPORT_QUARTER,
    KAM_REPORT_REVISION: values.revision ?? process.env.KAM_REPORT_REVISION,
    KAM_API_URL: values['api-url'] ?? process.env.KAM_API_URL,
    DATABASE_URL: values['database-url'] ?? process.env.DATABASE_URL,
  });
  // `--out "$OUTDIR"` with OUTDIR unset would publish into the folder the command runs in.
  if (values.out !== undefined && values.out.trim() === '') {
    console.error('--out is empty; give the folder the report sites are published in.');
    return 2;
  }
  if (!env.quarter || !values.out || !['kpi', 'journey', 'all'].includes(values.site)) {
    console.error(USAGE);
    return 2;
  }
  const result = await buildReports({
    quarter: env.quarter,
    ...(env.revision ? { revision: env.revision } : {}),
    site: values.site as 'kpi' | 'journey' | 'all',
    outDir: resolve(invocationDir(), values.out),
    ...(env.apiUrl ? { apiUrl: env.apiUrl } : {}),
    ...(env.apiToken ? { apiToken: env.apiToken } : {}),
    databaseUrl: env.databaseUrl,
    logLevel: values.verbose ? 'info' : 'warn',
  });
  for (const site of result.sites) console.log(`${site.site}: ${site.pages} pages → ${site.dir}`);
  console.log(`Built in ${(result.ms / 1000).toFixed(1)} s.`);
  console.log(`${result.snapshot.quarter} revision ${result.snapshot.revision}; archive: ${result.archive}`);
  return 0;
}

main(process.argv.slice(2)).then(
  code => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
