/** Helpers for dataloader batch functions: rows of one query, handed back per key in O(n). */

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
