import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { buildQuarterDocuments } from '../analytics/snapshot-documents.ts';
import { query } from '../analytics/sql.ts';
import { ACTOR_LABEL_MAX_LENGTH, insertAuditEntries } from '../audit/audit.writer.ts';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { lockOnPostgreSql, today } from '../common/lookup.ts';
import { addQuarters, parseQuarter, quarterEnd, quarterStart } from '../common/quarter.ts';
import { translateDatabaseError } from '../common/unit-of-work.ts';
import { writeRows, writeRowsReturning } from '../db/sql-writer.ts';
import { canonicalJson } from './canonical-json.ts';
import type { PortfolioSnapshot } from './snapshot.types.ts';

export interface CloseQuarterResult {
  snapshotId: number;
  quarter: string;
  revision: number;
  accounts: number;
  /** SHA-256 (hex) of the data: see `snapshotChecksum`. */
  checksum: string;
  /** How long the close took, in milliseconds. */
  ms: number;
}

const ACCOUNT_CHUNK = 1_000;

/**
 * The checksum of a snapshot's data: SHA-256 over the canonical portfolio document without
 * its close metadata (`revision`, `closedAt`, `closedBy`), then, for every account document
 * in position order, a newline and its canonical JSON. Closing unchanged data again gives
 * the same checksum in the new revision.
 */
export function snapshotChecksum(portfolioPayload: string, accountPayloads: Iterable<string>): string {
  const portfolio = JSON.parse(portfolioPayload) as Record<string, unknown>;
  delete portfolio.revision;
  delete portfolio.closedAt;
  delete portfolio.closedBy;
  const hash = createHash('sha256').update(canonicalJson(portfolio));
  for (const payload of accountPayloads) hash.update('\n').update(payload);
  return hash.digest('hex');
}

/**
 * Closes a quarter (domain §12): computes every figure the reports show, with set-based SQL,
 * and writes them as an immutable snapshot, one QuarterSnapshot (the portfolio document)
 * plus one AccountSnapshot per account in external-ref order, all as canonical JSON, in one
 * transaction with an audit entry. Closing a quarter again writes revision n + 1; earlier
 * revisions never change (the database refuses updates and deletes of snapshot rows). Only a
 * quarter that has ended (by the UTC date) can be closed.
 */
export async function closeQuarter(
  em: EntityManager,
  quarter: string,
  actor: Actor,
  onProgress?: (step: string) => void,
): Promise<CloseQuarterResult> {
  const started = performance.now();
  const q = parseQuarter(quarter);
  // A snapshot is what gets published: a quarter still running would publish figures that
  // are bound to change (its financials, signals and reviews are still coming in).
  if (today() <= quarterEnd(q)) {
    throw new DomainError(
      'QUARTER_NOT_ENDED',
      `${q} has not ended yet (its last day is ${quarterEnd(q)}): close it from ${quarterStart(addQuarters(q, 1))} on, once its figures are in.`,
      { details: { quarter: q, endsOn: quarterEnd(q) } },
    );
  }
  try {
    return await em.transactional(async tx => {
      // A closed quarter is published and never changes: one whose financial figures are not in
      // yet (or a mistyped year long before the data) would publish a pyramid and KPIs without them.
      const figures = await query(
        tx,
        'select 1 as found from quarterly_financial where quarter = ? limit 1',
        [q],
      );
      if (figures.length === 0) {
        throw new DomainError(
          'NO_FINANCIALS_FOR_QUARTER',
          `${q} has no financial figures: import them (importFinancials, or kam import financials) before closing it, as a closed quarter is published and never changes.`,
          { details: { quarter: q } },
        );
      }
      const docs = await buildQuarterDocuments(tx, q, onProgress);
      // One close at a time from here to the commit: two closes of a quarter at once would both
      // read the same highest revision and the second would fail on the unique key. This mode
      // conflicts only with itself and with writes to quarter_snapshot, which only a close
      // makes; reads go on.
      await lockOnPostgreSql(tx, 'lock table quarter_snapshot in share row exclusive mode');
      const [row] = await query<{ revision: number | string | null }>(
        tx,
        'select max(revision) as revision from quarter_snapshot where quarter = ?',
        [q],
      );
      const revision = Number(row?.revision ?? 0) + 1;
      const closedAt = new Date();
      const portfolio: PortfolioSnapshot = {
        ...docs.portfolio,
        revision,
        closedAt: closedAt.toISOString(),
        closedBy: actor.label,
      };
      const portfolioPayload = canonicalJson(portfolio);
      const accountPayloads = docs.accounts.map(a => canonicalJson(a));
      const checksum = snapshotChecksum(portfolioPayload, accountPayloads);
      const inserted = await writeRowsReturning<{ id: number | string }>(
        tx,
        'quarter_snapshot',
        ['quarter', 'revision', 'closed_at', 'closed_by', 'account_count', 'checksum', 'payload'],
        [
          [
            q,
            revision,
            closedAt,
            actor.label.slice(0, ACTOR_LABEL_MAX_LENGTH),
            docs.accounts.length,
            checksum,
            portfolioPayload,
          ],
        ],
        { returning: ['id'] },
      );
      const snapshotId = Number(inserted.rows[0]!.id);
      for (let start = 0; start < docs.accounts.length; start += ACCOUNT_CHUNK) {
        const rows = docs.accounts
          .slice(start, start + ACCOUNT_CHUNK)
          .map((a, i) => [
            snapshotId,
            a.accountId,
            a.externalRef,
            start + i + 1,
            a.isKeyAccount,
            accountPayloads[start + i]!,
            a.health ? canonicalJson(a.health) : null,
          ]);
        await writeRows(
          tx,
          'account_snapshot',
          ['snapshot_id', 'account_id', 'external_ref', 'position', 'is_key_account', 'payload', 'health'],
          rows,
        );
      }
      await insertAuditEntries(tx, actor, [
        {
          entityType: 'QuarterSnapshot',
          entityId: String(snapshotId),
          action: 'CREATE',
          changes: {
            quarter: { before: null, after: q },
            revision: { before: null, after: revision },
            accountCount: { before: null, after: docs.accounts.length },
            checksum: { before: null, after: checksum },
          },
        },
      ]);
      return {
        snapshotId,
        quarter: q,
        revision,
        accounts: docs.accounts.length,
        checksum,
        ms: Math.round(performance.now() - started),
      };
    });
  } catch (error) {
    throw translateDatabaseError(error, em);
  }
}
