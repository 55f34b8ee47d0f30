import { defineEntity, p } from '@mikro-orm/core';
import { AUDIT_ACTIONS } from '../common/vocabulary.ts';

/** What changed: for each field, its value before and after (null before a create, after a delete). */
export type AuditChanges = Record<string, { before: unknown; after: unknown }>;

export const AuditEntrySchema = defineEntity({
  name: 'AuditEntry',
  indexes: [{ properties: ['entityType', 'entityId'] }, { properties: ['occurredAt'] }],
  properties: {
    id: p.integer().primary().autoincrement(),
    occurredAt: p.datetime(),
    /** The person behind the change (a plain id, not a foreign key: the trail outlives everything). */
    actorPersonId: p.integer().nullable(),
    actorLabel: p.string().length(200),
    requestId: p.string().length(100).nullable(),
    entityType: p.string().length(60),
    entityId: p.string().length(60),
    action: p.enum(AUDIT_ACTIONS),
    changes: p.json<AuditChanges>(),
  },
});

/**
 * One change to one entity: who, when, what, before and after. Append-only: the database
 * rejects updates and deletes of this table (triggers in the migrations).
 */
export class AuditEntry extends AuditEntrySchema.class {}
AuditEntrySchema.setClass(AuditEntry);
