import { decodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import { ValidationError } from '../errors.ts';
import { LIMITS } from '../limits.ts';
import { isNodeType } from './node-types.ts';

/** A global id after the relay plugin parsed it. */
export interface GlobalId {
  typename: string;
  id: string | number;
}

/**
 * The typename of a value sent as a global id that is not one (not base64 of "Type:id"). The
 * relay plugin would throw an untyped "Invalid global ID" before the resolver runs, without a
 * code or the field's path; with this the resolver's check (`decodeId`) reports it as a
 * ValidationError of the field, like a global id of the wrong type.
 */
const MALFORMED = '';

/** The relay plugin's `decodeGlobalID` option: never throws (see MALFORMED). */
export function decodeGlobalIdLeniently(globalID: string): { typename: string; id: string } {
  try {
    return decodeGlobalID(globalID);
  } catch {
    return { typename: MALFORMED, id: globalID };
  }
}

/** "an Account", "a Person". */
export function withArticle(typename: string): string {
  return `${/^[AEIO]/.test(typename) ? 'an' : 'a'} ${typename}`;
}

/** `businessUnitIds[1]`, `elements[0].elementId`: a field's path as a message names it. */
function pathName(path: readonly (string | number)[]): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i ? `.${step}` : step)).join('');
}

/**
 * The numeric id of a global id of the expected type; a global id of another type (or a
 * malformed one) is a ValidationError naming the field: by its name, or by its path when it
 * is inside a list (`['businessUnitIds', 1]`, one segment a step, as other field paths).
 */
export function decodeId(
  value: GlobalId,
  typename: string,
  field: string | (string | number)[] = 'id',
): number {
  const id = Number(value.id);
  // As the API writes it: "Account:01" or "Account:1.0" is no alias of "Account:1".
  if (value.typename !== typename || !isRecordId(value.id)) {
    const path = typeof field === 'string' ? [field] : field;
    throw ValidationError.at(
      path,
      `${pathName(path)} must be the global id of ${withArticle(typename)}: the id field of ${withArticle(typename)} this API returned.`,
      `not ${withArticle(typename)} id`,
      'INVALID_ID',
    );
  }
  return id;
}

/**
 * Whether the id part of a global id can be a record's, written as the API writes it (every
 * node's id is a positive integer, without sign, leading zero, decimals or exponent).
 */
export function isRecordId(id: string | number): boolean {
  return /^[1-9]\d*$/.test(String(id)) && Number.isSafeInteger(Number(id));
}

/**
 * Checks the ids given to `node` and `nodes` before they are loaded: each must be the global
 * id of a node type with a record id (a malformed one, one of an unknown type or one such as
 * "Account:abc" is a ValidationError with its path, instead of the relay plugin's "… has not
 * been implemented" or, on PostgreSQL, a failed `where id in (NaN)`), and `nodes` takes at
 * most LIMITS.maxNodeIds.
 */
export function checkNodeIds(ids: readonly GlobalId[], info: GraphQLResolveInfo, field: 'id' | 'ids'): void {
  if (field === 'ids' && ids.length > LIMITS.maxNodeIds) {
    throw ValidationError.at(
      ['ids'],
      `nodes takes at most ${LIMITS.maxNodeIds} ids; you sent ${ids.length}. Ask for them in several calls.`,
      `at most ${LIMITS.maxNodeIds}`,
      'TOO_MANY_IDS',
    );
  }
  ids.forEach((id, index) => {
    if (!isNodeType(info, id.typename) || !isRecordId(id.id)) {
      const path = field === 'id' ? ['id'] : ['ids', index];
      throw ValidationError.at(
        path,
        `${field === 'id' ? 'id' : `ids[${index}]`} is not a global id of this API: send the id field of an object it returned.`,
        'not a global id',
        'INVALID_ID',
      );
    }
  });
}
