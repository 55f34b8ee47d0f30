/**
 * A tiny GraphQL stand-in for the report build's two queries (`snapshots` and `snapshot` with
 * its paged `accounts`), answering from fixture documents on 127.0.0.1. It checks the bearer
 * token and the page size limit like the real API; it is not a GraphQL server.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SnapshotFixture } from '../fixtures/make-fixture.ts';

export interface GraphQLStub {
  url: string;
  token: string;
  /** Requests answered so far, by kind. */
  requests: { snapshots: number; snapshot: number; accountPages: number };
  close(): Promise<void>;
}

const MAX_PAGE = 100;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function encodeCursor(index: number): string {
  return Buffer.from(`account:${index}`).toString('base64url');
}
function decodeCursor(cursor: string | null | undefined): number {
  if (!cursor) return -1;
  const match = /^account:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new Error('invalid cursor');
  return Number(match[1]);
}

export async function startGraphQLStub(options: {
  snapshots: SnapshotFixture[];
  token?: string;
  /** Serialise each account payload once up front (large synthetic snapshots). */
}): Promise<GraphQLStub> {
  const token = options.token ?? 'stub-token';
  const requests = { snapshots: 0, snapshot: 0, accountPages: 0 };
  const sorted = [...options.snapshots].sort((a, b) =>
    a.info.quarter === b.info.quarter
      ? b.info.revision - a.info.revision
      : a.info.quarter < b.info.quarter
        ? 1
        : -1,
  );
  const keyAccounts = new Map(
    sorted.map(snapshot => [snapshot, snapshot.accounts.filter(account => account.isKeyAccount)] as const),
  );

  const answer = (query: string, variables: Record<string, unknown>) => {
    if (/\bsnapshots\s*\{/.test(query)) {
      requests.snapshots++;
      return { data: { snapshots: sorted.map(snapshot => snapshot.info) } };
    }
    if (!/\bsnapshot\s*\(/.test(query))
      return { errors: [{ message: 'The stub answers only the report queries.' }] };
    requests.snapshot++;
    const quarter = variables.quarter;
    const revision = variables.revision ?? null;
    if (typeof quarter !== 'string' || !/^\d{4}-Q[1-4]$/.test(quarter)) {
      return { errors: [{ message: `Quarter must be written YYYY-Qn; got ${JSON.stringify(quarter)}.` }] };
    }
    const snapshot = sorted.find(
      candidate =>
        candidate.info.quarter === quarter && (revision == null || candidate.info.revision === revision),
    );
    if (!snapshot) return { data: { snapshot: null } };
    const result: Record<string, unknown> = { ...snapshot.info };
    if (/^\s*portfolio\s*$/m.test(query)) result.portfolio = snapshot.portfolio;
    if (/\baccounts\s*\(/.test(query)) {
      requests.accountPages++;
      const first = Number(variables.first ?? MAX_PAGE);
      if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
        return { errors: [{ message: `first must be between 1 and ${MAX_PAGE}.` }] };
      }
      const list = keyAccounts.get(snapshot)!;
      const start = decodeCursor(variables.after as string | null) + 1;
      const page = list.slice(start, start + first);
      result.accounts = {
        edges: page.map((account, offset) => ({
          cursor: encodeCursor(start + offset),
          node: {
            accountId: account.accountId,
            externalRef: account.externalRef,
            isKeyAccount: account.isKeyAccount,
            payload: account,
          },
        })),
        pageInfo: {
          hasNextPage: start + first < list.length,
          endCursor: page.length ? encodeCursor(start + page.length - 1) : null,
        },
      };
    }
    return { data: { snapshot: result } };
  };

  const server = createServer(async (request, response) => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/graphql-response+json; charset=utf-8' });
      response.end(text);
    };
    if (request.method !== 'POST' || request.url !== '/graphql')
      return send(404, { errors: [{ message: 'Not found' }] });
    if (request.headers.authorization !== `Bearer ${token}`) {
      return send(401, { errors: [{ message: 'A valid API token is required.' }] });
    }
    try {
      const body = JSON.parse(await readBody(request)) as {
        query: string;
        variables?: Record<string, unknown>;
      };
      send(200, answer(body.query, body.variables ?? {}));
    } catch (error) {
      send(400, { errors: [{ message: (error as Error).message }] });
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    token,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(error => (error ? reject(error) : resolve()));
      }),
  };
}
