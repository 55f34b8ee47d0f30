import { createHash } from 'node:crypto';
import {
  type EntityClass,
  type EntityManager,
  type FilterQuery,
  findRowsByCursor,
  isKamDate,
  type QueryOrderMap,
} from '@kam/domain';
import { pricedBy } from '../complexity.ts';
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
