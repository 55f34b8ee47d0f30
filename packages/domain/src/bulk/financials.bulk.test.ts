import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuarterlyFinancial } from '../accounts/financial.entity.ts';
import { addQuarters, quarterOf, quarterStart } from '../common/quarter.ts';
import {
  createTestDatabase,
  makeAccount,
  type TestDatabase,
  tableCounts,
  testActor,
} from '../testing/index.ts';
import { importFinancials } from './financials.bulk.ts';

let db: TestDatabase;
let ref: string;
beforeAll(async () => {
  db = await createTestDatabase();
  ref = (await makeAccount(db.em())).externalRef;
});
afterAll(async () => {
  await db.close();
});

const line = (quarter: string) => ({
  accountRef: ref,
  quarter,
  revenue: '10.00',
  grossProfit: '1.00',
  costToServe: '1.00',
});

describe('importFinancials takes quarters that have started, of the years 1900 to 2999', () => {
  it('PARTIAL rejects a quarter to come and a year out of range by row, and writes the others', async () => {
    const running = quarterOf(new Date());
    const next = addQuarters(running, 1);
    const result = await importFinancials(
      db.em(),
      [line('0000-Q1'), line(next), line(running), line('2031-Q4'), line('1900-Q1')],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(result).toMatchObject({ created: 2, rejected: 3, written: true });
    expect(result.rejections).toEqual([
      {
        index: 0,
        path: ['quarter'],
        code: 'INVALID_QUARTER',
        message: 'must be a quarter of the years 1900 to 2999, written YYYY-Qn; there is no 0000-Q1 in kam',
      },
      {
        index: 1,
        path: ['quarter'],
        code: 'QUARTER_NOT_STARTED',
        message: `${next} has not started yet (it starts on ${quarterStart(next)}): nothing of it can be recorded, computed or assessed yet. Use ${running}, the running quarter, or an earlier one.`,
      },
      expect.objectContaining({ index: 3, path: ['quarter'], code: 'QUARTER_NOT_STARTED' }),
    ]);
    const lines = await db.em().find(QuarterlyFinancial, {}, { orderBy: { quarter: 'asc' } });
    expect(lines.map(l => l.quarter)).toEqual(['1900-Q1', running]);
  });

  it('ATOMIC writes nothing when one row is of a quarter to come', async () => {
    const before = await tableCounts(db.em(), ['quarterly_financial', 'audit_entry']);
    const result = await importFinancials(
      db.em(),
      [line('2025-Q1'), line('2031-Q4')],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(result).toMatchObject({ created: 0, rejected: 1, written: false });
    expect(result.rejections.map(r => [r.index, r.path, r.code])).toEqual([
      [1, ['quarter'], 'QUARTER_NOT_STARTED'],
    ]);
    expect(await tableCounts(db.em(), ['quarterly_financial', 'audit_entry'])).toEqual(before);
  });
});

describe('importFinancials takes a gross profit at most the revenue, as recordFinancials does', () => {
  const figures = (quarter: string, revenue: string, grossProfit: string) => ({
    ...line(quarter),
    revenue,
    grossProfit,
  });

  it('PARTIAL rejects a row whose gross profit is above its revenue, and writes the others', async () => {
    const account = await makeAccount(db.em());
    const rows = [
      figures('2024-Q1', '100', '500'),
      figures('2024-Q2', '100', '100'),
      figures('2024-Q3', '100', '-20'),
      // A credit note: a negative revenue keeps any gross profit.
      figures('2024-Q4', '-100', '5'),
      figures('2023-Q4', '0', '0.01'),
      // Told together with another problem of the row, not after it is fixed.
      figures('2024-Q5', '100', '500'),
    ].map(row => ({ ...row, accountRef: account.externalRef }));
    const result = await importFinancials(db.em(), rows, { mode: 'PARTIAL' }, testActor);
    expect(result).toMatchObject({ created: 3, rejected: 3, written: true });
    expect(result.rejections).toEqual([
      {
        index: 0,
        path: ['grossProfit'],
        code: 'GROSS_PROFIT_ABOVE_REVENUE',
        message:
          'must be at most the revenue, 100.00, but is 500.00: gross profit is revenue minus the cost of goods sold, so it cannot exceed the revenue. Check that the two amounts are not swapped, or correct the revenue',
      },
      expect.objectContaining({ index: 4, path: ['grossProfit'], code: 'GROSS_PROFIT_ABOVE_REVENUE' }),
      expect.objectContaining({ index: 5, path: ['quarter'], code: 'INVALID_QUARTER' }),
      expect.objectContaining({ index: 5, path: ['grossProfit'], code: 'GROSS_PROFIT_ABOVE_REVENUE' }),
    ]);
    const lines = await db
      .em()
      .find(QuarterlyFinancial, { account: account.id }, { orderBy: { quarter: 'asc' } });
    expect(lines.map(l => [l.quarter, l.revenue, l.grossProfit])).toEqual([
      ['2024-Q2', '100.00', '100.00'],
      ['2024-Q3', '100.00', '-20.00'],
      ['2024-Q4', '-100.00', '5.00'],
    ]);
  });

  it('ATOMIC writes nothing when one row has a gross profit above its revenue', async () => {
    const before = await tableCounts(db.em(), ['quarterly_financial', 'audit_entry']);
    const result = await importFinancials(
      db.em(),
      [figures('2022-Q1', '100', '50'), figures('2022-Q2', '100', '100.01')],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(result).toMatchObject({ created: 0, rejected: 1, written: false });
    expect(result.rejections.map(r => [r.index, r.path, r.code])).toEqual([
      [1, ['grossProfit'], 'GROSS_PROFIT_ABOVE_REVENUE'],
    ]);
    expect(await tableCounts(db.em(), ['quarterly_financial', 'audit_entry'])).toEqual(before);
  });
});
