/**
 * Key-account selection and the value journey through the API: the journey's moves count only
 * the accounts key at the quarter's end (as its distribution does), a revocation is not dated
 * before the designation's last review, a selection assessment is not dated after today, and a
 * tier is assessed only for a key account (domain §5).
 */
import { quarterOf } from '@kam/domain';
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
  return createAccountRef(api, admin, `KJ-${accounts}`);
}

/** Designates the account on `designatedOn`; returns the designation's version. */
async function designate(accountId: string, designatedOn: string): Promise<number> {
  return (
    await ok<{ version: number }>(
      api,
      admin,
      'designateKeyAccount',
      'DesignateKeyAccountInput',
      { accountId, designatedOn },
      'version',
    )
  ).version;
}

async function assess(accountId: string, quarter: string, tier: string): Promise<void> {
  await ok(api, admin, 'assessTier', 'AssessTierInput', {
    accountId,
    quarter,
    tier,
    evidence: `${tier} in ${quarter}`,
  });
}

async function tierHistory(accountId: string): Promise<{ quarter: string; tier: string }[]> {
  const res = await api.gql<{ node: { tierHistory: { quarter: string; tier: string }[] } }>(
    'query($id: ID!) { node(id: $id) { ... on Account { tierHistory { quarter tier } } } }',
    { id: accountId },
    admin,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.node.tierHistory;
}

interface Journey {
  distribution: { quarter: string; tiers: { tier: string; accounts: number }[]; unassessed: number }[];
  transitions: { from: string; to: string; accounts: number }[];
  progressed: number;
  regressed: number;
}

async function journey(quarter: string) {
  const res = await api.gql<{ analytics: { journey: Journey } }>(
    `query($q: Quarter!) { analytics(quarter: $q) { journey {
      distribution { quarter tiers { tier accounts } unassessed } transitions { from to accounts }
      progressed regressed } } }`,
    { q: quarter },
    admin,
  );
  expect(res.body.errors).toBeUndefined();
  const j = res.body.data!.analytics.journey;
  const row = j.distribution.find(d => d.quarter === quarter)!;
  return {
    /** Key accounts at the quarter's end assessed at `tier` in it. */
    at: (tier: string) => row.tiers.find(t => t.tier === tier)!.accounts,
    /** Accounts that moved from `from` to `to` since the previous quarter. */
    moved: (from: string, to: string) =>
      j.transitions.find(t => t.from === from && t.to === to)?.accounts ?? 0,
    progressed: j.progressed,
    regressed: j.regressed,
  };
}

describe('the journey’s moves count only the accounts key at the quarter’s end', () => {
  // Revoked within the quarter: not key at its end, so neither in its distribution nor its moves.
  it.each([
    { previous: '2026-Q2', quarter: '2026-Q3', from: 'TIER_4', to: 'TIER_2', revokedOn: '2026-09-15' },
    { previous: '2026-Q3', quarter: '2026-Q4', from: 'TIER_4', to: 'TIER_3', revokedOn: '2026-10-15' },
  ])(
    'an account assessed $from in $previous and $to in $quarter, revoked on $revokedOn, is no progress of $quarter',
    async ({ previous, quarter, from, to, revokedOn }) => {
      const account = await newAccount();
      const version = await designate(account, '2026-01-01');
      await assess(account, previous, from);
      await assess(account, quarter, to);
      const before = await journey(quarter);
      await ok(api, admin, 'revokeKeyAccount', 'RevokeKeyAccountInput', {
        accountId: account,
        expectedVersion: version,
        revokedOn,
        reason: 'Lost the framework contract',
      });
      const after = await journey(quarter);
      expect(after.at(to)).toBe(before.at(to) - 1);
      expect(after.progressed).toBe(before.progressed - 1);
      expect(after.moved(from, to)).toBe(before.moved(from, to) - 1);
      expect(after.regressed).toBe(before.regressed);
    },
  );
});

describe('a revocation is not dated before the designation’s last review', () => {
  it('revokeKeyAccount before the last review is a ValidationError at revokedOn naming the review; the designation stays', async () => {
    const account = await newAccount();
    const ref = `KJ-${accounts}`;
    const version = await designate(account, '2026-10-20');
    const reviewed = await ok<{ version: number }>(
      api,
      admin,
      'reviewKeyAccountDesignation',
      'ReviewKeyAccountDesignationInput',
      { accountId: account, expectedVersion: version, reviewedOn: '2026-11-20' },
      'version',
    );
    const early = await mutate(api, admin, 'revokeKeyAccount', 'RevokeKeyAccountInput', {
      accountId: account,
      expectedVersion: reviewed.version,
      revokedOn: '2026-11-10',
      reason: 'Lost the tender',
    });
    expect(early).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: ['revokedOn'], code: 'VALIDATION_FAILED' }],
    });
    expect(early.message).toBe(
      `revokedOn (2026-11-10) is before the last review of the key-account designation of ${ref} (2026-11-20); date the revocation on or after 2026-11-20.`,
    );
    const res = await api.gql<{ node: { isKeyAccount: boolean; designation: { revokedOn: string | null } } }>(
      'query($id: ID!) { node(id: $id) { ... on Account { isKeyAccount designation { revokedOn } } } }',
      { id: account },
      admin,
    );
    expect(res.body.data?.node).toEqual({ isKeyAccount: true, designation: { revokedOn: null } });
    // The day of the review itself is fine.
    const revoked = await ok<{ revokedOn: string }>(
      api,
      admin,
      'revokeKeyAccount',
      'RevokeKeyAccountInput',
      { accountId: account, expectedVersion: reviewed.version, revokedOn: '2026-11-20', reason: 'Lost it' },
      'revokedOn',
    );
    expect(revoked.revokedOn).toBe('2026-11-20');
  });
});

describe('a selection assessment is not dated after today', () => {
  it('recordSelectionAssessment dated after today is a ValidationError DATE_IN_FUTURE at assessedOn, writing nothing', async () => {
    const account = await newAccount();
    const scores = {
      accountId: account,
      marketLeadership: 4,
      innovationLeadership: 3,
      growthFit: 4,
      otherUnitsPotential: 3,
      loyalty: 4,
      informationSharing: 3,
      engagementDesire: 4,
      buyingBasis: 3,
      sustainableRevenue: true,
      defectionInfluencesOthers: false,
    };
    for (const assessedOn of [tomorrow(), '2030-01-01']) {
      const result = await mutate(api, admin, 'recordSelectionAssessment', 'RecordSelectionAssessmentInput', {
        ...scores,
        assessedOn,
      });
      expect(result).toMatchObject({
        __typename: 'ValidationError',
        code: 'DATE_IN_FUTURE',
        fieldErrors: [{ path: ['assessedOn'], code: 'DATE_IN_FUTURE' }],
      });
      expect(result.message).toMatch(/after today .*Date it today or earlier/);
    }
    const read = await api.gql<{ node: { assessments: { totalCount: number; edges: unknown[] } } }>(
      'query($id: ID!) { node(id: $id) { ... on Account { assessments { totalCount edges { node { assessedOn } } } } } }',
      { id: account },
      admin,
    );
    expect(read.body.data?.node.assessments).toEqual({ totalCount: 0, edges: [] });
    await ok(api, admin, 'recordSelectionAssessment', 'RecordSelectionAssessmentInput', {
      ...scores,
      assessedOn: today(),
    });
  });
});

describe('a tier is assessed for a key account only', () => {
  it('assessTier for an account that is not key is a DomainRuleError ACCOUNT_NOT_KEY, writing nothing', async () => {
    const account = await newAccount();
    const running = quarterOf(new Date());
    for (const quarter of ['2026-Q3', running]) {
      const result = await mutate(api, admin, 'assessTier', 'AssessTierInput', {
        accountId: account,
        quarter,
        tier: 'TIER_3',
        evidence: 'Specific services',
      });
      expect(result).toMatchObject({ __typename: 'DomainRuleError', code: 'ACCOUNT_NOT_KEY' });
      expect(result.message).toMatch(/not a key account.*designate it first/i);
    }
    expect(await tierHistory(account)).toEqual([]);
    // Designated today: key now, so the running quarter can be assessed, but not 2026-Q3.
    await designate(account, today());
    await assess(account, running, 'TIER_3');
    const past = await mutate(api, admin, 'assessTier', 'AssessTierInput', {
      accountId: account,
      quarter: '2026-Q3',
      tier: 'TIER_4',
      evidence: 'Price',
    });
    expect(past).toMatchObject({ __typename: 'DomainRuleError', code: 'ACCOUNT_NOT_KEY' });
    expect(await tierHistory(account)).toEqual([{ quarter: running, tier: 'TIER_3' }]);
  });

  it('evidence over 4,000 characters is refused in kam’s words', async () => {
    const account = await newAccount();
    await designate(account, '2026-01-01');
    const res = await api.gql<{
      assessTier: { __typename: string; fieldErrors?: { path: string[]; message: string }[] };
    }>(
      `mutation($input: AssessTierInput!) { assessTier(input: $input) {
        __typename ... on ValidationError { fieldErrors { path message } } } }`,
      { input: { accountId: account, quarter: '2026-Q3', tier: 'TIER_2', evidence: 'x'.repeat(4001) } },
      admin,
    );
    expect(res.body.data?.assessTier).toEqual({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['evidence'], message: 'must be at most 4,000 characters' }],
    });
  });
});
