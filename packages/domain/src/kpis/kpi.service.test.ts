import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiDefinitions } from '../analytics/kpis.ts';
import { addQuarters, quarterOf } from '../common/quarter.ts';
import { KPI_CODES, type KpiCode } from '../common/vocabulary.ts';
import { createTestDatabase, expectRejected, type TestDatabase, testActor } from '../testing/index.ts';
import { updateKpiDefinition } from './kpi.service.ts';
import { KpiDefinition } from './kpi-definition.entity.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe('KPI definitions', () => {
  it('the thirteen KPIs exist, WIN_RATE with its 80 % target', async () => {
    const kpis = await db.em().find(KpiDefinition, {}, { orderBy: { code: 'asc' } });
    expect(kpis.map(k => k.code)).toEqual([...KPI_CODES].sort());
    const winRate = kpis.find(k => k.code === 'WIN_RATE');
    expect(Number(winRate?.target)).toBe(80);
  });

  it('sets a target and a baseline quarter with the current version', async () => {
    const kpi = await updateKpiDefinition(
      db.em(),
      { code: 'REFERRALS', expectedVersion: 1, target: '12.5', baselineQuarter: '2026-Q1' },
      testActor,
    );
    expect([Number(kpi.target), kpi.baselineQuarter, kpi.version]).toEqual([12.5, '2026-Q1', 2]);
  });

  it('reads targets back as the same canonical text on every database ("12.5", "80", not "12.5000")', async () => {
    await updateKpiDefinition(
      db.em(),
      { code: 'CUSTOMER_RETENTION', expectedVersion: 1, target: '0.2500' },
      testActor,
    );
    const read = await db.em().find(KpiDefinition, { code: ['REFERRALS', 'WIN_RATE', 'CUSTOMER_RETENTION'] });
    expect(Object.fromEntries(read.map(k => [k.code, k.target]))).toEqual({
      REFERRALS: '12.5',
      WIN_RATE: '80',
      CUSTOMER_RETENTION: '0.25',
    });
  });

  it('refuses a malformed target or baseline and an unknown KPI, writing nothing', async () => {
    for (const target of ['lots', '1.23456', '1e3']) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () => updateKpiDefinition(db.em(), { code: 'WIN_RATE', expectedVersion: 1, target }, testActor),
        ['kpi_definition'],
      );
      expect(error.issues[0]?.path).toEqual(['target']);
    }
    await expectRejected(
      db.em(),
      'INVALID_QUARTER',
      () =>
        updateKpiDefinition(
          db.em(),
          { code: 'WIN_RATE', expectedVersion: 1, baselineQuarter: '2026' },
          testActor,
        ),
      ['kpi_definition'],
    );
    await expectRejected(
      db.em(),
      'VALIDATION_FAILED',
      () =>
        updateKpiDefinition(
          db.em(),
          { code: 'HAPPINESS' as 'WIN_RATE', expectedVersion: 1, target: '1' },
          testActor,
        ),
      ['kpi_definition'],
    );
    const winRate = await db.em().findOneOrFail(KpiDefinition, { code: 'WIN_RATE' });
    expect([Number(winRate.target), winRate.version]).toEqual([80, 1]);
  });

  it('refuses a target outside the values its KPI can take, naming the range, writing nothing', async () => {
    const cases: [KpiCode, string, string][] = [
      ['WIN_RATE', '8000', 'WIN_RATE is a percentage from 0 to 100 (80 means 80 %)'],
      ['WIN_RATE', '-5', 'WIN_RATE is a percentage from 0 to 100'],
      ['CUSTOMER_RETENTION', '100.5', 'CUSTOMER_RETENTION is a percentage from 0 to 100'],
      ['CUSTOMER_SATISFACTION', '42', 'CUSTOMER_SATISFACTION is a mean survey score from 1 to 5'],
      ['PEOPLE_SATISFACTION', '101', 'PEOPLE_SATISFACTION is an index from 0 to 100'],
      ['KEY_ACCOUNT_GROWTH', '-100.01', 'KEY_ACCOUNT_GROWTH is a growth in percent of at least -100'],
      ['REFERRALS', '-1', 'REFERRALS is a count of at least 0'],
      ['CUSTOMER_LIFETIME_VALUE', '-1000', 'CUSTOMER_LIFETIME_VALUE is an amount of at least 0'],
    ];
    for (const [code, target, message] of cases) {
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () => updateKpiDefinition(db.em(), { code, expectedVersion: 1, target }, testActor),
        ['kpi_definition'],
      );
      expect(error.issues).toEqual([
        { path: ['target'], code: 'KPI_TARGET_OUT_OF_RANGE', message: expect.any(String) },
      ]);
      expect(error.message).toContain(message);
      expect(error.message).toContain(`got ${target}`);
    }
    const winRate = await db.em().findOneOrFail(KpiDefinition, { code: 'WIN_RATE' });
    expect([Number(winRate.target), winRate.version]).toEqual([80, 1]);
  });

  it('accepts the ends of each range and any ratio', async () => {
    const accepted: [KpiCode, string][] = [
      ['VALUE_DEMONSTRATED', '100'],
      ['POSITIVE_FEEDBACK', '0'],
      ['CUSTOMER_SATISFACTION', '1'],
      ['KEY_ACCOUNT_GROWTH', '250'],
      ['KEY_VS_CONTROL_GROWTH', '-0.5'],
      ['EXPANSION_REQUESTS', '0'],
    ];
    for (const [code, target] of accepted) {
      const kpi = await updateKpiDefinition(db.em(), { code, expectedVersion: 1, target }, testActor);
      expect(Number(kpi.target)).toBe(Number(target));
    }
  });

  it('a stale expectedVersion is VERSION_CONFLICT and changes nothing', async () => {
    await updateKpiDefinition(db.em(), { code: 'MARKET_SHARE', expectedVersion: 1, target: '25' }, testActor);
    const error = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () =>
        updateKpiDefinition(db.em(), { code: 'MARKET_SHARE', expectedVersion: 1, target: '30' }, testActor),
      ['kpi_definition'],
    );
    expect(error.details).toMatchObject({ entity: 'KpiDefinition', expectedVersion: 1, currentVersion: 2 });
    const kpi = await db.em().findOneOrFail(KpiDefinition, { code: 'MARKET_SHARE' });
    expect([Number(kpi.target), kpi.version]).toEqual([25, 2]);
  });

  /** The version a KPI has now (the tests above move some on). */
  async function versionOf(code: KpiCode) {
    return (await db.em().findOneOrFail(KpiDefinition, { code })).version;
  }

  it('a malformed target is INVALID_DECIMAL alone, told how to write it, not also out of range', async () => {
    // "80%" and "1,000.50" were also KPI_TARGET_OUT_OF_RANGE "…; got 80%": the range was checked
    // on a text that is not a number.
    const cases: [KpiCode, string, string][] = [
      ['WIN_RATE', '80%', 'must be written 80, without the percent sign (80 means 80 %)'],
      ['CUSTOMER_LIFETIME_VALUE', '1,000.50', 'must be written without thousands separators, like 12.5'],
      ['WIN_RATE', '80,5', 'must use a point for the decimals, like 12.5'],
      ['WIN_RATE', '8e1', 'must be written out, not in exponent notation, like 12.5'],
      ['REFERRALS', 'lots', 'must be a number with at most 4 decimals, like 12.5'],
    ];
    for (const [code, target, message] of cases) {
      const version = await versionOf(code);
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () => updateKpiDefinition(db.em(), { code, expectedVersion: version, target }, testActor),
        ['kpi_definition'],
      );
      expect(error.issues).toEqual([{ path: ['target'], code: 'INVALID_DECIMAL', message }]);
      expect(await versionOf(code)).toBe(version);
    }
  });

  it('a target with too many digits before the point is told that limit, not the decimals', async () => {
    // Was "must be a number with at most four decimals" for a target with two.
    for (const target of ['99999999999999999999.99', '12345678901']) {
      const expectedVersion = await versionOf('CUSTOMER_LIFETIME_VALUE');
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () =>
          updateKpiDefinition(
            db.em(),
            { code: 'CUSTOMER_LIFETIME_VALUE', expectedVersion, target },
            testActor,
          ),
        ['kpi_definition'],
      );
      expect(error.issues).toEqual([
        {
          path: ['target'],
          code: 'INVALID_DECIMAL',
          message: 'must have at most 10 digits before the point (at most 9999999999.9999 either way)',
        },
      ]);
    }
    // The largest target the column holds: ten digits before the point, four after it.
    const kpi = await updateKpiDefinition(
      db.em(),
      {
        code: 'CUSTOMER_LIFETIME_VALUE',
        expectedVersion: await versionOf('CUSTOMER_LIFETIME_VALUE'),
        target: '9999999999.9999',
      },
      testActor,
    );
    expect(kpi.target).toBe('9999999999.9999');
  });

  it('stores a target in its canonical decimal form, as the defaults are written', async () => {
    // "007" was stored and shown as "007", "-0" as "-0".
    const cases: [KpiCode, string | number, string][] = [
      ['REFERRALS', '007', '7'],
      ['ADVICE_REQUESTS', '-0', '0'],
      ['ADVICE_REQUESTS', '-0.000', '0'],
      ['CUSTOMER_RETENTION', ' 095.50 ', '95.5'],
      ['KEY_VS_CONTROL_GROWTH', '-00.2500', '-0.25'],
      ['WIN_RATE', 80, '80'],
    ];
    for (const [code, target, stored] of cases) {
      const kpi = await updateKpiDefinition(
        db.em(),
        { code, expectedVersion: await versionOf(code), target },
        testActor,
      );
      expect(kpi.target).toBe(stored);
      const view = (await kpiDefinitions(db.em())).find(k => k.code === code);
      expect(view?.target).toBe(Number(stored));
    }
  });

  it('refuses a baseline quarter that has not started, writing nothing; a past one stays accepted', async () => {
    // 2030-Q1 was accepted, and the analytics fell back to the first quarter with data without a word.
    const next = addQuarters(quarterOf(new Date()), 1);
    for (const baselineQuarter of [next, '2030-Q1']) {
      const version = await versionOf('PEOPLE_SATISFACTION');
      const error = await expectRejected(
        db.em(),
        'VALIDATION_FAILED',
        () =>
          updateKpiDefinition(
            db.em(),
            { code: 'PEOPLE_SATISFACTION', expectedVersion: version, baselineQuarter },
            testActor,
          ),
        ['kpi_definition'],
      );
      expect(error.issues.map(i => [i.path, i.code])).toEqual([[['baselineQuarter'], 'QUARTER_NOT_STARTED']]);
      const kpi = await db.em().findOneOrFail(KpiDefinition, { code: 'PEOPLE_SATISFACTION' });
      expect([kpi.baselineQuarter, kpi.version]).toEqual([null, version]);
    }
    // The running quarter has started; a past quarter without data falls back as docs/analytics.md says.
    for (const baselineQuarter of [quarterOf(new Date()), '1990-Q1']) {
      const kpi = await updateKpiDefinition(
        db.em(),
        {
          code: 'PEOPLE_SATISFACTION',
          expectedVersion: await versionOf('PEOPLE_SATISFACTION'),
          baselineQuarter,
        },
        testActor,
      );
      expect(kpi.baselineQuarter).toBe(baselineQuarter);
    }
  });
});
