/**
 * Migrations for both dialects.
 *
 *   node scripts/migrations.ts create [name]   generate the next migration for SQLite and PostgreSQL
 *   node scripts/migrations.ts check           fail if the migrations do not produce the entities' schema
 *
 * PostgreSQL work happens in a scratch database on the server of KAM_TEST_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test).
 */
import type { MikroORM } from '@mikro-orm/core';
import { type Dialect, openOrm } from '../src/db/orm-config.ts';
import { createScratchDatabase, dropScratchDatabase } from '../src/testing/pg-schema.ts';

const PG_URL = process.env.KAM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DIALECTS: Dialect[] = ['sqlite', 'postgresql'];

async function withScratchDatabase<T>(dialect: Dialect, work: (orm: MikroORM) => Promise<T>): Promise<T> {
  if (dialect === 'sqlite') {
    const orm = await openOrm({ url: ':memory:' });
    try {
      return await work(orm);
    } finally {
      await orm.close(true);
    }
  }
  // A scratch database, not a schema: generated migrations must not name a schema.
  const scratch = await createScratchDatabase(PG_URL, 'kam_migrations');
  const orm = await openOrm({ url: scratch.url, poolSize: 1 });
  try {
    return await work(orm);
  } finally {
    await orm.close(true);
    await dropScratchDatabase(PG_URL, scratch.name);
  }
}

/** The SQL that would still be needed after all migrations ran: empty when they match the entities. */
export async function schemaDrift(dialect: Dialect): Promise<string> {
  return withScratchDatabase(dialect, async orm => {
    await orm.migrator.up();
    return (await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim();
  });
}

async function create(name: string | undefined): Promise<void> {
  for (const dialect of DIALECTS) {
    await withScratchDatabase(dialect, async orm => {
      await orm.migrator.up();
      const result = await orm.migrator.create(undefined, false, false, name);
      console.log(result.fileName ? `${dialect}: created ${result.fileName}` : `${dialect}: no changes`);
    });
  }
}

async function check(): Promise<void> {
  let failed = false;
  for (const dialect of DIALECTS) {
    const drift = await schemaDrift(dialect);
    if (drift) {
      failed = true;
      console.error(`${dialect}: the migrations do not match the entities. Missing SQL:\n${drift}\n`);
    } else {
      console.log(`${dialect}: migrations match the entities`);
    }
  }
  if (failed) {
    console.error('Run `pnpm --filter @kam/domain migration:create <name>` and commit the new migrations.');
    process.exit(1);
  }
}

const [command, arg] = process.argv.slice(2);
if (command === 'create') await create(arg);
else if (command === 'check') await check();
else {
  console.error('usage: node scripts/migrations.ts create [name] | check');
  process.exit(2);
}
