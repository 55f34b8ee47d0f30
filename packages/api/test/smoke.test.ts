import { describe, expect, it } from 'vitest';
import { type ApiHarness, startApiForFile } from './harness.ts';

let api: ApiHarness;
let admin: string;
startApiForFile((started, secret) => {
  api = started;
  admin = secret;
}, 'ADMIN');

describe('API smoke', () => {
  it('answers 401 without a token', async () => {
    const res = await api.gql('{ businessUnits { code } }');
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('creates an account and reads it back', async () => {
    const created = await api.gql<{
      createAccount: { __typename: string; data?: { id: string; externalRef: string; version: number } };
    }>(
      `mutation($input: CreateAccountInput!) { createAccount(input: $input) { __typename ... on CreateAccountSuccess { data { id externalRef version } } ... on Error { code message } } }`,
      { input: { externalRef: 'A-1', name: 'Acme' } },
      admin,
    );
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data?.createAccount.__typename).toBe('CreateAccountSuccess');
    const dup = await api.gql<{ createAccount: { __typename: string; code: string } }>(
      `mutation($input: CreateAccountInput!) { createAccount(input: $input) { __typename ... on Error { code message } } }`,
      { input: { externalRef: 'A-1', name: 'Acme again' } },
      admin,
    );
    expect(dup.body.data?.createAccount).toMatchObject({
      __typename: 'ConflictError',
      code: 'EXTERNAL_REF_TAKEN',
    });
  });

  it('reads a blank industry back as null: on creation, and when an update sends one', async () => {
    const created = await api.gql<{ createAccount: { data?: { id: string; industry: string | null } } }>(
      `mutation($input: CreateAccountInput!) { createAccount(input: $input) { ... on CreateAccountSuccess { data { id industry } } } }`,
      { input: { externalRef: 'A-BLANK', name: 'Blank', industry: '  ' } },
      admin,
    );
    expect(created.body.data?.createAccount.data?.industry).toBeNull();
    const food = await api.gql<{ createAccount: { data?: { id: string; industry: string | null } } }>(
      `mutation($input: CreateAccountInput!) { createAccount(input: $input) { ... on CreateAccountSuccess { data { id industry } } } }`,
      { input: { externalRef: 'A-FOOD', name: 'Food', industry: 'Food' } },
      admin,
    );
    const updated = await api.gql<{ updateAccount: { data?: { industry: string | null; version: number } } }>(
      `mutation($input: UpdateAccountInput!) { updateAccount(input: $input) { ... on UpdateAccountSuccess { data { industry version } } } }`,
      { input: { id: food.body.data?.createAccount.data?.id, expectedVersion: 1, industry: ' ' } },
      admin,
    );
    expect(updated.body.data?.updateAccount.data).toEqual({ industry: null, version: 2 });
    const read = await api.gql<{ accountByRef: { industry: string | null } }>(
      'query($ref: String!) { accountByRef(externalRef: $ref) { industry } }',
      { ref: 'A-BLANK' },
      admin,
    );
    expect(read.body.data?.accountByRef).toEqual({ industry: null });
  });

  it('imports financials in bulk', async () => {
    const res = await api.gql<{
      importFinancials: { __typename: string; data: { created: number; rejected: number } };
    }>(
      `mutation($rows: [FinancialRowInput!]!) { importFinancials(rows: $rows, mode: PARTIAL) { __typename ... on ImportFinancialsSuccess { data { created rejected rejections { index code path } } } } }`,
      {
        rows: [
          {
            accountRef: 'A-1',
            quarter: '2026-Q1',
            revenue: '10.00',
            grossProfit: '4.00',
            costToServe: '1.00',
          },
          {
            accountRef: 'A-404',
            quarter: '2026-Q1',
            revenue: '10.00',
            grossProfit: '4.00',
            costToServe: '1.00',
          },
        ],
      },
      admin,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.importFinancials.data).toMatchObject({ created: 1, rejected: 1 });
  });

  it('says how to write a refused amount or quarter, in a bulk row and in a Money or Quarter argument', async () => {
    const bulk = await api.gql<{
      importFinancials: { data: { rejections: { index: number; path: string[]; message: string }[] } };
    }>(
      `mutation($rows: [FinancialRowInput!]!) { importFinancials(rows: $rows, mode: PARTIAL) { ... on ImportFinancialsSuccess { data { rejections { index path message } } } } }`,
      {
        rows: [
          {
            accountRef: 'A-1',
            quarter: '2026-Q2',
            revenue: '1,250.50',
            grossProfit: '4.00',
            costToServe: '1.00',
          },
          {
            accountRef: 'A-1',
            quarter: '2026q3',
            revenue: '10.00',
            grossProfit: '4.00',
            costToServe: '1.00',
          },
        ],
      },
      admin,
    );
    expect(bulk.body.data?.importFinancials.data.rejections).toEqual([
      { index: 0, path: ['revenue'], message: 'must be written without thousands separators, like 1250.50' },
      {
        index: 1,
        path: ['quarter'],
        message: "must be written 2026-Q3 (year, hyphen, capital Q and the quarter's number)",
      },
    ]);
    const quarter = await api.gql(
      'query($q: Quarter!) { snapshot(quarter: $q) { quarter } }',
      { q: 'Q3 2026' },
      admin,
    );
    expect(quarter.body.errors?.[0]?.message).toContain(
      'Quarter must be written 2026-Q3 (year, hyphen, capital Q and the quarter\'s number); got "Q3 2026".',
    );
    const money = await api.gql(
      'mutation($input: RecordFinancialsInput!) { recordFinancials(input: $input) { __typename } }',
      {
        input: { accountId: 'x', quarter: '2026-Q1', revenue: '1250,50', grossProfit: '1', costToServe: '0' },
      },
      admin,
    );
    expect(money.body.errors?.[0]?.message).toContain(
      'Money must use a point for the decimals, like 1250.50; got "1250,50".',
    );
    // V8's Date.parse reads 2026-02-30 as 2 March; the Date scalar does not.
    const date = await api.gql(
      'mutation($input: CreateAccountInput!) { createAccount(input: $input) { __typename } }',
      { input: { externalRef: 'A-DATE', name: 'Dated', customerSince: '2026-02-30' } },
      admin,
    );
    expect(date.body.errors?.[0]?.message).toContain(
      'Date must be a day of the calendar: 2026-02 has 28 days; got "2026-02-30".',
    );
  });
  it('refuses a global id whose record id is not written as the API writes it (INVALID_ID), rather than reading another id', async () => {
    const created = await api.gql<{ createAccount: { data: { id: string; version: number } } }>(
      `mutation { createAccount(input: { externalRef: "A-ID", name: "Id check" }) { ... on CreateAccountSuccess { data { id version } } } }`,
      {},
      admin,
    );
    const account = created.body.data?.createAccount.data;
    expect(account).toBeDefined();
    const dbId = Buffer.from(account?.id ?? '', 'base64')
      .toString('utf8')
      .split(':')[1];
    const global = (id: string) => Buffer.from(`Account:${id}`).toString('base64');
    // The genuine id reads the account back, with that very id.
    const genuine = await api.gql<{ node: { id: string } | null }>(
      'query($id: ID!) { node(id: $id) { id } }',
      { id: account?.id },
      admin,
    );
    expect(genuine.body.data?.node?.id).toBe(account?.id);
    for (const alias of [`0${dbId}`, `${dbId}.0`, `${dbId}e0`, ` ${dbId}`, `+${dbId}`]) {
      const id = global(alias);
      const node = await api.gql('query($id: ID!) { node(id: $id) { id } }', { id }, admin);
      expect(node.body.errors?.[0]?.extensions, alias).toMatchObject({
        code: 'INVALID_ID',
        fieldErrors: [{ path: ['id'], code: 'INVALID_ID' }],
      });
      const nodes = await api.gql(
        'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
        { ids: [account?.id, id] },
        admin,
      );
      expect(nodes.body.errors?.[0]?.extensions, alias).toMatchObject({
        code: 'INVALID_ID',
        fieldErrors: [{ path: ['ids', 1], code: 'INVALID_ID' }],
      });
      const update = await api.gql<{ updateAccount: { __typename: string; fieldErrors?: unknown[] } }>(
        `mutation($input: UpdateAccountInput!) { updateAccount(input: $input) { __typename ... on ValidationError { fieldErrors { path code } } } }`,
        { input: { id, expectedVersion: account?.version, name: 'Renamed through an alias' } },
        admin,
      );
      expect(update.body.data?.updateAccount, alias).toEqual({
        __typename: 'ValidationError',
        fieldErrors: [{ path: ['id'], code: 'INVALID_ID' }],
      });
    }
  });
});
