import type { EntityManager, Transaction } from '@mikro-orm/core';
import type { Actor } from '../common/actor.ts';
import type { AuditAction } from '../common/vocabulary.ts';
import { writeRowsReturning } from '../db/sql-writer.ts';
import type { AuditChanges } from './audit-entry.entity.ts';

const AUDIT_COLUMNS = [
  'occurred_at',
  'actor_person_id',
  'actor_label',
  'request_id',
  'entity_type',
  'entity_id',
  'action',
  'changes',
];

/** The characters of an actor's label the trail keeps (the column's width; a snapshot's closed_by too). */
export const ACTOR_LABEL_MAX_LENGTH = 200;

export interface AuditRecord {
  entityType: string;
  entityId: string;
  action: AuditAction;
  changes: AuditChanges;
}

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
  const label = actor.label.slice(0, ACTOR_LABEL_MAX_LENGTH);
  const requestId = actor.requestId ?? null;
  // Plain multi-row inserts (no entity per record): the bulk paths write one record per row.
  await writeRowsReturning(
    em,
    'audit_entry',
    AUDIT_COLUMNS,
    records.map(r => [
      occurredAt,
      actor.personId,
      label,
      requestId,
      r.entityType,
      r.entityId,
      r.action,
      r.changes,
    ]),
    { ctx },
  );
}
