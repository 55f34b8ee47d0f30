import type { EntityManager, Transaction } from '@mikro-orm/core';
import type { Actor } from '../common/actor.ts';
import type { AuditAction } from '../common/vocabulary.ts';
import { type AuditChanges, AuditEntry } from './audit-entry.entity.ts';

export interface AuditRecord {
  entityType: string;
  entityId: string;
  action: AuditAction;
  changes: AuditChanges;
}

const CHUNK = 500;

/**
 * Appends audit records in set-based inserts. Used by the audit subscriber and by every
 * bulk path that writes around the unit of work, so both leave the same trail.
 */
export async function insertAuditEntries(
  em: EntityManager,
  actor: Actor,
  records: AuditRecord[],
  ctx?: Transaction,
): Promise<void> {
  if (records.length === 0) return;
  const occurredAt = new Date();
  for (let i = 0; i < records.length; i += CHUNK) {
    const rows = records.slice(i, i + CHUNK).map(r => ({
      occurredAt,
      actorPersonId: actor.personId,
      actorLabel: actor.label.slice(0, 200),
      requestId: actor.requestId ?? null,
      entityType: r.entityType,
      entityId: r.entityId,
      action: r.action,
      changes: r.changes,
    }));
    await em.insertMany(AuditEntry, rows, { ctx: ctx ?? em.getTransactionContext() });
  }
}
