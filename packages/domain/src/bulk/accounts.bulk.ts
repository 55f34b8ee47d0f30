import type { EntityManager } from '@mikro-orm/core';
import { type AccountRow, accountRowSchema } from '../accounts/account.schemas.ts';
import { lockHierarchy, MAX_HIERARCHY_DEPTH, subtreeHeight } from '../accounts/hierarchy.ts';
import type { Actor } from '../common/actor.ts';
import { selectIn } from '../db/sql-writer.ts';
import type { BulkOptions, BulkResult, RowRejection } from './bulk.types.ts';
import {
  applyChanges,
  classify,
  idsByKey,
  loadStored,
  type ResolvedRow,
  rejectDuplicates,
  runBulk,
  type TableSpec,
  unknownSegmentCode,
  validateRows,
} from './bulk-engine.ts';

const SPEC: TableSpec = {
  table: 'account',
  entityType: 'Account',
  keyColumns: ['external_ref'],
  columns: [
    { property: 'externalRef', column: 'external_ref', kind: 'text' },
    { property: 'name', column: 'name', kind: 'text' },
    { property: 'parent', column: 'parent_id', kind: 'int' },
    { property: 'segment', column: 'segment_id', kind: 'int' },
    { property: 'industry', column: 'industry', kind: 'text' },
    { property: 'country', column: 'country', kind: 'text' },
    { property: 'customerSince', column: 'customer_since', kind: 'date' },
  ],
  keyOf: v => String(v.externalRef),
  versioned: true,
};

/** Parent external ref of each stored account reached from `refs`, walking up to the roots. */
async function storedParents(em: EntityManager, refs: Iterable<string>): Promise<Map<string, string | null>> {
  const parents = new Map<string, string | null>();
  let frontier = [...new Set(refs)];
  for (let depth = 0; frontier.length && depth <= MAX_HIERARCHY_DEPTH + 1; depth++) {
    const rows = await selectIn<{ ref: string; parent_ref: string | null }>(
      em,
      'select a.external_ref as ref, p.external_ref as parent_ref from account a left join account p on p.id = a.parent_id where a.external_ref in',
      frontier,
    );
    const next: string[] = [];
    for (const r of rows) {
      parents.set(r.ref, r.parent_ref);
      if (r.parent_ref && !parents.has(r.parent_ref)) next.push(r.parent_ref);
    }
    frontier = next;
  }
  return parents;
}

/**
 * Creates or updates accounts keyed by `externalRef`, with their place in the hierarchy
 * (`parentRef`, which may name an account of the same call) and segment (`segmentCode`).
 * An account never becomes its own ancestor; the hierarchy stays within its depth limit.
 */
export async function upsertAccounts(
  em: EntityManager,
  input: readonly AccountRow[] | readonly unknown[],
  options: BulkOptions,
  actor: Actor,
): Promise<BulkResult> {
  const operation = 'upsertAccounts';
  const validated = validateRows(input, accountRowSchema, options, operation);
  rejectDuplicates(validated, r => r.externalRef, ['externalRef'], 'external ref');
  // The rows that failed validation, by the external ref they tried to use: a row under one of
  // them is told that its parent row was rejected rather than that no such account exists.
  const invalidRows = new Map<string, number>();
  for (const { index } of validated.rejections) {
    const ref = (input[index] as { externalRef?: unknown } | null | undefined)?.externalRef;
    if (typeof ref === 'string' && !invalidRows.has(ref.trim())) invalidRows.set(ref.trim(), index);
  }
  return runBulk(
    em,
    actor,
    operation,
    options,
    input.length,
    validated,
    async (tx, rows, reject) => {
      const segments = await idsByKey(
        tx,
        'segment',
        'code',
        rows.flatMap(r => (r.data.segmentCode ? [r.data.segmentCode] : [])),
      );
      // Before the stored parents are read: a concurrent move would otherwise close a loop.
      if (rows.some(r => r.data.parentRef)) await lockHierarchy(tx);
      const batchParent = new Map(rows.map(r => [r.data.externalRef, r.data.parentRef ?? null]));
      const stored = await storedParents(tx, [
        ...rows.map(r => r.data.externalRef),
        ...rows.flatMap(r => (r.data.parentRef ? [r.data.parentRef] : [])),
      ]);
      const parentOf = (ref: string): string | null | undefined =>
        batchParent.has(ref) ? batchParent.get(ref) : stored.get(ref);
      const bad = new Set<number>();
      const fail = (r: RowRejection) => {
        bad.add(r.index);
        reject(r);
      };
      const walk = (ref: string, parentRef: string) => {
        // Walk up from the new parent; meeting the row itself means it would be its own ancestor.
        let levels = 1;
        const seen = new Set<string>();
        for (let current: string | null | undefined = parentRef; current; current = parentOf(current)) {
          if (current === ref) return { selfCycle: true, loop: false, levels };
          if (seen.has(current)) return { selfCycle: false, loop: true, levels };
          seen.add(current);
          levels += 1;
        }
        return { selfCycle: false, loop: false, levels };
      };
      const cycleRejection = (index: number, ref: string, parentRef: string): RowRejection => ({
        index,
        path: ['parentRef'],
        code: 'ACCOUNT_HIERARCHY_CYCLE',
        message: `Putting ${ref} under ${parentRef} would make it its own ancestor; choose a parent outside its own group.`,
      });
      const parentRowRejected = (index: number, ref: string, parentRef: string, parentIndex: number) =>
        fail({
          index,
          path: ['parentRef'],
          code: 'ACCOUNT_PARENT_ROW_REJECTED',
          message: `The row of parent ${parentRef} (row ${parentIndex}) was rejected, so ${ref} cannot be placed under it; fix row ${parentIndex} and send both rows again.`,
        });
      for (const { index, data } of rows) {
        if (data.segmentCode && !segments.has(data.segmentCode)) {
          fail(unknownSegmentCode(index, data.segmentCode));
        }
        if (data.parentRef && !batchParent.has(data.parentRef) && !stored.has(data.parentRef)) {
          const parentIndex = invalidRows.get(data.parentRef);
          if (parentIndex !== undefined) {
            parentRowRejected(index, data.externalRef, data.parentRef, parentIndex);
            continue;
          }
          fail({
            index,
            path: ['parentRef'],
            code: 'NOT_FOUND',
            message: `No account has external ref ${data.parentRef}, neither stored nor in this call (in a CSV file, list parents before their children, as kam export does).`,
          });
        }
      }
      const existing = await loadStored(
        tx,
        SPEC,
        rows.map(r => r.data.externalRef),
      );
      const heights = new Map<number, number>();
      const rowIndex = new Map(rows.map(r => [r.data.externalRef, r.index]));
      // A rejected row keeps what is stored, which can close a loop or deepen the hierarchy
      // through rows already checked: check again until a pass rejects no further row.
      for (let rejected = -1; rejected !== bad.size; ) {
        rejected = bad.size;
        for (const { index, data } of rows) if (bad.has(index)) batchParent.delete(data.externalRef);
        // First the rows that would be their own ancestors; they keep their stored parents.
        for (const { index, data } of rows) {
          if (bad.has(index) || !data.parentRef) continue;
          if (walk(data.externalRef, data.parentRef).selfCycle)
            fail(cycleRejection(index, data.externalRef, data.parentRef));
        }
        if (bad.size > rejected) continue;
        for (const { index, data } of rows) {
          if (bad.has(index) || !data.parentRef) continue;
          const { loop, levels } = walk(data.externalRef, data.parentRef);
          if (loop) fail(cycleRejection(index, data.externalRef, data.parentRef));
          else if (levels > MAX_HIERARCHY_DEPTH) {
            fail({
              index,
              path: ['parentRef'],
              code: 'ACCOUNT_HIERARCHY_TOO_DEEP',
              message: `The hierarchy above ${data.externalRef} would be ${levels} levels deep; the limit is ${MAX_HIERARCHY_DEPTH}.`,
            });
            continue;
          }
          // An existing account moving under another: its own subtree counts towards the depth.
          const current = existing.get(data.externalRef);
          if (!current || stored.get(data.externalRef) === data.parentRef) continue;
          const height = heights.get(current.id) ?? (await subtreeHeight(tx, current.id));
          heights.set(current.id, height);
          if (levels + height > MAX_HIERARCHY_DEPTH) {
            fail({
              index,
              path: ['parentRef'],
              code: 'ACCOUNT_HIERARCHY_TOO_DEEP',
              message: `Moving ${data.externalRef} (with ${height} level(s) below it) under ${data.parentRef} would exceed the ${MAX_HIERARCHY_DEPTH}-level limit.`,
            });
          }
        }
        if (bad.size > rejected) continue;
        // PARTIAL: a row under a new account whose row was rejected would be written without its
        // parent (and an existing account would lose the one it has): it is rejected too, and so,
        // in turn, are the rows under it. ATOMIC writes nothing anyway and lists the rows at fault.
        for (let cascaded = options.mode === 'PARTIAL'; cascaded; ) {
          cascaded = false;
          for (const { index, data } of rows) {
            if (bad.has(index) || !data.parentRef || stored.has(data.parentRef)) continue;
            const parentIndex = rowIndex.get(data.parentRef);
            if (parentIndex !== undefined && bad.has(parentIndex)) {
              parentRowRejected(index, data.externalRef, data.parentRef, parentIndex);
              cascaded = true;
            }
          }
        }
      }
      return { rows: rows.filter(r => !bad.has(r.index)), segments, existing };
    },
    async (tx, plan) => {
      const byRef = new Map(plan.rows.map(r => [r.data.externalRef, r]));
      const ids = await idsByKey(
        tx,
        'account',
        'external_ref',
        plan.rows.flatMap(r => (r.data.parentRef ? [r.data.parentRef] : [])),
      );
      const resolve = (r: (typeof plan.rows)[number]): ResolvedRow => {
        const parent = r.data.parentRef ? ids.get(r.data.parentRef) : null;
        // Planning rejects every row whose parent would not exist; never write one without it.
        if (parent === undefined)
          throw new Error(`upsertAccounts: parent ${r.data.parentRef} was not written`);
        const values = {
          externalRef: r.data.externalRef,
          name: r.data.name,
          parent,
          segment: r.data.segmentCode ? (plan.segments.get(r.data.segmentCode) ?? null) : null,
          industry: r.data.industry ?? null,
          country: r.data.country ?? null,
          customerSince: r.data.customerSince ?? null,
        };
        return { index: r.index, key: values.externalRef, values };
      };
      // New accounts go in level by level, parents before children, so every child gets
      // its parent's id; then existing accounts are updated with their final parents.
      let created = 0;
      const pending = plan.rows.filter(r => !plan.existing.has(r.data.externalRef));
      const done = new Set<string>();
      while (pending.length) {
        const ready = pending.filter(r => {
          const p = r.data.parentRef;
          return !p || !byRef.has(p) || plan.existing.has(p) || done.has(p);
        });
        if (ready.length === 0) throw new Error('upsertAccounts: unresolvable parents among new accounts');
        for (const r of ready) pending.splice(pending.indexOf(r), 1);
        const level = ready.map(resolve);
        await applyChanges(tx, SPEC, { creates: level, updates: [], unchanged: 0 }, actor);
        for (const [ref, id] of await idsByKey(
          tx,
          'account',
          'external_ref',
          ready.map(r => r.data.externalRef),
        )) {
          ids.set(ref, id);
          done.add(ref);
        }
        created += level.length;
      }
      const updates = classify(
        SPEC,
        plan.rows.filter(r => plan.existing.has(r.data.externalRef)).map(resolve),
        plan.existing,
      );
      await applyChanges(tx, SPEC, updates, actor);
      return { created, updated: updates.updates.length, unchanged: updates.unchanged };
    },
  );
}
