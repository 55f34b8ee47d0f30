/**
 * Money sent as a JSON number in the variables. JSON.parse makes it a binary float, which holds
 * every two-decimal amount exactly only while the amount has at most 15 significant digits
 * (below 10,000,000,000,000): 80000000000000.07 arrives as 80000000000000.06 and
 * 90071992547409.91 as 90071992547409.9. A larger number is refused, never stored rounded.
 * The bodies are written by hand: JSON.stringify in the test would round the same way.
 */
import { describe, expect, it } from 'vitest';
import { type ApiHarness, startApiForFile } from './harness.ts';

let api: ApiHarness;
let admin: string;
startApiForFile((started, secret) => {
  api = started;
  admin = secret;
}, 'ADMIN');

const RECORD = `mutation($input: RecordFinancialsInput!) {
  recordFinancials(input: $input) { __typename ... on RecordFinancialsSuccess { data { revenue } } }
}`;

/** Posts recordFinancials with `revenue` written into the JSON body exactly as given. */
async function recordRevenue(accountId: string, revenue: string) {
  const variables = {
    input: { accountId, quarter: '2026-Q2', revenue: '@', grossProfit: '1', costToServe: '0' },
  };
  const body = JSON.stringify({ query: RECORD, variables }).replace('"@"', revenue);
  const response = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body,
  });
  return (await response.json()) as {
    data?: { recordFinancials: { __typename: string; data?: { revenue: string } } } | null;
    errors?: { message: string }[];
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

/** The revenue of each of the account's latest financial lines. */
async function latestRevenues(externalRef: string): Promise<string[] | undefined> {
  const res = await api.gql<{ accountByRef: { latestFinancials: { revenue: string }[] } }>(
    'query($ref: String!) { accountByRef(externalRef: $ref) { latestFinancials { revenue } } }',
    { ref: externalRef },
    admin,
  );
  return res.body.data?.accountByRef.latestFinancials.map(line => line.revenue);
}

describe('Money as a JSON number in the variables', () => {
  it('refuses a number too large for a binary float to hold its cents, and stores nothing', async () => {
    const id = await account('M-BIG');
    for (const [sent, arrived] of [
      ['80000000000000.07', '80000000000000.06'],
      ['90071992547409.91', '90071992547409.9'],
      ['10000000000000', '10000000000000'],
    ]) {
      const res = await recordRevenue(id, sent!);
      expect(res.errors?.[0]?.message).toContain(
        `Money given as a JSON number must be less than 10000000000000 (at most 15 significant digits with the cents), as a binary float cannot hold every cent of a larger one; got ${arrived}. Send the amount as a string, e.g. "80000000000000.07".`,
      );
    }
    expect(await latestRevenues('M-BIG')).toEqual([]);
  });

  it('stores a number with at most 15 significant digits exactly, and a large amount sent as a string', async () => {
    const id = await account('M-SMALL');
    expect((await recordRevenue(id, '9999999999999.99')).data?.recordFinancials.data?.revenue).toBe(
      '9999999999999.99',
    );
    const other = await account('M-STRING');
    expect((await recordRevenue(other, '"80000000000000.07"')).data?.recordFinancials.data?.revenue).toBe(
      '80000000000000.07',
    );
    expect(await latestRevenues('M-STRING')).toEqual(['80000000000000.07']);
  });
});
