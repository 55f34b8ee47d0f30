import { defaultEndQuarter, parseQuarter, seedDemoPortfolio, systemActor } from '@kam/domain';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { parseEnv } from '../../env.ts';
import { withoutPassword } from '../../ops/urls.ts';
import { assertMigrated, openDatabase } from '../database.ts';
import { wholeNumber } from '../options.ts';

export function registerSeed(program: Command): void {
  const seed = program.command('seed').description('Load generated data.');
  seed
    .command('demo')
    .description(
      'Load the deterministic demo portfolio into an empty, migrated database (same seed, same data).',
    )
    .option('--accounts <n>', 'number of accounts', '2000')
    .option(
      '--quarters <n>',
      'quarters of history (growth and retention appear from the eighth: each compares a year with the one before)',
      '12',
    )
    .option('--seed <n>', 'seed of the generator', '42')
    .option('--end-quarter <YYYY-Qn>', 'the last quarter (default: the last finished quarter)')
    .action(async (options: { accounts: string; quarters: string; seed: string; endQuarter?: string }) => {
      const accounts = wholeNumber(options.accounts, '--accounts', 10, 1_000_000);
      const quarters = wholeNumber(options.quarters, '--quarters', 1, 40);
      const seedValue = wholeNumber(options.seed, '--seed', 0, 2 ** 31 - 1);
      const endQuarter = options.endQuarter
        ? parseQuarter(options.endQuarter, '--end-quarter')
        : defaultEndQuarter();
      const env = parseEnv(process.env);
      const orm = await openDatabase(env);
      const bar = process.stdout.isTTY
        ? new SingleBar({ format: '  demo portfolio [{bar}] {value}/{total} {step}', hideCursor: true })
        : undefined;
      try {
        await assertMigrated(orm);
        bar?.start(8, 0, { step: '' });
        const report = await seedDemoPortfolio(
          orm.em.fork(),
          { accounts, quarters, seed: seedValue, endQuarter },
          systemActor('kam seed demo'),
          (step, done) => bar?.update(done, { step }),
        );
        bar?.stop();
        console.log(
          `Loaded the demo portfolio into ${withoutPassword(env.DATABASE_URL)} in ${(report.ms / 1000).toFixed(1)} s: ${report.accounts} accounts (${report.keyAccounts} key), ${report.financialRows} financial rows over ${report.quarters[0]}–${report.quarters.at(-1)}.`,
        );
      } finally {
        bar?.stop();
        await orm.close(true);
      }
    });
}
