import { BusinessUnit, createPerson, systemActor } from '@kam/domain';
import type { Command } from 'commander';
import { parseEnv } from '../../env.ts';
import { assertMigrated, openDatabase } from '../database.ts';

export function registerPerson(program: Command): void {
  const person = program
    .command('person')
    .description('Manage our people from the command line (to bootstrap the first admin).');
  person
    .command('add')
    .description('Add one of our people.')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--email <email>', 'e-mail address (unique)')
    .option('--business-unit <code>', 'business unit code')
    .option('--title <title>', 'job title')
    .action(async (options: { name: string; email: string; businessUnit?: string; title?: string }) => {
      const orm = await openDatabase(parseEnv(process.env));
      try {
        await assertMigrated(orm);
        const em = orm.em.fork();
        let businessUnitId: number | null = null;
        if (options.businessUnit) {
          const unit = await em.findOne(BusinessUnit, { code: options.businessUnit });
          if (!unit) throw new Error(`No business unit has code ${options.businessUnit}.`);
          businessUnitId = unit.id;
        }
        const created = await createPerson(
          em,
          { name: options.name, email: options.email, title: options.title ?? null, businessUnitId },
          systemActor('cli'),
        );
        console.log(`Person ${created.id} added: ${created.name} <${created.email}>.`);
      } finally {
        await orm.close(true);
      }
    });
}
