/**
 * Demo generator benchmark (foundation issue): loads the demo portfolio with 8 quarters of
 * financials into a fresh SQLite file (WAL, synchronous FULL) and reports wall time, rows
 * written per second and peak RSS. Target: 100,000 accounts × 8 quarters in under 2 minutes.
 *
 *   node bench/seed.ts                  # 10,000 and 100,000 accounts
 *   node bench/seed.ts --accounts 30000
 */
import { mkdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrateDatabase, openOrm, seedDemoPortfolio, systemActor } from '../packages/domain/src/index.ts';

const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const { values } = parseArgs({ options: { accounts: { type: 'string' } } });
const sizes = values.accounts ? [Number(values.accounts)] : [10_000, 100_000];

const lines = [
  '| Accounts × quarters | Key accounts | Rows written (incl. audit) | Time | Rows/s | Peak RSS so far |',
  '| --- | --- | --- | --- | --- | --- |',
];
mkdirSync(OUT, { recursive: true });
for (const accounts of sizes) {
  const file = join(OUT, `seed-${accounts}.sqlite`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const orm = await openOrm({ url: file });
  await migrateDatabase(orm);
  const started = performance.now();
  const report = await seedDemoPortfolio(
    orm.em.fork(),
    { accounts, quarters: 8, seed: 42, endQuarter: '2026-Q3' },
    systemActor('bench'),
  );
  const seconds = (performance.now() - started) / 1000;
  await orm.close(true);
  const rows = Object.values(report.rows).reduce((sum, n) => sum + n, 0);
  lines.push(
    `| ${accounts.toLocaleString('en')} × 8 | ${report.keyAccounts.toLocaleString('en')} | ${rows.toLocaleString('en')} (${report.financialRows.toLocaleString('en')} financial) | ${seconds.toFixed(1)} s | ${Math.round(rows / seconds).toLocaleString('en')} | ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB |`,
  );
  console.error(lines.at(-1));
}
console.log(
  `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, SQLite file (WAL, synchronous FULL).\n`,
);
console.log(lines.join('\n'));
