import { type EntityClass, isReadRow, placeholders, selectRows } from '@kam/domain';
import { builder } from '../builder.ts';
import type { KamContext } from '../context.ts';
import { isRecordId } from './ids.ts';

/**
 * A Relay node backed by a MikroORM entity, loaded through a per-request DataLoader:
 * every `node(id:)`, every field returning ids of this type and every list of them is
 * batched into one `where id in (…)` query per type and request.
 */
export function entityNode<T extends { id: number }>(
  entity: EntityClass<T>,
  name: string,
  options: {
    /**
     * Load read rows (`selectRows`) instead of entities: for the types every page reads, whose
     * fields only read stored values and relation ids. Their `isTypeOf` must accept both.
     */
    readRows?: boolean;
    /** Loads the nodes of `ids` (any order, missing ones left out) instead of the default. */
    load?: (ids: number[], ctx: KamContext) => Promise<T[]>;
  } = {},
) {
  return builder.loadableNodeRef<T, number, number>(name, {
    // An id part the API never writes ("01", "1.0") parses to NaN, which checkNodeIds refuses.
    id: { resolve: (e: T) => e.id, parse: (id: string) => (isRecordId(id) ? Number(id) : Number.NaN) },
    load: (ids: number[], ctx) =>
      options.load
        ? options.load(ids, ctx)
        : options.readRows
          ? selectRows(ctx.em, entity, `where id in (${placeholders(ids)})`, ids)
          : (ctx.em.find(entity, { id: { $in: ids } } as never) as Promise<T[]>),
    sort: (e: T) => e.id,
  });
}

/** `isTypeOf` for a type served both as entities (mutation results) and as read rows. */
export function entityOrRow(entity: EntityClass<object>): (value: unknown) => boolean {
  return value => value instanceof entity || isReadRow(value, entity.name);
}
