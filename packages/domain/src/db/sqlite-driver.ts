import { type Configuration, isRaw, JsonProperty, Utils } from '@mikro-orm/core';
import { AbstractSqlDriver, NativeQueryBuilder, raw, SqlitePlatform } from '@mikro-orm/sql';
import { SqliteConnection, MikroORM as SqliteMikroORM } from '@mikro-orm/sqlite';
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import { foldCase, SQLITE_LOWER_FUNCTION } from './text-search.ts';

/**
 * kam's SQLite driver: MikroORM's better-sqlite3 driver with five changes: the first four keep a
 * long-running process fast and its memory flat, the fifth lets processes write in turn.
 *
 * 1. **Bound parameters.** MikroORM formats every value into the SQL text before it runs
 *    (`select … where id = 42`). Here the values are bound to the `?` placeholders
 *    instead, so a query shape has one SQL text whatever its values. A value is bound as
 *    exactly what the inlined literal would have been (integers as 64-bit integers,
 *    booleans as 1/0, dates as epoch milliseconds, objects as JSON text); lists (`in (?)`)
 *    are expanded to one placeholder per element, padded to a power of two by repeating the
 *    last element so the number of SQL texts stays small. Anything else (raw SQL fragments,
 *    identifier placeholders, a placeholder count that does not match) runs exactly as
 *    MikroORM would run it.
 * 2. **A statement cache.** better-sqlite3 never frees a prepared statement before its
 *    database closes (measured in docs/benchmarks.md: ~3.7 KB per `prepare`, kept even
 *    after a forced GC), and kysely prepares on every query. Statements are cached by SQL
 *    text, so repeated query shapes reuse one statement and the process stops growing.
 * 3. **Statements outside a transaction run directly.** kysely serialises the one SQLite
 *    connection with a mutex, so every statement costs several promises (lock, acquire,
 *    execute, release). better-sqlite3 runs statements synchronously, so when nobody holds the
 *    connection (no transaction, no streamed query) and none is open on the database, a
 *    statement runs at once: it starts and ends before any other code can run, and it sees
 *    exactly what it would see through kysely. Otherwise it waits its turn through kysely.
 * 4. **Reads share a read transaction per turn of the event loop.** A statement outside a
 *    transaction is a transaction of its own: SQLite takes and drops its WAL read lock (file
 *    locks and a check of the file) for every one, about two thirds of a short read's cost
 *    (8–9 µs a statement against 3 µs inside one transaction, measured in docs/benchmarks.md).
 *    So the first direct read opens a read transaction and the reads that follow in the same
 *    turn of the event loop (all requests being served in it) run in it; it ends when the turn
 *    does (`setImmediate`), and before anything else uses the connection: a write, any
 *    statement that is not a plain `select`, or kysely (a transaction, a stream). Those reads
 *    see the database as the first of them did, as if they had run at once, which direct
 *    statements do anyway; writes of other connections show from the next turn on.
 * 5. **A transaction takes the write lock when it begins** (`begin immediate`), unless it is
 *    declared read-only (`em.transactional(…, { readOnly: true })`, as the CSV export's is). A
 *    deferred transaction reads first and asks for the write lock at its first write; if another
 *    process (a second `kam close-quarter`, `kam serve` beside the CLI) committed in between,
 *    SQLite refuses it at once with "database is locked" (its snapshot is stale, so waiting
 *    cannot help). Begun immediate, it waits its turn (`busy_timeout`) and then reads the other's
 *    commit. Within one process kysely runs one transaction at a time anyway.
 */

/** The most statements kept; beyond it, statements are prepared per use (and not cached). */
const STATEMENT_CACHE_SIZE = 2_000;
/** Texts longer than this (large multi-row inserts) are not cached. */
const MAX_CACHED_SQL_LENGTH = 200_000;
/** SQLite's default limit on bound parameters (SQLITE_MAX_VARIABLE_NUMBER). */
const MAX_BOUND_PARAMETERS = 32_766;

type Statement = BetterSqlite3.Statement;

/** Counters for tests and benchmarks. */
export interface StatementCacheStats {
  hits: number;
  prepared: number;
  size: number;
  /** Statements run directly on better-sqlite3, without kysely (see KamSqliteConnection). */
  direct: number;
}

const STATS = Symbol('kam.statementCacheStats');

function installStatementCache(db: BetterSqlite3.Database): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Statement>();
  const stats: StatementCacheStats = { hits: 0, prepared: 0, size: 0, direct: 0 };
  (db as unknown as Record<symbol, StatementCacheStats>)[STATS] = stats;
  db.prepare = ((sql: string) => {
    const cached = cache.get(sql);
    // A statement still iterating (a streamed query) cannot run twice at once.
    if (cached && !cached.busy) {
      stats.hits += 1;
      return cached;
    }
    const statement = prepare(sql);
    stats.prepared += 1;
    if (!cached && cache.size < STATEMENT_CACHE_SIZE && sql.length <= MAX_CACHED_SQL_LENGTH) {
      cache.set(sql, statement);
      stats.size = cache.size;
    }
    return statement;
  }) as typeof db.prepare;
}

/**
 * SQL functions kam's queries use on SQLite. `kam_lower` folds text for a case-insensitive search
 * (`foldCase`: every script, not only A–Z as SQLite's `lower()`), for `containsIgnoringCase`
 * (`text-search.ts`); deterministic, so SQLite may factor it out of a query like a built-in.
 */
function registerFunctions(db: BetterSqlite3.Database): void {
  db.function(SQLITE_LOWER_FUNCTION, { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? foldCase(value) : value,
  );
}

/** The statement cache counters of an ORM on kam's SQLite driver (undefined on PostgreSQL). */
export function statementCacheStats(connection: unknown): StatementCacheStats | undefined {
  const database = (connection as { database?: Record<symbol, StatementCacheStats> }).database;
  return database?.[STATS];
}

/** A run of placeholders `?, ?, ?` (sticky, from a given index). */
const LIST = /\?(?:\s*,\s*\?)*/y;

/** Whether the last non-blank character before `at` is `(`. */
function openParenBefore(sql: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (sql[i] === ' ' || sql[i] === '\n' || sql[i] === '\t')) i -= 1;
  return sql[i] === '(';
}

/** The next power of two ≥ n (lists are padded to it). */
function bucket(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

/** What better-sqlite3 binds for one value, matching the literal MikroORM would inline. */
function bindable(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
      return Number.isSafeInteger(value) ? BigInt(value) : value;
    case 'string':
    case 'bigint':
      return value;
    case 'boolean':
      return value ? 1n : 0n;
  }
  if (value instanceof Date) return BigInt(value.getTime());
  if (Buffer.isBuffer(value)) return value;
  if (Utils.isPlainObject(value) || (value as Record<symbol, unknown>)[JsonProperty]) {
    return JSON.stringify(value);
  }
  return String(value);
}

/** Whether the text has placeholders bindQuery leaves to MikroORM (`??` identifiers, escaped `\?`). */
function hasUnboundPlaceholders(sql: string): boolean {
  return sql.includes('??') || sql.includes('\\?');
}

/** Whether the placeholder at `at` opens an `in (…)` list. */
function inListAt(sql: string, at: number): boolean {
  return openParenBefore(sql, at) && /\bin\s*\(\s*$/i.test(sql.slice(Math.max(0, at - 16), at));
}

/**
 * Per SQL text: its number of placeholders when none is in an `in (…)` list and it has no
 * `??` or `\?`, otherwise -1. Kept for as many texts as the statement cache.
 */
const PLAIN_PLACEHOLDERS = new Map<string, number>();

function plainPlaceholders(sql: string): number {
  let count = PLAIN_PLACEHOLDERS.get(sql);
  if (count !== undefined) return count;
  count = 0;
  if (hasUnboundPlaceholders(sql)) count = -1;
  else {
    for (let at = sql.indexOf('?'); at !== -1; at = sql.indexOf('?', at + 1)) {
      if (inListAt(sql, at)) {
        count = -1;
        break;
      }
      count += 1;
    }
  }
  if (PLAIN_PLACEHOLDERS.size < STATEMENT_CACHE_SIZE && sql.length <= MAX_CACHED_SQL_LENGTH) {
    PLAIN_PLACEHOLDERS.set(sql, count);
  }
  return count;
}

/**
 * The SQL with one placeholder per bound value, and the values; or undefined when the
 * query must run as MikroORM formats it (raw fragments, `??`, escaped `\?`, a mismatch).
 */
export function bindQuery(
  sql: string,
  params: readonly unknown[],
): { sql: string; values: unknown[] } | undefined {
  if (params.length === 0) return { sql, values: [] };
  // The common case, decided once per SQL text: one scalar per placeholder and no `in (…)`
  // list, so the text stays as it is and only the values are converted.
  if (plainPlaceholders(sql) === params.length && params.length <= MAX_BOUND_PARAMETERS) {
    const values = new Array<unknown>(params.length);
    let i = 0;
    for (; i < params.length; i++) {
      const param = params[i];
      if (Array.isArray(param) || isRaw(param)) break;
      values[i] = bindable(param);
    }
    if (i === params.length) return { sql, values };
  }
  if (hasUnboundPlaceholders(sql)) return undefined;
  const values: unknown[] = [];
  const scalar = (value: unknown) => !Array.isArray(value) && !isRaw(value);
  /** Binds `list` as the members of an `in (…)` list, padded by repeating its last member. */
  const padded = (list: readonly unknown[]) => {
    const size = bucket(list.length);
    for (let i = 0; i < size; i++) values.push(bindable(list[Math.min(i, list.length - 1)]));
    return new Array(size).fill('?').join(', ');
  };
  let out = '';
  let from = 0;
  let index = 0;
  for (let at = sql.indexOf('?'); at !== -1; at = sql.indexOf('?', from)) {
    if (index >= params.length) return undefined;
    // `in (` right before the placeholder; most placeholders (`, ?`, `= ?`) fail the first test.
    const inList = inListAt(sql, at);
    const param = params[index];
    if (Array.isArray(param)) {
      // One placeholder for a whole list (MikroORM's `in (?)`).
      if (param.length === 0 || !param.every(scalar)) return undefined;
      if (inList) out += sql.slice(from, at) + padded(param);
      else {
        for (const member of param) values.push(bindable(member));
        out += sql.slice(from, at) + param.map(() => '?').join(', ');
      }
      index += 1;
      from = at + 1;
      continue;
    }
    if (!scalar(param)) return undefined;
    if (inList) {
      // A list written out placeholder by placeholder (`in (?, ?, ?)`).
      LIST.lastIndex = at;
      const match = LIST.exec(sql);
      const count = match ? (match[0].match(/\?/g)?.length ?? 1) : 1;
      const members = params.slice(index, index + count);
      if (members.length !== count || !members.every(scalar)) return undefined;
      out += sql.slice(from, at) + padded(members);
      index += count;
      from = at + (match ? match[0].length : 1);
      continue;
    }
    values.push(bindable(param));
    out += `${sql.slice(from, at)}?`;
    index += 1;
    from = at + 1;
  }
  if (index !== params.length || values.length > MAX_BOUND_PARAMETERS) return undefined;
  return { sql: out + sql.slice(from), values };
}

type ExecuteArgs = Parameters<SqliteConnection['execute']>;
type Method = 'all' | 'get' | 'run';

/**
 * The SQL text with `?` placeholders and its parameters, as MikroORM's `prepareQuery` derives
 * them (query builders, raw fragments, named parameters, the `onQuery` hook) but without
 * formatting the values into the text, which only the query log needs.
 */
function sqlAndParams(
  config: { get(key: 'onQuery'): (sql: string, params: readonly unknown[]) => string },
  query: unknown,
  params: unknown,
): { query: string; params: unknown[] } {
  let sql = query;
  let values = params;
  if (sql instanceof NativeQueryBuilder) sql = sql.toRaw();
  if (typeof sql === 'string' && values && !Array.isArray(values)) sql = raw(sql, values as never);
  if (isRaw(sql)) {
    values = sql.params;
    sql = sql.sql;
  }
  const list = (values ?? []) as unknown[];
  return { query: config.get('onQuery')(sql as string, list), params: list };
}

/** kysely's driver interface, as far as holding the connection goes. */
interface HeldConnectionDriver {
  init(): Promise<void>;
  acquireConnection(options?: unknown): Promise<unknown>;
  releaseConnection(connection: unknown, options?: unknown): Promise<void>;
  beginTransaction(
    connection: { executeQuery(query: CompiledQuery): Promise<unknown> },
    settings: { accessMode?: string },
  ): Promise<void>;
}

/** A plain read: a `select` or a `with … select` (not a write with `returning`, not a pragma). */
const PLAIN_READ = /^\s*(?:select|with)\b/i;

export class KamSqliteConnection extends SqliteConnection {
  /** How many holders kysely has given the connection to (a transaction, a stream, a query). */
  #held = 0;
  /** Whether the open transaction is this turn's shared read transaction (point 4 above). */
  #reading = false;

  override createKyselyDialect(options: Record<string, unknown>) {
    const dialect = super.createKyselyDialect(options);
    installStatementCache(this.#database());
    registerFunctions(this.#database());
    // Count who holds the connection: a statement may skip kysely only when nobody does.
    const createDriver = dialect.createDriver.bind(dialect);
    dialect.createDriver = () => {
      const driver = createDriver() as unknown as HeldConnectionDriver;
      const init = driver.init.bind(driver);
      const acquire = driver.acquireConnection.bind(driver);
      const release = driver.releaseConnection.bind(driver);
      // kysely initialises the driver (the connection's pragmas) before its first acquire.
      driver.init = async () => {
        this.#endReads();
        this.#held += 1;
        try {
          await init();
        } finally {
          this.#held -= 1;
        }
      };
      driver.acquireConnection = options => {
        this.#endReads();
        this.#held += 1;
        return acquire(options);
      };
      driver.releaseConnection = (connection, options) => {
        this.#held -= 1;
        return release(connection, options);
      };
      // Point 5 above: a transaction takes the write lock when it begins, unless it only reads.
      driver.beginTransaction = async (connection, settings) => {
        await connection.executeQuery(
          CompiledQuery.raw(settings.accessMode === 'read only' ? 'begin' : 'begin immediate'),
        );
      };
      return driver as unknown as ReturnType<typeof createDriver>;
    };
    return dialect;
  }

  #database(): BetterSqlite3.Database {
    return (this as unknown as { database: BetterSqlite3.Database }).database;
  }

  /** Whether a statement may run directly now (see the module comment). */
  #idle(): boolean {
    return this.#held === 0 && (this.#reading || !this.#database().inTransaction);
  }

  /** Opens this turn's read transaction unless it is open (point 4 above). */
  #startReads(database: BetterSqlite3.Database): void {
    if (this.#reading) return;
    database.prepare('begin').run();
    this.#reading = true;
    setImmediate(() => this.#endReads());
  }

  /** Ends this turn's read transaction, if one is open. */
  #endReads(): void {
    if (!this.#reading) return;
    this.#reading = false;
    const database = this.#database();
    if (database.open && database.inTransaction) database.prepare('commit').run();
  }

  override async close(force?: boolean): Promise<void> {
    this.#endReads();
    return super.close(force);
  }

  /** One statement on better-sqlite3, with the result kysely's SQLite connection would give. */
  #runDirect(
    sql: string,
    values: unknown[],
  ): { rows: unknown[]; insertId?: bigint; numAffectedRows?: bigint } {
    const database = this.#database();
    const stats = (database as unknown as Record<symbol, StatementCacheStats>)[STATS];
    if (stats) stats.direct += 1;
    const statement = database.prepare(sql);
    if (statement.reader && statement.readonly && PLAIN_READ.test(sql)) {
      this.#startReads(database);
      return { rows: statement.all(values) };
    }
    this.#endReads();
    if (statement.reader) return { rows: statement.all(values) };
    const { changes, lastInsertRowid } = statement.run(values);
    return { rows: [], insertId: BigInt(lastInsertRowid), numAffectedRows: BigInt(changes) };
  }

  override async execute<T = unknown>(
    query: ExecuteArgs[0],
    params: ExecuteArgs[1] = [],
    method: Method = 'all',
    ctx?: ExecuteArgs[3],
    loggerContext?: ExecuteArgs[4],
  ): Promise<T> {
    await this.ensureConnection();
    const prepared = sqlAndParams(this.config as never, query, params);
    const bound = bindQuery(prepared.query, prepared.params);
    if (!bound) return super.execute(query, params, method as never, ctx, loggerContext) as Promise<T>;
    // The values formatted into the text only when the query log shows them.
    const showValues = this.config.getLogger().isEnabled('query-params', loggerContext as never);
    const formatted = showValues
      ? this.platform.formatQuery(prepared.query, prepared.params)
      : prepared.query;
    const sql = this.getSql(prepared.query, formatted, loggerContext);
    // As MikroORM does: abort options go to the driver, the rest to the query log.
    const { signal, inflightQueryAbortStrategy, ...logContext } = (loggerContext ?? {}) as Record<
      string,
      unknown
    >;
    const abort =
      signal == null && inflightQueryAbortStrategy == null
        ? undefined
        : { signal, inflightQueryAbortStrategy };
    return this.executeQuery(
      sql,
      async () => {
        // Decided when the statement is about to run, not when it was queued.
        if (!ctx && !abort && this.#idle()) {
          return this.transformRawResult(this.#runDirect(bound.sql, bound.values) as never, method);
        }
        const compiled = CompiledQuery.raw(bound.sql, bound.values);
        const client = (ctx ?? this.getClient()) as {
          executeQuery(q: CompiledQuery, options?: unknown): Promise<unknown>;
        };
        const result = await client.executeQuery(compiled, abort);
        return this.transformRawResult(result as never, method);
      },
      { ...prepared, formatted, ...logContext } as never,
    ) as Promise<T>;
  }
}

/** MikroORM's SQLite driver on `KamSqliteConnection`. */
export class KamSqliteDriver extends AbstractSqlDriver<KamSqliteConnection> {
  constructor(config: Configuration) {
    super(config, new SqlitePlatform(), KamSqliteConnection, ['kysely', 'better-sqlite3']);
  }

  override getORMClass() {
    return SqliteMikroORM as never;
  }
}
