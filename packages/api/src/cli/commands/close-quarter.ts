import { closeQuarter, parseQuarter, systemActor } from '@kam/domain';
import type { Command } from 'commander';
import { parseEnv } from '../../env.ts';
import { assertMigrated, openDatabase } from '../database.ts';

export function registerCloseQuarter(program: Command): void {
  program
    .command('close-quarter')
    .description(
      'Close a quarter: write its immutable snapshot of every figure the reports show (closing it again writes revision n+1).',
    )
    .argument('<quarter>', 'the quarter, YYYY-Qn (e.g. 2026-Q3)')
    .option(
      '--by <name>',
      'who closes it (recorded in the snapshot and the audit trail)',
      'kam close-quarter',
    )
    .action(async (quarter: string, options: { by: string }) => {
      parseQuarter(quarter, 'quarter');
      const env = parseEnv(process.env);
      const orm = await openDatabase(env);
      try {
        await assertMigrated(orm);
        const result = await closeQuarter(orm.em.fork(), quarter, systemActor(options.by));
        console.log(
          `Closed ${result.quarter} revision ${result.revision}: ${result.accounts} accounts, checksum sha256:${result.checksum} (${(result.ms / 1000).toFixed(1)} s).`,
        );
      } finally {
        await orm.close(true);
      }
    });
}
