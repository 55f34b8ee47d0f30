import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from '../harness.ts';

// Requests sent at once that race for the same record get the answer a request sent after the
// winner gets: the same code, the same currentVersion, the record named as its users know it.
// On PostgreSQL they overlap; SQLite runs one write transaction at a time, so there they are
// sequential and the test says what the answer must be.

type Answer = { __typename: string; code?: string; message?: string; currentVersion?: number | null };
const CONFLICT = '... on ConflictError { code message currentVersion } ... on Error { code message }';

let api: ApiHarness;
let token: string;

beforeAll(async () => {
  api = await startApi();
  token = (await api.token('ADMIN')).secret;
  // Open the pool's connections first: on a cold pool the requests queue for them one by one.
  await Promise.all(
    Array.from({ length: 12 }, () => api.gql('query { accounts(first: 1) { totalCount } }', {}, token)),
  );
}, 60_000);

afterAll(async () => {
  await api?.close();
});

async function mutate(field: string, query: string, variables: Record<string, unknown>): Promise<Answer> {
  const res = await api.gql<Record<string, Answer>>(query, variables, token);
  expect(res.body.errors, JSON.stringify(res.body)).toBeUndefined();
  return res.body.data?.[field] as Answer;
}

/** `n` copies of a mutation sent at once; the answers with their count, most frequent first. */
async function atOnce(
  n: number,
  field: string,
  query: string,
  variables: (i: number) => Record<string, unknown>,
) {
  return Promise.all(Array.from({ length: n }, (_, i) => mutate(field, query, variables(i))));
}

async function createAccount(externalRef: string): Promise<string> {
  const created = await mutate(
    'createAccount',
    `mutation($i: CreateAccountInput!) { createAccount(input: $i) { __typename ... on CreateAccountSuccess { data { id } } ${CONFLICT} } }`,
    { i: { externalRef, name: `Account ${externalRef}` } },
  );
  return (created as unknown as { data: { id: string } }).data.id;
}

const UPDATE_ACCOUNT = `mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { __typename ... on UpdateAccountSuccess { data { version } } ${CONFLICT} } }`;

describe('concurrent writes of one record answer as sequential ones', () => {
  it('updateAccount: the losers of a race for one version get the stale-version conflict with currentVersion', async () => {
    const id = await createAccount('RACE-UPD-1');
    for (let version = 1; version <= 5; version++) {
      const answers = await atOnce(8, 'updateAccount', UPDATE_ACCOUNT, i => ({
        i: { id, expectedVersion: version, industry: `Round ${version} client ${i}` },
      }));
      expect(
        answers.filter(a => a.__typename === 'UpdateAccountSuccess'),
        JSON.stringify(answers),
      ).toHaveLength(1);
      const losers = answers.filter(a => a.__typename !== 'UpdateAccountSuccess');
      // What the same stale version gets once the race is over: the answers must not differ.
      const sequential = await mutate('updateAccount', UPDATE_ACCOUNT, {
        i: { id, expectedVersion: version, industry: 'Late' },
      });
      expect(sequential).toEqual({
        __typename: 'ConflictError',
        code: 'VERSION_CONFLICT',
        message: `Account RACE-UPD-1 was changed by someone else: you sent version ${version}, the current version is ${version + 1}. Reload it, reapply your change and send version ${version + 1}.`,
        currentVersion: version + 1,
      });
      for (const loser of losers) expect(loser).toEqual(sequential);
    }
  });

  it('assessTier: a first tier of an account and quarter sent at once is recorded once, the others get VERSION_CONFLICT with currentVersion', async () => {
    const accountId = await createAccount('RACE-TIER-1');
    // The team assesses key accounts only: key since before the quarter.
    const designated = await mutate(
      'designateKeyAccount',
      `mutation($i: DesignateKeyAccountInput!) { designateKeyAccount(input: $i) { __typename ${CONFLICT} } }`,
      { i: { accountId, designatedOn: '2025-12-01', reason: 'Race test' } },
    );
    expect(designated.__typename, JSON.stringify(designated)).toBe('DesignateKeyAccountSuccess');
    const query = `mutation($i: AssessTierInput!) { assessTier(input: $i) { __typename ${CONFLICT} } }`;
    const answers = await atOnce(8, 'assessTier', query, i => ({
      i: { accountId, quarter: '2026-Q1', tier: 'TIER_3', evidence: `Evidence ${i}` },
    }));
    expect(
      answers.filter(a => a.__typename === 'AssessTierSuccess'),
      JSON.stringify(answers),
    ).toHaveLength(1);
    const sequential = await mutate('assessTier', query, {
      i: { accountId, quarter: '2026-Q1', tier: 'TIER_2', evidence: 'Evidence late' },
    });
    expect(sequential).toEqual({
      __typename: 'ConflictError',
      code: 'VERSION_CONFLICT',
      message: 'RACE-TIER-1 already has a tier for 2026-Q1 (version 1); send expectedVersion 1 to change it.',
      currentVersion: 1,
    });
    for (const loser of answers.filter(a => a.__typename !== 'AssessTierSuccess')) {
      expect(loser).toEqual(sequential);
    }
  });

  it('recordOrganisationMeasurement: a first value sent at once is recorded once, the others get VERSION_CONFLICT with currentVersion', async () => {
    const query = `mutation($i: RecordOrganisationMeasurementInput!) { recordOrganisationMeasurement(input: $i) { __typename ${CONFLICT} } }`;
    const answers = await atOnce(8, 'recordOrganisationMeasurement', query, i => ({
      i: { kind: 'MARKET_SHARE', market: 'Race market', quarter: '2026-Q1', value: `${10 + i}` },
    }));
    expect(
      answers.filter(a => a.__typename === 'RecordOrganisationMeasurementSuccess'),
      JSON.stringify(answers),
    ).toHaveLength(1);
    const sequential = await mutate('recordOrganisationMeasurement', query, {
      i: { kind: 'MARKET_SHARE', market: 'Race market', quarter: '2026-Q1', value: '30' },
    });
    expect(sequential).toEqual({
      __typename: 'ConflictError',
      code: 'VERSION_CONFLICT',
      message:
        'MARKET_SHARE for market "Race market" in 2026-Q1 is already recorded (version 1); send expectedVersion 1 to correct it.',
      currentVersion: 1,
    });
    for (const loser of answers.filter(a => a.__typename !== 'RecordOrganisationMeasurementSuccess')) {
      expect(loser).toEqual(sequential);
    }
  });

  it('createAccount: one external ref sent at once creates one account, the others get EXTERNAL_REF_TAKEN', async () => {
    const query = `mutation($i: CreateAccountInput!) { createAccount(input: $i) { __typename ${CONFLICT} } }`;
    const answers = await atOnce(12, 'createAccount', query, i => ({
      i: { externalRef: 'RACE-NEW-1', name: `Duplicate ${i}` },
    }));
    expect(
      answers.filter(a => a.__typename === 'CreateAccountSuccess'),
      JSON.stringify(answers),
    ).toHaveLength(1);
    const sequential = await mutate('createAccount', query, {
      i: { externalRef: 'RACE-NEW-1', name: 'Late' },
    });
    expect(sequential).toMatchObject({ __typename: 'ConflictError', code: 'EXTERNAL_REF_TAKEN' });
    for (const loser of answers.filter(a => a.__typename !== 'CreateAccountSuccess')) {
      expect(loser).toEqual(sequential);
    }
  });
});
