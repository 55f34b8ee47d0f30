/**
 * Pulling one closed quarter through the API with a few paged bulk queries: the list of
 * snapshots, then the portfolio document and the key accounts' documents 100 at a time.
 * Everything is validated against the snapshot contract before a page sees it.
 */
import type { ReportApi } from './api-client.ts';
import {
  type AccountData,
  accountSnapshotPayloadSchema,
  type PortfolioData,
  portfolioSnapshotSchema,
  type SnapshotInfo,
  snapshotInfoSchema,
} from './schemas.ts';

const PAGE_SIZE = 100;

const SNAPSHOTS = `query ReportSnapshots {
  snapshots { quarter revision closedAt checksum accountCount }
}`;

const SNAPSHOT = `query ReportSnapshot($quarter: Quarter!, $revision: Int, $first: Int, $after: String) {
  snapshot(quarter: $quarter, revision: $revision) {
    quarter revision closedAt checksum accountCount
    portfolio
    accounts(first: $first, after: $after, keyAccountsOnly: true) {
      edges { cursor node { accountId externalRef isKeyAccount payload } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** The portfolio alone (the KPI site). */
const PORTFOLIO = `query ReportPortfolio($quarter: Quarter!, $revision: Int) {
  snapshot(quarter: $quarter, revision: $revision) {
    quarter revision closedAt checksum accountCount
    portfolio
  }
}`;

/** The same document without the portfolio, for the account pages after the first. */
const ACCOUNT_PAGE = `query ReportSnapshotAccounts($quarter: Quarter!, $revision: Int, $first: Int, $after: String) {
  snapshot(quarter: $quarter, revision: $revision) {
    quarter revision closedAt checksum accountCount
    accounts(first: $first, after: $after, keyAccountsOnly: true) {
      edges { cursor node { accountId externalRef isKeyAccount payload } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

interface AccountPage {
  edges: {
    cursor: string;
    node: { accountId: number; externalRef: string; isKeyAccount: boolean; payload: unknown };
  }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface SnapshotAnswer {
  snapshot: (SnapshotInfo & { portfolio?: unknown; accounts?: AccountPage }) | null;
}

function describeIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map(issue => `  ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('\n');
}

/** Every closed revision, newest quarter first, newest revision first. */
export async function listSnapshots(api: ReportApi): Promise<SnapshotInfo[]> {
  const data = await api.query<{ snapshots: unknown[] }>(SNAPSHOTS);
  const list = data.snapshots.map((entry, index) => {
    const parsed = snapshotInfoSchema.safeParse(entry);
    if (!parsed.success) {
      throw new Error(
        `Snapshot ${index} of the list does not match the contract:\n${describeIssues(parsed.error)}`,
      );
    }
    return parsed.data;
  });
  // The API documents this order; "newest" decides what gets published, so do not rely on it.
  // Quarters written YYYY-Qn sort as strings.
  return list.sort((a, b) =>
    a.quarter === b.quarter ? b.revision - a.revision : a.quarter < b.quarter ? 1 : -1,
  );
}

/**
 * The snapshot to publish: the given quarter at the given revision, its latest revision
 * when none is given, or the newest closed quarter when no quarter is given.
 */
export async function resolveSnapshot(
  api: ReportApi,
  wanted: { quarter?: string | undefined; revision?: number | undefined },
): Promise<SnapshotInfo> {
  const all = await listSnapshots(api);
  if (!wanted.quarter) {
    const newest = all[0];
    if (!newest)
      throw new Error(`No quarter has been closed at ${api.where}: run \`kam close-quarter YYYY-Qn\` first.`);
    return newest;
  }
  const ofQuarter = all.filter(info => info.quarter === wanted.quarter);
  if (!ofQuarter.length) {
    throw new Error(
      `No snapshot of ${wanted.quarter} at ${api.where}: close the quarter first, once it has ended (\`kam close-quarter ${wanted.quarter}\`).` +
        (all.length ? ` Closed quarters: ${[...new Set(all.map(info => info.quarter))].join(', ')}.` : ''),
    );
  }
  if (wanted.revision == null) return ofQuarter[0] as SnapshotInfo;
  const exact = ofQuarter.find(info => info.revision === wanted.revision);
  if (!exact) {
    throw new Error(
      `${wanted.quarter} has no revision ${wanted.revision} at ${api.where}; it has ${ofQuarter.map(info => info.revision).join(', ')}.`,
    );
  }
  return exact;
}

export interface PulledSnapshot {
  info: SnapshotInfo;
  portfolio: PortfolioData;
  /** The key accounts' documents, in external-ref order (empty when not asked for). */
  accounts: AccountData[];
  /** GraphQL requests made. */
  requests: number;
}

/** Pulls a snapshot: the portfolio, and the key accounts in pages of 100 when `accounts` is set. */
export async function pullSnapshot(
  api: ReportApi,
  wanted: { quarter: string; revision: number },
  options: { accounts: boolean; onPage?: (loaded: number, total: number) => void },
): Promise<PulledSnapshot> {
  let requests = 0;
  const ask = async (document: string, after: string | null) => {
    requests += 1;
    const data = await api.query<SnapshotAnswer>(document, {
      quarter: wanted.quarter,
      revision: wanted.revision,
      ...(document === PORTFOLIO ? {} : { first: PAGE_SIZE, after }),
    });
    if (!data.snapshot) {
      throw new Error(
        `No snapshot of ${wanted.quarter} revision ${wanted.revision} at ${api.where}: close the quarter first.`,
      );
    }
    return data.snapshot;
  };

  const first = await ask(options.accounts ? SNAPSHOT : PORTFOLIO, null);
  const parsedInfo = snapshotInfoSchema.safeParse(first);
  if (!parsedInfo.success) {
    throw new Error(
      `The snapshot ${wanted.quarter} revision ${wanted.revision} at ${api.where} does not match the contract:\n${describeIssues(parsedInfo.error)}`,
    );
  }
  const info = parsedInfo.data;
  if (info.quarter !== wanted.quarter || info.revision !== wanted.revision) {
    throw new Error(
      `Asked ${api.where} for ${wanted.quarter} revision ${wanted.revision} and got ${info.quarter} revision ${info.revision}.`,
    );
  }
  const portfolio = portfolioSnapshotSchema.safeParse(first.portfolio);
  if (!portfolio.success) {
    throw new Error(
      `The portfolio of ${wanted.quarter} revision ${wanted.revision} does not match the snapshot contract:\n${describeIssues(portfolio.error)}`,
    );
  }
  const accounts: AccountData[] = [];
  let page = first.accounts;
  while (options.accounts && page) {
    for (const edge of page.edges) {
      const parsed = accountSnapshotPayloadSchema.safeParse(edge.node.payload);
      if (!parsed.success) {
        throw new Error(
          `The account ${edge.node.externalRef} does not match the snapshot contract:\n${describeIssues(parsed.error)}`,
        );
      }
      accounts.push(parsed.data);
    }
    options.onPage?.(accounts.length, portfolio.data.totals.keyAccounts);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    page = (await ask(ACCOUNT_PAGE, page.pageInfo.endCursor)).accounts;
  }
  return { info, portfolio: portfolio.data, accounts, requests };
}
