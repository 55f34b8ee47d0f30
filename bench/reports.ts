/**
 * Report-site build benchmark (issue 5): both sites of one quarter for N synthetic key accounts
 * with 8 trend quarters, pulled over HTTP from a GraphQL stub that serves the fixture snapshot
 * scaled up, against a bare Astro site with the same number of plain static pages built on the
 * same machine in the same run.
 *
 *   node bench/reports.ts                            # 1,000 and 10,000 key accounts
 *   node bench/reports.ts --accounts 1000            # one size
 *   node bench/reports.ts --accounts 1000 --runs 3   # each size three times
 *
 * The report build runs as `report:build` does (same node flags, the CLI), in a child process
 * with the stub in this one; the bare site is built by Astro's build() in another, with the
 * same node flags and the same `build` options (file format, render concurrency) as the
 * reports' astro.config.ts. Both are timed the same way: the wall time of their process, from
 * spawn to exit, and pages/s is pages ÷ that time. Each run builds ours and then the bare
 * site, after `sync` so that neither pays for the other's disk writes. Peak memory is the
 * largest summed RSS of a build process and its children (Pagefind's indexer), sampled every
 * 100 ms. Figures go to stdout as a Markdown table for docs/benchmarks.md, with the load
 * average of the machine before each run.
 */
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import type { SnapshotFixture } from '../packages/reports/test/fixtures/make-fixture.ts';
import { loadFixture } from '../packages/reports/test/support/fixture.ts';
import { startGraphQLStub } from '../packages/reports/test/support/graphql-stub.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const REPORTS = join(REPO, 'packages/reports');
const OUT = join(REPO, 'bench/out');
const run = promisify(execFile);

/** The fixture with `count` key accounts: copies of its key accounts under new refs and names. */
function syntheticSnapshot(count: number): SnapshotFixture {
  const fixture = loadFixture();
  const keys = fixture.accounts.filter(account => account.isKeyAccount);
  const accounts = Array.from({ length: count }, (_, index) => {
    const source = keys[index % keys.length]!;
    return {
      ...source,
      accountId: 100_000 + index,
      externalRef: `KA-${String(index + 1).padStart(6, '0')}`,
      name: `${source.name} ${Math.floor(index / keys.length) + 1}`,
    };
  });
  fixture.portfolio.totals.keyAccounts = count;
  fixture.info = { ...fixture.info, accountCount: count, checksum: `sha256:bench-${count}` };
  return { ...fixture, accounts };
}

/** Every process: pid, parent pid, RSS in KiB and command name. */
async function processTable(): Promise<[number, number, number, string][]> {
  if (process.platform === 'linux') {
    // Straight from /proc, synchronously (about 2 ms a sample): spawning `ps` ten times a
    // second took a tenth of a core from the builds being measured.
    const rows: [number, number, number, string][] = [];
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let status: string;
      try {
        status = readFileSync(`/proc/${pid}/status`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '';
      // VmRSS is what ps reports as rss (kernel threads have none).
      rows.push([
        Number(pid),
        Number(field('PPid')),
        Number.parseInt(field('VmRSS'), 10) || 0,
        field('Name'),
      ]);
    }
    return rows;
  }
  const { stdout } = await run('ps', ['-eo', 'pid=,ppid=,rss=,comm=']);
  return stdout
    .trim()
    .split('\n')
    .map(line => {
      const [pid, ppid, rss, comm] = line.trim().split(/\s+/);
      return [Number(pid), Number(ppid), Number(rss), comm ?? '?'];
    });
}

/** Summed RSS (KiB) of a process and all its descendants, and the share of each command. */
async function treeRss(root: number): Promise<{ total: number; parts: string }> {
  const rows = await processTable();
  const names = new Map(rows.map(([pid, , , comm]) => [pid, comm]));
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of rows) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const rss = new Map(rows.map(([pid, , kib]) => [pid, kib]));
  let total = 0;
  const parts: string[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    const kib = rss.get(pid) ?? 0;
    total += kib;
    if (kib > 10_240) parts.push(`${names.get(pid)} ${Math.round(kib / 1024)} MiB`);
    stack.push(...(children.get(pid) ?? []));
  }
  return { total, parts: parts.join(' + ') };
}

/** Runs a Node script in a child process; returns wall time, peak tree RSS and its stdout. */
async function measured(args: string[], env: Record<string, string>, cwd = REPO) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', chunk => {
    stdout += chunk;
  });
  let peakKiB = 0;
  let peakParts = '';
  const sampler = setInterval(() => {
    if (!child.pid) return;
    treeRss(child.pid).then(
      ({ total, parts }) => {
        if (total > peakKiB) [peakKiB, peakParts] = [total, parts];
      },
      () => {},
    );
  }, 100);
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`);
  return { seconds: (performance.now() - started) / 1000, peakMiB: peakKiB / 1024, peakParts, stdout };
}

/** A bare Astro project with `pages` plain static pages (one dynamic route, like ours). */
async function bareSite(pages: number): Promise<string> {
  // Inside packages/reports so that `astro` resolves from its node_modules.
  const root = join(REPORTS, 'node_modules/.cache/kam-bench-bare');
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, 'src/pages/p'), { recursive: true });
  // Built the way ours is: the same output format and render concurrency.
  const { default: reportsConfig } = (await import('../packages/reports/astro.config.ts')) as {
    default: { build?: Record<string, unknown> };
  };
  await writeFile(
    join(root, 'astro.config.mjs'),
    `export default ${JSON.stringify({ build: reportsConfig.build ?? {} })};\n`,
  );
  await writeFile(
    join(root, 'src/pages/p/[n].astro'),
    `---
export function getStaticPaths() {
  return Array.from({ length: ${pages} }, (_, n) => ({ params: { n: String(n) }, props: { n } }));
}
const { n } = Astro.props;
---
<html lang="en"><head><meta charset="utf-8" /><title>Page {n}</title></head>
<body><h1>Page {n}</h1><p>A plain static page.</p></body></html>
`,
  );
  return root;
}

/** The report build exactly as `pnpm --filter @kam/reports report:build` runs it: node flags and script. */
async function reportBuildCommand(): Promise<{ nodeFlags: string[]; command: string[] }> {
  const manifest = JSON.parse(await readFile(join(REPORTS, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [node, ...args] = manifest.scripts['report:build']!.split(/\s+/);
  if (node !== 'node') throw new Error('report:build is expected to run node');
  const script = args.findIndex(arg => arg.endsWith('.ts'));
  return {
    nodeFlags: args.slice(0, script),
    command: args.map(arg => (arg.endsWith('.ts') ? join(REPORTS, arg) : arg)),
  };
}
const CHILD_BARE = `
import { build } from 'astro';
const started = performance.now();
await build({ root: process.env.BENCH_ROOT, outDir: process.env.BENCH_OUT, logLevel: 'warn' });
console.log(JSON.stringify({ ms: Math.round(performance.now() - started) }));
`;

async function benchSize(accounts: number) {
  const snapshot = syntheticSnapshot(accounts);
  const stub = await startGraphQLStub({ snapshots: [snapshot] });
  const outDir = join(OUT, `reports-${accounts}`);
  await rm(outDir, { recursive: true, force: true });
  // A fresh content store, so the pull is part of the measurement.
  await rm(join(REPORTS, 'node_modules/.cache/kam-reports'), { recursive: true, force: true });
  try {
    const { nodeFlags, command } = await reportBuildCommand();
    const load = loadavg()[0]!;
    await run('sync');
    const ours = await measured(
      [
        ...command,
        '--quarter',
        snapshot.info.quarter,
        '--site',
        'all',
        '--out',
        outDir,
        '--api-url',
        stub.url,
      ],
      { KAM_API_TOKEN: stub.token },
    );
    // "journey: 10002 pages → …" per site, then "Built in 25.1 s."
    const sites = [...ours.stdout.matchAll(/^(kpi|journey): (\d+) pages →/gm)].map(match => ({
      site: match[1]!,
      pages: Number(match[2]),
    }));
    const pages = sites.reduce((sum, site) => sum + site.pages, 0);
    const built = /^Built in ([\d.]+) s\./m.exec(ours.stdout);
    if (sites.length !== 2 || !built) throw new Error(`Unexpected report:build output:\n${ours.stdout}`);
    const buildMs = Number(built[1]) * 1000;

    const bareRoot = await bareSite(pages);
    await run('sync');
    // Run from the reports package (where `astro` resolves), output inside the bare project.
    const bare = await measured(
      [...nodeFlags, '--input-type=module', '-e', CHILD_BARE],
      { BENCH_ROOT: bareRoot, BENCH_OUT: join(bareRoot, 'dist') },
      REPORTS,
    );
    return {
      accounts,
      load,
      requests: stub.requests.accountPages,
      pages,
      seconds: ours.seconds,
      peakMiB: ours.peakMiB,
      peakParts: ours.peakParts,
      sites,
      buildMs,
      pagesPerSecond: pages / ours.seconds,
      bareSeconds: bare.seconds,
      barePeakMiB: bare.peakMiB,
      barePagesPerSecond: pages / bare.seconds,
    };
  } finally {
    await stub.close();
  }
}

const { values } = parseArgs({
  options: { accounts: { type: 'string', default: '1000,10000' }, runs: { type: 'string', default: '1' } },
});
const sizes = values.accounts.split(',').map(Number);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number, 1 or more');
const rows = [];
for (let round = 1; round <= runs; round++) {
  for (const size of sizes) {
    const row = { run: round, ...(await benchSize(size)) };
    rows.push(row);
    console.error(JSON.stringify(row));
  }
}
// Only this bench's own output: bench/out also holds the other benches' databases.
for (const size of sizes) await rm(join(OUT, `reports-${size}`), { recursive: true, force: true });

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const options = `--accounts ${values.accounts}${runs > 1 ? ` --runs ${runs}` : ''}`;
console.log(
  `Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; \`node bench/reports.ts ${options}\`\n`,
);
console.log(
  '| key accounts | run (load) | pages (both sites) | API requests for accounts | both sites, wall incl. pull | Astro build (both sites, Pagefind) | peak RSS | pages/s | bare Astro, same pages | bare pages/s | ratio |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) {
  console.log(
    `| ${row.accounts.toLocaleString('en')} | ${row.run} (${row.load.toFixed(1)}) | ${row.pages.toLocaleString('en')} | ${row.requests} | ${row.seconds.toFixed(1)} s | ${(row.buildMs / 1000).toFixed(1)} s | ${Math.round(row.peakMiB)} MiB | ${Math.round(row.pagesPerSecond)} | ${row.bareSeconds.toFixed(1)} s (peak ${Math.round(row.barePeakMiB)} MiB) | ${Math.round(row.barePagesPerSecond)} | ${(row.pagesPerSecond / row.barePagesPerSecond).toFixed(2)} |`,
  );
}
console.log('');
for (const row of rows)
  console.log(
    `Peak memory at ${row.accounts.toLocaleString('en')} key accounts (run ${row.run}): ${row.peakParts}.`,
  );
