/**
 * Key-account designations through the API: a designation, its review and its revocation are
 * never dated after today (so `isKeyAccount` and the current designation agree with the
 * analytics as of today), and a review's due date that comes too soon is a ValidationError
 * naming the mutation's own field.
 */
import { describe, expect, it } from 'vitest';
import { type ApiHarness, startApiForFile } from './harness.ts';
import { createAccountRef, mutate, ok, tomorrow } from './workflow-client.ts';

let api: ApiHarness;
let admin: string;

startApiForFile((started, secret) => {
  api = started;
  admin = secret;
}, 'ADMIN');

let accounts = 0;
async function newAccount(): Promise<string> {
  accounts += 1;
  return createAccountRef(api, admin, `DD-${accounts}`);
}

async function current(accountId: string) {
  const res = await api.gql<{
    node: { isKeyAccount: boolean; designation: { reviewDueOn: string; revokedOn: string | null } | null };
  }>(
    `query($id: ID!) { node(id: $id) { ... on Account { isKeyAccount designation { reviewDueOn revokedOn } } } }`,
    { id: accountId },
    admin,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.node;
}

describe('a designation is not dated after today', () => {
  it('designateKeyAccount dated tomorrow is a ValidationError DATE_IN_FUTURE at designatedOn; the account stays not key', async () => {
    const account = await newAccount();
    const result = await mutate(api, admin, 'designateKeyAccount', 'DesignateKeyAccountInput', {
      accountId: account,
      designatedOn: tomorrow(),
    });
    expect(result).toMatchObject({
      __typename: 'ValidationError',
      code: 'DATE_IN_FUTURE',
      fieldErrors: [{ path: ['designatedOn'], code: 'DATE_IN_FUTURE' }],
    });
    expect(result.message).toMatch(/after today .*Date it today or earlier/);
    expect(await current(account)).toEqual({ isKeyAccount: false, designation: null });
  });

  it('revokeKeyAccount dated tomorrow is refused: the designation stays current and can still be reviewed', async () => {
    const account = await newAccount();
    const designation = await ok<{ version: number }>(
      api,
      admin,
      'designateKeyAccount',
      'DesignateKeyAccountInput',
      { accountId: account, designatedOn: '2025-01-15' },
      'version',
    );
    const revoked = await mutate(api, admin, 'revokeKeyAccount', 'RevokeKeyAccountInput', {
      accountId: account,
      expectedVersion: designation.version,
      revokedOn: tomorrow(),
      reason: 'Losing the tender',
    });
    expect(revoked).toMatchObject({
      __typename: 'ValidationError',
      code: 'DATE_IN_FUTURE',
      fieldErrors: [{ path: ['revokedOn'], code: 'DATE_IN_FUTURE' }],
    });
    expect(await current(account)).toEqual({
      isKeyAccount: true,
      designation: { reviewDueOn: '2027-01-15', revokedOn: null },
    });
    const future = await mutate(
      api,
      admin,
      'reviewKeyAccountDesignation',
      'ReviewKeyAccountDesignationInput',
      {
        accountId: account,
        expectedVersion: designation.version,
        reviewedOn: '2030-01-01',
      },
    );
    expect(future).toMatchObject({
      __typename: 'ValidationError',
      code: 'DATE_IN_FUTURE',
      fieldErrors: [{ path: ['reviewedOn'], code: 'DATE_IN_FUTURE' }],
    });
    const reviewed = await ok<{ reviewDueOn: string }>(
      api,
      admin,
      'reviewKeyAccountDesignation',
      'ReviewKeyAccountDesignationInput',
      { accountId: account, expectedVersion: designation.version, reviewedOn: '2026-02-01' },
      'reviewDueOn',
    );
    expect(reviewed.reviewDueOn).toBe('2028-02-01');
  });
});

describe('a review due too soon is a ValidationError at the mutation’s own field', () => {
  it('designateKeyAccount: reviewDueOn', async () => {
    const result = await mutate(api, admin, 'designateKeyAccount', 'DesignateKeyAccountInput', {
      accountId: await newAccount(),
      designatedOn: '2026-01-01',
      reviewDueOn: '2027-01-01',
    });
    expect(result).toMatchObject({
      __typename: 'ValidationError',
      code: 'DESIGNATION_REVIEW_TOO_SOON',
      fieldErrors: [{ path: ['reviewDueOn'], code: 'DESIGNATION_REVIEW_TOO_SOON' }],
    });
  });

  it('reviewKeyAccountDesignation: nextReviewDueOn, named in the message', async () => {
    const account = await newAccount();
    const designation = await ok<{ version: number }>(
      api,
      admin,
      'designateKeyAccount',
      'DesignateKeyAccountInput',
      { accountId: account, designatedOn: '2025-01-01' },
      'version',
    );
    const result = await mutate(
      api,
      admin,
      'reviewKeyAccountDesignation',
      'ReviewKeyAccountDesignationInput',
      {
        accountId: account,
        expectedVersion: designation.version,
        reviewedOn: '2026-06-01',
        nextReviewDueOn: '2027-06-01',
      },
    );
    expect(result).toMatchObject({
      __typename: 'ValidationError',
      code: 'DESIGNATION_REVIEW_TOO_SOON',
      fieldErrors: [{ path: ['nextReviewDueOn'], code: 'DESIGNATION_REVIEW_TOO_SOON' }],
    });
    expect(result.message).toMatch(/nextReviewDueOn must be 2028-06-01 or later/);
    expect(result.message).not.toMatch(/\breviewDueOn\b/);
  });
});
