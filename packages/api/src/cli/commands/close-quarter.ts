import { ACTOR_LABEL_MAX_LENGTH, closeQuarter, parseQuarter, systemActor } from '@kam/domain';
import type { Command } from 'commander';
import { parseEnv } from '../../env.ts';
import { assertMigrated, openDatabase } from '../database.ts';

const DEFAULT_CLOSER = 'kam close-quarter';

/** `--by` without the blanks around it; a blank or too long name is refused, before anything is opened. */
function closerName(by: string): string {
  const name = by.trim();
  if (name === '') {
    throw new Error(
      `--by is empty; give the name of who closes the quarter (it is recorded in the snapshot and the audit trail), or leave the option out to record "${DEFAULT_CLOSER}".`,
    );
  }
  if (name.length > ACTOR_LABEL_MAX_LENGTH) {
    throw new Error(
      `--by must be at most ${ACTOR_LABEL_MAX_LENGTH} characters (the snapshot and the audit trail keep no more); got ${name.length}.`,
    );
  }
  return name;
}

export function registerCloseQuarter(program: Command): void {
  program
    .command('close-quarter')
    .description(
      'Close a quarter: write its immutable snapshot of every figure the reports show (closing it again writes revision n+1).',
    )
    .argument('<quarter>', 'the quarter, YYYY-Qn (e.g. 2026-Q3)')
    .option('--by <name>', 'who closes it (recorded in the snapshot and the audit trail)', DEFAULT_CLOSER)
    .action(async (quarter: string, options: { by: string }) => {
      parseQuarter(quarter, 'quarter');
      const closer = closerName(options.by);
      const env = parseEnv(process.env);
      const orm = await openDatabase(env);
      try {
        await assertMigrated(orm);
        const result = await closeQuarter(orm.em.fork(), quarter, systemActor(closer));
        console.log(
          `Closed ${result.quarter} revision ${result.revision}: ${result.accounts} accounts, checksum sha256:${result.checksum} (${(result.ms / 1000).toFixed(1)} s).`,
        );
      } finally {
        await orm.close(true);
      }
    });
}
