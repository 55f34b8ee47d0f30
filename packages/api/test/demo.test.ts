/**
 * The README's first command, end to end: `kam demo --no-serve` on a fresh SQLite file
 * (migrations, demo portfolio, every quarter closed, both report sites built in process),
 * then `kam seed demo` refusing a database that already holds data. SQLite only: the demo
 * is the embedded default.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { testDialect } from '@kam/domain/testing';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

describe.runIf(testDialect() === 'sqlite')('kam demo', () => {
  it('sets up a fresh database, closes every quarter and builds both sites', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-demo-'));
    const database = path.join(dir, 'demo.sqlite');
    const out = path.join(dir, 'reports');
    // The lock of a report build that was killed is part of a report folder, not a stray file.
    mkdirSync(path.join(out, '.kam-build.lock'), { recursive: true });
    const { stdout } = await run(
      process.execPath,
      [
        CLI,
        'demo',
        '--no-serve',
        '--accounts',
        '300',
        '--quarters',
        '4',
        '--end-quarter',
        '2026-Q3',
        '--report-quarters',
        '1',
        '--database',
        database,
        '--out',
        out,
      ],
      { cwd: dir, timeout: 240_000, env: { ...process.env, KAM_LOG_LEVEL: 'warn' } },
    );
    expect(stdout).toMatch(/Closing 4 quarters/);
    expect(stdout).toMatch(/Demo token \(ADMIN\): kam_/);
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
    expect(existsSync(path.join(out, '2026-Q3', 'kpi', 'index.html'))).toBe(true);
    const accounts = readdirSync(path.join(out, '2026-Q3', 'journey', 'accounts'));
    expect(accounts.length).toBeGreaterThan(15);

    // The demo database now holds data: seeding it again is refused with a clear line.
    const again = await run(process.execPath, [CLI, 'seed', 'demo', '--accounts', '50'], {
      cwd: dir,
      env: { ...process.env, DATABASE_URL: database },
    }).catch((error: { code: number; stderr: string }) => error);
    expect((again as { code: number }).code).toBe(1);
    expect((again as { stderr: string }).stderr).toMatch(/^kam: DEMO_DATABASE_NOT_EMPTY: .*empty database/);

    // A report build that fails says why once, then that it failed.
    const missing = await run(
      process.execPath,
      [CLI, 'report', 'build', '--quarter', '2026-Q3', '--revision', '9', '--site', 'kpi', '--out', out],
      { cwd: dir, env: { ...process.env, DATABASE_URL: database } },
    ).catch((error: { code: number; stderr: string }) => error);
    expect((missing as { code: number }).code).toBe(1);
    const stderr = (missing as { stderr: string }).stderr;
    expect(stderr.match(/2026-Q3 has no revision 9/g)).toHaveLength(1);
    expect(stderr).toMatch(/kam: The report build failed \(exit code 1; its error is above\)\.\n$/);
  }, 300_000);

  it('refuses an end quarter that has not ended, before it creates anything', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-demo-'));
    const database = path.join(dir, 'demo.sqlite');
    const failed = await run(
      process.execPath,
      [CLI, 'demo', '--no-serve', '--end-quarter', '2999-Q1', '--database', database],
      { cwd: dir, env: { ...process.env, KAM_LOG_LEVEL: 'warn' } },
    ).catch((error: { code: number; stderr: string }) => error);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toMatch(
      /^kam: --end-quarter must be a quarter that has ended \(the latest is \d{4}-Q[1-4]\); got 2999-Q1\./,
    );
    expect(existsSync(database)).toBe(false);
  });

  it('refuses to empty an --out folder that holds anything but report sites, before it creates anything', async () => {
    // `kam demo --out .` (or a folder of one's own) used to delete the whole folder, recursively.
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-demo-'));
    const database = path.join(dir, 'db', 'demo.sqlite');
    const out = path.join(dir, 'mine');
    mkdirSync(path.join(out, '2026-Q3'), { recursive: true });
    writeFileSync(path.join(out, 'index.html'), '<p>archive</p>');
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const args = ['demo', '--no-serve', '--accounts', '10', '--quarters', '1', '--report-quarters', '0'];
    const failed = await run(process.execPath, [CLI, ...args, '--database', database, '--out', out], {
      cwd: dir,
      env: { ...process.env, KAM_LOG_LEVEL: 'warn' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toBe(
      `kam: --out ${out} holds files that are not report sites (notes.txt); the demo empties its report folder before it builds, so give it a folder of its own.\n`,
    );
    expect(readdirSync(out).sort()).toEqual(['2026-Q3', 'index.html', 'notes.txt']);
    expect(existsSync(database)).toBe(false);
  });
  it('serves on KAM_HOST and KAM_PORT unless told otherwise, and refuses a taken port before it builds', async () => {
    // It served on 127.0.0.1:4000 whatever the environment said, and found a taken port only
    // after seeding, closing and building everything.
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as { port: number }).port;
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'kam-demo-'));
      const database = path.join(dir, 'demo.sqlite');
      const args = ['demo', '--accounts', '10', '--quarters', '1', '--report-quarters', '0'];
      for (const [extra, env] of [
        [[], { KAM_HOST: '127.0.0.1', KAM_PORT: String(port) }],
        [['--port', String(port)], { KAM_PORT: '1' }],
      ] as const) {
        const failed = await run(process.execPath, [CLI, ...args, ...extra, '--database', database], {
          cwd: dir,
          env: { ...process.env, KAM_LOG_LEVEL: 'warn', ...env },
          timeout: 60_000,
        }).catch((error: { code: number; stderr: string }) => error);
        expect((failed as { code: number }).code).toBe(1);
        expect((failed as { stderr: string }).stderr).toBe(
          `kam: Cannot listen on 127.0.0.1:${port}: another process already uses this port. Stop it, or choose another port (--port).\n`,
        );
        expect(existsSync(database)).toBe(false);
      }
    } finally {
      taken.close();
    }
  });

  it('refuses to delete a --database that is not a SQLite file, before it touches anything', async () => {
    // The demo deletes its database first: `--database notes.txt` (or a path slipped into the
    // wrong option) used to delete that file, whatever it held.
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-demo-'));
    const notes = path.join(dir, 'notes.txt');
    writeFileSync(notes, 'mine, not a database');
    const out = path.join(dir, 'reports');
    const args = ['demo', '--no-serve', '--accounts', '10', '--quarters', '1', '--report-quarters', '0'];
    const failed = await run(process.execPath, [CLI, ...args, '--database', notes, '--out', out], {
      cwd: dir,
      env: { ...process.env, KAM_LOG_LEVEL: 'warn' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toBe(
      `kam: --database ${notes} is not a SQLite database; the demo deletes and recreates its database, so give it a file of its own (or one that does not exist yet).\n`,
    );
    expect(readFileSync(notes, 'utf8')).toBe('mine, not a database');
    expect(readdirSync(dir).sort()).toEqual(['notes.txt']);
  });
});
