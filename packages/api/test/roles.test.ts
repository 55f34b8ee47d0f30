/**
 * The role × mutation matrix: every mutation of the schema, called by every role. ADMIN may
 * do everything; an ACCOUNT_MANAGER writes only on the accounts whose team they are on;
 * EXECUTIVE is read-only; INTEGRATION uses the bulk mutations only. A forbidden call
 * returns ForbiddenError and writes nothing (the audit trail does not grow).
 */
import { AuditEntry, designateKeyAccount, systemActor } from '@kam/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';
import { globalId, mutate, ok } from './workflow-client.ts';

type Caller = 'ADMIN' | 'ACCOUNT_MANAGER' | 'ACCOUNT_MANAGER_OFF_TEAM' | 'EXECUTIVE' | 'INTEGRATION';
const CALLERS: Caller[] = [
  'ADMIN',
  'ACCOUNT_MANAGER',
  'ACCOUNT_MANAGER_OFF_TEAM',
  'EXECUTIVE',
  'INTEGRATION',
];
type Scope = 'admin' | 'write' | 'bulk';
const ALLOWED: Record<Scope, Caller[]> = {
  admin: ['ADMIN'],
  write: ['ADMIN', 'ACCOUNT_MANAGER'],
  bulk: ['ADMIN', 'INTEGRATION'],
};

let api: ApiHarness;
const tokens = {} as Record<Caller, string>;
const ids = {
  unit: '',
  unit2: '',
  person: '',
  managerPerson: '',
  account: '',
  member: '',
  contact: '',
  plan: '',
  action: '',
  opportunity: '',
  initiative: '',
  segment: '',
  package: '',
  programme: '',
  item: '',
  element: '',
  /** A service element and a package of the fixtures for the update and removal mutations. */
  element2: '',
  spareElement: '',
  sparePackage: '',
  /** A token of the fixture person, for revokeApiToken (not one the callers use). */
  token: '',
};

interface Call {
  scope: Scope;
  /** The document and its variables, built once the fixtures exist. */
  call: () => { query: string; variables: Record<string, unknown> };
}

const input = (name: string, type: string, value: () => Record<string, unknown>) => () => ({
  query: `mutation($input: ${type}!) { ${name}(input: $input) { __typename ... on Error { code } } }`,
  variables: { input: value() },
});
const bulk = (name: string, rowType: string) => () => ({
  query: `mutation($rows: [${rowType}!]!) { ${name}(rows: $rows) { __typename ... on Error { code } } }`,
  variables: { rows: [] },
});

const step = (id: () => string) => () => ({ id: id(), expectedVersion: 1 });

const MATRIX: Record<string, Call> = {
  // Organisation, accounts and reference data
  createBusinessUnit: {
    scope: 'admin',
    call: input('createBusinessUnit', 'CreateBusinessUnitInput', () => ({
      code: 'X1',
      name: 'X',
      kind: 'OFFERING',
    })),
  },
  updateBusinessUnit: {
    scope: 'admin',
    call: input('updateBusinessUnit', 'UpdateBusinessUnitInput', () => ({
      id: ids.unit,
      expectedVersion: 1,
      name: 'U',
    })),
  },
  createPerson: {
    scope: 'admin',
    call: input('createPerson', 'CreatePersonInput', () => ({ name: 'P', email: 'p-matrix@example.test' })),
  },
  updatePerson: {
    scope: 'admin',
    call: input('updatePerson', 'UpdatePersonInput', () => ({
      id: ids.person,
      expectedVersion: 1,
      title: 'T',
    })),
  },
  createApiToken: {
    scope: 'admin',
    call: input('createApiToken', 'CreateApiTokenInput', () => ({
      personId: ids.person,
      role: 'EXECUTIVE',
      name: 'Matrix token',
    })),
  },
  revokeApiToken: {
    scope: 'admin',
    call: () => ({
      query: 'mutation($id: ID!) { revokeApiToken(id: $id) { __typename ... on Error { code } } }',
      variables: { id: ids.token },
    }),
  },
  createAccount: {
    scope: 'admin',
    call: input('createAccount', 'CreateAccountInput', () => ({ externalRef: 'M-NEW', name: 'New' })),
  },
  updateAccount: {
    scope: 'write',
    call: input('updateAccount', 'UpdateAccountInput', () => ({
      id: ids.account,
      expectedVersion: 1,
      industry: 'Food',
    })),
  },
  recordFinancials: {
    scope: 'admin',
    call: input('recordFinancials', 'RecordFinancialsInput', () => ({
      accountId: ids.account,
      quarter: '2026-Q1',
      revenue: '1',
      grossProfit: '1',
      costToServe: '0',
    })),
  },
  removeFinancials: {
    scope: 'admin',
    // The line recordFinancials wrote: removed by ADMIN (version 1), after every refused caller.
    call: input('removeFinancials', 'RemoveFinancialsInput', () => ({
      accountId: ids.account,
      quarter: '2026-Q1',
      expectedVersion: 1,
    })),
  },
  closeQuarter: {
    scope: 'admin',
    call: () => ({
      query: 'mutation { closeQuarter(quarter: "2026-Q1") { __typename ... on Error { code } } }',
      variables: {},
    }),
  },
  createSegment: {
    scope: 'admin',
    call: input('createSegment', 'CreateSegmentInput', () => ({
      code: 'M-SEG',
      name: 'S',
      buyerOrientation: 'PRICE',
    })),
  },
  updateSegment: {
    scope: 'admin',
    call: input('updateSegment', 'UpdateSegmentInput', () => ({
      id: ids.segment,
      expectedVersion: 1,
      name: 'S2',
    })),
  },
  setElementImportance: {
    scope: 'admin',
    call: input('setElementImportance', 'SetElementImportanceInput', () => ({
      segmentId: ids.segment,
      elementId: ids.element,
      importance: 3,
    })),
  },
  createServicePackage: {
    scope: 'admin',
    call: input('createServicePackage', 'CreateServicePackageInput', () => ({
      code: 'M-PACK',
      name: 'P',
      segmentId: ids.segment,
    })),
  },
  setPackageElement: {
    scope: 'admin',
    call: input('setPackageElement', 'SetPackageElementInput', () => ({
      packageId: ids.package,
      elementId: ids.element,
      inclusion: 'CHARGED_SEPARATELY',
    })),
  },
  setGridCell: {
    scope: 'admin',
    call: input('setGridCell', 'SetGridCellInput', () => ({
      segmentId: ids.segment,
      pyramidLevel: 'PROSPECT',
      packageId: ids.package,
    })),
  },
  updateServiceStandard: {
    scope: 'admin',
    call: input('updateServiceStandard', 'UpdateServiceStandardInput', () => ({
      pyramidLevel: 'LAPSED',
      text: 'Win them back',
      expectedVersion: 1,
    })),
  },
  createServiceElement: {
    scope: 'admin',
    call: input('createServiceElement', 'CreateServiceElementInput', () => ({ code: 'M-EL', name: 'E' })),
  },
  updateServiceElement: {
    scope: 'admin',
    call: input('updateServiceElement', 'UpdateServiceElementInput', () => ({
      id: ids.element2,
      expectedVersion: 1,
      name: 'E2',
    })),
  },
  removeServiceElement: {
    scope: 'admin',
    call: input(
      'removeServiceElement',
      'RemoveServiceElementInput',
      step(() => ids.spareElement),
    ),
  },
  updateServicePackage: {
    scope: 'admin',
    call: input('updateServicePackage', 'UpdateServicePackageInput', () => ({
      id: ids.package,
      expectedVersion: 1,
      name: 'P2',
    })),
  },
  removeServicePackage: {
    scope: 'admin',
    call: input(
      'removeServicePackage',
      'RemoveServicePackageInput',
      step(() => ids.sparePackage),
    ),
  },
  updateKpiDefinition: {
    scope: 'admin',
    call: input('updateKpiDefinition', 'UpdateKpiDefinitionInput', () => ({
      code: 'REFERRALS',
      expectedVersion: 1,
      target: '12',
    })),
  },
  startProgramme: {
    scope: 'admin',
    call: input('startProgramme', 'StartProgrammeInput', () => ({ businessUnitId: ids.unit2 })),
  },
  updateProgramme: {
    scope: 'admin',
    call: input('updateProgramme', 'UpdateProgrammeInput', () => ({
      ...step(() => ids.programme)(),
      objectives: 'Three pilots',
    })),
  },
  setChecklistItem: {
    scope: 'admin',
    call: input('setChecklistItem', 'SetChecklistItemInput', () => ({
      ...step(() => ids.item)(),
      done: true,
    })),
  },
  advanceProgrammeStage: {
    scope: 'admin',
    call: input(
      'advanceProgrammeStage',
      'AdvanceProgrammeStageInput',
      step(() => ids.programme),
    ),
  },
  updateSettings: {
    scope: 'admin',
    call: input('updateSettings', 'UpdateSettingsInput', () => ({
      expectedVersion: 1,
      patch: { plans: { reviewCadenceMonths: 4 } },
    })),
  },
  recordOrganisationMeasurement: {
    scope: 'admin',
    call: input('recordOrganisationMeasurement', 'RecordOrganisationMeasurementInput', () => ({
      kind: 'MARKET_SHARE',
      quarter: '2026-Q1',
      market: 'Benelux',
      value: '12.5',
    })),
  },
  // Selection and the journey
  recordSelectionAssessment: {
    scope: 'write',
    call: input('recordSelectionAssessment', 'RecordSelectionAssessmentInput', () => ({
      accountId: ids.account,
      marketLeadership: 3,
      innovationLeadership: 3,
      growthFit: 3,
      otherUnitsPotential: 3,
      loyalty: 3,
      informationSharing: 3,
      engagementDesire: 3,
      buyingBasis: 3,
      sustainableRevenue: true,
      defectionInfluencesOthers: true,
    })),
  },
  designateKeyAccount: {
    scope: 'admin',
    call: input('designateKeyAccount', 'DesignateKeyAccountInput', () => ({ accountId: ids.account })),
  },
  reviewKeyAccountDesignation: {
    scope: 'admin',
    call: input('reviewKeyAccountDesignation', 'ReviewKeyAccountDesignationInput', () => ({
      accountId: ids.account,
      expectedVersion: 1,
    })),
  },
  revokeKeyAccount: {
    scope: 'admin',
    call: input('revokeKeyAccount', 'RevokeKeyAccountInput', () => ({
      accountId: ids.account,
      expectedVersion: 2,
      reason: 'Matrix',
    })),
  },
  assessTier: {
    scope: 'write',
    call: input('assessTier', 'AssessTierInput', () => ({
      accountId: ids.account,
      quarter: '2026-Q3',
      tier: 'TIER_3',
      evidence: 'Evidence',
    })),
  },
  // Team and stakeholders
  addTeamMember: {
    scope: 'write',
    call: input('addTeamMember', 'AddTeamMemberInput', () => ({
      accountId: ids.account,
      personId: ids.person,
      role: 'SUPPORT',
    })),
  },
  changeTeamMember: {
    scope: 'write',
    call: input('changeTeamMember', 'ChangeTeamMemberInput', () => ({
      ...step(() => ids.member)(),
      role: 'COACH',
    })),
  },
  removeTeamMember: {
    scope: 'write',
    call: input('removeTeamMember', 'RemoveTeamMemberInput', () => ({ id: ids.member, expectedVersion: 2 })),
  },
  createContact: {
    scope: 'write',
    call: input('createContact', 'CreateContactInput', () => ({
      accountId: ids.account,
      name: 'C',
      function: 'OTHER',
      influence: 2,
    })),
  },
  updateContact: {
    scope: 'write',
    call: input('updateContact', 'UpdateContactInput', () => ({
      ...step(() => ids.contact)(),
      influence: 3,
    })),
  },
  setContactCounterpart: {
    scope: 'write',
    call: input('setContactCounterpart', 'SetContactCounterpartInput', () => ({
      id: ids.contact,
      expectedVersion: 2,
      counterpartId: ids.person,
    })),
  },
  removeContact: {
    scope: 'write',
    call: input('removeContact', 'RemoveContactInput', () => ({ id: ids.contact, expectedVersion: 3 })),
  },
  // Plans
  createPlan: {
    scope: 'write',
    call: input('createPlan', 'CreatePlanInput', () => ({ accountId: ids.account, year: 2030 })),
  },
  updatePlan: {
    scope: 'write',
    call: input('updatePlan', 'UpdatePlanInput', () => ({
      ...step(() => ids.plan)(),
      sections: { baselines: 'B' },
    })),
  },
  submitPlan: {
    scope: 'write',
    call: input(
      'submitPlan',
      'PlanStepInput',
      step(() => ids.plan),
    ),
  },
  signPlan: {
    scope: 'write',
    call: input('signPlan', 'SignPlanInput', () => ({ id: ids.plan, businessUnitId: ids.unit })),
  },
  approvePlan: {
    scope: 'write',
    call: input(
      'approvePlan',
      'PlanStepInput',
      step(() => ids.plan),
    ),
  },
  returnPlanToDraft: {
    scope: 'write',
    call: input(
      'returnPlanToDraft',
      'PlanStepInput',
      step(() => ids.plan),
    ),
  },
  closePlan: {
    scope: 'write',
    call: input(
      'closePlan',
      'PlanStepInput',
      step(() => ids.plan),
    ),
  },
  copyPlanToNextYear: {
    scope: 'write',
    call: input('copyPlanToNextYear', 'CopyPlanInput', () => ({ id: ids.plan })),
  },
  recordExecutionReview: {
    scope: 'write',
    call: input('recordExecutionReview', 'RecordExecutionReviewInput', () => ({
      planId: ids.plan,
      assessment: 'ON_TRACK',
      progress: 'Fine',
    })),
  },
  addPlanAction: {
    scope: 'write',
    call: input('addPlanAction', 'AddPlanActionInput', () => ({ planId: ids.plan, description: 'Do it' })),
  },
  updatePlanAction: {
    scope: 'write',
    call: input('updatePlanAction', 'UpdatePlanActionInput', () => ({
      ...step(() => ids.action)(),
      status: 'IN_PROGRESS',
    })),
  },
  // Opportunities
  createOpportunity: {
    scope: 'write',
    call: input('createOpportunity', 'CreateOpportunityInput', () => ({
      accountId: ids.account,
      businessUnitId: ids.unit,
      name: 'O',
      value: '10',
    })),
  },
  updateOpportunity: {
    scope: 'write',
    call: input('updateOpportunity', 'UpdateOpportunityInput', () => ({
      ...step(() => ids.opportunity)(),
      name: 'O2',
    })),
  },
  qualifyOpportunity: {
    scope: 'write',
    call: input(
      'qualifyOpportunity',
      'OpportunityStepInput',
      step(() => ids.opportunity),
    ),
  },
  winOpportunity: {
    scope: 'write',
    call: input(
      'winOpportunity',
      'OpportunityStepInput',
      step(() => ids.opportunity),
    ),
  },
  loseOpportunity: {
    scope: 'write',
    call: input(
      'loseOpportunity',
      'OpportunityStepInput',
      step(() => ids.opportunity),
    ),
  },
  // Value
  createValueInitiative: {
    scope: 'write',
    call: input('createValueInitiative', 'CreateValueInitiativeInput', () => ({
      accountId: ids.account,
      name: 'V',
      category: 'UNTAPPED',
    })),
  },
  updateValueInitiative: {
    scope: 'write',
    call: input('updateValueInitiative', 'UpdateValueInitiativeInput', () => ({
      ...step(() => ids.initiative)(),
      name: 'V2',
    })),
  },
  advanceInitiativePhase: {
    scope: 'write',
    call: input(
      'advanceInitiativePhase',
      'AdvanceInitiativePhaseInput',
      step(() => ids.initiative),
    ),
  },
  recordInitiativeGains: {
    scope: 'write',
    call: input('recordInitiativeGains', 'RecordInitiativeGainsInput', () => ({
      ...step(() => ids.initiative)(),
      customerGain: '5',
    })),
  },
  recordCustomerRecognition: {
    scope: 'write',
    call: input('recordCustomerRecognition', 'RecordCustomerRecognitionInput', () => ({
      ...step(() => ids.initiative)(),
      recognised: true,
    })),
  },
  markInitiativeCopiedByCompetitor: {
    scope: 'write',
    call: input(
      'markInitiativeCopiedByCompetitor',
      'InitiativeStepInput',
      step(() => ids.initiative),
    ),
  },
  setInitiativeOutcome: {
    scope: 'write',
    call: input('setInitiativeOutcome', 'SetInitiativeOutcomeInput', () => ({
      ...step(() => ids.initiative)(),
      outcome: 'REJECTED',
    })),
  },
  // Signals
  recordSignal: {
    scope: 'write',
    call: input('recordSignal', 'RecordSignalInput', () => ({
      accountId: ids.account,
      kind: 'ADVICE_REQUEST',
      occurredOn: '2026-01-05',
    })),
  },
  recordSurveyResponse: {
    scope: 'write',
    call: input('recordSurveyResponse', 'RecordSurveyResponseInput', () => ({
      accountId: ids.account,
      respondedOn: '2026-01-05',
      score: 5,
    })),
  },
  // Bulk paths for scripts
  upsertAccounts: { scope: 'bulk', call: bulk('upsertAccounts', 'AccountRowInput') },
  importFinancials: { scope: 'bulk', call: bulk('importFinancials', 'FinancialRowInput') },
  upsertContacts: { scope: 'bulk', call: bulk('upsertContacts', 'ContactRowInput') },
  upsertOpportunities: { scope: 'bulk', call: bulk('upsertOpportunities', 'OpportunityRowInput') },
  recordSignals: { scope: 'bulk', call: bulk('recordSignals', 'SignalRowInput') },
  recordSurveyResponses: { scope: 'bulk', call: bulk('recordSurveyResponses', 'SurveyRowInput') },
};

async function auditCount(): Promise<number> {
  return api.db.em().count(AuditEntry, {});
}

beforeAll(async () => {
  api = await startApi();
  for (const caller of CALLERS) {
    const role = caller === 'ACCOUNT_MANAGER_OFF_TEAM' ? 'ACCOUNT_MANAGER' : caller;
    const token = await api.token(role);
    tokens[caller] = token.secret;
    if (caller === 'ACCOUNT_MANAGER') ids.managerPerson = globalId('Person', token.personId);
  }
  const admin = tokens.ADMIN;
  ids.unit = (
    await ok<{ id: string }>(
      api,
      admin,
      'createBusinessUnit',
      'CreateBusinessUnitInput',
      { code: 'M1', name: 'M1', kind: 'GEOGRAPHY' },
      'id',
    )
  ).id;
  ids.unit2 = (
    await ok<{ id: string }>(
      api,
      admin,
      'createBusinessUnit',
      'CreateBusinessUnitInput',
      { code: 'M2', name: 'M2', kind: 'GEOGRAPHY' },
      'id',
    )
  ).id;
  ids.person = (
    await ok<{ id: string }>(
      api,
      admin,
      'createPerson',
      'CreatePersonInput',
      { name: 'Fixture', email: 'fixture@example.test' },
      'id',
    )
  ).id;
  ids.token = (
    await ok<{ token: { id: string } }>(
      api,
      admin,
      'createApiToken',
      'CreateApiTokenInput',
      { personId: ids.person, role: 'EXECUTIVE', name: 'To revoke' },
      'token { id }',
    )
  ).token.id;
  ids.account = (
    await ok<{ id: string }>(
      api,
      admin,
      'createAccount',
      'CreateAccountInput',
      { externalRef: 'M-1', name: 'Matrix' },
      'id',
    )
  ).id;
  await ok(api, admin, 'addTeamMember', 'AddTeamMemberInput', {
    accountId: ids.account,
    personId: ids.managerPerson,
    role: 'KEY_ACCOUNT_MANAGER',
  });
  ids.member = (
    await ok<{ id: string }>(
      api,
      admin,
      'addTeamMember',
      'AddTeamMemberInput',
      { accountId: ids.account, personId: ids.person, role: 'SPONSOR' },
      'id',
    )
  ).id;
  ids.contact = (
    await ok<{ id: string }>(
      api,
      admin,
      'createContact',
      'CreateContactInput',
      { accountId: ids.account, name: 'K', function: 'FINANCE', influence: 4 },
      'id',
    )
  ).id;
  // A plan is drawn up for a key account.
  await designateKeyAccount(
    api.db.em(),
    {
      accountId: Number(Buffer.from(ids.account, 'base64').toString().split(':')[1]),
      designatedOn: '2026-01-01',
    },
    systemActor('test'),
  );
  ids.plan = (
    await ok<{ id: string }>(
      api,
      admin,
      'createPlan',
      'CreatePlanInput',
      { accountId: ids.account, year: 2026, businessUnitIds: [ids.unit] },
      'id',
    )
  ).id;
  ids.action = (
    await ok<{ id: string }>(
      api,
      admin,
      'addPlanAction',
      'AddPlanActionInput',
      { planId: ids.plan, description: 'A' },
      'id',
    )
  ).id;
  ids.opportunity = (
    await ok<{ id: string }>(
      api,
      admin,
      'createOpportunity',
      'CreateOpportunityInput',
      { accountId: ids.account, businessUnitId: ids.unit, name: 'O', value: '1' },
      'id',
    )
  ).id;
  ids.initiative = (
    await ok<{ id: string }>(
      api,
      admin,
      'createValueInitiative',
      'CreateValueInitiativeInput',
      { accountId: ids.account, name: 'I', category: 'PROVEN' },
      'id',
    )
  ).id;
  ids.segment = (
    await ok<{ id: string }>(
      api,
      admin,
      'createSegment',
      'CreateSegmentInput',
      { code: 'M-S', name: 'S', buyerOrientation: 'LOYALTY' },
      'id',
    )
  ).id;
  ids.package = (
    await ok<{ id: string }>(
      api,
      admin,
      'createServicePackage',
      'CreateServicePackageInput',
      { code: 'M-P', name: 'P', segmentId: ids.segment },
      'id',
    )
  ).id;
  const programme = await ok<{ id: string; checklist: { id: string }[] }>(
    api,
    admin,
    'startProgramme',
    'StartProgrammeInput',
    { businessUnitId: ids.unit },
    'id checklist { id }',
  );
  ids.programme = programme.id;
  ids.item = programme.checklist[0]?.id ?? '';
  const elements = await api.gql<{ serviceElements: { id: string }[] }>(
    '{ serviceElements { id } }',
    {},
    admin,
  );
  ids.element = elements.body.data?.serviceElements[0]?.id ?? '';
  const element = (code: string) =>
    ok<{ id: string }>(
      api,
      admin,
      'createServiceElement',
      'CreateServiceElementInput',
      { code, name: code },
      'id',
    );
  ids.element2 = (await element('M-E2')).id;
  ids.spareElement = (await element('M-SPARE')).id;
  ids.sparePackage = (
    await ok<{ id: string }>(
      api,
      admin,
      'createServicePackage',
      'CreateServicePackageInput',
      { code: 'M-SPARE', name: 'Spare', segmentId: ids.segment },
      'id',
    )
  ).id;
});
afterAll(async () => {
  await api.close();
});

describe('role × mutation matrix', () => {
  it('covers every mutation of the schema', async () => {
    const res = await api.gql<{ __type: { fields: { name: string }[] } }>(
      '{ __type(name: "Mutation") { fields { name } } }',
      {},
      tokens.ADMIN,
    );
    const fields = res.body.data?.__type.fields.map(f => f.name) ?? [];
    expect(Object.keys(MATRIX).sort()).toEqual(fields.sort());
  });

  for (const [name, entry] of Object.entries(MATRIX)) {
    it(`${name}: ${ALLOWED[entry.scope].join(', ')} only`, async () => {
      // Forbidden callers first, so the allowed calls cannot mask a write by a forbidden one.
      const order = [...CALLERS].sort(
        (a, b) => Number(ALLOWED[entry.scope].includes(a)) - Number(ALLOWED[entry.scope].includes(b)),
      );
      for (const caller of order) {
        const { query, variables } = entry.call();
        const before = await auditCount();
        const res = await api.gql<Record<string, { __typename: string; code?: string } | null>>(
          query,
          variables,
          tokens[caller],
        );
        const result = res.body.data?.[name];
        if (ALLOWED[entry.scope].includes(caller)) {
          expect(res.body.errors, `${name} as ${caller}: ${JSON.stringify(res.body.errors)}`).toBeUndefined();
          expect(result?.__typename, `${name} as ${caller}`).not.toBe('ForbiddenError');
        } else {
          // A role without the scope is refused before the resolver runs, an account manager off
          // the account's team by it: both a typed ForbiddenError in the mutation's place.
          expect(res.body.errors, `${name} as ${caller}`).toBeUndefined();
          expect(result?.__typename, `${name} as ${caller}: ${JSON.stringify(res.body)}`).toBe(
            'ForbiddenError',
          );
          expect(await auditCount(), `${name} as ${caller} wrote something`).toBe(before);
        }
      }
    });
  }
});

describe('a refused mutation beside allowed ones in one document', () => {
  it('is a typed ForbiddenError in its own place: the mutations before it still report what they wrote', async () => {
    const read = async () =>
      (
        await api.gql<{ node: { version: number; industry: string | null } }>(
          'query($id: ID!) { node(id: $id) { ... on Account { version industry } } }',
          { id: ids.account },
          tokens.ADMIN,
        )
      ).body.data!.node;
    const before = await read();
    const res = await api.gql<
      Record<string, { __typename: string; code?: string; message?: string; data?: { version: number } }>
    >(
      `mutation($edit: UpdateAccountInput!, $designate: DesignateKeyAccountInput!) {
        a: updateAccount(input: $edit) { __typename ... on UpdateAccountSuccess { data { version } } }
        b: designateKeyAccount(input: $designate) { __typename ... on Error { code message } }
      }`,
      {
        edit: { id: ids.account, expectedVersion: before.version, industry: 'Written before the refusal' },
        designate: { accountId: ids.account },
      },
      tokens.ACCOUNT_MANAGER,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.a).toEqual({
      __typename: 'UpdateAccountSuccess',
      data: { version: before.version + 1 },
    });
    expect(res.body.data?.b).toEqual({
      __typename: 'ForbiddenError',
      code: 'FORBIDDEN',
      message:
        'Your role ACCOUNT_MANAGER may not use Mutation.designateKeyAccount. Ask an administrator for a token with the right role.',
    });
    expect(await read()).toEqual({ version: before.version + 1, industry: 'Written before the refusal' });
  });
});

describe('an account manager moving an account in the hierarchy', () => {
  // Putting an account under a group adds it to that group's roll-up: the group's team decides.
  const account = (externalRef: string) =>
    ok<{ id: string }>(
      api,
      tokens.ADMIN,
      'createAccount',
      'CreateAccountInput',
      { externalRef, name: externalRef },
      'id',
    );
  const onTeam = (accountId: string) =>
    ok(api, tokens.ADMIN, 'addTeamMember', 'AddTeamMemberInput', {
      accountId,
      personId: ids.managerPerson,
      role: 'SUPPORT',
    });
  const readParent = async (id: string) => {
    const res = await api.gql<{ node: { version: number; parent: { externalRef: string } | null } }>(
      'query($id: ID!) { node(id: $id) { ... on Account { version parent { externalRef } } } }',
      { id },
      tokens.ADMIN,
    );
    return res.body.data?.node;
  };

  it('refuses to put an account under a group whose team the manager is not on, and writes nothing', async () => {
    const child = (await account('H-CHILD')).id;
    const ownGroup = (await account('H-OWN-GROUP')).id;
    const otherGroup = (await account('H-OTHER-GROUP')).id;
    await onTeam(child);
    await onTeam(ownGroup);
    const before = await auditCount();
    const refused = await mutate(api, tokens.ACCOUNT_MANAGER, 'updateAccount', 'UpdateAccountInput', {
      id: child,
      expectedVersion: 1,
      parentId: otherGroup,
      industry: 'Moved',
    });
    expect(refused).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(refused.message).toBe(
      'You are not on the team of H-OTHER-GROUP (H-OTHER-GROUP); putting H-CHILD under it would add H-CHILD to its group roll-up, so account managers move accounts only under accounts whose team they are on. Ask its key account manager or an administrator to add you, or an administrator to make the move.',
    );
    expect(await auditCount()).toBe(before);
    expect(await readParent(child)).toEqual({ version: 1, parent: null });

    // Under a group whose team they are on, it moves.
    await ok(api, tokens.ACCOUNT_MANAGER, 'updateAccount', 'UpdateAccountInput', {
      id: child,
      expectedVersion: 1,
      parentId: ownGroup,
    });
    expect(await readParent(child)).toEqual({ version: 2, parent: { externalRef: 'H-OWN-GROUP' } });
  });

  it('lets the manager edit an account that stays under a group whose team they are not on', async () => {
    // Sending the parent it already has (a form that sends the whole account) moves nothing.
    const group = (await account('H-GROUP')).id;
    const local = (await account('H-LOCAL')).id;
    await onTeam(local);
    await ok(api, tokens.ADMIN, 'updateAccount', 'UpdateAccountInput', {
      id: local,
      expectedVersion: 1,
      parentId: group,
    });
    await ok(api, tokens.ACCOUNT_MANAGER, 'updateAccount', 'UpdateAccountInput', {
      id: local,
      expectedVersion: 2,
      parentId: group,
      industry: 'Food',
    });
    expect(await readParent(local)).toEqual({ version: 3, parent: { externalRef: 'H-GROUP' } });
  });

  it('refuses to take an account out of a group whose team the manager is not on, and writes nothing', async () => {
    // Detaching it (parentId null) or moving it to a group of their own drops it from the roll-up
    // of a group whose team the manager is not on: that group's team decides.
    const group = (await account('H-FOREIGN-GROUP')).id;
    const own = (await account('H-MY-GROUP')).id;
    const child = (await account('H-MEMBER')).id;
    await onTeam(child);
    await onTeam(own);
    await ok(api, tokens.ADMIN, 'updateAccount', 'UpdateAccountInput', {
      id: child,
      expectedVersion: 1,
      parentId: group,
    });
    const before = await auditCount();
    for (const parentId of [null, own]) {
      const refused = await mutate(api, tokens.ACCOUNT_MANAGER, 'updateAccount', 'UpdateAccountInput', {
        id: child,
        expectedVersion: 2,
        parentId,
      });
      expect(refused).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
      expect(refused.message).toBe(
        'You are not on the team of H-FOREIGN-GROUP (H-FOREIGN-GROUP); taking H-MEMBER out of it would remove H-MEMBER from its group roll-up, so account managers move accounts out of a group only when they are on its team. Ask its key account manager or an administrator to add you, or an administrator to make the move.',
      );
    }
    expect(await auditCount()).toBe(before);
    expect(await readParent(child)).toEqual({ version: 2, parent: { externalRef: 'H-FOREIGN-GROUP' } });

    // Once on the group's team, the manager may take it out.
    await onTeam(group);
    await ok(api, tokens.ACCOUNT_MANAGER, 'updateAccount', 'UpdateAccountInput', {
      id: child,
      expectedVersion: 2,
      parentId: null,
    });
    expect(await readParent(child)).toEqual({ version: 3, parent: null });
  });

  // A group roll-up is the group and all its descendants: a move takes the account out of the
  // roll-up of every group above it, and into that of every group above its new place, up to the
  // nearest group above both (which, with the groups above it, keeps the account).
  const placeUnder = (id: string, parentId: string) =>
    ok(api, tokens.ADMIN, 'updateAccount', 'UpdateAccountInput', { id, expectedVersion: 1, parentId });
  const RULE =
    'so account managers move accounts only when they are on the team of every group whose roll-up the account joins or leaves. Ask its key account manager or an administrator to add you, or an administrator to make the move.';

  it('refuses to take an account out of a group above its parent whose team the manager is not on', async () => {
    // H-TOP → H-MID → H-PARENT → H-LEAF; the manager is on the teams of H-LEAF, H-PARENT and
    // H-MINE. Moving H-LEAF under H-MINE used to pass and drop it from H-TOP's and H-MID's roll-ups.
    const top = (await account('H-TOP')).id;
    const mid = (await account('H-MID')).id;
    const parent = (await account('H-PARENT')).id;
    const leaf = (await account('H-LEAF')).id;
    const mine = (await account('H-MINE')).id;
    await placeUnder(mid, top);
    await placeUnder(parent, mid);
    await placeUnder(leaf, parent);
    for (const id of [leaf, parent, mine]) await onTeam(id);
    const move = (parentId: string | null) =>
      mutate(api, tokens.ACCOUNT_MANAGER, 'updateAccount', 'UpdateAccountInput', {
        id: leaf,
        expectedVersion: 2,
        parentId,
      });
    const refusal = (group: string) =>
      `You are not on the team of ${group} (${group}); taking H-LEAF out of H-PARENT would also remove H-LEAF from the group roll-up of ${group}, above H-PARENT, ${RULE}`;

    let before = await auditCount();
    for (const parentId of [mine, null]) {
      const refused = await move(parentId);
      expect(refused).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
      // The nearest group they are not on is named first.
      expect(refused.message).toBe(refusal('H-MID'));
    }
    expect(await auditCount()).toBe(before);
    await onTeam(mid);
    before = await auditCount();
    expect((await move(mine)).message).toBe(refusal('H-TOP'));
    expect(await auditCount()).toBe(before);
    expect(await readParent(leaf)).toEqual({ version: 2, parent: { externalRef: 'H-PARENT' } });

    // On the team of every group it leaves, the manager may move it.
    await onTeam(top);
    await ok(api, tokens.ACCOUNT_MANAGER, 'updateAccount', 'UpdateAccountInput', {
      id: leaf,
      expectedVersion: 2,
      parentId: mine,
    });
    expect(await readParent(leaf)).toEqual({ version: 3, parent: { externalRef: 'H-MINE' } });
  });

  it('refuses to put an account under a group inside a group whose team the manager is not on', async () => {
    // H-UPPER → H-TARGET; the manager is on the teams of H-ROAMER and H-TARGET, not H-UPPER.
    const upper = (await account('H-UPPER')).id;
    const target = (await account('H-TARGET')).id;
    const roamer = (await account('H-ROAMER')).id;
    await placeUnder(target, upper);
    await onTeam(roamer);
    await onTeam(target);
    const before = await auditCount();
    const refused = await mutate(api, tokens.ACCOUNT_MANAGER, 'updateAccount', 'UpdateAccountInput', {
      id: roamer,
      expectedVersion: 1,
      parentId: target,
    });
    expect(refused).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(refused.message).toBe(
      `You are not on the team of H-UPPER (H-UPPER); putting H-ROAMER under H-TARGET would also add H-ROAMER to the group roll-up of H-UPPER, above H-TARGET, ${RULE}`,
    );
    expect(await auditCount()).toBe(before);
    expect(await readParent(roamer)).toEqual({ version: 1, parent: null });
  });

  it('lets the manager move an account within a group whose team they are not on', async () => {
    // H-HOLDING → H-EAST, H-WEST; H-SHOP under H-EAST. Moving H-SHOP to H-WEST, or up to
    // H-HOLDING itself, leaves H-HOLDING's roll-up as it is: only the teams of H-EAST and H-WEST
    // (and H-SHOP) decide.
    const holding = (await account('H-HOLDING')).id;
    const east = (await account('H-EAST')).id;
    const west = (await account('H-WEST')).id;
    const shop = (await account('H-SHOP')).id;
    await placeUnder(east, holding);
    await placeUnder(west, holding);
    await placeUnder(shop, east);
    for (const id of [shop, east, west]) await onTeam(id);
    await ok(api, tokens.ACCOUNT_MANAGER, 'updateAccount', 'UpdateAccountInput', {
      id: shop,
      expectedVersion: 2,
      parentId: west,
    });
    await ok(api, tokens.ACCOUNT_MANAGER, 'updateAccount', 'UpdateAccountInput', {
      id: shop,
      expectedVersion: 3,
      parentId: holding,
    });
    expect(await readParent(shop)).toEqual({ version: 4, parent: { externalRef: 'H-HOLDING' } });
  });

  it('answers a move under the account’s own descendant with the cycle, not a forbidden move', async () => {
    // H-ANCESTOR → H-DESCENDANT, the manager on H-ANCESTOR's team only: the use case's rule
    // (an account is never its own ancestor) is the answer that helps.
    const ancestor = (await account('H-ANCESTOR')).id;
    const descendant = (await account('H-DESCENDANT')).id;
    await placeUnder(descendant, ancestor);
    await onTeam(ancestor);
    const cycle = await mutate(api, tokens.ACCOUNT_MANAGER, 'updateAccount', 'UpdateAccountInput', {
      id: ancestor,
      expectedVersion: 1,
      parentId: descendant,
    });
    expect(cycle).toMatchObject({ code: 'ACCOUNT_HIERARCHY_CYCLE' });
  });

  it('names a parent that does not exist as NotFoundError, not as a forbidden move', async () => {
    const lone = (await account('H-LONE')).id;
    await onTeam(lone);
    const missing = await mutate(api, tokens.ACCOUNT_MANAGER, 'updateAccount', 'UpdateAccountInput', {
      id: lone,
      expectedVersion: 1,
      parentId: globalId('Account', 99_999),
    });
    expect(missing).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });
});

describe('an account manager naming an account that does not exist', () => {
  it('is told NotFoundError, as an administrator is, not that they are off its team', async () => {
    // Was ForbiddenError "You are not on the team of this account".
    const missing = globalId('Account', 99_999);
    for (const token of [tokens.ACCOUNT_MANAGER, tokens.ADMIN]) {
      const plan = await mutate(api, token, 'createPlan', 'CreatePlanInput', {
        accountId: missing,
        year: 2027,
      });
      expect(plan).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
      const contact = await mutate(api, token, 'createContact', 'CreateContactInput', {
        accountId: missing,
        name: 'Nobody',
        function: 'OTHER',
        influence: 3,
      });
      expect(contact).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    }
  });
});
