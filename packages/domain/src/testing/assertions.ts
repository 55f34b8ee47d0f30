import type { EntityManager } from '@mikro-orm/core';
import type { z } from 'zod';
import { DomainError, type DomainErrorCode } from '../common/domain-error.ts';

/** Row counts of the given tables, to prove that a rejected change wrote nothing. */
export async function tableCounts(em: EntityManager, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await em
      .getConnection()
      .execute<{ n: number | string }[]>(`select count(*) as n from ${table}`);
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

/**
 * Runs `action`, expects a DomainError with `code`, and checks that no row was added to
 * or removed from any of `tables` (the audit trail is always included).
 */
export async function expectRejected(
  em: EntityManager,
  code: DomainErrorCode,
  action: () => Promise<unknown>,
  tables: string[] = [],
): Promise<DomainError> {
  const watched = [...new Set(['audit_entry', ...tables])];
  const before = await tableCounts(em, watched);
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof DomainError)) {
    throw new Error(
      `expected DomainError ${code}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`,
    );
  }
  if (caught.code !== code)
    throw new Error(`expected DomainError ${code}, got ${caught.code}: ${caught.message}`);
  const after = await tableCounts(em, watched);
  for (const table of watched) {
    if (after[table] !== before[table]) {
      throw new Error(
        `${code} was raised but ${table} changed from ${before[table]} to ${after[table]} rows`,
      );
    }
  }
  return caught;
}

/** The message of the first issue `schema` finds in `value`, or "accepted". */
export function refusalOf(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? 'accepted' : result.error.issues[0]?.message;
}
