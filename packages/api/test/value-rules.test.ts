/**
 * The rules of a value initiative through the API (domain §8): its owner is an active person
 * (PERSON_INACTIVE at ownerId), `updateValueInitiative` corrects its name, desired gains and owner
 * (not its category, phase, gains, recognition or outcome, which have their own steps) until it
 * has ended, and a recognition withdrawn (`recognised: false`) takes no date: one sent is refused
 * at `on`, not dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';
import { createAccountRef, globalId, mutate, ok } from './workflow-client.ts';

let api: ApiHarness;
let admin: string;
/** An account manager on the team of `teamAccount`, and one on no team. */
let manager: string;
let offTeam: string;
let teamAccount: string;

beforeAll(async () => {
  api = await startApi();
  admin = (await api.token('ADMIN')).secret;
  const onTeam = await api.token('ACCOUNT_MANAGER');
  manager = onTeam.secret;
  offTeam = (await api.token('ACCOUNT_MANAGER')).secret;
  teamAccount = await createAccountRef(api, admin, 'VR-TEAM');
  await ok(api, admin, 'addTeamMember', 'AddTeamMemberInput', {
    accountId: teamAccount,
    personId: globalId('Person', onTeam.personId),
    role: 'KEY_ACCOUNT_MANAGER',
  });
});
afterAll(async () => {
  await api.close();
});

let accounts = 0;
async function newAccount(): Promise<string> {
  accounts += 1;
  return createAccountRef(api, admin, `VR-${accounts}`);
}

let people = 0;
/** A person, active or no longer; their global id. */
async function person(name: string, active = true): Promise<string> {
  people += 1;
  const created = await ok<{ id: string; version: number }>(
    api,
    admin,
    'createPerson',
    'CreatePersonInput',
    { name, email: `value.person${people}@example.test` },
    'id version',
  );
  if (!active) {
    await ok(api, admin, 'updatePerson', 'UpdatePersonInput', {
      id: created.id,
      expectedVersion: created.version,
      active: false,
    });
  }
  return created.id;
}

interface Initiative {
  id: string;
  version: number;
  name: string;
  desiredGains: string;
  category: string;
  phase: string;
  owner: { id: string } | null;
  customerRecognised: boolean;
  recognisedOn: string | null;
}
const INITIATIVE = 'id version name desiredGains category phase owner { id } customerRecognised recognisedOn';

const newInitiative = (input: Record<string, unknown>) =>
  ok<Initiative>(api, admin, 'createValueInitiative', 'CreateValueInitiativeInput', input, INITIATIVE);

const update = (input: Record<string, unknown>, token = admin) =>
  mutate<Initiative>(api, token, 'updateValueInitiative', 'UpdateValueInitiativeInput', input, INITIATIVE);

/** The initiative as stored. */
async function read(id: string): Promise<Initiative> {
  const res = await api.gql<{ node: Initiative }>(
    `query($id: ID!) { node(id: $id) { ... on ValueInitiative { ${INITIATIVE} } } }`,
    { id },
    admin,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.node;
}

/** How many initiatives an account has. */
async function initiativesOf(account: string): Promise<number> {
  const res = await api.gql<{ node: { initiatives: { totalCount: number } } }>(
    'query($id: ID!) { node(id: $id) { ... on Account { initiatives { totalCount } } } }',
    { id: account },
    admin,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.node.initiatives.totalCount;
}

const inactiveOwner = {
  __typename: 'ValidationError',
  code: 'PERSON_INACTIVE',
  fieldErrors: [{ path: ['ownerId'], code: 'PERSON_INACTIVE' }],
};

describe('the owner of an initiative is an active person', () => {
  it('createValueInitiative with an owner who is no longer active is PERSON_INACTIVE at ownerId, writing nothing', async () => {
    const account = await newAccount();
    const left = await person('Olga Left', false);
    const result = await mutate(api, admin, 'createValueInitiative', 'CreateValueInitiativeInput', {
      accountId: account,
      name: 'Joint forecasting',
      category: 'UNTAPPED',
      ownerId: left,
    });
    expect(result).toMatchObject(inactiveOwner);
    expect(result.message).toBe(
      `Olga Left is no longer active and cannot be the owner of initiative "Joint forecasting" of VR-${accounts}. Choose an active person, or make Olga Left active again first (updatePerson).`,
    );
    expect(await initiativesOf(account)).toBe(0);
  });
});

describe('updateValueInitiative', () => {
  it('corrects the name, desired gains and owner; omitted fields keep their value, null clears', async () => {
    const owner = await person('Ada Owner');
    const other = await person('Ben Other');
    const created = await newInitiative({
      accountId: await newAccount(),
      name: 'Joint forcasting',
      category: 'PROVEN',
      ownerId: owner,
      desiredGains: 'Less scrap',
    });
    const renamed = await ok<Initiative>(
      api,
      admin,
      'updateValueInitiative',
      'UpdateValueInitiativeInput',
      { id: created.id, expectedVersion: created.version, name: 'Joint forecasting' },
      INITIATIVE,
    );
    expect(renamed).toMatchObject({
      name: 'Joint forecasting',
      desiredGains: 'Less scrap',
      owner: { id: owner },
      category: 'PROVEN',
      version: created.version + 1,
    });
    const edited = await ok<Initiative>(
      api,
      admin,
      'updateValueInitiative',
      'UpdateValueInitiativeInput',
      { id: created.id, expectedVersion: renamed.version, desiredGains: '5 % less scrap', ownerId: other },
      INITIATIVE,
    );
    expect([edited.desiredGains, edited.owner?.id]).toEqual(['5 % less scrap', other]);
    const cleared = await ok<Initiative>(
      api,
      admin,
      'updateValueInitiative',
      'UpdateValueInitiativeInput',
      { id: created.id, expectedVersion: edited.version, ownerId: null, desiredGains: null },
      INITIATIVE,
    );
    expect([cleared.owner, cleared.desiredGains, cleared.name]).toEqual([null, '', 'Joint forecasting']);
    expect(await read(created.id)).toMatchObject({
      version: cleared.version,
      phase: 'ASSESS_CURRENT_SITUATION',
      category: 'PROVEN',
    });
  });

  it('an update that changes nothing keeps the version', async () => {
    const created = await newInitiative({
      accountId: await newAccount(),
      name: 'Unchanged',
      category: 'UNTAPPED',
      desiredGains: 'Gains',
    });
    for (const same of [{}, { name: 'Unchanged', desiredGains: 'Gains', ownerId: null }]) {
      const result = await ok<Initiative>(
        api,
        admin,
        'updateValueInitiative',
        'UpdateValueInitiativeInput',
        { id: created.id, expectedVersion: created.version, ...same },
        INITIATIVE,
      );
      expect(result.version).toBe(created.version);
    }
  });

  it('refuses an owner who is no longer active (PERSON_INACTIVE at ownerId), a null name, and a stale version (ConflictError), changing nothing', async () => {
    const left = await person('Dora Left', false);
    const created = await newInitiative({
      accountId: await newAccount(),
      name: 'Kept',
      category: 'UNTAPPED',
    });
    const inactive = await update({ id: created.id, expectedVersion: created.version, ownerId: left });
    expect(inactive).toMatchObject(inactiveOwner);
    expect(inactive.message).toMatch(
      /^Dora Left is no longer active and cannot be the owner of initiative "Kept" of VR-\d+\./,
    );
    const nameless = await update({ id: created.id, expectedVersion: created.version, name: null });
    expect(nameless).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['name'], code: 'REQUIRED' }],
    });
    const moved = await ok<Initiative>(
      api,
      admin,
      'updateValueInitiative',
      'UpdateValueInitiativeInput',
      { id: created.id, expectedVersion: created.version, name: 'Moved on' },
      INITIATIVE,
    );
    const stale = await update({ id: created.id, expectedVersion: created.version, name: 'Stale' });
    expect(stale).toMatchObject({
      __typename: 'ConflictError',
      code: 'VERSION_CONFLICT',
      currentVersion: moved.version,
    });
    expect(await read(created.id)).toMatchObject({ name: 'Moved on', owner: null, version: moved.version });
  });

  it('an ended initiative is not edited: DomainRuleError INITIATIVE_ALREADY_ENDED', async () => {
    const created = await newInitiative({
      accountId: await newAccount(),
      name: 'Dropped',
      category: 'UNTAPPED',
    });
    const rejected = await ok<Initiative>(
      api,
      admin,
      'setInitiativeOutcome',
      'SetInitiativeOutcomeInput',
      { id: created.id, expectedVersion: created.version, outcome: 'REJECTED' },
      INITIATIVE,
    );
    const result = await update({ id: created.id, expectedVersion: rejected.version, name: 'Revived' });
    expect(result).toMatchObject({ __typename: 'DomainRuleError', code: 'INITIATIVE_ALREADY_ENDED' });
    expect(result.message).toMatch(
      /^Initiative "Dropped" of VR-\d+ has ended \(REJECTED\); it cannot change any more\./,
    );
    expect((await read(created.id)).name).toBe('Dropped');
  });

  it('an account manager edits the initiatives of their team’s accounts only (ForbiddenError off the team)', async () => {
    const created = await newInitiative({ accountId: teamAccount, name: 'Team pilot', category: 'UNTAPPED' });
    const refused = await update(
      { id: created.id, expectedVersion: created.version, name: 'Not mine' },
      offTeam,
    );
    expect(refused.__typename).toBe('ForbiddenError');
    expect(await read(created.id)).toMatchObject({ name: 'Team pilot', version: created.version });
    const edited = await update({ id: created.id, expectedVersion: created.version, name: 'Ours' }, manager);
    expect(edited).toMatchObject({ __typename: 'UpdateValueInitiativeSuccess', data: { name: 'Ours' } });
  });
});

describe('a withdrawn recognition is not dated', () => {
  it('recordCustomerRecognition with recognised: false and on is a ValidationError at on, writing nothing', async () => {
    const created = await newInitiative({
      accountId: await newAccount(),
      name: 'Recognised',
      category: 'UNTAPPED',
      startedOn: '2026-01-15',
    });
    const recognised = await ok<Initiative>(
      api,
      admin,
      'recordCustomerRecognition',
      'RecordCustomerRecognitionInput',
      { id: created.id, expectedVersion: created.version, recognised: true, on: '2026-02-01' },
      INITIATIVE,
    );
    const result = await mutate(api, admin, 'recordCustomerRecognition', 'RecordCustomerRecognitionInput', {
      id: created.id,
      expectedVersion: recognised.version,
      recognised: false,
      on: '2026-03-01',
    });
    expect(result).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: ['on'], code: 'VALIDATION_FAILED' }],
    });
    expect(result.message).toBe(
      'Invalid recognition: on: does not apply to recognised: false: only a recognition is dated (recognisedOn), and a customer who does not recognise the value has none; leave on out.',
    );
    expect(await read(created.id)).toMatchObject({
      customerRecognised: true,
      recognisedOn: '2026-02-01',
      version: recognised.version,
    });
    // Without on (or with on: null) the recognition is withdrawn and its day cleared.
    const withdrawn = await ok<Initiative>(
      api,
      admin,
      'recordCustomerRecognition',
      'RecordCustomerRecognitionInput',
      { id: created.id, expectedVersion: recognised.version, recognised: false, on: null },
      INITIATIVE,
    );
    expect([withdrawn.customerRecognised, withdrawn.recognisedOn]).toEqual([false, null]);
  });
});
