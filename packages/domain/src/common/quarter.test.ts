import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFinancials } from '../accounts/account.service.ts';
import { computeKpis } from '../analytics/kpis.ts';
import { periodOf } from '../analytics/period.ts';
import { assessTier } from '../journey/journey.service.ts';
import { updateKpiDefinition } from '../kpis/kpi.service.ts';
import { recordMeasurement } from '../signals/signal.service.ts';
import { closeQuarter } from '../snapshots/close-quarter.ts';
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
  quarterFromIndex,
  quarterIndex,
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

describe('quarters of the years 1900 to 2999 (pure)', () => {
  it('accepts the first and the last year, and refuses the years around them', () => {
    for (const good of ['1900-Q1', '2999-Q4']) expect(isQuarter(good), good).toBe(true);
    for (const bad of ['0000-Q1', '0999-Q4', '1899-Q4', '3000-Q1', '9999-Q4'])
      expect(isQuarter(bad), bad).toBe(false);
  });

  it('says which years a quarter may be in', () => {
    // Was "must be written 0000-Q1 (year, hyphen, …)": telling the user to write what they wrote.
    for (const bad of ['0000-Q1', '0999-Q4', '1899-Q4', '3000-Q1'])
      expect(refusalOf(quarterSchema, bad), bad).toBe(
        `must be a quarter of the years 1900 to 2999, written YYYY-Qn; there is no ${bad} in kam`,
      );
    let caught: unknown;
    try {
      parseQuarter('0000-Q1');
    } catch (error) {
      caught = error;
    }
    expect((caught as DomainError).code).toBe('INVALID_QUARTER');
    expect((caught as DomainError).message).toBe(
      'quarter must be a quarter of the years 1900 to 2999, written YYYY-Qn; there is no 0000-Q1 in kam; got "0000-Q1".',
    );
  });

  it('writes every year of quarter arithmetic with four digits, so its results parse again', () => {
    // Was `-1-Q-2` for 0000-Q1 − 3 quarters, which quarterIndex then refused ("Not a quarter").
    expect(quarterFromIndex(0)).toBe('0000-Q1');
    expect(quarterFromIndex(999 * 4 + 3)).toBe('0999-Q4');
    expect(quarterFromIndex(9999 * 4 + 3)).toBe('9999-Q4');
    expect(() => quarterFromIndex(-3)).toThrow(RangeError);
    expect(() => quarterFromIndex(10_000 * 4)).toThrow(RangeError);
    expect(quarterOf('0999-12-31')).toBe('0999-Q4');
    expect(quarterStart('0999-Q4')).toBe('0999-10-01');
    // Eight quarters (the year-on-year window) before the first quarter allowed.
    expect(addQuarters('1900-Q1', -8)).toBe('1898-Q1');
    expect(quarterIndex(addQuarters('1900-Q1', -8))).toBe(1898 * 4);
    expect(trailingQuarters('1900-Q1', 9)[0]).toBe('1898-Q1');
    expect(periodOf('1900-Q1')).toMatchObject({
      ttmStart: '1899-Q2',
      priorStart: '1898-Q2',
      priorEnd: '1899-Q1',
      previousQuarter: '1899-Q4',
    });
    expect(quarterEnd('2999-Q4')).toBe('2999-12-31');
    expect(addQuarters('2999-Q4', 8)).toBe('3001-Q4');
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
    for (const quarter of ['2026-Q5', '2026-q1', '2026-1', '0000-Q1', '0999-Q4', '1899-Q4']) {
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

describe('the first quarter allowed has analytics and closes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const account = await makeAccount(db.em());
    for (const quarter of ['1900-Q1', '1900-Q2'])
      await recordFinancials(
        db.em(),
        { accountId: account.id, quarter, revenue: '10.00', grossProfit: '1.00', costToServe: '1.00' },
        testActor,
      );
  });
  afterAll(async () => {
    await db.close();
  });

  it('computes the KPIs, whose baseline search steps back from the first quarter with data', async () => {
    for (const quarter of ['1900-Q1', '1900-Q2', '1902-Q1']) {
      const kpis = await computeKpis(db.em(), quarter);
      expect(kpis, quarter).toHaveLength(13);
    }
  });

  it('closes it', async () => {
    const closed = await closeQuarter(db.em(), '1900-Q1', testActor);
    expect(closed).toMatchObject({ quarter: '1900-Q1', revision: 1, accounts: 1 });
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
