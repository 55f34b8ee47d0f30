import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { IdempotencyRecord } from '../access/api-token.entity.ts';
import { DomainError } from '../common/domain-error.ts';
import type { BulkResult } from './bulk.types.ts';

/** Idempotency keys are kept at least this long (24 hours, as Stripe does). */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/**
 * JSON with object keys sorted at every level, so equal payloads hash equally. A key whose value
 * is null is left out: a bulk row's field sent as null is the field left out (both store it
 * empty), so the two are the same request.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map(k => [k, (v as Record<string, unknown>)[k]])
            .filter(([, field]) => field !== null),
        )
      : v,
  );
}

export function payloadHash(operation: string, payload: unknown): string {
  return createHash('sha256').update(canonicalJson({ operation, payload })).digest('hex');
}

export interface IdempotencyRequest {
  /** Who sent it; keys are scoped per principal. */
  principal: string;
  key: string;
  operation: string;
  payload: unknown;
}

/**
 * A key is 1 to 255 characters, counted as the database's varchar(255) counts them: code points
 * ("😀" is one character, though two UTF-16 units).
 */
function validateKey(key: string): void {
  const length = [...key].length;
  if (length >= 1 && length <= MAX_IDEMPOTENCY_KEY_LENGTH) return;
  const issue =
    length === 0
      ? { path: ['idempotencyKey'], message: 'must not be empty', code: 'TOO_SMALL' }
      : {
          path: ['idempotencyKey'],
          message: `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
          code: 'TOO_BIG',
        };
  throw new DomainError(
    'VALIDATION_FAILED',
    length === 0
      ? `idempotencyKey must not be empty: send 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters (a UUID is a good choice).`
      : `idempotencyKey ${issue.message} (it has ${length}); a UUID is a good choice.`,
    { issues: [issue] },
  );
}

async function replay(
  em: EntityManager,
  request: IdempotencyRequest,
  hash: string,
): Promise<BulkResult | null> {
  const record = await em.findOne(IdempotencyRecord, { principal: request.principal, key: request.key });
  if (!record || record.expiresAt.getTime() < Date.now()) return null;
  if (record.requestHash !== hash || record.operation !== request.operation) {
    throw new DomainError(
      'IDEMPOTENCY_KEY_REUSED',
      `Idempotency key ${JSON.stringify(request.key)} was already used for a different request (${record.operation} with another payload). Use a new key for a new request.`,
    );
  }
  if (record.response === null || record.response === undefined) {
    throw new DomainError(
      'IDEMPOTENCY_KEY_IN_FLIGHT',
      'A request with this idempotency key is still running; retry in a moment.',
    );
  }
  return { ...(JSON.parse(record.response) as BulkResult), replayed: true };
}

/**
 * Runs a bulk operation at most once per (principal, key): the first result is stored in
 * the same transaction as the writes, and a replay returns it without writing anything.
 * The same key with a different payload is rejected. Failed calls (an error, not a result
 * with rejected rows) store nothing, so they can be retried with the same key.
 */
export async function runIdempotent(
  em: EntityManager,
  request: IdempotencyRequest | null,
  run: (tx: EntityManager) => Promise<BulkResult>,
): Promise<BulkResult> {
  if (!request) return run(em);
  validateKey(request.key);
  const hash = payloadHash(request.operation, request.payload);
  const earlier = await replay(em.fork(), request, hash);
  if (earlier) return earlier;
  try {
    return await em.transactional(async tx => {
      await tx.nativeDelete(IdempotencyRecord, {
        principal: request.principal,
        key: request.key,
        expiresAt: { $lt: new Date() },
      });
      const outcome = await run(tx);
      const now = new Date();
      await tx.insert(IdempotencyRecord, {
        principal: request.principal,
        key: request.key,
        operation: request.operation,
        requestHash: hash,
        response: JSON.stringify(outcome),
        createdAt: now,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_RETENTION_MS),
      });
      return outcome;
    });
  } catch (error) {
    // Another request with the same key committed while ours ran: its result wins, ours rolled
    // back. Ours then failed on the idempotency record, or earlier, on a row that request wrote
    // (on PostgreSQL a raw unique-key violation of the bulk insert): so look whatever the error.
    // No record was there when ours started (`earlier`), so one found now is that request's.
    let first: BulkResult | null;
    try {
      first = await replay(em.fork(), request, hash);
    } catch (lookup) {
      if (lookup instanceof DomainError) throw lookup;
      throw error;
    }
    if (first) return first;
    throw error;
  }
}

/** Deletes idempotency records past their retention; returns how many. */
export async function purgeExpiredIdempotencyKeys(em: EntityManager): Promise<number> {
  return em.nativeDelete(IdempotencyRecord, { expiresAt: { $lt: new Date() } });
}
