import {
  DriverException,
  type EntityManager,
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
  try {
    return await em.transactional(async tx => {
      bindActor(tx, actor);
      return work(tx);
    });
  } catch (error) {
    // The transaction worked on the caller's entity instances: a use case that failed half-way
    // left its changes on them (and a failed flush may have marked them as written). Forget
    // them, or the caller's next flush (the next mutation of the same request) would write them.
    em.clear();
    throw translateDatabaseError(error, em);
  }
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
    return new DomainError(
      'DUPLICATE_ROW',
      `A record with the same unique key already exists; if another request wrote it at the same time, send yours again (it will then see that record): ${converted.message}`,
      { cause: error },
    );
  }
  if (error instanceof OptimisticLockError) {
    const entity = error.getEntity?.() as
      | { constructor?: { name?: string }; id?: number; version?: number }
      | undefined;
    return new DomainError(
      'VERSION_CONFLICT',
      `${entity?.constructor?.name ?? 'The record'} ${entity?.id ?? ''} was changed by someone else while you were saving. Reload it and apply your change again.`.replace(
        '  ',
        ' ',
      ),
      { cause: error, details: { entity: entity?.constructor?.name, id: entity?.id } },
    );
  }
  return error;
}

/**
 * Throws `VERSION_CONFLICT` unless the caller's `expectedVersion` is the entity's current version.
 * A missing version is `VALIDATION_FAILED`, never a silent pass: a change to an existing record
 * always names the version it was based on.
 */
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
    throw new DomainError(
      'VERSION_CONFLICT',
      `${label} ${plural ? 'were' : 'was'} changed by someone else: you sent version ${expectedVersion}, the current version is ${entity.version}. Reload ${plural ? 'them' : 'it'}, reapply your change and send version ${entity.version}.`,
      { details: { entity: entityName, id: entity.id, expectedVersion, currentVersion: entity.version } },
    );
  }
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
  if (expectedVersion === entity.version) return;
  assertVersion(entityName, entity, expectedVersion, await label());
}
