import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../src/env.ts';

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
});
