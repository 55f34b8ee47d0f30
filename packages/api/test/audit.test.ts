/**
 * The audit trail through HTTP: what single and bulk writes recorded, read back newest first
 * with every filter, page by page; who may read it; and clear errors for bad filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApi } from './harness.ts';
import { everyPage, globalId, ok } from './workflow-client.ts';

let api: ApiHarness;
let admin: { secret: string; personId: number };
let manager: { secret: string; personId: number };
let account: { id: string; version: number };
let renameRequest: string;
let importRequest: string;

interface Entry {
  action: string;
  recordType: string;
  recordId: string | null;
  recordKey: string;
  actor: { id: string; name: string } | null;
  actorLabel: string;
  requestId: string | null;
  occurredAt: string;
  changes: { field: string; before: unknown; after: unknown }[];
}
const FIELDS = `action recordType recordId recordKey actor { id name } actorLabel requestId occurredAt
  changes { field before after }`;

/** Every entry matching the filters (`args` uses $-variables of the given types), a page of `size` at a time. */
async function trail(
  args: string,
  variables: Record<string, unknown> = {},
  types: Record<string, string> = {},
  size = 2,
  secret = admin.secret,
): Promise<Entry[]> {
  const declared = Object.entries(types)
    .map(([name, type]) => `, $${name}: ${type}`)
    .join('');
  return everyPage<Entry>(
    api,
    secret,
    'auditTrail',
    `query($after: String${declared}) { auditTrail(first: ${size}, after: $after${args ? `, ${args}` : ''}) {
       edges { node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
    variables,
  );
}

beforeAll(async () => {
  api = await startApi();
  admin = await api.token('ADMIN');
  manager = await api.token('ACCOUNT_MANAGER');
  account = await ok<{ id: string; version: number }>(
    api,
    admin.secret,
    'createAccount',
    'CreateAccountInput',
    { externalRef: 'AUD-1', name: 'Initech' },
    'id version',
  );
  await ok(api, admin.secret, 'addTeamMember', 'AddTeamMemberInput', {
    accountId: account.id,
    personId: globalId('Person', manager.personId),
    role: 'KEY_ACCOUNT_MANAGER',
  });
  const rename = await api.gql<{ updateAccount: { data?: { version: number } } }>(
    `mutation($input: UpdateAccountInput!) { updateAccount(input: $input) {
       ... on UpdateAccountSuccess { data { version } } } }`,
    { input: { id: account.id, expectedVersion: account.version, name: 'Initech Group' } },
    manager.secret,
  );
  expect(rename.body.data?.updateAccount.data?.version).toBe(account.version + 1);
  renameRequest = rename.headers.get('x-request-id')!;
  const unit = await ok<{ id: string }>(
    api,
    admin.secret,
    'createBusinessUnit',
    'CreateBusinessUnitInput',
    { code: 'NORD', name: 'Nordics', kind: 'GEOGRAPHY' },
    'id',
  );
  expect(unit.id).toBeTruthy();
  const imported = await api.gql<{ importFinancials: { data?: { created: number } } }>(
    `mutation($rows: [FinancialRowInput!]!) { importFinancials(rows: $rows) {
       ... on ImportFinancialsSuccess { data { created } } } }`,
    {
      rows: ['2026-Q1', '2026-Q2'].map(quarter => ({
        accountRef: 'AUD-1',
        quarter,
        businessUnitCode: 'NORD',
        revenue: '1000.00',
        grossProfit: '300.00',
        costToServe: '50.00',
      })),
    },
    admin.secret,
  );
  expect(imported.body.data?.importFinancials.data?.created).toBe(2);
  importRequest = imported.headers.get('x-request-id')!;
});
afterAll(async () => {
  await api.close();
});

describe('the audit trail', () => {
  it('shows a record’s changes newest first: who, when, in which request, each field before and after', async () => {
    const entries = await trail('recordId: $id', { id: account.id }, { id: 'ID' });
    expect(entries.map(e => e.action)).toEqual(['UPDATE', 'CREATE']);
    const [update, create] = entries as [Entry, Entry];
    expect(update).toMatchObject({
      recordType: 'Account',
      recordId: account.id,
      actor: { id: globalId('Person', manager.personId) },
      requestId: renameRequest,
      changes: [{ field: 'name', before: 'Initech', after: 'Initech Group' }],
    });
    expect(update.actorLabel).toContain('ACCOUNT_MANAGER person');
    expect(create.actor?.id).toBe(globalId('Person', admin.personId));
    expect(create.changes).toContainEqual({ field: 'externalRef', before: null, after: 'AUD-1' });
    expect(Date.parse(update.occurredAt)).toBeGreaterThanOrEqual(Date.parse(create.occurredAt));
  });

  it('includes the rows of bulk writes, and filters by kind, request, person, action and time', async () => {
    const lines = await trail('recordType: "QuarterlyFinancial"');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      // Not served as a node: no global id, but its own key.
      expect(line).toMatchObject({ action: 'CREATE', recordId: null, requestId: importRequest });
      expect(Number(line.recordKey)).toBeGreaterThan(0);
      expect(line.changes).toContainEqual({ field: 'revenue', before: null, after: '1000.00' });
    }
    expect((await trail('requestId: $r', { r: importRequest }, { r: 'String' })).length).toBe(2);
    const byManager = await trail('actorId: $p', { p: globalId('Person', manager.personId) }, { p: 'ID' });
    expect(byManager.map(e => `${e.action} ${e.recordType}`)).toEqual(['UPDATE Account']);
    const all = await trail('', {}, {}, 100);
    const updates = await trail('action: UPDATE');
    expect(updates.length).toBe(all.filter(e => e.action === 'UPDATE').length);
    expect(updates.length).toBeGreaterThan(0);
    // Paging a record at a time gives the same entries as one page.
    expect(await trail('', {}, {}, 1)).toEqual(all);
    const newest = all[0]!.occurredAt;
    const since = await trail('since: $t', { t: newest }, { t: 'DateTime' }, 100);
    expect(since.length).toBeGreaterThan(0);
    expect(since.every(e => e.occurredAt >= newest)).toBe(true);
    const until = await trail('until: $t', { t: newest }, { t: 'DateTime' }, 100);
    expect(since.length + until.length).toBe(all.length);
  });

  it('is read by ADMIN and EXECUTIVE only', async () => {
    const executive = await api.token('EXECUTIVE');
    expect((await trail('', {}, {}, 100, executive.secret)).length).toBeGreaterThan(0);
    for (const role of ['ACCOUNT_MANAGER', 'INTEGRATION'] as const) {
      const { secret } = await api.token(role);
      const res = await api.gql('{ auditTrail(first: 5) { totalCount } }', {}, secret);
      expect(res.body.errors?.[0]?.message).toBe(
        `Your role ${role} may not use Query.auditTrail. Ask an administrator for a token with the right role.`,
      );
      expect(res.body.data?.auditTrail ?? null).toBeNull();
    }
  });

  it('is not read through node(id:) or nodes(ids:) by a role that may not read the trail', async () => {
    // An entry is a Relay node: its global id reads it without going through auditTrail.
    const latest = await api.gql<{ auditTrail: { edges: { node: { id: string; actorLabel: string } }[] } }>(
      'query($id: ID) { auditTrail(first: 1, recordId: $id) { edges { node { id actorLabel } } } }',
      { id: account.id },
      admin.secret,
    );
    const entry = latest.body.data?.auditTrail.edges[0]?.node;
    expect(entry?.actorLabel).toContain('ACCOUNT_MANAGER person');
    const query = `query($id: ID!, $ids: [ID!]!) {
      node(id: $id) { ... on AuditEntry { actorLabel changes { field before after } } }
      nodes(ids: $ids) { ... on AuditEntry { actorLabel requestId } } }`;
    for (const role of ['ACCOUNT_MANAGER', 'INTEGRATION'] as const) {
      const { secret } = await api.token(role);
      const res = await api.gql(query, { id: entry?.id, ids: [entry?.id] }, secret);
      expect(res.body.data, role).toEqual({ node: null, nodes: [null] });
      expect(res.body.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
      expect(res.body.errors?.[0]?.message, role).toMatch(
        new RegExp(`^Your role ${role} may not read AuditEntry records\\. Ask an administrator`),
      );
      // Not even whether an entry exists: __typename alone (which no field resolver guards)
      // answered AuditEntry for an entry and null for an unknown id.
      const exists = await api.gql(
        'query($a: ID!, $b: ID!) { a: node(id: $a) { __typename } b: node(id: $b) { __typename } }',
        { a: entry?.id, b: Buffer.from('AuditEntry:999999').toString('base64') },
        secret,
      );
      expect(exists.body.data, role).toEqual({ a: null, b: null });
      expect(
        exists.body.errors?.map(e => e.extensions?.code),
        role,
      ).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    }
    // Those who may read the trail still read an entry by its id.
    const executive = await api.token('EXECUTIVE');
    const read = await api.gql<{ node: { actorLabel: string } | null }>(
      query,
      { id: entry?.id, ids: [entry?.id] },
      executive.secret,
    );
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data?.node?.actorLabel).toBe(entry?.actorLabel);
  });

  it('says what is wrong with a filter', async () => {
    const ask = async (args: string, variables: Record<string, unknown> = {}, declared = '') =>
      (
        await api.gql(
          `query${declared} { auditTrail(first: 5, ${args}) { totalCount } }`,
          variables,
          admin.secret,
        )
      ).body.errors?.[0];
    const unknown = await ask('recordType: "Acount"');
    expect(unknown?.message).toMatch(
      /^No kind of record is called Acount\. Kinds: .*\bAccount, AccountPlan\b/,
    );
    expect(unknown?.message).not.toContain('AuditEntry');
    expect(unknown?.message).toContain('QuarterSnapshot');
    expect(unknown?.extensions).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await ask('recordType: "account_plan"'))?.message).toBe(
      'No kind of record is called account_plan; did you mean AccountPlan?',
    );
    expect((await ask('recordId: "nonsense"'))?.extensions).toMatchObject({ code: 'INVALID_ID' });
    expect(
      (await ask('recordId: $id, recordType: "AccountPlan"', { id: account.id }, '($id: ID)'))?.message,
    ).toBe('recordId is an Account but recordType asks for AccountPlan; give one of them.');
    expect((await ask('since: "2026-12-01T00:00:00Z", until: "2026-11-01T00:00:00Z"'))?.message).toBe(
      'since (2026-12-01T00:00:00.000Z) is not before until (2026-11-01T00:00:00.000Z); swap them.',
    );
    // Equal bounds are not the wrong way round: swapping them would change nothing.
    const empty = await ask('since: "2026-12-07", until: "2026-12-07"');
    expect(empty?.message).toBe(
      'since and until are both 2026-12-07T00:00:00.000Z: the range is empty, as until is exclusive; give until a later time.',
    );
    expect(empty?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: ['until'] }],
    });
    expect((await ask('actorId: $id', { id: account.id }, '($id: ID)'))?.extensions).toMatchObject({
      code: 'INVALID_ID',
    });
    // An empty recordType or requestId (a script's unset variable) read the whole trail.
    const noKind = await ask('recordType: ""');
    expect(noKind?.message).toMatch(
      /^recordType is empty: give a kind of record \(Kinds: .*\bAccount, AccountPlan\b.*\), or leave recordType out for every kind\.$/,
    );
    expect(noKind?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: ['recordType'] }],
    });
    const noRequest = await ask('requestId: ""');
    expect(noRequest?.message).toBe(
      'requestId is empty: give the request id of a call (its x-request-id), or leave requestId out for every request.',
    );
    expect(noRequest?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      fieldErrors: [{ path: ['requestId'] }],
    });
  });

  it('takes since and until as ISO 8601 instants only, never as a guess', async () => {
    const since = async (t: string) =>
      (
        await api.gql<{ auditTrail: { totalCount: number } }>(
          'query($t: DateTime) { auditTrail(first: 5, since: $t) { totalCount } }',
          { t },
          admin.secret,
        )
      ).body;
    // V8's Date parser read these as 2 March, 12 June or 6 December in the server's time zone,
    // 1 January 2001 and the server's local time: a filter silently off by days or hours.
    const refused: [string, RegExp][] = [
      ['2026-02-30T00:00:00Z', /2026-02 has 28 days/],
      ['06/12/2026', /ISO 8601/],
      ['1', /ISO 8601/],
      ['Dec 1 2026', /ISO 8601/],
      ['2026-11-23T10:00:00', /time zone/],
    ];
    for (const [value, why] of refused) {
      const body = await since(value);
      expect(body.errors?.[0]?.message, value).toMatch(why);
      expect(body.errors?.[0]?.message, value).toContain(JSON.stringify(value));
      expect(body.data, value).toBeUndefined();
    }
    // Instants with Z or an offset, fractions of a second, and a date alone (midnight UTC).
    for (const value of ['2026-01-01T00:00:00Z', '2026-01-01T01:30:00.250+01:30', '2026-01-01']) {
      const body = await since(value);
      expect(body.errors, value).toBeUndefined();
      expect(body.data?.auditTrail.totalCount, value).toBeGreaterThan(0);
    }
  });
});
