import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiToken } from '../access/api-token.entity.ts';
import { createApiToken, revokeApiToken } from '../access/token.service.ts';
import { Account } from '../accounts/account.entity.ts';
import { createAccount, recordFinancials, updateAccount } from '../accounts/account.service.ts';
import { QuarterlyFinancial } from '../accounts/financial.entity.ts';
import { upsertAccounts } from '../bulk/accounts.bulk.ts';
import { applyChanges, classify, loadStored, type TableSpec } from '../bulk/bulk-engine.ts';
import { importFinancials } from '../bulk/financials.bulk.ts';
import type { Actor } from '../common/actor.ts';
import { writeAs } from '../common/unit-of-work.ts';
import {
  createOpportunity,
  qualifyOpportunity,
  updateOpportunity,
} from '../opportunities/opportunity.service.ts';
import { DEFAULT_SETTINGS } from '../settings/settings.schemas.ts';
import { getSettingsRow, updateSettings } from '../settings/settings.service.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  makeBusinessUnit,
  makePerson,
  type TestDatabase,
  tableCounts,
  testActor,
} from '../testing/index.ts';
import { auditedRecordKinds } from './audit.subscriber.ts';
import { AuditEntry } from './audit-entry.entity.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const noActor = undefined as unknown as Actor;

async function trailOf(entityType: string, id: number | string): Promise<AuditEntry[]> {
  return db.em().find(AuditEntry, { entityType, entityId: String(id) }, { orderBy: { id: 'asc' } });
}

describe('the audit trail records who, when, what, before and after', () => {
  it('records a create with the actor, the request, the time and every field after', async () => {
    const person = await makePerson(db.em(), { name: 'Ada Auditor' });
    const actor: Actor = { personId: person.id, label: 'Ada Auditor', requestId: 'req-create-1' };
    const before = Date.now();
    const account = await createAccount(
      db.em(),
      { externalRef: 'AUD-1', name: 'Audited Ltd', country: 'DE' },
      actor,
    );
    const after = Date.now();
    const trail = await trailOf('Account', account.id);
    expect(trail).toHaveLength(1);
    const [entry] = trail;
    expect(entry?.action).toBe('CREATE');
    expect(entry?.actorPersonId).toBe(person.id);
    expect(entry?.actorLabel).toBe('Ada Auditor');
    expect(entry?.requestId).toBe('req-create-1');
    // Database timestamps may be truncated to the second on SQLite: allow one second either side.
    const at = entry?.occurredAt.getTime() ?? 0;
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(after + 1000);
    expect(entry?.changes.externalRef).toEqual({ before: null, after: 'AUD-1' });
    expect(entry?.changes.name).toEqual({ before: null, after: 'Audited Ltd' });
    expect(entry?.changes.country).toEqual({ before: null, after: 'DE' });
    // Bookkeeping fields say nothing about the change and are left out.
    expect(entry?.changes).not.toHaveProperty('version');
    expect(entry?.changes).not.toHaveProperty('updatedAt');
  });

  it('records an update with only the changed fields, before and after', async () => {
    const parent = await makeAccount(db.em(), { externalRef: 'AUD-P' });
    const account = await makeAccount(db.em(), { externalRef: 'AUD-2', name: 'Old name' });
    await updateAccount(
      db.em(),
      { id: account.id, expectedVersion: 1, name: 'New name', parentId: parent.id, country: null },
      { ...testActor, label: 'editor', requestId: 'req-upd-1' },
    );
    const trail = await trailOf('Account', account.id);
    expect(trail.map(t => t.action)).toEqual(['CREATE', 'UPDATE']);
    // country stayed null: not a change, so not recorded.
    expect(trail[1]?.changes).toEqual({
      name: { before: 'Old name', after: 'New name' },
      parent: { before: null, after: parent.id },
    });
    expect(trail[1]?.actorLabel).toBe('editor');
    expect(trail[1]?.requestId).toBe('req-upd-1');
  });

  it('writes no audit record for an update that changes nothing but bookkeeping', async () => {
    const account = await makeAccount(db.em(), { name: 'Same' });
    await updateAccount(db.em(), { id: account.id, expectedVersion: 1, name: 'Same' }, testActor);
    expect((await trailOf('Account', account.id)).map(t => t.action)).toEqual(['CREATE']);
  });

  it('rolls the audit record back with the change it describes', async () => {
    const before = await tableCounts(db.em(), ['account', 'audit_entry']);
    await expect(
      writeAs(db.em(), testActor, async tx => {
        tx.create(Account, { externalRef: 'AUD-ROLLBACK', name: 'Never stored' });
        await tx.flush();
        throw new Error('the use case fails after its flush');
      }),
    ).rejects.toThrow('the use case fails after its flush');
    expect(await tableCounts(db.em(), ['account', 'audit_entry'])).toEqual(before);
  });
});

describe('the audit trail is append-only', () => {
  it('the database refuses an UPDATE of an audit entry', async () => {
    const account = await makeAccount(db.em(), { name: 'Trail target' });
    const [entry] = await trailOf('Account', account.id);
    await expect(
      db
        .em()
        .getConnection()
        .execute('update audit_entry set actor_label = ? where id = ?', ['forged', entry?.id]),
    ).rejects.toThrow(/append-only/);
    const reread = await db.em().findOneOrFail(AuditEntry, entry?.id ?? 0);
    expect(reread.actorLabel).toBe('test');
  });

  it('the database refuses a DELETE of audit entries', async () => {
    await makeAccount(db.em());
    const before = await tableCounts(db.em(), ['audit_entry']);
    expect(before.audit_entry).toBeGreaterThan(0);
    await expect(db.em().getConnection().execute('delete from audit_entry')).rejects.toThrow(/append-only/);
    expect(await tableCounts(db.em(), ['audit_entry'])).toEqual(before);
  });

  it('an ORM change of an audit entry is refused too', async () => {
    const account = await makeAccount(db.em());
    const [entry] = await trailOf('Account', account.id);
    await expect(
      writeAs(db.em(), testActor, async tx => {
        const loaded = await tx.findOneOrFail(AuditEntry, entry?.id ?? 0);
        loaded.actorLabel = 'forged';
      }),
    ).rejects.toThrow(/append-only/);
    expect((await db.em().findOneOrFail(AuditEntry, entry?.id ?? 0)).actorLabel).toBe('test');
  });
});

describe('every write is attributed', () => {
  it('a flush outside a use case fails with UNATTRIBUTED_WRITE and writes nothing', async () => {
    const em = db.em();
    const error = await expectRejected(
      em,
      'UNATTRIBUTED_WRITE',
      async () => {
        const raw = db.em();
        raw.create(Account, { externalRef: 'AUD-RAW', name: 'No actor' });
        await raw.flush();
      },
      ['account'],
    );
    expect(error.category).toBe('RULE');
    expect(await db.em().count(Account, { externalRef: 'AUD-RAW' })).toBe(0);
  });

  it('a use case called without an actor fails with UNATTRIBUTED_WRITE', async () => {
    await expectRejected(
      db.em(),
      'UNATTRIBUTED_WRITE',
      () => createAccount(db.em(), { externalRef: 'AUD-NOACTOR', name: 'No actor' }, noActor),
      ['account'],
    );
    await expectRejected(
      db.em(),
      'UNATTRIBUTED_WRITE',
      () =>
        createAccount(
          db.em(),
          { externalRef: 'AUD-BLANK', name: 'Blank actor' },
          { personId: null, label: '  ' },
        ),
      ['account'],
    );
  });

  it('a bulk path called without an actor fails with UNATTRIBUTED_WRITE', async () => {
    await expectRejected(
      db.em(),
      'UNATTRIBUTED_WRITE',
      () => upsertAccounts(db.em(), [{ externalRef: 'AUD-BULK-NA', name: 'x' }], { mode: 'ATOMIC' }, noActor),
      ['account'],
    );
  });
});

describe('bulk paths leave one audit record per changed row', () => {
  it('upsertAccounts: a CREATE per new row, an UPDATE per changed row, nothing for an unchanged one', async () => {
    const actor: Actor = { personId: null, label: 'crm-sync', requestId: 'bulk-1' };
    const first = await upsertAccounts(
      db.em(),
      [
        { externalRef: 'BA-1', name: 'Bulk one' },
        { externalRef: 'BA-2', name: 'Bulk two' },
        { externalRef: 'BA-3', name: 'Bulk three', parentRef: 'BA-1' },
      ],
      { mode: 'ATOMIC' },
      actor,
    );
    expect(first).toMatchObject({ created: 3, updated: 0, unchanged: 0, rejected: 0 });
    const accounts = await db
      .em()
      .find(Account, { externalRef: { $in: ['BA-1', 'BA-2', 'BA-3'] } }, { orderBy: { externalRef: 'asc' } });
    const creates = await db.em().find(AuditEntry, {
      entityType: 'Account',
      entityId: { $in: accounts.map(a => String(a.id)) },
    });
    expect(creates).toHaveLength(3);
    expect(creates.every(c => c.action === 'CREATE' && c.actorLabel === 'crm-sync')).toBe(true);
    expect(creates.every(c => c.requestId === 'bulk-1')).toBe(true);
    const ba3 = creates.find(c => c.entityId === String(accounts[2]?.id));
    expect(ba3?.changes.parent).toEqual({ before: null, after: accounts[0]?.id });

    const before = await tableCounts(db.em(), ['audit_entry']);
    const second = await upsertAccounts(
      db.em(),
      [
        { externalRef: 'BA-1', name: 'Bulk one' },
        { externalRef: 'BA-2', name: 'Bulk two renamed' },
        { externalRef: 'BA-3', name: 'Bulk three', parentRef: 'BA-1' },
        { externalRef: 'BA-4', name: 'Bulk four' },
      ],
      { mode: 'ATOMIC' },
      actor,
    );
    expect(second).toMatchObject({ created: 1, updated: 1, unchanged: 2 });
    const after = await tableCounts(db.em(), ['audit_entry']);
    expect((after.audit_entry ?? 0) - (before.audit_entry ?? 0)).toBe(2);
    const ba2 = await trailOf('Account', accounts[1]?.id ?? 0);
    expect(ba2.map(t => t.action)).toEqual(['CREATE', 'UPDATE']);
    expect(ba2[1]?.changes).toEqual({ name: { before: 'Bulk two', after: 'Bulk two renamed' } });
    const stored = await db.em().findOneOrFail(Account, { externalRef: 'BA-2' });
    expect(stored.version).toBe(2);
  });

  it('importFinancials: one audit record per line written, none for a rejected ATOMIC call', async () => {
    await makeBusinessUnit(db.em(), { code: 'AUD-BU' });
    await upsertAccounts(db.em(), [{ externalRef: 'FIN-1', name: 'Fin one' }], { mode: 'ATOMIC' }, testActor);
    const lines = ['2025-Q1', '2025-Q2', '2025-Q3'].map(quarter => ({
      accountRef: 'FIN-1',
      quarter,
      businessUnitCode: 'AUD-BU',
      revenue: '100.10',
      grossProfit: '20.02',
      costToServe: '3.30',
    }));
    const before = await tableCounts(db.em(), ['audit_entry', 'quarterly_financial']);
    expect(await importFinancials(db.em(), lines, { mode: 'ATOMIC' }, testActor)).toMatchObject({
      created: 3,
    });
    const mid = await tableCounts(db.em(), ['audit_entry', 'quarterly_financial']);
    expect(mid.audit_entry).toBe((before.audit_entry ?? 0) + 3);
    expect(mid.quarterly_financial).toBe((before.quarterly_financial ?? 0) + 3);
    const stored = await db
      .em()
      .find(QuarterlyFinancial, { quarter: { $in: ['2025-Q1', '2025-Q2', '2025-Q3'] } });
    const audited = await db.em().find(AuditEntry, {
      entityType: 'QuarterlyFinancial',
      entityId: { $in: stored.map(s => String(s.id)) },
    });
    expect(audited.map(a => a.action)).toEqual(['CREATE', 'CREATE', 'CREATE']);

    // One good update and one bad row: ATOMIC writes neither the line nor its audit record.
    const rejected = await importFinancials(
      db.em(),
      [
        { ...lines[0], revenue: '200.00' },
        { ...lines[1], quarter: '2025-Q5' },
      ],
      { mode: 'ATOMIC' },
      testActor,
    );
    expect(rejected).toMatchObject({ written: false, rejected: 1 });
    expect(await tableCounts(db.em(), ['audit_entry', 'quarterly_financial'])).toEqual(mid);
  });

  it('a bulk write that meets a concurrent change fails with VERSION_CONFLICT and writes no audit record', async () => {
    await upsertAccounts(
      db.em(),
      [{ externalRef: 'BV-1', name: 'Versioned' }],
      { mode: 'ATOMIC' },
      testActor,
    );
    const spec: TableSpec = {
      table: 'account',
      entityType: 'Account',
      keyColumns: ['external_ref'],
      columns: [
        { property: 'externalRef', column: 'external_ref', kind: 'text' },
        { property: 'name', column: 'name', kind: 'text' },
      ],
      keyOf: v => String(v.externalRef),
      versioned: true,
    };
    const em = db.em();
    const stored = await loadStored(em, spec, ['BV-1']);
    const changes = classify(
      spec,
      [{ index: 0, key: 'BV-1', values: { externalRef: 'BV-1', name: 'Stale batch' } }],
      stored,
    );
    await upsertAccounts(
      db.em(),
      [{ externalRef: 'BV-1', name: 'Meanwhile' }],
      { mode: 'ATOMIC' },
      testActor,
    );
    await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => writeAs(em, testActor, tx => applyChanges(tx, spec, changes, testActor)),
      ['account'],
    );
    const account = await db.em().findOneOrFail(Account, { externalRef: 'BV-1' });
    expect(account.name).toBe('Meanwhile');
    expect(account.version).toBe(2);
  });
});

describe('dates in the trail', () => {
  it('an UPDATE records a datetime as an ISO string, before and after, as a CREATE does', async () => {
    const person = await makePerson(db.em(), { name: 'Tess Token' });
    const { token, secret } = await createApiToken(
      db.em(),
      { personId: person.id, role: 'INTEGRATION', name: 'Nightly sync', expiresAt: '2031-01-02T03:04:05Z' },
      testActor,
    );
    await writeAs(db.em(), testActor, async tx => {
      const stored = await tx.findOneOrFail(ApiToken, token.id);
      stored.expiresAt = new Date('2032-06-07T08:09:10Z');
    });
    const [created, updated] = await trailOf('ApiToken', token.id);
    expect(created?.changes.expiresAt).toEqual({ before: null, after: '2031-01-02T03:04:05.000Z' });
    expect(updated?.changes.expiresAt).toEqual({
      before: '2031-01-02T03:04:05.000Z',
      after: '2032-06-07T08:09:10.000Z',
    });
    expect(secret.startsWith(created?.changes.prefix?.after as string)).toBe(true);
  });

  it("a token's revocation records when, and which token: its name, role, person and prefix", async () => {
    const person = await makePerson(db.em(), { name: 'Rita Revoked' });
    const { token, secret } = await createApiToken(
      db.em(),
      { personId: person.id, role: 'EXECUTIVE', name: 'Board deck' },
      testActor,
    );
    const before = Date.now();
    await revokeApiToken(db.em(), { id: token.id }, testActor);
    const trail = await trailOf('ApiToken', token.id);
    expect(trail.map(t => t.action)).toEqual(['CREATE', 'UPDATE']);
    const changes = trail[1]?.changes ?? {};
    expect(Object.keys(changes).sort()).toEqual(['name', 'person', 'prefix', 'revokedAt', 'role']);
    // The token's identity did not change: the same before and after, so the entry says which token.
    expect(changes.name).toEqual({ before: 'Board deck', after: 'Board deck' });
    expect(changes.role).toEqual({ before: 'EXECUTIVE', after: 'EXECUTIVE' });
    expect(changes.person).toEqual({ before: person.id, after: person.id });
    expect(changes.prefix).toEqual({ before: secret.slice(0, 12), after: secret.slice(0, 12) });
    expect(changes.revokedAt?.before).toBeNull();
    const revokedAt = changes.revokedAt?.after;
    expect(revokedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Database timestamps may be truncated to the second on SQLite: allow one second.
    expect(Date.parse(revokedAt as string)).toBeGreaterThanOrEqual(before - 1000);
    // Never the secret's hash.
    expect(JSON.stringify(trail.map(t => t.changes))).not.toContain('tokenHash');
  });
});

describe('an UPDATE records values in the form a CREATE does', () => {
  it('money: a decimal string before and after, not the stored cents', async () => {
    const account = await makeAccount(db.em());
    const input = { accountId: account.id, quarter: '2026-Q4', revenue: '1000.00', grossProfit: '300.00' };
    const line = await recordFinancials(db.em(), { ...input, costToServe: '50.00' }, testActor);
    await recordFinancials(db.em(), { ...input, costToServe: '75.50', expectedVersion: 1 }, testActor);
    const [created, updated] = await trailOf('QuarterlyFinancial', line.id);
    expect(created?.changes.costToServe).toEqual({ before: null, after: '50.00' });
    expect(updated?.action).toBe('UPDATE');
    // Only the cost changed; revenue and gross profit are the same amounts, so not recorded.
    expect(updated?.changes).toEqual({ costToServe: { before: '50.00', after: '75.50' } });
  });

  it('money, a date and a flag of an opportunity, as its CREATE records them', async () => {
    const account = await makeAccount(db.em());
    const unit = await makeBusinessUnit(db.em());
    const opp = await createOpportunity(
      db.em(),
      {
        accountId: account.id,
        businessUnitId: unit.id,
        name: 'Fleet renewal',
        value: '172670.52',
        expectedCloseOn: '2026-12-15',
      },
      testActor,
    );
    await updateOpportunity(
      db.em(),
      { id: opp.id, expectedVersion: 1, value: '12345.67', expectedCloseOn: '2027-01-31' },
      testActor,
    );
    await qualifyOpportunity(db.em(), { id: opp.id, expectedVersion: 2, on: '2026-11-02' }, testActor);
    const [created, updated, qualified] = await trailOf('Opportunity', opp.id);
    expect(created?.changes.value).toEqual({ before: null, after: '172670.52' });
    expect(created?.changes.qualified).toEqual({ before: null, after: false });
    expect(updated?.changes).toEqual({
      value: { before: '172670.52', after: '12345.67' },
      expectedCloseOn: { before: '2026-12-15', after: '2027-01-31' },
    });
    expect(qualified?.changes).toEqual({
      qualified: { before: false, after: true },
      qualifiedOn: { before: null, after: '2026-11-02' },
    });
  });

  it('a deleted line records its amounts as decimal strings', async () => {
    const account = await makeAccount(db.em());
    const line = await recordFinancials(
      db.em(),
      {
        accountId: account.id,
        quarter: '2026-Q3',
        revenue: '1000.00',
        grossProfit: '300.00',
        costToServe: '12.34',
      },
      testActor,
    );
    await writeAs(db.em(), testActor, async tx => {
      tx.remove(await tx.findOneOrFail(QuarterlyFinancial, line.id));
    });
    const [, deleted] = await trailOf('QuarterlyFinancial', line.id);
    expect(deleted?.action).toBe('DELETE');
    expect(deleted?.changes.revenue).toEqual({ before: '1000.00', after: null });
    expect(deleted?.changes.costToServe).toEqual({ before: '12.34', after: null });
  });

  it('JSON: the settings document is an object before and after, as in its CREATE', async () => {
    await updateSettings(
      db.em(),
      { expectedVersion: 1, patch: { plans: { reviewCadenceMonths: 6 } } },
      testActor,
    );
    const row = await getSettingsRow(db.em());
    const [created, updated] = await trailOf('Settings', row?.id ?? 0);
    expect(created?.changes.document).toEqual({ before: null, after: DEFAULT_SETTINGS });
    expect(updated?.action).toBe('UPDATE');
    expect(Object.keys(updated?.changes ?? {})).toEqual(['document']);
    expect(updated?.changes.document?.before).toEqual(DEFAULT_SETTINGS);
    expect(updated?.changes.document?.after).toEqual({
      ...DEFAULT_SETTINGS,
      plans: { ...DEFAULT_SETTINGS.plans, reviewCadenceMonths: 6 },
    });
  });
});

describe('the kinds of record the trail offers', () => {
  it('are exactly the kinds that can have entries: a closed quarter is one QuarterSnapshot entry', () => {
    const kinds = auditedRecordKinds(db.em());
    expect(kinds).toContain('QuarterSnapshot');
    expect(kinds).toContain('Account');
    // An account's snapshot is part of its quarter's entry, never an entry of its own.
    expect(kinds).not.toContain('AccountSnapshot');
    expect(kinds).not.toContain('AuditEntry');
    expect(kinds).not.toContain('IdempotencyRecord');
  });
});
