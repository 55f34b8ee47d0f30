import type { EntityManager } from '@mikro-orm/core';
import { Account } from '../accounts/account.entity.ts';
import { type FinancialRow, financialRowSchema } from '../accounts/account.schemas.ts';
import type { Actor } from '../common/actor.ts';
import { lockRows } from '../common/lookup.ts';
import { quarterNotStarted } from '../common/quarter.ts';
import type { BulkOptions, BulkResult } from './bulk.types.ts';
import {
  applyChanges,
  classify,
  idsByKey,
  loadStored,
  rejectDuplicates,
  resolveAccountRows,
  runBulk,
  type TableSpec,
  unknownBusinessUnitCode,
  validateRows,
  writtenCounts,
} from './bulk-engine.ts';

const COLUMNS = [
  { property: 'account', column: 'account_id', kind: 'int' },
  { property: 'quarter', column: 'quarter', kind: 'text' },
  { property: 'businessUnit', column: 'business_unit_id', kind: 'int' },
  { property: 'revenue', column: 'revenue', kind: 'money' },
  { property: 'grossProfit', column: 'gross_profit', kind: 'money' },
  { property: 'costToServe', column: 'cost_to_serve', kind: 'money' },
  { property: 'potential', column: 'potential', kind: 'money' },
  { property: 'pricePremium', column: 'price_premium', kind: 'money' },
] as const;

const keyOf = (v: Record<string, unknown>) => `${v.account}|${v.quarter}|${v.businessUnit ?? ''}`;

const BY_UNIT: TableSpec = {
  table: 'quarterly_financial',
  entityType: 'QuarterlyFinancial',
  keyColumns: ['account_id', 'quarter', 'business_unit_id'],
  columns: [...COLUMNS],
  keyOf,
  versioned: true,
};
const ACCOUNT_LEVEL: TableSpec = {
  ...BY_UNIT,
  keyColumns: ['account_id', 'quarter'],
  conflictWhere: 'business_unit_id is null',
};

/**
 * Imports quarterly financials keyed by account external ref, quarter and business unit
 * code (omit the code for an account-level line). Set-based, audited, ATOMIC or PARTIAL.
 * The figures are actuals: a row of a quarter that has not started is rejected
 * (QUARTER_NOT_STARTED at `quarter`), as `recordFinancials` refuses it.
 */
export async function importFinancials(
  em: EntityManager,
  input: readonly FinancialRow[] | readonly unknown[],
  options: BulkOptions,
  actor: Actor,
): Promise<BulkResult> {
  const operation = 'importFinancials';
  const validated = validateRows(input, financialRowSchema, options, operation);
  const now = new Date();
  // Judged once per quarter: a call of 10,000 rows names a handful.
  const refusals = new Map<string, ReturnType<typeof quarterNotStarted>>();
  validated.rows = validated.rows.filter(({ index, data }) => {
    let refused = refusals.get(data.quarter);
    if (refused === undefined) {
      refused = quarterNotStarted(data.quarter, 'quarter', now);
      refusals.set(data.quarter, refused);
    }
    if (refused) {
      validated.rejections.push({
        index,
        path: ['quarter'],
        code: 'QUARTER_NOT_STARTED',
        message: refused.message,
      });
    }
    return !refused;
  });
  // An empty code is an account-level line, as a code left out (`build` below): the same key.
  rejectDuplicates(
    validated,
    r => `${r.accountRef}/${r.quarter}/${r.businessUnitCode || '(account)'}`,
    ['accountRef'],
    'financial line',
  );
  return runBulk(
    em,
    actor,
    operation,
    options,
    input.length,
    validated,
    async (tx, rows, reject) => {
      const units = await idsByKey(
        tx,
        'business_unit',
        'code',
        rows.flatMap(r => (r.data.businessUnitCode ? [r.data.businessUnitCode] : [])),
      );
      const resolved = await resolveAccountRows(
        tx,
        rows,
        reject,
        ({ index, data }, account) => {
          let businessUnit: number | null = null;
          if (data.businessUnitCode) {
            const id = units.get(data.businessUnitCode);
            if (id === undefined) {
              reject(unknownBusinessUnitCode(index, data.businessUnitCode));
              return undefined;
            }
            businessUnit = id;
          }
          return {
            account,
            quarter: data.quarter,
            businessUnit,
            revenue: data.revenue,
            grossProfit: data.grossProfit,
            costToServe: data.costToServe,
            potential: data.potential ?? null,
            pricePremium: data.pricePremium ?? null,
          };
        },
        keyOf,
      );
      // Locked, as recordFinancials locks its account: a line of the other scope recorded at
      // the same time would not be seen below, and the quarter would be counted twice.
      await lockRows(
        tx,
        Account,
        resolved.map(r => r.values.account as number),
      );
      const quarters = [...new Set(resolved.map(r => r.values.quarter as string))];
      const stored = await loadStored(
        tx,
        BY_UNIT,
        resolved.map(r => r.values.account),
        ` and quarter in (${quarters.map(() => '?').join(', ')})`,
        quarters,
      );
      // An account's quarter is split by business unit or recorded as one line, never both.
      const scopes = new Map<string, Set<'unit' | 'account'>>();
      const note = (account: unknown, quarter: unknown, unit: unknown) => {
        const k = `${account}|${quarter}`;
        const set = scopes.get(k) ?? new Set();
        set.add(unit == null ? 'account' : 'unit');
        scopes.set(k, set);
      };
      for (const s of stored.values()) note(s.values.account, s.values.quarter, s.values.businessUnit);
      for (const r of resolved) note(r.values.account, r.values.quarter, r.values.businessUnit);
      const accepted = resolved.filter(r => {
        if ((scopes.get(`${r.values.account}|${r.values.quarter}`)?.size ?? 0) > 1) {
          reject({
            index: r.index,
            path: ['businessUnitCode'],
            code: 'FINANCIALS_MIXED_SCOPE',
            message: `This account's ${r.values.quarter} figures would be both split by business unit and recorded for the whole account. Send all its lines with a business unit code, or one line without (removeFinancials takes away a stored line of the other kind).`,
          });
          return false;
        }
        return true;
      });
      return {
        byUnit: classify(
          BY_UNIT,
          accepted.filter(r => r.values.businessUnit !== null),
          stored,
        ),
        accountLevel: classify(
          ACCOUNT_LEVEL,
          accepted.filter(r => r.values.businessUnit === null),
          stored,
        ),
      };
    },
    async (tx, plan) => {
      await applyChanges(tx, BY_UNIT, plan.byUnit, actor);
      await applyChanges(tx, ACCOUNT_LEVEL, plan.accountLevel, actor);
      return writtenCounts(plan.byUnit, plan.accountLevel);
    },
  );
}
