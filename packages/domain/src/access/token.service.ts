import { hash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { findOrFail } from '../common/lookup.ts';
import { writeAs } from '../common/unit-of-work.ts';
import { parseInput } from '../common/validation.ts';
import { Person } from '../organisation/person.entity.ts';
import { API_ROLES, type ApiRole, ApiToken } from './api-token.entity.ts';

const SECRET_PREFIX = 'kam_';

/** SHA-256 of a token's secret, hex (the one-shot `hash` costs a third of `createHash`'s). */
export function hashTokenSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

export const createTokenSchema = z.object({
  personId: z.number().int().positive(),
  role: z.enum(API_ROLES),
  name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  /** Optional expiry; must be in the future. */
  expiresAt: z.coerce.date().nullish(),
});
export type CreateTokenInput = z.input<typeof createTokenSchema>;

/**
 * Creates an API token for a person and role. Returns the secret once: only its SHA-256
 * hash is stored, so it can never be shown again.
 */
export async function createApiToken(
  em: EntityManager,
  input: CreateTokenInput,
  actor: Actor,
): Promise<{ token: ApiToken; secret: string }> {
  const data = parseInput(createTokenSchema, input, 'API token');
  if (data.expiresAt && data.expiresAt.getTime() <= Date.now()) {
    throw new DomainError(
      'EXPIRY_NOT_IN_FUTURE',
      `expiresAt (${data.expiresAt.toISOString()}) is not in the future: the token would never work. Give a later instant, or leave expiresAt out for a token that does not expire.`,
      { issues: [{ path: ['expiresAt'], message: 'must be in the future', code: 'EXPIRY_NOT_IN_FUTURE' }] },
    );
  }
  return writeAs(em, actor, async tx => {
    const person = await findOrFail(tx, Person, data.personId, 'Person');
    if (!person.active) {
      throw new DomainError(
        'PERSON_INACTIVE',
        `${person.name} is no longer active; a token acts for someone who works with us. Make them active again (updatePerson) or make the token for another person.`,
        { issues: [{ path: ['personId'], message: 'not an active person', code: 'PERSON_INACTIVE' }] },
      );
    }
    const secret = `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
    const token = tx.create(ApiToken, {
      name: data.name,
      person,
      role: data.role,
      tokenHash: hashTokenSecret(secret),
      prefix: secret.slice(0, 12),
      expiresAt: data.expiresAt ?? null,
      revokedAt: null,
      lastUsedAt: null,
    });
    return { token, secret };
  });
}

/** A valid token as the API needs it: who calls, with which role. */
export interface VerifiedToken {
  id: number;
  name: string;
  role: ApiRole;
  personId: number;
  personName: string;
  /** Not used for a minute or more (`touchApiToken` records the use). */
  stale: boolean;
}

export type TokenCheck =
  | { ok: true; token: VerifiedToken }
  | { ok: false; reason: 'MALFORMED' | 'UNKNOWN' | 'REVOKED' | 'EXPIRED' | 'INACTIVE' };

interface TokenRow {
  id: number | bigint;
  name: string;
  role: ApiRole;
  person_id: number | bigint;
  person_name: string;
  /** Whether the person still works with us (a boolean on PostgreSQL, 0/1 on SQLite). */
  person_active: number | bigint | boolean;
  revoked: number | bigint;
  expired: number | bigint;
  stale: number | bigint;
}

const TOUCH_INTERVAL_MS = 60_000;

/**
 * Looks a presented secret up by its hash; says why it is not valid when it is not.
 * Runs on every API request, so it is one indexed statement (token joined to its person,
 * with revocation, expiry and last use decided by the database) rather than an entity load:
 * a revoked or expired token, or one of a person no longer active, is refused on the very next
 * request.
 */
export async function verifyApiToken(
  em: EntityManager,
  secret: string,
  now = new Date(),
): Promise<TokenCheck> {
  if (!secret.startsWith(SECRET_PREFIX) || secret.length < 20 || secret.length > 200) {
    return { ok: false, reason: 'MALFORMED' };
  }
  const rows = await em.getConnection().execute<TokenRow[]>(
    `select t.id, t.name, t.role, t.person_id, p.name as person_name, p.active as person_active,
       case when t.revoked_at is null then 0 else 1 end as revoked,
       case when t.expires_at is not null and t.expires_at <= ? then 1 else 0 end as expired,
       case when t.last_used_at is null or t.last_used_at <= ? then 1 else 0 end as stale
     from api_token t join person p on p.id = t.person_id
     where t.token_hash = ?`,
    [now, new Date(now.getTime() - TOUCH_INTERVAL_MS), hashTokenSecret(secret)],
  );
  const row = rows[0];
  if (!row) return { ok: false, reason: 'UNKNOWN' };
  if (Number(row.revoked)) return { ok: false, reason: 'REVOKED' };
  if (Number(row.expired)) return { ok: false, reason: 'EXPIRED' };
  // Someone who left no longer acts through the tokens made for them.
  if (!Number(row.person_active)) return { ok: false, reason: 'INACTIVE' };
  return {
    ok: true,
    token: {
      id: Number(row.id),
      name: row.name,
      role: row.role,
      personId: Number(row.person_id),
      personName: row.person_name,
      stale: Boolean(Number(row.stale)),
    },
  };
}

/** Records that a token was used, at most once a minute per token (not a business change). */
export async function touchApiToken(
  em: EntityManager,
  token: VerifiedToken,
  now = new Date(),
): Promise<void> {
  if (!token.stale) return;
  await em.nativeUpdate(ApiToken, { id: token.id }, { lastUsedAt: now });
}

/** Revokes a token; it stops working at once. */
export async function revokeApiToken(
  em: EntityManager,
  input: { id: number },
  actor: Actor,
): Promise<ApiToken> {
  return writeAs(em, actor, async tx => {
    const token = await findOrFail(tx, ApiToken, input.id, 'API token');
    if (!token.revokedAt) token.revokedAt = new Date();
    return token;
  });
}

export async function listApiTokens(em: EntityManager): Promise<ApiToken[]> {
  return em.find(ApiToken, {}, { populate: ['person'], orderBy: { id: 'asc' } });
}
