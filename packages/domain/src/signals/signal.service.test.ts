import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeKpis } from '../analytics/kpis.ts';
import { today } from '../common/lookup.ts';
import { addQuarters, quarterOf } from '../common/quarter.ts';
import { writeAs } from '../common/unit-of-work.ts';
import { createContact } from '../team/team.service.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  makeBusinessUnit,
  type TestDatabase,
  testActor,
} from '../testing/index.ts';
import { OrganisationMeasurement } from './signal.entity.ts';
import { recordMeasurement, recordSignal, recordSurveyResponse } from './signal.service.ts';

let db: TestDatabase;
let accountId: number;
beforeAll(async () => {
  db = await createTestDatabase();
  accountId = (await makeAccount(db.em())).id;
});
afterAll(async () => {
  await db.close();
});

describe('customer signals', () => {
  it('feedback needs a sentiment; only feedback has one; only a referral has a value', async () => {
    const cases = [
      [{ kind: 'FEEDBACK' as const }, ['sentiment']],
      [{ kind: 'ADVICE_REQUEST' as const, sentiment: 'POSITIVE' as const }, ['sentiment']],
      [{ kind: 'EXPANSION_REQUEST' as const, value: '100.00' }, ['value']],
    ] as const;
    for (const [fields, path] of cases) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () => recordSignal(db.em(), { accountId, occurredOn: '2026-05-04', ...fields }, testActor),
        ['customer_signal'],
      );
      expect(error.issues.map(i => i.path)).toEqual([path]);
    }
  });

  it('a referral is worth the business it brings: a negative value is refused', async () => {
    const error = await expectRejected(
      db.em(),
      'INVALID_MONEY',
      () =>
        recordSignal(
          db.em(),
          { accountId, kind: 'REFERRAL', occurredOn: '2026-05-04', value: '-2500.00' },
          testActor,
        ),
      ['customer_signal'],
    );
    expect(error.issues).toMatchObject([{ path: ['value'], code: 'INVALID_MONEY' }]);
    expect(error.message).toContain('must not be negative');
  });

  it('derives the quarter from the date and keeps externalRef unique', async () => {
    const signal = await recordSignal(
      db.em(),
      { accountId, externalRef: 'SIG-1', kind: 'REFERRAL', occurredOn: '2026-09-30', value: '1200.50' },
      testActor,
    );
    expect([signal.quarter, signal.value]).toEqual(['2026-Q3', '1200.50']);
    await expectRejected(
      db.em(),
      'EXTERNAL_REF_TAKEN',
      () =>
        recordSignal(
          db.em(),
          {
            accountId,
            externalRef: 'SIG-1',
            kind: 'FEEDBACK',
            occurredOn: '2026-10-01',
            sentiment: 'NEGATIVE',
          },
          testActor,
        ),
      ['customer_signal'],
    );
  });
});

describe('survey responses', () => {
  it.each([0, 6, 4.5])('rejects score %s with SCORE_OUT_OF_RANGE and writes nothing', async score => {
    const error = await expectRejected(
      db.em(),
      'SCORE_OUT_OF_RANGE',
      () => recordSurveyResponse(db.em(), { accountId, respondedOn: '2026-05-01', score }, testActor),
      ['survey_response'],
    );
    expect(error.issues[0]?.path).toEqual(['score']);
  });

  it('refuses a contact of another account', async () => {
    const other = await makeAccount(db.em());
    const contact = await createContact(
      db.em(),
      { accountId: other.id, name: 'Fay', function: 'FINANCE', influence: 3 },
      testActor,
    );
    await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        recordSurveyResponse(
          db.em(),
          { accountId, contactId: contact.id, respondedOn: '2026-05-01', score: 4 },
          testActor,
        ),
      ['survey_response'],
    );
  });
});

describe('a signal and a survey response record what has happened: neither is dated after today', () => {
  it('recordSignal refuses occurredOn after today with DATE_IN_FUTURE at occurredOn, writing nothing; today is fine', async () => {
    const error = await expectRejected(
      db.em(),
      'DATE_IN_FUTURE',
      () =>
        recordSignal(
          db.em(),
          { accountId, kind: 'FEEDBACK', occurredOn: '2031-11-02', sentiment: 'POSITIVE' },
          testActor,
        ),
      ['customer_signal'],
    );
    expect(error.category).toBe('VALIDATION');
    expect(error.issues).toEqual([
      { path: ['occurredOn'], message: `after today (${today()})`, code: 'DATE_IN_FUTURE' },
    ]);
    expect(error.message).toBe(
      `occurredOn (2031-11-02) is after today (${today()}): a signal is recorded once it has happened. Date it today or earlier.`,
    );
    const signal = await recordSignal(
      db.em(),
      { accountId, kind: 'FEEDBACK', occurredOn: today(), sentiment: 'POSITIVE' },
      testActor,
    );
    expect(signal.occurredOn).toBe(today());
  });

  it('recordSurveyResponse refuses respondedOn after today with DATE_IN_FUTURE at respondedOn, writing nothing', async () => {
    const error = await expectRejected(
      db.em(),
      'DATE_IN_FUTURE',
      () => recordSurveyResponse(db.em(), { accountId, respondedOn: '2099-01-01', score: 4 }, testActor),
      ['survey_response'],
    );
    expect(error.issues.map(i => [i.path, i.code])).toEqual([[['respondedOn'], 'DATE_IN_FUTURE']]);
    expect(error.message).toBe(
      `respondedOn (2099-01-01) is after today (${today()}): a survey response is recorded once it has been given. Date it today or earlier.`,
    );
  });
});

describe('organisation measurements', () => {
  it('validate their value and scope', async () => {
    const unit = await makeBusinessUnit(db.em());
    for (const input of [
      { kind: 'MARKET_SHARE' as const, quarter: '2026-Q1', market: 'DACH', value: 101 },
      { kind: 'MARKET_SHARE' as const, quarter: '2026-Q1', market: 'DACH', value: '12.345' },
      { kind: 'MARKET_SHARE' as const, quarter: '2026-Q1', businessUnitId: unit.id, value: 10 },
      { kind: 'PEOPLE_SATISFACTION' as const, quarter: '2026-Q1', market: 'DACH', value: 70 },
    ]) {
      await expectRejected(db.em(), 'VALIDATION_FAILED', () => recordMeasurement(db.em(), input, testActor), [
        'organisation_measurement',
      ]);
    }
  });

  it('are of a quarter that has started (they measure what was), the running one included', async () => {
    const unit = await makeBusinessUnit(db.em());
    const next = addQuarters(quarterOf(new Date()), 1);
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        recordMeasurement(
          db.em(),
          { kind: 'PEOPLE_SATISFACTION', quarter: next, businessUnitId: unit.id, value: 70 },
          testActor,
        ),
      ['organisation_measurement'],
    );
    expect(error.issues.map(i => [i.path, i.code])).toEqual([[['quarter'], 'QUARTER_NOT_STARTED']]);
    const running = await recordMeasurement(
      db.em(),
      { kind: 'PEOPLE_SATISFACTION', quarter: quarterOf(new Date()), businessUnitId: unit.id, value: 70 },
      testActor,
    );
    expect(running.value).toBe('70.00');
  });

  it('a recorded measurement is corrected only with its current version', async () => {
    const unit = await makeBusinessUnit(db.em());
    const input = {
      kind: 'PEOPLE_SATISFACTION' as const,
      quarter: '2026-Q2',
      businessUnitId: unit.id,
      value: 71.5,
    };
    const first = await recordMeasurement(db.em(), input, testActor);
    expect([first.value, first.scopeKey]).toEqual(['71.50', `bu:${unit.code}`]);
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => recordMeasurement(db.em(), { ...input, value: 80 }, testActor),
      ['organisation_measurement'],
    );
    await recordMeasurement(db.em(), { ...input, value: 73, expectedVersion: 1 }, testActor);
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => recordMeasurement(db.em(), { ...input, value: 60, expectedVersion: 1 }, testActor),
      ['organisation_measurement'],
    );
    const stored = await db.em().findOneOrFail(OrganisationMeasurement, first.id);
    // A decimal column: SQLite hands it back without its trailing zeros.
    expect([Number(stored.value), stored.version]).toEqual([73, 2]);
  });
  it('need their scope: people satisfaction a business unit, market share a market (a blank one is none)', async () => {
    const unit = await makeBusinessUnit(db.em());
    const cases = [
      [
        { kind: 'PEOPLE_SATISFACTION' as const, quarter: '2026-Q3', value: '0' },
        'businessUnitId',
        'MEASUREMENT_BUSINESS_UNIT_REQUIRED',
      ],
      [
        { kind: 'PEOPLE_SATISFACTION' as const, quarter: '2026-Q3', businessUnitId: null, value: '0' },
        'businessUnitId',
        'MEASUREMENT_BUSINESS_UNIT_REQUIRED',
      ],
      [
        { kind: 'MARKET_SHARE' as const, quarter: '2026-Q3', value: '100' },
        'market',
        'MEASUREMENT_MARKET_REQUIRED',
      ],
      [
        { kind: 'MARKET_SHARE' as const, quarter: '2026-Q3', market: '  ', value: '100' },
        'market',
        'MEASUREMENT_MARKET_REQUIRED',
      ],
    ] as const;
    for (const [input, field, code] of cases) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () => recordMeasurement(db.em(), input, testActor),
        ['organisation_measurement'],
      );
      expect(error.issues.map(i => [i.path, i.code])).toEqual([[[field], code]]);
      expect(error.message).toContain(field === 'market' ? 'name the market' : 'name the business unit');
    }
    // A scope in the other field is one issue, at that field, saying where the scope goes.
    const misplaced = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        recordMeasurement(
          db.em(),
          { kind: 'PEOPLE_SATISFACTION', quarter: '2026-Q3', market: 'DACH', value: 70 },
          testActor,
        ),
      ['organisation_measurement'],
    );
    expect(misplaced.issues.map(i => [i.path, i.code])).toEqual([
      [['market'], 'MEASUREMENT_MARKET_NOT_ALLOWED'],
    ]);
    expect(misplaced.message).toContain('send businessUnitId instead');
    // A blank market is no market: with a business unit, people satisfaction is recorded.
    const recorded = await recordMeasurement(
      db.em(),
      { kind: 'PEOPLE_SATISFACTION', quarter: '2026-Q3', businessUnitId: unit.id, market: ' \t ', value: 70 },
      testActor,
    );
    expect([recorded.market, recorded.scopeKey]).toEqual([null, `bu:${unit.code}`]);
  });

  it('a correction of a measurement not recorded yet is a conflict, and writes nothing', async () => {
    const unit = await makeBusinessUnit(db.em());
    const input = {
      kind: 'PEOPLE_SATISFACTION' as const,
      quarter: '2026-Q4',
      businessUnitId: unit.id,
      value: 75,
      expectedVersion: 5,
    };
    const error = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => recordMeasurement(db.em(), input, testActor),
      ['organisation_measurement'],
    );
    expect(error.details).toMatchObject({ currentVersion: null });
    expect(error.message).toContain('not recorded');
    expect(error.message).toContain('leave out expectedVersion');
    const share = { kind: 'MARKET_SHARE' as const, quarter: '2026-Q4', market: 'Levant', value: 5 };
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => recordMeasurement(db.em(), { ...share, expectedVersion: 1 }, testActor),
      ['organisation_measurement'],
    );
  });

  it('stored without a scope (before it was required) are left out of the KPIs', async () => {
    const unitA = await makeBusinessUnit(db.em(), { code: 'PS-A' });
    const unitB = await makeBusinessUnit(db.em(), { code: 'PS-B' });
    const quarter = '2019-Q1';
    const record = (input: Parameters<typeof recordMeasurement>[1]) =>
      recordMeasurement(db.em(), input, testActor);
    await record({ kind: 'PEOPLE_SATISFACTION', quarter, businessUnitId: unitA.id, value: 70 });
    await record({ kind: 'PEOPLE_SATISFACTION', quarter, businessUnitId: unitB.id, value: 75.5 });
    await record({ kind: 'MARKET_SHARE', quarter, market: 'Iberia', value: 10 });
    await record({ kind: 'MARKET_SHARE', quarter, market: 'Benelux', value: 20.5 });
    // As the API stored them before a scope was required: scope key "all", no unit, no market.
    await writeAs(db.em(), testActor, async tx => {
      for (const [kind, value] of [
        ['PEOPLE_SATISFACTION', '0.00'],
        ['MARKET_SHARE', '100.00'],
      ] as const) {
        tx.create(OrganisationMeasurement, {
          kind,
          quarter,
          businessUnit: null,
          market: null,
          scopeKey: 'all',
          value,
        });
      }
    });
    const kpis = await computeKpis(db.em(), quarter, { trendQuarters: [quarter] });
    const people = kpis.find(k => k.code === 'PEOPLE_SATISFACTION');
    // The two units only: (70.00 + 75.50) ÷ 2 = 72.75, as their breakdown.
    expect(people?.value).toBe(72.75);
    expect(people?.byBusinessUnit).toEqual([
      { businessUnitCode: 'PS-A', value: 70 },
      { businessUnitCode: 'PS-B', value: 75.5 },
    ]);
    expect(people?.detail).toEqual({ measurements: 2 });
    const market = kpis.find(k => k.code === 'MARKET_SHARE');
    // The two markets only: (10.00 + 20.50) ÷ 2 = 15.25.
    expect(market?.value).toBe(15.25);
    expect(market?.detail).toEqual({ Benelux: 20.5, Iberia: 10 });
    // Nothing stored is lost.
    expect(await db.em().count(OrganisationMeasurement, { quarter, scopeKey: 'all' })).toBe(2);
  });
});

describe('markets', () => {
  const share = (quarter: string, market: string, value: number, expectedVersion?: number) =>
    recordMeasurement(db.em(), { kind: 'MARKET_SHARE', quarter, market, value, expectedVersion }, testActor);

  it('are the same market whatever their case and spacing: a second spelling is the same measurement', async () => {
    const first = await share('2021-Q1', 'DACH', 12.5);
    expect([first.market, first.scopeKey]).toEqual(['DACH', 'market:dach']);
    // As recording "DACH" twice: VERSION_CONFLICT naming the version to send, nothing written.
    // Full-width letters are NFKC's compatibility forms of the same letters.
    for (const spelling of ['DACH', 'dach', 'Dach ', '  dach  ', 'ＤＡＣＨ']) {
      const error = await expectRejected(db.em(), 'VERSION_CONFLICT', () => share('2021-Q1', spelling, 14), [
        'organisation_measurement',
      ]);
      expect(error.details).toMatchObject({ currentVersion: 1 });
    }
    // A correction under another spelling corrects that measurement and keeps the first spelling.
    const corrected = await share('2021-Q1', 'dach', 14, 1);
    expect([corrected.id, corrected.market, corrected.version]).toEqual([first.id, 'DACH', 2]);
    await expectRejected(db.em(), 'VERSION_CONFLICT', () => share('2021-Q1', 'Dach', 15, 1), [
      'organisation_measurement',
    ]);
    // Inner runs of spaces count as one; a later quarter is shown under the market's first spelling.
    const spaced = await share('2021-Q1', 'North  America', 20);
    expect([spaced.market, spaced.scopeKey]).toEqual(['North America', 'market:north america']);
    for (const spelling of ['north america', 'NORTH\u00a0AMERICA', 'North \t America']) {
      await expectRejected(db.em(), 'VERSION_CONFLICT', () => share('2021-Q1', spelling, 21), [
        'organisation_measurement',
      ]);
    }
    const later = await share('2021-Q2', 'dAcH', 16);
    expect([later.market, later.scopeKey]).toEqual(['DACH', 'market:dach']);
    expect(
      await db.em().count(OrganisationMeasurement, { kind: 'MARKET_SHARE', quarter: { $like: '2021-%' } }),
    ).toBe(3);
    // NFKC writes ﷺ as 18 letters: 9 of them (within the 120 characters) make a key too long to store.
    const error = await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () => share('2021-Q1', 'ﷺ'.repeat(9), 1),
      ['organisation_measurement'],
    );
    expect(error.issues).toEqual([
      { path: ['market'], message: 'too long once normalised', code: 'TOO_BIG' },
    ]);
  });

  it('count once in the MARKET_SHARE KPI, under their first spelling', async () => {
    await share('2020-Q3', 'Iberia', 10);
    await share('2020-Q3', 'Benelux', 20);
    await expectRejected(db.em(), 'VERSION_CONFLICT', () => share('2020-Q3', 'IBERIA', 40), [
      'organisation_measurement',
    ]);
    await share('2020-Q3', 'iberia ', 12, 1);
    const kpis = await computeKpis(db.em(), '2020-Q3', { trendQuarters: ['2020-Q3'] });
    const marketShare = kpis.find(k => k.code === 'MARKET_SHARE');
    // Two markets: (12.00 + 20.00) ÷ 2 = 16.00.
    expect(marketShare?.value).toBe(16);
    expect(marketShare?.detail).toEqual({ Benelux: 20, Iberia: 12 });
  });
});
