import type { GraphQLResolveInfo } from 'graphql';

/** Whether a schema type of this name is a Relay node (an object type implementing Node). */
export function isNodeType(info: GraphQLResolveInfo, typename: string): boolean {
  // Duck-typed: `instanceof` fails when the schema was built by another copy of graphql.
  const type = info.schema.getType(typename) as { getInterfaces?: () => { name: string }[] } | undefined;
  return typeof type?.getInterfaces === 'function' && type.getInterfaces().some(i => i.name === 'Node');
}

/**
 * Whether records of this schema type are named by a global id: a Relay node, or an object type
 * whose `id` field is an `ID` though `node(id:)` does not serve it (ApiToken). Every `id: ID`
 * field of this schema is a global id (`t.globalID`); an `id: Int` (ExecutionReview) is not.
 */
export function hasGlobalId(info: GraphQLResolveInfo, typename: string): boolean {
  if (isNodeType(info, typename)) return true;
  const type = info.schema.getType(typename) as
    | { getInterfaces?: unknown; getFields?: () => Record<string, { type: unknown } | undefined> }
    | undefined;
  if (typeof type?.getInterfaces !== 'function' || typeof type.getFields !== 'function') return false;
  const id = type.getFields().id;
  return id !== undefined && String(id.type).replace(/!$/, '') === 'ID';
}
