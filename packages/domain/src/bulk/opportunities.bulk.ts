import type { EntityManager } from '@mikro-orm/core';
import type { Actor } from '../common/actor.ts';
import { listed } from '../common/words.ts';
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

/** The row field that sets a stored property, where the names differ. */
const ROW_FIELD: Record<string, string> = { account: 'accountRef', businessUnit: 'businessUnitCode' };

/**
 * Creates or updates opportunities keyed by `externalRef`. A decided opportunity (WON or
 * LOST) is final, as in `updateOpportunity`: a row that would change any of its fields is
 * rejected (`OPPORTUNITY_ALREADY_DECIDED`); a row equal to it is unchanged.
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
        // Final as in updateOpportunity: every field, not only outcome, value and qualification
        // (qualifiedOn dates the PROSPECT level and the qualified pipeline of past quarters).
        const changed = SPEC.columns
          .filter(c => (s.values[c.property] ?? null) !== (r.values[c.property] ?? null))
          .map(c => ROW_FIELD[c.property] ?? c.property);
        const [first] = changed;
        if (first === undefined) return true;
        reject({
          index: r.index,
          path: [first],
          code: 'OPPORTUNITY_ALREADY_DECIDED',
          message: `Opportunity ${r.key} was decided on ${s.values.decidedOn} as ${s.values.outcome} and cannot change (this row changes ${listed(changed)}). Send the row as stored, or record a new opportunity instead.`,
        });
        return false;
      }),
  });
}
