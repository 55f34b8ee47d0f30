import { describe, expect, it } from 'vitest';
import { parseEnv } from '../src/env.ts';

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
    expect(() => parseEnv({ KAM_PORT: '99999', KAM_ENV: 'staging' })).toThrow(/KAM_PORT: .*\n {2}KAM_ENV: /);
  });
});
