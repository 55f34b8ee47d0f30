import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFinancials } from '../accounts/account.service.ts';
import { upsertOpportunities } from '../bulk/opportunities.bulk.ts';
import { Opportunity } from '../opportunities/opportunity.entity.ts';
import { createOpportunity } from '../opportunities/opportunity.service.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  makeBusinessUnit,
  refusalOf,
  type TestDatabase,
  testActor,
} from '../testing/index.ts';
import { createValueInitiative, recordInitiativeGains } from '../value/value.service.ts';
import { DomainError } from './domain-error.ts';
import {
  centsFromDb,
  fromCents,
  MAX_MONEY_CENTS,
  MoneyType,
  money,
  subtractMoney,
  sumMoney,
  toCents,
} from './money.ts';
import { moneySchema } from './validation.ts';

describe('money arithmetic (pure)', () => {
  it('parses decimal amounts into exact cents', () => {
    expect(toCents('0.10')).toBe(10n);
    expect(toCents('0.1')).toBe(10n);
    expect(toCents('12')).toBe(1200n);
    expect(toCents('-3.05')).toBe(-305n);
    expect(toCents(0.2)).toBe(20n);
    expect(toCents(' 1250.50 ')).toBe(125050n);
    expect(toCents(7n)).toBe(700n);
    // The parser itself is exact far beyond the storable range.
    expect(toCents('9999999999999999.99')).toBe(999999999999999999n);
  });

  it('rejects three decimals, exponents, text and non-finite numbers with INVALID_MONEY', () => {
    for (const bad of ['1.005', '1e3', 'lots', '', '1,50', '.5', '12345678901234567', Number.NaN, 1e21]) {
      let caught: unknown;
      try {
        toCents(bad, 'revenue');
      } catch (error) {
        caught = error;
      }
      expect(caught, String(bad)).toBeInstanceOf(DomainError);
      expect((caught as DomainError).code).toBe('INVALID_MONEY');
      expect((caught as DomainError).issues[0]?.path).toEqual(['revenue']);
    }
  });

  it('formats cents with exactly two decimals', () => {
    expect(fromCents(0n)).toBe('0.00');
    expect(fromCents(5n)).toBe('0.05');
    expect(fromCents(-5n)).toBe('-0.05');
    expect(fromCents(123456n)).toBe('1234.56');
    expect(money('12.5')).toBe('12.50');
  });

  it('sums 0.10 and 0.20 a thousand times without drift, where binary floats drift', () => {
    const amounts = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? '0.10' : '0.20'));
    // 500 × 0.10 + 500 × 0.20 = 50 + 100 = 150
    expect(sumMoney(amounts)).toBe('150.00');
    const float = amounts.reduce((total, a) => total + Number(a), 0);
    expect(float).not.toBe(150);
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumMoney(['0.10', '0.20'])).toBe('0.30');
    expect(subtractMoney('0.30', '0.10')).toBe('0.20');
    expect(sumMoney([null, undefined, '1.01'])).toBe('1.01');
  });

  it('reads database aggregates of cents exactly, whatever type the driver returns', () => {
    expect(centsFromDb(15000)).toBe(15000n);
    expect(centsFromDb('15000')).toBe(15000n);
    expect(centsFromDb('15000.000')).toBe(15000n);
    expect(centsFromDb(15000n)).toBe(15000n);
    expect(centsFromDb(null)).toBe(0n);
    expect(() => centsFromDb(150.5)).toThrow(/non-integer/);
  });

  it('the column type refuses amounts beyond the exact range', () => {
    const type = new MoneyType();
    expect(type.convertToDatabaseValue('0.10')).toBe(10);
    expect(type.convertToJSValue(10)).toBe('0.10');
    expect(type.convertToJSValue('12345678901234505')).toBe('123456789012345.05');
    expect(() => type.convertToDatabaseValue(fromCents(MAX_MONEY_CENTS + 1n))).toThrow(DomainError);
  });
});

describe('a refused amount says how to write it', () => {
  const why = (value: unknown) => refusalOf(moneySchema, value);
  it('names the usual spreadsheet slips, each with its own hint', () => {
    expect(why('1,250.50')).toBe('must be written without thousands separators, like 1250.50');
    expect(why("1'250'000")).toBe('must be written without thousands separators, like 1250.50');
    expect(why('1250,50')).toBe('must use a point for the decimals, like 1250.50');
    expect(why('1250.505')).toBe('must have at most two decimals (whole cents), like 1250.50');
    expect(why(0.1 + 0.2)).toBe('must have at most two decimals (whole cents), like 1250.50');
    expect(why('1e3')).toBe('must be written out, not in exponent notation, like 1250.50');
    expect(why('€1250')).toMatch(/^must be a plain number without a currency sign or code/);
    expect(why('1250 EUR')).toMatch(/^must be a plain number without a currency sign or code/);
    expect(why('99999999999999999')).toBe(
      'must be at most 90071992547409.91 either way (kam stores amounts in cents exactly)',
    );
    expect(why('n/a')).toBe('must be a decimal amount with at most two decimals, like 1250.50');
    expect(why(' 1250 ')).toBe('accepted');
  });
});

describe('money in the database', () => {
  let db: TestDatabase;
  let accountId: number;
  let businessUnitId: number;
  beforeAll(async () => {
    db = await createTestDatabase();
    const account = await makeAccount(db.em(), { externalRef: 'MONEY-1' });
    const unit = await makeBusinessUnit(db.em(), { code: 'MONEY-BU' });
    accountId = account.id;
    businessUnitId = unit.id;
  });
  afterAll(async () => {
    await db.close();
  });

  it('stores a thousand bulk amounts of 0.10 and 0.20 and sums them exactly in SQL', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      externalRef: `MONEY-OP-${i}`,
      accountRef: 'MONEY-1',
      businessUnitCode: 'MONEY-BU',
      name: `Bid ${i}`,
      value: i % 2 === 0 ? '0.10' : '0.20',
    }));
    expect(await upsertOpportunities(db.em(), rows, { mode: 'ATOMIC' }, testActor)).toMatchObject({
      created: 1000,
    });
    const [row] = await db
      .em()
      .getConnection()
      .execute<{ total: unknown; n: unknown }[]>(
        "select sum(value) as total, count(*) as n from opportunity where external_ref like 'MONEY-OP-%'",
      );
    expect(Number(row?.n)).toBe(1000);
    // 500 × 10 + 500 × 20 = 15000 cents
    expect(fromCents(centsFromDb(row?.total))).toBe('150.00');
    const [raw] = await db
      .em()
      .getConnection()
      .execute<{ value: unknown }[]>("select value from opportunity where external_ref = 'MONEY-OP-1'");
    expect(Number(raw?.value)).toBe(20);
    const loaded = await db.em().find(Opportunity, { externalRef: { $like: 'MONEY-OP-%' } });
    expect(sumMoney(loaded.map(o => o.value))).toBe('150.00');
    expect(new Set(loaded.map(o => o.value))).toEqual(new Set(['0.10', '0.20']));
  });

  it('keeps the largest accepted and the negative amounts exact through a round trip', async () => {
    // 2^53 − 1 cents: the largest amount a driver hands over as an exact JS number.
    const largest = '90071992547409.91';
    expect(fromCents(MAX_MONEY_CENTS)).toBe(largest);
    await recordFinancials(
      db.em(),
      {
        accountId,
        businessUnitId,
        quarter: '2026-Q1',
        revenue: largest,
        grossProfit: '-0.01',
        costToServe: '0.01',
      },
      testActor,
    );
    const [row] = await db
      .em()
      .getConnection()
      .execute<{ revenue: unknown; gross_profit: unknown; margin: unknown }[]>(
        'select revenue, gross_profit, revenue + gross_profit as margin from quarterly_financial where account_id = ?',
        [accountId],
      );
    expect(fromCents(centsFromDb(row?.revenue))).toBe(largest);
    expect(fromCents(centsFromDb(row?.gross_profit))).toBe('-0.01');
    expect(fromCents(centsFromDb(row?.margin))).toBe('90071992547409.90');
  });

  it('refuses an amount a driver could not carry exactly, instead of storing it rounded', async () => {
    // One cent above 2^53 − 1 cents: as a JS number it would round to …409.92 or …409.94.
    const error = await expectRejected(
      db.em(),
      'INVALID_MONEY',
      () =>
        recordFinancials(
          db.em(),
          {
            accountId,
            businessUnitId,
            quarter: '2026-Q2',
            revenue: '90071992547409.93',
            grossProfit: '0',
            costToServe: '0',
          },
          testActor,
        ),
      ['quarterly_financial'],
    );
    expect(error.issues[0]?.path).toEqual(['revenue']);
    const bulk = await upsertOpportunities(
      db.em(),
      [
        {
          externalRef: 'MONEY-HUGE',
          accountRef: 'MONEY-1',
          businessUnitCode: 'MONEY-BU',
          name: 'Too large',
          value: '99999999999999.99',
        },
      ],
      { mode: 'PARTIAL' },
      testActor,
    );
    expect(bulk.rejections.map(r => [r.index, r.path.join('.'), r.code])).toEqual([
      [0, 'value', 'INVALID_MONEY'],
    ]);
    expect(await db.em().count(Opportunity, { externalRef: 'MONEY-HUGE' })).toBe(0);
  });

  it('rejects an inexact amount in a use case and writes nothing', async () => {
    await expectRejected(
      db.em(),
      'INVALID_MONEY',
      () =>
        createOpportunity(
          db.em(),
          { accountId, businessUnitId, name: 'Third of a cent', value: '10.001' },
          testActor,
        ),
      ['opportunity'],
    );
    await expectRejected(
      db.em(),
      'INVALID_MONEY',
      () =>
        createOpportunity(db.em(), { accountId, businessUnitId, name: 'Negative', value: '-1' }, testActor),
      ['opportunity'],
    );
    const initiative = await createValueInitiative(
      db.em(),
      { accountId, name: 'Exact gains', category: 'UNTAPPED' },
      testActor,
    );
    await expectRejected(
      db.em(),
      'INVALID_MONEY',
      () =>
        recordInitiativeGains(
          db.em(),
          { id: initiative.id, expectedVersion: 1, customerGain: 0.125 },
          testActor,
        ),
      ['value_initiative'],
    );
  });
});
