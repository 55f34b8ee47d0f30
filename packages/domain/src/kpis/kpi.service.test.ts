import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
