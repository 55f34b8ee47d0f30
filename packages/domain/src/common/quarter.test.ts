import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFinancials } from '../accounts/account.service.ts';
import { assessTier } from '../journey/journey.service.ts';
import { updateKpiDefinition } from '../kpis/kpi.service.ts';
import { recordMeasurement } from '../signals/signal.service.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  refusalOf,
  type TestDatabase,
  testActor,
} from '../testing/index.ts';
import { DomainError } from './domain-error.ts';
import {
  addQuarters,
  isQuarter,
  parseQuarter,
  quarterEnd,
  quarterOf,
  quarterRange,
  quarterStart,
  trailingQuarters,
} from './quarter.ts';
import { isoDateSchema, quarterSchema } from './validation.ts';

const BAD_QUARTERS = [
  '2026-3',
  '2026-Q0',
  '2026-Q5',
  '2026-q3',
  '26-Q3',
  '2026Q3',
  ' 2026-Q3',
  '2026-Q3 ',
  'Q3-2026',
  '',
];

describe('quarter format YYYY-Qn (pure)', () => {
  it('accepts only YYYY-Q1 … YYYY-Q4', () => {
    for (const good of ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4', '1999-Q4'])
      expect(isQuarter(good)).toBe(true);
    for (const bad of BAD_QUARTERS) expect(isQuarter(bad), JSON.stringify(bad)).toBe(false);
    expect(isQuarter(20263)).toBe(false);
  });

  it('parseQuarter throws INVALID_QUARTER naming the field and the expected format', () => {
    let caught: unknown;
    try {
      parseQuarter('2026-Q5', 'baselineQuarter');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    const error = caught as DomainError;
    expect(error.code).toBe('INVALID_QUARTER');
    expect(error.category).toBe('VALIDATION');
    expect(error.message).toBe(
      `baselineQuarter must be one of the year's four quarters, Q1 to Q4 (YYYY-Qn); there is no Q5; got "2026-Q5".`,
    );
    expect(error.issues).toEqual([
      {
        path: ['baselineQuarter'],
        message: "must be one of the year's four quarters, Q1 to Q4 (YYYY-Qn); there is no Q5",
        code: 'INVALID_QUARTER',
      },
    ]);
  });

  it('does quarter arithmetic across year boundaries', () => {
    expect(addQuarters('2026-Q4', 1)).toBe('2027-Q1');
    expect(addQuarters('2026-Q1', -1)).toBe('2025-Q4');
    expect(trailingQuarters('2026-Q2', 4)).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2']);
    expect(quarterRange('2025-Q4', '2026-Q2')).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
    expect(quarterRange('2026-Q2', '2025-Q4')).toEqual([]);
    expect(quarterOf('2026-03-31')).toBe('2026-Q1');
    expect(quarterOf('2026-04-01')).toBe('2026-Q2');
    expect(quarterStart('2026-Q3')).toBe('2026-07-01');
    expect(quarterEnd('2026-Q1')).toBe('2026-03-31');
    expect(quarterEnd('2024-Q1')).toBe('2024-03-31');
    expect(quarterEnd('2026-Q4')).toBe('2026-12-31');
  });
});

describe('a refused quarter says how to write it', () => {
  const why = (value: unknown) => refusalOf(quarterSchema, value);
  it('shows the spelling meant, or says that a year has four quarters', () => {
    expect(why('2026q3')).toBe("must be written 2026-Q3 (year, hyphen, capital Q and the quarter's number)");
    expect(why('2026 Q3')).toBe("must be written 2026-Q3 (year, hyphen, capital Q and the quarter's number)");
    expect(why('Q3 2026')).toBe("must be written 2026-Q3 (year, hyphen, capital Q and the quarter's number)");
    expect(why('Q3/2026')).toBe("must be written 2026-Q3 (year, hyphen, capital Q and the quarter's number)");
    expect(why('2026-Q5')).toBe(
      "must be one of the year's four quarters, Q1 to Q4 (YYYY-Qn); there is no Q5",
    );
    expect(why('third quarter')).toBe('must be a quarter written YYYY-Qn, e.g. 2026-Q3');
    expect(why('2026-Q3')).toBe('accepted');
  });

  it('reads a long run of spaces in linear time (the hint runs on untrusted text)', () => {
    expect(why('2026 - Q3')).toBe(
      "must be written 2026-Q3 (year, hyphen, capital Q and the quarter's number)",
    );
    expect(why('2026 -- Q3')).toBe('must be a quarter written YYYY-Qn, e.g. 2026-Q3');
    const spaces = ' '.repeat(200_000);
    const started = performance.now();
    expect(why(`2026${spaces}x`)).toBe('must be a quarter written YYYY-Qn, e.g. 2026-Q3');
    expect(why(`Q3${spaces}x`)).toBe('must be a quarter written YYYY-Qn, e.g. 2026-Q3');
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('use cases refuse a malformed quarter and write nothing', () => {
  let db: TestDatabase;
  let accountId: number;
  beforeAll(async () => {
    db = await createTestDatabase();
    accountId = (await makeAccount(db.em())).id;
  });
  afterAll(async () => {
    await db.close();
  });

  it('recordFinancials', async () => {
    for (const quarter of ['2026-Q5', '2026-q1', '2026-1']) {
      const error = await expectRejected(
        db.em(),
        'INVALID_QUARTER',
        () =>
          recordFinancials(
            db.em(),
            { accountId, quarter, revenue: '1.00', grossProfit: '1.00', costToServe: '0' },
            testActor,
          ),
        ['quarterly_financial'],
      );
      expect(error.issues[0]?.path).toEqual(['quarter']);
    }
  });

  it('assessTier, recordMeasurement and the KPI baseline', async () => {
    await expectRejected(
      db.em(),
      'INVALID_QUARTER',
      () =>
        assessTier(
          db.em(),
          { accountId, quarter: '2026-Q0', tier: 'TIER_3', evidence: 'Shared services' },
          testActor,
        ),
      ['tier_assessment'],
    );
    await expectRejected(
      db.em(),
      'INVALID_QUARTER',
      () =>
        recordMeasurement(
          db.em(),
          { kind: 'MARKET_SHARE', quarter: '2026/Q1', market: 'DACH', value: 12 },
          testActor,
        ),
      ['organisation_measurement'],
    );
    await expectRejected(
      db.em(),
      'INVALID_QUARTER',
      () =>
        updateKpiDefinition(
          db.em(),
          { code: 'WIN_RATE', expectedVersion: 1, baselineQuarter: '2026-Q9' },
          testActor,
        ),
      ['kpi_definition'],
    );
  });
});

describe('a refused date says how to write it', () => {
  const why = (value: unknown) => refusalOf(isoDateSchema, value);
  it('names the missing zeros, a day the calendar lacks, an ambiguous order or a time', () => {
    expect(why('2026-2-3')).toBe('must be written 2026-02-03 (YYYY-MM-DD, with leading zeros)');
    expect(why('2026-02-30')).toBe('must be a day of the calendar: 2026-02 has 28 days');
    expect(why('2028-02-30')).toBe('must be a day of the calendar: 2028-02 has 29 days');
    expect(why('2026-04-00')).toBe('must be a day of the calendar: days start at 01');
    expect(why('2026-13-01')).toBe('must be a day of the calendar: there is no month 13');
    expect(why('06/12/2026')).toBe(
      'must be written YYYY-MM-DD: 06/12/2026 could be 2026-12-06 or 2026-06-12',
    );
    expect(why('25.12.2026')).toBe('must be written 2026-12-25 (YYYY-MM-DD)');
    expect(why('12/25/2026')).toBe('must be written 2026-12-25 (YYYY-MM-DD)');
    expect(why('5/5/2026')).toBe('must be written 2026-05-05 (YYYY-MM-DD)');
    expect(why('31/02/2026')).toBe('must be a day of the calendar, read day first or month first');
    expect(why('2026-12-06T10:00:00Z')).toBe('must be a date alone, 2026-12-06, without a time');
    expect(why('soon')).toBe('must be a date written YYYY-MM-DD');
    expect(why(20261206)).toBe('must be a date written YYYY-MM-DD');
    expect(why('2028-02-29')).toBe('accepted');
  });
});
