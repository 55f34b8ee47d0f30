import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../accounts/account.entity.ts';
import { createAccount, updateAccount } from '../accounts/account.service.ts';
import { Contact } from '../team/contact.entity.ts';
import { createContact, updateContact } from '../team/team.service.ts';
import {
  createTestDatabase,
  expectRejected,
  makeAccount,
  overlap,
  type TestDatabase,
  testActor,
  testDialect,
} from '../testing/index.ts';
import { writeAs } from './unit-of-work.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

// A write that passed the version check and then finds its record changed at the UPDATE lost a
// race to another request (on PostgreSQL two requests check at once). An EntityManager that read
// the record before the other change stands in for the race: its check sees the old version.
describe('a write that lost a version race is answered as the version check answers a stale version', () => {
  it('names the account by its external ref and gives the version read after the failed write', async () => {
    const account = await makeAccount(db.em(), { externalRef: 'LOST-1' });
    const stale = db.em();
    await stale.findOneOrFail(Account, account.id);
    await updateAccount(db.em(), { id: account.id, expectedVersion: 1, industry: 'First' }, testActor);
    const error = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => updateAccount(stale, { id: account.id, expectedVersion: 1, industry: 'Lost' }, testActor),
      ['account', 'audit_entry'],
    );
    expect(error.message).toBe(
      'Account LOST-1 was changed by someone else: you sent version 1, the current version is 2. Reload it, reapply your change and send version 2.',
    );
    expect(error.details).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
    expect((await db.em().findOneOrFail(Account, account.id)).industry).toBe('First');
  });

  it('names a record whose name is worked out only on a conflict (a contact by name and account)', async () => {
    const account = await makeAccount(db.em(), { externalRef: 'LOST-2' });
    const contact = await createContact(
      db.em(),
      { accountId: account.id, name: 'Ada Race', function: 'OTHER', influence: 3 },
      testActor,
    );
    const stale = db.em();
    await stale.findOneOrFail(Contact, contact.id);
    await updateContact(db.em(), { id: contact.id, expectedVersion: 1, title: 'First' }, testActor);
    const error = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () => updateContact(stale, { id: contact.id, expectedVersion: 1, title: 'Lost' }, testActor),
      ['contact', 'audit_entry'],
    );
    expect(error.message).toBe(
      'Contact "Ada Race" of LOST-2 was changed by someone else: you sent version 1, the current version is 2. Reload it, reapply your change and send version 2.',
    );
    expect(error.details).toMatchObject({ currentVersion: 2 });
  });

  it('a record changed without a version check: named in words, never by its database id, with its version', async () => {
    const account = await makeAccount(db.em(), { externalRef: 'LOST-3' });
    const stale = db.em();
    await stale.findOneOrFail(Account, account.id);
    await updateAccount(db.em(), { id: account.id, expectedVersion: 1, industry: 'First' }, testActor);
    const error = await expectRejected(
      db.em(),
      'VERSION_CONFLICT',
      () =>
        writeAs(stale, testActor, async tx => {
          (await tx.findOneOrFail(Account, account.id)).industry = 'Lost';
        }),
      ['account', 'audit_entry'],
    );
    expect(error.message).toBe(
      'The account was changed by someone else while you were saving (it is now at version 2); nothing was written. Send your change again.',
    );
    expect(error.details).toMatchObject({ currentVersion: 2 });
  });

  it('a duplicate key the use case did not check for: DUPLICATE_ROW without the database’s text', async () => {
    await makeAccount(db.em(), { externalRef: 'LOST-DUP' });
    const error = await expectRejected(
      db.em(),
      'DUPLICATE_ROW',
      () =>
        writeAs(db.em(), testActor, async tx => {
          tx.create(Account, { externalRef: 'LOST-DUP', name: 'Duplicate' });
        }),
      ['account', 'audit_entry'],
    );
    expect(error.message).toBe(
      'Another request stored the same record at the same time, so nothing was written. Send yours again: it will then see that record.',
    );
  });
});

// SQLite runs one write transaction at a time: only PostgreSQL can overlap two requests.
describe.runIf(testDialect() === 'postgresql')('two writes of one external ref at the same time', () => {
  it('createAccount twice: one account, the other refused with EXTERNAL_REF_TAKEN', async () => {
    const create = (em: Parameters<typeof createAccount>[0]) =>
      createAccount(em, { externalRef: 'RACE-REF-1', name: 'Race' }, testActor);
    const [first, second] = await overlap(db, create, create);
    expect(first.ok).toBe(true);
    expect(second.ok ? 'two accounts' : second.error).toMatchObject({ code: 'EXTERNAL_REF_TAKEN' });
    expect(await db.em().count(Account, { externalRef: 'RACE-REF-1' })).toBe(1);
  });

  it('an account renamed to a ref created at the same time: refused with EXTERNAL_REF_TAKEN', async () => {
    const other = await makeAccount(db.em(), { externalRef: 'RACE-REF-OLD' });
    const [first, second] = await overlap(
      db,
      tx => createAccount(tx, { externalRef: 'RACE-REF-2', name: 'Race' }, testActor),
      em => updateAccount(em, { id: other.id, expectedVersion: 1, externalRef: 'RACE-REF-2' }, testActor),
    );
    expect(first.ok).toBe(true);
    expect(second.ok ? 'two accounts' : second.error).toMatchObject({ code: 'EXTERNAL_REF_TAKEN' });
    expect((await db.em().findOneOrFail(Account, other.id)).externalRef).toBe('RACE-REF-OLD');
  });
});
