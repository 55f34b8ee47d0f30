/**
 * An upsertAccounts call whose rejected row leaves a loop in the hierarchy (B1 keeps its stored
 * parent B0, and B0 under B2 closes B0 → B2 → B1 → B0) used to spin the server's event loop
 * forever: it answered no request again and ignored SIGTERM. The server runs as a child process
 * so that a regression fails on the request's timeout instead of hanging the test run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileDatabase, type FileDatabase } from './databases.ts';
import {
  bootstrapAdmin,
  gql,
  killAllChildren,
  runKam,
  type ServerProcess,
  startServerProcess,
} from './processes.ts';

const UPSERT_ACCOUNTS = `mutation($rows: [AccountRowInput!]!, $mode: BulkMode) {
  upsertAccounts(rows: $rows, mode: $mode) {
    __typename
    ... on UpsertAccountsSuccess { data { created updated rejected written rejections { index path code message } } }
    ... on Error { code message }
  }
}`;
const PARENT_OF = `query($ref: String!) { accountByRef(externalRef: $ref) { parent { externalRef } } }`;

interface Upserted {
  upsertAccounts: {
    __typename: string;
    data?: {
      created: number;
      updated: number;
      rejected: number;
      written: boolean;
      rejections: { index: number; path: string[]; code: string; message: string }[];
    };
  };
}

let db: FileDatabase;
let env: Record<string, string>;
let token: string;
let server: ServerProcess;
let dir: string;

beforeAll(async () => {
  db = await createFileDatabase('hierarchy');
  env = { DATABASE_URL: db.url };
  dir = mkdtempSync(path.join(tmpdir(), 'kam-hierarchy-'));
  await runKam(['migrate'], env);
  token = await bootstrapAdmin(env);
  // Generous bounds on starting: a loaded machine starts `kam serve` slowly.
  server = await startServerProcess(env, { startTimeoutMs: 120_000 });
  const chain = await gql<Upserted>(
    server.graphql,
    UPSERT_ACCOUNTS,
    {
      rows: [
        { externalRef: 'B1', name: 'b1', parentRef: 'B0' },
        { externalRef: 'B2', name: 'b2', parentRef: 'B1' },
        { externalRef: 'B0', name: 'b0' },
      ],
    },
    token,
  );
  expect(chain.body.data?.upsertAccounts.data).toMatchObject({ created: 3, written: true });
}, 300_000);

afterAll(async () => {
  await killAllChildren();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('upsertAccounts with a rejected row that leaves a loop in the hierarchy', () => {
  // First: a server stuck in the loop would hold the database, and kam import would wait for it.
  it('answers `kam import accounts` (ATOMIC) with both rows rejected', async () => {
    const csv = path.join(dir, 'loop.csv');
    writeFileSync(
      csv,
      'externalRef,name,parentRef,segmentCode,industry,country,customerSince\nB1,b1,NO-SUCH-PARENT,,,,\nB0,b0,B2,,,,\n',
    );
    // Rows rejected: exit code 2, which runKam reports as a failure carrying kam's output.
    const failed = await runKam(['import', 'accounts', csv], env, 60_000).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failed).toContain('line 2 parentRef: NOT_FOUND — No account has external ref NO-SUCH-PARENT');
    expect(failed).toContain(
      'line 3 parentRef: ACCOUNT_HIERARCHY_CYCLE — Putting B0 under B2 would make it its own ancestor',
    );
  }, 90_000);

  it('answers through HTTP with the row that closes the loop rejected, and keeps serving', async () => {
    const answer = await gql<Upserted>(
      server.graphql,
      UPSERT_ACCOUNTS,
      {
        mode: 'PARTIAL',
        rows: [
          { externalRef: 'B1', name: 'b1', parentRef: null, segmentCode: 'NO_SUCH_SEGMENT' },
          { externalRef: 'B0', name: 'b0', parentRef: 'B2' },
        ],
      },
      token,
      { timeoutMs: 30_000 },
    );
    expect(answer.status).toBe(200);
    const data = answer.body.data?.upsertAccounts.data;
    expect(data).toMatchObject({ created: 0, updated: 0, rejected: 2, written: false });
    expect(data?.rejections.map(r => [r.index, r.path.join('.'), r.code])).toEqual([
      [0, 'segmentCode', 'NOT_FOUND'],
      [1, 'parentRef', 'ACCOUNT_HIERARCHY_CYCLE'],
    ]);
    expect(data?.rejections[1]?.message).toBe(
      'Putting B0 under B2 would make it its own ancestor; choose a parent outside its own group.',
    );
    // The server still answers, and nothing moved.
    for (const [ref, parent] of [
      ['B0', null],
      ['B1', 'B0'],
    ] as const) {
      const read = await gql<{ accountByRef: { parent: { externalRef: string } | null } }>(
        server.graphql,
        PARENT_OF,
        { ref },
        token,
        { timeoutMs: 30_000 },
      );
      expect(read.body.data?.accountByRef.parent).toEqual(parent && { externalRef: parent });
    }
  }, 90_000);
});
