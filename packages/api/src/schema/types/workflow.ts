/**
 * Shared pieces of the workflow mutations: described result types, the account a record
 * belongs to (for the account-manager check) and id decoding.
 */
import type { EntityClass } from '@kam/domain';
import type { FieldMap } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { assertCanWriteAccount } from '../../auth/permissions.ts';
import { builder } from '../../builder.ts';

type KamTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

import type { KamContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import type { Page } from '../connection.ts';
import { decodeId, type GlobalId } from '../ids.ts';

/**
 * Errors-plugin options with descriptions for a mutation's (or a checked query's) `…Result`
 * union, `…Success` type and its `data` field.
 */
export function described(what: string, data = 'The record as stored after the change.') {
  return {
    union: { description: `What ${what} returns: the result, or the expected error that stopped it.` },
    result: { description: `${what.charAt(0).toUpperCase()}${what.slice(1)} succeeded.` },
    dataField: { description: data },
  };
}

/**
 * Options of a connection type and its edge type: descriptions, and `edges` priced once.
 * The connection field already multiplies its selections by `first` (connectionComplexity);
 * without this the edges list would multiply them again by the default list multiplier, and a
 * page of 100 accounts with a few related fields would cost ten times what it reads.
 */
export function connectionTypes(what: string, counted = `How many ${what} match the filters`) {
  return [
    {
      description: `A page of ${what}.`,
      fields: (t: PothosSchemaTypes.ObjectFieldBuilder<KamTypes, unknown>): FieldMap => ({
        totalCount: t.int({
          description: `${counted}, on all pages together.`,
          resolve: (page: unknown) => (page as Page<unknown>).totalCount(),
        }),
      }),
      edgesField: {
        description: `The ${what} on this page, with their cursors.`,
        complexity: { field: 0, multiplier: 1 },
      },
    },
    { description: `One of ${what}, with its cursor.`, nodeField: { description: `One of ${what}.` } },
  ] as const;
}

/** A global id argument that may be omitted (undefined), cleared (null) or set. */
export function optionalId(value: GlobalId | null | undefined, type: string, field: string) {
  return value === undefined ? undefined : value === null ? null : decodeId(value, type, field);
}

/**
 * A field of an update input that every record has: left out, the stored value stays; null,
 * which clears the optional fields of the same input, is refused (it cannot be cleared).
 */
export function notCleared<T>(value: T | null | undefined, field: string, record: string): T | undefined {
  if (value !== null) return value;
  throw ValidationError.at(
    [field],
    `${field} cannot be cleared: every ${record} has one. Send the new value, or leave ${field} out to keep the current one.`,
    'cannot be null',
    'VALIDATION_FAILED',
    'REQUIRED',
  );
}

/** The numeric id behind a global id that may be omitted. */
export function maybeId(value: GlobalId | null | undefined, type: string, field: string) {
  return value ? decodeId(value, type, field) : null;
}

/**
 * The account a record belongs to, read through a separate fork so that the request's
 * identity map is not filled with a partially loaded entity. Null when the record does
 * not exist (the use case then reports NOT_FOUND).
 */
export async function accountIdOf<T extends object>(
  ctx: KamContext,
  entity: EntityClass<T>,
  id: number,
  path: string[] = ['account'],
): Promise<number | null> {
  const populate = path.length > 1 ? [path.slice(0, -1).join('.')] : [];
  const found = await ctx.em.fork().findOne(entity, { id } as never, { populate: populate as never });
  let node: unknown = found;
  for (const key of path) node = node ? (node as Record<string, unknown>)[key] : null;
  return node ? (node as { id: number }).id : null;
}

/**
 * Account-level write check for a record reached by its own id: ADMIN everywhere, an
 * ACCOUNT_MANAGER only on the accounts whose team they are on. A missing record passes:
 * the use case then reports NOT_FOUND.
 */
export async function assertCanWriteRecord<T extends object>(
  ctx: KamContext,
  entity: EntityClass<T>,
  id: number,
  path?: string[],
): Promise<void> {
  if (ctx.viewer.role === 'ADMIN') return;
  const accountId = await accountIdOf(ctx, entity, id, path);
  if (accountId !== null) await assertCanWriteAccount(ctx, accountId);
}

/** The result of a removal: the global id of what was removed. */
export const RemovalRef = builder.objectRef<{ typename: string; id: number }>('Removal').implement({
  description: 'A record that was removed (the audit trail keeps its last state).',
  fields: t => ({
    removedId: t.id({
      description: 'The global id the record had.',
      resolve: r => encodeGlobalID(r.typename, r.id),
    }),
  }),
});
