/**
 * A value copied by a competitor (domain §8: it becomes EXPECTED and earns no premium) changes
 * the value figures from the day it was copied on, never those of the quarters before: a closed
 * quarter reads the initiative as it stood on its last day (docs/analytics.md, "As of").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValueSummary } from '../snapshots/snapshot.types.ts';
import { createTestDatabase, type TestDatabase, testActor } from '../testing/index.ts';
import { markCopiedByCompetitor } from '../value/value.service.ts';
import { ValueInitiative } from '../value/value-initiative.entity.ts';
import { buildFixturePortfolio, type Fixture } from './fixtures/portfolio.fixture.ts';
import { computeKpis } from './kpis.ts';
import { buildQuarterDocuments } from './snapshot-documents.ts';
import { computeValue } from './value.ts';

let db: TestDatabase;
let fixture: Fixture;

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await buildFixturePortfolio(db.em());
});
afterAll(async () => db?.close());

async function valueDemonstrated(quarter: string) {
  const kpi = (await computeKpis(db.em(), quarter)).find(k => k.code === 'VALUE_DEMONSTRATED')!;
  return { value: kpi.value, detail: kpi.detail };
}

async function jointForecastingCategory(quarter: string) {
  const docs = await buildQuarterDocuments(db.em(), quarter);
  const a01 = docs.accounts.find(a => a.externalRef === 'A01')!;
  return a01.initiatives.find(i => i.name === 'Joint forecasting')!.category;
}

describe('a value copied by a competitor on 2026-04-15', () => {
  // A01's "Joint forecasting" (PROVEN, customer gain 5000, our gain 2000) was recognised on
  // 2026-02-01 and ADOPTED on 2026-03-01. A competitor copies it on 2026-04-15, in 2026-Q2.
  let q1Before: ValueSummary;
  let q1KpiBefore: Awaited<ReturnType<typeof valueDemonstrated>>;
  let q2Before: ValueSummary;
  beforeAll(async () => {
    q1Before = await computeValue(db.em(), '2026-Q1');
    q1KpiBefore = await valueDemonstrated('2026-Q1');
    q2Before = await computeValue(db.em(), '2026-Q2');
    const initiative = await db.em().findOneOrFail(ValueInitiative, { name: 'Joint forecasting' });
    expect(initiative.account.id).toBe(fixture.ids.A01);
    await markCopiedByCompetitor(
      db.em(),
      { id: initiative.id, expectedVersion: initiative.version, on: '2026-04-15' },
      testActor,
    );
  });

  it('leaves the quarters that ended before the copy as they were: still PROVEN, with its premium', async () => {
    expect(q1Before).toMatchObject({
      customerGains: '5000.00',
      supplierGains: '2000.00',
      keyAccountsWithProvenRecognisedValue: 1,
    });
    expect(await computeValue(db.em(), '2026-Q1')).toEqual(q1Before);
    expect(await valueDemonstrated('2026-Q1')).toEqual(q1KpiBefore);
    expect(await jointForecastingCategory('2026-Q1')).toBe('PROVEN');
  });

  it('reads it as EXPECTED from the copy day on, its proven value gone', async () => {
    // 2026-Q2 (as of 2026-06-30): EXPECTED; A01 has no proven value any more.
    const q2 = await computeValue(db.em(), '2026-Q2');
    expect(q2.byCategory).toEqual({
      ...q2Before.byCategory,
      PROVEN: q2Before.byCategory.PROVEN - 1,
      EXPECTED: q2Before.byCategory.EXPECTED + 1,
    });
    expect(q2.keyAccountsWithProvenRecognisedValue).toBe(q2Before.keyAccountsWithProvenRecognisedValue - 1);
    expect((await valueDemonstrated('2026-Q2')).detail).toMatchObject({ withProvenRecognisedValue: 0 });
    expect(await jointForecastingCategory('2026-Q2')).toBe('EXPECTED');
  });

  it('earns no premium from the copy day on: our gain leaves the supplier gains, the customer keeps its gain', async () => {
    // 2026-Q2: supplier gains 2000 − 2000 (copied) = 0; the customer still gains its 5000 from
    // the adopted initiative: customer gains 5000. Count, phases and outcomes unchanged.
    expect(q2Before).toMatchObject({ customerGains: '5000.00', supplierGains: '2000.00' });
    const q2 = await computeValue(db.em(), '2026-Q2');
    expect([q2.customerGains, q2.supplierGains]).toEqual(['5000.00', '0.00']);
    expect([q2.initiatives, q2.byPhase, q2.byOutcome]).toEqual([
      q2Before.initiatives,
      q2Before.byPhase,
      q2Before.byOutcome,
    ]);
  });
});
