/**
 * A closed quarter shows the portfolio as it stood on its last day ("as of", docs/analytics.md):
 * what happened after it (a bid qualified later, an initiative adopted or rejected later) must not
 * reach the figures of the quarter, whenever it is closed. Over the fixture portfolio, read at
 * 2025-Q4 (as of 2025-12-31), after everything of 2026-Q1 has been recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPlanAction, updatePlanAction } from '../plans/plan.service.ts';
import { createTestDatabase, type TestDatabase, testActor } from '../testing/index.ts';
import {
  advanceInitiativePhase,
  createValueInitiative,
  recordCustomerRecognition,
  recordInitiativeGains,
  recordInitiativeOutcome,
} from '../value/value.service.ts';
import { buildFixturePortfolio, type Fixture } from './fixtures/portfolio.fixture.ts';
import { computeKpis } from './kpis.ts';
import { computeGroupRollups, computeWhitespace } from './rollup.ts';
import { buildQuarterDocuments, type QuarterDocuments } from './snapshot-documents.ts';

let db: TestDatabase;
let fixture: Fixture;
let q4: QuarterDocuments;

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await buildFixturePortfolio(db.em());
  q4 = await buildQuarterDocuments(db.em(), '2025-Q4');
});
afterAll(async () => db?.close());

describe('the open qualified pipeline as of the quarter end', () => {
  it('leaves out bids qualified after the quarter ended', async () => {
    // As of 2025-12-31 in the A01 group (A01, A03, A04, A12):
    // - O-A04-lost (800, qualified 2025-12-01, lost 2026-02-15): open then → counts;
    // - O-A04-open (700, qualified 2026-01-05): not yet a qualified bid → does not count;
    // - O-A03 (3000) was decided on 2025-11-10 → not open.
    // Open qualified pipeline = 800.
    const rollups = await computeGroupRollups(db.em(), '2025-Q4');
    expect(rollups.get(fixture.ids.A01!)!.openQualifiedPipeline).toBe('800.00');
    expect(rollups.get(fixture.ids.A03!)!.openQualifiedPipeline).toBe('800.00');
    // Whitespace of the group: ALPHA holds A04's 800; BETA's 700 was qualified in 2026 → 0.
    const group = await computeWhitespace(db.em(), '2025-Q4', fixture.ids.A01!, { group: true });
    expect(group.map(c => [c.businessUnitCode, c.openQualifiedPipeline])).toEqual([
      ['ALPHA', '800.00'],
      ['BETA', '0.00'],
    ]);
    // BETA across the portfolio: A11's 900 (qualified 2025-02-01) is open; A04's 700 (qualified
    // 2026-01-05) and A05's 1000 (qualified 2026-01-10, won 2026-03-20) were qualified after
    // 2025-12-31 → 900.
    const beta = q4.portfolio.businessUnits.find(b => b.code === 'BETA')!;
    expect(beta.openQualifiedPipeline).toBe('900.00');
    // A11's first order (900, qualified 2025-02-01) is open on 2025-12-31 and is in its cells.
    const a11 = q4.accounts.find(a => a.externalRef === 'A11')!;
    expect(a11.whitespace.map(c => [c.businessUnitCode, c.openQualifiedPipeline])).toEqual([
      ['BETA', '900.00'],
    ]);
  });

  it('lists no unit for a non-key account that had no figure with it by the quarter end', () => {
    // A04 and A05 (not key) buy from ALPHA; their BETA bids were qualified in 2026 (A04's 700 on
    // 2026-01-05, A05's 1000 on 2026-01-10): on 2025-12-31 BETA has no revenue, potential,
    // pipeline or win with them, so their documents list ALPHA only (a BETA cell of zeros came
    // from data entered after the quarter, and changed the quarter's document and checksum).
    const units = (ref: string) =>
      q4.accounts.find(a => a.externalRef === ref)!.whitespace.map(c => c.businessUnitCode);
    expect([units('A04'), units('A05')]).toEqual([['ALPHA'], ['ALPHA']]);
    // A key account still lists every unit (A02 buys from ALPHA only).
    expect(units('A02')).toEqual(['ALPHA', 'BETA']);
  });
});

describe('the value programme as of the quarter end', () => {
  it('counts an outcome and its gains only from the day the initiative ended', () => {
    // A01's "Joint forecasting" started 2025-04-01, was recognised 2026-02-01 and ADOPTED on
    // 2026-03-01. On 2025-12-31 it was still running, unrecognised: no outcome, no gains.
    // A02's "Shared dashboard" (started 2025-10-01) is in progress too → 2 IN_PROGRESS.
    expect(q4.portfolio.value).toMatchObject({
      initiatives: 2,
      byOutcome: { ADOPTED: 0, REJECTED: 0, REVISED: 0, COMBINED: 0, IN_PROGRESS: 2 },
      customerGains: '0.00',
      supplierGains: '0.00',
      keyAccountsWithProvenRecognisedValue: 0,
    });
    const a01 = q4.accounts.find(a => a.externalRef === 'A01')!;
    expect(a01.initiatives.map(i => [i.name, i.outcome])).toEqual([['Joint forecasting', null]]);
  });

  it('keeps a proven, recognised value in the quarters before it was rejected', async () => {
    // A PROVEN initiative for A02, recognised by the customer on 2025-11-15 and REJECTED on
    // 2026-02-20: at the end of 2025-Q4 A02 had a proven, recognised value; at the end of 2026-Q1 no more.
    const a = testActor;
    const i = await createValueInitiative(
      db.em(),
      { accountId: fixture.ids.A02!, name: 'Consignment stock', category: 'PROVEN', startedOn: '2025-06-01' },
      a,
    );
    let version = i.version;
    for (let k = 0; k < 8; k++)
      version = (await advanceInitiativePhase(db.em(), { id: i.id, expectedVersion: version }, a)).version;
    version = (
      await recordInitiativeGains(
        db.em(),
        { id: i.id, expectedVersion: version, customerGain: '1000', supplierGain: '400' },
        a,
      )
    ).version;
    version = (
      await recordCustomerRecognition(
        db.em(),
        { id: i.id, expectedVersion: version, recognised: true, on: '2025-11-15' },
        a,
      )
    ).version;
    await recordInitiativeOutcome(
      db.em(),
      { outcome: 'REJECTED', id: i.id, expectedVersion: version, on: '2026-02-20' },
      a,
    );
    const docs = await buildQuarterDocuments(db.em(), '2025-Q4');
    // Key accounts at 2025-12-31: A01 (no recognised value yet) and A02 (this one) → 1 of 2.
    expect(docs.portfolio.value).toMatchObject({
      keyAccountsWithProvenRecognisedValue: 1,
      shareOfKeyAccountsWithProvenRecognisedValue: 0.5,
    });
    const a02 = docs.accounts.find(x => x.externalRef === 'A02')!;
    expect(a02.flags.map(f => f.kind)).not.toContain('VALUE_NOT_RECOGNISED');
    const kpis = await computeKpis(db.em(), '2025-Q4');
    expect(kpis.find(k => k.code === 'VALUE_DEMONSTRATED')!.value).toBe(50);
    // In 2026-Q1 it is rejected: A01's adopted value is the only one → still 1 of 2, but A02 is flagged.
    const q1 = await buildQuarterDocuments(db.em(), '2026-Q1');
    expect(q1.accounts.find(x => x.externalRef === 'A02')!.flags.map(f => f.kind)).toContain(
      'VALUE_NOT_RECOGNISED',
    );
    // Health: full marks for proven value at the end of 2025-Q4; in 2026-Q1 the initiative is
    // rejected, no value the customer could still recognise (an ended initiative takes no
    // recognition), so none: not the half marks of a proven value awaiting recognition.
    const provenValue = (d: QuarterDocuments) =>
      d.accounts.find(x => x.externalRef === 'A02')!.health!.components.find(c => c.key === 'provenValue')!;
    expect(provenValue(docs).value).toBe(100);
    expect(provenValue(q1)).toMatchObject({
      value: 0,
      explanation: 'No proven value: design and test a value initiative with the customer.',
    });
  });
});

describe('the action plan as of the quarter end', () => {
  it('counts an action done after the quarter ended as open then, and overdue if it was due', async () => {
    // A01's 2026 plan gets an action due 2026-02-15 that is done on 2026-04-10: on 2026-03-31 it
    // was open and six weeks overdue. A second one, done on 2026-03-20, was done by then.
    const [plan] = await db
      .em()
      .getConnection()
      .execute<{ id: number }[]>('select id from account_plan where account_id = ? and year = 2026', [
        fixture.ids.A01,
      ]);
    const doneAction = async (description: string, dueOn: string, completedOn: string) => {
      const action = await addPlanAction(
        db.em(),
        { planId: Number(plan!.id), description, dueOn },
        testActor,
      );
      await updatePlanAction(
        db.em(),
        { id: action.id, expectedVersion: action.version, status: 'DONE', completedOn },
        testActor,
      );
    };
    await doneAction('Joint business review', '2026-02-15', '2026-04-10');
    await doneAction('Map the buying centre', '2026-03-31', '2026-03-20');
    const q1 = await buildQuarterDocuments(db.em(), '2026-Q1');
    expect(q1.accounts.find(a => a.externalRef === 'A01')!.plan).toMatchObject({
      openActions: 1,
      doneActions: 1,
      overdueActions: 1,
    });
  });
});
