/**
 * PROSPECT (domain §2): never had revenue, and has a qualified opportunity. A qualified bid counts
 * as of a day only while it has not been lost by then: an account whose only qualified bid was
 * lost is no prospect from the day of the loss (SUSPECT again), while an open or a won one still
 * counts. Over the fixture portfolio: A11 (no revenue, an open qualified bid since 2025-02-01) is a
 * PROSPECT, A12 (no revenue, no bid) a SUSPECT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOpportunities } from '../bulk/opportunities.bulk.ts';
import { createTestDatabase, makeAccount, type TestDatabase, testActor } from '../testing/index.ts';
import { loadAccountBase } from './account-base.ts';
import { buildFixturePortfolio, type Fixture } from './fixtures/portfolio.fixture.ts';
import { computePyramid } from './pyramid.ts';
import { accountStandings } from './standing.ts';

let db: TestDatabase;
let fixture: Fixture;
let ids: Record<string, number>;

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await buildFixturePortfolio(db.em());
  // Two accounts without revenue besides A12: P-WON with a qualified bid won on 2025-10-01 (no
  // revenue booked yet), P-MIX with one lost on 2025-08-01 and one still open.
  const won = await makeAccount(db.em(), { externalRef: 'P-WON' });
  const mix = await makeAccount(db.em(), { externalRef: 'P-MIX' });
  ids = { ...fixture.ids, 'P-WON': won.id, 'P-MIX': mix.id };
  const bid = (ref: string, accountRef: string, extra: Record<string, unknown>) => ({
    externalRef: ref,
    accountRef,
    businessUnitCode: 'ALPHA',
    name: `Bid ${ref}`,
    value: '500',
    qualified: true,
    ...extra,
  });
  await upsertOpportunities(
    db.em(),
    [
      // A12's only qualified bid: qualified 2025-06-01, lost 2025-09-15.
      bid('O-A12-lost', 'A12', {
        qualifiedOn: '2025-06-01',
        outcome: 'LOST',
        decidedOn: '2025-09-15',
        lostReason: 'price',
      }),
      bid('O-WON', 'P-WON', { qualifiedOn: '2025-07-01', outcome: 'WON', decidedOn: '2025-10-01' }),
      bid('O-MIX-lost', 'P-MIX', {
        qualifiedOn: '2025-05-01',
        outcome: 'LOST',
        decidedOn: '2025-08-01',
        lostReason: 'timing',
      }),
      bid('O-MIX-open', 'P-MIX', { qualifiedOn: '2025-07-15' }),
    ],
    { mode: 'ATOMIC' },
    testActor,
  );
});
afterAll(async () => db?.close());

async function levelsIn(quarter: string) {
  const standings = await accountStandings(db.em(), quarter);
  return (ref: string) => standings.get(ids[ref]!)!.pyramidLevel;
}

describe('a prospect whose qualified bid was lost', () => {
  it('is a PROSPECT while its bid is open, and a SUSPECT from the quarter it was lost in', async () => {
    // 2025-Q2 (as of 2025-06-30): A12's bid was qualified on 2025-06-01 and not decided → PROSPECT.
    expect((await levelsIn('2025-Q2'))('A12')).toBe('PROSPECT');
    // 2025-Q3 (as of 2025-09-30): lost on 2025-09-15 → no qualified bid left → SUSPECT. (It stayed a
    // PROSPECT for ever.)
    expect((await levelsIn('2025-Q3'))('A12')).toBe('SUSPECT');
    const q1 = await levelsIn('2026-Q1');
    expect(q1('A12')).toBe('SUSPECT');
    const base = await loadAccountBase(db.em(), '2026-Q1');
    expect(base.find(r => r.id === ids.A12)!.qualifiedOpportunity).toBe(false);
  });

  it('keeps an account with a won or another open qualified bid a PROSPECT', async () => {
    const q1 = await levelsIn('2026-Q1');
    // Open since 2025-02-01 (fixture); won on 2025-10-01 without revenue yet; one lost and one open.
    expect(['A11', 'P-WON', 'P-MIX'].map(q1)).toEqual(['PROSPECT', 'PROSPECT', 'PROSPECT']);
    // 2025-Q3: P-WON's bid was qualified (2025-07-01) and still open; P-MIX's first bid was lost on
    // 2025-08-01 but its second, qualified on 2025-07-15, is open.
    const q3 = await levelsIn('2025-Q3');
    expect(['P-WON', 'P-MIX'].map(q3)).toEqual(['PROSPECT', 'PROSPECT']);
  });

  it('moves A12 from PROSPECT to SUSPECT in the pyramid of the quarter of the loss', async () => {
    // 2025-Q3 against 2025-Q2: A12 PROSPECT → SUSPECT. PROSPECT in 2025-Q3: A11, P-WON, P-MIX = 3.
    const pyramid = await computePyramid(db.em(), '2025-Q3');
    expect(pyramid.levels.find(l => l.level === 'PROSPECT')!.accounts).toBe(3);
    expect(pyramid.movements).toContainEqual({ from: 'PROSPECT', to: 'SUSPECT', accounts: 1 });
  });
});
