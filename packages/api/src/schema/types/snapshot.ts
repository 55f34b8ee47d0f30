/**
 * Closed quarters (domain §12): the snapshots the report build pulls. A snapshot's figures
 * are the documents stored at close (their shape is the snapshot contract,
 * `PortfolioSnapshot` and `AccountSnapshotPayload` in @kam/domain), so a report built from
 * the API shows exactly what was closed: whole, as JSON (`portfolio`, `payload`, which the
 * report build validates), and the portfolio's parts typed, as the live analytics are.
 */
import {
  type AccountSnapshotPayload,
  type AccountSnapshotRow,
  closeQuarter,
  findSnapshot,
  listSnapshots,
  type PortfolioSnapshot,
  pageAccountSnapshots,
  readPortfolioPayload,
  type SnapshotInfo,
} from '@kam/domain';
import { builder } from '../../builder.ts';
import { pricedBy } from '../../complexity.ts';
import type { KamContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { pageSize } from '../connection.ts';
import { requestLoader } from '../loaders.ts';
import {
  AccountSnapshotDesignationRef,
  AccountSnapshotInitiativeRef,
  AccountSnapshotPlanRef,
  AccountSnapshotQuarterRef,
  AccountSnapshotSelectionRef,
  AccountSnapshotSignalsRef,
  AccountSnapshotStakeholdersRef,
  AccountSnapshotTeamMemberRef,
  AccountSnapshotTierRef,
  AccountSnapshotTtmRef,
  IN_DOCUMENT,
} from './account-document.ts';
import { HealthRef, KpiRef, WhitespaceCellRef } from './analytics.ts';
import {
  BusinessUnitFiguresRef,
  FlagRef,
  FlagSummaryRef,
  flagsOfQuarter,
  GroupRollupRef,
  GrowthComparisonRef,
  JourneySummaryRef,
  ParetoSummaryRef,
  PortfolioTotalsRef,
  ProfitabilitySummaryRef,
  PyramidSummaryRef,
  SelectionSummaryRef,
  ValueSummaryRef,
  WinRateSummaryRef,
} from './summaries.ts';
import { PyramidLevelEnum } from './vocabulary.ts';

const CURSOR_PREFIX = 'snapshot-account:';

function encodeCursor(position: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${position}`).toString('base64url');
}

/**
 * The position in a cursor written by encodeCursor, and only in that form: `Number` would also
 * read "" as 0, "1e3" as 1000 and " 5" as 5, and base64url decoding skips characters it does not
 * know, so the cursor must be exactly what encodeCursor writes for the position.
 */
function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const digits = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : '';
  const position = /^\d+$/.test(digits) ? Number(digits) : Number.NaN;
  if (!Number.isSafeInteger(position) || encodeCursor(position) !== cursor) {
    throw ValidationError.at(
      ['after'],
      'The cursor is not valid; use an endCursor returned by this connection.',
      'unknown cursor',
      'INVALID_CURSOR',
    );
  }
  return position;
}

/** A page row with the quarter it belongs to (its health and flags carry it). */
type AccountDocumentRow = AccountSnapshotRow & { quarter: string };

const parsed = new WeakMap<AccountDocumentRow, AccountSnapshotPayload>();
/** The row's document, parsed once however many of its parts are asked for. */
function documentOf(row: AccountDocumentRow): AccountSnapshotPayload {
  let document = parsed.get(row);
  if (!document) {
    document = JSON.parse(row.payload) as AccountSnapshotPayload;
    parsed.set(row, document);
  }
  return document;
}

/** A typed part of the stored account document. */
function field<K extends keyof AccountSnapshotPayload>(key: K) {
  return (row: AccountDocumentRow) => documentOf(row)[key];
}

export const AccountSnapshotRef = builder.objectRef<AccountDocumentRow>('AccountSnapshot').implement({
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
      resolve: row => documentOf(row),
    }),
    name: t.string({ description: 'Its name.', resolve: field('name') }),
    parentExternalRef: t.string({
      nullable: true,
      description: 'The external ref of its group account.',
      resolve: field('parentExternalRef'),
    }),
    parentName: t.string({
      nullable: true,
      description:
        'The name of its group account (null in documents closed before names were kept: use parentExternalRef).',
      resolve: row => documentOf(row).parentName ?? null,
    }),
    segmentCode: t.string({
      nullable: true,
      description: 'Its segment’s code.',
      resolve: field('segmentCode'),
    }),
    segmentName: t.string({
      nullable: true,
      description: 'Its segment’s name (null in documents closed before it was recorded).',
      resolve: row => documentOf(row).segmentName ?? null,
    }),
    industry: t.string({ nullable: true, description: 'Its industry.', resolve: field('industry') }),
    country: t.string({ nullable: true, description: 'Its country.', resolve: field('country') }),
    designation: t.field({
      type: AccountSnapshotDesignationRef,
      nullable: true,
      description: 'Its key-account designation; null when it was not a key account.',
      resolve: field('designation'),
    }),
    pyramidLevel: t.field({
      type: PyramidLevelEnum,
      description: 'Its pyramid level.',
      resolve: field('pyramidLevel'),
    }),
    previousPyramidLevel: t.field({
      type: PyramidLevelEnum,
      nullable: true,
      description: 'Its level the quarter before; null in the first quarter with financial data.',
      resolve: field('previousPyramidLevel'),
    }),
    ttm: t.field({ type: AccountSnapshotTtmRef, description: 'Its TTM figures.', resolve: field('ttm') }),
    financials: t.field({
      type: [AccountSnapshotQuarterRef],
      complexity: IN_DOCUMENT,
      description: 'Its figures per trend quarter, oldest first.',
      resolve: field('financials'),
    }),
    groupRollup: t.field({
      type: GroupRollupRef,
      nullable: true,
      description: 'For a group account: its figures with all descendants; null for a leaf.',
      resolve: field('groupRollup'),
    }),
    selection: t.field({
      type: AccountSnapshotSelectionRef,
      description: 'Its selection scores and quadrant.',
      resolve: field('selection'),
    }),
    tier: t.field({
      type: AccountSnapshotTierRef,
      nullable: true,
      description: 'Its place on the value journey (key accounts).',
      resolve: field('tier'),
    }),
    plan: t.field({
      type: AccountSnapshotPlanRef,
      nullable: true,
      description: 'Its plan in force in the quarter, whatever its year (key accounts).',
      resolve: field('plan'),
    }),
    initiatives: t.field({
      type: [AccountSnapshotInitiativeRef],
      complexity: IN_DOCUMENT,
      description: 'Its value initiatives.',
      resolve: field('initiatives'),
    }),
    team: t.field({
      type: [AccountSnapshotTeamMemberRef],
      description: 'Our account team.',
      resolve: field('team'),
    }),
    stakeholders: t.field({
      type: AccountSnapshotStakeholdersRef,
      nullable: true,
      description: 'Its stakeholder coverage (key accounts).',
      resolve: field('stakeholders'),
    }),
    health: t.field({
      type: HealthRef,
      nullable: true,
      description: 'Its health with every component (key accounts).',
      resolve: row => {
        const health = documentOf(row).health;
        return health ? { ...health, quarter: row.quarter } : null;
      },
    }),
    whitespace: t.field({
      type: [WhitespaceCellRef],
      complexity: IN_DOCUMENT,
      description: 'Its business units’ revenue, potential and pipeline.',
      resolve: field('whitespace'),
    }),
    flags: t.field({
      type: [FlagRef],
      complexity: IN_DOCUMENT,
      description: 'Why it needed attention (key accounts).',
      resolve: row => flagsOfQuarter(documentOf(row).flags, row.quarter),
    }),
    signals: t.field({
      type: AccountSnapshotSignalsRef,
      description: 'Its signals in the quarter.',
      resolve: field('signals'),
    }),
  }),
});

const AccountSnapshotEdgeRef = builder
  .objectRef<{ cursor: string; node: AccountDocumentRow }>('AccountSnapshotEdge')
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
  .objectRef<{ edges: { cursor: string; node: AccountDocumentRow }[]; pageInfo: SnapshotPageInfo }>(
    'AccountSnapshotConnection',
  )
  .implement({
    description: 'A page of a snapshot’s account documents, in external-ref order.',
    fields: t => ({
      edges: t.field({
        type: [AccountSnapshotEdgeRef],
        // The page size already multiplies the connection's price (`first`): not again here.
        complexity: IN_DOCUMENT,
        description: 'The documents of this page.',
        resolve: c => c.edges,
      }),
      pageInfo: t.field({ type: SnapshotPageInfoRef, description: 'Paging.', resolve: c => c.pageInfo }),
    }),
  });

/** A snapshot's portfolio document, read and parsed once per request whichever parts are asked for. */
const portfolioOf = requestLoader(async (ids: number[], ctx) =>
  Promise.all(ids.map(async id => JSON.parse(await readPortfolioPayload(ctx.em, id)) as PortfolioSnapshot)),
);

/** A typed part of the stored portfolio document. */
function part<K extends keyof PortfolioSnapshot>(key: K) {
  return async (s: SnapshotInfo, _: unknown, ctx: KamContext) => (await portfolioOf.resolve(ctx, s.id))[key];
}

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
      description:
        'The portfolio document as stored at close, whole (the PortfolioSnapshot contract, schemaVersion 1); its parts are also typed fields of this type.',
      complexity: 10,
      resolve: (s, _, ctx) => portfolioOf.resolve(ctx, s.id),
    }),
    currency: t.string({ description: 'The reporting currency of every amount.', resolve: part('currency') }),
    trendQuarters: t.field({
      type: ['Quarter'],
      description: 'The quarters of the trends, oldest first (up to eight, ending with this one).',
      resolve: part('trendQuarters'),
    }),
    totals: t.field({
      type: PortfolioTotalsRef,
      description: 'The portfolio’s size and TTM figures.',
      resolve: part('totals'),
    }),
    kpis: t.field({
      type: [KpiRef],
      description: 'All thirteen KPIs as closed: baseline, today, target, direction, delta and trend.',
      complexity: 5,
      resolve: part('kpis'),
    }),
    pyramid: t.field({
      type: PyramidSummaryRef,
      description: 'The customer pyramid.',
      resolve: part('pyramid'),
    }),
    pareto: t.field({
      type: ParetoSummaryRef,
      description: 'The Pareto view (by revenue).',
      resolve: part('pareto'),
    }),
    selection: t.field({
      type: SelectionSummaryRef,
      description: 'Key-account selection: the matrix, quadrants, candidates and reviews due.',
      complexity: 5,
      resolve: part('selection'),
    }),
    journey: t.field({
      type: JourneySummaryRef,
      description: 'The value journey.',
      resolve: part('journey'),
    }),
    value: t.field({ type: ValueSummaryRef, description: 'The value initiatives.', resolve: part('value') }),
    profitability: t.field({
      type: ProfitabilitySummaryRef,
      description: 'Margin against size, and the key accounts’ margins.',
      complexity: 5,
      resolve: part('profitability'),
    }),
    growth: t.field({
      type: GrowthComparisonRef,
      description: 'Key accounts against the control group.',
      resolve: part('growth'),
    }),
    winRate: t.field({
      type: WinRateSummaryRef,
      description: 'The win rate against its target.',
      resolve: part('winRate'),
    }),
    flags: t.field({
      type: FlagSummaryRef,
      description: 'The key accounts needing attention.',
      complexity: 5,
      resolve: async (s, _, ctx) => ({ ...(await portfolioOf.resolve(ctx, s.id)).flags, quarter: s.quarter }),
    }),
    businessUnits: t.field({
      type: [BusinessUnitFiguresRef],
      description: 'Each business unit’s figures.',
      resolve: part('businessUnits'),
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
          after: args.after == null ? null : decodeCursor(args.after),
          keyAccountsOnly: args.keyAccountsOnly ?? false,
        });
        const edges = page.rows.map(row => ({
          cursor: encodeCursor(row.position),
          node: { ...row, quarter: s.quarter },
        }));
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
