/**
 * CSV import benchmark (issue 6): writes a 1,000,000-row accounts CSV, runs
 * `kam migrate` and `kam import accounts FILE.csv` as child processes on a fresh SQLite file,
 * and reports wall time, rows per second and the importer's peak RSS (from /proc, sampled
 * every 100 ms), then `kam export accounts` and whether the round trip gives the same file.
 *
 *   node bench/import.ts [--rows 1000000]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const OUT = process.env.KAM_BENCH_OUT ?? join(REPO, 'bench/out');
const CLI = join(REPO, 'packages/api/src/cli/main.ts');
const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } });
const rows = Number(values.rows);

mkdirSync(OUT, { recursive: true });
const csv = join(OUT, `accounts-${rows}.csv`);
const database = join(OUT, `import-${rows}.sqlite`);
for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });

const INDUSTRIES = ['Manufacturing', 'Chemicals', 'Retail', 'Logistics', 'Energy'];
const COUNTRIES = ['DE', 'SE', 'ES', 'NL', 'FR', 'IT', 'GB'];
await new Promise<void>((resolve, reject) => {
  const out = createWriteStream(csv);
  out.on('error', reject);
  out.write('externalRef,name,parentRef,segmentCode,industry,country,customerSince\n');
  // In the order `kam export` writes (parents, then their children, each by reference), so that
  // the round trip can be compared byte for byte. Every 50th account is the child of the one before.
  const isChild = (i: number) => i % 50 === 1;
  const order = [
    ...Array.from({ length: rows }, (_, i) => i).filter(i => !isChild(i)),
    ...Array.from({ length: rows }, (_, i) => i).filter(isChild),
  ];
  let k = 0;
  const write = () => {
    let ok = true;
    while (k < order.length && ok) {
      const i = order[k] as number;
      const parent = isChild(i) ? `IMP-${String(i - 1).padStart(7, '0')}` : '';
      const name = i % 7 === 0 ? `"Company ""${i}"", Holding"` : `Company ${i}`;
      ok = out.write(
        `IMP-${String(i).padStart(7, '0')},${name},${parent},,${INDUSTRIES[i % 5]},${COUNTRIES[i % 7]},2019-0${(i % 9) + 1}-15\n`,
      );
      k += 1;
    }
    if (k < order.length) out.once('drain', write);
    else out.end(resolve);
  };
  write();
});

function run(args: string[]): Promise<{ ms: number; peakMb: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, DATABASE_URL: database },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    let peak = 0;
    const timer = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peak = Math.max(peak, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      } catch {}
    }, 100);
    child.on('error', reject);
    child.on('exit', code => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`kam ${args.join(' ')} exited with ${code}`));
      else resolve({ ms: performance.now() - started, peakMb: peak, stdout });
    });
  });
}

await run(['migrate']);
const imported = await run(['import', 'accounts', csv]);
const exported = join(OUT, `accounts-${rows}-export.csv`);
const exportRun = await run(['export', 'accounts', '--out', exported]);
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const same = digest(csv) === digest(exported);
console.log(
  `Node ${process.version}; ${rows.toLocaleString('en')} rows, ${(statSync(csv).size / 2 ** 20).toFixed(0)} MiB CSV, SQLite.\n`,
);
console.log('| Step | Time | Rows/s | Peak RSS |');
console.log('| --- | --- | --- | --- |');
console.log(
  `| kam import accounts | ${(imported.ms / 1000).toFixed(1)} s | ${Math.round(rows / (imported.ms / 1000)).toLocaleString('en')} | ${imported.peakMb.toFixed(0)} MB |`,
);
console.log(
  `| kam export accounts | ${(exportRun.ms / 1000).toFixed(1)} s | ${Math.round(rows / (exportRun.ms / 1000)).toLocaleString('en')} | ${exportRun.peakMb.toFixed(0)} MB |`,
);
console.log(`\nRound trip identical: ${same ? 'yes' : 'no'}.`);
console.log(imported.stdout.trim().split('\n').at(-1));
