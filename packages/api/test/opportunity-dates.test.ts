/**
 * Opportunities through the API: qualifying, winning and losing a bid record what has happened,
 * so none is dated after today (the running quarter's win rate would count a decision not yet
 * made), in the single mutations as in upsertOpportunities; a qualified row names the day it was
 * qualified; and an outcome that is not one is worded as kam words its other choices.
 */
import { createBusinessUnit, systemActor } from '@kam/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';
import { globalId, mutate, ok, today, tomorrow } from './workflow-client.ts';

let api: ApiHarness;
let admin: string;
let integration: string;
let accountId: string;
let businessUnitId: string;

beforeAll(async () => {
  api = await startApi();
  admin = (await api.token('ADMIN')).secret;
  integration = (await api.token('INTEGRATION')).secret;
  const unit = await createBusinessUnit(
    api.db.em(),
    { code: 'OD', name: 'Opportunity dates', kind: 'OFFERING' },
    systemActor('test'),
  );
  businessUnitId = globalId('BusinessUnit', unit.id);
  accountId = (
    await ok<{ id: string }>(
      api,
      admin,
      'createAccount',
      'CreateAccountInput',
      { externalRef: 'OD-1', name: 'Dated bids' },
      'id',
    )
  ).id;
});
afterAll(async () => {
  await api.close();
});

interface Bid {
  id: string;
  version: number;
  qualified: boolean;
  qualifiedOn: string | null;
  outcome: string;
  decidedOn: string | null;
}
const BID = 'id version qualified qualifiedOn outcome decidedOn';

let bids = 0;
async function openBid(): Promise<Bid> {
  bids += 1;
  return ok<Bid>(
    api,
    admin,
    'createOpportunity',
    'CreateOpportunityInput',
    { accountId, businessUnitId, name: `Bid ${bids}`, value: '1000.00' },
    BID,
  );
}

async function read(id: string): Promise<Bid> {
  const res = await api.gql<{ node: Bid }>(
    `query($id: ID!) { node(id: $id) { ... on Opportunity { ${BID} } } }`,
    { id },
    admin,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.node;
}

describe('a step of a bid is not dated after today', () => {
  it.each([
    ['qualifyOpportunity', 'tomorrow'],
    ['winOpportunity', 'tomorrow'],
    ['loseOpportunity', 'tomorrow'],
    ['winOpportunity', '2030-01-01'],
    ['loseOpportunity', '2027-06-30'],
    ['qualifyOpportunity', '2031-11-10'],
  ])('%s dated %s is a ValidationError DATE_IN_FUTURE at on, and the bid is unchanged', async (name, on) => {
    const bid = await openBid();
    const result = await mutate(api, admin, name, 'OpportunityStepInput', {
      id: bid.id,
      expectedVersion: bid.version,
      on: on === 'tomorrow' ? tomorrow() : on,
    });
    expect(result).toMatchObject({
      __typename: 'ValidationError',
      code: 'DATE_IN_FUTURE',
      fieldErrors: [{ path: ['on'], code: 'DATE_IN_FUTURE' }],
    });
    expect(result.message).toMatch(/after today .*Date it today or earlier\.$/);
    expect(await read(bid.id)).toEqual(bid);
  });

  it('today, or no date (today), is still taken', async () => {
    const bid = await openBid();
    const qualified = await ok<Bid>(
      api,
      admin,
      'qualifyOpportunity',
      'OpportunityStepInput',
      { id: bid.id, expectedVersion: bid.version, on: today() },
      BID,
    );
    const won = await ok<Bid>(
      api,
      admin,
      'winOpportunity',
      'OpportunityStepInput',
      { id: bid.id, expectedVersion: qualified.version },
      BID,
    );
    expect([won.qualifiedOn, won.outcome, won.decidedOn]).toEqual([today(), 'WON', today()]);
  });
});

interface Upserted {
  created: number;
  rejected: number;
  rejections: { index: number; path: string[]; code: string; message: string }[];
}
async function upsert(rows: Record<string, unknown>[]): Promise<Upserted> {
  const res = await api.gql<{ upsertOpportunities: { __typename: string; data?: Upserted } }>(
    `mutation($rows: [OpportunityRowInput!]!) { upsertOpportunities(rows: $rows, mode: PARTIAL) {
       __typename
       ... on UpsertOpportunitiesSuccess { data { created rejected rejections { index path code message } } } } }`,
    { rows },
    integration,
  );
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  expect(res.body.data?.upsertOpportunities.__typename).toBe('UpsertOpportunitiesSuccess');
  return res.body.data!.upsertOpportunities.data!;
}

async function stored(externalRef: string): Promise<number> {
  const res = await api.gql<{
    accountByRef: { opportunities: { edges: { node: { externalRef: string } }[] } };
  }>(
    '{ accountByRef(externalRef: "OD-1") { opportunities(first: 100) { edges { node { externalRef } } } } }',
    {},
    admin,
  );
  return res.body.data!.accountByRef.opportunities.edges.filter(e => e.node.externalRef === externalRef)
    .length;
}

const row = (externalRef: string, fields: Record<string, unknown>) => ({
  externalRef,
  accountRef: 'OD-1',
  businessUnitCode: 'OD',
  name: externalRef,
  value: '10.00',
  ...fields,
});

describe('an upsertOpportunities row', () => {
  it('dated after today is rejected with DATE_IN_FUTURE at decidedOn and qualifiedOn, and not stored', async () => {
    const result = await upsert([
      row('OD-FUT-1', {
        qualified: true,
        qualifiedOn: '2099-01-01',
        outcome: 'WON',
        decidedOn: '2099-10-01',
      }),
      row('OD-FUT-2', { qualified: true, qualifiedOn: '2026-01-05', outcome: 'LOST', decidedOn: tomorrow() }),
      row('OD-FUT-3', { qualified: true, qualifiedOn: tomorrow() }),
      // A forecast may be in the future.
      row('OD-FUT-4', { expectedCloseOn: '2099-01-01' }),
    ]);
    expect(result.rejections.map(r => [r.index, r.path, r.code])).toEqual([
      [0, ['qualifiedOn'], 'DATE_IN_FUTURE'],
      [0, ['decidedOn'], 'DATE_IN_FUTURE'],
      [1, ['decidedOn'], 'DATE_IN_FUTURE'],
      [2, ['qualifiedOn'], 'DATE_IN_FUTURE'],
    ]);
    expect(result.rejections[1]?.message).toMatch(
      /^decidedOn \(2099-10-01\) is after today \(\d{4}-\d{2}-\d{2}\): .*\. Date it today or earlier\.$/,
    );
    expect(result).toMatchObject({ created: 1, rejected: 3 });
    expect(await stored('OD-FUT-1')).toBe(0);
    expect(await stored('OD-FUT-4')).toBe(1);
  });

  it('that is qualified names the day it was qualified', async () => {
    // Stored undated, the analytics counted it as qualified in every past quarter.
    const result = await upsert([
      row('OD-Q-1', { qualified: true }),
      row('OD-Q-2', { qualified: true, qualifiedOn: null, outcome: 'WON', decidedOn: '2026-02-01' }),
    ]);
    expect(result.rejections).toEqual([
      {
        index: 0,
        path: ['qualifiedOn'],
        code: 'REQUIRED',
        message:
          'is required when qualified is true: the day the bid was qualified (the analytics count it as qualified from that day on)',
      },
      expect.objectContaining({ index: 1, path: ['qualifiedOn'], code: 'REQUIRED' }),
    ]);
    expect(await stored('OD-Q-1')).toBe(0);
  });

  it('with an outcome that is not one says which ones there are', async () => {
    const result = await upsert([row('OD-O-1', { outcome: 'won', decidedOn: '2026-02-01' })]);
    expect(result.rejections).toEqual([
      {
        index: 0,
        path: ['outcome'],
        code: 'INVALID_VALUE',
        message: 'must be one of OPEN, WON or LOST, not "won"',
      },
    ]);
  });
});
