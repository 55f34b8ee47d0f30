import type { GraphQLResolveInfo } from 'graphql';

/** Whether a schema type of this name is a Relay node (an object type implementing Node). */
export function isNodeType(info: GraphQLResolveInfo, typename: string): boolean {
  // Duck-typed: `instanceof` fails when the schema was built by another copy of graphql.
  const type = info.schema.getType(typename) as { getInterfaces?: () => { name: string }[] } | undefined;
  return typeof type?.getInterfaces === 'function' && type.getInterfaces().some(i => i.name === 'Node');
}
