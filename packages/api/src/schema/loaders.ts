/** Helpers for dataloader batch functions: rows of one query, handed back per key in O(n). */
import DataLoader from 'dataloader';
import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import { type KamContext, requestCache } from '../context.ts';

/** The rows of each key, in row order (for a `loadableList`). */
export function groupedBy<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return keys.map(key => groups.get(key) ?? []);
}

/** The first row of each key in row order, or null (for a `loadable`). */
export function firstBy<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): (R | null)[] {
  const first = new Map<K, R>();
  for (const row of rows) {
    const key = keyOf(row);
    if (!first.has(key)) first.set(key, row);
  }
  return keys.map(key => first.get(key) ?? null);
}

/** A per-request batch loader for one field (see `requestLoader`). */
export interface RequestLoader<K, V> {
  /** The value of `key`: at once when this request already loaded it, else batched with the rest. */
  resolve(ctx: KamContext, key: K): V | Promise<V>;
  /** Loads `keys` in one batch now, so that their fields resolve without waiting. */
  prefetch(ctx: KamContext, keys: readonly K[]): Promise<void>;
  /** Values another statement of this request already read (kept unless already loaded). */
  prime(ctx: KamContext, entries: Iterable<readonly [K, V]>): void;
}

/**
 * A batch function as a per-request DataLoader whose loaded values fields can read at once.
 * Pothos' `t.loadable` wraps every call in an async function and looks its loader up again,
 * and a field whose value is a promise costs graphql-jit more than one with a plain value: on
 * a 100-account page that was several promises per field and account. The fields every list
 * asks for (team, latest financials, latest plan, health) use this instead, and the accounts
 * connection prefetches the ones a query selects (`prefetchNodeFields`).
 */
export function requestLoader<K, V>(
  batch: (keys: K[], ctx: KamContext) => Promise<V[]>,
): RequestLoader<K, V> {
  interface State {
    loader: DataLoader<K, V>;
    loaded: Map<K, V>;
  }
  const load = async (loaded: Map<K, V>, keys: K[], ctx: KamContext) => {
    const values = await batch(keys, ctx);
    for (const [i, key] of keys.entries()) loaded.set(key, values[i] as V);
    return values;
  };
  const stateOf = requestCache((ctx: KamContext): State => {
    const loaded = new Map<K, V>();
    const loader = new DataLoader<K, V>(keys => load(loaded, [...keys], ctx));
    return { loader, loaded };
  });
  return {
    resolve(ctx, key) {
      const state = stateOf(ctx);
      return state.loaded.has(key) ? (state.loaded.get(key) as V) : state.loader.load(key);
    },
    async prefetch(ctx, keys) {
      // Straight to the batch function: DataLoader would add a promise per key.
      const { loaded } = stateOf(ctx);
      const missing = [...new Set(keys.filter(key => !loaded.has(key)))];
      if (missing.length) await load(loaded, missing, ctx);
    },
    prime(ctx, entries) {
      const { loaded } = stateOf(ctx);
      for (const [key, value] of entries) if (!loaded.has(key)) loaded.set(key, value);
    },
  };
}

/** The fields selected in a selection set, through inline fragments and fragment spreads. */
function selectedFields(set: SelectionSetNode | undefined, info: GraphQLResolveInfo): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      fields.push(...selectedFields(selection.selectionSet, info));
    else fields.push(...selectedFields(info.fragments[selection.name.value]?.selectionSet, info));
  }
  return fields;
}

/** The names of the fields a connection field's query selects on `edges { node { … } }`. */
export function nodeFieldNames(info: GraphQLResolveInfo): Set<string> {
  const names = new Set<string>();
  for (const connection of info.fieldNodes) {
    for (const edges of selectedFields(connection.selectionSet, info)) {
      if (edges.name.value !== 'edges') continue;
      for (const node of selectedFields(edges.selectionSet, info)) {
        if (node.name.value !== 'node') continue;
        for (const field of selectedFields(node.selectionSet, info)) names.add(field.name.value);
      }
    }
  }
  return names;
}

/**
 * Loads, for a page of nodes, the batched fields the query selects (`loaders`: field name →
 * loader), one statement per field, before the fields resolve: each then has its value at once.
 */
export async function prefetchNodeFields<K>(
  ctx: KamContext,
  info: GraphQLResolveInfo,
  loaders: ReadonlyMap<string, RequestLoader<K, unknown>>,
  keys: readonly K[],
): Promise<void> {
  if (keys.length === 0) return;
  const selected = nodeFieldNames(info);
  await Promise.all(
    [...loaders].filter(([name]) => selected.has(name)).map(([, loader]) => loader.prefetch(ctx, keys)),
  );
}

/** The batched Account fields the accounts connection prefetches, by field name. */
export const ACCOUNT_FIELD_LOADERS = new Map<string, RequestLoader<number, unknown>>();
