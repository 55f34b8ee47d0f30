/**
 * Idempotency keys through HTTP: their length counted in characters, a field sent as null being
 * the field left out, and expired keys deleted by the server.
 */
import { IdempotencyRecord } from '@kam/domain';
import { createTestDatabase, type TestDatabase } from '@kam/domain/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { createKamYoga } from '../src/yoga.ts';
import { type ApiHarness, startApi, testConfig } from './harness.ts';

interface BulkCall {
  __typename: string;
  code?: string;
  message?: string;
  fieldErrors?: { path: string[]; code: string; message: string }[];
  data?: { created: number; updated: number; replayed: boolean };
}

const UPSERT = `mutation($rows: [AccountRowInput!]!, $key: String) {
  upsertAccounts(rows: $rows, idempotencyKey: $key) {
    __typename
    ... on UpsertAccountsSuccess { data { created updated replayed } }
    ... on Error { code message }
    ... on ValidationError { fieldErrors { path code message } }
  }
}`;

let api: ApiHarness;
let integration: string;

beforeAll(async () => {
  api = await startApi();
  integration = (await api.token('INTEGRATION')).secret;
});
afterAll(async () => {
  await api?.close();
});

async function upsert(rows: Record<string, unknown>[], key: string): Promise<BulkCall> {
  const res = await api.gql<{ upsertAccounts: BulkCall }>(UPSERT, { rows, key }, integration);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data!.upsertAccounts;
}

describe('an idempotency key is 1 to 255 characters', () => {
  it('refuses a longer key as TOO_BIG, naming the bound', async () => {
    const long = await upsert([{ externalRef: 'IK-1', name: 'Key one' }], 'k'.repeat(256));
    expect(long).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      message: 'idempotencyKey must be at most 255 characters (it has 256); a UUID is a good choice.',
      fieldErrors: [{ path: ['idempotencyKey'], code: 'TOO_BIG', message: 'must be at most 255 characters' }],
    });
  });

  it('counts characters, not UTF-16 units: 255 emoji are a key (stored and replayed), 256 are not', async () => {
    // "😀" is one character, two UTF-16 units and four bytes in UTF-8.
    const key = '😀'.repeat(255);
    const row = { externalRef: 'IK-2', name: 'Key two' };
    expect((await upsert([row], key)).data).toEqual({ created: 1, updated: 0, replayed: false });
    expect((await upsert([row], key)).data).toEqual({ created: 1, updated: 0, replayed: true });
    const stored = await api.db.em().findOneOrFail(IdempotencyRecord, { key });
    expect([...stored.key]).toHaveLength(255);
    expect(await upsert([row], `${key}😀`)).toMatchObject({
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: ['idempotencyKey'], code: 'TOO_BIG' }],
    });
  });
});

describe('the payload of a key', () => {
  it('takes a field sent as null as the field left out (docs/api.md: both store it empty)', async () => {
    const first = await upsert(
      [{ externalRef: 'IK-3', name: 'Key three', industry: null, country: null }],
      'nulls-1',
    );
    expect(first.data).toEqual({ created: 1, updated: 0, replayed: false });
    const again = await upsert([{ externalRef: 'IK-3', name: 'Key three' }], 'nulls-1');
    expect(again.data).toEqual({ created: 1, updated: 0, replayed: true });
    // A value that differs still makes it another request.
    expect(
      await upsert([{ externalRef: 'IK-3', name: 'Key three', industry: 'Steel' }], 'nulls-1'),
    ).toMatchObject({
      __typename: 'ConflictError',
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });
});

describe('expired idempotency keys', () => {
  let db: TestDatabase;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await server?.close();
    await db.close();
  });

  const record = (key: string, expiresAt: Date) => ({
    principal: 'token:1',
    key,
    operation: 'upsertAccounts',
    requestHash: '0'.repeat(64),
    response: '{}',
    createdAt: new Date(expiresAt.getTime() - 24 * 3600_000),
    expiresAt,
  });
  const keys = async () =>
    (await db.em().find(IdempotencyRecord, {}, { orderBy: { key: 'asc' } })).map(r => r.key);
  async function until(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }

  it('are deleted when the server starts and then every purgeEveryMs, the others kept', async () => {
    const past = new Date(Date.now() - 60_000);
    await db.em().insert(IdempotencyRecord, record('expired-before-start', past));
    await db.em().insert(IdempotencyRecord, record('kept', new Date(Date.now() + 3600_000)));
    const logger = createLogger('silent');
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      orm: db.orm,
      yoga: createKamYoga({ orm: db.orm, config: testConfig, logger }),
      logger,
      graceSeconds: 1,
      purgeEveryMs: 100,
    });
    await until(async () => (await keys()).join() === 'kept');
    await db.em().insert(IdempotencyRecord, record('expired-while-running', past));
    await until(async () => (await keys()).join() === 'kept');
  });
});
