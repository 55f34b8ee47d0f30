import type { EntityManager } from '@mikro-orm/core';
import type { z } from 'zod';
import type { AuditRecord } from '../audit/audit.writer.ts';
import { insertAuditEntries } from '../audit/audit.writer.ts';
import type { AuditChanges } from '../audit/audit-entry.entity.ts';
import type { Actor } from '../common/actor.ts';
import { DomainError } from '../common/domain-error.ts';
import { centsFromDb, fromCents, toCents } from '../common/money.ts';
import { writeAs } from '../common/unit-of-work.ts';
import { toFieldIssues } from '../common/validation.ts';
import { counted } from '../common/words.ts';
import { type SqlValue, selectIn, writeRowsReturning } from '../db/sql-writer.ts';
import {
  type BulkOptions,
  type BulkResult,
  DEFAULT_MAX_BULK_ROWS,
  issuesToRejections,
  type RowRejection,
} from './bulk.types.ts';

/** How a property is stored, so values compare and convert exactly. */
export type ColumnKind = 'text' | 'int' | 'bool' | 'date' | 'money' | 'decimal';

export interface ColumnSpec {
  /** The entity property (used in audit records). */
  property: string;
  column: string;
  kind: ColumnKind;
}

/** A validated row resolved to database values, keyed for matching with the stored row. */
export interface ResolvedRow {
  index: number;
  key: string;
  /** Property → value in canonical JS form (money as "12.50", dates as YYYY-MM-DD, ids as numbers). */
  values: Record<string, unknown>;
}

export interface StoredRow {
  id: number;
  version: number;
  key: string;
  values: Record<string, unknown>;
}

export interface TableSpec {
  table: string;
  entityType: string;
  /** Columns of the unique key the rows are matched on (also the conflict target). */
  keyColumns: string[];
  /** Predicate of a partial unique index used as the conflict target. */
  conflictWhere?: string;
  columns: ColumnSpec[];
  /** Builds the matching key from canonical values. */
  keyOf(values: Record<string, unknown>): string;
  /** Whether the table has an optimistic-lock version column. */
  versioned: boolean;
}

/** Canonical JS form of a value read from either database. */
export function fromDb(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'money':
      return fromCents(centsFromDb(value));
    case 'int':
      return Number(value);
    case 'bool':
      return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
    case 'decimal':
      return Number(value).toFixed(2);
    default:
      return String(value);
  }
}

/** Database form of a canonical value. */
export function toDb(kind: ColumnKind, value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (kind === 'money') return Number(toCents(value as string));
  return value as SqlValue;
}

/** Reads the stored rows matching the given keys (selected by the first key column). */
export async function loadStored(
  em: EntityManager,
  spec: TableSpec,
  firstKeyValues: unknown[],
  extraWhere = '',
  extraParams: unknown[] = [],
): Promise<Map<string, StoredRow>> {
  const cols = ['id', ...(spec.versioned ? ['version'] : []), ...spec.columns.map(c => c.column)];
  const rows = await selectIn<Record<string, unknown>>(
    em,
    `select ${cols.join(', ')} from ${spec.table} where ${spec.keyColumns[0]} in`,
    [...new Set(firstKeyValues)],
    extraWhere,
    extraParams,
  );
  const out = new Map<string, StoredRow>();
  for (const r of rows) {
    const values: Record<string, unknown> = {};
    for (const c of spec.columns) values[c.property] = fromDb(c.kind, r[c.column]);
    const key = spec.keyOf(values);
    out.set(key, { id: Number(r.id), version: spec.versioned ? Number(r.version) : 0, key, values });
  }
  return out;
}

export interface Classified {
  creates: ResolvedRow[];
  updates: { row: ResolvedRow; stored: StoredRow }[];
  unchanged: number;
}

/** Splits resolved rows into creates, real updates and unchanged rows. */
export function classify(spec: TableSpec, rows: ResolvedRow[], stored: Map<string, StoredRow>): Classified {
  const out: Classified = { creates: [], updates: [], unchanged: 0 };
  for (const row of rows) {
    const current = stored.get(row.key);
    if (!current) out.creates.push(row);
    else if (
      spec.columns.some(c => (row.values[c.property] ?? null) !== (current.values[c.property] ?? null))
    ) {
      out.updates.push({ row, stored: current });
    } else out.unchanged += 1;
  }
  return out;
}

/**
 * Writes the creates and updates of one table set-based, and their audit records. Updates
 * only apply if the stored version is still the one read; otherwise the whole call fails
 * with VERSION_CONFLICT (the transaction rolls back).
 */
export async function applyChanges(
  em: EntityManager,
  spec: TableSpec,
  changes: Classified,
  actor: Actor,
): Promise<void> {
  const now = new Date();
  const baseColumns = spec.columns.map(c => c.column);
  const columns = [...baseColumns, ...(spec.versioned ? ['version'] : []), 'created_at', 'updated_at'];
  const toRow = (values: Record<string, unknown>, version: number): SqlValue[] => [
    ...spec.columns.map(c => toDb(c.kind, values[c.property])),
    ...(spec.versioned ? [version] : []),
    now,
    now,
  ];
  const keyCols = spec.keyColumns;
  const audit: AuditRecord[] = [];

  if (changes.creates.length) {
    const { rows } = await writeRowsReturning<Record<string, unknown>>(
      em,
      spec.table,
      columns,
      changes.creates.map(r => toRow(r.values, 1)),
      { returning: ['id', ...keyCols] },
    );
    const idByKey = new Map<string, number>();
    const keyProps = keyCols.map(k => spec.columns.find(c => c.column === k)!);
    for (const r of rows) {
      const values: Record<string, unknown> = {};
      for (const c of keyProps) values[c.property] = fromDb(c.kind, r[c.column]);
      idByKey.set(spec.keyOf(values), Number(r.id));
    }
    for (const r of changes.creates) {
      const after: AuditChanges = {};
      for (const c of spec.columns) after[c.property] = { before: null, after: r.values[c.property] ?? null };
      audit.push({
        entityType: spec.entityType,
        entityId: String(idByKey.get(r.key) ?? ''),
        action: 'CREATE',
        changes: after,
      });
    }
  }

  if (changes.updates.length) {
    const updateColumns = baseColumns.filter(c => !keyCols.includes(c));
    const { affected } = await writeRowsReturning(
      em,
      spec.table,
      columns,
      changes.updates.map(u => toRow(u.row.values, u.stored.version)),
      {
        upsert: {
          conflictColumns: keyCols,
          conflictWhere: spec.conflictWhere,
          updateColumns,
          touchColumns: ['updated_at'],
          versionColumn: spec.versioned ? 'version' : undefined,
        },
      },
    );
    if (affected !== changes.updates.length) {
      throw new DomainError(
        'VERSION_CONFLICT',
        `${changes.updates.length - affected} ${spec.entityType} row(s) were changed by someone else while this batch ran. Nothing was written; send the batch again.`,
      );
    }
    for (const u of changes.updates) {
      const diff: AuditChanges = {};
      for (const c of spec.columns) {
        const before = u.stored.values[c.property] ?? null;
        const after = u.row.values[c.property] ?? null;
        if (before !== after) diff[c.property] = { before, after };
      }
      audit.push({
        entityType: spec.entityType,
        entityId: String(u.stored.id),
        action: 'UPDATE',
        changes: diff,
      });
    }
  }
  await insertAuditEntries(em, actor, audit);
}

/** Validated rows and the rejections so far. */
export interface Validated<T> {
  rows: { index: number; data: T }[];
  rejections: RowRejection[];
}

/** Validates every row with the row schema; a row with any issue is rejected with all its issues. */
export function validateRows<S extends z.ZodType>(
  input: readonly unknown[],
  schema: S,
  options: BulkOptions,
  operation: string,
): Validated<z.output<S>> {
  const max = options.maxRows ?? DEFAULT_MAX_BULK_ROWS;
  if (input.length > max) {
    throw new DomainError(
      'BATCH_TOO_LARGE',
      `${operation} accepts at most ${max} rows per call; you sent ${input.length}. Split the rows into several calls.`,
      {
        details: { maxRows: max, received: input.length },
        issues: [
          {
            path: ['rows'],
            message: `at most ${counted(max, 'row')} per call; ${input.length} sent`,
            code: 'BATCH_TOO_LARGE',
          },
        ],
      },
    );
  }
  const out: Validated<z.output<S>> = { rows: [], rejections: [] };
  input.forEach((raw, index) => {
    const result = schema.safeParse(raw);
    if (result.success) out.rows.push({ index, data: result.data });
    else out.rejections.push(...issuesToRejections(index, toFieldIssues(result.error.issues)));
  });
  return out;
}

/** The message of a repeated row; `where` says where its first copy is ("in this call (first at row 3)"). */
export function duplicateRowMessage(what: string, key: string, where: string): string {
  return `${what} ${key} appears twice ${where}; send each ${what} once.`;
}

/** Rejects every row after the first with the same key. */
export function rejectDuplicates<T>(
  validated: Validated<T>,
  keyOf: (row: T) => string,
  path: (string | number)[],
  what: string,
): void {
  const seen = new Map<string, number>();
  validated.rows = validated.rows.filter(({ index, data }) => {
    const key = keyOf(data);
    const first = seen.get(key);
    if (first !== undefined) {
      validated.rejections.push({
        index,
        path,
        code: 'DUPLICATE_ROW',
        message: duplicateRowMessage(what, key, `in this call (first at row ${first})`),
        duplicate: { what, key, firstIndex: first },
      });
      return false;
    }
    seen.set(key, index);
    return true;
  });
}

/** Builds a result and decides whether to write, per the mode. */
export function result(
  operation: string,
  options: BulkOptions,
  received: number,
  rejections: RowRejection[],
  counts: { created: number; updated: number; unchanged: number } | null,
): BulkResult {
  const rejectedRows = new Set(rejections.map(r => r.index)).size;
  const sorted = [...rejections].sort((a, b) => a.index - b.index);
  return {
    operation,
    mode: options.mode,
    received,
    created: counts?.created ?? 0,
    updated: counts?.updated ?? 0,
    unchanged: counts?.unchanged ?? 0,
    rejected: rejectedRows,
    rejections: sorted,
    written: counts !== null && counts.created + counts.updated > 0,
    replayed: false,
  };
}

/**
 * The shape every bulk operation follows: validate, reject duplicates, then in one
 * transaction resolve references and diff against stored rows (`plan`), and — unless the
 * call is ATOMIC and some row was rejected — write set-based with audit records (`apply`).
 */
export async function runBulk<T, P>(
  em: EntityManager,
  actor: Actor,
  operation: string,
  options: BulkOptions,
  received: number,
  validated: Validated<T>,
  plan: (
    tx: EntityManager,
    rows: { index: number; data: T }[],
    reject: (r: RowRejection) => void,
  ) => Promise<P>,
  apply: (tx: EntityManager, plan: P) => Promise<{ created: number; updated: number; unchanged: number }>,
): Promise<BulkResult> {
  const rejections = [...validated.rejections];
  return writeAs(em, actor, async tx => {
    const planned = await plan(tx, validated.rows, r => rejections.push(r));
    if (options.mode === 'ATOMIC' && rejections.length > 0) {
      return result(operation, options, received, rejections, null);
    }
    const counts = await apply(tx, planned);
    return result(operation, options, received, rejections, counts);
  });
}

/** The rejection of a row whose `accountRef` names no account. */
export function unknownAccountRef(index: number, accountRef: string): RowRejection {
  return {
    index,
    path: ['accountRef'],
    code: 'NOT_FOUND',
    message: `No account has external ref ${accountRef}; create it first (upsertAccounts).`,
  };
}

/** The rejection of a row whose `field` names a code of no `what` ("business unit"); `listedBy` is the query listing them. */
function unknownCode(
  index: number,
  field: string,
  what: string,
  code: string,
  listedBy: string,
): RowRejection {
  return {
    index,
    path: [field],
    code: 'NOT_FOUND',
    message: `No ${what} has code ${code}; codes are matched exactly, capitals included (the ${listedBy} query lists them).`,
  };
}

/** The rejection of a row whose `businessUnitCode` names no business unit. */
export function unknownBusinessUnitCode(index: number, code: string): RowRejection {
  return unknownCode(index, 'businessUnitCode', 'business unit', code, 'businessUnits');
}

/** The rejection of a row whose `segmentCode` names no segment. */
export function unknownSegmentCode(index: number, code: string): RowRejection {
  return unknownCode(index, 'segmentCode', 'segment', code, 'segments');
}

/** Maps each distinct key to its id, e.g. external refs to account ids. */
export async function idsByKey(
  em: EntityManager,
  table: string,
  keyColumn: string,
  keys: Iterable<string>,
): Promise<Map<string, number>> {
  const distinct = [...new Set(keys)];
  const out = new Map<string, number>();
  if (distinct.length === 0) return out;
  const rows = await selectIn<{ id: number; k: string }>(
    em,
    `select id, ${keyColumn} as k from ${table} where ${keyColumn} in`,
    distinct,
  );
  for (const r of rows) out.set(String(r.k), Number(r.id));
  return out;
}

/** The counts of one or more classified tables, once written. */
export function writtenCounts(...tables: Classified[]): {
  created: number;
  updated: number;
  unchanged: number;
} {
  return {
    created: tables.reduce((sum, t) => sum + t.creates.length, 0),
    updated: tables.reduce((sum, t) => sum + t.updates.length, 0),
    unchanged: tables.reduce((sum, t) => sum + t.unchanged, 0),
  };
}

/** A validated row of a table whose rows each belong to an account named by `accountRef`. */
export type OwnedRow<T extends { accountRef: string }> = { index: number; data: T };

/**
 * Resolves rows that each name their account by `accountRef` (one query for all): a row whose
 * account does not exist is rejected; `build` turns the others into stored values, or returns
 * undefined after rejecting the row itself.
 */
export async function resolveAccountRows<T extends { accountRef: string }>(
  tx: EntityManager,
  rows: OwnedRow<T>[],
  reject: (r: RowRejection) => void,
  build: (row: OwnedRow<T>, account: number) => Record<string, unknown> | undefined,
  keyOf: (values: Record<string, unknown>) => string,
): Promise<ResolvedRow[]> {
  const accounts = await idsByKey(
    tx,
    'account',
    'external_ref',
    rows.map(r => r.data.accountRef),
  );
  const resolved: ResolvedRow[] = [];
  for (const row of rows) {
    const account = accounts.get(row.data.accountRef);
    if (account === undefined) {
      reject(unknownAccountRef(row.index, row.data.accountRef));
      continue;
    }
    const values = build(row, account);
    if (values) resolved.push({ index: row.index, key: keyOf(values), values });
  }
  return resolved;
}

/** How one table of account-owned rows keyed by `externalRef` is upserted (`upsertByExternalRef`). */
export interface ExternalRefUpsert<S extends z.ZodType<{ externalRef: string; accountRef: string }>, L> {
  operation: string;
  schema: S;
  spec: TableSpec;
  /** What a row is, in messages ("contact", "signal"). */
  what: string;
  /** Other references the rows name, looked up once for all rows. */
  lookups(tx: EntityManager, rows: OwnedRow<z.output<S>>[]): Promise<L>;
  /** The row's stored values, or undefined once it has rejected the row. */
  build(
    row: OwnedRow<z.output<S>>,
    account: number,
    lookups: L,
    reject: (r: RowRejection) => void,
  ): Record<string, unknown> | undefined;
  /** The rows that may change what is stored (all unless given), rejecting the others. */
  accept?(
    rows: ResolvedRow[],
    stored: Map<string, StoredRow>,
    reject: (r: RowRejection) => void,
  ): ResolvedRow[];
}

/**
 * The bulk upsert of one table of account-owned rows keyed by `externalRef`: validated, a
 * repeated ref rejected, accounts and other references resolved, diffed against the stored
 * rows and written set-based with audit records (`runBulk`).
 */
export async function upsertByExternalRef<
  S extends z.ZodType<{ externalRef: string; accountRef: string }>,
  L,
>(
  em: EntityManager,
  input: readonly unknown[],
  options: BulkOptions,
  actor: Actor,
  how: ExternalRefUpsert<S, L>,
): Promise<BulkResult> {
  const validated = validateRows(input, how.schema, options, how.operation);
  rejectDuplicates(validated, r => r.externalRef, ['externalRef'], how.what);
  return runBulk(
    em,
    actor,
    how.operation,
    options,
    input.length,
    validated,
    async (tx, rows, reject) => {
      const lookups = await how.lookups(tx, rows);
      const resolved = await resolveAccountRows(
        tx,
        rows,
        reject,
        (row, account) => how.build(row, account, lookups, reject),
        how.spec.keyOf,
      );
      const stored = await loadStored(
        tx,
        how.spec,
        resolved.map(r => r.key),
      );
      return classify(how.spec, how.accept ? how.accept(resolved, stored, reject) : resolved, stored);
    },
    async (tx, plan) => {
      await applyChanges(tx, how.spec, plan, actor);
      return writtenCounts(plan);
    },
  );
}
