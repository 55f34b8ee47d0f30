/**
 * The rules of an account team through the API (domain §6): a member who is no longer active
 * takes no new role or geography (PERSON_INACTIVE at id) but may be removed, a lead who is no
 * longer active is named as such when a new lead is refused (TEAM_LEAD_ALREADY_ASSIGNED), and a
 * member is on the team from a day that has come (DATE_IN_FUTURE at since).
 */
import { describe, expect, it } from 'vitest';
import { type ApiHarness, startApiForFile } from './harness.ts';
import { createAccountRef, mutate, ok, today, tomorrow } from './workflow-client.ts';

let api: ApiHarness;
let admin: string;

startApiForFile((started, secret) => {
  api = started;
  admin = secret;
}, 'ADMIN');

let accounts = 0;
async function newAccount(): Promise<string> {
  accounts += 1;
  return createAccountRef(api, admin, `TR-${accounts}`);
}

type Person = { id: string; version: number };
type Member = { id: string; version: number; role: string; geography: string | null };
const MEMBER = 'id version role geography';

let people = 0;
/** One of our people, active; their global id and version. */
async function newPerson(): Promise<Person & { name: string }> {
  people += 1;
  const name = `Team Person ${people}`;
  const person = await ok<Person>(
    api,
    admin,
    'createPerson',
    'CreatePersonInput',
    { name, email: `team.person.${people}@example.test` },
    'id version',
  );
  return { ...person, name };
}

const deactivate = (person: Person) =>
  ok(api, admin, 'updatePerson', 'UpdatePersonInput', {
    id: person.id,
    expectedVersion: person.version,
    active: false,
  });

const addMember = (input: Record<string, unknown>) =>
  mutate<Member>(api, admin, 'addTeamMember', 'AddTeamMemberInput', input, MEMBER);

/** The account's team: role and geography of each member, by member id. */
async function teamOf(account: string): Promise<Member[]> {
  const res = await api.gql<{ node: { team: Member[] } }>(
    `query($id: ID!) { node(id: $id) { ... on Account { team { ${MEMBER} } } } }`,
    { id: account },
    admin,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.node.team;
}

describe('a member who is no longer active', () => {
  it('changeTeamMember to lead is a ValidationError PERSON_INACTIVE at id, writing nothing; removeTeamMember takes them off', async () => {
    const account = await newAccount();
    const person = await newPerson();
    const member = await ok<Member>(
      api,
      admin,
      'addTeamMember',
      'AddTeamMemberInput',
      { accountId: account, personId: person.id, role: 'SUPPORT' },
      MEMBER,
    );
    await deactivate(person);
    for (const change of [{ role: 'KEY_ACCOUNT_MANAGER' }, { geography: 'DACH' }]) {
      const result = await mutate(api, admin, 'changeTeamMember', 'ChangeTeamMemberInput', {
        id: member.id,
        expectedVersion: member.version,
        ...change,
      });
      expect(result).toMatchObject({
        __typename: 'ValidationError',
        code: 'PERSON_INACTIVE',
        fieldErrors: [{ path: ['id'], code: 'PERSON_INACTIVE' }],
      });
      expect(result.message).toMatch(new RegExp(`^${person.name} is no longer active .*removeTeamMember`));
    }
    expect(await teamOf(account)).toEqual([member]);
    await ok(api, admin, 'removeTeamMember', 'RemoveTeamMemberInput', {
      id: member.id,
      expectedVersion: member.version,
    });
    expect(await teamOf(account)).toEqual([]);
  });

  it('as the lead, a new lead is TEAM_LEAD_ALREADY_ASSIGNED saying they are no longer active and to remove them first', async () => {
    const account = await newAccount();
    const [gone, next] = [await newPerson(), await newPerson()];
    const lead = await ok<Member>(
      api,
      admin,
      'addTeamMember',
      'AddTeamMemberInput',
      { accountId: account, personId: gone.id, role: 'KEY_ACCOUNT_MANAGER', geography: 'EMEA' },
      MEMBER,
    );
    await deactivate(gone);
    const refused = await addMember({
      accountId: account,
      personId: next.id,
      role: 'KEY_ACCOUNT_MANAGER',
      geography: 'emea',
    });
    expect(refused).toMatchObject({
      __typename: 'DomainRuleError',
      code: 'TEAM_LEAD_ALREADY_ASSIGNED',
      message: `TR-${accounts} already has a lead key account manager for EMEA: ${gone.name}, who is no longer active. Remove ${gone.name} from the team first (removeTeamMember), then name the new lead.`,
    });
    expect(await teamOf(account)).toEqual([lead]);
    await ok(api, admin, 'removeTeamMember', 'RemoveTeamMemberInput', {
      id: lead.id,
      expectedVersion: lead.version,
    });
    const named = await addMember({
      accountId: account,
      personId: next.id,
      role: 'KEY_ACCOUNT_MANAGER',
      geography: 'EMEA',
    });
    expect(named.__typename).toBe('AddTeamMemberSuccess');
  });
});

describe('a member is on the team from a day that has come', () => {
  it('addTeamMember with a since after today is a ValidationError DATE_IN_FUTURE at since, writing nothing; today is fine', async () => {
    const account = await newAccount();
    const person = await newPerson();
    for (const since of [tomorrow(), '2030-01-01']) {
      const result = await addMember({
        accountId: account,
        personId: person.id,
        role: 'KEY_ACCOUNT_MANAGER',
        since,
      });
      expect(result).toMatchObject({
        __typename: 'ValidationError',
        code: 'DATE_IN_FUTURE',
        fieldErrors: [{ path: ['since'], code: 'DATE_IN_FUTURE' }],
      });
      expect(result.message).toMatch(new RegExp(`^since \\(${since}\\) is after today \\(${today()}\\): `));
    }
    expect(await teamOf(account)).toEqual([]);
    const added = await addMember({
      accountId: account,
      personId: person.id,
      role: 'KEY_ACCOUNT_MANAGER',
      since: today(),
    });
    expect(added.__typename).toBe('AddTeamMemberSuccess');
  });
});
