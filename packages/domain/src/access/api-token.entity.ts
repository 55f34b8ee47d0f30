import { defineEntity, p } from '@mikro-orm/core';
import { baseProperties } from '../common/base.properties.ts';
import { Person } from '../organisation/person.entity.ts';

/** API roles (who may do what is decided by the API; the domain only stores the role). */
export const API_ROLES = ['ADMIN', 'ACCOUNT_MANAGER', 'EXECUTIVE', 'INTEGRATION'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export const ApiTokenSchema = defineEntity({
  name: 'ApiToken',
  properties: {
    ...baseProperties(),
    name: p.string().length(120),
    person: () => p.manyToOne(Person),
    role: p.enum(API_ROLES),
    /** SHA-256 of the secret; the secret itself is shown once at creation and never stored. */
    tokenHash: p.string().length(64).unique(),
    /** The first characters of the secret, to recognise a token in a list. */
    prefix: p.string().length(16),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
  },
});

/** A Bearer token for the API, tied to a person and a role. */
export class ApiToken extends ApiTokenSchema.class {}
ApiTokenSchema.setClass(ApiToken);

export const IdempotencyRecordSchema = defineEntity({
  name: 'IdempotencyRecord',
  uniques: [{ properties: ['principal', 'key'] }],
  indexes: [{ properties: ['expiresAt'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    /** Who sent it (token id, or `cli`); keys are scoped per principal. */
    principal: p.string().length(60),
    key: p.string().length(255),
    operation: p.string().length(60),
    /** SHA-256 of the canonical request payload; a reused key with another payload is rejected. */
    requestHash: p.string().length(64),
    /** The first result, returned as-is on a replay. Null while the first request is in flight. */
    response: p.text().nullable(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
  },
});

/** The first result of a bulk call made with an idempotency key (kept at least 24 hours). */
export class IdempotencyRecord extends IdempotencyRecordSchema.class {}
IdempotencyRecordSchema.setClass(IdempotencyRecord);
