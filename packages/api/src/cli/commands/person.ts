import { BusinessUnit, createPerson, type EntityManager, systemActor } from '@kam/domain';
import type { Command } from 'commander';
import { parseEnv } from '../../env.ts';
import { assertMigrated, openDatabase } from '../database.ts';

/** Business units listed by code in a message; with more, the message names the query instead. */
const LISTED_UNITS = 20;

/**
 * Why `code` names no business unit, and how to find the right code: the one meant when only the
 * capitals differ, else the codes there are (when few), else the query that lists them.
 */
async function noSuchBusinessUnit(em: EntityManager, code: string): Promise<string> {
  // An organisation has a few dozen business units at most: their codes are read in one go.
  const codes = (await em.find(BusinessUnit, {}, { fields: ['code'], orderBy: { code: 'asc' } })).map(
    unit => unit.code,
  );
  if (!codes.length) {
    return `No business unit has code ${code}: there are no business units yet. Create it first (the createBusinessUnit mutation of the GraphQL API), or leave out --business-unit.`;
  }
  const exactly = `No business unit has code ${code}; codes are matched exactly, capitals included`;
  const meant = codes.find(c => c.toLowerCase() === code.trim().toLowerCase());
  if (meant) return `${exactly}: did you mean ${meant}?`;
  if (codes.length > LISTED_UNITS)
    return `${exactly} (the businessUnits query of the GraphQL API lists them).`;
  return `${exactly}. The business unit codes are ${codes.join(', ')}.`;
}

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
          if (!unit) throw new Error(await noSuchBusinessUnit(em, options.businessUnit));
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
