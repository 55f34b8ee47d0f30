import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';

let api: ApiHarness;
let admin: string;
beforeAll(async () => {
  api = await startApi();
  admin = (await api.token('ADMIN')).secret;
});
afterAll(async () => {
  await api.close();
});

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
});
