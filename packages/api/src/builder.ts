import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import { pricedBy } from './complexity.ts';
import type { KamContext } from './context.ts';
import { ConflictError, DomainRuleError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { LIMITS } from './limits.ts';
import { checkNodeIds, decodeGlobalIdLeniently } from './schema/ids.ts';

/** What a role may do; the API decides this, the domain never does. */
export interface AuthScopes {
  /** ADMIN only: organisation data, settings, tokens, closing quarters. */
  admin: boolean;
  /** ADMIN and INTEGRATION: bulk mutations. */
  bulk: boolean;
  /** ADMIN and ACCOUNT_MANAGER: workflow mutations (account managers on their own accounts only). */
  write: boolean;
  /** ADMIN and EXECUTIVE: the audit trail. */
  oversee: boolean;
}

/** The scopes of the request's role. */
function scopesOf(context: KamContext): AuthScopes {
  const { role } = context.viewer;
  return {
    admin: role === 'ADMIN',
    bulk: role === 'ADMIN' || role === 'INTEGRATION',
    write: role === 'ADMIN' || role === 'ACCOUNT_MANAGER',
    oversee: role === 'ADMIN' || role === 'EXECUTIVE',
  };
}

export const builder = new SchemaBuilder<{
  Context: KamContext;
  AuthScopes: AuthScopes;
  DefaultFieldNullability: false;
  Scalars: {
    Money: { Input: string; Output: string };
    Date: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Quarter: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string | number };
  };
}>({
  // Order matters: hooks run in reverse, so the errors plugin wraps everything: a role's
  // refusal by scope-auth is a typed ForbiddenError in a mutation's result union (the mutations
  // before it in the document keep their answers), and domain errors are mapped to API errors
  // before the errors plugin sees them.
  plugins: [
    ErrorsPlugin,
    ScopeAuthPlugin,
    'kamDomainErrors',
    RelayPlugin,
    DataloaderPlugin,
    ComplexityPlugin,
    'kamComplexity',
    SimpleObjectsPlugin,
  ],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: scopesOf,
    unauthorizedError: (_parent, context, info) =>
      new ForbiddenError(
        `Your role ${context.viewer.role} may not use ${info.parentType.name}.${info.fieldName}. Ask an administrator for a token with the right role.`,
      ),
  },
  errors: {
    defaultTypes: [ValidationError, NotFoundError, ConflictError, ForbiddenError, DomainRuleError],
    defaultResultOptions: { name: ({ fieldName }) => `${capitalise(fieldName)}Success` },
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalise(fieldName)}Result` },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // A malformed id reaches the resolvers, which report it as a typed error of its field.
    decodeGlobalID: decodeGlobalIdLeniently,
    nodeQueryOptions: {
      description: 'Fetches any object by its global id.',
      resolve: (_root, args, ctx, info, resolveNode) => {
        checkNodeIds([args.id], info, 'id');
        const refused = nodeRefusal(args.id, ctx);
        if (refused) throw refused;
        return resolveNode(args.id);
      },
    },
    nodesQueryOptions: {
      description: `Fetches objects by their global ids (at most ${LIMITS.maxNodeIds}).`,
      // Priced by the number of ids, as a connection by its page size.
      complexity: pricedBy(['ids'], (args: { ids: readonly unknown[] }) => ({
        field: 1,
        multiplier: args.ids.length,
      })),
      resolve: async (_root, args, ctx, info, resolveNodes) => {
        checkNodeIds(args.ids, info, 'ids');
        // A refused id is an error in its own place (graphql-js completes an Error item as a
        // null with its error), not of the whole list: the list is not nullable.
        const refused = args.ids.map(id => nodeRefusal(id, ctx));
        const nodes = await resolveNodes(args.ids.filter((_, index) => !refused[index]));
        let next = 0;
        return refused.map(error => error ?? nodes[next++]) as typeof nodes;
      },
    },
    nodeTypeOptions: { description: 'An object with a global id.' },
    pageInfoTypeOptions: { description: 'Where a page sits in a connection.' },
  },
  // Pothos prices every field; the limit is checked by complexity.ts (measured once per
  // operation and variable values, not on every request).
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    disabled: true,
  },
});

/**
 * Node types whose object type needs a scope (AuditEntry's `authScopes`). node(id:) and
 * nodes(ids:) refuse them before loading: the type's scope guards its fields, but `__typename`
 * has no resolver, so it told a role without the scope whether such a record existed.
 */
const NODE_SCOPES: Readonly<Record<string, keyof AuthScopes>> = { AuditEntry: 'oversee' };

/** Why the request's role may not read the node of `id`, or null when it may. */
function nodeRefusal({ typename }: { typename: string }, context: KamContext): ForbiddenError | null {
  const scope = NODE_SCOPES[typename];
  return scope && !scopesOf(context)[scope]
    ? new ForbiddenError(
        `Your role ${context.viewer.role} may not read ${typename} records. Ask an administrator for a token with the right role.`,
      )
    : null;
}

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
