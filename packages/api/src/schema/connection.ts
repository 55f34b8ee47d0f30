import { createHash } from 'node:crypto';
import {
  type EntityClass,
  type EntityManager,
  type FilterQuery,
  findRowsByCursor,
  isKamDate,
  mapRows,
  placeholders,
  type QueryOrderMap,
} from '@kam/domain';
import DataLoader from 'dataloader';
import { pricedBy } from '../complexity.ts';
import { type KamContext, requestCache } from '../context.ts';
import { ValidationError } from '../errors.ts';
import { LIMITS } from '../limits.ts';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  /** How many rows match the filters, over all pages: counted only when a query asks. */
  totalCount(): Promise<number>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/** Validates `first`/`last` (1–100) the way GitHub's API does, with a clear message. */
export function pageSize(args: PageArgs): { first?: number; last?: number } {
  for (const key of ['first', 'last'] as const) {
    const v = args[key];
    if (v != null && (!Number.isInteger(v) || v < 1 || v > LIMITS.maxPageSize)) {
      throw ValidationError.at(
        [key],
        `${key} must be between 1 and ${LIMITS.maxPageSize}; got ${v}.`,
        `between 1 and ${LIMITS.maxPageSize}`,
        'PAGE_SIZE_OUT_OF_RANGE',
      );
    }
  }
  // The Relay spec would take `last` of the first `first`; answering the last page of all
  // instead was a page nobody asked for. GitHub's API refuses the pair, and so does kam.
  if (args.first != null && args.last != null) {
    throw ValidationError.at(
      ['last'],
      'Give first or last, not both: first pages forward from after, last backward from before.',
      'not with first',
    );
  }
  if (args.last != null) return { last: args.last };
  return { first: args.first ?? LIMITS.defaultPageSize };
}

/** Complexity of a connection field: its own cost plus its selections times the page size. */
export const connectionComplexity = pricedBy(
  ['first', 'last'],
  (args: PageArgs): { field: number; multiplier: number } => ({
    field: 2,
    multiplier: args.first ?? args.last ?? LIMITS.defaultPageSize,
  }),
);

/**
 * An edge whose cursor is encoded only if the query asks for it (pages usually read only
 * `endCursor`). A class, not an object literal with a `get cursor()`: a getter in a literal is
 * a new function and hidden class for every edge, and V8's minor GC (Node 24) kept those
 * edges, and through the getter the whole page, until the next full collection: measured, a
 * full collection every few hundred milliseconds under the page load (docs/benchmarks.md).
 */
class LazyCursorEdge<T> {
  readonly node: T;
  readonly #page: { from(node: never): string };
  readonly #tag: string;
  constructor(node: T, page: { from(node: never): string }, tag: string) {
    this.node = node;
    this.#page = page;
    this.#tag = tag;
  }
  get cursor(): string {
    return tagged(this.#tag, this.#page.from(this.node as never));
  }
}

const orderTags = new Map<string, string>();
/**
 * A short fingerprint of a page's kind of record and order (fields and directions). Every
 * cursor starts with it, so that a cursor read in one order (or from another list) and sent
 * back with another is refused: the keyset values it holds would otherwise be compared with
 * other columns, and the pages silently be wrong.
 */
function orderTag(entity: { name: string }, orderBy: unknown): string {
  const key = `${entity.name}:${JSON.stringify(orderBy)}`;
  let tag = orderTags.get(key);
  if (!tag) {
    tag = createHash('sha256').update(key).digest('base64url').slice(0, 8);
    orderTags.set(key, tag);
  }
  return tag;
}

/** A keyset cursor as this API hands it out: the order's tag, a dot, the cursor. */
function tagged(tag: string, cursor: string): string {
  return `${tag}.${cursor}`;
}

function invalidCursor(arg: 'after' | 'before', message: string): ValidationError {
  return ValidationError.at([arg], message, 'unknown cursor', 'INVALID_CURSOR');
}

/** The keyset cursor inside a cursor of this connection in this order (see orderTag). */
function keysetCursor(
  value: string | null | undefined,
  arg: 'after' | 'before',
  tag: string,
): string | undefined {
  if (value == null) return undefined;
  const dot = value.indexOf('.');
  if (dot < 0) throw invalidCursor(arg, 'The cursor is not valid; use a cursor returned by this connection.');
  if (value.slice(0, dot) !== tag) {
    throw invalidCursor(
      arg,
      'The cursor was read in another order or from another list: send the orderBy it was read with, or start again from the first page in this order.',
    );
  }
  return value.slice(dot + 1);
}

/** What `fitsOrder` reads of an entity property (MikroORM's metadata). */
interface OrderedProperty {
  nullable?: boolean;
  runtimeType?: string;
  columnTypes?: string[];
  customType?: { fromJSON?: (value: unknown, platform: unknown) => unknown };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a keyset value can be the property's, as a cursor of this API holds it. */
function fitsProperty(prop: OrderedProperty | undefined, value: unknown, platform: unknown): boolean {
  if (!prop) return false;
  if (value === null) return prop.nullable === true;
  // No stored text holds a NUL (PostgreSQL cannot store one, and its driver refused the whole
  // statement: an unexpected error there, while SQLite answered a page).
  if (typeof value === 'string' && value.includes('\u0000')) return false;
  switch (prop.runtimeType) {
    case 'number':
      return Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'Date':
      return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
    case 'string': {
      if (typeof value !== 'string') return false;
      if (prop.columnTypes?.[0] === 'date') return CALENDAR_DAY.test(value) && isKamDate(value);
      if (!prop.customType?.fromJSON) return true;
      try {
        prop.customType.fromJSON(value, platform);
        return true;
      } catch {
        return false;
      }
    }
    default:
      return true;
  }
}

/**
 * Whether a keyset cursor (base64url JSON, MikroORM's encoding) holds one value of the right
 * kind for each field of the order. A cursor is opaque to clients but not signed: an edited
 * one reached the database as such (`id > 'x'`: an unexpected error on PostgreSQL, and on
 * SQLite a page from the wrong place), so it is refused as INVALID_CURSOR instead.
 */
function fitsOrder(em: EntityManager, entity: EntityClass<object>, orderBy: object, cursor: string): boolean {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return false;
  }
  const keys = Object.keys(orderBy);
  if (!Array.isArray(values) || values.length !== keys.length) return false;
  const properties = em.getMetadata().get(entity).properties as unknown as Record<string, OrderedProperty>;
  const platform = em.getPlatform();
  return keys.every((key, i) => fitsProperty(properties[key], values[i], platform));
}

/** One keyset page of an entity as a Relay connection (MikroORM `findByCursor`). */
export async function pageOf<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: FilterQuery<T>,
  orderBy: QueryOrderMap<T>,
  args: PageArgs,
  options: {
    /** Read rows (`findRowsByCursor`) instead of entities, for types whose `isTypeOf` takes both. */
    readRows?: boolean;
  } = {},
): Promise<Page<T>> {
  const size = pageSize(args);
  const tag = orderTag(entity, orderBy);
  let cursor: Awaited<ReturnType<typeof em.findByCursor<T>>>;
  const after = keysetCursor(args.after, 'after', tag);
  const before = keysetCursor(args.before, 'before', tag);
  for (const [arg, value] of [
    ['after', after],
    ['before', before],
  ] as const) {
    if (value !== undefined && !fitsOrder(em, entity, orderBy, value)) {
      throw invalidCursor(arg, 'The cursor is not valid; use a cursor returned by this connection.');
    }
  }
  const query = {
    where: where as never,
    orderBy: orderBy as never,
    ...size,
    after,
    before,
    includeCount: false,
  };
  try {
    cursor = (
      options.readRows
        ? await findRowsByCursor(em, entity, query as never)
        : await em.findByCursor(entity, query as never)
    ) as typeof cursor;
  } catch (error) {
    if (error instanceof Error && /cursor/i.test(error.message)) {
      throw invalidCursor(
        args.after ? 'after' : 'before',
        'The cursor is not valid; use a cursor returned by this connection.',
      );
    }
    throw error;
  }
  const items = cursor.items as T[];
  return {
    edges: items.map(node => new LazyCursorEdge(node, cursor, tag)),
    totalCount: () => em.count(entity, where as never),
    pageInfo: {
      hasNextPage: cursor.hasNextPage,
      hasPreviousPage: cursor.hasPrevPage,
      startCursor: cursor.startCursor === null ? null : tagged(tag, cursor.startCursor),
      endCursor: cursor.endCursor === null ? null : tagged(tag, cursor.endCursor),
    },
  };
}

/** One key of the order of an owned list (`ownedConnection`), the last one unique (the id). */
export interface OwnedOrderKey<T> {
  /** The property sorted by: a stored scalar (text, number, calendar day), not a timestamp. */
  property: keyof T & string;
  direction: 'asc' | 'desc';
  /** For a nullable property: records without it come last, in either direction. */
  nullsLast?: boolean;
  /**
   * Sort by a rank of the value instead of the value (open opportunities first): the rank as SQL
   * of the column, and of a row's value. The cursor holds the rank.
   */
  rank?: { sql: (column: string) => string; of: (value: unknown) => number };
}

/** An owned list's order as SQL: one expression per key, over the table aliased `t`. */
interface CompiledOrder {
  table: string;
  owner: string;
  keys: { expression: string; property: OrderedProperty | undefined }[];
}

/** A page of an owned list for each owner, and the owners' totals (`ownedConnection`). */
export interface OwnedConnection<T> {
  /** The page of `ownerId`'s records, batched with the other owners of the request asking the same page. */
  page(ctx: KamContext, ownerId: number, args: PageArgs): Promise<Page<T>>;
}

/**
 * An account's records newest first by their `date` (ties by id, newest first): its signals,
 * survey responses, selection assessments and designations.
 */
export function newestFirstOfAccount<T extends { id: number }>(
  entity: EntityClass<T>,
  date: keyof T & string,
): OwnedConnection<T> {
  return ownedConnection({
    entity,
    owner: 'account' as keyof T & string,
    order: [
      { property: date, direction: 'desc' },
      { property: 'id', direction: 'desc' },
    ],
  });
}

/**
 * A list that belongs to one record and grows with use (an account's signals, opportunities,
 * child accounts …) as a Relay connection: `first`/`after` or `last`/`before` with the same
 * limits, cursors and errors as the root connections (`pageOf`), priced by its page size
 * (`connectionComplexity`). One request reads the pages of all the owners that ask the same
 * page in one statement, each owner's page bounded by `first + 1` rows with
 * `row_number() over (partition by <owner> order by …)`, which SQLite and PostgreSQL both have:
 * a page of 100 accounts asking for their signals reads one statement of at most 100 × 6 rows,
 * however many signals they hold. The totals are counted, grouped, only when asked for.
 */
export function ownedConnection<T extends object>(spec: {
  entity: EntityClass<T>;
  /** The many-to-one property naming the owner (e.g. `account`, `parent`). */
  owner: keyof T & string;
  order: readonly OwnedOrderKey<T>[];
}): OwnedConnection<T> {
  const tag = orderTag(
    { name: `${spec.entity.name}.${spec.owner}` },
    spec.order.map(key => [key.property, key.direction, key.nullsLast === true, key.rank !== undefined]),
  );
  let compiled: CompiledOrder | undefined;
  const compile = (em: EntityManager): CompiledOrder => {
    if (compiled) return compiled;
    const meta = em.getMetadata().get(spec.entity);
    const q = (name: string) => em.getPlatform().quoteIdentifier(name);
    const properties = meta.properties as unknown as Record<
      string,
      OrderedProperty & { fieldNames?: string[] }
    >;
    const columnOf = (key: OwnedOrderKey<T>) => {
      const property = properties[key.property];
      const column = property?.fieldNames?.[0];
      // A timestamp's cursor value (an ISO text) would not compare with its column on SQLite,
      // and a nullable key needs its nulls placed the same way on both databases.
      if (!column || property?.runtimeType === 'Date' || (property?.nullable && !key.nullsLast)) {
        throw new Error(`${meta.className}.${key.property} cannot order an owned connection as given`);
      }
      return `t.${q(column)}`;
    };
    compiled = {
      table: q(meta.tableName),
      owner: q(properties[spec.owner]?.fieldNames?.[0] ?? ''),
      keys: spec.order.map(key => ({
        expression: key.rank ? key.rank.sql(columnOf(key)) : columnOf(key),
        property: properties[key.property],
      })),
    };
    return compiled;
  };

  /** The values a cursor holds for a record: the order's keys (a rank for a ranked key). */
  const valuesOf = (node: T): unknown[] =>
    spec.order.map(key => {
      const value = (node as Record<string, unknown>)[key.property];
      if (key.rank) return key.rank.of(value);
      return value instanceof Date ? value.toISOString() : (value ?? null);
    });
  const cursorOf = {
    from: (node: never) => Buffer.from(JSON.stringify(valuesOf(node))).toString('base64url'),
  };

  /** The keyset values of a cursor sent back, or INVALID_CURSOR (see `fitsOrder`). */
  const decode = (em: EntityManager, arg: 'after' | 'before', value: string | null | undefined) => {
    const cursor = keysetCursor(value, arg, tag);
    if (cursor === undefined) return undefined;
    let values: unknown;
    try {
      values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      values = undefined;
    }
    const platform = em.getPlatform();
    const { keys } = compile(em);
    const fits =
      Array.isArray(values) &&
      values.length === keys.length &&
      spec.order.every((key, i) =>
        key.rank ? Number.isSafeInteger(values[i]) : fitsProperty(keys[i]?.property, values[i], platform),
      );
    if (!fits) throw invalidCursor(arg, 'The cursor is not valid; use a cursor returned by this connection.');
    return values as unknown[];
  };

  /**
   * The records strictly after `values` in the order (`reversed`: strictly before), as SQL: for
   * keys k1…kn, (k1 after v1) or (k1 = v1 and k2 after v2) or …; a key that sorts its nulls last
   * has every null after every value.
   */
  const keyset = (order: CompiledOrder, values: unknown[], reversed: boolean) => {
    const alternatives: string[] = [];
    const params: unknown[] = [];
    const equal: string[] = [];
    const equalParams: unknown[] = [];
    for (const [i, key] of spec.order.entries()) {
      const expression = order.keys[i]?.expression ?? '';
      const value = values[i];
      const ascending = (key.direction === 'asc') !== reversed;
      const nullsAfter = key.nullsLast === true && !reversed;
      let after: string | undefined;
      const afterParams: unknown[] = [];
      if (value === null) {
        if (!nullsAfter) after = `${expression} is not null`;
      } else {
        after = `${expression} ${ascending ? '>' : '<'} ?`;
        afterParams.push(value);
        if (nullsAfter) after = `(${after} or ${expression} is null)`;
      }
      if (after) {
        alternatives.push(`(${[...equal, after].join(' and ')})`);
        params.push(...equalParams, ...afterParams);
      }
      if (value === null) equal.push(`${expression} is null`);
      else {
        equal.push(`${expression} = ?`);
        equalParams.push(value);
      }
    }
    return { sql: alternatives.length ? `(${alternatives.join(' or ')})` : '1 = 0', params };
  };

  const orderSql = (order: CompiledOrder, reversed: boolean) =>
    spec.order
      .flatMap((key, i) => {
        const expression = order.keys[i]?.expression ?? '';
        const direction = (key.direction === 'asc') !== reversed ? 'asc' : 'desc';
        // Portable `nulls last` (and first when reversed).
        const nulls = key.nullsLast
          ? [`case when ${expression} is null then 1 else 0 end ${reversed ? 'desc' : 'asc'}`]
          : [];
        return [...nulls, `${expression} ${direction}`];
      })
      .join(', ');

  // Per request: one loader per page asked (size and cursors), batching the owners asking it,
  // and one for the totals. A batch of at most 1,000 owners keeps a statement's parameters far
  // under SQLite's limit (32,766).
  const batch = { maxBatchSize: 1000 };
  const loaders = requestCache(() => new Map<string, DataLoader<number, Page<T>>>());
  const counts = requestCache(
    (ctx: KamContext) =>
      new DataLoader<number, number>(async ids => {
        const order = compile(ctx.em);
        const rows = await ctx.em
          .getConnection()
          .execute<{ owner: number | string; n: number | string }[]>(
            `select t.${order.owner} as owner, count(*) as n from ${order.table} t where t.${order.owner} in (${placeholders(ids)}) group by t.${order.owner}`,
            [...ids],
          );
        const byOwner = new Map<number, number>(
          rows.map((row: { owner: number | string; n: number | string }) => [
            Number(row.owner),
            Number(row.n),
          ]),
        );
        return ids.map(id => byOwner.get(id) ?? 0);
      }, batch),
  );

  const load = async (
    ctx: KamContext,
    ids: readonly number[],
    size: { first?: number; last?: number },
    after: unknown[] | undefined,
    before: unknown[] | undefined,
  ): Promise<Page<T>[]> => {
    const { em } = ctx;
    const order = compile(em);
    const backward = size.last != null;
    const limit = size.last ?? size.first ?? LIMITS.defaultPageSize;
    const where = [`t.${order.owner} in (${placeholders(ids)})`];
    const params: unknown[] = [...ids];
    for (const [values, reversed] of [
      [after, false],
      [before, true],
    ] as const) {
      if (!values) continue;
      const condition = keyset(order, values, reversed);
      where.push(condition.sql);
      params.push(...condition.params);
    }
    params.push(limit + 1);
    const rows = await em.getConnection().execute<Record<string, unknown>[]>(
      `select * from (select t.*, row_number() over (partition by t.${order.owner} order by ${orderSql(order, backward)}) as kam_row
         from ${order.table} t where ${where.join(' and ')}) p
       where p.kam_row <= ? order by p.${order.owner}, p.kam_row`,
      params,
    );
    const byOwner = new Map<number, T[]>();
    for (const row of mapRows(em, spec.entity, rows)) {
      const owner = Number(((row as Record<string, unknown>)[spec.owner] as { id: number }).id);
      const list = byOwner.get(owner);
      if (list) list.push(row);
      else byOwner.set(owner, [row]);
    }
    return ids.map(id => {
      let items = byOwner.get(id) ?? [];
      const more = items.length > limit;
      if (more) items = items.slice(0, limit);
      if (backward) items.reverse();
      const first = items[0];
      const last = items.at(-1);
      return {
        edges: items.map(node => new LazyCursorEdge(node, cursorOf, tag)),
        totalCount: () => counts(ctx).load(id),
        pageInfo: {
          hasNextPage: backward ? before !== undefined : more,
          hasPreviousPage: backward ? more : after !== undefined,
          startCursor: first === undefined ? null : tagged(tag, cursorOf.from(first as never)),
          endCursor: last === undefined ? null : tagged(tag, cursorOf.from(last as never)),
        },
      };
    });
  };

  return {
    page(ctx, ownerId, args) {
      const size = pageSize(args);
      const after = decode(ctx.em, 'after', args.after);
      const before = decode(ctx.em, 'before', args.before);
      const key = JSON.stringify([
        size.first ?? null,
        size.last ?? null,
        args.after ?? null,
        args.before ?? null,
      ]);
      const pages = loaders(ctx);
      let loader = pages.get(key);
      if (!loader) {
        loader = new DataLoader(ids => load(ctx, ids, size, after, before), batch);
        pages.set(key, loader);
      }
      return loader.load(ownerId);
    },
  };
}

type Bound<V> = { arg: string; value: V | null | undefined };

/**
 * Refuses a `from`–`to` pair given the wrong way round, naming both arguments and values, and
 * equal bounds with an exclusive `to` (an empty range, which swapping would not change).
 */
export function assertInOrder<V extends string | Date>(
  from: Bound<V>,
  to: Bound<V> & { inclusive: boolean },
): void {
  if (from.value == null || to.value == null) return;
  if (to.inclusive ? from.value <= to.value : from.value < to.value) return;
  const show = (v: V) => (v instanceof Date ? v.toISOString() : v);
  if (show(from.value) === show(to.value)) {
    throw ValidationError.at(
      [to.arg],
      `${from.arg} and ${to.arg} are both ${show(to.value)}: the range is empty, as ${to.arg} is exclusive; give ${to.arg} a later time.`,
      `equal to ${from.arg}, and exclusive`,
    );
  }
  const wrong = to.inclusive ? 'after' : 'not before';
  throw ValidationError.at(
    [from.arg],
    `${from.arg} (${show(from.value)}) is ${wrong} ${to.arg} (${show(to.value)}); swap them.`,
    `${wrong} ${to.arg}`,
  );
}

/**
 * The condition of a `from`–`to` filter on one column (undefined when neither bound is given);
 * bounds the wrong way round are refused (assertInOrder).
 */
export function rangeCondition<V extends string | Date>(
  from: Bound<V>,
  to: Bound<V> & { inclusive: boolean },
): Record<string, V> | undefined {
  assertInOrder(from, to);
  const condition: Record<string, V> = {};
  if (from.value != null) condition.$gte = from.value;
  if (to.value != null) condition[to.inclusive ? '$lte' : '$lt'] = to.value;
  return Object.keys(condition).length > 0 ? condition : undefined;
}
