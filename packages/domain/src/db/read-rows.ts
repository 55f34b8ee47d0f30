import {
  Cursor,
  type EntityClass,
  type EntityManager,
  type EntityMetadata,
  type EntityProperty,
  type FilterQuery,
  type FindByCursorOptions,
  ReferenceKind,
} from '@mikro-orm/core';

/**
 * Read rows: an entity's stored fields as a plain, read-only object, without an ORM entity.
 *
 * MikroORM hydrates every entity through per-instance property accessors, which costs
 * 12–17 µs an entity (docs/benchmarks.md); a page of 100 accounts with their teams, plans
 * and financial lines spends most of its time there. The API's read-heavy fields read rows
 * instead: the same property names and values the entity would have (custom types, dates
 * and booleans converted the way MikroORM's hydrator converts them), with every owning
 * relation as `{ id }`. No collections, no unit of work: rows are never written back.
 */

const READ_ROW = Symbol.for('kam.readRow');

/** A read row of `T` (typed as `T` for the callers that only read fields and relation ids). */
export type ReadRow<T> = T & { readonly [READ_ROW]: string };

/** Whether `value` is a read row of the entity named `name`. */
export function isReadRow(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[READ_ROW] === name;
}

type Row = Record<string, unknown>;
type Step = (row: Row, out: Record<string | symbol, unknown>) => void;

type Mapper = (row: Row) => Record<string | symbol, unknown>;
/** What a mapper reads: rows keyed by column name, or MikroORM's raw data keyed by property name. */
type KeyedBy = 'column' | 'property';
/** Mappers by what they read and the columns' prefix (joined rows carry one), then by entity. */
const MAPPERS = new Map<string, WeakMap<EntityMetadata, Mapper>>();

function dateOf(value: unknown, timezone: string | undefined): Date | unknown {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value);
  if (!timezone || timezone === 'local') return new Date(text);
  if (text.includes('+') || text.lastIndexOf('-') > 10 || text.endsWith('Z')) return new Date(text);
  return new Date(text + timezone);
}

function stepOf(em: EntityManager, prop: EntityProperty, keyedBy: KeyedBy, prefix: string): Step | undefined {
  const name = prop.name;
  const column = prop.fieldNames?.[0];
  const field: string = keyedBy === 'column' ? prefix + (column ?? name) : name;
  if (!column || prop.persist === false || prop.formula || prop.embedded || prop.fieldNames.length !== 1) {
    return undefined;
  }
  if (prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) {
    return (row, out) => {
      const id = row[field];
      out[name] = id == null ? null : { id: Number(id) };
    };
  }
  if (prop.kind !== ReferenceKind.SCALAR) return undefined;
  const platform = em.getPlatform();
  if (prop.customType) {
    const type = prop.customType;
    return (row, out) => {
      const value = row[field];
      out[name] = value == null ? null : type.convertToJSValue(value, platform);
    };
  }
  if (prop.runtimeType === 'boolean') {
    return (row, out) => {
      const value = row[field];
      out[name] = value == null ? null : !!value;
    };
  }
  if (prop.runtimeType === 'Date' && !platform.isNumericProperty(prop)) {
    const timezone = (platform as unknown as { getTimezone?: () => string | undefined }).getTimezone?.();
    return (row, out) => {
      const value = row[field];
      out[name] = value == null ? null : dateOf(value, timezone);
    };
  }
  return (row, out) => {
    const value = row[field];
    out[name] = value === undefined ? null : value;
  };
}

function mapperOf(em: EntityManager, meta: EntityMetadata, keyedBy: KeyedBy, prefix = ''): Mapper {
  const kind = `${keyedBy}:${prefix}`;
  let cache = MAPPERS.get(kind);
  if (!cache) {
    cache = new WeakMap();
    MAPPERS.set(kind, cache);
  }
  let mapper = cache.get(meta);
  if (!mapper) {
    const steps = meta.props
      .map(prop => stepOf(em, prop, keyedBy, prefix))
      .filter((step): step is Step => step !== undefined);
    const tag = meta.className;
    mapper = row => {
      const out: Record<string | symbol, unknown> = { [READ_ROW]: tag };
      for (const step of steps) step(row, out);
      return out;
    };
    cache.set(meta, mapper);
  }
  return mapper;
}

/**
 * Runs `select * from <the entity's table> <clause>` and returns the rows as read rows.
 * `clause` is SQL with `?` placeholders for `params` (e.g. `where account_id in (?, ?)`).
 */
export async function selectRows<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  clause: string,
  params: readonly unknown[] = [],
): Promise<ReadRow<T>[]> {
  const meta = em.getMetadata().get(entity);
  const rows = await em
    .getConnection()
    .execute<Row[]>(
      `select * from ${em.getPlatform().quoteIdentifier(meta.tableName)} ${clause}`,
      params as unknown[],
    );
  return mapRows(em, entity, rows);
}

/**
 * `selectRows` joined to the entity of one many-to-one relation, in one statement: the
 * relation holds the related entity's read row (which has its `id`, like the `{ id }` it
 * stands for), or null. For lists whose every item shows its related entity (a team with
 * its people): one statement instead of two. In `clause`, the entity's table is `t`
 * (e.g. `where t.account_id in (?, ?) order by t.id`).
 */
export async function selectRowsJoined<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  relation: keyof T & string,
  clause: string,
  params: readonly unknown[] = [],
): Promise<ReadRow<T>[]> {
  const meta: EntityMetadata = em.getMetadata().get(entity);
  const join = joinOf(em, meta, relation);
  const rows = await em.getConnection().execute<Row[]>(`${join.select} ${clause}`, params as unknown[]);
  const map = mapperOf(em, meta, 'column');
  return rows.map((row: Row) => {
    const out = map(row);
    if (row[join.targetKey] != null) out[relation] = join.mapTarget(row);
    return out as ReadRow<T>;
  });
}

interface Join {
  /** `select t.*, r.a as "r__a", … from <table> t left join <target> r on …` */
  select: string;
  /** The joined row's primary key column, as aliased. */
  targetKey: string;
  /** The joined row from the aliased columns. */
  mapTarget: Mapper;
}
const JOINS = new WeakMap<EntityMetadata, Map<string, Join>>();
const JOINED = 'r__';

function joinOf(em: EntityManager, meta: EntityMetadata, relation: string): Join {
  let joins = JOINS.get(meta);
  if (!joins) {
    joins = new Map();
    JOINS.set(meta, joins);
  }
  let join = joins.get(relation);
  if (join) return join;
  const prop = meta.properties[relation as never] as EntityProperty | undefined;
  const column = prop?.fieldNames?.[0];
  const target: EntityMetadata | undefined = prop?.targetMeta;
  if (!prop || prop.kind !== ReferenceKind.MANY_TO_ONE || !column || !target) {
    throw new Error(`${meta.className}.${relation} is not a many-to-one relation`);
  }
  const q = (name: string) => em.getPlatform().quoteIdentifier(name);
  const columns = target.props.flatMap(p => (p.persist === false || p.formula ? [] : (p.fieldNames ?? [])));
  const key = target.properties[target.primaryKeys[0] as never]?.fieldNames?.[0] ?? 'id';
  join = {
    select: `select t.*, ${columns.map(c => `r.${q(c)} as ${q(JOINED + c)}`).join(', ')} from ${q(meta.tableName)} t left join ${q(target.tableName)} r on r.${q(key)} = t.${q(column)}`,
    targetKey: JOINED + key,
    mapTarget: mapperOf(em, target, 'column', JOINED),
  };
  joins.set(relation, join);
  return join;
}

/** Raw rows of the entity's table (all its columns) as read rows. */
export function mapRows<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  rows: readonly Row[],
): ReadRow<T>[] {
  const map = mapperOf(em, em.getMetadata().get(entity), 'column');
  return rows.map(row => map(row) as ReadRow<T>);
}

/**
 * One keyset page of read rows, with MikroORM's own cursor semantics and encoding (the
 * query is built by MikroORM's driver from the same options `em.findByCursor` takes; only
 * the entities are skipped). `where` and `orderBy` are MikroORM filter and order objects.
 */
export async function findRowsByCursor<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  options: FindByCursorOptions<T, never, never, never> & { where: FilterQuery<T> },
): Promise<Cursor<ReadRow<T>>> {
  const meta = em.getMetadata().get(entity);
  const { where, ...rest } = options;
  const cursorOptions = { ...rest, overfetch: true, ctx: em.getTransactionContext() };
  const data = (await em.getDriver().find(meta.class, where as never, cursorOptions as never)) as Row[];
  const map = mapperOf(em, meta, 'property');
  const items = data.map(row => map(row) as ReadRow<T>);
  return new Cursor(items as never, undefined as never, cursorOptions as never, meta) as unknown as Cursor<
    ReadRow<T>
  >;
}

/** `?, ?, …` for a list of values. */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}
