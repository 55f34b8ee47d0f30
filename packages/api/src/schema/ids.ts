import { ValidationError } from '../errors.ts';

/** A global id after the relay plugin parsed it. */
export interface GlobalId {
  typename: string;
  id: string | number;
}

/**
 * The numeric id of a global id of the expected type; a global id of another type (or a
 * malformed one) is a ValidationError naming the field.
 */
export function decodeId(value: GlobalId, typename: string, field = 'id'): number {
  const id = Number(value.id);
  if (value.typename !== typename || !Number.isSafeInteger(id) || id < 1) {
    throw new ValidationError(`${field} must be the global id of a ${typename}.`, 'INVALID_ID', [
      { path: [field], message: `not a ${typename} id`, code: 'INVALID_ID' },
    ]);
  }
  return id;
}
