import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { QuarterlyFinancial, systemActor, upsertAccounts } from '@kam/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../../docs/examples/import-financials.ts', import.meta.url));

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
  await upsertAccounts(
    api.db.em(),
    [
      { externalRef: 'DOC-1', name: 'Doc One' },
      { externalRef: 'DOC-2', name: 'Doc Two' },
    ],
    { mode: 'ATOMIC' },
    systemActor('test'),
  );
});
afterAll(() => api.close());

describe('the script in docs/api.md', () => {
  it('imports financials over HTTP, reports rejected rows, and is safe to run twice', async () => {
    const { secret } = await api.token('INTEGRATION');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kam-doc-')), 'financials.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          accountRef: 'DOC-1',
          quarter: '2026-Q2',
          revenue: '1000.10',
          grossProfit: '300.20',
          costToServe: '50.00',
        },
        {
          accountRef: 'DOC-2',
          quarter: '2026-Q2',
          revenue: '2000.00',
          grossProfit: '500.00',
          costToServe: '80.00',
        },
        { accountRef: 'NOPE', quarter: '2026-Q2', revenue: '1.00', grossProfit: '1.00', costToServe: '1.00' },
      ]),
    );
    const env = { ...process.env, KAM_API_URL: api.url, KAM_API_TOKEN: secret };
    const first = await run(process.execPath, [SCRIPT, file], { env });
    expect(JSON.parse(first.stdout)).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 1 });
    expect(first.stderr).toMatch(/row 2 accountRef: .*NOPE/);
    const again = await run(process.execPath, [SCRIPT, file], { env });
    expect(JSON.parse(again.stdout)).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 1 });
    expect(await api.db.em().count(QuarterlyFinancial, {})).toBe(2);
  });
});
