import SchemaBuilder, { BasePlugin, PothosValidationError, type SchemaTypes } from '@pothos/core';
import { complexityFromQuery } from '@pothos/plugin-complexity';
import {
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  visit,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { KamContext } from './context.ts';
import { LIMITS } from './limits.ts';

/**
 * The cost limit (depth, breadth, complexity: 1 per field, lists multiplied by their page
 * size), measured once per operation and set of the variable values it depends on, instead of
 * on every request as Pothos' complexity plugin does (2.5 % of the server's time under the
 * single-account load, 0.3 % now). Pothos' plugin still prices the fields (`complexity`
 * options, in builder.ts); it only no longer checks. The measure is taken when execution starts (`useComplexityMeasure`, with
 * the variables as sent) and the limit is enforced where Pothos enforced it, in the root
 * fields (`kamComplexity`), so an operation over the limit fails as before (same message, now
 * with a code).
 *
 * A complexity option that is a function must depend on its field's arguments only (those
 * named with `pricedBy`, or all): the cache key is the values of the variables used in those
 * arguments and in directives.
 */
export interface Measured {
  complexity: number;
  depth: number;
  breadth: number;
}

/** The measure of a request's operation, or why it could not be taken. */
export type ComplexityMeasure = Measured | { error: unknown };

interface OperationEntry {
  /** The operation with the document's fragments, as Pothos measures a document's first operation. */
  document: DocumentNode;
  /** The variables the measure depends on, sorted. */
  variables: string[];
  results: Map<string, Measured>;
}

/** Distinct variable values kept per operation (then forgotten all at once). */
const MAX_RESULTS_PER_OPERATION = 256;
const byOperation = new WeakMap<OperationDefinitionNode, OperationEntry>();

/** The name of a field type once its list and non-null wrappers are taken off. */
function namedTypeName(type: unknown): string | undefined {
  let named = type as { ofType?: unknown; name?: string } | undefined;
  while (named?.ofType) named = named.ofType as typeof named;
  return named?.name;
}

/**
 * The variables an operation's measure depends on: those used in the arguments of fields whose
 * complexity is a function of them (page sizes), and in directives (`@include`, `@skip`).
 * Walks the selections by hand rather than with graphql's TypeInfo, whose `instanceof` checks
 * fail when the schema was built by another copy of graphql (CommonJS beside ESM).
 */
export function complexityVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  document: DocumentNode,
): string[] {
  return analyse(schema, operation, document).keyed;
}

/**
 * `keyed`: the variables the measure depends on (the cache key). `read`: those the measure
 * reads at all, which Pothos maps with all the arguments of a priced field (a cursor beside
 * the page size); only these are coerced when a measure is taken, not a bulk call's rows.
 */
function analyse(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  document: DocumentNode,
): { keyed: string[]; read: Set<string> } {
  const keyed = new Set<string>();
  const read = new Set<string>();
  const collect = (node: ASTNode, key = true) =>
    visit(node, {
      Variable(variable) {
        read.add(variable.name.value);
        if (key) keyed.add(variable.name.value);
      },
    });
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const walked = new Set<string>();
  const walk = (selectionSet: SelectionSetNode, typeName: string | undefined) => {
    const type = typeName
      ? (schema.getType(typeName) as { getFields?: () => Record<string, FieldLike> })
      : undefined;
    for (const selection of selectionSet.selections) {
      for (const directive of selection.directives ?? []) collect(directive);
      if (selection.kind === Kind.FIELD) {
        const field = type?.getFields?.()[selection.name.value];
        const priced = field?.extensions?.complexity;
        if (typeof priced === 'function') {
          const reads = (priced as { [PRICED_BY]?: readonly string[] })[PRICED_BY];
          for (const argument of selection.arguments ?? []) {
            collect(argument, !reads || reads.includes(argument.name.value));
          }
        }
        if (selection.selectionSet) walk(selection.selectionSet, namedTypeName(field?.type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition?.name.value ?? typeName);
      } else {
        const fragment = fragments.get(selection.name.value);
        const key = `${selection.name.value} on ${typeName}`;
        if (fragment && !walked.has(key)) {
          walked.add(key);
          for (const directive of fragment.directives ?? []) collect(directive);
          walk(fragment.selectionSet, fragment.typeCondition.name.value);
        }
      }
    }
  };
  for (const directive of operation.directives ?? []) collect(directive);
  walk(operation.selectionSet, schema.getRootType(operation.operation)?.name);
  return { keyed: [...keyed].sort(), read };
}

/** The arguments a complexity function reads (see `pricedBy`). */
const PRICED_BY = Symbol('kam.pricedBy');

/**
 * Marks a field's complexity function with the arguments it reads, so that the variables of
 * its other arguments (cursors, filters, searches) do not split the measure's cache. A function
 * without the mark is assumed to read all its field's arguments.
 */
export function pricedBy<F extends (...args: never[]) => unknown>(
  argumentNames: readonly string[],
  fn: F,
): F {
  return Object.assign(fn, { [PRICED_BY]: argumentNames });
}

interface FieldLike {
  type: unknown;
  extensions?: { complexity?: unknown };
}

function entryFor(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) {
  let entry = byOperation.get(operation);
  if (!entry) {
    const fragments = document.definitions.filter(d => d.kind === Kind.FRAGMENT_DEFINITION);
    const { keyed, read } = analyse(schema, operation, {
      kind: Kind.DOCUMENT,
      definitions: [operation, ...fragments],
    });
    // The operation as measured: only the variables the measure reads are declared (and so
    // coerced when it is taken).
    const measured: OperationDefinitionNode = {
      ...operation,
      variableDefinitions: operation.variableDefinitions?.filter(d => read.has(d.variable.name.value)),
    };
    entry = {
      document: { kind: Kind.DOCUMENT, definitions: [measured, ...fragments] },
      variables: keyed,
      results: new Map(),
    };
    byOperation.set(operation, entry);
  }
  return entry;
}

/** Measures the operation of a request (cached; see the module comment). */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  ctx: object,
): ComplexityMeasure | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const entry = entryFor(schema, document, operation);
  const key = JSON.stringify(entry.variables.map(name => variables?.[name] ?? null));
  let measured = entry.results.get(key);
  if (!measured) {
    try {
      measured = complexityFromQuery(entry.document, { schema, variables: variables ?? {}, ctx });
    } catch (error) {
      // Bad variables fail execution before any resolver runs; anything else is refused there.
      return { error };
    }
    if (entry.results.size >= MAX_RESULTS_PER_OPERATION) entry.results.clear();
    entry.results.set(key, measured);
  }
  return measured;
}

/** Takes the measure when execution starts, with the variables as the client sent them. */
export function useComplexityMeasure(): Plugin<KamContext> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as KamContext;
      ctx.complexity = measureOperation(
        args.schema,
        args.document,
        args.operationName,
        args.variableValues as Record<string, unknown> | undefined,
        ctx,
      );
    },
  };
}

/**
 * Refuses an operation over the limits in its first root field, with Pothos' own messages and
 * a stable code for scripts (`QUERY_TOO_COMPLEX`, with the limit, its maximum and the measure).
 */
export function enforceComplexity(measure: ComplexityMeasure | undefined): void {
  if (!measure) return;
  if ('error' in measure) throw measure.error;
  const { complexity, depth, breadth } = measure;
  const refuse = (limit: 'depth' | 'breadth' | 'complexity', actual: number, max: number) => {
    throw new PothosValidationError(`Query exceeds maximum ${limit} (${limit}: ${actual}, max: ${max})`, {
      extensions: { code: 'QUERY_TOO_COMPLEX', limit, max, actual },
    });
  };
  if (depth > LIMITS.maxDepth) refuse('depth', depth, LIMITS.maxDepth);
  if (breadth > LIMITS.maxBreadth) refuse('breadth', breadth, LIMITS.maxBreadth);
  if (complexity > LIMITS.maxComplexity) refuse('complexity', complexity, LIMITS.maxComplexity);
}

class ComplexityLimitPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: { kind: string },
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (fieldConfig.kind !== 'Query' && fieldConfig.kind !== 'Mutation') return resolver;
    return (parent, args, context, info) => {
      enforceComplexity((context as KamContext).complexity);
      return resolver(parent, args, context, info);
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      kamComplexity: ComplexityLimitPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin('kamComplexity', ComplexityLimitPlugin);
