import { builder } from '../builder.ts';

const OrderDirectionEnum = builder.enumType('OrderDirection', {
  description: 'Ascending or descending.',
  values: {
    ASC: { value: 'ASC', description: 'Smallest (or A, or oldest) first.' },
    DESC: { value: 'DESC', description: 'Largest (or Z, or newest) first.' },
  } as const,
});

type Direction = 'asc' | 'desc' | 'asc nulls last' | 'desc nulls last';

/**
 * The `orderBy` argument of a connection, as in GitHub's API: `{ field, direction }`, with an
 * enum of the fields (`<name>Field`) mapped to the entity properties they sort. The id breaks
 * ties, so that every order is total and its cursors are stable; a cursor belongs to the order
 * it was read in. A `nullable` field's records without a value come last either way.
 */
export function connectionOrder<const F extends string>(
  name: string,
  what: string,
  fields: Record<F, { property: string; description: string; nullable?: boolean }>,
  defaultOrder: { description: string; order: Record<string, Direction> },
) {
  const FieldEnum = builder.enumType(`${name}Field`, {
    description: `What ${what} can be ordered by.`,
    values: Object.fromEntries(
      Object.entries<{ description: string }>(fields).map(([field, { description }]) => [
        field,
        { value: field, description },
      ]),
    ),
  });
  const OrderInput = builder.inputType(name, {
    description: `An order of ${what}: a field and a direction.`,
    fields: t => ({
      field: t.field({ type: FieldEnum, required: true, description: 'What to order by.' }),
      direction: t.field({
        type: OrderDirectionEnum,
        defaultValue: 'ASC',
        description: 'Ascending (default) or descending.',
      }),
    }),
  });
  return {
    /** The argument's options: `orderBy: t.arg(order.arg)`. */
    arg: {
      type: OrderInput,
      description: `The order of ${what}; ${defaultOrder.description} when omitted.`,
    },
    /** The order to page in, for the argument's value. */
    orderOf(
      orderBy: { field: string; direction?: string | null } | null | undefined,
    ): Record<string, Direction> {
      if (!orderBy) return defaultOrder.order;
      const direction = orderBy.direction === 'DESC' ? 'desc' : 'asc';
      const { property, nullable } = fields[orderBy.field as F];
      // Records without a value come last in both directions (the same on both databases).
      return { [property]: nullable ? `${direction} nulls last` : direction, id: direction };
    },
  };
}
