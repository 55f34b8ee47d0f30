/**
 * Analytics and quarterly-close benchmark (issue 3).
 *
 *   node bench/analytics.ts                       # the full run: 10k close and account standings on SQLite and PostgreSQL,
 *                                                 # pyramid + Pareto + selection at 10k/30k/100k
 *   node bench/analytics.ts --sizes 10000         # one size for the pyramid/Pareto/selection line
 *   KAM_BENCH_PG_URL=postgres://… node bench/analytics.ts   # PostgreSQL server (default 127.0.0.1/test)
 *
 * Seeding uses the demo generator (`seedDemoPortfolio`) when it exists, else a simple
 * set-based loader below (accounts in a 3-level hierarchy, 8 quarters of figures over three
 * business units, 5 % key accounts with designations, assessments, tiers, contacts, team,
 * plans, initiatives, opportunities and signals). Every measurement runs in a fresh child
 * process, so its peak RSS (`process.resourceUsage().maxRSS`) is the measurement's own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  accountStandings,
  closeQuarter,
  computeKpis,
  computePareto,
  computePyramid,
  computeSelection,
  type EntityManager,
  ensureReferenceData,
  loadAccountBase,
  migrateDatabase,
  openOrm,
  systemActor,
  trailingQuarters,
  writeRows,
} from '../packages/domain/src/index.ts';
import { createScratchSchema, dropScratchSchema } from '../packages/domain/src/testing/pg-schema.ts';

const SELF = fileURLToPath(import.meta.url);
const END = '2026-Q2' as const;
const actor = systemActor('bench');

/** A tiny deterministic PRNG (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function simpleSeed(em: EntityManager, accounts: number, quarters: number): Promise<void> {
  const rand = prng(42);
  const now = new Date();
  const base = (n: number) => [now, now, ...(n ? [1] : [])];
  await ensureReferenceData(em, actor);
  await writeRows(
    em,
    'business_unit',
    ['created_at', 'updated_at', 'version', 'code', 'name', 'kind'],
    ['ALPHA', 'BETA', 'GAMMA'].map(c => [...base(1), c, c, 'OFFERING']),
  );
  await writeRows(
    em,
    'person',
    ['created_at', 'updated_at', 'version', 'name', 'email', 'business_unit_id', 'active'],
    Array.from({ length: 50 }, (_, i) => [...base(1), `Person ${i}`, `p${i}@bench.test`, (i % 3) + 1, true]),
  );
  // Accounts 1..n: every 20th a root with children below it (two more levels).
  const accountRows = [];
  for (let i = 1; i <= accounts; i++) {
    const parent = i % 20 <= 1 ? null : i % 20 < 6 ? i - (i % 20) + 1 : i % 20 < 10 ? i - 4 : null;
    accountRows.push([
      ...base(1),
      `ACC-${String(i).padStart(7, '0')}`,
      `Account ${i}`,
      parent,
      null,
      'Industry',
      'DE',
      '2015-01-01',
    ]);
  }
  await writeRows(
    em,
    'account',
    [
      'created_at',
      'updated_at',
      'version',
      'external_ref',
      'name',
      'parent_id',
      'segment_id',
      'industry',
      'country',
      'customer_since',
    ],
    accountRows,
  );
  const qs = trailingQuarters(END, quarters);
  const fin = [];
  const size: number[] = [];
  for (let i = 1; i <= accounts; i++) {
    size[i] = Math.floor(10 ** (2 + rand() * 4));
    const prospect = rand() < 0.1;
    for (const q of qs) {
      if (prospect) continue;
      const units = 1 + Math.floor(rand() * 2);
      for (let u = 1; u <= units; u++) {
        const rev = Math.floor(size[i]! * (0.8 + rand() * 0.4)) * 100;
        fin.push([
          ...base(1),
          i,
          q,
          u,
          rev,
          Math.floor(rev * (0.1 + rand() * 0.4)),
          Math.floor(rev * 0.08),
          rand() < 0.5 ? rev * 2 : null,
          null,
        ]);
      }
    }
  }
  await writeRows(
    em,
    'quarterly_financial',
    [
      'created_at',
      'updated_at',
      'version',
      'account_id',
      'quarter',
      'business_unit_id',
      'revenue',
      'gross_profit',
      'cost_to_serve',
      'potential',
      'price_premium',
    ],
    fin,
  );
  const keys = Array.from({ length: accounts }, (_, i) => i + 1).filter(i => i % 20 === 1);
  await writeRows(
    em,
    'key_account_designation',
    ['created_at', 'updated_at', 'version', 'account_id', 'designated_on', 'review_due_on', 'reason'],
    keys.map(id => [...base(1), id, '2024-04-01', '2026-04-01', 'bench']),
  );
  const scores = () => 1 + Math.floor(rand() * 5);
  await writeRows(
    em,
    'selection_assessment',
    [
      'created_at',
      'updated_at',
      'account_id',
      'assessed_on',
      'market_leadership',
      'innovation_leadership',
      'growth_fit',
      'other_units_potential',
      'loyalty',
      'information_sharing',
      'engagement_desire',
      'buying_basis',
      'sustainable_revenue',
      'defection_influences_others',
    ],
    Array.from({ length: accounts }, (_, i) => i + 1)
      .filter(i => i % 10 === 1)
      .map(id => [
        ...base(0),
        id,
        '2025-06-01',
        scores(),
        scores(),
        scores(),
        scores(),
        scores(),
        scores(),
        scores(),
        scores(),
        true,
        false,
      ]),
  );
  const tiers = ['TIER_4', 'TIER_3', 'TIER_2', 'TIER_1'];
  await writeRows(
    em,
    'tier_assessment',
    ['created_at', 'updated_at', 'version', 'account_id', 'quarter', 'tier', 'evidence'],
    keys.flatMap(id => qs.map(q => [...base(1), id, q, tiers[Math.floor(rand() * 4)], 'bench evidence'])),
  );
  await writeRows(
    em,
    'contact',
    [
      'created_at',
      'updated_at',
      'version',
      'external_ref',
      'account_id',
      'name',
      'function',
      'influence',
      'stance',
      'last_contact_on',
      'counterpart_id',
    ],
    keys.flatMap(id =>
      [0, 1, 2].map(c => [
        ...base(1),
        `C-${id}-${c}`,
        id,
        `Contact ${c}`,
        c === 0 ? 'PROCUREMENT' : 'EXECUTIVE',
        2 + c,
        'NEUTRAL',
        '2026-03-01',
        c === 2 ? 1 : null,
      ]),
    ),
  );
  await writeRows(
    em,
    'team_member',
    ['created_at', 'updated_at', 'version', 'account_id', 'person_id', 'role'],
    keys.map(id => [...base(1), id, (id % 50) + 1, 'KEY_ACCOUNT_MANAGER']),
  );
  await writeRows(
    em,
    'account_plan',
    [
      'created_at',
      'updated_at',
      'version',
      'account_id',
      'year',
      'status',
      'starts_on',
      'ends_on',
      'latest_version_number',
    ],
    keys.map(id => [...base(1), id, 2026, 'DRAFT', '2026-01-01', '2026-12-31', 0]),
  );
  await writeRows(
    em,
    'value_initiative',
    [
      'created_at',
      'updated_at',
      'version',
      'name',
      'account_id',
      'category',
      'phase',
      'customer_gain',
      'supplier_gain',
      'customer_recognised',
      'copied_by_competitor',
      'revision_count',
      'started_on',
    ],
    keys.map(id => [
      ...base(1),
      'Initiative',
      id,
      rand() < 0.5 ? 'PROVEN' : 'PERCEIVED',
      'LIVE_TEST',
      100000,
      50000,
      rand() < 0.5,
      false,
      0,
      '2025-01-01',
    ]),
  );
  await writeRows(
    em,
    'opportunity',
    [
      'created_at',
      'updated_at',
      'version',
      'external_ref',
      'account_id',
      'business_unit_id',
      'name',
      'value',
      'qualified',
      'outcome',
      'decided_on',
    ],
    Array.from({ length: accounts }, (_, i) => {
      const r = rand();
      const outcome = r < 0.3 ? 'WON' : r < 0.5 ? 'LOST' : 'OPEN';
      return [
        ...base(1),
        `O-${i + 1}`,
        i + 1,
        (i % 3) + 1,
        'Deal',
        Math.floor(rand() * 1e6),
        rand() < 0.7,
        outcome,
        outcome === 'OPEN' ? null : '2026-02-01',
      ];
    }),
  );
  await writeRows(
    em,
    'customer_signal',
    [
      'created_at',
      'updated_at',
      'version',
      'external_ref',
      'account_id',
      'kind',
      'occurred_on',
      'quarter',
      'sentiment',
    ],
    Array.from({ length: accounts }, (_, i) => [
      ...base(1),
      `S-${i + 1}`,
      i + 1,
      'FEEDBACK',
      '2026-05-01',
      END,
      rand() < 0.7 ? 'POSITIVE' : 'NEGATIVE',
    ]),
  );
}

async function open(url: string, schema?: string) {
  return openOrm({ url, schema, poolSize: 2 });
}

async function child(
  task: string,
  url: string,
  schema: string | undefined,
  accounts: number,
  quarters: number,
) {
  const orm = await open(url, schema);
  const em = orm.em.fork();
  const t0 = performance.now();
  const out: Record<string, number | string> = {};
  if (task === 'seed') {
    await migrateDatabase(orm);
    const demo = (await import('../packages/domain/src/demo/index.ts')) as Record<string, unknown>;
    if (typeof demo.seedDemoPortfolio === 'function') {
      out.seeder = 'seedDemoPortfolio';
      await (demo.seedDemoPortfolio as (...a: unknown[]) => Promise<unknown>)(
        em,
        { accounts, quarters, seed: 42, endQuarter: END },
        actor,
      );
    } else {
      out.seeder = 'bench loader';
      await em.transactional(tx => simpleSeed(tx, accounts, quarters));
    }
  } else if (task === 'kpis') {
    await computeKpis(em, END);
  } else if (task === 'close') {
    const r = await closeQuarter(em, END, actor);
    out.revision = r.revision;
    out.accounts = r.accounts;
  } else if (task === 'standings') {
    // What the API computes for the accounts filters and fields by pyramid level and quadrant.
    out.accounts = (await accountStandings(em, END)).size;
  } else if (task === 'views') {
    const base = await loadAccountBase(em, END);
    await computePyramid(em, END, { base });
    await computePareto(em, END, 'REVENUE', base);
    await computeSelection(em, END, { base });
  }
  out.ms = Math.round(performance.now() - t0);
  out.maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  await orm.close(true);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function run(task: string, url: string, schema: string | undefined, accounts: number, quarters: number) {
  const args = [
    SELF,
    '--child',
    task,
    '--url',
    url,
    '--accounts',
    String(accounts),
    '--quarters',
    String(quarters),
  ];
  if (schema) args.push('--schema', schema);
  const text = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(text.trim().split('\n').pop()!) as { ms: number; maxRssMiB: number; seeder?: string };
}

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    url: { type: 'string' },
    schema: { type: 'string' },
    accounts: { type: 'string', default: '10000' },
    quarters: { type: 'string', default: '8' },
    sizes: { type: 'string', default: '10000,30000,100000' },
    'skip-pg': { type: 'boolean', default: false },
  },
});

if (values.child) {
  await child(values.child, values.url!, values.schema, Number(values.accounts), Number(values.quarters));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'kam-bench-'));
  const lines: string[] = [];
  const log = (s: string) => {
    console.error(s);
    lines.push(s);
  };
  log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}`,
  );
  log('');
  log('| database | accounts × quarters | step | time | peak RSS |');
  log('|---|---|---|---|---|');
  const row = (db: string, n: number, q: number, step: string, r: { ms: number; maxRssMiB: number }) =>
    log(
      `| ${db} | ${n.toLocaleString('en')} × ${q} | ${step} | ${(r.ms / 1000).toFixed(2)} s | ${r.maxRssMiB} MiB |`,
    );
  try {
    const n = Number(values.accounts);
    const q = Number(values.quarters);
    const file = join(dir, `close-${n}.sqlite`);
    const seed = run('seed', file, undefined, n, q);
    row('SQLite', n, q, `seed (${seed.seeder})`, seed);
    row('SQLite', n, q, 'computeKpis (8 trend quarters)', run('kpis', file, undefined, n, q));
    row('SQLite', n, q, 'closeQuarter (revision 1)', run('close', file, undefined, n, q));
    row('SQLite', n, q, 'closeQuarter (revision 2)', run('close', file, undefined, n, q));
    row(
      'SQLite',
      n,
      q,
      'accountStandings (pyramid level and quadrant of every account)',
      run('standings', file, undefined, n, q),
    );
    if (!values['skip-pg']) {
      const pg = process.env.KAM_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
      const schema = await createScratchSchema(pg, 'kam_bench');
      try {
        row('PostgreSQL', n, q, `seed (${run('seed', pg, schema, n, q).seeder})`, { ms: 0, maxRssMiB: 0 });
        row('PostgreSQL', n, q, 'computeKpis (8 trend quarters)', run('kpis', pg, schema, n, q));
        row('PostgreSQL', n, q, 'closeQuarter (revision 1)', run('close', pg, schema, n, q));
        row(
          'PostgreSQL',
          n,
          q,
          'accountStandings (pyramid level and quadrant of every account)',
          run('standings', pg, schema, n, q),
        );
      } finally {
        await dropScratchSchema(pg, schema);
      }
    }
    for (const size of values.sizes.split(',').map(Number)) {
      const f = join(dir, `views-${size}.sqlite`);
      run('seed', f, undefined, size, q);
      row('SQLite', size, q, 'pyramid + Pareto + selection', run('views', f, undefined, size, q));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(lines.join('\n'));
}
