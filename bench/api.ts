/**
 * API benchmark (issue 4), everything on loopback, on one machine, in one run:
 *
 * 1. a hello-world graphql-yoga server against kam's single-account query (by id, with its
 *    team, financials and plan): requests per second, 20 connections, the two loads taking
 *    turns in `--pairs` rounds after one unmeasured warm-up round each;
 * 2. a 100-account page with nested team, financials, plan and health: latency percentiles
 *    at 20 concurrent connections on the demo portfolio (10,000 accounts × 8 quarters, SQLite),
 *    after a warm-up run whose figures are printed too;
 * 3. `importFinancials` over HTTP (10,000-row calls) against a raw better-sqlite3 prepared
 *    insert of the same rows in one transaction, into the same table;
 * 4. the API server's peak RSS through all of it (sampled from /proc every 100 ms);
 * 5. then a burst that tests the heap limits rather than speed: 32 concurrent `upsertAccounts`
 *    calls of 10,000 rows each, near the 8 MiB body limit, every row rejected (so every answer
 *    lists 20,000 errors): all must be answered, with the server's peak RSS during the burst.
 *
 *   node bench/api.ts [--accounts 10000] [--duration 10] [--pairs 5]
 *
 * Servers run as child processes (the kam one is `kam serve`, with the heap limits it sets for
 * itself; `KAM_MAX_HEAP_MB=0 node bench/api.ts` measures V8's own sizing instead, and
 * `--serve-node-options` passes NODE_OPTIONS, whose heap flags kam keeps), the load generator
 * (autocannon) in this process. Prints a Markdown table for docs/benchmarks.md.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import {
  Account,
  closeQuarter,
  createApiToken,
  createPerson,
  migrateDatabase,
  openOrm,
  seedDemoPortfolio,
  systemActor,
} from '../packages/domain/src/index.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const OUT = join(REPO, 'bench/out');
const CLI = join(REPO, 'packages/api/src/cli/main.ts');
const apiRequire = createRequire(join(REPO, 'packages/api/package.json'));

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '10' },
    /** Alternating rounds of hello world and one account within `duration` seconds each. */
    pairs: { type: 'string', default: '5' },
    'serve-hello': { type: 'string' },
    /** NODE_OPTIONS for `kam serve` (docs/operations.md recommends heap limits for production). */
    'serve-node-options': { type: 'string', default: '' },
  },
});

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function waitForLine(child: ChildProcess, pattern: RegExp): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (pattern.test(seen)) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.once('exit', code => reject(new Error(`server exited with ${code} before it listened: ${seen}`)));
  });
}

async function load(options: {
  url: string;
  /** One body, or several sent in turn (each connection cycles through them). */
  body: string | string[];
  token?: string;
  duration: number;
  connections?: number;
}): Promise<autocannon.Result> {
  const bodies = Array.isArray(options.body) ? options.body : [options.body];
  let next = 0;
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections ?? 20,
    duration: options.duration,
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: bodies[0],
    requests: [
      {
        setupRequest: request => ({ ...request, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
  if (result.non2xx || result.errors) {
    throw new Error(`${options.url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return result;
}

async function gql<T>(url: string, token: string, query: string, variables: unknown): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map(e => e.message).join('; '));
  return body.data as T;
}

const ACCOUNT = `query ($id: ID!) { node(id: $id) { ... on Account {
  name externalRef isKeyAccount
  team { role person { name } }
  latestFinancials { quarter revenue grossProfit }
  latestPlan { status year }
} } }`;

const PAGE = `query ($after: String) { accounts(first: 100, after: $after) {
  edges { node {
    name externalRef
    team { role person { name } }
    latestFinancials { quarter revenue }
    latestPlan { status }
    health { score status components { key value weight contribution } }
  } }
  pageInfo { endCursor }
} }`;

const UPSERT = `mutation ($rows: [AccountRowInput!]!) { upsertAccounts(rows: $rows) {
  ... on UpsertAccountsSuccess { data { rejected rejections { index path code message } } } ... on Error { code message }
} }`;

const IMPORT = `mutation ($rows: [FinancialRowInput!]!) { importFinancials(rows: $rows) {
  ... on ImportFinancialsSuccess { data { created rejected } } ... on Error { code message }
} }`;

async function main(): Promise<void> {
  const accounts = Number(values.accounts);
  const duration = Number(values.duration);
  const pairs = Number(values.pairs);
  if (!Number.isInteger(pairs) || pairs < 1)
    throw new Error(`--pairs must be a whole number ≥ 1, got ${values.pairs}`);
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `api-${accounts}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const actor = systemActor('bench');

  console.error(`Seeding ${accounts} accounts × 8 quarters …`);
  const orm = await openOrm({ url: file });
  await migrateDatabase(orm);
  const seeded = await seedDemoPortfolio(
    orm.em.fork(),
    { accounts, quarters: 8, seed: 7, endQuarter: '2026-Q3' },
    actor,
  );
  await closeQuarter(orm.em.fork(), '2026-Q3', actor); // health comes from the latest close
  const person = await createPerson(
    orm.em.fork(),
    { name: 'Bench', email: 'bench@example.com', businessUnitId: null },
    actor,
  );
  const { secret: token } = await createApiToken(
    orm.em.fork(),
    { personId: person.id, role: 'ADMIN', name: 'bench' },
    actor,
  );
  // Accounts that have what the query asks for: a team, financial lines and a plan (key accounts).
  const sample = await orm.em.getConnection().execute<{ id: number }[]>(
    `select a.id from account a
     where exists (select 1 from team_member t where t.account_id = a.id)
       and exists (select 1 from quarterly_financial f where f.account_id = a.id)
       and exists (select 1 from account_plan p where p.account_id = a.id)
     order by a.id limit 200`,
  );
  if (sample.length < 50) throw new Error(`only ${sample.length} accounts with team, financials and plan`);
  const refs = await orm.em
    .fork()
    .find(Account, {}, { fields: ['externalRef'], orderBy: { id: 'asc' }, disableIdentityMap: true });
  await orm.close(true);

  const helloPort = 4601;
  const kamPort = 4602;
  const hello = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), '--serve-hello', String(helloPort)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const kam = spawn(process.execPath, [CLI, 'serve'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_URL: file,
      KAM_PORT: String(kamPort),
      KAM_ENV: 'production',
      KAM_LOG_LEVEL: 'warn',
      NODE_OPTIONS: values['serve-node-options'],
    },
  });
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(kam.pid ?? 0));
  }, 100);
  try {
    kam.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    await waitForLine(hello, /listening/);
    // `kam serve` logs only at warn here: poll /ready instead of reading its log.
    for (let i = 0; i < 100; i++) {
      const ready = await fetch(`http://127.0.0.1:${kamPort}/ready`).then(
        r => r.ok,
        () => false,
      );
      if (ready) break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    const kamUrl = `http://127.0.0.1:${kamPort}/graphql`;
    const rssAtStart = rssMb(kam.pid ?? 0);

    // 1. Hello world against one account by id (200 different accounts in turn, each with a
    //    team, financial lines and a plan, so no answer is served from a warm identity map).
    const ids = sample.map(row => Buffer.from(`Account:${row.id}`).toString('base64'));
    for (const id of ids) {
      // Warm up and check that every account has what the query asks for.
      const answer = await gql<{
        node: { team: unknown[]; latestFinancials: unknown[]; latestPlan: unknown };
      }>(kamUrl, token, ACCOUNT, { id });
      if (!answer.node.team.length || !answer.node.latestFinancials.length || !answer.node.latestPlan) {
        throw new Error(`account ${id} lacks a team, financials or a plan`);
      }
    }
    // The two loads alternate in `--pairs` rounds of duration ÷ pairs seconds each (the order
    // swapped every round), so that a drift of the machine's speed during the run (measured
    // here: a third from one minute to the next) weighs on both alike.
    const slice = Math.max(1, duration / pairs);
    const totals = { hello: { requests: 0, seconds: 0 }, account: { requests: 0, seconds: 0 } };
    const pairRatios: number[] = [];
    const helloLoad = () =>
      load({
        url: `http://127.0.0.1:${helloPort}/graphql`,
        body: JSON.stringify({ query: '{ hello }' }),
        duration: slice,
      });
    const accountLoad = () =>
      load({
        url: kamUrl,
        token,
        body: ids.map(id => JSON.stringify({ query: ACCOUNT, variables: { id } })),
        duration: slice,
      });
    // One round of each, not counted: both servers reach their optimised code before the
    // measured rounds (a cold hello-world server answered a third as many requests in its
    // first 2 s as later, which flattered the ratio).
    await helloLoad();
    await accountLoad();
    for (let round = 0; round < pairs; round++) {
      const runHello = async () => {
        const run = await helloLoad();
        totals.hello.requests += run.requests.total;
        totals.hello.seconds += run.duration;
        return run.requests.total / run.duration;
      };
      const runAccount = async () => {
        const run = await accountLoad();
        totals.account.requests += run.requests.total;
        totals.account.seconds += run.duration;
        return run.requests.total / run.duration;
      };
      const [helloRate, accountRate] =
        round % 2 === 0
          ? [await runHello(), await runAccount()]
          : await runAccount().then(async account => [await runHello(), account]);
      pairRatios.push(accountRate / helloRate);
    }
    const helloRate = totals.hello.requests / totals.hello.seconds;
    const accountRate = totals.account.requests / totals.account.seconds;

    // 2. Pages of 100 accounts (the first page and a page deep in the list).
    const firstPage = await gql<{ accounts: { pageInfo: { endCursor: string } } }>(kamUrl, token, PAGE, {});
    const peakAfterAccounts = peakRss;
    const pageLoad = (seconds: number) =>
      load({
        url: kamUrl,
        token,
        body: JSON.stringify({ query: PAGE, variables: { after: firstPage.accounts.pageInfo.endCursor } }),
        duration: seconds,
      });
    // Warm-up, reported but not counted: the first seconds of a cold page query (compiled by
    // graphql-jit, optimised by V8) were most of the p99 of a run started without it.
    const pageWarmUp = await pageLoad(slice);
    const pageRun = await pageLoad(duration);

    // 3. importFinancials over HTTP: 10 calls of 10,000 new rows, one quarter per call. The
    //    quarters are past ones without figures (the seed's 8 quarters end in 2026-Q3), so every
    //    row is a create; not quarters to come, which importFinancials rejects (QUARTER_NOT_STARTED).
    const rowsPerCall = 10_000;
    const calls = 10;
    const quarters = [
      '2010-Q1',
      '2010-Q2',
      '2010-Q3',
      '2010-Q4',
      '2011-Q1',
      '2011-Q2',
      '2011-Q3',
      '2011-Q4',
      '2012-Q1',
      '2012-Q2',
    ];
    const batches = quarters.slice(0, calls).map(quarter =>
      Array.from({ length: rowsPerCall }, (_, i) => ({
        accountRef: refs[i % refs.length]?.externalRef ?? '',
        quarter,
        revenue: `${1000 + (i % 997)}.25`,
        grossProfit: `${300 + (i % 101)}.10`,
        costToServe: `${40 + (i % 13)}.05`,
      })),
    );
    if (refs.length < rowsPerCall) throw new Error(`need at least ${rowsPerCall} accounts for distinct rows`);
    const peakBeforeImport = peakRss;
    const importStarted = performance.now();
    for (const rows of batches) {
      const result = await gql<{ importFinancials: { data?: { created: number }; message?: string } }>(
        kamUrl,
        token,
        IMPORT,
        { rows },
      );
      if (result.importFinancials.data?.created !== rowsPerCall) {
        throw new Error(`import failed: ${JSON.stringify(result.importFinancials)}`);
      }
    }
    const importSeconds = (performance.now() - importStarted) / 1000;
    const httpRowsPerSecond = (rowsPerCall * calls) / importSeconds;

    // The same rows with a raw prepared statement in one transaction, into a copy of the schema.
    const rawFile = join(OUT, 'api-raw.sqlite');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${rawFile}${suffix}`, { force: true });
    const rawOrm = await openOrm({ url: rawFile });
    await migrateDatabase(rawOrm);
    await rawOrm.close(true);
    const Sqlite = apiRequire('better-sqlite3') as typeof import('better-sqlite3');
    const raw = new Sqlite(rawFile);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = OFF');
    const insert = raw.prepare(
      'insert into quarterly_financial (created_at, updated_at, version, account_id, quarter, revenue, gross_profit, cost_to_serve) values (?, ?, 1, ?, ?, ?, ?, ?)',
    );
    const now = new Date().toISOString();
    const rawStarted = performance.now();
    raw.transaction(() => {
      for (const rows of batches) {
        for (const [i, row] of rows.entries()) {
          insert.run(
            now,
            now,
            i + 1,
            row.quarter,
            Math.round(Number(row.revenue) * 100),
            Math.round(Number(row.grossProfit) * 100),
            Math.round(Number(row.costToServe) * 100),
          );
        }
      }
    })();
    const rawSeconds = (performance.now() - rawStarted) / 1000;
    raw.close();
    const rawRowsPerSecond = (rowsPerCall * calls) / rawSeconds;

    // 5. The burst (not a speed figure): every row has a name over 200 characters and a country
    //    that is no ISO code, so each is rejected twice and nothing is written.
    const burstCalls = 32;
    const burstBody = JSON.stringify({
      query: UPSERT,
      variables: {
        rows: Array.from({ length: 10_000 }, (_, i) => ({
          externalRef: `BURST-${i}`,
          name: `${'n'.repeat(700)} ${i}`,
          country: 'XYZ',
        })),
      },
    });
    const peakBeforeBurst = peakRss;
    peakRss = 0;
    const burstStarted = performance.now();
    const burst = await Promise.all(
      Array.from({ length: burstCalls }, async () => {
        const response = await fetch(kamUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: burstBody,
        });
        const answer = (await response.json()) as {
          data?: { upsertAccounts: { data?: { rejected: number; rejections: unknown[] } } };
        };
        return { status: response.status, rejected: answer.data?.upsertAccounts.data?.rejected ?? 0 };
      }),
    );
    const burstSeconds = (performance.now() - burstStarted) / 1000;
    const burstPeak = peakRss;
    if (burst.some(call => call.status !== 200 || call.rejected !== 10_000)) {
      throw new Error(`burst: not every call was answered with 10,000 rejections: ${JSON.stringify(burst)}`);
    }

    const ratio = accountRate / helloRate;
    const percent = (value: number) => `${(value * 100).toFixed(0)} %`;
    const lines = [
      `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; ${seeded.accounts} accounts (${seeded.keyAccounts} key) × 8 quarters, SQLite; ${duration} s per load run (hello world and one account: ${pairs} alternating rounds of ${slice} s each), 20 connections.`,
      '',
      '| Measure | Result | Target |',
      '| --- | --- | --- |',
      `| hello-world yoga, \`{ hello }\` | ${Math.round(helloRate)} req/s | (reference) |`,
      `| one account by id with team, financials, plan | ${Math.round(accountRate)} req/s = ${percent(ratio)} of hello world (rounds: ${percent(Math.min(...pairRatios))}–${percent(Math.max(...pairRatios))}) | ≥ 40 % |`,
      `| 100-account page with team, financials, plan, health | p50 ${pageRun.latency.p50} ms, p99 ${pageRun.latency.p99} ms, ${pageRun.requests.average.toFixed(1)} req/s (the ${slice} s warm-up before it: p50 ${pageWarmUp.latency.p50} ms, p99 ${pageWarmUp.latency.p99} ms) | p99 < 100 ms |`,
      `| importFinancials over HTTP (10 × 10,000 rows) | ${Math.round(httpRowsPerSecond).toLocaleString('en')} rows/s | ≥ 100,000 rows/s |`,
      `| raw better-sqlite3 prepared insert, one transaction | ${Math.round(rawRowsPerSecond).toLocaleString('en')} rows/s | (reference) |`,
      `| importFinancials ÷ raw | ${((httpRowsPerSecond / rawRowsPerSecond) * 100).toFixed(0)} % | ≥ 12 % |`,
      `| API server RSS | ${rssAtStart.toFixed(0)} MB at start; peak ${peakAfterAccounts.toFixed(0)} MB through the single-account run, ${peakBeforeImport.toFixed(0)} MB through the pages, ${peakBeforeBurst.toFixed(0)} MB through the imports | < 300 MB |`,
      `| burst: ${burstCalls} concurrent upsertAccounts of 10,000 rejected rows (${(burstBody.length / 2 ** 20).toFixed(1)} MiB each) | all answered in ${burstSeconds.toFixed(1)} s; peak RSS ${burstPeak.toFixed(0)} MB | (heap limits hold) |`,
    ];
    console.log(lines.join('\n'));
  } finally {
    clearInterval(sampler);
    hello.kill('SIGTERM');
    kam.kill('SIGTERM');
  }
}

// Child mode: the hello-world yoga server the kam server is compared with.
if (values['serve-hello']) {
  const { createYoga, createSchema } = (await import(
    pathToFileURL(apiRequire.resolve('graphql-yoga')).href
  )) as typeof import('graphql-yoga');
  const { createServer } = await import('node:http');
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { hello: String! }',
      resolvers: { Query: { hello: () => 'world' } },
    }),
    logging: false,
    landingPage: false,
  });
  createServer(yoga).listen(Number(values['serve-hello']), '127.0.0.1', () => console.log('listening'));
} else {
  await main();
}
