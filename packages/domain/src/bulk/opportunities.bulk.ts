import type { EntityManager } from '@mikro-orm/core';
import type { Actor } from '../common/actor.ts';
import { type OpportunityRow, opportunityRowSchema } from '../opportunities/opportunity.service.ts';
import type { BulkOptions, BulkResult } from './bulk.types.ts';
import {
  applyChanges,
  classify,
  idsByKey,
  loadStored,
  type ResolvedRow,
  rejectDuplicates,
  runBulk,
  type TableSpec,
  unknownAccountRef,
  validateRows,
} from './bulk-engine.ts';

const SPEC: TableSpec = {
  table: 'opportunity',
  entityType: 'Opportunity',
  keyColumns: ['external_ref'],
  columns: [
    { property: 'externalRef', column: 'external_ref', kind: 'text' },
    { property: 'account', column: 'account_id', kind: 'int' },
    { property: 'businessUnit', column: 'business_unit_id', kind: 'int' },
    { property: 'name', column: 'name', kind: 'text' },
    { property: 'value', column: 'value', kind: 'money' },
    { property: 'qualified', column: 'qualified', kind: 'bool' },
    { property: 'qualifiedOn', column: 'qualified_on', kind: 'date' },
    { property: 'expectedCloseOn', column: 'expected_close_on', kind: 'date' },
    { property: 'outcome', column: 'outcome', kind: 'text' },
    { property: 'decidedOn', column: 'decided_on', kind: 'date' },
    { property: 'lostReason', column: 'lost_reason', kind: 'text' },
  ],
  keyOf: v => String(v.externalRef),
  versioned: true,
};

/**
 * Creates or updates opportunities keyed by `externalRef`. A decided opportunity (WON or
 * LOST) is final: a row that would change its outcome, decision date, value or
 * qualification is rejected.
 */
export async function upsertOpportunities(
  em: EntityManager,
  input: readonly OpportunityRow[] | readonly unknown[],
  options: BulkOptions,
  actor: Actor,
): Promise<BulkResult> {
  const operation = 'upsertOpportunities';
  const validated = validateRows(input, opportunityRowSchema, options, operation);
  rejectDuplicates(validated, r => r.externalRef, ['externalRef'], 'opportunity');
  return runBulk(
    em,
    actor,
    operation,
    options,
    input.length,
    validated,
    async (tx, rows, reject) => {
      const accounts = await idsByKey(
        tx,
        'account',
        'external_ref',
        rows.map(r => r.data.accountRef),
      );
      const units = await idsByKey(
        tx,
        'business_unit',
        'code',
        rows.map(r => r.data.businessUnitCode),
      );
      const resolved: ResolvedRow[] = [];
      for (const { index, data } of rows) {
        const account = accounts.get(data.accountRef);
        const unit = units.get(data.businessUnitCode);
        if (account === undefined) {
          reject(unknownAccountRef(index, data.accountRef));
          continue;
        }
        if (unit === undefined) {
          reject({
            index,
            path: ['businessUnitCode'],
            code: 'NOT_FOUND',
            message: `No business unit has code ${data.businessUnitCode}.`,
          });
          continue;
        }
        const values = {
          externalRef: data.externalRef,
          account,
          businessUnit: unit,
          name: data.name,
          value: data.value,
          qualified: data.qualified,
          qualifiedOn: data.qualifiedOn ?? null,
          expectedCloseOn: data.expectedCloseOn ?? null,
          outcome: data.outcome,
          decidedOn: data.decidedOn ?? null,
          lostReason: data.lostReason ?? null,
        };
        resolved.push({ index, key: data.externalRef, values });
      }
      const stored = await loadStored(
        tx,
        SPEC,
        resolved.map(r => r.key),
      );
      const accepted = resolved.filter(r => {
        const s = stored.get(r.key);
        if (!s || s.values.outcome === 'OPEN') return true;
        // The qualification is frozen too: it decides whether the bid counts in the win rate.
        const changed = (
          ['outcome', 'decidedOn', 'value', 'account', 'businessUnit', 'qualified'] as const
        ).some(p => (s.values[p] ?? null) !== (r.values[p] ?? null));
        if (changed) {
          reject({
            index: r.index,
            path: ['outcome'],
            code: 'OPPORTUNITY_ALREADY_DECIDED',
            message: `Opportunity ${r.key} was already ${s.values.outcome} on ${s.values.decidedOn}; a decided bid is final. Record a new opportunity instead.`,
          });
          return false;
        }
        return true;
      });
      return classify(SPEC, accepted, stored);
    },
    async (tx, plan) => {
      await applyChanges(tx, SPEC, plan, actor);
      return { created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged };
    },
  );
}
