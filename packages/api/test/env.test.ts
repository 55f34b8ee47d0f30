import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openOrm } from '@kam/domain';
import { dropScratchDatabase, testDialect } from '@kam/domain/testing';
import { describe, expect, it } from 'vitest';
import { listenEnvFrom } from '../src/cli/options.ts';
import { parseEnv } from '../src/env.ts';
import { cliOn } from './cli.ts';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

describe('the environment', () => {
  it('takes a SQLite path, a sqlite: URL or a postgres:// URL as DATABASE_URL', () => {
    for (const url of [
      './data/kam.sqlite',
      '/var/lib/kam/kam.sqlite',
      ':memory:',
      'sqlite://./data/kam.sqlite',
      'postgres://kam@127.0.0.1:5432/kam',
      'postgresql://kam@db/kam',
    ]) {
      expect(parseEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    }
    expect(parseEnv({}).DATABASE_URL).toBe('./data/kam.sqlite');
  });

  it('refuses a URL of a database kam does not run on, instead of making a file of that name', () => {
    expect(() => parseEnv({ DATABASE_URL: 'mysql://root@127.0.0.1/kam' })).toThrow(
      'Invalid configuration:\n  DATABASE_URL: mysql:// is not a database kam runs on; give a SQLite file path (e.g. ./data/kam.sqlite) or a postgres://user@host:5432/db URL',
    );
    expect(() => parseEnv({ DATABASE_URL: '' })).toThrow(
      /DATABASE_URL: must be a SQLite file path or a postgres:\/\/ URL/,
    );
  });

  it('names each bad variable and what it accepts', () => {
    expect(() => parseEnv({ KAM_PORT: '99999', KAM_ENV: 'staging', KAM_LOG_LEVEL: 'verbose' })).toThrow(
      'Invalid configuration:\n' +
        '  KAM_PORT: must be a port number, 0 to 65535; got "99999"\n' +
        '  KAM_ENV: must be development, production or test; got "staging"\n' +
        '  KAM_LOG_LEVEL: must be fatal, error, warn, info, debug, trace or silent; got "verbose"',
    );
    // A database URL may carry a password: its value is not repeated.
    expect(() => parseEnv({ DATABASE_URL: 'mysql://root:s3cret@db/kam' })).toThrow(/^(?!.*s3cret)/s);
  });
});

describe('a number out of its range', () => {
  it('is told its range in words, with its unit (not zod\'s "Too small: expected number to be >=1")', () => {
    for (const [name, value, says] of [
      ['KAM_DB_POOL', '0', 'must be 1 to 100 connections'],
      ['KAM_DB_POOL', '101', 'must be 1 to 100 connections'],
      ['KAM_MAX_BULK_ROWS', '0', 'must be 1 to 100,000 rows'],
      ['KAM_MAX_BODY_BYTES', '1000', 'must be 1,024 to 100,000,000 bytes'],
      ['KAM_SHUTDOWN_GRACE', '601', 'must be 0 to 600 seconds'],
    ] as const) {
      expect(() => parseEnv({ [name]: value }), `${name}=${value}`).toThrow(
        `Invalid configuration:\n  ${name}: ${says}; got "${value}"`,
      );
    }
  });
});

describe('an empty number in the environment', () => {
  it('is refused with its variable, not read as 0 (KAM_PORT= listened on a random port)', () => {
    // `KAM_PORT=${PORT}` with PORT unset, in a shell or a compose file, gives an empty value:
    // Number('') is 0, so kam served on a random port, drained for 0 s and let V8 size the heap.
    for (const name of [
      'KAM_PORT',
      'KAM_MAX_BULK_ROWS',
      'KAM_MAX_BODY_BYTES',
      'KAM_DB_POOL',
      'KAM_MAX_HEAP_MB',
      'KAM_SHUTDOWN_GRACE',
    ]) {
      for (const value of ['', ' ']) {
        expect(() => parseEnv({ [name]: value }), `${name}=${JSON.stringify(value)}`).toThrow(
          `Invalid configuration:\n  ${name}: is empty; give a number or leave the variable unset for the default; got ${JSON.stringify(value)}`,
        );
      }
    }
    expect(parseEnv({ KAM_PORT: '0', KAM_SHUTDOWN_GRACE: '0', KAM_MAX_HEAP_MB: '0' })).toMatchObject({
      KAM_PORT: 0,
      KAM_SHUTDOWN_GRACE: 0,
      KAM_MAX_HEAP_MB: 0,
    });
    expect(parseEnv({})).toMatchObject({ KAM_PORT: 4000, KAM_SHUTDOWN_GRACE: 20, KAM_MAX_BULK_ROWS: 10_000 });
  });
});

describe('a number in the environment', () => {
  it('is written in decimal digits, or refused with its variable and value (KAM_PORT=0x10 listened on 16)', () => {
    // z.coerce.number read hex, exponents, signs and surrounding blanks: 0x10 → 16, 1e3 → 1000.
    for (const value of ['0x10', '1e3', ' 4107', '4107 ', '+4107', '4107.0', '0b11', '4_107']) {
      expect(() => parseEnv({ KAM_PORT: value }), JSON.stringify(value)).toThrow(
        `Invalid configuration:\n  KAM_PORT: must be a port number written in digits, 0 to 65535; got ${JSON.stringify(value)}`,
      );
    }
    for (const [name, says] of [
      ['KAM_MAX_BULK_ROWS', 'must be a whole number written in digits'],
      ['KAM_MAX_BODY_BYTES', 'must be a whole number written in digits'],
      ['KAM_DB_POOL', 'must be a whole number written in digits'],
      ['KAM_MAX_HEAP_MB', 'must be a number of megabytes written in digits'],
    ] as const) {
      for (const value of ['0x10', '1e3', ' 20', '20 ', '+20']) {
        expect(() => parseEnv({ [name]: value }), `${name}=${JSON.stringify(value)}`).toThrow(
          `Invalid configuration:\n  ${name}: ${says}; got ${JSON.stringify(value)}`,
        );
      }
    }
    for (const value of ['0x10', '1e1', ' 5', '5 ', '+5', '.5', '5.']) {
      expect(() => parseEnv({ KAM_SHUTDOWN_GRACE: value }), JSON.stringify(value)).toThrow(
        `Invalid configuration:\n  KAM_SHUTDOWN_GRACE: must be a number of seconds written in digits, e.g. 20 or 2.5; got ${JSON.stringify(value)}`,
      );
    }
    expect(
      parseEnv({
        KAM_PORT: '4107',
        KAM_MAX_BULK_ROWS: '500',
        KAM_MAX_BODY_BYTES: '65536',
        KAM_DB_POOL: '4',
        KAM_MAX_HEAP_MB: '768',
        KAM_SHUTDOWN_GRACE: '2.5',
      }),
    ).toMatchObject({
      KAM_PORT: 4107,
      KAM_MAX_BULK_ROWS: 500,
      KAM_MAX_BODY_BYTES: 65536,
      KAM_DB_POOL: 4,
      KAM_MAX_HEAP_MB: 768,
      KAM_SHUTDOWN_GRACE: 2.5,
    });
  });
});

describe('--host and --port of kam serve and kam demo', () => {
  it('override KAM_HOST and KAM_PORT, and leave them alone when not given', () => {
    expect(listenEnvFrom({})).toEqual({});
    expect(listenEnvFrom({ host: '0.0.0.0', port: '4107' })).toEqual({
      KAM_HOST: '0.0.0.0',
      KAM_PORT: '4107',
    });
    expect(parseEnv({ KAM_PORT: '4000', ...listenEnvFrom({ port: '4107' }) }).KAM_PORT).toBe(4107);
  });

  it("are refused when empty, naming the option, instead of serving on the default (--port '' served on 4000)", () => {
    expect(() => listenEnvFrom({ port: '' })).toThrow(
      '--port is empty; give a port number (0 to 65535), or leave the option out for KAM_PORT or 4000.',
    );
    expect(() => listenEnvFrom({ port: ' ' })).toThrow('--port is empty');
    expect(() => listenEnvFrom({ host: '' })).toThrow(
      '--host is empty; give a host name or IP address, or leave the option out for KAM_HOST or 127.0.0.1.',
    );
  });

  it('refuses a port not written in decimal digits, naming the option and the value (--port 0x10 served on 16)', () => {
    for (const value of ['0x10', '1e3', ' 4107', '4107 ', '+4107', '-1', '4107.0', 'http']) {
      expect(() => listenEnvFrom({ port: value }), JSON.stringify(value)).toThrow(
        `--port must be a port number written in digits, 0 to 65535; got ${JSON.stringify(value)}.`,
      );
    }
    // Digits, but out of range: said so, not "written in digits".
    for (const value of ['65536', '99999']) {
      expect(() => listenEnvFrom({ port: value }), value).toThrow(
        `--port must be a port number, 0 to 65535; got ${value}.`,
      );
    }
  });

  it('refuses a host that is no host name or address by the option, not by KAM_HOST', () => {
    expect(() => listenEnvFrom({ host: 'a b' })).toThrow(
      '--host must be a host name or IP address, e.g. 127.0.0.1; got "a b".',
    );
    expect(listenEnvFrom({ host: '::1' })).toEqual({ KAM_HOST: '::1' });
  });
});

describe('a database that cannot be reached', () => {
  it('stops kam at start with the address (without its password), the cause and what to check', async () => {
    const failure = await run(process.execPath, [CLI, 'migrate'], {
      env: { ...process.env, DATABASE_URL: 'postgres://kam:s3cret@127.0.0.1:1/kam' },
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim()).toBe(
      'kam: Cannot reach the database at postgres://kam:***@127.0.0.1:1/kam: connect ECONNREFUSED 127.0.0.1:1. Check that the server runs there and accepts connections, and that DATABASE_URL names it.',
    );
  });

  it('is said as such when DATABASE_URL names no SQLite file, and no empty file is left behind', async () => {
    // A typo in DATABASE_URL used to create an empty database (and its folder) that every
    // command then called "behind the code": "needs 5 migration(s) … Run `kam migrate` first".
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-typo-'));
    const missing = path.join(dir, 'typo', 'kam.sqlite');
    const cli = cliOn(missing);
    try {
      for (const args of [
        ['token', 'list'],
        ['person', 'add', '--name', 'Ops', '--email', 'ops@example.test'],
        ['export', 'accounts', '--out', path.join(dir, 'accounts.csv')],
        ['close-quarter', '2026-Q1'],
        ['seed', 'demo', '--accounts', '10', '--quarters', '1'],
        ['report', 'build', '--quarter', '2026-Q1', '--out', path.join(dir, 'reports')],
      ]) {
        cli.errors.length = 0;
        expect(await cli.kam(...args), args.join(' ')).toBe(1);
        expect(cli.errors, args.join(' ')).toEqual([
          `kam: There is no database at ${missing}; check DATABASE_URL (kam migrate creates one).`,
        ]);
      }
    } finally {
      cli.restore();
    }
    expect(existsSync(path.dirname(missing))).toBe(false);
    // kam migrate still creates it, folder and all.
    const migrate = cliOn(missing);
    try {
      expect(await migrate.kam('migrate')).toBe(0);
    } finally {
      migrate.restore();
    }
    expect(existsSync(missing)).toBe(true);
  });

  it.runIf(testDialect() === 'postgresql')(
    'is said as such when DATABASE_URL names a PostgreSQL database that does not exist, which is not created',
    async () => {
      // MikroORM creates a missing database when it connects: a typo in the database name of
      // DATABASE_URL used to create that database on the server, for any command.
      const server = process.env.KAM_TEST_DATABASE_URL as string;
      const name = `kamreview_missing_${randomBytes(4).toString('hex')}`;
      const url = new URL(server);
      url.pathname = `/${name}`;
      const cli = cliOn(url.toString());
      try {
        try {
          expect(await cli.kam('token', 'list')).toBe(1);
          expect(cli.errors).toEqual([
            `kam: Cannot reach the database at ${url}: database "${name}" does not exist. Check that the server runs there and accepts connections, and that DATABASE_URL names it.`,
          ]);
        } finally {
          cli.restore();
        }
        const orm = await openOrm({ url: server });
        try {
          const rows = await orm.em
            .getConnection()
            .execute<{ n: number }[]>('select count(*)::int as n from pg_database where datname = ?', [name]);
          expect(rows[0]?.n).toBe(0);
        } finally {
          await orm.close(true);
        }
      } finally {
        await dropScratchDatabase(server, name);
      }
    },
  );
});
