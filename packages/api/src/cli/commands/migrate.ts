import { migrateDatabase } from '@kam/domain';
import type { Command } from 'commander';
import { parseEnv } from '../../env.ts';
import { withoutPassword } from '../../ops/urls.ts';
import { openDatabase } from '../database.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations and create missing reference data (safe to repeat).')
    .action(async () => {
      const env = parseEnv(process.env);
      const orm = await openDatabase(env, { create: true });
      try {
        const report = await migrateDatabase(orm);
        console.log(
          report.applied.length
            ? `Applied ${report.applied.length} migration(s) to ${withoutPassword(env.DATABASE_URL)}: ${report.applied.join(', ')}`
            : `${withoutPassword(env.DATABASE_URL)} is up to date.`,
        );
        if (report.referenceData.created)
          console.log(`Created ${report.referenceData.created} reference row(s).`);
      } finally {
        await orm.close(true);
      }
    });
}
