/**
 * The paths and values given to `kam` on the command line, as `pnpm kam` runs it: in the
 * workspace root, with INIT_CWD the folder the user ran it in. A command that writes runs in a
 * child process whose working folder (`root`) must stay empty: nothing is resolved from there.
 * Refusals said before anything is written run in this process, from the same user folder.
 * SQLite only: the command line on its own database file.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBusinessUnit, openOrm, systemActor } from '@kam/domain';
import { testDialect } from '@kam/domain/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliOn, type KamRun, kamProcess } from './cli.ts';
import { startApi } from './harness.ts';

const QUARTER = '2026-Q1';
/** A report build that fails prints its error, then this. */
const BUILD_FAILED = 'kam: The report build failed (exit code 1; its error is above).';

describe.runIf(testDialect() === 'sqlite')('paths and values on the kam command line', () => {
  // `root` stands for the workspace root pnpm runs `kam` in, `user` for the folder the user is in.
  let root: string;
  let user: string;
  let database: string;
  const kam = (args: string[], env: Record<string, string> = {}, timeoutMs?: number): Promise<KamRun> =>
    kamProcess(args, {
      cwd: root,
      initCwd: user,
      env: { DATABASE_URL: database, ...env },
      // Generous: a loaded machine starts Node slowly. A command that hangs is still caught.
      timeoutMs: timeoutMs ?? 180_000,
    });

  /** `kam …` in this process, run from `user`: for what is refused before anything is written. */
  async function kamHere(args: string[]): Promise<KamRun> {
    const cli = cliOn(database, { invokedIn: user });
    try {
      const code = await cli.kam(...args);
      const lines = (printed: string[]) => printed.map(line => `${line}\n`).join('');
      return { code, stdout: lines(cli.out), stderr: lines(cli.errors) };
    } finally {
      cli.restore();
    }
  }

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-cli-paths-'));
    root = path.join(dir, 'root');
    user = path.join(dir, 'user');
    mkdirSync(root);
    mkdirSync(user);
    database = path.join(dir, 'kam.sqlite');
    const cli = cliOn(database);
    try {
      expect(await cli.kam('migrate')).toBe(0);
      const seed = ['seed', 'demo', '--accounts', '10', '--quarters', '1', '--end-quarter', QUARTER];
      expect(await cli.kam(...seed)).toBe(0);
      expect(await cli.kam('close-quarter', QUARTER)).toBe(0);
    } finally {
      cli.restore();
    }
  });

  it('refuses an empty path, as `--out $OUTDIR` with OUTDIR unset gives, saying what to give', async () => {
    // `report build --out ""` published into the folder kam ran in, and exited 0.
    writeFileSync(path.join(user, 'empty-test.csv'), 'externalRef,name\nE-1,Empty\n');
    // In a child process: were it not refused, the build would publish where it runs.
    for (const out of ['', '  ']) {
      expect(await kam(['report', 'build', '--quarter', QUARTER, '--out', out])).toEqual({
        code: 1,
        stdout: '',
        stderr: 'kam: --out is empty; give the folder the report sites are published in.\n',
      });
    }
    const cases: [string[], string][] = [
      [
        ['export', 'accounts', '--out', ''],
        '--out is empty; give the file to write, or leave the option out for standard output.',
      ],
      [['import', 'accounts', ''], "The CSV file's path is empty; give the CSV file to import."],
      [
        ['import', 'accounts', 'empty-test.csv', '--errors', ''],
        '--errors is empty; give the file to write the rejected rows to, or leave the option out.',
      ],
      [['backup', '--out', ''], '--out is empty; give the path of the backup file to create.'],
      [['restore', ''], 'The backup file is empty; give the path of a file made by kam backup.'],
      [
        ['demo', '--no-serve', '--out', ''],
        '--out is empty; give the folder the report sites are published in, or leave the option out for ./data/reports.',
      ],
      [
        ['demo', '--no-serve', '--database', ''],
        '--database is empty; give the demo database file, or leave the option out for ./data/demo.sqlite.',
      ],
    ];
    for (const [args, message] of cases) {
      expect(await kamHere(args), args.join(' ')).toEqual({
        code: 1,
        stdout: '',
        stderr: `kam: ${message}\n`,
      });
    }
    expect(readdirSync(root)).toEqual([]);
    expect(readdirSync(user)).toEqual(['empty-test.csv']);
  }, 600_000);

  it('takes a relative path from the folder kam was run in, and names it in full', async () => {
    const at = (name: string) => path.join(user, name);
    writeFileSync(at('accounts.csv'), 'externalRef,name\nR-1,Relative\nR-2,\n');
    const imported = await kam([
      'import',
      'accounts',
      'accounts.csv',
      '--mode',
      'PARTIAL',
      '--errors',
      'errs.csv',
    ]);
    expect(imported.stderr).toMatch(/line 3 name: REQUIRED/);
    expect(imported.code).toBe(2);
    expect(readFileSync(at('errs.csv'), 'utf8')).toMatch(/^line,field,code,message\n3,name,REQUIRED,/);

    const exported = await kam(['export', 'accounts', '--out', 'accounts-out.csv']);
    expect(exported.stderr).toMatch(
      new RegExp(`^Exported \\d+ accounts row\\(s\\) to ${at('accounts-out.csv')} `),
    );
    expect(readFileSync(at('accounts-out.csv'), 'utf8')).toMatch(/\nR-1,Relative,/);

    const backup = await kam(['backup', '--out', 'backup.sqlite']);
    expect(backup.stdout).toMatch(new RegExp(`^Backup written to ${at('backup.sqlite')}: `));
    const restored = path.join(path.dirname(user), 'restored.sqlite');
    const restore = await kam(['restore', 'backup.sqlite'], { DATABASE_URL: restored });
    expect(restore.stdout).toMatch(new RegExp(`^Restored \\d+ pages from ${at('backup.sqlite')} into `));
    expect(existsSync(restored)).toBe(true);

    // A file where the sites would go: refused, by its full path, before any data is read.
    writeFileSync(at('afile'), 'mine');
    const onFile = await kam(['report', 'build', '--quarter', QUARTER, '--site', 'kpi', '--out', 'afile']);
    expect(onFile.code).toBe(1);
    expect(onFile.stderr).toBe(
      `--out ${at('afile')} is a file, not a folder; give the folder the report sites are published in.\n${BUILD_FAILED}\n`,
    );
    mkdirSync(at('mine'));
    writeFileSync(at('mine/notes.txt'), 'mine');
    const demo = await kam([
      'demo',
      '--no-serve',
      '--accounts',
      '10',
      '--quarters',
      '1',
      '--report-quarters',
      '0',
      '--database',
      'demo.sqlite',
      '--out',
      'mine',
    ]);
    expect(demo.stderr).toBe(
      `kam: --out ${at('mine')} holds files that are not report sites (notes.txt); the demo empties its report folder before it builds, so give it a folder of its own.\n`,
    );
    expect(readdirSync(root)).toEqual([]);
  }, 900_000);

  it('builds the sites into a relative --out, and builds into it again', async () => {
    // `cd bench/out && pnpm kam report build --out conc` wrote <workspace>/conc.
    const first = await kam(
      ['report', 'build', '--quarter', QUARTER, '--site', 'kpi', '--out', 'sites'],
      {},
      240_000,
    );
    expect(first.code, first.stderr).toBe(0);
    const sites = path.join(user, 'sites');
    expect(first.stdout).toContain(`${QUARTER} revision 1; archive: ${path.join(sites, 'index.html')}`);
    // The archive page is the build's own: the next build replaces it.
    const second = await kam(
      ['report', 'build', '--quarter', QUARTER, '--site', 'journey', '--out', 'sites'],
      {},
      240_000,
    );
    expect(second.code, second.stderr).toBe(0);
    expect(readdirSync(path.join(sites, QUARTER)).sort()).toEqual([
      'index.html',
      'journey',
      'kpi',
      'manifest.json',
    ]);
    expect(readFileSync(path.join(sites, 'index.html'), 'utf8')).toContain(
      `<a href="${QUARTER}/journey/index.html">`,
    );
    expect(readdirSync(root)).toEqual([]);
  }, 600_000);

  it('does not replace an index.html that it did not write, and writes nothing', async () => {
    // The user's own home page in --out became the archive page, and the build exited 0.
    const own = path.join(user, 'home');
    mkdirSync(own);
    writeFileSync(path.join(own, 'index.html'), '<h1>MY OWN HOME PAGE</h1>\n');
    const run = await kam(
      ['report', 'build', '--quarter', QUARTER, '--site', 'kpi', '--out', 'home'],
      {},
      240_000,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `--out ${own}: ${path.join(own, 'index.html')} was not written by the report build, which would replace it. Give the report sites a folder of their own, or move the file away; nothing was written.\n${BUILD_FAILED}\n`,
    );
    expect(readdirSync(own)).toEqual(['index.html']);
    expect(readFileSync(path.join(own, 'index.html'), 'utf8')).toBe('<h1>MY OWN HOME PAGE</h1>\n');
  }, 400_000);

  it('never repeats a password given in KAM_API_URL, and refuses credentials in the URL', async () => {
    const out = path.join(user, 'api-sites');
    const build = (url: string) =>
      kam(['report', 'build', '--quarter', QUARTER, '--site', 'kpi', '--out', out], {
        KAM_API_URL: url,
        KAM_API_TOKEN: 'kam_token',
      });
    const ftp = await build('ftp://user:hunter2@127.0.0.1/graphql');
    const http = await build('http://user:secret@127.0.0.1:4199/graphql');
    expect(ftp.code).toBe(1);
    expect(ftp.stderr).toContain(
      `must be the http(s) URL of the API's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql; got "ftp://user:***@127.0.0.1/graphql"`,
    );
    expect(http.code).toBe(1);
    expect(http.stderr).toContain(
      'must not hold a user name or password: put the token in KAM_API_TOKEN, not in the URL; got "http://user:***@127.0.0.1:4199/graphql"',
    );
    for (const run of [ftp, http]) expect(run.stderr).not.toMatch(/hunter2|secret/);
    expect(existsSync(out)).toBe(false);
  }, 300_000);

  it('takes numbers written in decimal digits only', async () => {
    // `--revision 0x1` was read as revision 1.
    const out = path.join(user, 'numbers');
    const cases: [string[], string][] = [
      [
        ['report', 'build', '--quarter', QUARTER, '--revision', '0x1', '--out', out],
        '--revision must be a whole number from 1, written in digits; got "0x1".',
      ],
      [
        ['report', 'build', '--quarter', QUARTER, '--revision', '1e0', '--out', out],
        '--revision must be a whole number from 1, written in digits; got "1e0".',
      ],
      [
        ['report', 'build', '--quarter', QUARTER, '--revision', ' 1', '--out', out],
        '--revision must be a whole number from 1, written in digits; got " 1".',
      ],
      [
        ['import', 'accounts', path.join(user, 'accounts.csv'), '--batch', '0x10'],
        '--batch must be a whole number from 1 to 10000, written in digits; got "0x10".',
      ],
      [
        ['seed', 'demo', '--accounts', '1e2'],
        '--accounts must be a whole number from 10 to 1000000, written in digits; got "1e2".',
      ],
    ];
    writeFileSync(path.join(user, 'accounts.csv'), 'externalRef,name\nN-1,Number\n');
    for (const [args, message] of cases) {
      expect(await kamHere(args), args.join(' ')).toEqual({
        code: 1,
        stdout: '',
        stderr: `kam: ${message}\n`,
      });
    }
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('says that a quarter has blanks around it, rather than that kam has no such quarter', async () => {
    const report = await kamHere([
      'report',
      'build',
      '--quarter',
      `${QUARTER} `,
      '--out',
      path.join(user, 'blanks'),
    ]);
    const close = await kamHere(['close-quarter', ` ${QUARTER}`]);
    expect(report).toEqual({
      code: 1,
      stdout: '',
      stderr: `kam: INVALID_QUARTER: --quarter must be written without the blanks around it: ${QUARTER}; got "${QUARTER} ".\n`,
    });
    expect(close.stderr).toBe(
      `kam: INVALID_QUARTER: quarter must be written without the blanks around it: ${QUARTER}; got " ${QUARTER}".\n`,
    );
    // The API's Quarter scalar says the same.
    const api = await startApi();
    try {
      const { secret } = await api.token('ADMIN');
      const res = await api.gql(
        'query($q: Quarter!) { analytics(quarter: $q) { kpis { code } } }',
        { q: ` ${QUARTER}` },
        secret,
      );
      expect(res.body.errors?.[0]?.message).toContain(
        `Quarter must be written without the blanks around it: ${QUARTER}; got " ${QUARTER}".`,
      );
    } finally {
      await api.close();
    }
  }, 60_000);

  it.runIf(existsSync('/proc/self'))(
    'says when a folder cannot be created, where Node would try for ever (/proc)',
    async () => {
      // `--out /proc/kamtest` hung: Node's recursive mkdir loops there (ENOENT, then EEXIST).
      const advice = '/proc does not take new folders';
      const report = await kam(['report', 'build', '--quarter', QUARTER, '--out', '/proc/kamtest/sites']);
      const migrate = await kam(['migrate'], { DATABASE_URL: '/proc/kamtest/kam.sqlite' });
      const demo = await kam([
        'demo',
        '--no-serve',
        '--accounts',
        '10',
        '--quarters',
        '1',
        '--report-quarters',
        '0',
        '--database',
        path.join(user, 'proc-demo.sqlite'),
        '--out',
        '/proc/kamtest/reports',
      ]);
      expect(report).toEqual({
        code: 1,
        stdout: '',
        stderr: `Cannot create the folder /proc/kamtest: ${advice}; choose another place for --out.\n${BUILD_FAILED}\n`,
      });
      expect(migrate).toEqual({
        code: 1,
        stdout: '',
        stderr: `kam: Cannot create the folder /proc/kamtest: ${advice}; check DATABASE_URL.\n`,
      });
      expect(demo.code).toBe(1);
      expect(demo.stderr).toBe(
        `kam: Cannot create the folder /proc/kamtest: ${advice}; choose another place for --out.\n`,
      );
    },
    600_000,
  );
});

describe.runIf(testDialect() === 'sqlite')('kam person add --business-unit', () => {
  it('says how to find the business unit codes when the one given is not one', async () => {
    const database = path.join(mkdtempSync(path.join(tmpdir(), 'kam-person-unit-')), 'kam.sqlite');
    const cli = cliOn(database);
    const add = async (email: string, unit: string) => {
      cli.errors.length = 0;
      const code = await cli.kam('person', 'add', '--name', 'Pat', '--email', email, '--business-unit', unit);
      return { code, errors: [...cli.errors] };
    };
    try {
      expect(await cli.kam('migrate')).toBe(0);
      // Was only "No business unit has code NOPE." in every case.
      expect(await add('a@example.test', 'NOPE')).toEqual({
        code: 1,
        errors: [
          'kam: No business unit has code NOPE: there are no business units yet. Create it first (the createBusinessUnit mutation of the GraphQL API), or leave out --business-unit.',
        ],
      });
      const orm = await openOrm({ url: database });
      try {
        for (const code of ['SVC', 'EMEA'])
          await createBusinessUnit(
            orm.em.fork(),
            { code, name: code, kind: 'GEOGRAPHY' },
            systemActor('test'),
          );
      } finally {
        await orm.close(true);
      }
      expect(await add('a@example.test', 'NOPE')).toEqual({
        code: 1,
        errors: [
          'kam: No business unit has code NOPE; codes are matched exactly, capitals included. The business unit codes are EMEA, SVC.',
        ],
      });
      expect(await add('a@example.test', 'emea')).toEqual({
        code: 1,
        errors: [
          'kam: No business unit has code emea; codes are matched exactly, capitals included: did you mean EMEA?',
        ],
      });
      expect(await add('a@example.test', 'EMEA')).toEqual({ code: 0, errors: [] });
    } finally {
      cli.restore();
    }
  });
});
