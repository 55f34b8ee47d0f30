import {
  Account,
  assertQuarterStarted,
  createAccount,
  doingBusinessWithFilter,
  idInSet,
  KeyAccountDesignation,
  keyAccountFilter,
  latestTierFilter,
  mapRows,
  placeholders,
  QuarterlyFinancial,
  selectRows,
  selectRowsJoined,
  subtractMoney,
  TeamMember,
  updateAccount,
} from '@kam/domain';
import { assertCanMoveAccount, assertCanWriteAccount } from '../../auth/permissions.ts';
import { builder } from '../../builder.ts';
import { ValidationError } from '../../errors.ts';
import { connectionComplexity, ownedConnection, pageOf } from '../connection.ts';
import { decodeId } from '../ids.ts';
import { ACCOUNT_FIELD_LOADERS, firstBy, groupedBy, prefetchNodeFields, requestLoader } from '../loaders.ts';
import { entityNode, entityOrRow } from '../node.ts';
import { connectionOrder } from '../order.ts';
import { searchFilter } from '../search.ts';
import { standingsIn } from '../standings.ts';
import { BusinessUnitRef } from './organisation.ts';
import { TeamMemberRef } from './team.ts';
import { AccountQuadrantEnum, PyramidLevelEnum, ValueTierEnum } from './vocabulary.ts';
import { connectionTypes, notCleared, optionalId } from './workflow.ts';

export const QuarterlyFinancialRef = builder.objectRef<QuarterlyFinancial>('QuarterlyFinancial').implement({
  description:
    'An account’s figures for one quarter, for one business unit or for the whole account. Money is exact.',
  isTypeOf: entityOrRow(QuarterlyFinancial),
  fields: t => ({
    quarter: t.field({ type: 'Quarter', description: 'The quarter, YYYY-Qn.', resolve: f => f.quarter }),
    businessUnit: t.field({
      type: BusinessUnitRef,
      nullable: true,
      description: 'The business unit the figures are booked to; null for an account-level line.',
      resolve: f => f.businessUnit?.id ?? null,
    }),
    revenue: t.field({ type: 'Money', description: 'Revenue.', resolve: f => f.revenue }),
    grossProfit: t.field({ type: 'Money', description: 'Gross profit.', resolve: f => f.grossProfit }),
    costToServe: t.field({ type: 'Money', description: 'Cost to serve.', resolve: f => f.costToServe }),
    contribution: t.field({
      type: 'Money',
      description: 'Gross profit − cost to serve.',
      resolve: f => subtractMoney(f.grossProfit, f.costToServe),
    }),
    potential: t.field({
      type: 'Money',
      nullable: true,
      description: 'Estimated potential wallet.',
      resolve: f => f.potential ?? null,
    }),
    pricePremium: t.field({
      type: 'Money',
      nullable: true,
      description: 'Price premium, where known.',
      resolve: f => f.pricePremium ?? null,
    }),
    version: t.exposeInt('version', { description: 'Optimistic-lock version.' }),
  }),
});

export const DesignationRef = builder.objectRef<KeyAccountDesignation>('KeyAccountDesignation').implement({
  description:
    'A key-account designation: from a date, reviewed at least every 24 months, never deleted (revoking ends it).',
  fields: t => ({
    designatedOn: t.field({
      type: 'Date',
      description: 'When the account became key.',
      resolve: d => d.designatedOn,
    }),
    reviewDueOn: t.field({
      type: 'Date',
      description: 'When the designation must be reviewed (≥ 24 months out).',
      resolve: d => d.reviewDueOn,
    }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why the account was made key.' }),
    revokedOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When the designation ended.',
      resolve: d => d.revokedOn ?? null,
    }),
    revocationReason: t.exposeString('revocationReason', { nullable: true, description: 'Why it ended.' }),
    version: t.exposeInt('version', { description: 'Optimistic-lock version.' }),
  }),
});

/** Each account's team members, in the order they joined, each with its person (one statement). */
const teamOf = requestLoader(async (ids: number[], ctx) => {
  const rows = await selectRowsJoined(
    ctx.em,
    TeamMember,
    'person',
    `where t.account_id in (${placeholders(ids)}) order by t.id`,
    ids,
  );
  return groupedBy(ids, rows, r => r.account.id);
});
ACCOUNT_FIELD_LOADERS.set('team', teamOf);

/** Whether each account holds a current key-account designation. */
const isKeyAccountOf = requestLoader(async (ids: number[], ctx) => {
  const rows = await ctx.em
    .getConnection()
    .execute<{ account_id: number | string }[]>(
      `select account_id from key_account_designation where account_id in (${placeholders(ids)}) and revoked_on is null`,
      ids,
    );
  const key = new Set(rows.map((r: { account_id: number | string }) => Number(r.account_id)));
  return ids.map(id => key.has(id));
});
ACCOUNT_FIELD_LOADERS.set('isKeyAccount', isKeyAccountOf);

/** The accounts directly below an account, by external ref (unique; ties by id all the same). */
const childrenOf = ownedConnection({
  entity: Account,
  owner: 'parent',
  order: [
    { property: 'externalRef', direction: 'asc' },
    { property: 'id', direction: 'asc' },
  ],
});

export const AccountRef = entityNode(Account, 'Account', {
  // Read rows, with whether each account is key in the same statement: a single account's
  // page nearly always shows it, and it saves a statement per request.
  load: async (ids, ctx) => {
    const rows = await ctx.em.getConnection().execute<Record<string, unknown>[]>(
      `select a.*, exists (select 1 from key_account_designation d
           where d.account_id = a.id and d.revoked_on is null) as kam_is_key_account
         from account a where a.id in (${placeholders(ids)})`,
      ids,
    );
    isKeyAccountOf.prime(
      ctx,
      rows.map(
        (row: Record<string, unknown>) => [Number(row.id), Boolean(Number(row.kam_is_key_account))] as const,
      ),
    );
    return mapRows(ctx.em, Account, rows);
  },
});

AccountRef.implement({
  description:
    'A customer account. Accounts form a hierarchy (a global account with regional and local children).',
  isTypeOf: entityOrRow(Account),
  fields: t => ({
    externalRef: t.exposeString('externalRef', {
      description: 'The stable CRM/ERP id; scripts upsert by it.',
    }),
    name: t.exposeString('name', { description: 'Account name.' }),
    industry: t.exposeString('industry', { nullable: true, description: 'Industry.' }),
    country: t.exposeString('country', { nullable: true, description: 'ISO 3166 alpha-2 country code.' }),
    customerSince: t.field({
      type: 'Date',
      nullable: true,
      description: 'First sale.',
      resolve: a => a.customerSince ?? null,
    }),
    version: t.exposeInt('version', {
      description: 'Optimistic-lock version; send it back as expectedVersion.',
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the account was created.',
      resolve: a => a.createdAt,
    }),
    updatedAt: t.field({ type: 'DateTime', description: 'When it last changed.', resolve: a => a.updatedAt }),
    parent: t.field({
      type: AccountRef,
      nullable: true,
      description: 'The group account this account belongs to.',
      resolve: a => a.parent?.id ?? null,
    }),
    // A connection: a group account can have any number of accounts below it.
    children: t.connection(
      {
        type: AccountRef,
        description: 'The accounts directly below this one, by external ref, a page at a time.',
        complexity: connectionComplexity,
        resolve: (a, args, ctx) => childrenOf.page(ctx, a.id, args),
      },
      ...connectionTypes('accounts', 'How many accounts are directly below this one'),
    ),
    designation: t.loadable({
      type: DesignationRef,
      nullable: true,
      description: 'The current key-account designation, if the account is key.',
      load: async (ids: number[], ctx) => {
        const rows = await selectRows(
          ctx.em,
          KeyAccountDesignation,
          `where account_id in (${placeholders(ids)}) and revoked_on is null order by id`,
          ids,
        );
        return firstBy(ids, rows, r => r.account.id);
      },
      resolve: a => a.id,
    }),
    isKeyAccount: t.field({
      type: 'Boolean',
      description: 'Whether the account holds a current key-account designation.',
      resolve: (a, _args, ctx) => isKeyAccountOf.resolve(ctx, a.id),
    }),
    financials: t.loadableList({
      type: QuarterlyFinancialRef,
      description: 'Quarterly financial lines, oldest first (every quarter, every business unit).',
      load: async (ids: number[], ctx) => {
        const rows = await ctx.em.find(
          QuarterlyFinancial,
          { account: { $in: ids } },
          { orderBy: { quarter: 'asc', id: 'asc' } },
        );
        return groupedBy(ids, rows, r => r.account.id);
      },
      resolve: a => a.id,
    }),
    team: t.field({
      type: [TeamMemberRef],
      description: 'The account team.',
      resolve: (a, _args, ctx) => teamOf.resolve(ctx, a.id),
    }),
  }),
});

const accountOrder = connectionOrder(
  'AccountOrder',
  'accounts',
  {
    EXTERNAL_REF: { property: 'externalRef', description: 'The CRM/ERP id.' },
    NAME: { property: 'name', description: 'The account name.' },
    CREATED_AT: { property: 'createdAt', description: 'When the account was created in kam.' },
  },
  { description: 'by external ref, ascending', order: { externalRef: 'asc', id: 'asc' } },
);

builder.queryFields(t => ({
  accountByRef: t.field({
    type: AccountRef,
    nullable: true,
    description: 'An account by its external ref.',
    args: { externalRef: t.arg.string({ required: true, description: 'The CRM/ERP id.' }) },
    resolve: (_, args, ctx) => ctx.em.findOne(Account, { externalRef: args.externalRef }),
  }),
  accounts: t.connection(
    {
      type: AccountRef,
      description: 'Accounts, by external ref, with filters.',
      args: {
        search: t.arg.string({
          description: 'Part of the name or external ref, ignoring case (at most 254 characters).',
        }),
        keyAccountsOnly: t.arg.boolean({
          description: 'true: only accounts with a current designation, as `keyAccount: true`.',
          deprecationReason:
            'Use `keyAccount: true`; `keyAccount: false` gives the accounts without a designation.',
        }),
        parentId: t.arg.globalID({ description: 'Only the direct children of this account.' }),
        keyAccount: t.arg.boolean({
          description: 'true: only accounts with a current designation; false: only accounts without one.',
        }),
        tier: t.arg({
          type: ValueTierEnum,
          description: 'Only accounts whose latest tier assessment is this tier.',
        }),
        pyramidLevel: t.arg({
          type: PyramidLevelEnum,
          description: 'Only accounts at this level of the customer pyramid in `asOf`.',
        }),
        quadrant: t.arg({
          type: AccountQuadrantEnum,
          description:
            'Only accounts in this quadrant of the selection matrix in `asOf` (assessed accounts).',
        }),
        orderBy: t.arg(accountOrder.arg),
        asOf: t.arg({
          type: 'Quarter',
          description:
            'The quarter `pyramidLevel` and `quadrant` are computed for, from the current data; default: the last quarter that has ended.',
        }),
        segmentId: t.arg.globalID({ description: 'Only accounts in this segment.' }),
        businessUnitId: t.arg.globalID({
          description:
            'Only accounts doing business with this unit: a financial line or an opportunity booked to it.',
        }),
      },
      complexity: connectionComplexity,
      resolve: async (_, args, ctx, info) => {
        // Refused whenever given, not only with the filters it is for: a quarter that has not
        // started, sent alone, used to answer every account as if it were valid.
        if (args.asOf) assertQuarterStarted(args.asOf, 'asOf');
        const where = searchFilter(ctx, ['name', 'externalRef'], args.search);
        if (args.parentId) where.parent = decodeId(args.parentId, 'Account', 'parentId');
        if (args.keyAccountsOnly && args.keyAccount === false) {
          throw ValidationError.at(
            ['keyAccountsOnly'],
            'keyAccountsOnly: true and keyAccount: false ask for opposite accounts; give keyAccount alone.',
            'contradicts keyAccount: false',
          );
        }
        const keyAccount = args.keyAccount ?? (args.keyAccountsOnly ? true : null);
        // Every filter is a condition the database answers (a subquery, or one parameter for a
        // set computed here): a list of matching ids grows with the portfolio, not the page.
        const only: Record<string, unknown>[] = [];
        if (keyAccount != null) only.push(keyAccountFilter(keyAccount));
        if (args.segmentId) only.push({ segment: decodeId(args.segmentId, 'Segment', 'segmentId') });
        if (args.tier) only.push(latestTierFilter(args.tier));
        if (args.pyramidLevel || args.quadrant) {
          const standings = await standingsIn(ctx, args.asOf, 'asOf');
          const ids: number[] = [];
          for (const [id, standing] of standings) {
            if (args.pyramidLevel && standing.pyramidLevel !== args.pyramidLevel) continue;
            if (args.quadrant && standing.quadrant !== args.quadrant) continue;
            ids.push(id);
          }
          only.push(idInSet(ctx.em, ids));
        }
        if (args.businessUnitId) {
          only.push(doingBusinessWithFilter(decodeId(args.businessUnitId, 'BusinessUnit', 'businessUnitId')));
        }
        if (only.length) where.$and = only;
        const page = await pageOf(ctx.em, Account, where, accountOrder.orderOf(args.orderBy), args, {
          readRows: true,
        });
        // The batched fields the query asks for, one statement each, before the nodes resolve.
        await prefetchNodeFields(
          ctx,
          info,
          ACCOUNT_FIELD_LOADERS,
          page.edges.map(edge => edge.node.id),
        );
        return page;
      },
    },
    ...connectionTypes('accounts'),
  ),
}));

const CreateAccountInput = builder.inputType('CreateAccountInput', {
  description: 'A new account.',
  fields: t => ({
    externalRef: t.string({ required: true, description: 'The CRM/ERP id, unique.' }),
    name: t.string({ required: true, description: 'Account name.' }),
    parentId: t.globalID({ description: 'The group account it belongs to.' }),
    segmentId: t.globalID({ description: 'Its segment.' }),
    industry: t.string({ description: 'Industry.' }),
    country: t.string({ description: 'ISO 3166 alpha-2 country code.' }),
    customerSince: t.field({ type: 'Date', description: 'First sale.' }),
  }),
});

const UpdateAccountInput = builder.inputType('UpdateAccountInput', {
  description:
    'Changes to an account; omitted fields keep their value, null clears an optional one (a blank industry too); externalRef and name cannot be cleared.',
  fields: t => ({
    id: t.globalID({ required: true, description: 'The account.' }),
    expectedVersion: t.int({ required: true, description: 'The version you last read.' }),
    externalRef: t.string({ description: 'A new external ref (unique).' }),
    name: t.string({ description: 'Account name.' }),
    parentId: t.globalID({
      description: 'New parent (null to make it a top-level account). Never one of its own descendants.',
    }),
    segmentId: t.globalID({ description: 'Its segment.' }),
    industry: t.string({ description: 'Industry.' }),
    country: t.string({ description: 'ISO 3166 alpha-2 country code.' }),
    customerSince: t.field({ type: 'Date', description: 'First sale.' }),
  }),
});

builder.mutationFields(t => ({
  createAccount: t.field({
    type: AccountRef,
    description: 'Creates an account (ADMIN; scripts use upsertAccounts).',
    authScopes: { admin: true },
    errors: {},
    args: { input: t.arg({ type: CreateAccountInput, required: true }) },
    resolve: (_, { input }, ctx) =>
      createAccount(
        ctx.em,
        {
          ...input,
          parentId: optionalId(input.parentId, 'Account', 'parentId'),
          segmentId: optionalId(input.segmentId, 'Segment', 'segmentId'),
        },
        ctx.actor,
      ),
  }),
  updateAccount: t.field({
    type: AccountRef,
    description:
      'Changes an account or moves it in the hierarchy (ADMIN, or its account manager, who moves it into or out of a group only when on that group’s team too).',
    authScopes: { write: true },
    errors: {},
    args: { input: t.arg({ type: UpdateAccountInput, required: true }) },
    resolve: async (_, { input }, ctx) => {
      const id = decodeId(input.id, 'Account');
      await assertCanWriteAccount(ctx, id);
      const parentId = optionalId(input.parentId, 'Account', 'parentId');
      if (parentId !== undefined) await assertCanMoveAccount(ctx, id, parentId);
      return updateAccount(
        ctx.em,
        {
          id,
          expectedVersion: input.expectedVersion,
          externalRef: notCleared(input.externalRef, 'externalRef', 'account'),
          name: notCleared(input.name, 'name', 'account'),
          parentId,
          segmentId: optionalId(input.segmentId, 'Segment', 'segmentId'),
          industry: input.industry,
          country: input.country,
          customerSince: input.customerSince,
        },
        ctx.actor,
      );
    },
  }),
}));
