import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kamProcess } from './cli.ts';
import { createFileDatabase, type FileDatabase } from './reliability/databases.ts';

// `kam migrate` is "safe to repeat", and docs/operations.md runs several API instances: each may
// migrate as it starts. On PostgreSQL three at once used to leave two failing with a raw
// `duplicate key value violates unique constraint "pg_type_typname_nsp_index"`.
describe('kam migrate run by several processes at once', () => {
  let db: FileDatabase;
  beforeAll(async () => {
    db = await createFileDatabase('migrate');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('migrates once; the others wait, then find the database up to date', async () => {
    const runs = await Promise.all(
      [1, 2, 3].map(() =>
        kamProcess(['migrate'], { cwd: process.cwd(), env: { DATABASE_URL: db.url }, timeoutMs: 120_000 }),
      ),
    );
    expect(runs.map(r => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
    const said = runs.map(r => r.stdout.split('\n')[0] ?? '');
    expect(
      said.filter(line => /^Applied \d+ migration\(s\) to /.test(line)),
      said.join('\n'),
    ).toHaveLength(1);
    expect(
      said.filter(line => line.endsWith(' is up to date.')),
      said.join('\n'),
    ).toHaveLength(2);
    expect(runs.filter(r => r.stdout.includes('reference row(s)'))).toHaveLength(1);
  }, 180_000);
});
