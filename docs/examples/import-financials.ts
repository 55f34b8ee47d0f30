/**
 * A script that loads quarterly financials into kam through the GraphQL API, in calls of
 * up to 10,000 rows, safely re-runnable: each call carries an idempotency key derived from
 * its content, so a retry after a timeout never writes twice.
 *
 *   KAM_API_URL=http://127.0.0.1:4000/graphql KAM_API_TOKEN=kam_... node import-financials.ts financials.json
 *
 * `financials.json` is an array of rows: { accountRef, quarter, businessUnitCode?, revenue,
 * grossProfit, costToServe, potential? } with money as decimal strings ("1250.50").
 * Needs Node ≥ 22.18 (it runs TypeScript directly) and nothing else.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

const url = process.env.KAM_API_URL ?? 'http://127.0.0.1:4000/graphql';
const token = process.env.KAM_API_TOKEN;
if (!token)
  throw new Error('Set KAM_API_TOKEN to a token with the INTEGRATION or ADMIN role (kam token create).');

interface FinancialRow {
  accountRef: string;
  quarter: string;
  businessUnitCode?: string;
  revenue: string;
  grossProfit: string;
  costToServe: string;
  potential?: string;
}

const IMPORT = `mutation Import($rows: [FinancialRowInput!]!, $mode: BulkMode, $key: String) {
  importFinancials(rows: $rows, mode: $mode, idempotencyKey: $key) {
    __typename
    ... on ImportFinancialsSuccess {
      data { received created updated unchanged rejected written replayed
             rejections { index path code message } }
    }
    ... on Error { code message }
  }
}`;

interface ImportResult {
  __typename: string;
  code?: string;
  message?: string;
  data?: {
    received: number;
    created: number;
    updated: number;
    unchanged: number;
    rejected: number;
    written: boolean;
    replayed: boolean;
    rejections: { index: number; path: string[]; code: string; message: string }[];
  };
}

async function importBatch(rows: FinancialRow[], offset: number): Promise<NonNullable<ImportResult['data']>> {
  const key = `financials-${createHash('sha256').update(JSON.stringify(rows)).digest('hex')}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query: IMPORT, variables: { rows, mode: 'PARTIAL', key } }),
  });
  const body = (await response.json()) as {
    data?: { importFinancials: ImportResult };
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  // Transport-level problems (bad token, limits, malformed request) come as `errors`.
  if (body.errors?.length)
    throw new Error(`${response.status}: ${body.errors.map(e => e.message).join('; ')}`);
  const result = body.data?.importFinancials;
  // Expected failures of the operation (forbidden, validation of the call) are typed results.
  if (!result?.data) throw new Error(`${result?.__typename}: ${result?.code} ${result?.message}`);
  for (const rejection of result.data.rejections) {
    console.error(
      `row ${offset + rejection.index} ${rejection.path.join('.')}: ${rejection.code} ${rejection.message}`,
    );
  }
  return result.data;
}

const file = process.argv[2];
if (!file) throw new Error('Usage: node import-financials.ts FILE.json');
const rows = JSON.parse(await readFile(file, 'utf8')) as FinancialRow[];
const totals = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
for (let offset = 0; offset < rows.length; offset += 10_000) {
  const result = await importBatch(rows.slice(offset, offset + 10_000), offset);
  for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += result[key];
}
console.log(JSON.stringify(totals));
