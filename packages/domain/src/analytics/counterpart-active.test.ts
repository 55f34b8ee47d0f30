/**
 * Stakeholder coverage counts an influential contact only while its counterpart is an active
 * person (docs/analytics.md "Selection"): someone who has left is nobody's peer on our side, as
 * they are no longer on any team (team-as-of.test.ts). People keep no history of being active,
 * so their current state is read for past quarters too. Over the fixture portfolio: A01 has two
 * influential contacts, Eva Exec (influence 5, counterpart Sam Sponsor) and Paul Buyer (influence
 * 4, none); the close quarter is 2026-Q1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updatePerson } from '../organisation/organisation.service.ts';
import { Person } from '../organisation/person.entity.ts';
import { createTestDatabase, type TestDatabase, testActor } from '../testing/index.ts';
import { contactFacts } from './account-details.ts';
import { buildFixturePortfolio, FIXTURE_QUARTER, type Fixture } from './fixtures/portfolio.fixture.ts';
import { computeSelection } from './selection.ts';
import { buildQuarterDocuments } from './snapshot-documents.ts';

let db: TestDatabase;
let fixture: Fixture;

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await buildFixturePortfolio(db.em());
  const sponsor = await db.em().findOneOrFail(Person, { email: 'sponsor@example.test' });
  await updatePerson(db.em(), { id: sponsor.id, expectedVersion: sponsor.version, active: false }, testActor);
});
afterAll(async () => db?.close());

describe('a counterpart who is no longer active does not cover', () => {
  it('leaves the contact uncovered in relationship strength', async () => {
    // A01: attitude 75, 10+ years → 100, coverage 0 of 2 (was 1 of 2 → 50):
    // 0.7 × 75 + 0.15 × 100 + 0.15 × 0 = 52.5 + 15 = 67.5 (was 75). Attractiveness 74.4 → KEY_ACCOUNT.
    const s = await computeSelection(db.em(), FIXTURE_QUARTER);
    expect(s.byAccount.get(fixture.ids.A01!)).toMatchObject({
      relationshipStrength: 67.5,
      quadrant: 'KEY_ACCOUNT',
    });
  });

  it('shows no counterpart on the stakeholder map', async () => {
    const contacts = (await contactFacts(db.em())).get(fixture.ids.A01!)!;
    expect(contacts.map(c => [c.name, c.influence, c.counterpartName])).toEqual([
      ['Eva Exec', 5, null],
      ['Paul Buyer', 4, null],
    ]);
  });

  it('counts 0 of 2 covered in the account document and its health', async () => {
    const docs = await buildQuarterDocuments(db.em(), FIXTURE_QUARTER);
    const a01 = docs.accounts.find(a => a.externalRef === 'A01')!;
    expect(a01.selection.relationshipStrength).toBe(67.5);
    expect(a01.stakeholders).toMatchObject({ contacts: 2, influential: 2, covered: 0, coverage: 0 });
    expect(a01.stakeholders!.map.map(c => c.counterpartName)).toEqual([null, null]);
    // Health (margin trend without a value, effective weights 20, 20, 15, 15, 15 of 85 shown as
    // 23.5, 23.5, 17.7, 17.7, 17.6, as in analytics.fixture.test.ts): relationship 67.5 × 23.5 % =
    // 15.8625; coverage 0; freshness 0 (the plan is a draft); proven 17.7; satisfaction 87.5 ×
    // 17.6 % = 15.4. Score 48.9625 → 49, AMBER (was 62.5).
    const h = a01.health!;
    expect(h.components.find(c => c.key === 'stakeholderCoverage')).toMatchObject({
      value: 0,
      contribution: 0,
      explanation:
        '0 of 2 influential contacts have a counterpart; give every influential contact a peer on our side.',
    });
    expect([h.score, h.status]).toEqual([49, 'AMBER']);
  });
});
