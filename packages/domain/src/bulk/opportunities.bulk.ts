import type { EntityManager } from '@mikro-orm/core';
import type { Actor } from '../common/actor.ts';
import { type OpportunityRow, opportunityRowSchema } from '../opportunities/opportunity.service.ts';
import type { BulkOptions, BulkResult } from './bulk.types.ts';
import { idsByKey, type TableSpec, unknownBusinessUnitCode, upsertByExternalRef } from './bulk-engine.ts';

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
  return upsertByExternalRef(em, input, options, actor, {
    operation: 'upsertOpportunities',
    schema: opportunityRowSchema,
    spec: SPEC,
    what: 'opportunity',
    lookups: (tx, rows) =>
      idsByKey(
        tx,
        'business_unit',
        'code',
        rows.map(r => r.data.businessUnitCode),
      ),
    build: ({ index, data }, account, units, reject) => {
      const unit = units.get(data.businessUnitCode);
      if (unit === undefined) {
        reject(unknownBusinessUnitCode(index, data.businessUnitCode));
        return undefined;
      }
      return {
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
    },
    accept: (resolved, stored, reject) =>
      resolved.filter(r => {
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
      }),
  });
}
