/**
 * The account team a quarter shows is the team as it stood on the quarter's last day (domain §6,
 * §12; docs/analytics.md "As of"): a member who joined after it (`since` later than that day) is
 * not on it, and a member whose person is no longer active does not count as the lead or the
 * sponsor. Over the fixture portfolio: A01 has a lead (Lena Lead) and a sponsor; A02 only Lena.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updatePerson } from '../organisation/organisation.service.ts';
import { Person } from '../organisation/person.entity.ts';
import { addTeamMember } from '../team/team.service.ts';
import { createTestDatabase, makePerson, type TestDatabase, testActor } from '../testing/index.ts';
import { buildFixturePortfolio, type Fixture } from './fixtures/portfolio.fixture.ts';
import { buildQuarterDocuments } from './snapshot-documents.ts';

let db: TestDatabase;
let fixture: Fixture;

beforeAll(async () => {
  db = await createTestDatabase();
  fixture = await buildFixturePortfolio(db.em());
});
afterAll(async () => db?.close());

async function accountOf(quarter: string, ref: string) {
  const docs = await buildQuarterDocuments(db.em(), quarter);
  const account = docs.accounts.find(a => a.externalRef === ref)!;
  return {
    flags: account.flags.map(f => f.kind),
    team: account.team.map(t => `${t.role} ${t.personName}`),
  };
}

describe('the team as of the quarter end', () => {
  it('leaves out members who joined after the quarter ended; the day itself counts', async () => {
    expect((await accountOf('2025-Q4', 'A02')).flags).toContain('NO_SPONSOR');
    const late = await makePerson(db.em(), { name: 'Late Sponsor' });
    const onTheDay = await makePerson(db.em(), { name: 'Coach On The Day' });
    await addTeamMember(
      db.em(),
      { accountId: fixture.ids.A02!, personId: late.id, role: 'SPONSOR', since: '2026-01-01' },
      testActor,
    );
    await addTeamMember(
      db.em(),
      { accountId: fixture.ids.A02!, personId: onTheDay.id, role: 'COACH', since: '2025-12-31' },
      testActor,
    );
    // As of 2025-12-31 the sponsor (since 2026-01-01) was not on the team: still NO_SPONSOR.
    const q4 = await accountOf('2025-Q4', 'A02');
    expect(q4.flags).toContain('NO_SPONSOR');
    expect(q4.team).toEqual(['COACH Coach On The Day', 'KEY_ACCOUNT_MANAGER Lena Lead']);
    // As of 2026-03-31 they were.
    const q1 = await accountOf('2026-Q1', 'A02');
    expect(q1.flags).not.toContain('NO_SPONSOR');
    expect(q1.team).toContain('SPONSOR Late Sponsor');
  });
});

describe('a member whose person is no longer active does not count', () => {
  it('the only lead made inactive gives NO_LEAD_MANAGER; an inactive sponsor NO_SPONSOR', async () => {
    expect((await accountOf('2025-Q4', 'A01')).flags).not.toContain('NO_LEAD_MANAGER');
    expect((await accountOf('2025-Q4', 'A01')).flags).not.toContain('NO_SPONSOR');
    for (const email of ['lead@example.test', 'sponsor@example.test']) {
      const person = await db.em().findOneOrFail(Person, { email });
      await updatePerson(
        db.em(),
        { id: person.id, expectedVersion: person.version, active: false },
        testActor,
      );
    }
    const a01 = await accountOf('2025-Q4', 'A01');
    expect(a01.flags).toEqual(expect.arrayContaining(['NO_LEAD_MANAGER', 'NO_SPONSOR']));
    expect(a01.team).toEqual([]);
  });
});
