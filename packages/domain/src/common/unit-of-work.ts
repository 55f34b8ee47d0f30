import {
  DriverException,
  type EntityClass,
  type EntityManager,
  FlushMode,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { bindActor } from '../audit/actor-context.ts';
import type { Actor } from './actor.ts';
import { DomainError } from './domain-error.ts';

/**
 * Runs a use case as one transaction attributed to `actor`: everything it flushes is
 * audited under that actor and commits together, or nothing is written. Database-level
 * conflicts (a concurrent update of the same version, a duplicate key) become DomainErrors.
 */
export async function writeAs<T>(
  em: EntityManager,
  actor: Actor,
  work: (tx: EntityManager) => Promise<T>,
): Promise<T> {
  assertAttributed(actor);
  let tx: EntityManager | undefined;
  try {
    return await em.transactional(async fork => {
      tx = fork;
      bindActor(fork, actor);
      return work(fork);
    });
  } catch (error) {
    // A lost version race is explained after the rollback, when the other request's commit can be
    // read (flushing inside the transaction to explain it there made every write compute its
    // change sets twice: the transaction flushes again before committing).
    const race = tx ? await lostVersionRace(error, tx) : null;
    // The transaction worked on the caller's entity instances: a use case that failed half-way
    // left its changes on them (and a failed flush may have marked them as written). Forget
    // them, or the caller's next flush (the next mutation of the same request) would write them.
    em.clear();
    throw race ?? translateDatabaseError(error, em);
  }
}

/**
 * How `assertVersion` named each record whose version it accepted, and the version it accepted:
 * a write whose versioned UPDATE then finds the record changed lost a race to another request
 * (which committed between the check and the UPDATE) and is answered as a check that came after
 * that request would have been (`lostVersionRace`).
 */
const checkedVersions = new WeakMap<
  object,
  { entityName: string; label: string | (() => Promise<string>); plural: boolean; expectedVersion: number }
>();

/**
 * The VERSION_CONFLICT of a write whose versioned UPDATE found its record changed (PostgreSQL:
 * two requests passed the version check at once, and the other committed first): the message and
 * `currentVersion` that `assertVersion` gives a request sent after the other's, with the version
 * the record has now. `tx` is the failed write's EntityManager, after its transaction's rollback.
 * Null for any other error, and when the record cannot be read.
 */
async function lostVersionRace(error: unknown, tx: EntityManager): Promise<DomainError | null> {
  if (!(error instanceof OptimisticLockError)) return null;
  const entity = error.getEntity?.() as { id?: number } | undefined;
  if (!entity || typeof entity.id !== 'number') return null;
  const checked = checkedVersions.get(entity);
  try {
    // `tx` is the failed write's EntityManager, its transaction rolled back: it reads outside any
    // transaction from now on, and never flushes the failed changes it still holds.
    tx.resetTransactionContext();
    tx.setFlushMode(FlushMode.COMMIT);
    // A clean EntityManager for the version: the stale instance in `tx` would be returned as is.
    const stored = await tx
      .fork({ clear: true })
      .findOne(entity.constructor as EntityClass<{ id: number; version: number }>, { id: entity.id });
    // A name worked out on demand (`assertVersionNamed`) reads through `tx`.
    const label = !checked
      ? `The ${recordWords(entity)}`
      : typeof checked.label === 'string'
        ? checked.label
        : await checked.label();
    if (!stored) {
      return new DomainError(
        'VERSION_CONFLICT',
        `${label} ${checked?.plural ? 'were' : 'was'} removed by someone else while you were saving; nothing was written.`,
        { cause: error, details: { entity: checked?.entityName, id: entity.id, currentVersion: null } },
      );
    }
    if (checked) {
      return versionConflict(checked.entityName, entity.id, label, checked.expectedVersion, stored.version, {
        plural: checked.plural,
        cause: error,
      });
    }
    // Changed as a side effect, not at a version the caller sent: sent again, the change applies.
    return new DomainError(
      'VERSION_CONFLICT',
      `${label} was changed by someone else while you were saving (it is now at version ${stored.version}); nothing was written. Send your change again.`,
      { cause: error, details: { id: entity.id, currentVersion: stored.version } },
    );
  } catch {
    return null;
  }
}

/** "account plan": an entity's class name in words, for a message that has no better name. */
function recordWords(entity: object | undefined): string {
  const name = entity?.constructor?.name;
  return name && name !== 'Object' ? name.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase() : 'record';
}

// Checked before any work: a bulk path writes its audit records itself and would otherwise
// fail half-way with a TypeError instead of saying who is missing.
function assertAttributed(actor: Actor | undefined): void {
  if (!actor || typeof actor.label !== 'string' || actor.label.trim() === '') {
    throw new DomainError(
      'UNATTRIBUTED_WRITE',
      'A write was attempted without an actor. Pass the actor making the change (a person, token or tool, with a label) so the audit trail can record who made it.',
    );
  }
}

/**
 * Maps the ORM's optimistic-lock and unique-key errors to the domain's errors. With `em`, also
 * the database's own errors of raw statements (the bulk paths' set-based writes), which the ORM
 * has not converted: on PostgreSQL a row that a concurrent transaction inserted first fails
 * there on the unique key.
 */
export function translateDatabaseError(error: unknown, em?: EntityManager): unknown {
  if (error instanceof DomainError) return error;
  const converted =
    em && error instanceof Error && !(error instanceof DriverException)
      ? em.getDriver().convertException(error)
      : error;
  if (converted instanceof UniqueConstraintViolationException) {
    // The database's text names its tables, constraints and values: for the log (the cause), not
    // for the client.
    return new DomainError(
      'DUPLICATE_ROW',
      'Another request stored the same record at the same time, so nothing was written. Send yours again: it will then see that record.',
      { cause: error },
    );
  }
  if (error instanceof OptimisticLockError) {
    const entity = error.getEntity?.() as { id?: number } | undefined;
    return new DomainError(
      'VERSION_CONFLICT',
      `The ${recordWords(entity)} was changed by someone else while you were saving; nothing was written. Reload it and apply your change again.`,
      { cause: error, details: { entity: entity?.constructor?.name, id: entity?.id } },
    );
  }
  return error;
}

/**
 * `VERSION_CONFLICT` (with `currentVersion` null) for an `expectedVersion` sent to correct a
 * record keyed by its scope (a quarter's tier, financial line or measurement) that is not
 * stored: the caller read another record than they think, and recording a new one would hide
 * it. `check` names what to check ("the account and the quarter").
 */
export function notRecorded(label: string, expectedVersion: number, check: string): DomainError {
  return new DomainError(
    'VERSION_CONFLICT',
    `${label} is not recorded, so there is no version ${expectedVersion} to correct: check ${check}, or leave out expectedVersion to record it.`,
    { details: { currentVersion: null } },
  );
}

/**
 * Throws `VERSION_CONFLICT` unless the caller's `expectedVersion` is the entity's current version.
 * A missing version is `VALIDATION_FAILED`, never a silent pass: a change to an existing record
 * always names the version it was based on.
 */
export function assertVersion(
  entityName: string,
  entity: { id: number; version: number },
  expectedVersion: number | undefined,
  /** How the message names the record; "<entityName> <id>" when omitted. */
  label = `${entityName} ${entity.id}`,
  /** Whether `label` is a plural noun ("The settings"): the message then says "were" and "them". */
  { plural = false }: { plural?: boolean } = {},
): void {
  if (expectedVersion === undefined) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${label} ${plural ? 'exist' : 'exists'} (version ${entity.version}): send expectedVersion ${entity.version} to change it.`,
      {
        issues: [{ path: ['expectedVersion'], message: 'is required', code: 'REQUIRED' }],
        details: { entity: entityName, id: entity.id, currentVersion: entity.version },
      },
    );
  }
  if (entity.version !== expectedVersion) {
    throw versionConflict(entityName, entity.id, label, expectedVersion, entity.version, { plural });
  }
  checkedVersions.set(entity, { entityName, label, plural, expectedVersion });
}

/** The VERSION_CONFLICT of a record changed since the version the caller sent (`assertVersion`). */
function versionConflict(
  entityName: string,
  id: number,
  label: string,
  expectedVersion: number,
  currentVersion: number,
  { plural = false, cause }: { plural?: boolean; cause?: unknown } = {},
): DomainError {
  return new DomainError(
    'VERSION_CONFLICT',
    `${label} ${plural ? 'were' : 'was'} changed by someone else: you sent version ${expectedVersion}, the current version is ${currentVersion}. Reload ${plural ? 'them' : 'it'}, reapply your change and send version ${currentVersion}.`,
    { cause, details: { entity: entityName, id, expectedVersion, currentVersion } },
  );
}

/**
 * `assertVersion` naming the record as its users know it, where working out that name loads
 * more (its account, its person): `label` runs only when the check fails, so an update with
 * the right version pays nothing for the message.
 */
export async function assertVersionNamed(
  entityName: string,
  entity: { id: number; version: number },
  expectedVersion: number | undefined,
  label: () => Promise<string>,
): Promise<void> {
  if (expectedVersion === entity.version) {
    checkedVersions.set(entity, { entityName, label, plural: false, expectedVersion });
    return;
  }
  assertVersion(entityName, entity, expectedVersion, await label());
}
