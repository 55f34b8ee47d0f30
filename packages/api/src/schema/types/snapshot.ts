/**
 * Closed quarters (domain §12): the snapshots the report build pulls. A snapshot's figures
 * are served as the JSON documents stored at close (their shape is the snapshot contract,
 * `PortfolioSnapshot` and `AccountSnapshotPayload` in @kam/domain), so a report built from
 * the API shows exactly what was closed.
 */
import {
  type AccountSnapshotRow,
  closeQuarter,
  findSnapshot,
  listSnapshots,
  pageAccountSnapshots,
  readPortfolioPayload,
  type SnapshotInfo,
} from '@kam/domain';
import { builder } from '../../builder.ts';
import { pricedBy } from '../../complexity.ts';
import { ValidationError } from '../../errors.ts';
import { pageSize } from '../connection.ts';

const CURSOR_PREFIX = 'snapshot-account:';

function encodeCursor(position: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${position}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const position = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : Number.NaN;
  if (!Number.isInteger(position) || position < 0) {
    throw new ValidationError(
      'The cursor is not valid; use an endCursor returned by this connection.',
      'INVALID_CURSOR',
      [{ path: ['after'], message: 'unknown cursor', code: 'INVALID_CURSOR' }],
    );
  }
  return position;
}

export const AccountSnapshotRef = builder.objectRef<AccountSnapshotRow>('AccountSnapshot').implement({
  description: 'One account’s frozen figures in a closed quarter.',
  fields: t => ({
    accountId: t.exposeInt('accountId', {
      description: 'The account’s database id when the quarter was closed.',
    }),
    externalRef: t.exposeString('externalRef', { description: 'The account’s external ref (CRM/ERP id).' }),
    isKeyAccount: t.exposeBoolean('isKeyAccount', {
      description: 'Whether the account was a key account in the quarter.',
    }),
    payload: t.field({
      type: 'JSON',
      description:
        'The account’s figures as stored at close (the AccountSnapshotPayload contract: money as decimal strings, shares 0–1).',
      resolve: row => JSON.parse(row.payload) as unknown,
    }),
  }),
});

const AccountSnapshotEdgeRef = builder
  .objectRef<{ cursor: string; node: AccountSnapshotRow }>('AccountSnapshotEdge')
  .implement({
    description: 'An account document and its cursor.',
    fields: t => ({
      cursor: t.exposeString('cursor', { description: 'Pass as `after` to read on from here.' }),
      node: t.field({ type: AccountSnapshotRef, description: 'The account document.', resolve: e => e.node }),
    }),
  });

interface SnapshotPageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

const SnapshotPageInfoRef = builder.objectRef<SnapshotPageInfo>('SnapshotPageInfo').implement({
  description: 'Where a page of account documents ends.',
  fields: t => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'Whether more documents follow.' }),
    endCursor: t.string({
      nullable: true,
      description: 'The cursor of the last document of the page; null for an empty page.',
      resolve: p => p.endCursor,
    }),
  }),
});

const AccountSnapshotConnectionRef = builder
  .objectRef<{ edges: { cursor: string; node: AccountSnapshotRow }[]; pageInfo: SnapshotPageInfo }>(
    'AccountSnapshotConnection',
  )
  .implement({
    description: 'A page of a snapshot’s account documents, in external-ref order.',
    fields: t => ({
      edges: t.field({
        type: [AccountSnapshotEdgeRef],
        description: 'The documents of this page.',
        resolve: c => c.edges,
      }),
      pageInfo: t.field({ type: SnapshotPageInfoRef, description: 'Paging.', resolve: c => c.pageInfo }),
    }),
  });

export const QuarterSnapshotRef = builder.objectRef<SnapshotInfo>('QuarterSnapshot').implement({
  description:
    'A closed quarter: an immutable, self-contained record of every figure the reports show. Closing the quarter again writes a new revision; earlier revisions stay readable.',
  fields: t => ({
    quarter: t.field({ type: 'Quarter', description: 'The quarter, YYYY-Qn.', resolve: s => s.quarter }),
    revision: t.exposeInt('revision', { description: '1 for the first close, n+1 for each close after it.' }),
    closedAt: t.field({
      type: 'DateTime',
      description: 'When the quarter was closed.',
      resolve: s => new Date(s.closedAt),
    }),
    closedBy: t.exposeString('closedBy', { description: 'Who closed it.' }),
    checksum: t.exposeString('checksum', {
      description: 'sha256 over the portfolio and account documents: equal data, equal checksum.',
    }),
    accountCount: t.exposeInt('accountCount', { description: 'Account documents in the snapshot.' }),
    portfolio: t.field({
      type: 'JSON',
      description: 'The portfolio figures as stored at close (the PortfolioSnapshot contract).',
      complexity: 10,
      resolve: async (s, _, ctx) => JSON.parse(await readPortfolioPayload(ctx.em, s.id)) as unknown,
    }),
    accounts: t.field({
      type: AccountSnapshotConnectionRef,
      description: 'The account documents, in external-ref order, at most 100 a page.',
      args: {
        first: t.arg.int({ description: 'Page size, 1–100 (default 100).' }),
        after: t.arg.string({ description: 'The endCursor of the previous page.' }),
        keyAccountsOnly: t.arg.boolean({
          description: 'Only the accounts that were key accounts in the quarter.',
          defaultValue: false,
        }),
      },
      complexity: pricedBy(['first'], (args: { first?: number | null }) => ({
        field: 2,
        multiplier: args.first ?? 100,
      })),
      resolve: async (s, args, ctx) => {
        const first = pageSize({ first: args.first ?? 100 }).first ?? 100;
        const page = await pageAccountSnapshots(ctx.em, s.id, {
          first,
          after: args.after ? decodeCursor(args.after) : null,
          keyAccountsOnly: args.keyAccountsOnly ?? false,
        });
        const edges = page.rows.map(row => ({ cursor: encodeCursor(row.position), node: row }));
        return {
          edges,
          pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
        };
      },
    }),
  }),
});

builder.queryFields(t => ({
  snapshots: t.field({
    type: [QuarterSnapshotRef],
    description: 'Every closed quarter and revision, newest quarter first, newest revision first.',
    resolve: (_, __, ctx) => listSnapshots(ctx.em),
  }),
  snapshot: t.field({
    type: QuarterSnapshotRef,
    nullable: true,
    description: 'A closed quarter at a revision (the latest when omitted); null when it was not closed.',
    args: {
      quarter: t.arg({ type: 'Quarter', required: true, description: 'The quarter, YYYY-Qn.' }),
      revision: t.arg.int({ description: 'The revision; the latest when omitted.' }),
    },
    resolve: (_, args, ctx) => findSnapshot(ctx.em, args.quarter, args.revision),
  }),
}));

const CloseQuarterResultRef = builder
  .objectRef<{ snapshot: SnapshotInfo; ms: number }>('QuarterClose')
  .implement({
    description: 'The snapshot a close wrote.',
    fields: t => ({
      snapshot: t.field({
        type: QuarterSnapshotRef,
        description: 'The new revision.',
        resolve: r => r.snapshot,
      }),
      ms: t.exposeInt('ms', { description: 'How long the close took, in milliseconds.' }),
    }),
  });

builder.mutationFields(t => ({
  closeQuarter: t.field({
    type: CloseQuarterResultRef,
    description:
      'Closes a quarter (ADMIN): writes an immutable snapshot of every figure the reports show. Closing it again writes revision n+1; earlier revisions never change.',
    authScopes: { admin: true },
    errors: {},
    args: { quarter: t.arg({ type: 'Quarter', required: true, description: 'The quarter, YYYY-Qn.' }) },
    resolve: async (_, args, ctx) => {
      const result = await closeQuarter(ctx.em, args.quarter, ctx.actor);
      const snapshot = await findSnapshot(ctx.em, result.quarter, result.revision);
      if (!snapshot)
        throw new Error(
          `The snapshot of ${result.quarter} revision ${result.revision} was not found after the close.`,
        );
      return { snapshot, ms: Math.round(result.ms) };
    },
  }),
}));
