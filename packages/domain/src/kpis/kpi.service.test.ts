import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KPI_CODES } from '../common/vocabulary.ts';
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
