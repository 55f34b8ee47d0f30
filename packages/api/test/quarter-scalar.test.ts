import { addQuarters, quarterOf, quarterStart } from '@kam/domain';
import { describe, expect, it } from 'vitest';
import { type ApiHarness, startApiForFile } from './harness.ts';

let api: ApiHarness;
let admin: string;
startApiForFile((started, secret) => {
  api = started;
  admin = secret;
}, 'ADMIN');

const RANGE = 'must be a quarter of the years 1900 to 2999, written YYYY-Qn';
const RECORD = `mutation($input: RecordFinancialsInput!) {
  recordFinancials(input: $input) {
    __typename
    ... on Error { code message }
    ... on ValidationError { fieldErrors { path code message } }
    ... on RecordFinancialsSuccess { data { quarter } }
  }
}`;
const IMPORT = `mutation($rows: [FinancialRowInput!]!) {
  importFinancials(rows: $rows, mode: PARTIAL) {
    ... on ImportFinancialsSuccess { data { created rejected rejections { index path code message } } }
  }
}`;
const KPIS = 'query($q: Quarter!) { analytics(quarter: $q) { kpis { code } } }';

interface RecordAnswer {
  recordFinancials: {
    __typename: string;
    code?: string;
    fieldErrors?: { path: string[]; code: string; message: string }[];
    data?: { quarter: string };
  };
}
interface ImportAnswer {
  importFinancials: {
    data: {
      created: number;
      rejected: number;
      rejections: { index: number; path: string[]; code: string }[];
    };
  };
}

async function account(externalRef: string): Promise<string> {
  const created = await api.gql<{ createAccount: { data: { id: string } } }>(
    'mutation($input: CreateAccountInput!) { createAccount(input: $input) { ... on CreateAccountSuccess { data { id } } } }',
    { input: { externalRef, name: externalRef } },
    admin,
  );
  return created.body.data!.createAccount.data.id;
}

const figures = { revenue: '10', grossProfit: '1', costToServe: '1' };

describe('the Quarter scalar takes the years 1900 to 2999', () => {
  it('refuses a year out of range in an argument and in an input, naming the range', async () => {
    for (const q of ['0000-Q1', '3000-Q1']) {
      const res = await api.gql(KPIS, { q }, admin);
      expect(res.body.errors?.[0]?.message).toContain(
        `Quarter ${RANGE}; there is no ${q} in kam; got "${q}".`,
      );
    }
    const accountId = await account('Q-RANGE');
    const res = await api.gql<RecordAnswer>(
      RECORD,
      { input: { accountId, quarter: '0999-Q4', ...figures } },
      admin,
    );
    expect(res.body.errors?.[0]?.message).toContain(
      `Quarter ${RANGE}; there is no 0999-Q4 in kam; got "0999-Q4".`,
    );
  });
});

describe('financials are actuals: a quarter that has not started is refused', () => {
  it('recordFinancials answers a ValidationError at quarter; the running quarter is recorded', async () => {
    const accountId = await account('Q-FUTURE');
    const refused = await api.gql<RecordAnswer>(
      RECORD,
      { input: { accountId, quarter: '2031-Q4', ...figures } },
      admin,
    );
    expect(refused.body.data?.recordFinancials).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: ['quarter'], code: 'QUARTER_NOT_STARTED', message: 'starts on 2031-10-01' }],
    });
    const running = quarterOf(new Date());
    const recorded = await api.gql<RecordAnswer>(
      RECORD,
      { input: { accountId, quarter: running, ...figures } },
      admin,
    );
    expect(recorded.body.data?.recordFinancials.data).toEqual({ quarter: running });
  });

  it('importFinancials rejects the row of a quarter to come or a year out of range; the analytics still compute', async () => {
    await account('Q-IMPORT');
    const running = quarterOf(new Date());
    const next = addQuarters(running, 1);
    const rows = ['0000-Q1', next, running].map(quarter => ({ accountRef: 'Q-IMPORT', quarter, ...figures }));
    const res = await api.gql<ImportAnswer>(IMPORT, { rows }, admin);
    expect(res.body.data?.importFinancials.data).toMatchObject({
      created: 1,
      rejected: 2,
      rejections: [
        { index: 0, path: ['quarter'], code: 'INVALID_QUARTER' },
        { index: 1, path: ['quarter'], code: 'QUARTER_NOT_STARTED' },
      ],
    });
    expect(quarterStart(next) > new Date().toISOString().slice(0, 10)).toBe(true);
    const kpis = await api.gql<{ analytics: { kpis: { code: string }[] } }>(KPIS, { q: running }, admin);
    expect(kpis.body.errors).toBeUndefined();
    expect(kpis.body.data?.analytics.kpis).toHaveLength(13);
  });
});
