/** Profitability per account and quarter (domain §9): ranges of quarters, the latest quarter, recording. */
import { mapRows, placeholders, QuarterlyFinancial, recordFinancials, removeFinancials } from '@kam/domain';
import { builder } from '../../builder.ts';
import { assertInOrder } from '../connection.ts';
import { decodeId } from '../ids.ts';
import { ACCOUNT_FIELD_LOADERS, groupedBy, requestLoader } from '../loaders.ts';
import { AccountRef, QuarterlyFinancialRef } from './account.ts';
import { described, maybeId } from './workflow.ts';

// Quarters are written YYYY-Qn, so their text order is their time order.
const OPEN_START = '0000-Q1';
const OPEN_END = '9999-Q4';

/** Each account's lines of its latest quarter with figures. */
const latestFinancialsOf = requestLoader(async (ids: number[], ctx) => {
  // One statement: each account's latest quarter (one index seek per account on
  // (account_id, quarter, …), not a scan of all its quarters), then that quarter's lines.
  const rows = await ctx.em.getConnection().execute<Record<string, unknown>[]>(
    `select f.*
       from account a
       join quarterly_financial f on f.account_id = a.id
         and f.quarter = (select max(l.quarter) from quarterly_financial l where l.account_id = a.id)
       where a.id in (${placeholders(ids)})
       order by f.id`,
    ids,
  );
  return groupedBy(ids, mapRows(ctx.em, QuarterlyFinancial, rows), line => line.account.id);
});
ACCOUNT_FIELD_LOADERS.set('latestFinancials', latestFinancialsOf);

builder.objectFields(AccountRef, t => ({
  quarterlyFinancials: t.loadableList({
    type: QuarterlyFinancialRef,
    description:
      'Quarterly financial lines in a range of quarters (both ends included), oldest first; every business unit.',
    args: {
      from: t.arg({ type: 'Quarter', description: 'The first quarter (open when omitted).' }),
      to: t.arg({ type: 'Quarter', description: 'The last quarter (open when omitted).' }),
    },
    // The key carries the range, so every account of a page asking for the same range shares one query.
    load: async (keys: string[], ctx) => {
      const byRange = new Map<string, number[]>();
      for (const key of keys) {
        const [id, from, to] = key.split('|') as [string, string, string];
        const range = `${from}|${to}`;
        const list = byRange.get(range);
        if (list) list.push(Number(id));
        else byRange.set(range, [Number(id)]);
      }
      const lines = new Map<string, QuarterlyFinancial[]>();
      for (const [range, ids] of byRange) {
        const [from, to] = range.split('|') as [string, string];
        const rows = await ctx.em.find(
          QuarterlyFinancial,
          { account: { $in: ids }, quarter: { $gte: from, $lte: to } },
          { orderBy: { quarter: 'asc', id: 'asc' } },
        );
        for (const row of rows) {
          const key = `${row.account.id}|${range}`;
          const list = lines.get(key);
          if (list) list.push(row);
          else lines.set(key, [row]);
        }
      }
      return keys.map(key => lines.get(key) ?? []);
    },
    resolve: (a, args) => {
      const from = args.from ?? OPEN_START;
      const to = args.to ?? OPEN_END;
      assertInOrder({ arg: 'from', value: from }, { arg: 'to', value: to, inclusive: true });
      return `${a.id}|${from}|${to}`;
    },
  }),
  latestFinancials: t.field({
    type: [QuarterlyFinancialRef],
    description:
      'The financial lines of the latest quarter the account has figures for (one account-level line, or one per business unit).',
    resolve: (a, _args, ctx) => latestFinancialsOf.resolve(ctx, a.id),
  }),
}));

const RecordFinancialsInput = builder.inputType('RecordFinancialsInput', {
  description:
    'One quarter’s figures for an account, as an account-level line or for one business unit (never both in a quarter).',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The account.' }),
    businessUnitId: t.globalID({
      description: 'The business unit the figures are booked to; omit for the whole account.',
    }),
    quarter: t.field({ type: 'Quarter', required: true, description: 'The quarter.' }),
    revenue: t.field({ type: 'Money', required: true, description: 'Revenue.' }),
    grossProfit: t.field({ type: 'Money', required: true, description: 'Gross profit.' }),
    costToServe: t.field({ type: 'Money', required: true, description: 'Cost to serve (not negative).' }),
    potential: t.field({ type: 'Money', description: 'Estimated potential wallet.' }),
    pricePremium: t.field({ type: 'Money', description: 'Price premium, where known.' }),
    expectedVersion: t.int({
      description:
        'Required to change an existing line: the version you read. Omit it to record a new line (sent for a line not recorded, it is a ConflictError with currentVersion null).',
    }),
  }),
});

builder.mutationField('recordFinancials', t =>
  t.field({
    type: QuarterlyFinancialRef,
    description:
      'Records or corrects one quarter’s figures for an account (ADMIN: figures come from the ERP; scripts use importFinancials).',
    authScopes: { admin: true },
    errors: described('recording financials'),
    args: { input: t.arg({ type: RecordFinancialsInput, required: true, description: 'The figures.' }) },
    resolve: (_, { input }, ctx) =>
      recordFinancials(
        ctx.em,
        {
          ...input,
          accountId: decodeId(input.accountId, 'Account', 'accountId'),
          businessUnitId: maybeId(input.businessUnitId, 'BusinessUnit', 'businessUnitId'),
          expectedVersion: input.expectedVersion ?? undefined,
        },
        ctx.actor,
      ),
  }),
);

const RemoveFinancialsInput = builder.inputType('RemoveFinancialsInput', {
  description:
    'The financial line to remove: the account, the quarter and the business unit (omit it for the account-level line), with the version you read.',
  fields: t => ({
    accountId: t.globalID({ required: true, description: 'The account.' }),
    businessUnitId: t.globalID({
      description: 'The business unit of the line; omit for the account-level line.',
    }),
    quarter: t.field({ type: 'Quarter', required: true, description: 'The quarter.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
  }),
});

builder.mutationField('removeFinancials', t =>
  t.field({
    type: QuarterlyFinancialRef,
    description:
      'Removes one financial line recorded for the wrong quarter, unit or scope (ADMIN); the audit trail keeps it. Closed quarters keep their snapshots; close the quarter again to count without it.',
    authScopes: { admin: true },
    errors: described('removing financials', 'The line as it was before it was removed.'),
    args: { input: t.arg({ type: RemoveFinancialsInput, required: true, description: 'The line.' }) },
    resolve: (_, { input }, ctx) =>
      removeFinancials(
        ctx.em,
        {
          accountId: decodeId(input.accountId, 'Account', 'accountId'),
          businessUnitId: maybeId(input.businessUnitId, 'BusinessUnit', 'businessUnitId'),
          quarter: input.quarter,
          expectedVersion: input.expectedVersion,
        },
        ctx.actor,
      ),
  }),
);
