/**
 * API tokens managed through the API by an administrator: created with their secret shown
 * once, listed without it, revoked with immediate effect; bad input gets typed errors and
 * writes nothing; other roles are refused.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiToken, AuditEntry, openOrm } from '@kam/domain';
import { testDialect } from '@kam/domain/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOn } from './cli.ts';
import { type ApiHarness, startApi } from './harness.ts';
import { globalId, mutate, ok } from './workflow-client.ts';

let api: ApiHarness;
let admin: string;
let adminPersonId: number;
let personId: string;

const TOKEN_FIELDS = 'id name role prefix person { id name } expiresAt revokedAt lastUsedAt active';

interface TokenView {
  id: string;
  name: string;
  role: string;
  prefix: string;
  person: { id: string; name: string };
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  active: boolean;
}

beforeAll(async () => {
  api = await startApi();
  ({ secret: admin, personId: adminPersonId } = await api.token('ADMIN'));
  personId = (
    await ok<{ id: string }>(
      api,
      admin,
      'createPerson',
      'CreatePersonInput',
      { name: 'Erin Integration', email: 'erin@example.test' },
      'id',
    )
  ).id;
});
afterAll(async () => {
  await api.close();
});

async function listTokens(includeRevoked = false, secret = admin) {
  return api.gql<{ apiTokens: TokenView[] }>(
    `query($all: Boolean!) { apiTokens(includeRevoked: $all) { ${TOKEN_FIELDS} } }`,
    { all: includeRevoked },
    secret,
  );
}

const auditCount = () => api.db.em().count(AuditEntry, {});

describe('API tokens through the API (ADMIN)', () => {
  it('creates a token whose secret works at once, is listed without it, and is revoked for good', async () => {
    const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    const created = await ok<{ secret: string; token: TokenView }>(
      api,
      admin,
      'createApiToken',
      'CreateApiTokenInput',
      { personId, role: 'EXECUTIVE', name: 'Board dashboard', expiresAt },
      `secret token { ${TOKEN_FIELDS} }`,
    );
    expect(created.secret).toMatch(/^kam_[A-Za-z0-9_-]{43}$/);
    expect(created.token).toMatchObject({
      name: 'Board dashboard',
      role: 'EXECUTIVE',
      person: { id: personId, name: 'Erin Integration' },
      prefix: created.secret.slice(0, 12),
      expiresAt,
      revokedAt: null,
      lastUsedAt: null,
      active: true,
    });

    // The secret works, with the role it was given: reads yes, writes no.
    const read = await api.gql<{ businessUnits: unknown[] }>(
      '{ businessUnits { code } }',
      {},
      created.secret,
    );
    expect(read.status).toBe(200);
    expect(read.body.errors).toBeUndefined();
    const write = await api.gql(
      'mutation { createBusinessUnit(input: { code: "NO", name: "No", kind: GEOGRAPHY }) { __typename } }',
      {},
      created.secret,
    );
    expect(write.body.data).toEqual({ createBusinessUnit: { __typename: 'ForbiddenError' } });

    // Listed, used, and never with its secret or hash (the type has no such field).
    const listed = (await listTokens()).body.data?.apiTokens.find(t => t.id === created.token.id);
    expect(listed).toMatchObject({ name: 'Board dashboard', active: true });
    expect(listed?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify((await listTokens()).body)).not.toContain(created.secret);

    // The creation is audited under the administrator, without the hash.
    const audit = await api.db
      .em()
      .findOne(AuditEntry, { entityType: 'ApiToken', action: 'CREATE' }, { orderBy: { id: 'desc' } });
    expect(audit?.actorPersonId).toBe(adminPersonId);
    expect(JSON.stringify(audit?.changes)).not.toMatch(/tokenHash|[0-9a-f]{64}/);

    // Revoked: refused from the next request on; off the default list; revoking again is a no-op.
    const revoke = `mutation($id: ID!) { revokeApiToken(id: $id) {
      __typename ... on RevokeApiTokenSuccess { data { ${TOKEN_FIELDS} } } ... on Error { code }
    } }`;
    const revoked = await api.gql<{ revokeApiToken: { __typename: string; data: TokenView } }>(
      revoke,
      { id: created.token.id },
      admin,
    );
    expect(revoked.body.data?.revokeApiToken.data).toMatchObject({ active: false });
    const revokedAt = revoked.body.data?.revokeApiToken.data.revokedAt;
    expect(revokedAt).not.toBeNull();
    const refused = await api.gql('{ businessUnits { code } }', {}, created.secret);
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.message).toMatch(/revoked/);
    expect((await listTokens()).body.data?.apiTokens.map(t => t.id)).not.toContain(created.token.id);
    expect((await listTokens(true)).body.data?.apiTokens.map(t => t.id)).toContain(created.token.id);
    const again = await api.gql<{ revokeApiToken: { data: TokenView } }>(
      revoke,
      { id: created.token.id },
      admin,
    );
    expect(again.body.data?.revokeApiToken.data.revokedAt).toBe(revokedAt);
  });

  it('refuses bad input with typed errors and writes nothing', async () => {
    const before = await auditCount();
    const create = (input: Record<string, unknown>) =>
      mutate(api, admin, 'createApiToken', 'CreateApiTokenInput', {
        personId,
        role: 'INTEGRATION',
        name: 'ERP',
        ...input,
      });
    const past = await create({ expiresAt: '2020-01-01T00:00:00Z' });
    expect(past).toMatchObject({
      __typename: 'ValidationError',
      code: 'EXPIRY_NOT_IN_FUTURE',
      message:
        'expiresAt (2020-01-01T00:00:00.000Z) is not in the future: the token would never work. Give a later instant, or leave expiresAt out for a token that does not expire.',
      fieldErrors: [{ path: ['expiresAt'], code: 'EXPIRY_NOT_IN_FUTURE' }],
    });
    // Before: "Invalid token: name: Too small: expected string to have >=1 characters." (zod's words).
    const blank = await create({ name: '   ' });
    expect(blank).toMatchObject({
      __typename: 'ValidationError',
      message: 'Invalid API token: name: must not be empty.',
      fieldErrors: [{ path: ['name'], code: 'TOO_SMALL' }],
    });
    const long = await create({ name: 'x'.repeat(121) });
    expect(long).toMatchObject({
      __typename: 'ValidationError',
      message: 'Invalid API token: name: must be at most 120 characters.',
      fieldErrors: [{ path: ['name'], code: 'TOO_BIG' }],
    });
    const notAPerson = await create({ personId: globalId('BusinessUnit', 1) });
    expect(notAPerson).toMatchObject({
      __typename: 'ValidationError',
      code: 'INVALID_ID',
      fieldErrors: [{ path: ['personId'] }],
    });
    const nobody = await create({ personId: globalId('Person', 999_999) });
    expect(nobody.__typename).toBe('NotFoundError');
    expect(nobody.message).toMatch(/Person/);
    const unknownToken = await api.gql<{ revokeApiToken: { __typename: string; message: string } }>(
      'mutation($id: ID!) { revokeApiToken(id: $id) { __typename ... on Error { message } } }',
      { id: globalId('ApiToken', 999_999) },
      admin,
    );
    expect(unknownToken.body.data?.revokeApiToken.__typename).toBe('NotFoundError');
    // Named by the global id the client sent, though `node(id:)` does not serve tokens: the
    // database's number (999999) is not an id the client ever saw.
    expect(unknownToken.body.data?.revokeApiToken.message).toBe(
      `API token ${globalId('ApiToken', 999_999)} does not exist.`,
    );
    expect(await auditCount()).toBe(before);
  });

  it('stops the tokens of a person who is no longer active, and makes none for them', async () => {
    const leaver = await ok<{ id: string; version: number }>(
      api,
      admin,
      'createPerson',
      'CreatePersonInput',
      { name: 'Lee Leaver', email: 'lee@example.test' },
      'id version',
    );
    const made = await ok<{ secret: string; token: TokenView }>(
      api,
      admin,
      'createApiToken',
      'CreateApiTokenInput',
      { personId: leaver.id, role: 'EXECUTIVE', name: 'Lee laptop' },
      `secret token { ${TOKEN_FIELDS} }`,
    );
    const read = () => api.gql('{ businessUnits { code } }', {}, made.secret);
    expect((await read()).status).toBe(200);
    const setActive = async (active: boolean, expectedVersion: number) =>
      ok<{ version: number }>(
        api,
        admin,
        'updatePerson',
        'UpdatePersonInput',
        { id: leaver.id, expectedVersion, active },
        'version',
      );
    const left = await setActive(false, leaver.version);
    const refused = await read();
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.message).toBe(
      'The bearer token belongs to a person who is no longer active. Ask an administrator for a token of your own.',
    );
    const listed = (await listTokens()).body.data?.apiTokens.find(t => t.id === made.token.id);
    expect(listed).toMatchObject({ active: false, revokedAt: null, person: { name: 'Lee Leaver' } });
    const before = await auditCount();
    const another = await mutate(api, admin, 'createApiToken', 'CreateApiTokenInput', {
      personId: leaver.id,
      role: 'EXECUTIVE',
      name: 'Lee phone',
    });
    expect(another).toMatchObject({ code: 'PERSON_INACTIVE' });
    expect(another.message).toBe(
      'Lee Leaver is no longer active; a token acts for someone who works with us. Make them active again (updatePerson) or make the token for another person.',
    );
    expect(await auditCount()).toBe(before);
    // Back with us: the token works again (it was never revoked).
    await setActive(true, left.version);
    expect((await read()).status).toBe(200);
  });

  it('lets no other role list tokens', async () => {
    for (const role of ['ACCOUNT_MANAGER', 'EXECUTIVE', 'INTEGRATION'] as const) {
      const { secret } = await api.token(role);
      const res = await listTokens(false, secret);
      expect(res.body.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
      expect(res.body.data?.apiTokens, role).toBeUndefined();
    }
  });
});

// The command line on its own SQLite file: once is enough (not again in the PostgreSQL project).
describe.runIf(testDialect() === 'sqlite')('kam token create on the command line', () => {
  it('takes --expires as an ISO 8601 date or instant only, and says how to write it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kam-token-'));
    const database = path.join(dir, 'kam.sqlite');
    const cli = cliOn(database);
    const { kam, out, errors } = cli;
    const create = (expires: string) =>
      kam('token', 'create', '--role', 'EXECUTIVE', '--person', 'cli@example.test', '--expires', expires);
    try {
      expect(await kam('migrate')).toBe(0);
      expect(await kam('person', 'add', '--name', 'Cli Person', '--email', 'cli@example.test')).toBe(0);
      // Before: "Invalid token: expiresAt: Invalid input: expected date, received Date.", and
      // 2027-02-30 became 2 March, 12/31/2027 a local date, without a word.
      for (const expires of ['31/12/2027', '2027-02-30', '12/31/2027', 'tomorrow']) {
        errors.length = 0;
        expect(await create(expires), expires).toBe(1);
        expect(errors, expires).toEqual([
          expect.stringMatching(
            new RegExp(`^kam: --expires (must|.*days).*; got ${expires.replace(/[/]/g, '\\/')}\\.$`),
          ),
        ]);
      }
      expect(errors[0]).toBe(
        'kam: --expires must be an ISO 8601 instant such as 2026-11-23T10:00:00Z; got tomorrow.',
      );
      // A date already past is named as the option, as the malformed ones are (not as expiresAt).
      errors.length = 0;
      expect(await create('2020-01-01')).toBe(1);
      expect(errors).toEqual([
        'kam: --expires must be in the future (an expired token would never work); got 2020-01-01.',
      ]);
      expect(await create('2099-12-31')).toBe(0);
      const orm = await openOrm({ url: database });
      try {
        const tokens = await orm.em.fork().find(ApiToken, {});
        expect(tokens.map(t => t.expiresAt?.toISOString())).toEqual(['2099-12-31T00:00:00.000Z']);
      } finally {
        await orm.close(true);
      }
    } finally {
      cli.restore();
    }
    expect(out.some(line => line.startsWith('kam_'))).toBe(true);
  });
});
