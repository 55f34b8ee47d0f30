import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { findOrFail } from '../common/lookup.ts';
import { writeAs } from '../common/unit-of-work.ts';
import { parseInput } from '../common/validation.ts';
import { Person } from '../organisation/person.entity.ts';
import { API_ROLES, ApiToken } from './api-token.entity.ts';

const SECRET_PREFIX = 'kam_';

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export const createTokenSchema = z.object({
  personId: z.number().int().positive(),
  role: z.enum(API_ROLES),
  name: z.string().trim().min(1).max(120),
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
  const data = parseInput(createTokenSchema, input, 'token');
  if (data.expiresAt && data.expiresAt.getTime() <= Date.now()) {
    throw new DomainError('VALIDATION_FAILED', 'expiresAt must be in the future.', {
      issues: [{ path: ['expiresAt'], message: 'must be in the future', code: 'VALIDATION_FAILED' }],
    });
  }
  return writeAs(em, actor, async tx => {
    const person = await findOrFail(tx, Person, data.personId, 'Person');
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

export type TokenCheck =
  | { ok: true; token: ApiToken }
  | { ok: false; reason: 'MALFORMED' | 'UNKNOWN' | 'REVOKED' | 'EXPIRED' };

/** Looks a presented secret up by its hash; says why it is not valid when it is not. */
export async function verifyApiToken(
  em: EntityManager,
  secret: string,
  now = new Date(),
): Promise<TokenCheck> {
  if (!secret.startsWith(SECRET_PREFIX) || secret.length < 20 || secret.length > 200) {
    return { ok: false, reason: 'MALFORMED' };
  }
  const token = await em.findOne(ApiToken, { tokenHash: hashTokenSecret(secret) }, { populate: ['person'] });
  if (!token) return { ok: false, reason: 'UNKNOWN' };
  if (token.revokedAt) return { ok: false, reason: 'REVOKED' };
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'EXPIRED' };
  return { ok: true, token };
}

/** Records that a token was used, at most once a minute per token (not a business change). */
export async function touchApiToken(em: EntityManager, token: ApiToken, now = new Date()): Promise<void> {
  if (token.lastUsedAt && now.getTime() - token.lastUsedAt.getTime() < 60_000) return;
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
