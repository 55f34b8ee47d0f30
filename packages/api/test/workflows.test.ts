/**
 * Every workflow family through HTTP against the real server: the happy path, and each
 * error type (validation with a field path, not found, stale expectedVersion, forbidden,
 * a domain rule with the domain's code).
 */
import { Settings } from '@kam/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';
import { everyPage, globalId, mutate, ok } from './workflow-client.ts';

let api: ApiHarness;
let admin: string;
let manager: { secret: string; personId: number };
let outsider: { secret: string; personId: number };
let emeaSigner: number;
let apacSigner: number;
let emea: string;
let apac: string;
let acme: string;
let globex: string;

const numeric = (id: string) => Number(Buffer.from(id, 'base64').toString().split(':')[1]);

beforeAll(async () => {
  api = await startApi();
  admin = (await api.token('ADMIN')).secret;
  manager = await api.token('ACCOUNT_MANAGER');
  outsider = await api.token('ACCOUNT_MANAGER');
  const unit = (code: string) =>
    ok<{ id: string }>(
      api,
      admin,
      'createBusinessUnit',
      'CreateBusinessUnitInput',
      {
        code,
        name: code,
        kind: 'GEOGRAPHY',
      },
      'id',
    );
  emea = (await unit('EMEA')).id;
  apac = (await unit('APAC')).id;
  emeaSigner = (await api.token('EXECUTIVE', { businessUnitId: numeric(emea) })).personId;
  apacSigner = (await api.token('EXECUTIVE', { businessUnitId: numeric(apac) })).personId;
  const account = (externalRef: string, name: string) =>
    ok<{ id: string }>(api, admin, 'createAccount', 'CreateAccountInput', { externalRef, name }, 'id');
  acme = (await account('W-ACME', 'Acme')).id;
  globex = (await account('W-GLOBEX', 'Globex')).id;
  await ok(api, admin, 'addTeamMember', 'AddTeamMemberInput', {
    accountId: acme,
    personId: globalId('Person', manager.personId),
    role: 'KEY_ACCOUNT_MANAGER',
  });
});
afterAll(async () => {
  await api.close();
});

describe('team', () => {
  it('adds, changes and removes members; one lead per geography; stale versions conflict', async () => {
    const sponsor = await api.token('EXECUTIVE');
    const second = await mutate(api, manager.secret, 'addTeamMember', 'AddTeamMemberInput', {
      accountId: acme,
      personId: globalId('Person', sponsor.personId),
      role: 'KEY_ACCOUNT_MANAGER',
    });
    expect(second).toMatchObject({ __typename: 'DomainRuleError', code: 'TEAM_LEAD_ALREADY_ASSIGNED' });
    const member = await ok<{ id: string; version: number }>(
      api,
      manager.secret,
      'addTeamMember',
      'AddTeamMemberInput',
      { accountId: acme, personId: globalId('Person', sponsor.personId), role: 'SPONSOR' },
      'id version',
    );
    const changed = await ok<{ role: string; version: number }>(
      api,
      manager.secret,
      'changeTeamMember',
      'ChangeTeamMemberInput',
      { id: member.id, expectedVersion: member.version, role: 'COACH' },
      'role version',
    );
    expect(changed.role).toBe('COACH');
    const stale = await mutate(api, manager.secret, 'changeTeamMember', 'ChangeTeamMemberInput', {
      id: member.id,
      expectedVersion: member.version,
      role: 'SUPPORT',
    });
    expect(stale).toMatchObject({ __typename: 'ConflictError', code: 'VERSION_CONFLICT' });
    const removed = await ok<{ removedId: string }>(
      api,
      manager.secret,
      'removeTeamMember',
      'RemoveTeamMemberInput',
      { id: member.id, expectedVersion: changed.version },
      'removedId',
    );
    expect(removed.removedId).toBe(member.id);
    const read = await api.gql<{ node: { team: { role: string; person: { name: string } }[] } }>(
      'query($id: ID!) { node(id: $id) { ... on Account { team { role person { name } } } } }',
      { id: acme },
      admin,
    );
    expect(read.body.data?.node.team.map(m => m.role)).toEqual(['KEY_ACCOUNT_MANAGER']);
  });

  it('reports a missing record as NotFoundError and an id of another type as ValidationError', async () => {
    const missing = await mutate(api, admin, 'changeTeamMember', 'ChangeTeamMemberInput', {
      id: globalId('TeamMember', 99_999),
      expectedVersion: 1,
      role: 'SUPPORT',
    });
    expect(missing).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    // Named by the id the client sent, not the database's.
    expect(missing.message).toBe(`Team member ${globalId('TeamMember', 99_999)} does not exist.`);
    const wrongType = await mutate(api, admin, 'changeTeamMember', 'ChangeTeamMemberInput', {
      id: acme,
      expectedVersion: 1,
    });
    expect(wrongType).toMatchObject({ __typename: 'ValidationError', code: 'INVALID_ID' });
    expect(wrongType.fieldErrors?.[0]?.path).toEqual(['id']);
  });

  it('forbids an account manager who is not on the team, and writes nothing', async () => {
    const res = await mutate(api, outsider.secret, 'createContact', 'CreateContactInput', {
      accountId: acme,
      name: 'Not allowed',
      function: 'FINANCE',
      influence: 3,
    });
    expect(res).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(res.message).toBe(
      'You are not on the team of W-ACME (Acme); account managers change only the accounts whose team they are on. Ask its key account manager or an administrator to add you.',
    );
    const read = await api.gql<{ node: { contacts: { edges: { node: { name: string } }[] } } }>(
      'query($id: ID!) { node(id: $id) { ... on Account { contacts(first: 100) { edges { node { name } } } } } }',
      { id: acme },
      admin,
    );
    expect(read.body.data?.node.contacts.edges.map(e => e.node.name)).not.toContain('Not allowed');
  });

  it('forbids a manager who left the team earlier in the same request, and writes nothing', async () => {
    const leaver = await api.token('ACCOUNT_MANAGER');
    const membership = await ok<{ id: string; version: number }>(
      api,
      admin,
      'addTeamMember',
      'AddTeamMemberInput',
      { accountId: acme, personId: globalId('Person', leaver.personId), role: 'SUPPORT' },
      'id version',
    );
    // Mutations of one document run one after the other: the second runs once the first has
    // taken the manager off the team, so it is refused as any later request would be.
    const res = await api.gql<Record<string, { __typename: string; code?: string }>>(
      `mutation($leave: RemoveTeamMemberInput!, $contact: CreateContactInput!) {
        leave: removeTeamMember(input: $leave) { __typename ... on Error { code } }
        contact: createContact(input: $contact) { __typename ... on Error { code } }
      }`,
      {
        leave: { id: membership.id, expectedVersion: membership.version },
        contact: { accountId: acme, name: 'After leaving', function: 'FINANCE', influence: 3 },
      },
      leaver.secret,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.leave?.__typename).toBe('RemoveTeamMemberSuccess');
    expect(res.body.data?.contact).toEqual({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const read = await api.gql<{ node: { contacts: { edges: { node: { name: string } }[] } } }>(
      'query($id: ID!) { node(id: $id) { ... on Account { contacts(first: 100) { edges { node { name } } } } } }',
      { id: acme },
      admin,
    );
    expect(read.body.data?.node.contacts.edges.map(e => e.node.name)).not.toContain('After leaving');
  });
});

describe('stakeholder map', () => {
  it('validates influence with a field path, creates contacts and names a counterpart', async () => {
    const bad = await mutate(api, manager.secret, 'createContact', 'CreateContactInput', {
      accountId: acme,
      name: 'Too influential',
      function: 'PROCUREMENT',
      influence: 7,
    });
    expect(bad).toMatchObject({ __typename: 'ValidationError', code: 'SCORE_OUT_OF_RANGE' });
    expect(bad.fieldErrors).toEqual([{ path: ['influence'], code: 'SCORE_OUT_OF_RANGE' }]);
    const contact = await ok<{ id: string; version: number }>(
      api,
      manager.secret,
      'createContact',
      'CreateContactInput',
      { accountId: acme, name: 'Pat Buyer', function: 'PROCUREMENT', influence: 4, stance: 'NEUTRAL' },
      'id version',
    );
    const set = await ok<{ counterpart: { name: string } }>(
      api,
      manager.secret,
      'setContactCounterpart',
      'SetContactCounterpartInput',
      {
        id: contact.id,
        expectedVersion: contact.version,
        counterpartId: globalId('Person', manager.personId),
      },
      'counterpart { name } version',
    );
    expect(set.counterpart.name).toMatch(/ACCOUNT_MANAGER person/);
    const updated = await ok<{ stance: string; version: number }>(
      api,
      manager.secret,
      'updateContact',
      'UpdateContactInput',
      { id: contact.id, expectedVersion: contact.version + 1, stance: 'CHAMPION' },
      'stance version',
    );
    expect(updated.stance).toBe('CHAMPION');
    await ok(
      api,
      manager.secret,
      'removeContact',
      'RemoveContactInput',
      {
        id: contact.id,
        expectedVersion: updated.version,
      },
      'removedId',
    );
  });
});

describe('selection and the value journey', () => {
  it('records assessments, designates with a 24-month review, revokes and keeps history', async () => {
    const assessment = await ok<{ loyalty: number; assessedBy: { id: string } }>(
      api,
      manager.secret,
      'recordSelectionAssessment',
      'RecordSelectionAssessmentInput',
      {
        accountId: acme,
        marketLeadership: 5,
        innovationLeadership: 4,
        growthFit: 4,
        otherUnitsPotential: 3,
        loyalty: 4,
        informationSharing: 3,
        engagementDesire: 5,
        buyingBasis: 4,
        sustainableRevenue: true,
        defectionInfluencesOthers: false,
      },
      'loyalty assessedBy { id }',
    );
    expect(assessment.loyalty).toBe(4);
    const tooSoon = await mutate(api, admin, 'designateKeyAccount', 'DesignateKeyAccountInput', {
      accountId: acme,
      designatedOn: '2026-01-01',
      reviewDueOn: '2027-01-01',
    });
    expect(tooSoon).toMatchObject({
      __typename: 'ValidationError',
      code: 'DESIGNATION_REVIEW_TOO_SOON',
      fieldErrors: [{ path: ['reviewDueOn'], code: 'DESIGNATION_REVIEW_TOO_SOON' }],
    });
    const designation = await ok<{ reviewDueOn: string; version: number }>(
      api,
      admin,
      'designateKeyAccount',
      'DesignateKeyAccountInput',
      { accountId: acme, designatedOn: '2026-01-01', reason: 'Strategic fit' },
      'reviewDueOn version',
    );
    expect(designation.reviewDueOn).toBe('2028-01-01');
    const again = await mutate(api, admin, 'designateKeyAccount', 'DesignateKeyAccountInput', {
      accountId: acme,
    });
    expect(again).toMatchObject({ __typename: 'DomainRuleError', code: 'ACCOUNT_ALREADY_KEY' });
    const reviewed = await ok<{ reviewDueOn: string; version: number }>(
      api,
      admin,
      'reviewKeyAccountDesignation',
      'ReviewKeyAccountDesignationInput',
      { accountId: acme, expectedVersion: designation.version, reviewedOn: '2026-06-01' },
      'reviewDueOn version',
    );
    expect(reviewed.reviewDueOn).toBe('2028-06-01');
    const stale = await mutate(api, admin, 'revokeKeyAccount', 'RevokeKeyAccountInput', {
      accountId: acme,
      expectedVersion: designation.version,
      reason: 'Lost the business',
    });
    expect(stale).toMatchObject({
      __typename: 'ConflictError',
      code: 'VERSION_CONFLICT',
      currentVersion: reviewed.version,
    });
    const revoked = await ok<{ revokedOn: string }>(
      api,
      admin,
      'revokeKeyAccount',
      'RevokeKeyAccountInput',
      {
        accountId: acme,
        expectedVersion: reviewed.version,
        revokedOn: '2026-09-30',
        reason: 'Lost the business',
      },
      'revokedOn',
    );
    expect(revoked.revokedOn).toBe('2026-09-30');
    const none = await mutate(api, admin, 'revokeKeyAccount', 'RevokeKeyAccountInput', {
      accountId: acme,
      expectedVersion: 1,
      reason: 'again',
    });
    expect(none).toMatchObject({ __typename: 'NotFoundError' });
    // Named as its users know it, not by a database id.
    expect(none.message).toBe(
      'Account W-ACME (Acme) has no current key-account designation to review or revoke; designate it first.',
    );
    const unknown = await mutate(
      api,
      admin,
      'reviewKeyAccountDesignation',
      'ReviewKeyAccountDesignationInput',
      {
        accountId: globalId('Account', 99_999),
        expectedVersion: 1,
      },
    );
    expect(unknown).toMatchObject({
      __typename: 'NotFoundError',
      message: `Account ${globalId('Account', 99_999)} does not exist.`,
    });
    await ok(
      api,
      admin,
      'designateKeyAccount',
      'DesignateKeyAccountInput',
      { accountId: acme, designatedOn: '2026-10-01' },
      'version',
    );
    const read = await api.gql<{
      node: {
        isKeyAccount: boolean;
        designations: { edges: { node: { revokedOn: string | null } }[] };
        assessments: { edges: { node: { loyalty: number } }[] };
      };
    }>(
      `query($id: ID!) { node(id: $id) { ... on Account {
        isKeyAccount designations(first: 100) { edges { node { revokedOn } } } assessments(first: 100) { edges { node { loyalty } } }
      } } }`,
      { id: acme },
      admin,
    );
    expect(read.body.data?.node).toEqual({
      isKeyAccount: true,
      designations: { edges: [{ node: { revokedOn: null } }, { node: { revokedOn: '2026-09-30' } }] },
      assessments: { edges: [{ node: { loyalty: 4 } }] },
    });
  });

  it('records the team’s tier per quarter with evidence; changing it needs the version', async () => {
    const noEvidence = await mutate(api, manager.secret, 'assessTier', 'AssessTierInput', {
      accountId: acme,
      quarter: '2026-Q1',
      tier: 'TIER_3',
      evidence: ' ',
    });
    expect(noEvidence).toMatchObject({
      __typename: 'ValidationError',
      code: 'TIER_EVIDENCE_REQUIRED',
      fieldErrors: [{ path: ['evidence'], code: 'TIER_EVIDENCE_REQUIRED' }],
    });
    const notStarted = await mutate(api, manager.secret, 'assessTier', 'AssessTierInput', {
      accountId: acme,
      quarter: '2031-Q1',
      tier: 'TIER_1',
      evidence: 'good stuff',
    });
    expect(notStarted).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: ['quarter'], code: 'QUARTER_NOT_STARTED' }],
    });
    const first = await ok<{ version: number }>(
      api,
      manager.secret,
      'assessTier',
      'AssessTierInput',
      { accountId: acme, quarter: '2026-Q1', tier: 'TIER_3', evidence: 'Specific services' },
      'version',
    );
    const unversioned = await mutate(api, manager.secret, 'assessTier', 'AssessTierInput', {
      accountId: acme,
      quarter: '2026-Q1',
      tier: 'TIER_2',
      evidence: 'Shared services',
    });
    expect(unversioned).toMatchObject({ __typename: 'ConflictError', currentVersion: first.version });
    await ok(
      api,
      manager.secret,
      'assessTier',
      'AssessTierInput',
      {
        accountId: acme,
        quarter: '2026-Q1',
        tier: 'TIER_2',
        evidence: 'Shared services',
        expectedVersion: first.version,
      },
      'tier',
    );
    await ok(
      api,
      manager.secret,
      'assessTier',
      'AssessTierInput',
      {
        accountId: acme,
        quarter: '2026-Q2',
        tier: 'TIER_1',
        evidence: 'Joint venture signed',
      },
      'tier',
    );
    const read = await api.gql<{
      node: { tierHistory: { quarter: string; tier: string; tierName: string }[] };
    }>(
      'query($id: ID!) { node(id: $id) { ... on Account { tierHistory { quarter tier tierName } } } }',
      { id: acme },
      admin,
    );
    expect(read.body.data?.node.tierHistory).toEqual([
      { quarter: '2026-Q1', tier: 'TIER_2', tierName: 'Value add' },
      { quarter: '2026-Q2', tier: 'TIER_1', tierName: 'Mutual benefit' },
    ]);
  });
});

describe('the account plan', () => {
  it('names an unknown business unit by the global id the client sent, and writes nothing', async () => {
    const missing = globalId('BusinessUnit', 99_999);
    const res = await mutate(api, manager.secret, 'createPlan', 'CreatePlanInput', {
      accountId: acme,
      year: 2031,
      businessUnitIds: [emea, missing],
    });
    expect(res).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(res.message).toBe(`Business unit ${missing} does not exist.`);
    const read = await api.gql<{ plans: { totalCount: number } }>(
      '{ plans(year: 2031) { totalCount } }',
      {},
      admin,
    );
    expect(read.body.data?.plans.totalCount).toBe(0);
  });

  it('creates, edits, submits, is signed by every unit, approved, reviewed, closed and copied', async () => {
    const plan = await ok<{ id: string; version: number; status: string }>(
      api,
      manager.secret,
      'createPlan',
      'CreatePlanInput',
      {
        accountId: acme,
        year: 2026,
        businessUnitIds: [emea, apac],
        // Drafted early in its year: its action below is done in June (not before the plan was drafted).
        on: '2026-01-05',
        sections: { baselines: 'Revenue 1.2M', growthOpportunities: 'Cross-sell APAC' },
        targets: { revenueTarget: '1500000.00', marginTargetPercent: '31.5' },
      },
      'id version status',
    );
    expect(plan.status).toBe('DRAFT');
    const dup = await mutate(api, manager.secret, 'createPlan', 'CreatePlanInput', {
      accountId: acme,
      year: 2026,
    });
    expect(dup).toMatchObject({ __typename: 'DomainRuleError', code: 'PLAN_ALREADY_EXISTS' });
    let version = plan.version;
    const edited = await ok<{
      version: number;
      sections: { key: string; text: string }[];
      marginTargetPercent: string;
    }>(
      api,
      manager.secret,
      'updatePlan',
      'UpdatePlanInput',
      { id: plan.id, expectedVersion: version, sections: { currentRelationship: 'Strong in EMEA' } },
      'version marginTargetPercent sections { key text }',
    );
    expect(edited.sections.find(s => s.key === 'currentRelationship')?.text).toBe('Strong in EMEA');
    expect(edited.marginTargetPercent).toBe('31.50');
    version = edited.version;
    const step = async (name: string, selection = 'version status') =>
      mutate<{ version: number; status: string }>(
        api,
        manager.secret,
        name,
        'PlanStepInput',
        { id: plan.id, expectedVersion: version },
        selection,
      );
    const submitted = await step('submitPlan');
    expect(submitted.data?.status).toBe('IN_REVIEW');
    version = submitted.data?.version ?? 0;
    const notEditable = await mutate(api, manager.secret, 'updatePlan', 'UpdatePlanInput', {
      id: plan.id,
      expectedVersion: version,
      sections: { baselines: 'x' },
    });
    expect(notEditable).toMatchObject({ __typename: 'DomainRuleError', code: 'PLAN_NOT_EDITABLE' });
    const unsigned = await step('approvePlan');
    expect(unsigned).toMatchObject({ __typename: 'DomainRuleError', code: 'PLAN_NOT_SIGNED_BY_ALL_UNITS' });
    const wrongSigner = await mutate(api, manager.secret, 'signPlan', 'SignPlanInput', {
      id: plan.id,
      businessUnitId: emea,
    });
    expect(wrongSigner).toMatchObject({ __typename: 'DomainRuleError', code: 'PLAN_SIGNER_NOT_IN_UNIT' });
    const onBehalf = await mutate(api, manager.secret, 'signPlan', 'SignPlanInput', {
      id: plan.id,
      businessUnitId: emea,
      signedById: globalId('Person', emeaSigner),
    });
    expect(onBehalf).toMatchObject({ __typename: 'ForbiddenError' });
    // A signature for a version that was never submitted names one that does not exist: not
    // found, as comparing with it is (a conflict is for an older version, submitted again since).
    const unknownVersion = await mutate(api, admin, 'signPlan', 'SignPlanInput', {
      id: plan.id,
      businessUnitId: emea,
      signedById: globalId('Person', emeaSigner),
      versionNumber: 7,
    });
    expect(unknownVersion).toMatchObject({ __typename: 'NotFoundError', code: 'PLAN_VERSION_NOT_FOUND' });
    expect(unknownVersion.message).toBe('The 2026 plan of W-ACME has no version 7: its only version is 1.');
    for (const [unit, signer] of [
      [emea, emeaSigner],
      [apac, apacSigner],
    ] as const) {
      await ok(
        api,
        admin,
        'signPlan',
        'SignPlanInput',
        {
          id: plan.id,
          businessUnitId: unit,
          signedById: globalId('Person', signer),
        },
        'planVersionNumber',
      );
    }
    const approved = await step('approvePlan');
    expect(approved.data?.status).toBe('APPROVED');
    version = approved.data?.version ?? 0;
    const review = await ok<{ assessment: string; reviewer: { id: string } }>(
      api,
      manager.secret,
      'recordExecutionReview',
      'RecordExecutionReviewInput',
      { planId: plan.id, assessment: 'AT_RISK', progress: 'Behind in APAC', revenueToDate: '400000' },
      'assessment reviewer { id }',
    );
    expect(review).toEqual({ assessment: 'AT_RISK', reviewer: { id: globalId('Person', manager.personId) } });
    const action = await ok<{ id: string; version: number }>(
      api,
      manager.secret,
      'addPlanAction',
      'AddPlanActionInput',
      { planId: plan.id, description: 'Workshop with APAC buyers', dueOn: '2026-06-30' },
      'id version',
    );
    const done = await ok<{ status: string; version: number; completedOn: string }>(
      api,
      manager.secret,
      'updatePlanAction',
      'UpdatePlanActionInput',
      { id: action.id, expectedVersion: action.version, status: 'DONE', completedOn: '2026-06-15' },
      'status version completedOn',
    );
    expect(done.completedOn).toBe('2026-06-15');
    const reopen = await mutate(api, manager.secret, 'updatePlanAction', 'UpdatePlanActionInput', {
      id: action.id,
      expectedVersion: done.version,
      status: 'OPEN',
    });
    expect(reopen).toMatchObject({ __typename: 'DomainRuleError', code: 'ACTION_INVALID_TRANSITION' });
    const compared = await api.gql<{
      planComparison: { __typename: string; data: { key: string; title: string; changed: boolean }[] };
    }>(
      'query($id: ID!) { planComparison(planId: $id, from: 1) { __typename ... on PlanComparisonSuccess { data { key title changed } } } }',
      { id: plan.id },
      admin,
    );
    expect(compared.body.data?.planComparison.data.every(d => !d.changed)).toBe(true);
    // Targets are titled for a frontend to show, like the sections.
    expect(compared.body.data?.planComparison.data.find(d => d.key === 'marginTargetPercent')?.title).toBe(
      'Margin target (%)',
    );
    const noVersion = await api.gql<{
      planComparison: { __typename: string; code: string; message: string };
    }>(
      'query($id: ID!) { planComparison(planId: $id, from: 9) { __typename ... on Error { code message } } }',
      { id: plan.id },
      admin,
    );
    expect(noVersion.body.data?.planComparison).toEqual({
      __typename: 'NotFoundError',
      code: 'PLAN_VERSION_NOT_FOUND',
      message: expect.stringMatching(/^The \d{4} plan of \S+ has no version 9: its only version is 1\.$/),
    });
    const closed = await step('closePlan');
    expect(closed.data?.status).toBe('CLOSED');
    const next = await ok<{
      year: number;
      status: string;
      copiedFrom: { id: string };
      sections: { key: string; text: string }[];
    }>(
      api,
      manager.secret,
      'copyPlanToNextYear',
      'CopyPlanInput',
      { id: plan.id },
      'year status copiedFrom { id } sections { key text }',
    );
    expect(next).toMatchObject({ year: 2027, status: 'DRAFT', copiedFrom: { id: plan.id } });
    expect(next.sections[0]?.text).toBe('Revenue 1.2M');

    const read = await api.gql<{
      plans: { totalCount?: number; edges: { node: { year: number; status: string } }[] };
      node: {
        latestPlan: { year: number };
        plans: { signOffs: { businessUnit: { code: string } }[]; versions: { number: number }[] }[];
      };
    }>(
      `query($id: ID!) {
        plans(status: CLOSED, year: 2026, first: 10) { edges { node { year status } } }
        node(id: $id) { ... on Account { latestPlan { year } plans { signOffs { businessUnit { code } } versions { number } } } }
      }`,
      { id: acme },
      admin,
    );
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data?.plans.edges.map(e => e.node)).toEqual([{ year: 2026, status: 'CLOSED' }]);
    expect(read.body.data?.node.latestPlan.year).toBe(2027);
    expect(read.body.data?.node.plans[1]?.signOffs.map(s => s.businessUnit.code).sort()).toEqual([
      'APAC',
      'EMEA',
    ]);
    expect(read.body.data?.node.plans[1]?.versions).toEqual([{ number: 1 }]);
  });

  it('a mutation that fails leaves nothing behind for the next mutation of the same request', async () => {
    const plan = await ok<{ id: string; version: number }>(
      api,
      manager.secret,
      'createPlan',
      'CreatePlanInput',
      { accountId: acme, year: 2040, sections: { baselines: 'As drafted' } },
      'id version',
    );
    // The second edit changes a section, then fails on its unknown owner: nothing of it may be
    // written, neither by itself nor by the action added after it in the same document.
    const res = await api.gql<Record<string, { __typename: string; code?: string }>>(
      `mutation($first: UpdatePlanInput!, $failing: UpdatePlanInput!, $action: AddPlanActionInput!) {
        first: updatePlan(input: $first) { __typename }
        failing: updatePlan(input: $failing) { __typename ... on Error { code } }
        action: addPlanAction(input: $action) { __typename }
      }`,
      {
        first: { id: plan.id, expectedVersion: plan.version, sections: { currentRelationship: 'Strong' } },
        failing: {
          id: plan.id,
          expectedVersion: plan.version + 1,
          sections: { baselines: 'Never saved' },
          ownerId: globalId('Person', 99_999),
        },
        action: { planId: plan.id, description: 'Visit the plant' },
      },
      manager.secret,
    );
    expect(res.body.errors).toBeUndefined();
    expect(Object.values(res.body.data ?? {}).map(r => r.code ?? r.__typename)).toEqual([
      'UpdatePlanSuccess',
      'NOT_FOUND',
      'AddPlanActionSuccess',
    ]);
    const read = await api.gql<{ node: { version: number; sections: { key: string; text: string }[] } }>(
      'query($id: ID!) { node(id: $id) { ... on AccountPlan { version sections { key text } } } }',
      { id: plan.id },
      admin,
    );
    expect(read.body.data?.node.version).toBe(plan.version + 1);
    expect(read.body.data?.node.sections.slice(0, 2)).toEqual([
      { key: 'baselines', text: 'As drafted' },
      { key: 'currentRelationship', text: 'Strong' },
    ]);
  });

  it('trims plan texts, clears a section sent null or blank, and keeps the version when nothing changes', async () => {
    const sectionsOf = (data: { sections: { key: string; text: string }[] }) =>
      Object.fromEntries(data.sections.map(x => [x.key, x.text]));
    const plan = await ok<{ id: string; version: number; sections: { key: string; text: string }[] }>(
      api,
      admin,
      'createPlan',
      'CreatePlanInput',
      {
        // A key account's (W-ACME is key from 2026-01-01): W-GLOBEX is not, and takes no plan.
        accountId: acme,
        year: 2035,
        businessUnitIds: [emea],
        on: '2026-01-05',
        sections: { baselines: ' Revenue 2M ', customerValue: 'Uptime', growthOpportunities: 'More' },
      },
      'id version sections { key text }',
    );
    expect(sectionsOf(plan)).toMatchObject({ baselines: 'Revenue 2M', customerValue: 'Uptime' });
    const update = (input: Record<string, unknown>) =>
      ok<{ version: number; sections: { key: string; text: string }[] }>(
        api,
        admin,
        'updatePlan',
        'UpdatePlanInput',
        { id: plan.id, expectedVersion: plan.version, ...input },
        'version sections { key text }',
      );
    // Nothing to change, or the texts as stored: the version stays, so no other editor conflicts.
    expect((await update({})).version).toBe(plan.version);
    expect((await update({ sections: { baselines: 'Revenue 2M', customerValue: 'Uptime' } })).version).toBe(
      plan.version,
    );
    const cleared = await update({ sections: { baselines: '   ', customerValue: null } });
    expect(cleared.version).toBe(plan.version + 1);
    expect(sectionsOf(cleared)).toMatchObject({
      baselines: '',
      customerValue: '',
      growthOpportunities: 'More',
    });
    // An action is not done before its plan was drafted.
    const action = await ok<{ id: string; version: number }>(
      api,
      admin,
      'addPlanAction',
      'AddPlanActionInput',
      { planId: plan.id, description: 'Site visit' },
      'id version',
    );
    const early = await mutate(api, admin, 'updatePlanAction', 'UpdatePlanActionInput', {
      id: action.id,
      expectedVersion: action.version,
      status: 'DONE',
      completedOn: '1999-03-01',
    });
    expect(early).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: ['completedOn'], code: 'ACTION_COMPLETED_BEFORE_PLAN_DRAFTED' }],
    });
    expect(early.message).toBe(
      'The 2035 plan of W-ACME was drafted on 2026-01-05; its action "Site visit" cannot have been done on 1999-03-01, before that. Date completedOn on or after 2026-01-05.',
    );
  });

  it('keeps a dated status history, in date order, for plans written with past dates', async () => {
    const history = 'statusHistory { step fromStatus status changedOn versionNumber }';
    type Change = {
      step: string;
      fromStatus: string | null;
      status: string;
      changedOn: string;
      versionNumber: number;
    };
    const plan = await ok<{ id: string; version: number; statusHistory: Change[] }>(
      api,
      admin,
      'createPlan',
      'CreatePlanInput',
      { accountId: acme, year: 2029, businessUnitIds: [emea], on: '2026-01-20' },
      `id version ${history}`,
    );
    expect(plan.statusHistory).toEqual([
      { step: 'CREATED', fromStatus: null, status: 'DRAFT', changedOn: '2026-01-20', versionNumber: 0 },
    ]);
    const stepOn = (name: string, expectedVersion: number, on: string) =>
      mutate<{ version: number; status: string }>(
        api,
        admin,
        name,
        'PlanStepInput',
        { id: plan.id, expectedVersion, on },
        'version status',
      );
    // Before the plan was drafted: refused, nothing written.
    const early = await stepOn('submitPlan', plan.version, '2026-01-10');
    expect(early).toMatchObject({
      __typename: 'DomainRuleError',
      code: 'PLAN_STEP_BEFORE_LAST_STEP',
      message: expect.stringContaining('Date it on or after 2026-01-20'),
    });
    const submitted = await stepOn('submitPlan', plan.version, '2026-02-01');
    expect(submitted.data?.status).toBe('IN_REVIEW');
    const returned = await stepOn('returnPlanToDraft', submitted.data?.version ?? 0, '2026-02-03');
    expect(returned.data?.status).toBe('DRAFT');
    const next = await ok<{ year: number; statusHistory: Change[] }>(
      api,
      admin,
      'copyPlanToNextYear',
      'CopyPlanInput',
      { id: plan.id, on: '2026-08-15' },
      `year ${history}`,
    );
    expect(next).toEqual({
      year: 2030,
      statusHistory: [
        { step: 'COPIED', fromStatus: null, status: 'DRAFT', changedOn: '2026-08-15', versionNumber: 0 },
      ],
    });
    const read = await api.gql<{ node: { statusHistory: Change[] } }>(
      `query($id: ID!) { node(id: $id) { ... on AccountPlan { ${history} } } }`,
      { id: plan.id },
      admin,
    );
    expect(read.body.data?.node.statusHistory).toEqual([
      { step: 'CREATED', fromStatus: null, status: 'DRAFT', changedOn: '2026-01-20', versionNumber: 0 },
      {
        step: 'SUBMITTED',
        fromStatus: 'DRAFT',
        status: 'IN_REVIEW',
        changedOn: '2026-02-01',
        versionNumber: 1,
      },
      {
        step: 'RETURNED_TO_DRAFT',
        fromStatus: 'IN_REVIEW',
        status: 'DRAFT',
        changedOn: '2026-02-03',
        versionNumber: 1,
      },
    ]);
  });
});

describe('opportunities', () => {
  it('creates, qualifies and wins; a decided bid cannot change', async () => {
    const opp = await ok<{ id: string; version: number }>(
      api,
      manager.secret,
      'createOpportunity',
      'CreateOpportunityInput',
      { accountId: acme, businessUnitId: apac, name: 'APAC rollout', value: '250000.00' },
      'id version',
    );
    const negative = await mutate(api, manager.secret, 'createOpportunity', 'CreateOpportunityInput', {
      accountId: acme,
      businessUnitId: apac,
      name: 'Bad',
      value: '-1',
    });
    expect(negative).toMatchObject({ __typename: 'ValidationError' });
    expect(negative.fieldErrors?.[0]?.path).toEqual(['value']);
    const stepInput = (version: number, extra: Record<string, unknown> = {}) => ({
      id: opp.id,
      expectedVersion: version,
      ...extra,
    });
    const qualified = await ok<{ qualified: boolean; version: number }>(
      api,
      manager.secret,
      'qualifyOpportunity',
      'OpportunityStepInput',
      stepInput(opp.version, { on: '2026-02-01' }),
      'qualified version',
    );
    expect(qualified.qualified).toBe(true);
    const won = await ok<{ outcome: string; version: number }>(
      api,
      manager.secret,
      'winOpportunity',
      'OpportunityStepInput',
      stepInput(qualified.version, { on: '2026-03-01' }),
      'outcome version',
    );
    expect(won.outcome).toBe('WON');
    const lose = await mutate(
      api,
      manager.secret,
      'loseOpportunity',
      'OpportunityStepInput',
      stepInput(won.version, { reason: 'x' }),
    );
    expect(lose).toMatchObject({ __typename: 'DomainRuleError', code: 'OPPORTUNITY_ALREADY_DECIDED' });
    const read = await api.gql<{
      node: {
        opportunities: {
          edges: { node: { name: string; outcome: string; businessUnit: { code: string } } }[];
        };
      };
    }>(
      'query($id: ID!) { node(id: $id) { ... on Account { opportunities(first: 100) { edges { node { name outcome businessUnit { code } } } } } } }',
      { id: acme },
      admin,
    );
    expect(read.body.data?.node.opportunities.edges.map(e => e.node)).toEqual([
      { name: 'APAC rollout', outcome: 'WON', businessUnit: { code: 'APAC' } },
    ]);
  });

  it('lists the pipeline across accounts with filters and orders, page by page; open ones first on an account', async () => {
    type Opp = { id: string; name: string; value: string; expectedCloseOn: string | null; outcome: string };
    const create = (name: string, value: string, expectedCloseOn?: string, unit = emea) =>
      ok<{ id: string; version: number }>(
        api,
        admin,
        'createOpportunity',
        'CreateOpportunityInput',
        {
          accountId: globex,
          businessUnitId: unit,
          name,
          value,
          ...(expectedCloseOn ? { expectedCloseOn } : {}),
        },
        'id version',
      );
    // A unit of its own for one of them, so the account filters below still see theirs only.
    const latam = (
      await ok<{ id: string }>(
        api,
        admin,
        'createBusinessUnit',
        'CreateBusinessUnitInput',
        { code: 'LATAM', name: 'Latin America', kind: 'GEOGRAPHY' },
        'id',
      )
    ).id;
    const later = await create('Later', '900.00', '2026-09-30');
    await create('Undated', '50.00');
    const soon = await create('Soon', '1200.50', '2026-04-15', latam);
    await create('Also undated', '75.00');
    const decided = await create('Decided', '10.00', '2026-01-31');
    await ok(api, admin, 'qualifyOpportunity', 'OpportunityStepInput', {
      id: soon.id,
      expectedVersion: soon.version,
    });
    await ok(api, admin, 'loseOpportunity', 'OpportunityStepInput', {
      id: decided.id,
      expectedVersion: decided.version,
      reason: 'Price',
    });

    // On the account: open ones first, soonest first, undated last; then the decided ones.
    const onAccount = await api.gql<{ node: { opportunities: { edges: { node: Opp }[] } } }>(
      'query($id: ID!) { node(id: $id) { ... on Account { opportunities(first: 100) { edges { node { name } } } } } }',
      { id: globex },
      admin,
    );
    expect(onAccount.body.data?.node.opportunities.edges.map(e => e.node.name)).toEqual([
      'Soon',
      'Later',
      'Undated',
      'Also undated',
      'Decided',
    ]);

    const types: Record<string, string> = { orderBy: 'OpportunityOrder', unit: 'ID', account: 'ID' };
    const names = async (args: string, variables: Record<string, unknown> = {}) => {
      const declared = Object.keys(variables)
        .map(name => `, $${name}: ${types[name]}`)
        .join('');
      const nodes = await everyPage<Opp>(
        api,
        manager.secret,
        'opportunities',
        `query($after: String${declared}) { opportunities(first: 2, after: $after, ${args}) {
           edges { node { id name value expectedCloseOn outcome } } pageInfo { hasNextPage endCursor } } }`,
        variables,
      );
      return nodes.map(node => node.name);
    };
    const globexOnly = 'accountId: $account';
    const vars = { account: globex };
    // Default: soonest expected decision first, undated ones last (on both databases).
    expect(await names(globexOnly, vars)).toEqual(['Decided', 'Soon', 'Later', 'Undated', 'Also undated']);
    expect(
      await names(`${globexOnly}, orderBy: $orderBy`, {
        ...vars,
        orderBy: { field: 'EXPECTED_CLOSE_ON', direction: 'DESC' },
      }),
    ).toEqual(['Later', 'Soon', 'Decided', 'Also undated', 'Undated']); // ties: id in the same direction
    // Money orders by amount, not as text ("900.00" < "1200.50").
    expect(
      await names(`${globexOnly}, orderBy: $orderBy`, {
        ...vars,
        orderBy: { field: 'VALUE', direction: 'DESC' },
      }),
    ).toEqual(['Soon', 'Later', 'Also undated', 'Undated', 'Decided']);
    expect(await names(`${globexOnly}, outcome: OPEN, qualified: false`, vars)).toEqual([
      'Later',
      'Undated',
      'Also undated',
    ]);
    expect(await names('qualified: true, outcome: OPEN', {})).toEqual(['Soon']);
    expect(await names('businessUnitId: $unit', { unit: apac })).toEqual(['APAC rollout']);
    expect(await names('businessUnitId: $unit', { unit: latam })).toEqual(['Soon']);
    expect(await names('outcome: LOST', {})).toEqual(['Decided']);
    expect(await names(`${globexOnly}, closingFrom: "2026-02-01", closingTo: "2026-09-30"`, vars)).toEqual([
      'Soon',
      'Later',
    ]);

    const count = await api.gql<{ opportunities: { totalCount: number } }>(
      '{ opportunities(first: 1, outcome: OPEN) { totalCount } }',
      {},
      admin,
    );
    expect(count.body.data?.opportunities.totalCount).toBe(4);
    const swapped = await api.gql(
      '{ opportunities(first: 5, closingFrom: "2026-12-31", closingTo: "2026-01-01") { totalCount } }',
      {},
      admin,
    );
    expect(swapped.body.errors?.[0]?.message).toBe(
      'closingFrom (2026-12-31) is after closingTo (2026-01-01); swap them.',
    );
    expect(swapped.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
    const wrongId = await api.gql(
      'query($u: ID) { opportunities(first: 5, businessUnitId: $u) { totalCount } }',
      { u: globex },
      admin,
    );
    expect(wrongId.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_ID' });
    expect(later.id).toBeTruthy();
  });
});

describe('value initiatives', () => {
  it('moves through the phases; adoption needs both gains and recognition', async () => {
    let initiative = await ok<{ id: string; version: number; phase: string }>(
      api,
      manager.secret,
      'createValueInitiative',
      'CreateValueInitiativeInput',
      { accountId: acme, name: 'Joint forecasting', category: 'UNTAPPED', desiredGains: 'Less stock' },
      'id version phase',
    );
    const skip = await mutate(api, manager.secret, 'advanceInitiativePhase', 'AdvanceInitiativePhaseInput', {
      id: initiative.id,
      expectedVersion: initiative.version,
      toPhase: 'LIVE_TEST',
    });
    expect(skip).toMatchObject({
      __typename: 'DomainRuleError',
      code: 'INITIATIVE_INVALID_PHASE_TRANSITION',
    });
    for (let i = 0; i < 8; i++) {
      initiative = await ok(
        api,
        manager.secret,
        'advanceInitiativePhase',
        'AdvanceInitiativePhaseInput',
        {
          id: initiative.id,
          expectedVersion: initiative.version,
        },
        'id version phase',
      );
    }
    expect(initiative.phase).toBe('REVIEW_AND_REFINE');
    const outcome = (version: number, value: string) =>
      mutate<{ id: string; version: number; outcome: string }>(
        api,
        manager.secret,
        'setInitiativeOutcome',
        'SetInitiativeOutcomeInput',
        {
          id: initiative.id,
          expectedVersion: version,
          outcome: value,
        },
        'id version outcome',
      );
    const early = await outcome(initiative.version, 'ADOPTED');
    expect(early).toMatchObject({
      __typename: 'DomainRuleError',
      code: 'INITIATIVE_ADOPTION_REQUIRES_BOTH_GAINS',
    });
    initiative = await ok(
      api,
      manager.secret,
      'recordInitiativeGains',
      'RecordInitiativeGainsInput',
      {
        id: initiative.id,
        expectedVersion: initiative.version,
        customerGain: '120000',
        supplierGain: '30000',
      },
      'id version phase',
    );
    const unrecognised = await outcome(initiative.version, 'ADOPTED');
    expect(unrecognised).toMatchObject({ __typename: 'DomainRuleError', code: 'INITIATIVE_NOT_RECOGNISED' });
    initiative = await ok(
      api,
      manager.secret,
      'recordCustomerRecognition',
      'RecordCustomerRecognitionInput',
      {
        id: initiative.id,
        expectedVersion: initiative.version,
        recognised: true,
        note: 'CFO confirmed',
      },
      'id version phase',
    );
    const adopted = await outcome(initiative.version, 'ADOPTED');
    expect(adopted.data?.outcome).toBe('ADOPTED');
    const combineMissing = await mutate(
      api,
      manager.secret,
      'setInitiativeOutcome',
      'SetInitiativeOutcomeInput',
      {
        id: initiative.id,
        expectedVersion: adopted.data?.version,
        outcome: 'COMBINED',
      },
    );
    expect(combineMissing).toMatchObject({ __typename: 'ValidationError' });
    expect(combineMissing.fieldErrors?.[0]?.path).toEqual(['combinedIntoId']);
    const copied = await ok<{ category: string; copiedByCompetitor: boolean }>(
      api,
      manager.secret,
      'markInitiativeCopiedByCompetitor',
      'InitiativeStepInput',
      { id: initiative.id, expectedVersion: adopted.data?.version },
      'category copiedByCompetitor',
    );
    expect(copied).toEqual({ category: 'EXPECTED', copiedByCompetitor: true });
    const read = await api.gql<{
      valueInitiatives: { edges: { node: { name: string } }[] };
      inTest: { edges: unknown[] };
    }>(
      `{ valueInitiatives(outcome: ADOPTED, phase: REVIEW_AND_REFINE, first: 5) { edges { node { name } } }
         inTest: valueInitiatives(phase: LIVE_TEST, first: 5) { edges { node { name } } } }`,
      {},
      admin,
    );
    expect(read.body.data?.valueInitiatives.edges.map(e => e.node.name)).toEqual(['Joint forecasting']);
    expect(read.body.data?.inTest.edges).toEqual([]);
  });
});

describe('signals, surveys and measurements', () => {
  it('records signals with their rules, survey responses and organisation measurements', async () => {
    const noSentiment = await mutate(api, manager.secret, 'recordSignal', 'RecordSignalInput', {
      accountId: acme,
      kind: 'FEEDBACK',
      occurredOn: '2026-02-10',
    });
    expect(noSentiment).toMatchObject({ __typename: 'ValidationError' });
    expect(noSentiment.fieldErrors?.map(f => f.path)).toEqual([['sentiment']]);
    await ok(
      api,
      manager.secret,
      'recordSignal',
      'RecordSignalInput',
      {
        accountId: acme,
        kind: 'REFERRAL',
        occurredOn: '2026-02-10',
        value: '50000',
      },
      'quarter value',
    );
    const survey = await ok<{ quarter: string; score: number }>(
      api,
      manager.secret,
      'recordSurveyResponse',
      'RecordSurveyResponseInput',
      { accountId: acme, respondedOn: '2026-05-02', score: 4 },
      'quarter score',
    );
    expect(survey).toEqual({ quarter: '2026-Q2', score: 4 });
    const measured = await ok<{ value: string; version: number }>(
      api,
      admin,
      'recordOrganisationMeasurement',
      'RecordOrganisationMeasurementInput',
      { kind: 'PEOPLE_SATISFACTION', quarter: '2026-Q1', businessUnitId: emea, value: '72.5' },
      'value version',
    );
    expect(measured.value).toBe('72.50');
    const again = await mutate(
      api,
      admin,
      'recordOrganisationMeasurement',
      'RecordOrganisationMeasurementInput',
      {
        kind: 'PEOPLE_SATISFACTION',
        quarter: '2026-Q1',
        businessUnitId: emea,
        value: '75',
      },
    );
    expect(again).toMatchObject({ __typename: 'ConflictError', currentVersion: measured.version });
    const read = await api.gql<{
      node: {
        signals: { edges: { node: { kind: string; value: string } }[] };
        surveyResponses: { edges: { node: { score: number } }[] };
      };
      organisationMeasurements: { businessUnit: { code: string }; value: string }[];
    }>(
      `query($id: ID!) { node(id: $id) { ... on Account {
          signals(first: 100) { edges { node { kind value } } }
          surveyResponses(first: 100) { edges { node { score } } }
        } }
        organisationMeasurements(kind: PEOPLE_SATISFACTION) { businessUnit { code } value } }`,
      { id: acme },
      admin,
    );
    expect(read.body.data?.node.signals.edges.map(e => e.node)).toEqual([
      { kind: 'REFERRAL', value: '50000.00' },
    ]);
    expect(read.body.data?.organisationMeasurements).toEqual([
      { businessUnit: { code: 'EMEA' }, value: '72.50' },
    ]);
  });

  it('takes a market written in another case or spacing as the same market, shown as first written', async () => {
    const share = (market: string, value: string, expectedVersion?: number) =>
      mutate<{ market: string; value: string; version: number }>(
        api,
        admin,
        'recordOrganisationMeasurement',
        'RecordOrganisationMeasurementInput',
        { kind: 'MARKET_SHARE', quarter: '2026-Q2', market, value, expectedVersion },
        'market value version',
      );
    const first = await share('DACH', '12.5');
    expect(first.data).toEqual({ market: 'DACH', value: '12.50', version: 1 });
    // The same answer as "DACH" a second time: a conflict naming the version to correct.
    for (const spelling of ['DACH', 'dach', ' Dach  ']) {
      expect(await share(spelling, '14')).toMatchObject({ __typename: 'ConflictError', currentVersion: 1 });
    }
    expect((await share('dach', '14', 1)).data).toEqual({ market: 'DACH', value: '14.00', version: 2 });
    await share('Nordics', '8');
    const read = await api.gql<{
      organisationMeasurements: { market: string; value: string }[];
      analytics: { kpis: { code: string; value: number; detail: Record<string, number> }[] };
    }>(
      `query { organisationMeasurements(kind: MARKET_SHARE, quarter: "2026-Q2") { market value }
        analytics(quarter: "2026-Q2") { kpis { code value detail } } }`,
      {},
      admin,
    );
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data?.organisationMeasurements).toEqual([
      { market: 'DACH', value: '14.00' },
      { market: 'Nordics', value: '8.00' },
    ]);
    // Two markets: (14.00 + 8.00) ÷ 2 = 11.00.
    const marketShare = read.body.data?.analytics.kpis.find(k => k.code === 'MARKET_SHARE');
    expect(marketShare).toMatchObject({ value: 11, detail: { DACH: 14, Nordics: 8 } });
  });
});

describe('financials', () => {
  it('records figures and reads them by quarter range and latest quarter', async () => {
    for (const quarter of ['2025-Q4', '2026-Q1', '2026-Q2']) {
      await ok(
        api,
        admin,
        'recordFinancials',
        'RecordFinancialsInput',
        {
          accountId: globex,
          quarter,
          revenue: '100.10',
          grossProfit: '40.00',
          costToServe: '10.05',
        },
        'quarter',
      );
    }
    const mixed = await mutate(api, admin, 'recordFinancials', 'RecordFinancialsInput', {
      accountId: globex,
      businessUnitId: emea,
      quarter: '2026-Q2',
      revenue: '1',
      grossProfit: '1',
      costToServe: '0',
    });
    expect(mixed).toMatchObject({ __typename: 'DomainRuleError', code: 'FINANCIALS_MIXED_SCOPE' });
    const read = await api.gql<{
      node: {
        quarterlyFinancials: { quarter: string }[];
        latestFinancials: { quarter: string; contribution: string }[];
      };
    }>(
      `query($id: ID!) { node(id: $id) { ... on Account {
        quarterlyFinancials(from: "2026-Q1", to: "2026-Q2") { quarter }
        latestFinancials { quarter contribution } } } }`,
      { id: globex },
      admin,
    );
    expect(read.body.data?.node.quarterlyFinancials.map(f => f.quarter)).toEqual(['2026-Q1', '2026-Q2']);
    const reversed = await api.gql(
      'query($id: ID!) { node(id: $id) { ... on Account { quarterlyFinancials(from: "2026-Q2", to: "2026-Q1") { quarter } } } }',
      { id: globex },
      admin,
    );
    expect(reversed.body.errors?.[0]?.message).toBe('from (2026-Q2) is after to (2026-Q1); swap them.');
    expect(reversed.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
    // contribution = gross profit − cost to serve = 40.00 − 10.05 = 29.95
    expect(read.body.data?.node.latestFinancials).toEqual([{ quarter: '2026-Q2', contribution: '29.95' }]);
  });

  it('gives every line of each account’s own latest quarter, for many accounts at once', async () => {
    // A database of its own: the accounts made here would change other tests' account lists.
    const own = await startApi();
    try {
      const token = (await own.token('ADMIN')).secret;
      const create = <T>(name: string, input: string, value: Record<string, unknown>, field: string) =>
        ok<T>(own, token, name, input, value, field);
      const unit = async (code: string) =>
        (
          await create<{ id: string }>(
            'createBusinessUnit',
            'CreateBusinessUnitInput',
            { code, name: code, kind: 'GEOGRAPHY' },
            'id',
          )
        ).id;
      const account = async (externalRef: string) =>
        (
          await create<{ id: string }>(
            'createAccount',
            'CreateAccountInput',
            { externalRef, name: externalRef },
            'id',
          )
        ).id;
      const [north, south] = [await unit('NORTH'), await unit('SOUTH')];
      const [split, older, none] = [
        await account('L-SPLIT'),
        await account('L-OLDER'),
        await account('L-NONE'),
      ];
      const line = (accountId: string, quarter: string, revenue: string, businessUnitId?: string) =>
        create(
          'recordFinancials',
          'RecordFinancialsInput',
          { accountId, businessUnitId, quarter, revenue, grossProfit: '1.00', costToServe: '0.00' },
          'quarter',
        );
      await line(split, '2026-Q1', '5.00');
      await line(split, '2026-Q2', '10.00', north);
      await line(split, '2026-Q2', '20.00', south);
      await line(older, '2025-Q3', '7.00');
      await line(older, '2025-Q2', '6.00');
      const read = await own.gql<{
        nodes: {
          externalRef: string;
          latestFinancials: { quarter: string; revenue: string; businessUnit: { code: string } | null }[];
        }[];
      }>(
        `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Account { externalRef
          latestFinancials { quarter revenue businessUnit { code } } } } }`,
        { ids: [split, older, none] },
        token,
      );
      expect(read.body.errors).toBeUndefined();
      expect(read.body.data?.nodes).toEqual([
        {
          externalRef: 'L-SPLIT',
          latestFinancials: [
            { quarter: '2026-Q2', revenue: '10.00', businessUnit: { code: 'NORTH' } },
            { quarter: '2026-Q2', revenue: '20.00', businessUnit: { code: 'SOUTH' } },
          ],
        },
        {
          externalRef: 'L-OLDER',
          latestFinancials: [{ quarter: '2025-Q3', revenue: '7.00', businessUnit: null }],
        },
        { externalRef: 'L-NONE', latestFinancials: [] },
      ]);
    } finally {
      await own.close();
    }
  });
});

describe('reference data and settings (ADMIN)', () => {
  it('segments, packages and the grid; KPI targets; the programme; settings', async () => {
    const segment = await ok<{ id: string }>(
      api,
      admin,
      'createSegment',
      'CreateSegmentInput',
      {
        code: 'LOYAL-LARGE',
        name: 'Loyal large buyers',
        buyerOrientation: 'LOYALTY',
        sizeClass: 'LARGE',
      },
      'id',
    );
    const taken = await mutate(api, admin, 'createSegment', 'CreateSegmentInput', {
      code: 'LOYAL-LARGE',
      name: 'x',
      buyerOrientation: 'PRICE',
    });
    expect(taken).toMatchObject({ __typename: 'ConflictError', code: 'CODE_TAKEN' });
    const elements = await api.gql<{
      serviceElements: { id: string; code: string }[];
      serviceStandards: { pyramidLevel: string; version: number }[];
      kpiDefinitions: { code: string; version: number }[];
    }>(
      '{ serviceElements { id code } serviceStandards { pyramidLevel version } kpiDefinitions { code version } }',
      {},
      admin,
    );
    const element = elements.body.data?.serviceElements[0]?.id;
    expect(elements.body.data?.serviceElements).toHaveLength(10);
    await ok(
      api,
      admin,
      'setElementImportance',
      'SetElementImportanceInput',
      { segmentId: segment.id, elementId: element, importance: 5 },
      'importance',
    );
    const other = elements.body.data?.serviceElements[1]?.id;
    const twice = await mutate(api, admin, 'createServicePackage', 'CreateServicePackageInput', {
      code: 'TWICE',
      name: 'Twice',
      segmentId: segment.id,
      elements: [
        { elementId: element, inclusion: 'INCLUDED' },
        { elementId: other, inclusion: 'INCLUDED' },
        { elementId: element, inclusion: 'CHARGED_SEPARATELY' },
      ],
    });
    expect(twice).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION_FAILED' });
    expect(twice.fieldErrors).toEqual([{ path: ['elements', '2', 'elementId'], code: 'DUPLICATE_ROW' }]);
    const pack = await ok<{ id: string }>(
      api,
      admin,
      'createServicePackage',
      'CreateServicePackageInput',
      {
        code: 'GOLD',
        name: 'Gold',
        segmentId: segment.id,
        elements: [{ elementId: element, inclusion: 'INCLUDED' }],
      },
      'id',
    );
    await ok(
      api,
      admin,
      'setGridCell',
      'SetGridCellInput',
      { segmentId: segment.id, pyramidLevel: 'KEY', packageId: pack.id },
      'pyramidLevel',
    );
    const key = elements.body.data?.serviceStandards.find(s => s.pyramidLevel === 'KEY');
    await ok(
      api,
      admin,
      'updateServiceStandard',
      'UpdateServiceStandardInput',
      {
        pyramidLevel: 'KEY',
        text: 'Proactive key account management',
        expectedVersion: key?.version,
      },
      'text',
    );
    await ok(
      api,
      admin,
      'updateAccount',
      'UpdateAccountInput',
      { id: globex, expectedVersion: 1, segmentId: segment.id },
      'id',
    );
    const grid = await api.gql<{
      segments: {
        grid: { pyramidLevel: string; servicePackage: { code: string; elements: { inclusion: string }[] } }[];
        elementImportance: { importance: number }[];
      }[];
    }>(
      '{ segments { grid { pyramidLevel servicePackage { code elements { inclusion } } } elementImportance { importance } } }',
      {},
      admin,
    );
    expect(grid.body.data?.segments[0]).toEqual({
      grid: [
        { pyramidLevel: 'KEY', servicePackage: { code: 'GOLD', elements: [{ inclusion: 'INCLUDED' }] } },
      ],
      elementImportance: [{ importance: 5 }],
    });

    const winRate = elements.body.data?.kpiDefinitions.find(k => k.code === 'WIN_RATE');
    const kpi = await ok<{ target: string; baselineQuarter: string }>(
      api,
      admin,
      'updateKpiDefinition',
      'UpdateKpiDefinitionInput',
      {
        code: 'WIN_RATE',
        expectedVersion: winRate?.version,
        target: '85',
        baselineQuarter: '2026-Q1',
      },
      'target baselineQuarter',
    );
    expect(Number(kpi.target)).toBe(85);

    const programme = await ok<{ id: string; version: number; objectives: string }>(
      api,
      admin,
      'startProgramme',
      'StartProgrammeInput',
      { businessUnitId: emea, objectives: '  ' },
      'id version objectives',
    );
    // A blank text of a field that is not nullable is stored as "" (docs/api.md).
    expect(programme.objectives).toBe('');
    const incomplete = await mutate(api, admin, 'advanceProgrammeStage', 'AdvanceProgrammeStageInput', {
      id: programme.id,
      expectedVersion: programme.version,
    });
    expect(incomplete).toMatchObject({
      __typename: 'DomainRuleError',
      code: 'PROGRAMME_CHECKLIST_INCOMPLETE',
    });
    const list = await api.gql<{
      programmes: { checklist: { id: string; version: number; stage: string }[] }[];
    }>('{ programmes { checklist { id version stage } } }', {}, admin);
    const [first] = list.body.data?.programmes[0]?.checklist ?? [];
    const early = await mutate(api, admin, 'setChecklistItem', 'SetChecklistItemInput', {
      id: first?.id,
      expectedVersion: first?.version,
      done: true,
      on: '2000-01-01',
    });
    expect(early).toMatchObject({
      __typename: 'ValidationError',
      code: 'PROGRAMME_CHECKLIST_DATED_BEFORE_START',
      fieldErrors: [{ path: ['on'], code: 'PROGRAMME_CHECKLIST_DATED_BEFORE_START' }],
    });
    expect(early.message).toContain('cannot be done on 2000-01-01');
    const late = await mutate(api, admin, 'setChecklistItem', 'SetChecklistItemInput', {
      id: first?.id,
      expectedVersion: first?.version,
      done: true,
      on: '2099-01-01',
    });
    expect(late).toMatchObject({
      __typename: 'ValidationError',
      code: 'DATE_IN_FUTURE',
      fieldErrors: [{ path: ['on'], code: 'DATE_IN_FUTURE' }],
    });
    for (const item of list.body.data?.programmes[0]?.checklist.filter(i => i.stage === 'UNDERSTAND') ?? []) {
      await ok(
        api,
        admin,
        'setChecklistItem',
        'SetChecklistItemInput',
        { id: item.id, expectedVersion: item.version, done: true },
        'done',
      );
    }
    const advanced = await ok<{ stage: string }>(
      api,
      admin,
      'advanceProgrammeStage',
      'AdvanceProgrammeStageInput',
      {
        id: programme.id,
        expectedVersion: programme.version,
      },
      'stage',
    );
    expect(advanced.stage).toBe('TEST');
    const [passed] = list.body.data?.programmes[0]?.checklist.filter(i => i.stage === 'UNDERSTAND') ?? [];
    const reopened = await mutate(api, admin, 'setChecklistItem', 'SetChecklistItemInput', {
      id: passed?.id,
      expectedVersion: (passed?.version ?? 0) + 1,
      done: false,
    });
    expect(reopened).toMatchObject({ __typename: 'DomainRuleError', code: 'PROGRAMME_INVALID_TRANSITION' });

    // The change leader is appointed in TEST ("Appoint a change leader"), after the start.
    const leader = await ok<{ id: string }>(
      api,
      admin,
      'createPerson',
      'CreatePersonInput',
      { name: 'Lena Lead', email: 'lena.lead@example.test' },
      'id',
    );
    const led = await ok<{ changeLeader: { name: string }; objectives: string; version: number }>(
      api,
      admin,
      'updateProgramme',
      'UpdateProgrammeInput',
      {
        id: programme.id,
        expectedVersion: programme.version + 1,
        changeLeaderId: leader.id,
        objectives: ' Pilot ',
      },
      'changeLeader { name } objectives version',
    );
    expect(led).toEqual({
      changeLeader: { name: 'Lena Lead' },
      objectives: 'Pilot',
      version: programme.version + 2,
    });
    const stale = await mutate(api, admin, 'updateProgramme', 'UpdateProgrammeInput', {
      id: programme.id,
      expectedVersion: programme.version,
      changeLeaderId: null,
    });
    expect(stale).toMatchObject({ __typename: 'ConflictError', code: 'VERSION_CONFLICT' });
    const unled = await ok<{ changeLeader: null; objectives: string }>(
      api,
      admin,
      'updateProgramme',
      'UpdateProgrammeInput',
      { id: programme.id, expectedVersion: led.version, changeLeaderId: null, objectives: null },
      'changeLeader { name } objectives',
    );
    expect(unled).toEqual({ changeLeader: null, objectives: '' });

    const settings = await api.gql<{ settings: { version: number; planReviewCadenceMonths: number } }>(
      '{ settings { version planReviewCadenceMonths } }',
      {},
      admin,
    );
    const version = settings.body.data?.settings.version;
    const invalid = await mutate(
      api,
      admin,
      'updateSettings',
      'UpdateSettingsInput',
      {
        expectedVersion: version,
        patch: { designation: { reviewMonths: 12 } },
      },
      'version',
    );
    expect(invalid).toMatchObject({ __typename: 'ValidationError', code: 'SETTINGS_INVALID' });
    expect(invalid.fieldErrors?.[0]?.path).toEqual(['patch', 'designation', 'reviewMonths']);
    const updated = await ok<{ planReviewCadenceMonths: number }>(
      api,
      admin,
      'updateSettings',
      'UpdateSettingsInput',
      {
        expectedVersion: version,
        patch: { plans: { reviewCadenceMonths: 6 } },
      },
      'planReviewCadenceMonths',
    );
    expect(updated.planReviewCadenceMonths).toBe(6);

    // The checklists a programme starts with are settings too.
    const blank = await mutate(api, admin, 'updateSettings', 'UpdateSettingsInput', {
      expectedVersion: (version ?? 0) + 1,
      patch: { programme: { checklists: { TEST: [] } } },
    });
    expect(blank).toMatchObject({ __typename: 'ValidationError', code: 'SETTINGS_INVALID' });
    expect(blank.fieldErrors?.[0]?.path).toEqual(['patch', 'programme', 'checklists', 'TEST']);
    await ok(
      api,
      admin,
      'updateSettings',
      'UpdateSettingsInput',
      {
        expectedVersion: (version ?? 0) + 1,
        patch: { programme: { checklists: { UNDERSTAND: ['Agree the pilot'] } } },
      },
      'version',
    );
    const apac = await ok<{ id: string }>(
      api,
      admin,
      'createBusinessUnit',
      'CreateBusinessUnitInput',
      { code: 'APAC-PILOT', name: 'APAC pilot', kind: 'GEOGRAPHY' },
      'id',
    );
    const started = await ok<{ checklist: { stage: string; text: string }[] }>(
      api,
      admin,
      'startProgramme',
      'StartProgrammeInput',
      { businessUnitId: apac.id },
      'checklist { stage text }',
    );
    expect(started.checklist.filter(i => i.stage === 'UNDERSTAND').map(i => i.text)).toEqual([
      'Agree the pilot',
    ]);
  });

  it('refuses a stale expectedVersion also before the settings row exists', async () => {
    // A database without its settings row reads the defaults at version 1.
    await api.db.em().nativeDelete(Settings, {});
    const read = await api.gql<{ settings: { version: number } }>('{ settings { version } }', {}, admin);
    expect(read.body.data?.settings.version).toBe(1);
    const stale = await mutate(api, admin, 'updateSettings', 'UpdateSettingsInput', {
      expectedVersion: 42,
      patch: { plans: { reviewCadenceMonths: 6 } },
    });
    expect(stale).toMatchObject({ __typename: 'ConflictError', code: 'VERSION_CONFLICT', currentVersion: 1 });
    expect(await api.db.em().count(Settings, {})).toBe(0);
    const updated = await ok<{ version: number; planReviewCadenceMonths: number }>(
      api,
      admin,
      'updateSettings',
      'UpdateSettingsInput',
      { expectedVersion: 1, patch: { plans: { reviewCadenceMonths: 6 } } },
      'version planReviewCadenceMonths',
    );
    expect(updated).toEqual({ version: 2, planReviewCadenceMonths: 6 });
  });
});

describe('account filters', () => {
  it('filters by key-account status, tier, segment, business unit and name', async () => {
    const q = async (args: Record<string, unknown>) => {
      const res = await api.gql<{ accounts: { edges: { node: { externalRef: string } }[] } }>(
        `query($keyAccount: Boolean, $tier: ValueTier, $segmentId: ID, $businessUnitId: ID, $search: String) {
          accounts(first: 50, keyAccount: $keyAccount, tier: $tier, segmentId: $segmentId, businessUnitId: $businessUnitId, search: $search) {
            edges { node { externalRef } } } }`,
        args,
        admin,
      );
      expect(res.body.errors).toBeUndefined();
      return res.body.data?.accounts.edges.map(e => e.node.externalRef);
    };
    await ok(
      api,
      admin,
      'recordFinancials',
      'RecordFinancialsInput',
      {
        accountId: acme,
        businessUnitId: apac,
        quarter: '2026-Q2',
        revenue: '5',
        grossProfit: '1',
        costToServe: '0',
      },
      'quarter',
    );
    expect(await q({ keyAccount: true })).toEqual(['W-ACME']);
    expect(await q({ keyAccount: false })).toEqual(['W-GLOBEX']);
    expect(await q({ tier: 'TIER_1' })).toEqual(['W-ACME']);
    expect(await q({ tier: 'TIER_2' })).toEqual([]);
    const segments = await api.gql<{ segments: { id: string }[] }>('{ segments { id } }', {}, admin);
    expect(await q({ segmentId: segments.body.data?.segments[0]?.id })).toEqual(['W-GLOBEX']);
    expect(await q({ businessUnitId: apac })).toEqual(['W-ACME']);
    expect(await q({ search: 'glob' })).toEqual(['W-GLOBEX']);
    expect(await q({ search: 'w-ACME' })).toEqual(['W-ACME']);
    // LIKE's wildcards are searched for as text: neither "%" nor "W_" finds "W-…".
    expect(await q({ search: '%' })).toEqual([]);
    expect(await q({ search: 'W_' })).toEqual([]);
    expect(await q({ search: '\\' })).toEqual([]);
  });

  it('still answers the deprecated keyAccountsOnly, and refuses it against keyAccount: false', async () => {
    const query = `query($only: Boolean, $keyAccount: Boolean) {
      accounts(first: 50, keyAccountsOnly: $only, keyAccount: $keyAccount) { edges { node { externalRef } } } }`;
    const key = await api.gql<{ accounts: { edges: { node: { externalRef: string } }[] } }>(
      query,
      { only: true },
      admin,
    );
    expect(key.body.errors).toBeUndefined();
    expect(key.body.data?.accounts.edges.map(e => e.node.externalRef)).toEqual(['W-ACME']);
    const both = await api.gql(query, { only: true, keyAccount: false }, admin);
    expect(both.body.errors?.[0]?.message).toBe(
      'keyAccountsOnly: true and keyAccount: false ask for opposite accounts; give keyAccount alone.',
    );
    expect(both.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('shows and filters accounts by pyramid level and quadrant in a quarter', async () => {
    // The running quarter (a later one is refused as not started): the designation (2026-10-01)
    // and the assessment (made today) count in it whenever the test runs.
    const now = new Date();
    const asOf = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
    type Standing = { externalRef: string; pyramidLevel: string; quadrant: string | null; latest: string };
    const read = await api.gql<{ accounts: { edges: { node: Standing }[] } }>(
      `query($asOf: Quarter) { accounts(first: 10) { edges { node {
         externalRef pyramidLevel(quarter: $asOf) quadrant(quarter: $asOf) latest: pyramidLevel } } } }`,
      { asOf },
      admin,
    );
    expect(read.body.errors).toBeUndefined();
    const byRef = new Map(read.body.data?.accounts.edges.map(e => [e.node.externalRef, e.node]));
    const acmeNow = byRef.get('W-ACME');
    const globexNow = byRef.get('W-GLOBEX');
    expect(acmeNow).toMatchObject({ pyramidLevel: 'KEY', quadrant: expect.any(String) });
    // Globex had revenue (the financials test): active or, once it leaves the TTM window,
    // lapsed (which depends on the day the test runs); never assessed.
    expect(globexNow).toMatchObject({
      pyramidLevel: expect.stringMatching(/^(ACTIVE_(SMALL|MEDIUM|LARGE)|LAPSED)$/),
      quadrant: null,
    });
    // Without a quarter: the last one that has ended (a level either way).
    expect(globexNow?.latest).toEqual(expect.any(String));

    const filtered = async (args: Record<string, unknown>) => {
      const res = await api.gql<{ accounts: { edges: { node: { externalRef: string } }[] } }>(
        `query($asOf: Quarter, $pyramidLevel: PyramidLevel, $quadrant: AccountQuadrant) {
           accounts(first: 10, asOf: $asOf, pyramidLevel: $pyramidLevel, quadrant: $quadrant) {
             edges { node { externalRef } } } }`,
        { asOf, ...args },
        admin,
      );
      expect(res.body.errors).toBeUndefined();
      return res.body.data?.accounts.edges.map(e => e.node.externalRef);
    };
    expect(await filtered({ pyramidLevel: 'KEY' })).toEqual(['W-ACME']);
    const globexLevel = await filtered({ pyramidLevel: globexNow?.pyramidLevel });
    expect(globexLevel).toContain('W-GLOBEX');
    expect(globexLevel).not.toContain('W-ACME');
    expect(await filtered({ quadrant: acmeNow?.quadrant })).toEqual(['W-ACME']);
    expect(await filtered({ pyramidLevel: globexNow?.pyramidLevel, quadrant: acmeNow?.quadrant })).toEqual(
      [],
    );
  });

  it('counts what matches the filters over all pages (totalCount), searching without regard to case', async () => {
    const accounts = await api.gql<{
      accounts: { totalCount: number; edges: unknown[]; pageInfo: { hasNextPage: boolean } };
      search: { totalCount: number };
      none: { totalCount: number; edges: unknown[] };
    }>(
      `{ accounts(first: 1) { totalCount edges { cursor } pageInfo { hasNextPage } }
         search: accounts(first: 1, search: "GLOB") { totalCount }
         none: accounts(first: 5, search: "no such account") { totalCount edges { cursor } } }`,
      {},
      admin,
    );
    expect(accounts.body.errors).toBeUndefined();
    expect(accounts.body.data).toEqual({
      accounts: { totalCount: 2, edges: [{ cursor: expect.any(String) }], pageInfo: { hasNextPage: true } },
      search: { totalCount: 1 },
      none: { totalCount: 0, edges: [] },
    });
    // People are found by name or e-mail, upper or lower case, on both databases.
    const people = await api.gql<{ people: { totalCount: number; edges: { node: { name: string } }[] } }>(
      '{ people(first: 10, search: "EXECUTIVE PERSON") { totalCount edges { node { name } } } }',
      {},
      admin,
    );
    expect(people.body.errors).toBeUndefined();
    expect(people.body.data?.people.totalCount).toBeGreaterThanOrEqual(2);
    expect(people.body.data?.people.edges.every(e => /^EXECUTIVE person/.test(e.node.name))).toBe(true);
    // The plans and initiatives the tests above created: one count, equal to a full page.
    type Counted = { totalCount: number; edges: unknown[] };
    const lists = await api.gql<{ plans: Counted; valueInitiatives: Counted }>(
      '{ plans(first: 100) { totalCount edges { cursor } } valueInitiatives(first: 100) { totalCount edges { cursor } } }',
      {},
      admin,
    );
    expect(lists.body.errors).toBeUndefined();
    for (const list of [lists.body.data?.plans, lists.body.data?.valueInitiatives]) {
      expect(list?.totalCount).toBeGreaterThan(0);
      expect(list?.totalCount).toBe(list?.edges.length);
    }
  });

  it('reports a malformed or unknown global id as INVALID_ID with its path, and more than 100 ids', async () => {
    type Err = { message: string; path?: string[]; extensions?: { code?: string; fieldErrors?: unknown } };
    const node = await api.gql<unknown>('query($id: ID!) { node(id: $id) { id } }', { id: 'xyz' }, admin);
    const [notAnId] = node.body.errors as Err[];
    expect(notAnId).toMatchObject({
      path: ['node'],
      extensions: { code: 'INVALID_ID', fieldErrors: [{ path: ['id'], code: 'INVALID_ID' }] },
    });
    expect(notAnId?.message).toBe(
      'id is not a global id of this API: send the id field of an object it returned.',
    );
    // Well formed, but of no type the API has.
    const unknownType = await api.gql<unknown>(
      'query($id: ID!) { node(id: $id) { id } }',
      { id: globalId('Nope', 1) },
      admin,
    );
    expect((unknownType.body.errors as Err[])[0]?.extensions?.code).toBe('INVALID_ID');
    const nodes = await api.gql<unknown>(
      'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      { ids: [acme, '%%%'] },
      admin,
    );
    expect((nodes.body.errors as Err[])[0]?.extensions?.fieldErrors).toEqual([
      { path: ['ids', 1], message: 'not a global id', code: 'INVALID_ID' },
    ]);
    const tooMany = await api.gql<unknown>(
      'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      { ids: Array.from({ length: 101 }, () => acme) },
      admin,
    );
    expect((tooMany.body.errors as Err[])[0]).toMatchObject({
      message: 'nodes takes at most 100 ids; you sent 101. Ask for them in several calls.',
      extensions: { code: 'TOO_MANY_IDS' },
    });
    // In a mutation, a malformed id is the same typed ValidationError as an id of another type.
    const malformed = await mutate(api, admin, 'changeTeamMember', 'ChangeTeamMemberInput', {
      id: 'not-an-id',
      expectedVersion: 1,
    });
    expect(malformed).toMatchObject({
      __typename: 'ValidationError',
      code: 'INVALID_ID',
      message: 'id must be the global id of a TeamMember: the id field of a TeamMember this API returned.',
      fieldErrors: [{ path: ['id'], code: 'INVALID_ID' }],
    });
    // An id inside a list is named by its path, one segment a step (as a bulk row's field),
    // not by one dotted segment a client cannot match to its input.
    const inList = await mutate(api, admin, 'createPlan', 'CreatePlanInput', {
      accountId: globex,
      year: 2031,
      businessUnitIds: [emea, globex],
    });
    expect(inList).toMatchObject({
      __typename: 'ValidationError',
      code: 'INVALID_ID',
      fieldErrors: [{ path: ['businessUnitIds', '1'], code: 'INVALID_ID' }],
    });
    expect(inList.message).toBe(
      'businessUnitIds[1] must be the global id of a BusinessUnit: the id field of a BusinessUnit this API returned.',
    );
    const segment = await ok<{ id: string }>(
      api,
      admin,
      'createSegment',
      'CreateSegmentInput',
      { code: 'W-ID', name: 'Ids', buyerOrientation: 'LOYALTY' },
      'id',
    );
    const inNested = await mutate(api, admin, 'createServicePackage', 'CreateServicePackageInput', {
      code: 'W-ID',
      name: 'Ids',
      segmentId: segment.id,
      elements: [{ elementId: acme, inclusion: 'INCLUDED' }],
    });
    expect(inNested).toMatchObject({
      __typename: 'ValidationError',
      code: 'INVALID_ID',
      fieldErrors: [{ path: ['elements', '0', 'elementId'], code: 'INVALID_ID' }],
    });
  });

  it('refuses a global id of a known type whose id part is not a record id, on both databases', async () => {
    type Err = { path?: string[]; extensions?: { code?: string; fieldErrors?: unknown } };
    // "Account:abc" reached PostgreSQL as `where id in (NaN)`: an unexpected error, not INVALID_ID.
    for (const id of [globalId('Account', 'abc' as never), globalId('Account', 0), globalId('Account', -3)]) {
      const node = await api.gql<unknown>('query($id: ID!) { node(id: $id) { id } }', { id }, admin);
      expect((node.body.errors as Err[])[0], id).toMatchObject({
        path: ['node'],
        extensions: { code: 'INVALID_ID', fieldErrors: [{ path: ['id'], code: 'INVALID_ID' }] },
      });
    }
    // One such id among good ones is named by its index; it does not fail the others' load.
    const nodes = await api.gql<unknown>(
      'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      { ids: [acme, globalId('Account', 'x1' as never)] },
      admin,
    );
    expect((nodes.body.errors as Err[])[0]?.extensions).toMatchObject({
      code: 'INVALID_ID',
      fieldErrors: [{ path: ['ids', 1], code: 'INVALID_ID' }],
    });
    // A well-formed id of a record that does not exist is still null, as Relay expects.
    const missing = await api.gql<{ node: null }>(
      'query($id: ID!) { node(id: $id) { id } }',
      { id: globalId('Account', 987_654) },
      admin,
    );
    expect(missing.body).toEqual({ data: { node: null } });
  });

  it('fetches every workflow record by its global id (Relay node)', async () => {
    const read = await api.gql<{
      node: {
        team: { id: string }[];
        opportunities: { edges: { node: { id: string } }[] };
        initiatives: { edges: { node: { id: string } }[] };
        plans: { id: string; actions: { id: string }[] }[];
      };
    }>(
      `query($id: ID!) { node(id: $id) { ... on Account {
        team { id } opportunities(first: 100) { edges { node { id } } } initiatives(first: 100) { edges { node { id } } }
        plans { id actions { id } }
      } } }`,
      { id: acme },
      admin,
    );
    const node = read.body.data?.node;
    const ids = [
      ...(node?.team ?? []),
      ...(node?.opportunities.edges.map(e => e.node) ?? []),
      ...(node?.initiatives.edges.map(e => e.node) ?? []),
      ...(node?.plans ?? []),
      ...(node?.plans.flatMap(p => p.actions) ?? []),
    ].map(r => r.id);
    const nodes = await api.gql<{ nodes: { __typename: string; id: string }[] }>(
      'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }',
      { ids },
      admin,
    );
    expect(nodes.body.data?.nodes.map(n => n.id)).toEqual(ids);
    expect(new Set(nodes.body.data?.nodes.map(n => n.__typename))).toEqual(
      new Set(['TeamMember', 'Opportunity', 'ValueInitiative', 'AccountPlan', 'PlanAction']),
    );
  });
});

// Last: it adds an account, which the exact lists of the tests above do not expect.
describe('orders', () => {
  it('pages plans and value initiatives in the order asked for, ties broken by id', async () => {
    type Node = { id: string; year?: number; name?: string; startedOn?: string };
    const pages = (list: 'plans' | 'valueInitiatives', fields: string, orderBy: unknown) =>
      everyPage<Node>(
        api,
        admin,
        list,
        `query($orderBy: ${list === 'plans' ? 'PlanOrder' : 'ValueInitiativeOrder'}, $after: String) {
           ${list}(first: 1, after: $after, orderBy: $orderBy) {
             edges { node { id ${fields} } } pageInfo { hasNextPage endCursor } } }`,
        { orderBy },
      );
    const sorted = (nodes: Node[], key: keyof Node, direction: 1 | -1) =>
      [...nodes].sort((a, b) => {
        const [x, y] = [a[key] as string | number, b[key] as string | number];
        return (x < y ? -1 : x > y ? 1 : numeric(a.id) - numeric(b.id)) * direction;
      });
    const plans = await pages('plans', 'year', undefined);
    expect(new Set(plans.map(p => p.year)).size).toBeGreaterThan(1);
    expect(await pages('plans', 'year', { field: 'YEAR' })).toEqual(sorted(plans, 'year', 1));
    expect(await pages('plans', 'year', { field: 'YEAR', direction: 'DESC' })).toEqual(
      sorted(plans, 'year', -1),
    );
    // Two more, after "Joint forecasting": names that sort before and after it.
    for (const name of ['Advance shipping notices', 'Vendor-managed inventory']) {
      await ok(api, admin, 'createValueInitiative', 'CreateValueInitiativeInput', {
        accountId: acme,
        name,
        category: 'UNTAPPED',
        desiredGains: 'Less work',
      });
    }
    const initiatives = await pages('valueInitiatives', 'name startedOn', undefined);
    expect(initiatives.length).toBe(3);
    expect(await pages('valueInitiatives', 'name startedOn', { field: 'NAME', direction: 'DESC' })).toEqual(
      sorted(initiatives, 'name', -1),
    );
    expect(await pages('valueInitiatives', 'name startedOn', { field: 'STARTED_ON' })).toEqual(
      sorted(initiatives, 'startedOn', 1),
    );
  });

  it('orders accounts by name, external ref or creation, either way, page by page', async () => {
    const order = async (orderBy: Record<string, unknown> | undefined) =>
      (
        await everyPage<{ externalRef: string }>(
          api,
          admin,
          'accounts',
          `query($orderBy: AccountOrder, $after: String) { accounts(first: 1, after: $after, orderBy: $orderBy) {
             edges { node { externalRef } } pageInfo { hasNextPage endCursor } } }`,
          { orderBy },
          5,
        )
      ).map(node => node.externalRef);
    // Acme and Globex, then Zeta, whose name sorts last and external ref first.
    await ok(api, admin, 'createAccount', 'CreateAccountInput', { externalRef: 'W-AAA', name: 'Zeta' }, 'id');
    expect(await order(undefined)).toEqual(['W-AAA', 'W-ACME', 'W-GLOBEX']);
    expect(await order({ field: 'NAME' })).toEqual(['W-ACME', 'W-GLOBEX', 'W-AAA']);
    expect(await order({ field: 'NAME', direction: 'DESC' })).toEqual(['W-AAA', 'W-GLOBEX', 'W-ACME']);
    expect(await order({ field: 'EXTERNAL_REF', direction: 'DESC' })).toEqual([
      'W-GLOBEX',
      'W-ACME',
      'W-AAA',
    ]);
    expect(await order({ field: 'CREATED_AT', direction: 'DESC' })).toEqual(['W-AAA', 'W-GLOBEX', 'W-ACME']);
  });
});

// Last: it adds an account, a contact and a bid that the counts above do not expect.
describe('update inputs', () => {
  it('refuse null for a field every record has (it cannot be cleared), naming the field, and write nothing', async () => {
    // An account of its own, so the other tests' counts of contacts and bids stay theirs.
    const account = (
      await ok<{ id: string }>(
        api,
        admin,
        'createAccount',
        'CreateAccountInput',
        { externalRef: 'W-NULLS', name: 'Nulls' },
        'id',
      )
    ).id;
    const contact = await ok<{ id: string; version: number }>(
      api,
      admin,
      'createContact',
      'CreateContactInput',
      { accountId: account, name: 'Noor Null', function: 'FINANCE', influence: 3 },
      'id version',
    );
    for (const field of ['name', 'function', 'influence', 'stance']) {
      const refused = await mutate(api, admin, 'updateContact', 'UpdateContactInput', {
        id: contact.id,
        expectedVersion: contact.version,
        [field]: null,
      });
      expect(refused, field).toMatchObject({
        __typename: 'ValidationError',
        code: 'VALIDATION_FAILED',
        message: `${field} cannot be cleared: every contact has one. Send the new value, or leave ${field} out to keep the current one.`,
      });
      expect(refused.fieldErrors).toEqual([{ path: [field], code: 'REQUIRED' }]);
    }
    const segment = await ok<{ id: string; version: number }>(
      api,
      admin,
      'createSegment',
      'CreateSegmentInput',
      { code: 'NULLS', name: 'Nulls', buyerOrientation: 'PRICE' },
      'id version',
    );
    const unit = await ok<{ id: string; version: number }>(
      api,
      admin,
      'createBusinessUnit',
      'CreateBusinessUnitInput',
      { code: 'NULLS', name: 'Nulls', kind: 'GEOGRAPHY' },
      'id version',
    );
    const bid = await ok<{ id: string; version: number }>(
      api,
      admin,
      'createOpportunity',
      'CreateOpportunityInput',
      { accountId: account, businessUnitId: emea, name: 'Null bid', value: '100.00' },
      'id version',
    );
    const accountVersion = { id: account, version: 1 };
    const cases: [string, string, string, { id: string; version: number }][] = [
      ['updateAccount', 'UpdateAccountInput', 'externalRef', accountVersion],
      ['updateAccount', 'UpdateAccountInput', 'name', accountVersion],
      ['updateSegment', 'UpdateSegmentInput', 'name', segment],
      ['updateSegment', 'UpdateSegmentInput', 'buyerOrientation', segment],
      ['updateBusinessUnit', 'UpdateBusinessUnitInput', 'name', unit],
      ['updateBusinessUnit', 'UpdateBusinessUnitInput', 'kind', unit],
      ['updateOpportunity', 'UpdateOpportunityInput', 'name', bid],
      ['updateOpportunity', 'UpdateOpportunityInput', 'value', bid],
    ];
    for (const [mutation, input, field, record] of cases) {
      const refused = await mutate(api, admin, mutation, input, {
        id: record.id,
        expectedVersion: record.version,
        [field]: null,
      });
      expect(refused, `${mutation} ${field}`).toMatchObject({
        __typename: 'ValidationError',
        code: 'VALIDATION_FAILED',
      });
      expect(refused.fieldErrors).toEqual([{ path: [field], code: 'REQUIRED' }]);
    }
    // Nothing was written: every record keeps its first version.
    const read = await api.gql<{ nodes: { version: number }[] }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Account { version } ... on Contact { version } ... on Segment { version } ... on BusinessUnit { version } ... on Opportunity { version } } }`,
      { ids: [account, contact.id, segment.id, unit.id, bid.id] },
      admin,
    );
    expect(read.body.data?.nodes).toEqual([
      { version: 1 },
      { version: contact.version },
      { version: segment.version },
      { version: unit.version },
      { version: bid.version },
    ]);
  });
});

describe('removing a financial line', () => {
  it('takes away a line recorded in the wrong scope, with its version, so the split lines can go in', async () => {
    const account = (
      await ok<{ id: string }>(
        api,
        admin,
        'createAccount',
        'CreateAccountInput',
        { externalRef: 'W-FIN-RM', name: 'Removal' },
        'id',
      )
    ).id;
    const figures = { quarter: '2026-Q1', revenue: '100.00', grossProfit: '30.00', costToServe: '5.00' };
    await ok(api, admin, 'recordFinancials', 'RecordFinancialsInput', { accountId: account, ...figures });
    const mixed = await mutate(api, admin, 'recordFinancials', 'RecordFinancialsInput', {
      accountId: account,
      businessUnitId: emea,
      ...figures,
    });
    expect(mixed).toMatchObject({ __typename: 'DomainRuleError', code: 'FINANCIALS_MIXED_SCOPE' });
    expect(mixed.message).toContain('removeFinancials');
    const line = { accountId: account, quarter: '2026-Q1' };
    const stale = await mutate(api, admin, 'removeFinancials', 'RemoveFinancialsInput', {
      ...line,
      expectedVersion: 2,
    });
    expect(stale).toMatchObject({ __typename: 'ConflictError', currentVersion: 1 });
    // ADMIN only, as recordFinancials: an account manager is refused before the resolver runs.
    const asManager = await api.gql(
      'mutation($input: RemoveFinancialsInput!) { removeFinancials(input: $input) { __typename } }',
      { input: { ...line, expectedVersion: 1 } },
      manager.secret,
    );
    expect(asManager.body.data).toEqual({ removeFinancials: { __typename: 'ForbiddenError' } });
    const removed = await ok<{ quarter: string; revenue: string; businessUnit: null }>(
      api,
      admin,
      'removeFinancials',
      'RemoveFinancialsInput',
      { ...line, expectedVersion: 1 },
      'quarter revenue businessUnit { code }',
    );
    expect(removed).toEqual({ quarter: '2026-Q1', revenue: '100.00', businessUnit: null });
    const again = await mutate(api, admin, 'removeFinancials', 'RemoveFinancialsInput', {
      ...line,
      expectedVersion: 1,
    });
    expect(again).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    await ok(api, admin, 'recordFinancials', 'RecordFinancialsInput', {
      accountId: account,
      businessUnitId: emea,
      ...figures,
    });
  });
});

describe('an initiative outcome with a field it does not take', () => {
  it('is refused at that field instead of the field being dropped (a REVISED date, a target without COMBINED)', async () => {
    const create = async (name: string) =>
      ok<{ id: string; version: number }>(
        api,
        admin,
        'createValueInitiative',
        'CreateValueInitiativeInput',
        { accountId: globex, name, category: 'UNTAPPED' },
        'id version',
      );
    const initiative = await create('Outcome fields');
    const other = await create('Outcome target');
    const revised = await mutate(api, admin, 'setInitiativeOutcome', 'SetInitiativeOutcomeInput', {
      id: initiative.id,
      expectedVersion: initiative.version,
      outcome: 'REVISED',
      on: '2026-06-01',
    });
    expect(revised).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['on'] }] });
    const rejected = await mutate(api, admin, 'setInitiativeOutcome', 'SetInitiativeOutcomeInput', {
      id: initiative.id,
      expectedVersion: initiative.version,
      outcome: 'REJECTED',
      combinedIntoId: other.id,
    });
    expect(rejected).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['combinedIntoId'] }],
    });
    const read = await api.gql<{ node: { version: number; outcome: string | null } }>(
      'query($id: ID!) { node(id: $id) { ... on ValueInitiative { version outcome } } }',
      { id: initiative.id },
      admin,
    );
    expect(read.body.data?.node).toEqual({ version: initiative.version, outcome: null });
  });
});
