import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DataloaderType,
  type EntityMetadata,
  type LoggerNamespace,
  MikroORM,
  type Options,
  ReferenceKind,
} from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { CompiledQuery, type DatabaseConnection } from 'kysely';
import { AuditSubscriber } from '../audit/audit.subscriber.ts';
import { ENTITIES } from './entities.ts';
import { KamSqliteDriver } from './sqlite-driver.ts';

export type Dialect = 'sqlite' | 'postgresql';

/** Where the database is: a SQLite file path (or `:memory:`), or a `postgres://` URL. */
export interface DatabaseOptions {
  /** `./data/kam.sqlite`, `sqlite:./data/kam.sqlite`, `:memory:` or `postgres://user@host:5432/db`. */
  url: string;
  /** PostgreSQL only: the schema to work in (tests use one schema per file). */
  schema?: string;
  /** PostgreSQL only: pool size. */
  poolSize?: number;
  /** Log every SQL statement through this function (used by tests that count statements). */
  onQuery?: (sql: string) => void;
  debug?: boolean;
}

const MIGRATIONS_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

export function dialectOf(url: string): Dialect {
  return /^postgres(ql)?:\/\//i.test(url) ? 'postgresql' : 'sqlite';
}

/** The SQLite file path of a `sqlite:` URL or a plain path. */
export function sqlitePath(url: string): string {
  return url.replace(/^sqlite:(\/\/)?/i, '');
}

function isSafeIdentifier(name: string): boolean {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(name);
}

/**
 * Every many-to-one column leads an index, on both databases: its own, or a declared index or
 * unique constraint (not a partial one) that starts with it. MikroORM gives such columns an
 * index of their own on SQLite only; on PostgreSQL, reading an opportunity's unit or a
 * contact's survey responses, and checking a parent row's children, would scan the table.
 * Where a declared index already starts with the column, the single-column one answers nothing
 * the composite one does not, and every insert paid for it: skipped. An explicit `.index()` on
 * the property still wins.
 */
export function foreignKeyIndexes(meta: EntityMetadata): void {
  const leading = new Set<string>();
  for (const index of [...meta.indexes, ...meta.uniques]) {
    if (index.where || index.expression || index.disabled || !Array.isArray(index.properties)) continue;
    if (index.properties.length > 1) leading.add(index.properties[0] as string);
  }
  for (const prop of Object.values(meta.properties)) {
    if (prop.kind === ReferenceKind.MANY_TO_ONE && prop.index === undefined) {
      prop.index = !leading.has(prop.name);
    }
  }
}

/**
 * The MikroORM configuration for kam. SQLite runs in WAL mode with `synchronous = FULL`
 * (every commit is durable) and foreign keys on; PostgreSQL uses a pool. Migrations live
 * in `migrations/<dialect>`. Nothing here reads the environment: the deployables do.
 */
export function createOrmConfig(options: DatabaseOptions): Options {
  const dialect = dialectOf(options.url);
  const loggerOptions = options.onQuery
    ? {
        debug: ['query'] as LoggerNamespace[],
        logger: (message: string) => options.onQuery?.(message),
        highlighter: undefined,
      }
    : { debug: options.debug ?? false };
  const common = {
    entities: ENTITIES,
    extensions: [Migrator],
    subscribers: [new AuditSubscriber()],
    dataloader: DataloaderType.ALL,
    forceUtcTimezone: true,
    discovery: { checkDuplicateFieldNames: true, onMetadata: foreignKeyIndexes },
    // The append-only triggers differ per dialect and are written by hand in the migrations.
    schemaGenerator: { ignoreTriggers: true },
    migrations: {
      path: path.join(MIGRATIONS_ROOT, dialect),
      glob: '!(*.d).ts',
      transactional: true,
      allOrNothing: true,
      // No snapshot file: `migration:create` diffs the entities against a scratch database
      // with every migration applied, so running migrations never writes into the source tree.
      snapshot: false,
      silent: true,
      emit: 'ts' as const,
    },
    ...loggerOptions,
  };
  if (dialect === 'postgresql') {
    const schema = options.schema;
    if (schema !== undefined && !isSafeIdentifier(schema)) {
      throw new Error(
        `Invalid PostgreSQL schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _.`,
      );
    }
    return {
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: options.url,
      // MikroORM creates a database that does not exist when it connects: a mistyped database
      // name in DATABASE_URL would make a new, empty database on the server. The operator
      // creates it (`createdb kam`, docs/operations.md); kam says when it is not there.
      ensureDatabase: false,
      ...(schema ? { schema } : {}),
      pool: { min: 0, max: options.poolSize ?? 10 },
      onCreateConnection: schema
        ? async (connection: unknown) => {
            await (connection as DatabaseConnection).executeQuery(
              CompiledQuery.raw(`set search_path to "${schema}"`),
            );
          }
        : undefined,
    } as unknown as Options;
  }
  const file = sqlitePath(options.url);
  return {
    ...common,
    driver: KamSqliteDriver,
    dbName: file,
    onCreateConnection: async (connection: unknown) => {
      const c = connection as DatabaseConnection;
      if (file !== ':memory:') await c.executeQuery(CompiledQuery.raw('pragma journal_mode = WAL'));
      await c.executeQuery(CompiledQuery.raw('pragma synchronous = FULL'));
      await c.executeQuery(CompiledQuery.raw('pragma foreign_keys = ON'));
      await c.executeQuery(CompiledQuery.raw('pragma busy_timeout = 5000'));
    },
  } as unknown as Options;
}

/** Opens (connects) an ORM for the given database. The caller closes it. */
export async function openOrm(options: DatabaseOptions): Promise<MikroORM> {
  return MikroORM.init(createOrmConfig(options));
}
