import type { EntityClass } from '@kam/domain';
import { builder } from '../builder.ts';

/**
 * A Relay node backed by a MikroORM entity, loaded through a per-request DataLoader:
 * every `node(id:)`, every field returning ids of this type and every list of them is
 * batched into one `where id in (…)` query per type and request.
 */
export function entityNode<T extends { id: number }>(entity: EntityClass<T>, name: string) {
  return builder.loadableNodeRef<T, number, number>(name, {
    id: { resolve: (e: T) => e.id, parse: (id: string) => Number(id) },
    load: (ids: number[], ctx) => ctx.em.find(entity, { id: { $in: ids } } as never) as Promise<T[]>,
    sort: (e: T) => e.id,
  });
}
