/**
 * Proven, customer-recognised value (domain §8: PROVEN "measurably makes the customer financially
 * or commercially better off"): an initiative counts only with a measured customer gain above 0,
 * besides its category, recognition and outcome. Every figure that counts it agrees: the value
 * summary, the VALUE_DEMONSTRATED KPI (SQL), the health's proven value, the VALUE_NOT_RECOGNISED
 * flag and the suggested tier (TypeScript). Over the fixture portfolio in 2026-Q1 (as of
 * 2026-03-31): key accounts A01 (with "Joint forecasting", PROVEN, recognised, customer gain 5000)
 * and A02 (a PERCEIVED initiative only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshotPayload } from '../snapshots/snapshot.types.ts';
import { createTestDatabase, type TestDatabase, testActor } from '../testing/index.ts';
import {
  createValueInitiative,
  recordCustomerRecognition,
  recordInitiativeGains,
} from '../value/value.service.ts';
import { buildFixturePortfolio, type Fixture } from './fixtures/portfolio.fixture.ts';
import { computeKpis } from './kpis.ts';
import { buildQuarterDocuments } from './snapshot-documents.ts';
import { computeValue } from './value.ts';

let db: TestDatabase;
let fixture: Fixture;
let initiative: { id: number; version: number };

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await buildFixturePortfolio(db.em());
  // A02's "Volume rebate", marked PROVEN from the start but never tested: no measured gain.
  initiative = await createValueInitiative(
    db.em(),
    { accountId: fixture.ids.A02!, name: 'Volume rebate', category: 'PROVEN', startedOn: '2025-11-01' },
    testActor,
  );
});
afterAll(async () => db?.close());

/** Everything that counts A02's proven, recognised value in 2026-Q1. */
async function a02Value() {
  const docs = await buildQuarterDocuments(db.em(), '2026-Q1');
  const a02 = docs.accounts.find(a => a.externalRef === 'A02') as AccountSnapshotPayload;
  const kpi = (await computeKpis(db.em(), '2026-Q1')).find(k => k.code === 'VALUE_DEMONSTRATED')!;
  const live = await computeValue(db.em(), '2026-Q1');
  const proven = a02.health!.components.find(c => c.key === 'provenValue')!;
  return {
    provenValue: [proven.value, proven.explanation],
    valueNotRecognised: a02.flags.some(f => f.kind === 'VALUE_NOT_RECOGNISED'),
    suggestedTier: a02.tier!.suggested!.tier,
    snapshotKeyAccountsWithValue: docs.portfolio.value.keyAccountsWithProvenRecognisedValue,
    liveKeyAccountsWithValue: live.keyAccountsWithProvenRecognisedValue,
    kpi: [kpi.value, kpi.detail],
  };
}

/** A02 without a proven value: only A01 of the two key accounts has one → 1 of 2 = 50 %. */
const withoutValue = {
  provenValue: [0, 'No proven value: design and test a value initiative with the customer.'],
  valueNotRecognised: true,
  // No proven value; value work beyond the expected (the PERCEIVED and the untested PROVEN one).
  suggestedTier: 'TIER_3',
  snapshotKeyAccountsWithValue: 1,
  liveKeyAccountsWithValue: 1,
  kpi: [50, { keyAccounts: 2, withProvenRecognisedValue: 1 }],
};

describe('a PROVEN initiative without a measured customer gain', () => {
  it('is no proven value awaiting recognition', async () => {
    // Not recognised and not measured: it read 50, "Proven value delivered but not yet recognised".
    expect(await a02Value()).toEqual(withoutValue);
  });

  it('is no proven value once the customer recognises it, nor with a gain of 0', async () => {
    // Recognised on 2026-02-10: it read 100 ("1 proven value recognised by the customer"), no
    // VALUE_NOT_RECOGNISED, TIER_2, and 2 of 2 key accounts with value (100 %).
    const recognised = await recordCustomerRecognition(
      db.em(),
      { id: initiative.id, expectedVersion: initiative.version, recognised: true, on: '2026-02-10' },
      testActor,
    );
    expect(await a02Value()).toEqual(withoutValue);
    // A gain measured at 0 makes the customer no better off.
    initiative = await recordInitiativeGains(
      db.em(),
      { id: initiative.id, expectedVersion: recognised.version, customerGain: '0.00' },
      testActor,
    );
    expect(await a02Value()).toEqual(withoutValue);
  });

  it('is proven, recognised value once its customer gain is measured above 0', async () => {
    await recordInitiativeGains(
      db.em(),
      { id: initiative.id, expectedVersion: initiative.version, customerGain: '1200.00' },
      testActor,
    );
    // 2 of 2 key accounts with proven, recognised value → 100 %; A02 one proven value → TIER_2.
    expect(await a02Value()).toEqual({
      provenValue: [100, '1 proven value recognised by the customer.'],
      valueNotRecognised: false,
      suggestedTier: 'TIER_2',
      snapshotKeyAccountsWithValue: 2,
      liveKeyAccountsWithValue: 2,
      kpi: [100, { keyAccounts: 2, withProvenRecognisedValue: 2 }],
    });
  });
});
