/** Helpers for dataloader batch functions: rows of one query, handed back per key in O(n). */
import DataLoader from 'dataloader';
import type { KamContext } from '../context.ts';

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

/**
 * A batch function as a per-request DataLoader: a field resolves with `loader(ctx).load(key)`.
 * Pothos' `t.loadable` wraps every call in an async function and looks its loader up again;
 * on a 100-account page that was several promises per field and account, so the fields every
 * list asks for (team, latest financials, latest plan, health) use this instead.
 */
export function requestLoader<K, V>(
  batch: (keys: K[], ctx: KamContext) => Promise<V[]>,
): (ctx: KamContext) => DataLoader<K, V> {
  const loaders = new WeakMap<KamContext, DataLoader<K, V>>();
  return ctx => {
    let loader = loaders.get(ctx);
    if (!loader) {
      loader = new DataLoader<K, V>(keys => batch([...keys], ctx));
      loaders.set(ctx, loader);
    }
    return loader;
  };
}
