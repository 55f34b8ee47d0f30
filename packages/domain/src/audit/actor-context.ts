import type { EntityManager } from '@mikro-orm/core';
import type { Actor } from '../common/actor.ts';

// The actor of a unit of work is bound to the EntityManager fork that flushes it, so the
// audit subscriber can attribute every change without a global or async-local context.
const actors = new WeakMap<EntityManager, Actor>();

export function bindActor(em: EntityManager, actor: Actor): void {
  actors.set(em, actor);
}

export function actorOf(em: EntityManager): Actor | undefined {
  return actors.get(em);
}
