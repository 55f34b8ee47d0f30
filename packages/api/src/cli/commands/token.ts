import {
  API_ROLES,
  type ApiRole,
  createApiToken,
  listApiTokens,
  Person,
  revokeApiToken,
  systemActor,
} from '@kam/domain';
import type { Command } from 'commander';
import { parseEnv } from '../../env.ts';
import { parseInstant } from '../../instant.ts';
import { assertMigrated, openDatabase } from '../database.ts';

async function withDatabase<T>(
  work: (orm: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
): Promise<T> {
  const orm = await openDatabase(parseEnv(process.env));
  try {
    await assertMigrated(orm);
    return await work(orm);
  } finally {
    await orm.close(true);
  }
}

export function registerToken(program: Command): void {
  const token = program.command('token').description('Create, list and revoke API tokens.');
  token
    .command('create')
    .description('Create a token for a person and role; the secret is printed once and never stored.')
    .requiredOption('--role <role>', `one of ${API_ROLES.join(', ')}`)
    .requiredOption('--person <email|id>', 'the person the token acts for')
    .option('--name <name>', 'a label for the token', 'cli token')
    .option('--expires <date>', 'expiry date or instant (ISO 8601), e.g. 2027-01-01')
    .action(async (options: { role: string; person: string; name: string; expires?: string }) => {
      if (!API_ROLES.includes(options.role as ApiRole)) {
        throw new Error(`--role must be one of ${API_ROLES.join(', ')}; got ${options.role}.`);
      }
      const expiresAt = options.expires === undefined ? null : parseInstant(options.expires);
      if (expiresAt !== null && !(expiresAt instanceof Date)) {
        throw new Error(`--expires ${expiresAt.problem}; got ${options.expires}.`);
      }
      if (expiresAt !== null && expiresAt.getTime() <= Date.now()) {
        throw new Error(
          `--expires must be in the future (an expired token would never work); got ${options.expires}.`,
        );
      }
      await withDatabase(async orm => {
        const em = orm.em.fork();
        const person = /^\d+$/.test(options.person)
          ? await em.findOne(Person, { id: Number(options.person) })
          : await em.findOne(Person, { email: options.person.toLowerCase() });
        if (!person)
          throw new Error(`No person ${options.person}; give an e-mail address or id of one of our people.`);
        const { token: created, secret } = await createApiToken(
          em,
          {
            personId: person.id,
            role: options.role as ApiRole,
            name: options.name,
            expiresAt,
          },
          systemActor('cli'),
        );
        console.log(
          `Token ${created.id} (${created.role}) for ${person.name}. Keep this secret; it is shown only now:`,
        );
        console.log(secret);
      });
    });
  token
    .command('list')
    .description('List tokens (never their secrets).')
    .action(async () => {
      await withDatabase(async orm => {
        const tokens = await listApiTokens(orm.em.fork());
        if (!tokens.length) console.log('No tokens.');
        for (const t of tokens) {
          const state = t.revokedAt
            ? 'revoked'
            : t.expiresAt && t.expiresAt < new Date()
              ? 'expired'
              : t.person.active
                ? 'active'
                : 'person inactive';
          console.log(
            `${t.id}\t${t.prefix}…\t${t.role}\t${t.person.email}\t${state}\t${t.name}\tlast used ${t.lastUsedAt?.toISOString() ?? 'never'}`,
          );
        }
      });
    });
  token
    .command('revoke')
    .description('Revoke a token; it stops working at once.')
    .argument('<id>', 'the token id (see kam token list)')
    .action(async (id: string) => {
      if (!/^\d+$/.test(id))
        throw new Error(`The token id must be a number (see kam token list); got ${id}.`);
      await withDatabase(async orm => {
        const revoked = await revokeApiToken(orm.em.fork(), { id: Number(id) }, systemActor('cli'));
        console.log(`Token ${revoked.id} revoked.`);
      });
    });
}
