import { createScratchDatabase, dropScratchDatabase, testDialect } from '@kam/domain/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/database-unavailable.ts';
import { createPrivatePostgres, type PrivatePostgres, postgresBinDir } from './private-postgres.ts';
import {
  bootstrapAdmin,
  gql,
  killAllChildren,
  machine,
  runKam,
  sleep,
  startServerProcess,
} from './processes.ts';

// Bounds: probes while the database is down, time for one answer, time to recover.
const PROBES_WHILE_DOWN = 10;
const ANSWER_BOUND_MS = 15_000;
const RECOVERY_BOUND_MS = 30_000;

const bin = postgresBinDir();
const postgresProject = testDialect() === 'postgresql';
// On SQLite there is no database server to lose. On PostgreSQL the binaries must be there in
// CI; elsewhere their absence skips the test with a reason.
if (postgresProject && !bin && process.env.CI === 'true') {
  throw new Error('The database-loss test needs the PostgreSQL server binaries (initdb, pg_ctl) in CI.');
}
const skipReason = !postgresProject
  ? 'database loss is a PostgreSQL scenario (SQLite is a file in the process)'
  : !bin
    ? 'no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) on this machine'
    : undefined;

let cluster: PrivatePostgres | undefined;
let dropCluster: PrivatePostgres | undefined;
afterAll(async () => {
  await killAllChildren();
  await cluster?.destroy();
  await dropCluster?.destroy();
});

const ACCOUNT = 'query($r: String!) { accountByRef(externalRef: $r) { name version } }';
const UPSERT = `mutation($rows: [AccountRowInput!]!) {
  upsertAccounts(rows: $rows) { __typename ... on UpsertAccountsSuccess { data { created updated } } ... on Error { code message } }
}`;

async function timed<T>(work: () => Promise<T>): Promise<{ value?: T; error?: string; ms: number }> {
  const began = performance.now();
  try {
    const value = await work();
    return { value, ms: Math.round(performance.now() - began) };
  } catch (error) {
    return { error: (error as Error).message, ms: Math.round(performance.now() - began) };
  }
}

describe.skipIf(skipReason !== undefined)('database loss: PostgreSQL stops under a running server', () => {
  it(`answers not-ready and clean errors while the database is down, and recovers without a restart${skipReason ? ` (skipped: ${skipReason})` : ''}`, async () => {
    cluster = await createPrivatePostgres(bin as string);
    await cluster.start();
    const env = { DATABASE_URL: cluster.url, KAM_DB_POOL: '4' };
    await runKam(['migrate'], env);
    const token = await bootstrapAdmin(env);
    const server = await startServerProcess(env);
    const lines: string[] = [
      `reliability/database-loss (postgresql) ${new Date().toISOString()} — ${machine()}`,
    ];
    try {
      expect((await fetch(`${server.base}/ready`)).status).toBe(200);
      const seeded = await gql(
        server.graphql,
        UPSERT,
        { rows: [{ externalRef: 'LOSS-1', name: 'Before' }] },
        token,
      );
      expect(seeded.body.data).toMatchObject({ upsertAccounts: { data: { created: 1 } } });

      for (const mode of ['fast', 'immediate'] as const) {
        const down = await timed(() => cluster?.stop(mode) as Promise<void>);
        expect(down.error).toBeUndefined();
        const answers: { what: string; status?: number; ms: number; message?: string; error?: string }[] = [];
        for (let probe = 0; probe < PROBES_WHILE_DOWN; probe++) {
          const ready = await timed(async () => {
            const res = await fetch(`${server.base}/ready`, { signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
            return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
          });
          answers.push({
            what: 'ready',
            status: ready.value?.status,
            ms: ready.ms,
            message: ready.value?.body.status,
            error: ready.error,
          });
          const query = probe % 2 ? ACCOUNT : UPSERT;
          const variables =
            probe % 2 ? { r: 'LOSS-1' } : { rows: [{ externalRef: `DOWN-${mode}-${probe}`, name: 'x' }] };
          const res = await timed(() =>
            gql(server.graphql, query, variables, token, { timeoutMs: ANSWER_BOUND_MS }),
          );
          answers.push({
            what: probe % 2 ? 'query' : 'mutation',
            status: res.value?.status,
            ms: res.ms,
            message: res.value?.body.errors?.map(e => `${e.extensions?.code ?? ''} ${e.message}`).join(' | '),
            error: res.error,
          });
        }
        for (const a of answers) {
          expect(a.error, `${a.what} answered within ${ANSWER_BOUND_MS} ms`).toBeUndefined();
          if (a.what === 'ready') {
            expect(a.status).toBe(503);
            expect(a.message).toBe('not-ready');
          } else {
            expect(a.status, `${a.what} answered 503`).toBe(503);
            expect(a.message, `${a.what} got a clear error`).toMatch(
              /^DATABASE_UNAVAILABLE The database is not reachable/,
            );
          }
        }
        expect(server.alive()).toBe(true);

        const up = await timed(() => cluster?.start() as Promise<void>);
        expect(up.error).toBeUndefined();
        const began = performance.now();
        let ready = false;
        while (!ready && performance.now() - began < RECOVERY_BOUND_MS) {
          ready = (await fetch(`${server.base}/ready`).catch(() => undefined))?.status === 200;
          if (!ready) await sleep(100);
        }
        const recoveryMs = Math.round(performance.now() - began);
        expect(ready, `ready again within ${RECOVERY_BOUND_MS} ms`).toBe(true);
        const read = await gql<{ accountByRef: { name: string } }>(
          server.graphql,
          ACCOUNT,
          { r: 'LOSS-1' },
          token,
        );
        expect(read.body.data?.accountByRef.name).toBe('Before');
        const write = await gql(
          server.graphql,
          UPSERT,
          { rows: [{ externalRef: `AFTER-${mode}`, name: 'After' }] },
          token,
        );
        expect(write.body.data).toMatchObject({ upsertAccounts: { data: { created: 1 } } });
        expect(server.alive()).toBe(true);

        const statuses = (what: string) =>
          answers
            .filter(a => a.what === what)
            .map(a => a.status)
            .join(',');
        lines.push(
          `  stop -m ${mode} (${down.ms} ms): /ready ${statuses('ready')}; query ${statuses('query')}; mutation ${statuses('mutation')}; slowest answer ${Math.max(...answers.map(a => a.ms))} ms`,
          `    errors seen: ${[...new Set(answers.filter(a => a.what !== 'ready').map(a => a.message))].join(' / ')}`,
          `    restart (${up.ms} ms): ready again after ${recoveryMs} ms; read and write work; same server process ${server.pid}`,
        );
      }
    } finally {
      console.log(lines.join('\n'));
      await server.kill('SIGTERM');
    }
  }, 150_000);
});

describe.skipIf(skipReason !== undefined)(
  'database loss: the database is dropped under a running server',
  () => {
    it(`answers 503 DATABASE_UNAVAILABLE with Retry-After, not "Unexpected error."${skipReason ? ` (skipped: ${skipReason})` : ''}`, async () => {
      dropCluster = await createPrivatePostgres(bin as string);
      await dropCluster.start();
      // The server's database is not the cluster's `postgres`: that one is where it is dropped from.
      const database = await createScratchDatabase(dropCluster.url, 'kamops');
      const env = { DATABASE_URL: database.url, KAM_DB_POOL: '4' };
      await runKam(['migrate'], env);
      const token = await bootstrapAdmin(env);
      const server = await startServerProcess(env);
      try {
        const before = await gql(server.graphql, ACCOUNT, { r: 'NONE' }, token);
        expect(before.status).toBe(200);
        expect(before.body.errors).toBeUndefined();
        // `DROP DATABASE … WITH (FORCE)` ends the server's sessions (57P01); every new connection is
        // then refused with 3D000 (invalid_catalog_name), which was answered 200 "Unexpected error.".
        await dropScratchDatabase(dropCluster.url, database.name);
        expect((await fetch(`${server.base}/ready`)).status).toBe(503);
        for (let probe = 0; probe < 6; probe++) {
          const query = probe % 2 ? ACCOUNT : UPSERT;
          const variables =
            probe % 2 ? { r: 'NONE' } : { rows: [{ externalRef: `DROP-${probe}`, name: 'x' }] };
          const response = await fetch(server.graphql, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/graphql-response+json',
              authorization: `Bearer ${token}`,
            },
            body: JSON.stringify({ query, variables }),
            signal: AbortSignal.timeout(ANSWER_BOUND_MS),
          });
          const body = (await response.json()) as {
            errors?: { message: string; extensions?: { code?: string } }[];
          };
          expect(
            { status: response.status, retryAfter: response.headers.get('retry-after'), errors: body.errors },
            `probe ${probe}`,
          ).toEqual({
            status: 503,
            retryAfter: '5',
            errors: [
              expect.objectContaining({
                extensions: expect.objectContaining({ code: 'DATABASE_UNAVAILABLE' }),
              }),
            ],
          });
        }
        expect(server.alive()).toBe(true);
        expect(server.output.some(line => line.includes('unexpected error'))).toBe(false);
      } finally {
        await server.kill('SIGTERM');
      }
    }, 120_000);
  },
);

describe('database loss: which errors say the database cannot be reached', () => {
  // PostgreSQL's errors as pg raises them (FATAL, with the SQLSTATE as `code`), wrapped the way
  // they reach yoga's error mask.
  const pgError = (code: string, message: string) =>
    new Error('query failed', { cause: Object.assign(new Error(message), { code, severity: 'FATAL' }) });

  it('counts a dropped database and a refused login as unavailable, not as a failed query', () => {
    // 3D000 after `DROP DATABASE … WITH (FORCE)`; 28P01 / 28000 after the password was changed or
    // the login revoked under a running server: each was answered "Unexpected error.".
    expect(isDatabaseUnavailable(pgError('3D000', 'database "kamops" does not exist'))).toBe(true);
    expect(isDatabaseUnavailable(pgError('28P01', 'password authentication failed for user "kam"'))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(pgError('28000', 'role "kam" is not permitted to log in'))).toBe(true);
    for (const code of ['57P01', '57P02', '57P03', '08006', '53300'])
      expect(isDatabaseUnavailable(pgError(code, 'connection lost')), code).toBe(true);
    // Errors in a query stay unexpected: a missing table, a broken constraint.
    expect(isDatabaseUnavailable(pgError('42P01', 'relation "account" does not exist'))).toBe(false);
    expect(isDatabaseUnavailable(pgError('23505', 'duplicate key value violates unique constraint'))).toBe(
      false,
    );
  });
});
