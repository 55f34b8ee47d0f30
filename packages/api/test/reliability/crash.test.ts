import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileDatabase, digestOf, type FileDatabase, openProbe, type Probe } from './databases.ts';
import {
  bootstrapAdmin,
  gql,
  killAllChildren,
  machine,
  runKam,
  type ServerProcess,
  sleep,
  startServerProcess,
} from './processes.ts';

// The batch size of one crash attempt: the configured bulk maximum.
const BATCH = 10_000;
// Bounds: at most this many SIGKILLs, and no new attempt after this much time.
const MAX_ATTEMPTS = 6;
const ATTEMPTS_BUDGET_MS = 90_000;

const UPSERT_ACCOUNTS = `mutation($rows: [AccountRowInput!]!) {
  upsertAccounts(rows: $rows, mode: ATOMIC) {
    __typename
    ... on UpsertAccountsSuccess { data { received created written } }
    ... on Error { code message }
  }
}`;
const IMPORT_FINANCIALS = `mutation($rows: [FinancialRowInput!]!) {
  importFinancials(rows: $rows, mode: ATOMIC) {
    __typename
    ... on ImportFinancialsSuccess { data { received created written } }
    ... on Error { code message }
  }
}`;

function accountRows(prefix: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    externalRef: `${prefix}-${i}`,
    name: `${prefix} account ${i}`,
    industry: 'Chemicals',
    country: 'DE',
  }));
}

let db: FileDatabase;
let env: Record<string, string>;
let token: string;
let server: ServerProcess | undefined;

beforeAll(async () => {
  db = await createFileDatabase('crash');
  env = { DATABASE_URL: db.url, KAM_MAX_BULK_ROWS: String(BATCH) };
  await runKam(['migrate'], env);
  token = await bootstrapAdmin(env);
}, 120_000);

afterAll(async () => {
  await killAllChildren();
  await db?.drop();
});

async function start(): Promise<ServerProcess> {
  server = await startServerProcess(env);
  // The first authenticated request records the token's use (a small write): do it now, so
  // that the only write the probes can see during an attempt is the batch itself.
  const warm = await gql(server.graphql, '{ __typename }', undefined, token);
  expect(warm.status).toBe(200);
  return server;
}

/** What was there before the crash attempts: must survive every one of them unchanged. */
async function earlierData(probe: Probe) {
  return {
    accounts: await probe.count(
      `select count(*) from account where external_ref not like 'CRASH-%' and external_ref not like 'AFTER-%'`,
    ),
    financials: await probe.count('select count(*) from quarterly_financial'),
    accountDigest: await digestOf(
      probe,
      `select id, external_ref, name, industry, country, version from account where external_ref not like 'CRASH-%' and external_ref not like 'AFTER-%' order by id`,
    ),
    financialDigest: await digestOf(
      probe,
      'select id, account_id, quarter, revenue, gross_profit, cost_to_serve from quarterly_financial order by id',
    ),
  };
}

interface Attempt {
  attempt: number;
  trigger: string;
  killedAfterMs: number;
  writeSeen: boolean;
  answered: boolean;
  rowsAfterRestart: number;
  integrity: string;
  restartMs: number;
}

describe('crash: SIGKILL during an ATOMIC bulk write', () => {
  it('leaves the batch entirely present or entirely absent, the database intact, earlier data kept', async () => {
    // 1. Data written before any crash: accounts, their financials, and one full 10,000-row batch
    //    whose duration calibrates the kill delays.
    let s = await start();
    const base = await gql(s.graphql, UPSERT_ACCOUNTS, { rows: accountRows('BASE', 500) }, token);
    expect(base.body.data).toMatchObject({ upsertAccounts: { data: { created: 500, written: true } } });
    const financials = Array.from({ length: 500 }, (_, i) => ({
      accountRef: `BASE-${i}`,
      quarter: '2026-Q1',
      revenue: `${1000 + i}.50`,
      grossProfit: '300.00',
      costToServe: '40.00',
    }));
    const fin = await gql(s.graphql, IMPORT_FINANCIALS, { rows: financials }, token);
    expect(fin.body.data).toMatchObject({ importFinancials: { data: { created: 500, written: true } } });
    const began = performance.now();
    const calibration = await gql(
      s.graphql,
      UPSERT_ACCOUNTS,
      { rows: accountRows('CALIBRATION', BATCH) },
      token,
      {
        timeoutMs: 120_000,
      },
    );
    const batchMs = performance.now() - began;
    expect(calibration.body.data).toMatchObject({
      upsertAccounts: { data: { created: BATCH, written: true } },
    });

    const attempts: Attempt[] = [];
    let probe = await openProbe(db);
    const before = await earlierData(probe);
    await probe.close();
    expect(before.accounts).toBe(500 + BATCH);
    expect(before.financials).toBe(500);

    const summary = () =>
      console.log(
        [
          `reliability/crash (${db.dialect}) ${new Date().toISOString()} — ${machine()}`,
          `  calibration: ${BATCH} accounts in ${Math.round(batchMs)} ms`,
          ...attempts.map(
            a =>
              `  attempt ${a.attempt}: kill on ${a.trigger} after ${a.killedAfterMs} ms; write in progress: ${a.writeSeen}; answered: ${a.answered}; batch rows after restart: ${a.rowsAfterRestart}; integrity: ${a.integrity}; restart ${a.restartMs} ms`,
          ),
        ].join('\n'),
      );
    // 2. Crash attempts. Odd attempts kill as soon as a probe sees the batch's write transaction
    //    open (SQLite: the write lock is held; PostgreSQL: the session has a transaction id);
    //    even ones kill after a fraction of the calibrated duration.
    const fractions = [0.35, 0.7, 0.95];
    const deadline = Date.now() + ATTEMPTS_BUDGET_MS;
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS && Date.now() < deadline; attempt++) {
        const onWrite = attempt % 2 === 1;
        const fraction = fractions[(attempt / 2 - 1) % fractions.length] ?? 0.5;
        probe = await openProbe(db);
        const sentAt = performance.now();
        let answered = false;
        const request = gql(
          s.graphql,
          UPSERT_ACCOUNTS,
          { rows: accountRows(`CRASH-${attempt}`, BATCH) },
          token,
          {
            timeoutMs: 120_000,
          },
        ).then(
          () => {
            answered = true;
          },
          () => undefined,
        );
        let writeSeen = false;
        if (onWrite) {
          const until = performance.now() + batchMs * 3 + 2000;
          while (!answered && performance.now() < until) {
            if (await probe.writeInProgress()) {
              writeSeen = true;
              break;
            }
            await sleep(1);
          }
        } else {
          await sleep(batchMs * fraction);
          writeSeen = await probe.writeInProgress();
        }
        const killedAfterMs = Math.round(performance.now() - sentAt);
        await s.kill('SIGKILL');
        await request;
        await probe.close();

        const restartBegan = performance.now();
        s = await start();
        const restartMs = Math.round(performance.now() - restartBegan);
        probe = await openProbe(db);
        const rowsAfterRestart = await probe.count(
          `select count(*) from account where external_ref like 'CRASH-${attempt}-%'`,
        );
        const integrity = await probe.integrity();
        const after = await earlierData(probe);
        await probe.close();
        attempts.push({
          attempt,
          trigger: onWrite ? 'write seen' : `${Math.round(fraction * 100)} % of batch time`,
          killedAfterMs,
          writeSeen,
          answered,
          rowsAfterRestart,
          integrity,
          restartMs,
        });

        // All or nothing; consistent; nothing written earlier lost or changed.
        expect([0, BATCH]).toContain(rowsAfterRestart);
        expect(integrity).toBe('ok');
        expect(after).toEqual(before);
        // The restarted server serves and writes again.
        const again = await gql(
          s.graphql,
          UPSERT_ACCOUNTS,
          { rows: accountRows(`AFTER-${attempt}`, 3) },
          token,
        );
        expect(again.body.data).toMatchObject({ upsertAccounts: { data: { created: 3, written: true } } });
        if (attempts.filter(a => a.writeSeen && !a.answered).length >= 2 && attempts.length >= 4) break;
      }
      // A killed batch that was being written when the server died must be absent: the only way
      // it is present is that it committed before the kill.
      const midWrite = attempts.filter(a => a.writeSeen && !a.answered);
      expect(midWrite.length, 'at least one kill landed while the batch was being written').toBeGreaterThan(
        0,
      );
      await s.kill('SIGTERM');
    } finally {
      summary();
    }
  }, 180_000);
});
