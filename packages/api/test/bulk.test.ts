/**
 * The bulk mutations through HTTP as a script uses them: idempotency keys (replay, reuse with
 * another payload, a key that is not one) and what a row leaves out.
 */
import { createBusinessUnit, systemActor } from '@kam/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';

let api: ApiHarness;
let integration: string;
let admin: string;

interface BulkCall {
  __typename: string;
  code?: string;
  message?: string;
  fieldErrors?: { path: string[]; code: string }[];
  data?: { received: number; created: number; updated: number; unchanged: number; replayed: boolean };
}

const SIGNALS = `mutation($rows: [SignalRowInput!]!, $key: String) {
  recordSignals(rows: $rows, idempotencyKey: $key) {
    __typename
    ... on RecordSignalsSuccess { data { received created updated unchanged replayed } }
    ... on Error { code message }
    ... on ValidationError { fieldErrors { path code } }
  }
}`;

async function recordSignals(rows: Record<string, unknown>[], key?: string | null): Promise<BulkCall> {
  const res = await api.gql<{ recordSignals: BulkCall }>(SIGNALS, { rows, key }, integration);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data!.recordSignals;
}

const signal = (externalRef: string) => ({
  externalRef,
  accountRef: 'B-1',
  kind: 'FEEDBACK',
  sentiment: 'POSITIVE',
  occurredOn: '2026-03-02',
});

beforeAll(async () => {
  api = await startApi();
  admin = (await api.token('ADMIN')).secret;
  integration = (await api.token('INTEGRATION')).secret;
  await createBusinessUnit(
    api.db.em(),
    { code: 'BULK', name: 'Bulk', kind: 'OFFERING' },
    systemActor('test'),
  );
  const created = await api.gql<{ upsertAccounts: { data?: { created: number } } }>(
    `mutation($rows: [AccountRowInput!]!) { upsertAccounts(rows: $rows) {
       ... on UpsertAccountsSuccess { data { created } } } }`,
    { rows: [{ externalRef: 'B-1', name: 'Bulk One' }] },
    integration,
  );
  expect(created.body.data?.upsertAccounts.data?.created).toBe(1);
});
afterAll(async () => {
  await api.close();
});

describe('idempotency keys', () => {
  it('replays a call with its key, and refuses the key with another payload', async () => {
    const first = await recordSignals([signal('S-1')], 'batch-1');
    expect(first.data).toMatchObject({ received: 1, created: 1, replayed: false });
    const again = await recordSignals([signal('S-1')], 'batch-1');
    expect(again.data).toMatchObject({ received: 1, created: 1, replayed: true });
    const other = await recordSignals([signal('S-2')], 'batch-1');
    expect(other).toMatchObject({ __typename: 'ConflictError', code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses an empty key instead of running the call without one', async () => {
    // A script whose key variable came out empty ("") ran unprotected: sent twice, it wrote twice.
    const empty = await recordSignals([signal('S-3')], '');
    expect(empty).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: ['idempotencyKey'], code: 'TOO_SMALL' }],
    });
    expect(empty.message).toBe(
      'idempotencyKey must not be empty: send 1 to 255 characters (a UUID is a good choice).',
    );
    // Nothing was written: the row is new to a call without a key.
    expect((await recordSignals([signal('S-3')], null)).data).toMatchObject({ created: 1 });
  });
});

describe('a row is the whole record', () => {
  it('clears the optional fields a row leaves out, as docs/api.md says', async () => {
    const upsert = (rows: Record<string, unknown>[]) =>
      api.gql<{ upsertAccounts: { data?: { created: number; updated: number } } }>(
        `mutation($rows: [AccountRowInput!]!) { upsertAccounts(rows: $rows) {
           ... on UpsertAccountsSuccess { data { created updated } } } }`,
        { rows },
        integration,
      );
    const full = {
      externalRef: 'B-2',
      name: 'Bulk Two',
      parentRef: 'B-1',
      industry: 'Chemicals',
      country: 'DE',
      customerSince: '2019-03-01',
    };
    expect((await upsert([full])).body.data?.upsertAccounts.data).toEqual({ created: 1, updated: 0 });
    // A rename sent as a row with the name alone clears the rest: the row replaces the record.
    const renamed = await upsert([{ externalRef: 'B-2', name: 'Bulk Two Renamed' }]);
    expect(renamed.body.data?.upsertAccounts.data).toEqual({ created: 0, updated: 1 });
    const read = await api.gql<{ accountByRef: Record<string, unknown> }>(
      '{ accountByRef(externalRef: "B-2") { name parent { externalRef } industry country customerSince } }',
      {},
      admin,
    );
    expect(read.body.data?.accountByRef).toEqual({
      name: 'Bulk Two Renamed',
      parent: null,
      industry: null,
      country: null,
      customerSince: null,
    });
  });
});

describe('a field sent as null', () => {
  it('is a field left out: stored empty, or at its default', async () => {
    // A script that writes every column of its export sends null for an empty one. Every other
    // optional field took it as empty (and createContact takes a null stance as UNKNOWN); the
    // defaulted ones (stance, qualified, outcome) rejected the row instead.
    const contacts = await api.gql<{ upsertContacts: { data?: Record<string, unknown> } }>(
      `mutation($rows: [ContactRowInput!]!) { upsertContacts(rows: $rows, mode: PARTIAL) {
         ... on UpsertContactsSuccess { data { created rejected rejections { index path code } } } } }`,
      {
        rows: [
          {
            externalRef: 'BC-1',
            accountRef: 'B-1',
            name: 'Nell Null',
            function: 'OTHER',
            influence: 2,
            title: null,
            stance: null,
          },
        ],
      },
      integration,
    );
    expect(contacts.body.data?.upsertContacts.data).toEqual({ created: 1, rejected: 0, rejections: [] });
    const opportunities = await api.gql<{ upsertOpportunities: { data?: Record<string, unknown> } }>(
      `mutation($rows: [OpportunityRowInput!]!) { upsertOpportunities(rows: $rows, mode: PARTIAL) {
         ... on UpsertOpportunitiesSuccess { data { created rejected rejections { index path code } } } } }`,
      {
        rows: [
          {
            externalRef: 'BO-1',
            accountRef: 'B-1',
            businessUnitCode: 'BULK',
            name: 'Spare parts',
            value: '10.00',
            qualified: null,
            outcome: null,
            decidedOn: null,
          },
        ],
      },
      integration,
    );
    expect(opportunities.body.data?.upsertOpportunities.data).toEqual({
      created: 1,
      rejected: 0,
      rejections: [],
    });
    const read = await api.gql<{ accountByRef: Record<string, unknown> }>(
      `{ accountByRef(externalRef: "B-1") {
        opportunities(first: 100) { edges { node { externalRef qualified outcome } } }
        contacts(first: 100) { edges { node { externalRef stance } } }
      } }`,
      {},
      admin,
    );
    expect(read.body.data?.accountByRef).toEqual({
      opportunities: { edges: [{ node: { externalRef: 'BO-1', qualified: false, outcome: 'OPEN' } }] },
      contacts: { edges: [{ node: { externalRef: 'BC-1', stance: 'UNKNOWN' } }] },
    });
  });
});

describe('a code that names nothing', () => {
  it('is rejected with where to find the codes, for segments as for business units', async () => {
    const res = await api.gql<{
      upsertAccounts: {
        data?: { rejections: { index: number; path: string[]; code: string; message: string }[] };
      };
    }>(
      `mutation($rows: [AccountRowInput!]!) { upsertAccounts(rows: $rows, mode: PARTIAL) {
         ... on UpsertAccountsSuccess { data { rejections { index path code message } } } } }`,
      { rows: [{ externalRef: 'B-SEG', name: 'Segmented', segmentCode: 'price_local' }] },
      integration,
    );
    expect(res.body.data?.upsertAccounts.data?.rejections).toEqual([
      {
        index: 0,
        path: ['segmentCode'],
        code: 'NOT_FOUND',
        message:
          'No segment has code price_local; codes are matched exactly, capitals included (the segments query lists them).',
      },
    ]);
  });
});

describe('a date outside the years 1900 to 2999 in a bulk row', () => {
  it('rejects that row alone, on both databases, and writes the good ones (PARTIAL)', async () => {
    // 0000-01-01 was stored on SQLite and failed the whole call on PostgreSQL (no year 0) with a
    // masked "Unexpected error.", losing the good rows.
    const res = await api.gql<{
      recordSignals: {
        data?: {
          created: number;
          rejections: { index: number; path: string[]; code: string; message: string }[];
        };
      };
    }>(
      `mutation($rows: [SignalRowInput!]!) { recordSignals(rows: $rows, mode: PARTIAL) {
         ... on RecordSignalsSuccess { data { created rejections { index path code message } } } } }`,
      {
        rows: [
          { ...signal('Y-0'), occurredOn: '0000-01-01' },
          { ...signal('Y-1'), occurredOn: '1899-12-31' },
          signal('Y-2'),
        ],
      },
      integration,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.recordSignals.data).toEqual({
      created: 1,
      rejections: [
        {
          index: 0,
          path: ['occurredOn'],
          code: 'INVALID_FORMAT',
          message: 'must be a date of the years 1900 to 2999; 0000-01-01 is not',
        },
        {
          index: 1,
          path: ['occurredOn'],
          code: 'INVALID_FORMAT',
          message: 'must be a date of the years 1900 to 2999; 1899-12-31 is not',
        },
      ],
    });
  });

  it('as a Date variable is refused by the scalar, saying the years', async () => {
    const res = await api.gql(
      `mutation($input: RecordSignalInput!) { recordSignal(input: $input) { __typename } }`,
      { input: { accountId: 'QWNjb3VudDox', kind: 'ADVICE_REQUEST', occurredOn: '0000-03-01' } },
      admin,
    );
    expect(res.body.errors?.[0]?.message).toContain(
      'Date must be a date of the years 1900 to 2999; 0000-03-01 is not; got "0000-03-01".',
    );
  });
});
