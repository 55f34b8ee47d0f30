/**
 * The report build runs in a child process (the reports package's own CLI): an Astro build
 * holds a lot of memory and module state, and the reports package depends on this one (for
 * the in-process API), so the CLI delegates instead of importing it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { invocationDir } from '../ops/paths.ts';

export const REPORTS_CLI = fileURLToPath(new URL('../../../reports/src/cli.ts', import.meta.url));

export interface ReportBuildArgs {
  quarter: string;
  site: 'kpi' | 'journey' | 'all';
  out: string;
  revision?: number;
  apiUrl?: string;
  databaseUrl?: string;
  verbose?: boolean;
}

/** Runs `packages/reports/src/cli.ts`; resolves when it exits 0, rejects with its last error line otherwise. */
export function runReportBuild(args: ReportBuildArgs, options: { quiet?: boolean } = {}): Promise<void> {
  if (!existsSync(REPORTS_CLI)) {
    throw new Error(`The report builder is missing (${REPORTS_CLI}); install the whole kam workspace.`);
  }
  const argv = [
    '--max-old-space-size=2048',
    REPORTS_CLI,
    '--quarter',
    args.quarter,
    '--site',
    args.site,
    '--out',
    args.out,
    ...(args.revision ? ['--revision', String(args.revision)] : []),
    ...(args.apiUrl ? ['--api-url', args.apiUrl] : []),
    ...(args.databaseUrl ? ['--database-url', args.databaseUrl] : []),
    ...(args.verbose ? ['--verbose'] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      stdio: ['ignore', options.quiet ? 'pipe' : 'inherit', 'pipe'],
      // Astro writes its prerender chunks under the working directory and resolves their
      // imports from there: run inside the reports package. Relative paths stay the user's.
      cwd: path.dirname(path.dirname(REPORTS_CLI)),
      env: { ...process.env, INIT_CWD: invocationDir() },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (!options.quiet) process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('exit', code => {
      if (code === 0) return resolve();
      // Without `quiet` its error is already on the terminal: say so rather than print it twice.
      if (!options.quiet)
        return reject(new Error(`The report build failed (exit code ${code}; its error is above).`));
      const last = stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exit code ${code}`;
      reject(new Error(`The report build failed: ${last}`));
    });
  });
}
