import {
  type ChangeSet,
  ChangeSetType,
  type EntityManager,
  type EntityProperty,
  type EventSubscriber,
  type FlushEventArgs,
  helper,
  type Platform,
  type TransactionEventArgs,
  Utils,
} from '@mikro-orm/core';
import { DomainError } from '../common/domain-error.ts';
import type { AuditAction } from '../common/vocabulary.ts';
import { actorOf } from './actor-context.ts';
import { insertAuditEntries } from './audit.writer.ts';
import { type AuditChanges, AuditEntry } from './audit-entry.entity.ts';

/**
 * Never in the trail: the trail itself, the idempotency bookkeeping, and a closed quarter's
 * account snapshots (closing a quarter is one entry, for its QuarterSnapshot).
 */
const NOT_IN_TRAIL = ['AuditEntry', 'IdempotencyRecord', 'AccountSnapshot'];

/** In the trail, but written by their own use case rather than recorded here: closing a quarter. */
const AUDITED_BY_USE_CASE = ['QuarterSnapshot'];

/** Entities whose unit-of-work writes this subscriber does not record. */
const UNAUDITED = new Set([...NOT_IN_TRAIL, ...AUDITED_BY_USE_CASE]);

/** Bookkeeping fields that change on every write and say nothing about what changed. */
const IGNORED_FIELDS = new Set(['updatedAt', 'version', 'createdAt', 'tokenHash']);

/**
 * Fields an UPDATE entry carries even when they did not change (the same before and after), so
 * the entry says which record it is without another lookup: a token's revocation names the token
 * (name, role, person and the first characters of its secret; never its hash).
 */
const IDENTIFYING_FIELDS: Record<string, readonly string[]> = {
  ApiToken: ['name', 'role', 'person', 'prefix'],
};

/** The kinds of record (entity class names) the audit trail can hold entries for, sorted. */
export function auditedRecordKinds(em: EntityManager): string[] {
  return [...em.getMetadata()]
    .filter(meta => !meta.embeddable && !meta.abstract && !NOT_IN_TRAIL.includes(meta.className))
    .map(meta => meta.className)
    .sort();
}

interface Pending {
  cs: ChangeSet<object>;
  action: AuditAction;
  /** For a delete: the entity's stored state, read at flush (the unit of work forgets it after the delete). */
  deleted?: Record<string, unknown>;
}

const pendingByEm = new WeakMap<EntityManager, Pending[]>();

/**
 * Writes an audit record for every entity created, updated or deleted through the unit of
 * work, inside the same transaction as the change (so both commit or neither does). A flush
 * without a bound actor is refused: every change must say who made it.
 */
export class AuditSubscriber implements EventSubscriber {
  async onFlush(args: FlushEventArgs): Promise<void> {
    const changeSets = args.uow.getChangeSets().filter(cs => !UNAUDITED.has(cs.meta.className));
    if (changeSets.length === 0) return;
    if (!actorOf(args.em)) {
      throw new DomainError(
        'UNATTRIBUTED_WRITE',
        `A change to ${changeSets[0]?.meta.className} was flushed without an actor. Run writes through a domain use case (writeAs) so the audit trail can record who made them.`,
      );
    }
    const pending = pendingByEm.get(args.em) ?? [];
    for (const cs of changeSets) {
      const action: AuditAction =
        cs.type === ChangeSetType.CREATE ? 'CREATE' : cs.type === ChangeSetType.UPDATE ? 'UPDATE' : 'DELETE';
      const deleted =
        action === 'DELETE' && !cs.originalEntity
          ? (args.uow.getOriginalEntityData(cs.entity) as Record<string, unknown> | undefined)
          : undefined;
      pending.push({ cs, action, deleted });
    }
    pendingByEm.set(args.em, pending);
  }

  async beforeTransactionCommit(args: TransactionEventArgs): Promise<void> {
    const em = args.em;
    const pending = pendingByEm.get(em);
    if (!pending?.length) return;
    pendingByEm.delete(em);
    const actor = actorOf(em);
    if (!actor) return;
    const platform = em.getPlatform();
    const entries = pending.flatMap(({ cs, action, deleted }) => {
      const changes = describeChanges(cs, action, platform, deleted);
      if (!changes) return [];
      const id = helper(cs.entity).getPrimaryKey();
      return [{ entityType: cs.meta.className, entityId: String(id), action, changes }];
    });
    await insertAuditEntries(em, actor, entries, args.transaction);
  }

  async afterTransactionRollback(args: TransactionEventArgs): Promise<void> {
    pendingByEm.delete(args.em);
  }
}

function describeChanges(
  cs: ChangeSet<object>,
  action: AuditAction,
  platform: Platform,
  deleted?: Record<string, unknown>,
): AuditChanges | null {
  const changes: AuditChanges = {};
  const original = (cs.originalEntity ?? deleted ?? {}) as Record<string, unknown>;
  const payload = (cs.payload ?? {}) as Record<string, unknown>;
  const source = action === 'DELETE' ? original : payload;
  for (const field of Object.keys(source).sort()) {
    if (IGNORED_FIELDS.has(field)) continue;
    const prop = cs.meta.properties[field as never] as EntityProperty | undefined;
    if (prop && (prop.kind === '1:m' || prop.kind === 'm:n')) continue;
    // The unit of work keeps an update's and a delete's values in their database form (cents,
    // JSON text, epoch milliseconds): convert them back, so they read as a create's do.
    const before = action === 'CREATE' ? null : plain(fromDatabase(prop, original[field], platform));
    const after =
      action === 'DELETE'
        ? null
        : action === 'CREATE'
          ? plain(readCurrent(cs.entity, field, payload))
          : plain(fromDatabase(prop, payload[field], platform));
    if (action === 'UPDATE' && Utils.equals(before, after)) continue;
    changes[field] = { before, after };
  }
  if (action === 'UPDATE' && Object.keys(changes).length > 0) {
    for (const field of IDENTIFYING_FIELDS[cs.meta.className] ?? []) {
      if (field in changes || !(field in original)) continue;
      const prop = cs.meta.properties[field as never] as EntityProperty | undefined;
      const value = plain(fromDatabase(prop, original[field], platform));
      changes[field] = { before: value, after: value };
    }
  }
  return Object.keys(changes).length > 0 || action !== 'UPDATE' ? changes : null;
}

/**
 * A value as the unit of work keeps it (its database form) in the form the entity holds it:
 * through the property's custom type (money, JSON, dates …) as MikroORM itself reverses its
 * snapshots, and a datetime as a Date whichever form it was kept in (a Date, epoch ms, a text).
 */
function fromDatabase(prop: EntityProperty | undefined, value: unknown, platform: Platform): unknown {
  if (value === null || value === undefined || !prop) return value;
  if (prop.customType) {
    return prop.customType.convertToJSValue(value, platform, { mode: 'hydration', force: true });
  }
  if (prop.runtimeType === 'Date' && (typeof value === 'number' || typeof value === 'string')) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : date;
  }
  return value;
}

// For a create, read the value off the entity: after the insert it holds generated keys of related rows.
function readCurrent(entity: object, field: string, payload: Record<string, unknown>): unknown {
  const value = (entity as Record<string, unknown>)[field];
  return value === undefined ? payload[field] : value;
}

/** A JSON-safe form of a value: entities become their primary key, dates ISO strings. */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    if (Utils.isEntity(value)) return helper(value).getPrimaryKey() ?? null;
    if ('__helper' in (value as object)) return null;
    return JSON.parse(JSON.stringify(value));
  }
  return value;
}

export { AuditEntry };
