/**
 * The rules of an annual account plan through the API (domain §7: one plan per key account per
 * planning year): a plan is drawn up for a key account (ACCOUNT_NOT_KEY), its period includes
 * days of its year and overlaps no other plan of the account (PLAN_PERIOD_OVERLAP), its owner and
 * its actions' owners are active people (PERSON_INACTIVE at ownerId), and its wrong inputs are
 * told in kam's words.
 */
import { describe, expect, it } from 'vitest';
import { type ApiHarness, startApiForFile } from './harness.ts';
import { createAccountRef, mutate, ok, today } from './workflow-client.ts';

let api: ApiHarness;
let admin: string;

startApiForFile((started, secret) => {
  api = started;
  admin = secret;
}, 'ADMIN');

let accounts = 0;
async function newAccount(): Promise<string> {
  accounts += 1;
  return createAccountRef(api, admin, `PR-${accounts}`);
}

/** A key account, designated on 2020-01-01 (before every plan below); its global id. */
async function keyAccount(): Promise<string> {
  const account = await newAccount();
  await ok(api, admin, 'designateKeyAccount', 'DesignateKeyAccountInput', {
    accountId: account,
    designatedOn: '2020-01-01',
  });
  return account;
}

type Plan = { id: string; version: number; year: number; startsOn: string; endsOn: string };
const PLAN = 'id version year startsOn endsOn';

const createPlan = (input: Record<string, unknown>) =>
  mutate<Plan>(api, admin, 'createPlan', 'CreatePlanInput', input, PLAN);
/** createPlan that must succeed: the plan. */
const newPlan = (input: Record<string, unknown>) =>
  ok<Plan>(api, admin, 'createPlan', 'CreatePlanInput', input, PLAN);

/** The plans of an account, by year. */
async function plansOf(account: string): Promise<number[]> {
  const res = await api.gql<{ node: { plans: { year: number }[] } }>(
    'query($id: ID!) { node(id: $id) { ... on Account { plans { year } } } }',
    { id: account },
    admin,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.node.plans.map(p => p.year).sort();
}

/** A person who is no longer active; their global id. */
async function leaver(name: string): Promise<string> {
  const person = await ok<{ id: string; version: number }>(
    api,
    admin,
    'createPerson',
    'CreatePersonInput',
    { name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.test` },
    'id version',
  );
  await ok(api, admin, 'updatePerson', 'UpdatePersonInput', {
    id: person.id,
    expectedVersion: person.version,
    active: false,
  });
  return person.id;
}

describe('a plan is drawn up for a key account', () => {
  it('createPlan for an account that is not key is a DomainRuleError ACCOUNT_NOT_KEY, writing nothing', async () => {
    const account = await newAccount();
    const result = await createPlan({ accountId: account, year: 2026 });
    expect(result).toMatchObject({
      __typename: 'DomainRuleError',
      code: 'ACCOUNT_NOT_KEY',
      message: `PR-${accounts} is not a key account today (${today()}), and an account plan is drawn up for a key account only. Designate it first.`,
    });
    expect(await plansOf(account)).toEqual([]);
  });

  it('copyPlanToNextYear once the designation was revoked is ACCOUNT_NOT_KEY; dated while key it copies', async () => {
    const account = await newAccount();
    const designation = await ok<{ version: number }>(
      api,
      admin,
      'designateKeyAccount',
      'DesignateKeyAccountInput',
      { accountId: account, designatedOn: '2024-01-01' },
      'version',
    );
    const plan = await newPlan({ accountId: account, year: 2025, on: '2025-03-01' });
    await ok(api, admin, 'revokeKeyAccount', 'RevokeKeyAccountInput', {
      accountId: account,
      expectedVersion: designation.version,
      revokedOn: '2025-07-01',
      reason: 'Lost the framework contract',
    });
    const refused = await mutate(api, admin, 'copyPlanToNextYear', 'CopyPlanInput', { id: plan.id });
    expect(refused).toMatchObject({ __typename: 'DomainRuleError', code: 'ACCOUNT_NOT_KEY' });
    expect(refused.message).toMatch(/its designation ended on 2025-07-01.*Designate it first\.$/);
    expect(await plansOf(account)).toEqual([2025]);
    const copy = await ok<Plan>(
      api,
      admin,
      'copyPlanToNextYear',
      'CopyPlanInput',
      { id: plan.id, on: '2025-06-30' },
      PLAN,
    );
    expect(copy.year).toBe(2026);
  });
});

describe('a plan’s period', () => {
  it('with no day in the plan’s year is a ValidationError at startsOn, writing nothing', async () => {
    const account = await keyAccount();
    const result = await createPlan({
      accountId: account,
      year: 2026,
      startsOn: '2031-01-01',
      endsOn: '2031-12-31',
    });
    expect(result).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: ['startsOn'], code: 'VALIDATION_FAILED' }],
    });
    expect(result.message).toMatch(/^The period 2031-01-01 to 2031-12-31 has no day in 2026/);
    expect(await plansOf(account)).toEqual([]);
    // A fiscal year that ends in 2026 may be the 2026 plan.
    const fiscal = await createPlan({
      accountId: account,
      year: 2026,
      startsOn: '2025-04-01',
      endsOn: '2026-03-31',
    });
    expect(fiscal.__typename).toBe('CreatePlanSuccess');
  });

  it('overlapping another plan of the account is a DomainRuleError PLAN_PERIOD_OVERLAP, on create and on copy', async () => {
    const account = await keyAccount();
    const fiscal = await newPlan({
      accountId: account,
      year: 2026,
      startsOn: '2026-04-01',
      endsOn: '2027-03-31',
    });
    const overlapping = await createPlan({ accountId: account, year: 2027 });
    expect(overlapping).toMatchObject({ __typename: 'DomainRuleError', code: 'PLAN_PERIOD_OVERLAP' });
    expect(overlapping.message).toBe(
      `The period 2027-01-01 to 2027-12-31 overlaps that of the 2026 plan of PR-${accounts} (2026-04-01 to 2027-03-31): a key account has one plan for a time. Start the period after 2027-03-31.`,
    );
    // A later plan over the days the copy would take: the copy is refused, naming it.
    await newPlan({
      accountId: account,
      year: 2028,
      startsOn: '2027-07-01',
      endsOn: '2028-06-30',
    });
    const copied = await mutate(api, admin, 'copyPlanToNextYear', 'CopyPlanInput', { id: fiscal.id });
    expect(copied).toMatchObject({ __typename: 'DomainRuleError', code: 'PLAN_PERIOD_OVERLAP' });
    expect(copied.message).toMatch(/the 2028 plan \(2027-07-01 to 2028-06-30\)/);
    expect(await plansOf(account)).toEqual([2026, 2028]);
  });

  it('a DRAFT plan’s period is changed by updatePlan, checked as at creation', async () => {
    const account = await keyAccount();
    const plan = await newPlan({ accountId: account, year: 2026 });
    await newPlan({
      accountId: account,
      year: 2027,
      startsOn: '2027-04-01',
      endsOn: '2028-03-31',
    });
    const update = (input: Record<string, unknown>) =>
      mutate<Plan>(api, admin, 'updatePlan', 'UpdatePlanInput', { id: plan.id, ...input }, PLAN);
    const fiscal = await update({
      expectedVersion: plan.version,
      startsOn: '2026-04-01',
      endsOn: '2027-03-31',
    });
    expect(fiscal).toMatchObject({
      __typename: 'UpdatePlanSuccess',
      data: { startsOn: '2026-04-01', endsOn: '2027-03-31', version: plan.version + 1 },
    });
    const backwards = await update({ expectedVersion: plan.version + 1, endsOn: '2026-01-31' });
    expect(backwards).toMatchObject({
      __typename: 'ValidationError',
      message:
        'The period would end on 2026-01-31, before it starts on 2026-04-01. Give an endsOn on or after startsOn.',
      fieldErrors: [{ path: ['endsOn'], code: 'VALIDATION_FAILED' }],
    });
    const overlapping = await update({ expectedVersion: plan.version + 1, endsOn: '2027-04-01' });
    expect(overlapping).toMatchObject({ __typename: 'DomainRuleError', code: 'PLAN_PERIOD_OVERLAP' });
    expect(overlapping.message).toMatch(/End the period before 2027-04-01\.$/);
  });
});

describe('who owns a plan and its actions', () => {
  it('a person who is no longer active is refused as the owner of a plan or an action (PERSON_INACTIVE at ownerId)', async () => {
    const left = await leaver('Olga Left');
    const account = await keyAccount();
    const inactive = {
      __typename: 'ValidationError',
      code: 'PERSON_INACTIVE',
      fieldErrors: [{ path: ['ownerId'], code: 'PERSON_INACTIVE' }],
    };
    const created = await createPlan({ accountId: account, year: 2026, ownerId: left });
    expect(created).toMatchObject(inactive);
    expect(created.message).toMatch(
      /^Olga Left is no longer active and cannot be the owner of the 2026 plan/,
    );
    expect(await plansOf(account)).toEqual([]);
    const plan = await newPlan({ accountId: account, year: 2026 });
    expect(
      await mutate(api, admin, 'updatePlan', 'UpdatePlanInput', {
        id: plan.id,
        expectedVersion: plan.version,
        ownerId: left,
      }),
    ).toMatchObject(inactive);
    expect(
      await mutate(api, admin, 'addPlanAction', 'AddPlanActionInput', {
        planId: plan.id,
        description: 'Visit',
        ownerId: left,
      }),
    ).toMatchObject(inactive);
    const action = await ok<{ id: string; version: number }>(
      api,
      admin,
      'addPlanAction',
      'AddPlanActionInput',
      { planId: plan.id, description: 'Visit' },
      'id version',
    );
    expect(
      await mutate(api, admin, 'updatePlanAction', 'UpdatePlanActionInput', {
        id: action.id,
        expectedVersion: action.version,
        ownerId: left,
      }),
    ).toMatchObject(inactive);
  });
});

describe('a plan’s wrong inputs are told in kam’s words', () => {
  it('a margin target out of range or with three decimals says the range and the two decimals', async () => {
    const account = await keyAccount();
    for (const marginTargetPercent of ['150', '31.555']) {
      const res = await api.gql<{
        createPlan: { __typename: string; fieldErrors: { path: string[]; message: string; code: string }[] };
      }>(
        `mutation($input: CreatePlanInput!) { createPlan(input: $input) {
          __typename ... on ValidationError { fieldErrors { path message code } } } }`,
        { input: { accountId: account, year: 2026, targets: { marginTargetPercent } } },
        admin,
      );
      expect(res.body.data?.createPlan).toEqual({
        __typename: 'ValidationError',
        fieldErrors: [
          {
            path: ['targets', 'marginTargetPercent'],
            message: 'must be a percentage from -100 to 100 with at most two decimals, like 31.5',
            code: 'INVALID_PERCENTAGE',
          },
        ],
      });
    }
  });

  it('an action’s blank description must not be empty', async () => {
    const account = await keyAccount();
    const plan = await newPlan({ accountId: account, year: 2026 });
    const res = await api.gql<{
      addPlanAction: {
        __typename: string;
        message: string;
        fieldErrors: { path: string[]; message: string }[];
      };
    }>(
      `mutation($input: AddPlanActionInput!) { addPlanAction(input: $input) {
        __typename ... on ValidationError { message fieldErrors { path message } } } }`,
      { input: { planId: plan.id, description: '   ' } },
      admin,
    );
    expect(res.body.data?.addPlanAction).toEqual({
      __typename: 'ValidationError',
      message: 'Invalid action: description: must not be empty.',
      fieldErrors: [{ path: ['description'], message: 'must not be empty' }],
    });
  });
});
