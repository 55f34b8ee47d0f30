/**
 * Reading closed quarters (domain §12). Snapshots are written once by `closeQuarter` and
 * only ever read afterwards: these functions list the revisions, find one, and page through
 * its account documents in their stored order, returning the stored JSON text untouched so
 * that what a reader gets is byte for byte what was closed.
 */
import type { EntityManager } from '@mikro-orm/core';
import { DomainError, notFound } from '../common/domain-error.ts';
import { parseQuarter } from '../common/quarter.ts';
import { AccountSnapshot, QuarterSnapshot } from './snapshot.entity.ts';

/** What identifies a closed quarter, without its figures. */
export interface SnapshotInfo {
  id: number;
  quarter: string;
  revision: number;
  /** ISO 8601 instant. */
  closedAt: string;
  closedBy: string;
  /** `sha256:` followed by the hex digest of the portfolio and account payloads. */
  checksum: string;
  accountCount: number;
}

export interface AccountSnapshotRow {
  /** The account's place in the snapshot (by external ref); the paging key. */
  position: number;
  accountId: number;
  externalRef: string;
  isKeyAccount: boolean;
  /** The account's figures as the canonical JSON text stored at close. */
  payload: string;
}

export interface AccountSnapshotPage {
  rows: AccountSnapshotRow[];
  hasNextPage: boolean;
}

function toInfo(snapshot: Omit<QuarterSnapshot, 'payload'>): SnapshotInfo {
  return {
    id: snapshot.id,
    quarter: snapshot.quarter,
    revision: snapshot.revision,
    closedAt: new Date(snapshot.closedAt).toISOString(),
    closedBy: snapshot.closedBy,
    checksum: `sha256:${snapshot.checksum}`,
    accountCount: snapshot.accountCount,
  };
}

const INFO_FIELDS = [
  'id',
  'quarter',
  'revision',
  'closedAt',
  'closedBy',
  'checksum',
  'accountCount',
] as const;

/** Every closed revision, newest quarter first and, within a quarter, newest revision first. */
export async function listSnapshots(em: EntityManager): Promise<SnapshotInfo[]> {
  const rows = await em.find(
    QuarterSnapshot,
    {},
    { fields: [...INFO_FIELDS], orderBy: { quarter: 'desc', revision: 'desc' }, disableIdentityMap: true },
  );
  return rows.map(toInfo);
}

/**
 * The snapshot of `quarter` at `revision`, or its latest revision when `revision` is omitted;
 * null when the quarter has not been closed (or has no such revision).
 */
export async function findSnapshot(
  em: EntityManager,
  quarter: string,
  revision?: number | null,
): Promise<SnapshotInfo | null> {
  parseQuarter(quarter, 'quarter');
  if (revision != null && (!Number.isInteger(revision) || revision < 1)) {
    throw new DomainError('VALIDATION_FAILED', `revision is a whole number from 1; got ${revision}.`, {
      issues: [{ path: ['revision'], message: 'a whole number from 1', code: 'VALIDATION_FAILED' }],
    });
  }
  const where = revision == null ? { quarter } : { quarter, revision };
  const row = await em.findOne(QuarterSnapshot, where, {
    fields: [...INFO_FIELDS],
    orderBy: { revision: 'desc' },
    disableIdentityMap: true,
  });
  return row ? toInfo(row) : null;
}

/** The portfolio document of a snapshot, as the stored canonical JSON text. */
export async function readPortfolioPayload(em: EntityManager, snapshotId: number): Promise<string> {
  const row = await em.findOne(
    QuarterSnapshot,
    { id: snapshotId },
    { fields: ['payload'], disableIdentityMap: true },
  );
  if (!row) throw notFound('QuarterSnapshot', snapshotId);
  return row.payload;
}

/**
 * One page of a snapshot's account documents in stored order (by external ref), after the
 * position `after` (exclusive; omit for the first page).
 */
export async function pageAccountSnapshots(
  em: EntityManager,
  snapshotId: number,
  options: { first: number; after?: number | null; keyAccountsOnly?: boolean },
): Promise<AccountSnapshotPage> {
  const where: Record<string, unknown> = { snapshot: snapshotId };
  if (options.after != null) where.position = { $gt: options.after };
  if (options.keyAccountsOnly) where.isKeyAccount = true;
  const rows = await em.find(AccountSnapshot, where, {
    fields: ['position', 'accountId', 'externalRef', 'isKeyAccount', 'payload'],
    orderBy: { position: 'asc' },
    limit: options.first + 1,
    disableIdentityMap: true,
  });
  return {
    rows: rows.slice(0, options.first).map(row => ({
      position: row.position,
      accountId: row.accountId,
      externalRef: row.externalRef,
      isKeyAccount: row.isKeyAccount,
      payload: row.payload,
    })),
    hasNextPage: rows.length > options.first,
  };
}
